-- Question: do online master's programs cost less than in-person ones, do their graduates earn less, and
-- what is the simple payback (tuition and fees over the median salary gain against the prior salary)?
-- A first look only: no forgone earnings, taxes or discounting (the statistics tables hold the ROI methods).
-- columns: modality, programs, median_tuition_fees_usd, graduates_with_salary, median_base_salary_usd, median_salary_gain_usd, simple_payback_years
WITH masters AS (
    SELECT * FROM core_programs__programs WHERE pathway = 'masters'
),
programs AS (
    SELECT modality, count(*) AS programs, median(tuition_fees_usd) AS median_tuition_fees_usd
    FROM masters GROUP BY modality
),
salaries AS (
    SELECT m.modality,
           count(o.base_salary_usd)                                   AS graduates_with_salary,
           median(o.base_salary_usd)                                  AS median_base_salary_usd,
           median(o.base_salary_usd - o.prior_salary_usd)             AS median_salary_gain_usd
    FROM masters AS m
    JOIN core_outcomes__graduate_outcomes AS o USING (program_id)
    WHERE o.cirr_category IN ('1A', '1B') AND o.base_salary_usd IS NOT NULL
    GROUP BY m.modality
)
SELECT
    modality, programs, median_tuition_fees_usd, graduates_with_salary, median_base_salary_usd,
    median_salary_gain_usd,
    CASE WHEN median_salary_gain_usd > 0 THEN median_tuition_fees_usd / median_salary_gain_usd END AS simple_payback_years
FROM programs LEFT JOIN salaries USING (modality)
ORDER BY modality;
