"""Colorado Department of Higher Education ROI 2019: the raw earnings rows as read.

Owns the ``co_*`` fields (the publisher's column names of the workbook
``ROI2019_Earnings_1_5_10_CIP4_Suppressed.xlsx``, sheets "Year1 Wage Data", "Year5 Wage Data",
"Year10 Wage Data") and ``raw_colorado_roi__earnings``. The typed figures go to the shared
``core_public__program_cells`` / ``core_public__program_outcomes`` (``schemas/tables/public_programs.py``)
under data_origin ``colorado_roi``.
"""

from __future__ import annotations

from schemas.model import Field, Table, register_fields, register_tables

#: Workbook header -> raw field.
COLORADO_COLUMNS = {
    "EntityId": "co_entity_id",
    "ENTITYNAME": "co_entity_name",
    "CIPCode": "co_cip_code",
    "CIPTITLE": "co_cip_title",
    "ROI_Report_Group": "co_roi_report_group",
    "DegreeLevelId": "co_degree_level_id",
    "DEGREE": "co_degree",
    "Completers": "co_completers",
    "COMPLETERS WITH WAGE COUNT": "co_completers_with_wage_count",
    "%Completers with wage data": "co_pct_completers_with_wage_data",
    "Annual Earnings ($)": "co_annual_earnings",
}
_DESCRIPTIONS = {
    "EntityId": "SURDS institution code (-1 = all institutions), as read.",
    "ENTITYNAME": "Institution name, as read.",
    "CIPCode": "4-digit CIP code without the dot (SURDS program code), as read.",
    "CIPTITLE": "4-digit CIP title, as read.",
    "ROI_Report_Group": "ROI report grouping based on the 2-digit CIP, as read.",
    "DegreeLevelId": "SURDS degree level code, as read.",
    "DEGREE": "Degree level description, as read.",
    "Completers": "In-state completers of the degree cohort, as read.",
    "COMPLETERS WITH WAGE COUNT": "Completers with Colorado wage records above the minimum-wage threshold, as read ('Insufficient Data' = suppressed).",
    "%Completers with wage data": "Share of completers with wage records, as read.",
    "Annual Earnings ($)": "Median annual earnings, CPI-adjusted, as read.",
}
RAW_FIELDS = tuple(COLORADO_COLUMNS.values()) + ("co_sheet",)

register_fields([Field(COLORADO_COLUMNS[c], "string", f"Colorado ROI 2019 `{c}`: {_DESCRIPTIONS[c]}") for c in COLORADO_COLUMNS]
                + [Field("co_sheet", "string", "Workbook sheet the row was read from (Year1 / Year5 / Year10 Wage Data).")])

TABLES = [
    Table(
        "raw_colorado_roi__earnings",
        "Colorado ROI 2019 earnings rows as read from the workbook's three wage sheets: every row, every cell "
        "as text, with lineage (source_file names the sheet after '#').",
        fields=RAW_FIELDS + ("source_file", "source_sha256", "source_row_number", "snapshot_id"),
        primary_key=("source_file", "source_row_number"),
        required=("source_sha256", "snapshot_id"),
        warnings=("lineage_only",),
        grain="One row per data row of a wage sheet of the ROI 2019 workbook.",
    ),
]

register_tables(TABLES)
