-- Question: for how many of each program's graduates is the outcome known (NACE knowledge rate), and which
-- programs fall under NACE's 65% guideline (their placement figures should be read with care)?
-- columns: program_id, pathway, graduates, known_outcomes, knowledge_rate, is_below_nace_guideline
SELECT
    o.program_id,
    p.pathway,
    count(*)                                                  AS graduates,
    count(*) FILTER (WHERE o.nace_category <> 'no_information') AS known_outcomes,
    known_outcomes / graduates                                AS knowledge_rate,
    knowledge_rate < 0.65                                     AS is_below_nace_guideline
FROM core_outcomes__graduate_outcomes AS o
JOIN core_programs__programs AS p USING (program_id)
GROUP BY o.program_id, p.pathway
ORDER BY knowledge_rate, o.program_id;
