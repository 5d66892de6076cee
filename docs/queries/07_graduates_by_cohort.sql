-- Question: how many graduates does each half-year cohort hold, across how many programs, and how many of
-- them are employed in field (CIRR 1A-1E) at the time their outcome was collected?
-- columns: cohort, programs, graduates, employed_in_field, employed_in_field_rate, median_days_to_job_start
SELECT
    cohort,
    count(DISTINCT program_id)                         AS programs,
    count(*)                                           AS graduates,
    count(*) FILTER (WHERE is_in_field)                AS employed_in_field,
    employed_in_field / graduates                      AS employed_in_field_rate,
    median(days_to_job_start) FILTER (WHERE is_in_field) AS median_days_to_job_start
FROM core_outcomes__graduate_outcomes
WHERE cirr_category <> 'excluded'
GROUP BY cohort
ORDER BY cohort;
