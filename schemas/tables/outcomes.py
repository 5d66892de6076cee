"""First statistics tables (the statistics issue extends this module's neighbours).

Owns ``out_outcomes__program_year_summary``.
"""

from __future__ import annotations

from schemas.model import Table, register_tables

TABLES = [
    Table(
        "out_outcomes__program_year_summary",
        "Per program and graduation year: graduates, knowledge rate, employed-in-field count and "
        "rate at collection, median base salary. Cells under the minimum size are suppressed.",
        fields=("program_id", "graduation_year", "graduates", "graduates_known_outcome",
                "knowledge_rate", "employed_in_field_count", "employed_in_field_rate",
                "median_base_salary_usd", "salary_reported_count", "is_suppressed",
                "suppression_reason"),
        primary_key=("program_id", "graduation_year"),
        required=("is_suppressed",),  # a suppressed cell publishes no graduate count
        warnings=("suppressed_values", "low_coverage", "synthetic"),
        grain="One row per program per graduation year.",
    ),
]

register_tables(TABLES)
