"""Ingest bookkeeping: runs, per-file log, file state and quarantine.

Owns the tables that prove conservation (rows read = rows loaded + rows quarantined)
and keep every rejected row with the rules it broke.
"""

from __future__ import annotations

from schemas.model import Field, Table, register_fields, register_tables
from schemas.tables.curated import TABLES as CURATED

register_fields([
    Field("snapshot_id", "string", "Raw snapshot folder the rows were built from (data/raw/<source>/<fetched-at>), or the warehouse snapshot id."),
    Field("warehouse_snapshot_id", "string", "Content id of a published warehouse: first 16 hex digits of the SHA-256 over the schema fingerprint and every input's path and SHA-256. Same inputs, same id."),
    Field("schema_fingerprint", "string", "SHA-256 of the generated DDL: a change of the metadata forces a full rebuild."),
    Field("code_version", "string", "Version of alumni-outcomes that built the warehouse."),
    Field("build_fingerprint", "string", "SHA-256 over the pipeline's code (flows/ and schemas/) and the checked assumptions that "
          "built the core and out tables. A refresh whose inputs and build fingerprint are unchanged keeps those tables "
          "instead of rebuilding them."),
    Field("built_at", "datetime", "When the warehouse was published (UTC)."),
    Field("inputs_count", "integer", "Input files the warehouse was built from.", min=0),
    Field("source_status", "string", "fresh (fetched this run, or a curated file), stale (newest earlier fetched snapshot used: offline or fetch failed), bundled / transcribed (the snapshot shipped with the project), missing (no snapshot: source not loaded)."),
    Field("fetched_at", "datetime", "When the snapshot was fetched or bundled (UTC)."),
    Field("snapshot_age_days", "number", "Age of the source's snapshot when the warehouse was built.", unit="days", min=0),
])

_core_outcomes = next(t for t in CURATED if t.name == "core_outcomes__graduate_outcomes")
_core_programs = next(t for t in CURATED if t.name == "core_programs__programs")

TABLES = [
    Table(
        "_core_curated__programs_staged",
        "Intermediate: curated program rows that passed their file's validation, before de-duplication.",
        fields=tuple(f for f in _core_programs.fields if f != "data_origin") + ("source_sha256",),
        primary_key=("source_file", "source_row_number"),
        warnings=("lineage_only",),
        grain="One row per valid data row of a curated programs file.",
    ),
    Table(
        "_core_curated__outcome_records_staged",
        "Intermediate: curated outcome rows that passed their file's validation, before de-duplication "
        "and the unknown-program check.",
        fields=tuple(f for f in _core_outcomes.fields if f != "data_origin"),
        primary_key=("source_file", "source_row_number"),
        warnings=("lineage_only", "contains_pii_hash"),
        grain="One row per valid data row of a curated outcome-records file.",
    ),
    Table(
        "core_warehouse__snapshot",
        "The published warehouse: its content id, run, build time and schema. Cite warehouse_snapshot_id.",
        fields=("warehouse_snapshot_id", "run_id", "built_at", "schema_fingerprint", "code_version", "build_fingerprint",
                "inputs_count"),
        primary_key=("warehouse_snapshot_id",),
        warnings=("run_specific",),
        grain="One row: the warehouse itself.",
    ),
    Table(
        "core_warehouse__inputs",
        "Every input file the published warehouse was built from, with its SHA-256.",
        fields=("source_file", "source_sha256", "file_bytes", "data_origin", "snapshot_id"),
        primary_key=("source_file",),
        grain="One row per input file (curated files and public-source snapshot files).",
    ),
    Table(
        "core_ingest__sources",
        "Public sources in the last run: fresh, stale or missing, which snapshot, and how old.",
        fields=("data_origin", "source_status", "snapshot_id", "fetched_at", "snapshot_age_days", "ingest_message", "run_id"),
        primary_key=("data_origin",),
        required=("source_status",),
        warnings=("run_specific",),
        grain="One row per public source.",
    ),
    Table(
        "core_ingest__runs",
        "One row per refresh run: when, how long, what it saw. History: grows by one row per run.",
        fields=("run_id", "started_at", "finished_at", "elapsed_seconds", "run_status", "files_seen",
                "files_read", "files_rejected", "files_skipped", "rows_read", "rows_loaded", "rows_quarantined",
                "programs_count", "cohorts_count"),
        primary_key=("run_id",),
        warnings=("run_specific",),
        grain="One row per refresh run.",
    ),
    Table(
        "core_ingest__log",
        "Per run and input file: what was done and the row counts. rows_read = rows_loaded + "
        "rows_quarantined holds for every row. Every file under the curated folder has a row: "
        "read, rejected (rejection_reason, rows_rejected), unchanged, removed, or skipped (skip_reason). "
        "History: grows with every run.",
        fields=("run_id", "source_file", "source_sha256", "file_kind", "file_format", "ingest_action",
                "rows_read", "rows_loaded", "rows_quarantined", "rows_rejected", "rejection_reason",
                "skip_reason", "ingest_message", "loaded_at"),
        primary_key=("run_id", "source_file"),
        warnings=("run_specific",),
        grain="One row per run per input file.",
    ),
    Table(
        "core_ingest__files",
        "The input files the warehouse currently reflects, with their hash and counts: the state "
        "used to skip unchanged files on the next run.",
        fields=("source_file", "source_sha256", "file_kind", "file_format", "file_bytes",
                "ingest_action", "rows_read", "rows_loaded", "rows_quarantined", "rows_rejected",
                "rejection_reason", "ingest_message", "run_id"),
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
