-- Question: which warehouse am I querying, and exactly which input files (by SHA-256) was it built from?
-- Cite warehouse_snapshot_id in papers: the same inputs and schema always give the same id.
-- columns: warehouse_snapshot_id, built_at, run_id, code_version, source_file, data_origin, source_sha256, file_bytes
SELECT
    s.warehouse_snapshot_id, s.built_at, s.run_id, s.code_version,
    i.source_file, i.data_origin, i.source_sha256, i.file_bytes
FROM core_warehouse__snapshot AS s
CROSS JOIN core_warehouse__inputs AS i
ORDER BY i.source_file;
