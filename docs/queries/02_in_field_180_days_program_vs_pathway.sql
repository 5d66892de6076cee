-- Question: which programs place more graduates in field within 180 days of graduation than their pathway as a whole?
-- Rate (CIRR style): graduates employed in field (CIRR 1A-1E) with a job start at most 180 days after graduation,
-- over all graduates except those excluded under CIRR (no intent to seek an in-field job, not authorised to work).
-- Non-reporting graduates (CIRR 4) stay in the denominator, as CIRR requires.
-- columns: program_id, pathway, graduates, in_field_180_days, in_field_180_days_rate, pathway_in_field_180_days_rate, is_above_pathway
WITH graduates AS (
    SELECT o.program_id, p.pathway,
           (o.is_in_field AND o.days_to_job_start <= 180) IS TRUE AS is_in_field_180_days
    FROM core_outcomes__graduate_outcomes AS o
    JOIN core_programs__programs AS p USING (program_id)
    WHERE o.cirr_category <> 'excluded'
),
by_program AS (
    SELECT program_id, pathway, count(*) AS graduates,
           count(*) FILTER (WHERE is_in_field_180_days) AS in_field_180_days
    FROM graduates GROUP BY program_id, pathway
),
by_pathway AS (
    SELECT pathway, avg(is_in_field_180_days::INTEGER) AS pathway_in_field_180_days_rate
    FROM graduates GROUP BY pathway
)
SELECT
    program_id, pathway, graduates, in_field_180_days,
    in_field_180_days / graduates                                AS in_field_180_days_rate,
    pathway_in_field_180_days_rate,
    in_field_180_days / graduates > pathway_in_field_180_days_rate AS is_above_pathway
FROM by_program JOIN by_pathway USING (pathway)
ORDER BY pathway, in_field_180_days_rate DESC, program_id;
