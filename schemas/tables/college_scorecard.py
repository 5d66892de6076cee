"""College Scorecard field-of-study tables: the raw rows as read and the program debt.

Owns the raw table of the College Scorecard connector (``flows/sources/college_scorecard.py``)
and its debt table. Its earnings go to the shared ``core_public__program_earnings``
(``schemas/tables/public.py``) under ``data_origin = 'college_scorecard'``.
"""

from __future__ import annotations

from schemas.model import Field, Table, register_fields, register_tables

register_fields([
    Field("debt_median_usd", "number",
          "Median federal loan debt (Stafford and Grad PLUS) at completion of the program's completers, "
          "as published (Scorecard DEBT_ALL_STGP_EVAL_MDN; null when not released).", unit="USD", min=0),
    Field("debt_count", "integer", "Completers behind the median debt, as published (DEBT_ALL_STGP_EVAL_N).", min=0),
    Field("debt_monthly_payment_usd", "number",
          "Median estimated monthly payment on that debt under a 10-year standard plan, as published "
          "(DEBT_ALL_STGP_EVAL_MDN10YRPAY; older layout P_DEBTPAYMENT10YR).", unit="USD", min=0),
])

TABLES = [
    Table(
        "raw_college_scorecard__field_of_study",
        "College Scorecard field-of-study rows as read (bulk CSV row or API program element with its "
        "school's id and name), all values as text in raw_values_json, limited to the configured CIP families.",
        fields=("snapshot_id", "source_file", "source_row_number", "raw_values_json"),
        primary_key=("snapshot_id", "source_file", "source_row_number"),
        warnings=("lineage_only",),
        grain="One row per field-of-study row read from a snapshot file (CSV data row, or API program element).",
    ),
    Table(
        "core_college_scorecard__program_debt",
        "College Scorecard median federal loan debt at completion (and its estimated monthly payment) per "
        "institution x CIP x credential level x debt cohort. "
        "Withheld values are null with value_status and the publisher's code, never zero.",
        fields=("institution_id", "opeid6", "institution_name", "cip_code", "credential_level",
                "credential_level_code", "grad_cohort", "debt_median_usd", "debt_count", "debt_monthly_payment_usd",
                "value_status", "suppression_code", "snapshot_id"),
        primary_key=("institution_id", "cip_code", "credential_level_code", "grad_cohort"),
        required=("credential_level", "value_status", "snapshot_id"),
        warnings=("suppressed_values", "incomplete_coverage"),
        grain="One row per institution (UNITID) x 4-digit CIP x credential level x debt cohort (file vintage).",
    ),
]

register_tables(TABLES)
