"""Ingest bookkeeping: runs, per-file log, file state and quarantine.

Owns the tables that prove conservation (rows read = rows loaded + rows quarantined)
and keep every rejected row with the rules it broke.
"""

from __future__ import annotations

from schemas.model import Table, register_tables

TABLES = [
    Table(
        "core_ingest__runs",
        "One row per refresh run: when, how long, what it saw. History: grows by one row per run.",
        fields=("run_id", "started_at", "finished_at", "elapsed_seconds", "run_status", "files_seen",
                "files_read", "files_rejected", "rows_read", "rows_loaded", "rows_quarantined",
                "programs_count", "cohorts_count"),
        primary_key=("run_id",),
        grain="One row per refresh run.",
    ),
    Table(
        "core_ingest__log",
        "Per run and input file: what was done and the row counts. rows_read = rows_loaded + "
        "rows_quarantined holds for every row. History: grows with every run.",
        fields=("run_id", "source_file", "source_sha256", "file_kind", "file_format", "ingest_action",
                "rows_read", "rows_loaded", "rows_quarantined", "rejection_reason", "ingest_message",
                "loaded_at"),
        primary_key=("run_id", "source_file"),
        grain="One row per run per input file.",
    ),
    Table(
        "core_ingest__files",
        "The input files the warehouse currently reflects, with their hash and counts: the state "
        "used to skip unchanged files on the next run.",
        fields=("source_file", "source_sha256", "file_kind", "file_format", "file_bytes",
                "ingest_action", "rows_read", "rows_loaded", "rows_quarantined", "rejection_reason",
                "ingest_message", "run_id"),
        primary_key=("source_file",),
        grain="One row per input file.",
    ),
    Table(
        "core_ingest__quarantine",
        "Rows that were not loaded, with their raw values (PII removed) and every rule they broke.",
        fields=("source_file", "source_sha256", "source_row_number", "file_kind", "quarantine_stage",
                "failed_rules", "failure_messages", "raw_values_json", "run_id"),
        primary_key=("source_file", "source_row_number"),
        required=("source_sha256", "failed_rules", "failure_messages", "raw_values_json"),
        grain="One row per rejected input row.",
    ),
]

register_tables(TABLES)
