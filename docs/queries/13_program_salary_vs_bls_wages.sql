-- Question: how do a program's graduates' median salaries compare with the BLS OEWS median wage of the
-- occupation their role belongs to (nationally, and in the program's state where known)?
-- columns: program_id, role_category, soc_code, salary_reported_count, median_base_salary_usd, bls_reference_year, bls_national_median_usd, ratio_to_bls_national
SELECT
    program_id, role_category, soc_code, salary_reported_count, median_base_salary_usd,
    bls_reference_year, bls_national_median_usd, round(ratio_to_bls_national, 2) AS ratio_to_bls_national
FROM out_benchmarks__program_role_wages
WHERE NOT is_suppressed AND bls_national_median_usd IS NOT NULL
ORDER BY ratio_to_bls_national DESC;
