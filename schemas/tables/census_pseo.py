"""Census PSEO: the raw earnings table as read (every cell text, with lineage).

Owns the ``pseoe_*`` fields (the publisher's column names of ``pseoe_all.csv`` / the PSEO
earnings API, prefixed with the file family ``pseoe_`` so they cannot collide with other
sources' columns) and ``raw_census_pseo__earnings``. The typed rows go to the shared
``core_public__program_earnings`` (``schemas/tables/public.py``).
"""

from __future__ import annotations

from schemas.model import Field, Table, register_fields, register_tables

#: Publisher's column names, in file order (the CSV header; the API's variables in lower case).
PSEO_COLUMNS = (
    "agg_level_pseo", "inst_level", "institution", "degree_level", "cip_level", "cipcode", "grad_cohort",
    "grad_cohort_years", "geo_level", "geography", "ind_level", "industry",
    "y1_p25_earnings", "y1_p50_earnings", "y1_p75_earnings", "y1_grads_earn",
    "y5_p25_earnings", "y5_p50_earnings", "y5_p75_earnings", "y5_grads_earn",
    "y10_p25_earnings", "y10_p50_earnings", "y10_p75_earnings", "y10_grads_earn",
    "y1_ipeds_count", "y5_ipeds_count", "y10_ipeds_count",
    "status_y1_earnings", "status_y1_grads_earn", "status_y5_earnings", "status_y5_grads_earn",
    "status_y10_earnings", "status_y10_grads_earn", "status_ipeds_count",
    "status_y1_ipeds_count", "status_y5_ipeds_count", "status_y10_ipeds_count",
)

_DESCRIPTIONS = {
    "agg_level_pseo": "PSEO aggregation level code (which dimensions the row is broken down by).",
    "inst_level": "Institution level (I = single institution).",
    "institution": "PSEO institution code as read (leading zeros may be lost in spreadsheet copies).",
    "degree_level": "PSEO degree level code as read (01-19; leading zero may be lost).",
    "cip_level": "CIP detail level (2, 4, 6; A = all CIPs).",
    "cipcode": "CIP code as read ('11.XX' = 2-digit family; dots and zeros may be mangled by spreadsheets).",
    "grad_cohort": "First year of the pooled graduation cohort (0 = all cohorts).",
    "grad_cohort_years": "Number of graduation years pooled in the cohort.",
    "geo_level": "Geography level of employment (N = national).",
    "geography": "Geography code of employment.",
    "ind_level": "Industry level (A = all industries).",
    "industry": "Industry code of employment.",
    "y1_ipeds_count": "IPEDS completions count behind the year-1 cohort.",
    "y5_ipeds_count": "IPEDS completions count behind the year-5 cohort.",
    "y10_ipeds_count": "IPEDS completions count behind the year-10 cohort.",
    "status_ipeds_count": "Status flag of the IPEDS counts (older releases: one flag for the three counts).",
    "status_y1_ipeds_count": "Status flag of the year-1 IPEDS count (newer releases: one flag per horizon).",
    "status_y5_ipeds_count": "Status flag of the year-5 IPEDS count (newer releases).",
    "status_y10_ipeds_count": "Status flag of the year-10 IPEDS count (newer releases).",
}
for _y in ("y1", "y5", "y10"):
    _n = _y[1:]
    for _p in ("p25", "p50", "p75"):
        _DESCRIPTIONS[f"{_y}_{_p}_earnings"] = f"{_p.upper()} annual earnings {_n} year(s) after graduation, as read."
    _DESCRIPTIONS[f"{_y}_grads_earn"] = f"Graduates with earnings {_n} year(s) after graduation, as read."
    _DESCRIPTIONS[f"status_{_y}_earnings"] = f"Status of the year-{_n} earnings (1 released, 5 suppressed, -1 not available), as read."
    _DESCRIPTIONS[f"status_{_y}_grads_earn"] = f"Status of the year-{_n} graduate count (1 released, 5 suppressed, -1 not available), as read."

RAW_FIELDS = tuple(f"pseoe_{c}" for c in PSEO_COLUMNS)

register_fields([Field(f"pseoe_{c}", "string", f"Census PSEO `{c}`: {_DESCRIPTIONS[c]}") for c in PSEO_COLUMNS])

TABLES = [
    Table(
        "raw_census_pseo__earnings",
        "Census PSEO earnings rows as read from the snapshot file (CSV or API JSON): every row of the "
        "file, every cell text, with lineage. Only the CIP families in scope reach the core table.",
        fields=RAW_FIELDS + ("source_file", "source_sha256", "source_row_number", "snapshot_id"),
        primary_key=("source_file", "source_row_number"),
        required=("source_sha256", "snapshot_id"),
        warnings=("lineage_only",),
        grain="One row per data row of a PSEO earnings snapshot file.",
    ),
]

register_tables(TABLES)
