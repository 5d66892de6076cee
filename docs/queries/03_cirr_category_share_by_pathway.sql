-- Question: how are each pathway's graduates spread over the CIRR outcome categories
-- (1A employed full-time in field ... 3A still seeking, 4 non-reporting)?
-- columns: pathway, cirr_category, graduates, share_of_pathway
SELECT
    p.pathway,
    o.cirr_category,
    count(*)                                                        AS graduates,
    count(*) / sum(count(*)) OVER (PARTITION BY p.pathway)          AS share_of_pathway
FROM core_outcomes__graduate_outcomes AS o
JOIN core_programs__programs AS p USING (program_id)
GROUP BY p.pathway, o.cirr_category
ORDER BY p.pathway, o.cirr_category;
