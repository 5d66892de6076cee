"""BLS OEWS raw table: the API v2 answers as read.

Owns the raw table of the BLS OEWS connector (``flows/sources/bls_oews.py``). Its wages and role
crosswalk go to the shared ``core_bls_oews__wages`` and ``core_bls_oews__role_soc_crosswalk``
(``schemas/tables/public.py``).
"""

from __future__ import annotations

from schemas.model import Table, register_tables

TABLES = [
    Table(
        "raw_bls_oews__series_data",
        "BLS OEWS API v2 data points as read: one element of a series' data array with its seriesID, "
        "as text in raw_values_json.",
        fields=("snapshot_id", "source_file", "source_row_number", "raw_values_json"),
        primary_key=("snapshot_id", "source_file", "source_row_number"),
        warnings=("lineage_only",),
        grain="One row per data point (series x year x period) in a snapshot file.",
    ),
]

register_tables(TABLES)
