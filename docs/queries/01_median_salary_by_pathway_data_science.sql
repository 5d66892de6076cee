-- Question: what do graduates who land data-science roles earn, by pathway (master's, bootcamp, certificate, ...)?
-- Population: graduates in a salaried or contract full-time in-field job (CIRR 1A/1B) as data scientist or
-- ML engineer, with a reported base salary (converted to USD). Self-reported salaries are included: filter
-- verification_level if you need documented figures only.
-- columns: pathway, graduates_with_salary, p25_base_salary_usd, median_base_salary_usd, p75_base_salary_usd
SELECT
    p.pathway,
    count(*)                                          AS graduates_with_salary,
    quantile_cont(o.base_salary_usd, 0.25)            AS p25_base_salary_usd,
    median(o.base_salary_usd)                         AS median_base_salary_usd,
    quantile_cont(o.base_salary_usd, 0.75)            AS p75_base_salary_usd
FROM core_outcomes__graduate_outcomes AS o
JOIN core_programs__programs AS p USING (program_id)
WHERE o.role_category IN ('data_scientist', 'ml_engineer')
  AND o.cirr_category IN ('1A', '1B')
  AND o.base_salary_usd IS NOT NULL
GROUP BY p.pathway
ORDER BY median_base_salary_usd DESC;
