-- core_outcomes__graduate_outcomes, curated rows: the staged curated outcome records that break no cross-file
-- rule (known program, one row per record and per graduate and program), with data_origin 'curated'.
-- Rows of public sources are left alone.
-- Grain: one row per outcome record (record_id).
-- Parameters: none. Reads _core_curated__outcome_records_staged, _build_failures.
-- test: unique(record_id)
-- test: not_null(record_id, program_id, outcome_status, cirr_category, nace_category) where data_origin = 'curated'
-- test: accepted_values(outcome_status, core_codes__outcome_status)
-- test: accepted_values(cirr_category, core_codes__cirr_category)
-- test: accepted_values(nace_category, core_codes__nace_category)
-- test: accepted_values(verification_level, core_codes__verification_level)
-- test: relationships(program_id, core_programs__programs.program_id) where data_origin = 'curated'
DELETE FROM core_outcomes__graduate_outcomes WHERE data_origin = 'curated';
INSERT INTO core_outcomes__graduate_outcomes BY NAME
WITH kept AS (
    SELECT * FROM _core_curated__outcome_records_staged ANTI JOIN _build_failures USING (source_file, source_row_number)
)
SELECT *, 'curated' AS data_origin FROM kept ORDER BY record_id;
