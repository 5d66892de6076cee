-- _build_failures (temporary table): curated rows that passed their own file's rules but break a rule
-- across files. Grain: one row per rejected curated row and broken rule (source_file, source_row_number,
-- failed_rule). Parameters: none. Reads _core_curated__programs_staged, _core_curated__outcome_records_staged,
-- core_programs__programs (programs of public sources count as known) and core_codes__verification_level
-- (which of two duplicates is kept: best verification, then latest collection, then first file and row).
-- Rules, in the order they are applied:
--   duplicate_program  a program_id given twice: the first (file, row) is kept;
--   unknown_program    an outcome record whose program_id no programs file (or public source) defines;
--   duplicate_record   a record_id given twice: the best evidenced is kept;
--   duplicate_person   the same graduate (person_key) twice in one program: the best evidenced is kept.
-- test: not_null(source_file, source_row_number, failed_rule, message)
-- test: unique(source_file, source_row_number, failed_rule)
CREATE OR REPLACE TEMP TABLE _build_failures AS
WITH program_ranked AS (
    SELECT source_file, source_row_number, program_id,
           row_number() OVER w AS rank_in_program,
           first_value(source_file || ' row ' || source_row_number) OVER w AS kept_at
    FROM _core_curated__programs_staged
    WINDOW w AS (PARTITION BY program_id ORDER BY source_file, source_row_number)
),
duplicate_programs AS (
    SELECT source_file, source_row_number, 'program_id:duplicate_program' AS failed_rule,
           source_file || ' row ' || source_row_number || ': column ''program_id'' value ''' || program_id
           || ''' breaks rule duplicate_program: program_id must be unique; kept ' || kept_at AS message
    FROM program_ranked WHERE rank_in_program > 1
),
known_programs AS (
    SELECT program_id FROM program_ranked WHERE rank_in_program = 1
    UNION SELECT program_id FROM core_programs__programs WHERE data_origin <> 'curated'
),
unknown_program AS (
    SELECT s.source_file, s.source_row_number, 'program_id:unknown_program' AS failed_rule,
           s.source_file || ' row ' || s.source_row_number || ': column ''program_id'' value ''' || s.program_id
           || ''' breaks rule unknown_program: program_id must exist in a curated programs file' AS message
    FROM _core_curated__outcome_records_staged s ANTI JOIN known_programs k USING (program_id)
),
candidates AS (
    SELECT s.*, v.verification_rank
    FROM _core_curated__outcome_records_staged s
    JOIN core_codes__verification_level v USING (verification_level)
    ANTI JOIN unknown_program u USING (source_file, source_row_number)
),
record_ranked AS (
    SELECT *,
           row_number() OVER w AS rank_in_record,
           first_value(source_file || ' row ' || source_row_number) OVER w AS kept_at
    FROM candidates
    WINDOW w AS (PARTITION BY record_id ORDER BY verification_rank, collected_date DESC, source_file, source_row_number)
),
duplicate_records AS (
    SELECT source_file, source_row_number, 'record_id:duplicate_record' AS failed_rule,
           source_file || ' row ' || source_row_number || ': column ''record_id'' value ''' || record_id
           || ''' breaks rule duplicate_record: record_id must be unique; kept ' || kept_at AS message
    FROM record_ranked WHERE rank_in_record > 1
),
person_ranked AS (
    SELECT *,
           row_number() OVER w AS rank_in_person,
           first_value(record_id || ' (' || source_file || ' row ' || source_row_number || ')') OVER w AS kept_person
    FROM record_ranked
    WHERE rank_in_record = 1 AND person_key IS NOT NULL
    WINDOW w AS (PARTITION BY person_key, program_id
                 ORDER BY verification_rank, collected_date DESC, source_file, source_row_number)
),
duplicate_people AS (
    SELECT source_file, source_row_number, 'person_key:duplicate_person' AS failed_rule,
           source_file || ' row ' || source_row_number || ': record ''' || record_id
           || ''' breaks rule duplicate_person: the same graduate (same e-mail, profile or name) and program is kept as record '
           || kept_person AS message
    FROM person_ranked WHERE rank_in_person > 1
)
SELECT * FROM duplicate_programs
UNION ALL SELECT * FROM unknown_program
UNION ALL SELECT * FROM duplicate_records
UNION ALL SELECT * FROM duplicate_people
