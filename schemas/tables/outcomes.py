"""The disclosure audit's out table.

Owns ``out_disclosure__audit_runs``: one row per run of the disclosure audit
(``flows/stats/audit.py``), written by the refresh after the statistics tables.
"""

from __future__ import annotations

from schemas.model import Field, Table, register_fields, register_tables

F = Field
register_fields([
    F("audit_scope", "string", "What the audit covered: 'all' (every sibling group of every public table) or 'sample' (a documented sample of groups)."),
    F("audited_at", "datetime", "When the audit ran (UTC)."),
    F("groups_checked", "integer", "Sibling groups (a cell with its relatives) whose integer program was solved.", min=0),
    F("cells_checked", "integer", "Public cells (rows of public tables) that hold at least one withheld count and were checked.", min=0),
    F("withheld_counts_checked", "integer", "Withheld counts whose feasible range was computed.", min=0),
    F("exposed_values", "integer", "Withheld counts whose feasible range is narrower than the protection width (must be 0).", min=0),
    F("min_protection_width", "integer", "Smallest feasible range (max - min) over all withheld counts checked; null when none.", min=0),
    F("protection_width", "integer", "Required width of every withheld count's feasible range ([suppression] protection_width).", min=0),
    F("min_cell_size", "integer", "Minimum cell size k of the suppression rules ([suppression] min_cell_size).", min=1),
    F("audit_seconds", "number", "Wall time of the audit.", unit="seconds", min=0),
    F("audit_passed", "boolean", "True when no withheld count is exposed."),
])

TABLES = [
    Table(
        "out_disclosure__audit_runs",
        "Result of the disclosure audit of the public tables: for every public cell with withheld counts, the integer "
        "program of everything published about it and its relatives (totals, subtotals, siblings, rates) gives each "
        "withheld count's feasible range; the audit passes when every range is at least the protection width.",
        fields=("audited_at", "audit_scope", "groups_checked", "cells_checked", "withheld_counts_checked", "exposed_values",
                "min_protection_width", "protection_width", "min_cell_size", "audit_seconds", "audit_passed"),
        primary_key=("audited_at",),
        required=("audit_scope", "groups_checked", "cells_checked", "withheld_counts_checked", "exposed_values",
                  "protection_width", "min_cell_size", "audit_passed"),
        warnings=("run_specific",),
        grain="One row per audit run (the refresh writes one).",
    ),
]

register_tables(TABLES)
