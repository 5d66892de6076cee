-- _cells (temporary table): the aggregated cells of one grouping of the statistics, before rates,
-- intervals and suppression (flows/stats/build.py); read from the records view _stats_records.
-- Grain: one row per cell, i.e. per value of the grouping's dimensions (schemas/tables/stats.py GROUPINGS).
-- Parameters (inlined by flows/stats/build.py _aggregate, names in braces): dimensions, the grouping's
-- columns, a missing text value written as the code 'unknown'; dimension_names, the same columns as
-- named; where, the grouping's filter (the role grouping counts records with a role only); cirr_counts
-- and nace_counts, one count per CIRR and NACE category (columns cirr_<code>_count, nace_<code>_count);
-- d90 and d180, the days of the two placement windows ([stats] windows_days); in_field_only_origins,
-- the data origins whose records cannot show a job outside the field (schemas/vocab.py NO_OUT_OF_FIELD_JOBS).
-- Named steps: records (the grouping's records) -> cells (one aggregate per cell).
CREATE OR REPLACE TEMP TABLE _cells AS
WITH records AS (
    SELECT * FROM _stats_records {where}
),
cells AS (
    SELECT {dimensions},
           count(*) AS graduates,
           count(*) FILTER (WHERE known) AS graduates_known_outcome,
           count(*) FILTER (WHERE excluded) AS graduates_excluded,
           count(*) FILTER (WHERE NOT excluded) AS cirr_denominator,
           {cirr_counts},
           {nace_counts},
           count(*) FILTER (WHERE in_field) AS employed_in_field_count,
           count(*) FILTER (WHERE in_field_{d90}d) AS employed_in_field_90d_count,
           count(*) FILTER (WHERE in_field_{d180}d) AS employed_in_field_180d_count,
           count(*) FILTER (WHERE NOT excluded AND NOT censored_{d90}d) AS employed_in_field_90d_denominator,
           count(*) FILTER (WHERE NOT excluded AND NOT censored_{d180}d) AS employed_in_field_180d_denominator,
           count(*) FILTER (WHERE career_outcome AND career_denominator) AS career_outcomes_count,
           count(*) FILTER (WHERE career_denominator) AS career_outcomes_denominator,
           count(*) FILTER (WHERE continuing_education) AS continuing_education_count,
           count(in_field_days_start) AS days_to_job_start_count,
           quantile_cont(in_field_days_start, 0.5) AS median_days_to_job_start,
           avg(self_reported::INTEGER) AS self_reported_share,
           bool_or(origin IN ({in_field_only_origins})) AS career_outcomes_rate_is_lower_bound,
           min(data_origin_class) AS _evidence_class,
           count(salary_usd) AS salary_reported_count,
           quantile_cont(salary_usd, 0.25) AS salary_p25_usd,
           quantile_cont(salary_usd, 0.5) AS median_base_salary_usd,
           quantile_cont(salary_usd, 0.75) AS salary_p75_usd,
           avg(salary_usd) AS salary_mean_usd,
           list_sort(list(salary_usd) FILTER (WHERE salary_usd IS NOT NULL)) AS salaries,
           count(salary_prior_usd) AS salary_uplift_count,
           quantile_cont(salary_usd - salary_prior_usd, 0.5) AS median_salary_uplift_usd,
           quantile_cont(salary_usd / salary_prior_usd, 0.5)
               FILTER (WHERE salary_prior_usd > 0) AS median_salary_uplift_ratio
    FROM records
    GROUP BY ALL
)
SELECT * FROM cells ORDER BY {dimension_names}
