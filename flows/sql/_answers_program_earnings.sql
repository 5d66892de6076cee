-- Published median earnings of every real public program in the configured fields: one row per
-- program x source x years after graduation x cohort, with the program's facts and its field.
-- Named steps: programs -> in_scope -> earnings -> spread -> final. flows/stats/answers.py inlines one
-- parameter (in braces below): cip_family, a CASE giving the configured field of a CIP code
-- ([public_programs] program_cip_prefixes of flows/sources/sources.toml; NULL outside them).
-- Only programs whose row in core_programs__programs has data_origin 'public_records' are read:
-- the synthetic curated sample can never enter the answers tables.
WITH programs AS (
    SELECT p.program_id, p.unitid, p.pseo_institution_id, p.colorado_entity_id, p.institution_name, p.state_code,
           p.institution_control, p.cip_code, p.cip_title, p.credential_level, p.pathway,
           coalesce('ipeds-' || p.unitid, 'pseo-' || p.pseo_institution_id, 'co-' || p.colorado_entity_id) AS institution_key
    FROM core_public__programs p
    JOIN core_programs__programs c USING (program_id)
    WHERE c.data_origin = 'public_records'
),
in_scope AS (
    SELECT *, {cip_family} AS cip_family FROM programs
),
earnings AS (
    SELECT program_id, data_origin, years_after_graduation, grad_cohort, cohort_last_year, measurement_period,
           dollar_year, constant_dollar_year, value AS earnings_published_usd,
           value_constant_dollars AS median_earnings_usd, value_count AS earnings_count,
           value_status, suppression_code, suppression_reason
    FROM core_public__program_outcomes
    WHERE measure = 'earnings_median'
),
spread AS (
    -- the same source, horizon and cohort's 25th and 75th percentiles (payback range of out_roi__public_program_costs)
    SELECT program_id, data_origin, years_after_graduation, grad_cohort,
           max(value_constant_dollars) FILTER (WHERE measure = 'earnings_p25') AS p25_earnings_usd,
           max(value_constant_dollars) FILTER (WHERE measure = 'earnings_p75') AS p75_earnings_usd
    FROM core_public__program_outcomes
    WHERE measure IN ('earnings_p25', 'earnings_p75')
    GROUP BY ALL
),
final AS (
    SELECT s.*, e.* EXCLUDE (program_id), q.p25_earnings_usd, q.p75_earnings_usd
    FROM in_scope s JOIN earnings e USING (program_id)
    LEFT JOIN spread q USING (program_id, data_origin, years_after_graduation, grad_cohort)
    WHERE s.cip_family IS NOT NULL
)
SELECT * FROM final ORDER BY program_id, data_origin, years_after_graduation, grad_cohort
