-- One row per graduate outcome record with the flags every statistic counts.
-- Named steps: source -> programs -> in_field_cirr -> career_nace -> origin_classes -> joined -> flagged.
-- The in-field CIRR categories (1A-1E), the NACE categories of the career outcomes rate and the evidence
-- class of each data origin come from the code tables (core_codes__*, generated from schemas/vocab.py).
-- flows/stats/build.py inlines three parameters (the names in braces below): windows, one
-- in_field_<d>d flag per window of [stats] windows_days (in field and started by day d, or start
-- unknown and collected by day d) and one censored_<d>d flag (outside CIRR's exclusions, not in
-- field when collected, and collected before day d: whether the graduate was in field by day d is
-- not known yet, so the record leaves that window's denominator); salary_bound, the plausible maximum of a USD salary by the
-- record's data_origin ([salary_plausibility]): a base or prior salary above it is left out of
-- every salary figure (salary_usd, prior_salary_usd are NULL) and flagged is_salary_outlier;
-- synthetic_origins, the data origins of [reports] synthetic_data_origins, whose evidence class is
-- 'synthetic' whatever core_codes__data_origin says (the class is the program's data_origin's, the
-- record's when the program is missing).
WITH source AS (
    SELECT * FROM core_outcomes__graduate_outcomes
),
programs AS (
    SELECT program_id, pathway, modality, pacing, data_origin AS program_data_origin FROM core_programs__programs
),
in_field_cirr AS (
    SELECT cirr_category FROM core_codes__cirr_category WHERE is_in_field
),
career_nace AS (
    SELECT nace_category FROM core_codes__nace_category WHERE is_career_outcome
),
origin_classes AS (
    SELECT data_origin AS origin, data_origin_class FROM core_codes__data_origin
),
joined AS (
    SELECT s.*, p.pathway, p.modality, p.pacing,
           coalesce(p.program_data_origin, s.data_origin) AS origin,
           coalesce(s.days_to_job_start, date_diff('day', s.graduation_date, s.job_start_date)) AS days_start,
           date_diff('day', s.graduation_date, s.collected_date) AS days_collected,
           s.cirr_category IN (SELECT cirr_category FROM in_field_cirr) AS in_field,
           {salary_bound} AS salary_bound
    FROM source s LEFT JOIN programs p USING (program_id)
),
flagged AS (
    SELECT record_id, program_id, origin,
           CASE WHEN origin IN ({synthetic_origins}) THEN 'synthetic' ELSE oc.data_origin_class END AS data_origin_class, cohort, graduation_year, pathway, modality, pacing, role_category,
           prior_degree, prior_field, cirr_category, nace_category, in_field,
           outcome_status <> 'unknown' AS known,
           cirr_category = 'excluded' AS excluded,
           nace_category IN (SELECT nace_category FROM career_nace) AS career_outcome,
           outcome_status <> 'unknown' AND nace_category <> 'not_seeking' AS career_denominator,
           nace_category = 'continuing_education' AS continuing_education,
           {windows},
           CASE WHEN in_field THEN days_start END AS in_field_days_start,
           CASE WHEN in_field AND base_salary_usd <= salary_bound THEN base_salary_usd END AS salary_usd,
           CASE WHEN in_field AND base_salary_usd <= salary_bound AND prior_salary_usd <= salary_bound
                THEN prior_salary_usd END AS salary_prior_usd,
           verification_level = 'self_reported' AS self_reported,
           CASE WHEN prior_salary_usd <= salary_bound THEN prior_salary_usd END AS prior_salary_usd,
           coalesce(base_salary_usd > salary_bound, false) OR coalesce(prior_salary_usd > salary_bound, false)
               AS is_salary_outlier
    FROM joined LEFT JOIN origin_classes oc USING (origin)
)
SELECT * FROM flagged
