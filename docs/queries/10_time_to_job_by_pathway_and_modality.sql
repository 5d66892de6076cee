-- Question: how long after graduation do in-field jobs start, by pathway and modality?
-- Negative days: the job started before graduation (offers, converted internships).
-- columns: pathway, modality, graduates_in_field, p25_days_to_job_start, median_days_to_job_start, p75_days_to_job_start
SELECT
    p.pathway,
    p.modality,
    count(*)                                       AS graduates_in_field,
    quantile_cont(o.days_to_job_start, 0.25)       AS p25_days_to_job_start,
    median(o.days_to_job_start)                    AS median_days_to_job_start,
    quantile_cont(o.days_to_job_start, 0.75)       AS p75_days_to_job_start
FROM core_outcomes__graduate_outcomes AS o
JOIN core_programs__programs AS p USING (program_id)
WHERE o.is_in_field AND o.days_to_job_start IS NOT NULL
GROUP BY p.pathway, p.modality
ORDER BY p.pathway, p.modality;
