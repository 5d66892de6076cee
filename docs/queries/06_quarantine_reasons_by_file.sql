-- Question: which rows were not loaded, from which files, and which rules did they break?
-- (validate: a file's own rules; build: rules across files such as duplicates or unknown programs)
-- columns: source_file, quarantine_stage, failed_rules, rows_quarantined, first_rows
SELECT
    source_file,
    quarantine_stage,
    failed_rules,
    count(*)                                                                 AS rows_quarantined,
    string_agg(source_row_number::VARCHAR, ', ' ORDER BY source_row_number)[:80] AS first_rows
FROM core_ingest__quarantine
GROUP BY source_file, quarantine_stage, failed_rules
ORDER BY rows_quarantined DESC, source_file, failed_rules;
