-- Question: cost-adjusted, do online master's pay back faster than in-person ones?
-- Payback and NPV count tuition and fees, relocation/living, forgone earnings (by pacing) and loan interest,
-- against the graduates' own prior salaries (else the configured baseline); see docs/METHODOLOGY.md.
-- Medians across programs of the published per-program figures; suppressed programs are left out.
-- columns: modality, programs, median_total_cost_usd, median_expected_salary_usd, median_payback_years, median_npv_20y_usd
SELECT
    modality,
    count(*) AS programs,
    round(median(total_cost_usd)) AS median_total_cost_usd,
    round(median(expected_salary_usd)) AS median_expected_salary_usd,
    round(median(payback_years), 1) AS median_payback_years,
    round(median(npv_20y_usd)) AS median_npv_20y_usd
FROM out_roi__program_costs
WHERE pathway = 'masters' AND NOT is_suppressed AND modality IS NOT NULL
GROUP BY modality
ORDER BY modality;
