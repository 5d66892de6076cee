-- core_ingest__quarantine, build stage: the rows of _build_failures with every cross-file rule they broke,
-- their raw values as read (the raw table's data columns as JSON; PII never reaches a raw table) and the
-- run that read their file. Recomputed whole every run (validation-stage rows are left alone).
-- Grain: one row per rejected curated row (source_file, source_row_number).
-- Parameters: none. Reads _build_failures, core_ingest__files, raw_curated__programs, raw_curated__outcome_records.
-- test: unique(source_file, source_row_number)
-- test: not_null(source_sha256, failed_rules, failure_messages, raw_values_json)
-- test: relationships(source_file, core_ingest__files.source_file) where quarantine_stage = 'build'
DELETE FROM core_ingest__quarantine WHERE quarantine_stage = 'build';
INSERT INTO core_ingest__quarantine (source_file, source_sha256, source_row_number, file_kind, quarantine_stage,
                                     failed_rules, failure_messages, raw_values_json, run_id)
WITH failed_programs AS (
    SELECT r.* FROM raw_curated__programs r SEMI JOIN _build_failures b USING (source_file, source_row_number)
),
failed_outcome_records AS (
    SELECT r.* FROM raw_curated__outcome_records r SEMI JOIN _build_failures b USING (source_file, source_row_number)
),
raw_values AS (
    SELECT r.source_file, r.source_row_number, 'programs' AS file_kind, to_json(v)::VARCHAR AS raw_values_json
    FROM failed_programs r,
         LATERAL (SELECT r.* EXCLUDE (source_file, source_sha256, source_row_number, run_id, loaded_at)) v
    UNION ALL
    SELECT r.source_file, r.source_row_number, 'outcome_records' AS file_kind, to_json(v)::VARCHAR AS raw_values_json
    FROM failed_outcome_records r,
         LATERAL (SELECT r.* EXCLUDE (source_file, source_sha256, source_row_number, run_id, loaded_at)) v
),
rules_per_row AS (
    SELECT source_file, source_row_number,
           string_agg(failed_rule, '; ' ORDER BY failed_rule) AS failed_rules,
           string_agg(message, ' | ' ORDER BY failed_rule) AS failure_messages
    FROM _build_failures
    GROUP BY source_file, source_row_number
)
SELECT q.source_file, f.source_sha256, q.source_row_number, f.file_kind, 'build' AS quarantine_stage,
       q.failed_rules, q.failure_messages, r.raw_values_json, f.run_id
FROM rules_per_row q
JOIN raw_values r USING (source_file, source_row_number)
JOIN core_ingest__files f ON f.source_file = q.source_file AND f.file_kind = r.file_kind;
