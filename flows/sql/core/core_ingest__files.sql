-- core_ingest__files, row counts after the cross-file rules: rows loaded into the core tables and rows
-- quarantined (validation and build stages) per curated file, so rows_read = rows_loaded + rows_quarantined.
-- Grain: one row per input file (source_file); only curated programs and outcome-record files change.
-- Parameters: none. Reads core_ingest__quarantine, core_programs__programs, core_outcomes__graduate_outcomes.
-- test: unique(source_file)
-- test: not_null(rows_loaded, rows_quarantined) where file_kind IN ('programs', 'outcome_records')
-- test: accepted_values(ingest_action, core_codes__ingest_action)
UPDATE core_ingest__files f SET
    rows_quarantined = coalesce(q.rows_quarantined, 0),
    rows_loaded = coalesce(CASE f.file_kind WHEN 'programs' THEN p.rows_loaded ELSE o.rows_loaded END, 0)
FROM core_ingest__files g
LEFT JOIN (SELECT source_file, count(*) AS rows_quarantined FROM core_ingest__quarantine GROUP BY ALL) q
       ON q.source_file = g.source_file
LEFT JOIN (SELECT source_file, count(*) AS rows_loaded FROM core_programs__programs
           WHERE data_origin = 'curated' GROUP BY ALL) p ON p.source_file = g.source_file
LEFT JOIN (SELECT source_file, count(*) AS rows_loaded FROM core_outcomes__graduate_outcomes
           WHERE data_origin = 'curated' GROUP BY ALL) o ON o.source_file = g.source_file
WHERE f.source_file = g.source_file AND f.file_kind IN ('programs', 'outcome_records');
