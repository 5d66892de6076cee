-- core_programs__programs, curated rows: the staged curated programs that break no cross-file rule, with
-- data_origin 'curated'. Rows of public sources are left alone (flows/sources/public_programs.py adds them).
-- Grain: one row per program (program_id).
-- Parameters: none. Reads _core_curated__programs_staged, _build_failures.
-- test: unique(program_id)
-- test: not_null(program_id, data_origin)
-- test: accepted_values(data_origin, core_codes__data_origin)
-- test: not_null(institution_name, program_name, pathway) where data_origin = 'curated'
DELETE FROM core_programs__programs WHERE data_origin = 'curated';
INSERT INTO core_programs__programs BY NAME
WITH staged AS (
    SELECT * EXCLUDE (source_sha256) FROM _core_curated__programs_staged
),
kept AS (
    SELECT * FROM staged ANTI JOIN _build_failures USING (source_file, source_row_number)
)
SELECT *, 'curated' AS data_origin FROM kept ORDER BY program_id;
