"""Out tables that the per-program reports read.

A report computes no numbers of its own: every figure on a page comes from a warehouse table.
These tables hold the figures the statistics tables do not: the median program of each pathway,
payback against salary and loan rate (the sensitivity grid), "graduates like you" by prior degree
per program, and per-program notices (synthetic data). Built by ``flows/stats/report_tables.py``.
"""

from __future__ import annotations

from schemas.model import Field, Table, register_fields, register_tables

F = Field
register_fields([
    F("pathway_programs_count", "integer", "Programs of the pathway in core_programs__programs.", min=0),
    F("pathway_programs_published_count", "integer",
      "Programs of the pathway whose ROI row is published (not suppressed, payback inputs known): the n of the pathway medians.", min=0),
    F("pathway_median_tuition_fees_usd", "number", "Median over the pathway's programs of tuition_fees_usd.", unit="USD", min=0),
    F("pathway_median_duration_months", "number", "Median over the pathway's programs of duration_months.", unit="months", min=0),
    F("pathway_median_in_field_180d_rate", "number",
      "Median over the pathway's published programs of their CIRR employed-in-field rate at 180 days.", unit="ratio", min=0, max=1),
    F("pathway_median_salary_usd", "number",
      "Median over the pathway's published programs of their median in-field base salary.", unit="USD", min=0),
    F("pathway_median_total_cost_usd", "number", "Median over the pathway's published programs of total_cost_usd.", unit="USD", min=0),
    F("pathway_median_payback_years", "number",
      "Median over the pathway's published programs with a finite payback of payback_years.", unit="years", min=0),
    F("pathway_payback_count", "integer", "Published programs of the pathway with a finite payback (n of the payback median).", min=0),
    F("pathway_median_npv_10y_usd", "number", "Median over the pathway's published programs of npv_10y_usd.", unit="USD"),
    F("salary_scenario_factor", "number",
      "Multiplier applied to the program's median in-field base salary in a sensitivity scenario (1 = as observed).", unit="ratio", min=0),
    F("scenario_salary_usd", "number", "Median in-field base salary of the scenario: median_base_salary_usd x salary_scenario_factor.", unit="USD", min=0),
    F("is_synthetic", "boolean", "The program's figures come from data this repository marks as synthetic ([reports] synthetic_data_origins)."),
    F("data_notice", "string", "Text a report shows beside the program's figures about where the data come from (e.g. the synthetic-data warning); null when none."),
])

register_tables([
    Table(
        "out_reports__pathway_medians",
        "Per evidence class and pathway: the median program (median over the class's programs of the pathway of tuition, length, in-field rate at "
        "180 days, median salary, total cost, payback and NPV at 10 years), read by the reports' comparisons.",
        fields=("data_origin_class", "pathway", "pathway_programs_count", "pathway_programs_published_count",
                "pathway_median_tuition_fees_usd", "pathway_median_duration_months",
                "pathway_median_in_field_180d_rate", "pathway_median_salary_usd", "pathway_median_total_cost_usd",
                "pathway_payback_count", "pathway_median_payback_years", "pathway_median_npv_10y_usd"),
        primary_key=("data_origin_class", "pathway"),
        warnings=("experimental", "synthetic"),
        grain="One row per evidence class x pathway with at least one program (programs of different classes are never pooled).",
    ),
    Table(
        "out_reports__roi_sensitivity",
        "Per published program: total cost, annual gain, payback and NPV at 10 years when the median in-field salary "
        "is scaled by a factor and the loan rate varies (grid in [reports] of flows/assumptions.toml); other "
        "assumptions as in out_roi__program_costs.",
        fields=("program_id", "salary_scenario_factor", "loan_rate", "scenario_salary_usd", "total_cost_usd",
                "annual_gain_usd", "payback_years", "npv_10y_usd"),
        primary_key=("program_id", "salary_scenario_factor", "loan_rate"),
        warnings=("experimental", "synthetic"),
        grain="One row per program x salary factor x loan rate (programs whose ROI row is published).",
    ),
    Table(
        "out_reports__program_prior_background",
        "\"Graduates like you\": per program and prior degree, graduates, CIRR employed-in-field rate at 180 days with "
        "its Wilson interval and the median in-field base salary. Cells under the minimum size are suppressed "
        "(primary, parent and complementary within the program).",
        fields=("program_id", "prior_degree", "graduates", "cirr_denominator", "employed_in_field_180d_count",
                "employed_in_field_180d_denominator", "employed_in_field_180d_rate", "employed_in_field_180d_rate_lower", "employed_in_field_180d_rate_upper",
                "window_rates_note", "salary_reported_count", "median_base_salary_usd", "is_suppressed", "suppression_reason"),
        primary_key=("program_id", "prior_degree"),
        required=("is_suppressed",),
        warnings=("suppressed_values", "synthetic"),
        grain="One row per program x known prior degree (graduates of unknown prior degree count as a suppressed sibling, never published).",
    ),
    Table(
        "out_reports__program_notices",
        "Per program: where its data come from and whether they are synthetic, with the notice a report shows.",
        fields=("program_id", "data_origin", "data_origin_class", "is_synthetic", "data_notice"),
        primary_key=("program_id",),
        required=("data_origin", "is_synthetic"),
        grain="One row per program.",
    ),
])
