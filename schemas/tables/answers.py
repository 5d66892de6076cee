"""Real programs' premium, cost and payback, and the answers tables built from real data only.

Owns the fields and tables written by ``flows/stats/public_roi.py`` and ``flows/stats/answers.py``:

- ``core_reference__graduate_tuition``: code table of average graduate tuition by control of institution
  (NCES Digest Table 330.50, transcribed in ``data/raw/reference/graduate_tuition_by_control.csv``);
- ``core_public__program_cost_overrides``: every row of the curated per-program tuition and length file,
  applied or rejected with its problem;
- ``out_public__program_premium``: master's (and doctoral) minus bachelor's earnings of the same institution,
  field, source, horizon and cohort;
- ``out_public__field_premium``: field-level premiums from NSF NCSES and FiveThirtyEight;
- ``out_roi__public_program_costs``: cost, payback, NPV and loan risk of real graduate programs;
- ``out_answers__peer_earnings``: the distribution across real programs of their median earnings;
- ``out_answers__statements``: the answer to "is this degree worth it", one plain-language statement per row.

Every row comes from public sources (never the synthetic curated sample). Definitions: docs/METHODOLOGY.md,
"Real programs: premium, cost and payback" and "The answers tables".
"""

from __future__ import annotations

from schemas.model import Field, Table, Vocabulary, register_fields, register_tables, register_vocabularies

#: Page order of the statements' sections.
ANSWER_SECTIONS = {
    "peer_outcomes": "What graduates of real programs in the field earn 1, 5 and 10 years after graduation",
    "premium": "What a graduate degree adds over a bachelor's (with the selection caveat)",
    "cost": "What the degree costs (tuition, forgone earnings, loan interest), by control of institution",
    "payback": "How long the gain takes to repay the cost, and the NPV",
    "loan_risk": "Debt against earnings (College Scorecard)",
    "flexible_options": "Online and in-person options",
    "part_time_options": "Part-time options",
    "alternatives": "Bootcamps, certificates and self-study, as far as the data covers them",
}

register_vocabularies([
    Vocabulary("answer_section", "Section of the answers page, in page order", ANSWER_SECTIONS),
    Vocabulary("answer_unit", "Unit of a statement's value", {
        "usd": "US dollars (constant dollars of the statement's dollar year unless the statement says otherwise)",
        "ratio": "A ratio (e.g. graduate / bachelor's earnings)",
        "years": "Years",
        "share": "Share between 0 and 1",
        "count": "Number of programs or people",
    }),
    Vocabulary("premium_comparison", "What a field-level premium compares", {
        "masters_vs_bachelors": "Median earnings of master's holders vs bachelor's holders of the field (NSF NCSES)",
        "doctoral_vs_bachelors": "Median earnings of doctorate holders vs bachelor's holders of the field (NSF NCSES)",
        "graduate_vs_no_graduate_degree": "Median earnings of people with the undergraduate major and a graduate degree vs without one (FiveThirtyEight, ACS)",
    }),
    Vocabulary("override_status", "Whether a curated per-program cost row was used", {
        "applied": "Valid and used in out_roi__public_program_costs",
        "rejected": "Not used: override_problem names the column, value and rule",
    }),
])

F = Field
register_fields([
    F("cip_family", "string", "Configured field of study the program belongs to: the CIP prefix of [public_programs] "
      "program_cip_prefixes ('11', '27.05', '30.08', '30.70').", pattern=r"^\d{2}(\.\d{2})?$"),
    F("bachelor_program_id", "string", "The bachelor's program of the same institution and CIP code (a real public program)."),
    F("graduate_median_earnings_usd", "number", "Median annual earnings of the graduate-degree holders (program or field), "
      "in constant_dollar_year dollars (as published where constant_dollar_year is null).", unit="USD", min=0),
    F("bachelor_median_earnings_usd", "number", "Median annual earnings of the bachelor's program of the same institution, CIP, "
      "source, horizon and cohort, in constant_dollar_year dollars.", unit="USD", min=0),
    F("comparison_median_earnings_usd", "number", "Median annual earnings of the comparison group (bachelor's holders, or people "
      "without a graduate degree), same dollars as graduate_median_earnings_usd.", unit="USD", min=0),
    F("premium_usd", "number", "Graduate median earnings minus the comparison median (same source, same horizon).", unit="USD"),
    F("premium_ratio", "number", "Graduate median earnings / comparison median (1.25 = 25% more).", unit="ratio", min=0),
    F("graduate_count", "integer", "Graduates with earnings behind the graduate median, as published.", min=0),
    F("bachelor_count", "integer", "Graduates with earnings behind the bachelor's median, as published.", min=0),
    F("selection_caveat", "string", "Why the premium is not the effect of the degree (selection into graduate study)."),
    F("not_computed_reason", "string", "Why a figure of the row is null (e.g. 'no earnings published', a publisher's suppression "
      "with its rule); null when every figure is computed."),
    F("comparison", "string", "What the premium compares.", vocabulary="premium_comparison"),
    F("measure_year", "integer", "Year the earnings were measured (survey year; the last pooled year for ACS 2010-2012).", min=1990, max=2100),
    F("field_name", "string", "Field of study or undergraduate major as the publisher labels it."),
    F("source_name", "string", "Publisher, dataset and table the figure comes from."),
    F("source_table", "string", "Publisher's table or file id (e.g. NCSES table 10995, grad-students.csv)."),
    F("tuition_per_year_usd", "number", "Tuition and required fees per year of study, in constant_dollar_year dollars.", unit="USD", min=0),
    F("tuition_basis", "string", "Where the tuition comes from: 'assumed: <source>' (average by control of institution) or "
      "'curated override'."),
    F("study_years", "number", "Years of full-time study assumed (typical length per credential, [public_roi] study_years) or curated.", unit="years", min=0),
    F("tuition_total_usd", "number", "Tuition counted over the whole study: tuition_per_year_usd x study_years (0 where the "
      "pathway's tuition is waived, [roi.pathway_funding]).", unit="USD", min=0),
    F("earnings_usd", "number", "The program's published median earnings used as earnings with the degree, in constant dollars.", unit="USD", min=0),
    F("earnings_horizon_years", "integer", "Years after graduation at which earnings_usd is measured.", unit="years", min=0, max=40),
    F("earnings_source", "string", "data_origin of earnings_usd (and of a same-institution counterfactual): one source per row."),
    F("counterfactual_earnings_usd", "number", "Earnings without the degree, in constant dollars: the same institution's bachelor's "
      "median in the same CIP, source, horizon and cohort, else the field-level bachelor's median (counterfactual_basis).", unit="USD", min=0),
    F("counterfactual_basis", "string", "Where counterfactual_earnings_usd comes from: 'same institution bachelor's' or "
      "'field level: <source>'; null when there is none."),
    F("payment_to_income_share", "number", "College Scorecard median monthly loan payment / (median earnings / 12), both as published "
      "by College Scorecard for the same cohort.", unit="ratio", min=0),
    F("assumptions_note", "string", "Every assumption behind the row's figures, in words (tuition, length, full-time study, loan, "
      "earnings horizon, counterfactual)."),
    F("tuition_fees_usd_per_year", "number", "Tuition and required fees per year of study, in the dollars of dollar_year.", unit="USD", min=0),
    F("academic_year", "string", "Academic year of the figure (e.g. 2020-21).", pattern=r"^\d{4}-\d{2}$"),
    F("override_status", "string", "Whether the curated row was used.", vocabulary="override_status"),
    F("override_problem", "string", "Why a curated row was rejected: file, row, column, value and rule."),
    F("override_source", "string", "Where the curated tuition and length come from (document, page, date)."),
    F("n_programs", "integer", "Number of real programs behind the figure.", min=0),
    F("n_graduates", "integer", "Graduates behind the figure (sum of the publishers' counts), where published.", min=0),
    F("p25_usd", "number", "25th percentile across programs (quantile_cont).", unit="USD"),
    F("median_usd", "number", "Median across programs (quantile_cont).", unit="USD"),
    F("p75_usd", "number", "75th percentile across programs (quantile_cont).", unit="USD"),
    F("section", "string", "Section of the answers page.", vocabulary="answer_section"),
    F("statement_id", "string", "Stable identifier of the statement inside its section.", pattern=r"^[a-z0-9_.]+$"),
    F("ordinal", "integer", "Order of the statement inside its section (1 first).", min=1),
    F("field_scope", "string", "The field of study the statement is about (e.g. 'CIP 11 computer and information sciences')."),
    F("statement", "string", "The statement, a plain-language sentence with its numbers."),
    F("value_low", "number", "Lower end of the statement's range (p25 across programs, or the low estimate)."),
    F("value_high", "number", "Upper end of the statement's range (p75 across programs, or the high estimate)."),
    F("unit", "string", "Unit of value, value_low and value_high.", vocabulary="answer_unit"),
    F("source_date", "string", "When the source's figures were measured or published (survey year, cohort and measurement period)."),
    F("not_in_data", "boolean", "True when the data cannot answer the question: the statement says so and value is null."),
    F("caveat", "string", "What a reader must know before citing the statement (selection, self-reported survey, assumption)."),
])

TABLES = [
    Table(
        "core_reference__graduate_tuition",
        "Code table: average graduate tuition and required fees per year by control of institution (NCES Digest of "
        "Education Statistics Table 330.50, transcribed; data/raw/reference/graduate_tuition_by_control.csv), with the "
        "figure in constant dollars. The default tuition of real graduate programs (their own tuition is not published).",
        fields=("institution_control", "academic_year", "tuition_fees_usd_per_year", "dollar_year", "constant_dollar_year",
                "tuition_per_year_usd", "source_table", "source_file"),
        primary_key=("institution_control", "academic_year"),
        required=("tuition_fees_usd_per_year", "dollar_year", "source_table"),
        warnings=("experimental",),
        grain="One row per control of institution x academic year.",
    ),
    Table(
        "core_public__program_cost_overrides",
        "Every row of the curated per-program cost file (data/raw/overrides/public_program_costs.csv): a real program's "
        "own tuition and length, applied or rejected with the rule it broke (rows read = applied + rejected).",
        fields=("program_id", "tuition_fees_usd_per_year", "dollar_year", "study_years", "override_source",
                "override_status", "override_problem", "source_file", "source_row_number"),
        primary_key=("source_file", "source_row_number"),
        required=("override_status",),
        grain="One row per data row of the override file.",
    ),
    Table(
        "out_public__program_premium",
        "The master's (or doctoral) premium of real programs: the graduate program's median earnings minus those of the "
        "bachelor's program of the same institution and CIP code, from the same source at the same horizon and cohort "
        "(never across sources), and their ratio, in constant dollars, with the selection caveat on every row. A figure "
        "the publisher withheld stays null with its reason.",
        fields=("program_id", "bachelor_program_id", "data_origin", "years_after_graduation", "grad_cohort", "credential_level",
                "cip_family", "cip_code", "institution_name", "institution_control", "dollar_year", "constant_dollar_year",
                "graduate_median_earnings_usd", "bachelor_median_earnings_usd", "premium_usd", "premium_ratio",
                "graduate_count", "bachelor_count", "selection_caveat", "not_computed_reason"),
        primary_key=("program_id", "data_origin", "years_after_graduation"),
        required=("bachelor_program_id", "grad_cohort", "credential_level", "cip_family", "selection_caveat"),
        warnings=("suppressed_values", "incomplete_coverage", "experimental"),
        grain="One row per real graduate program x source x years after graduation where the same institution's bachelor's "
              "program in the same CIP is published by the same source.",
    ),
    Table(
        "out_public__field_premium",
        "Field-level graduate premiums: NSF NCSES median earnings of master's (and doctorate) holders vs bachelor's holders by "
        "broad field (NSCG), and FiveThirtyEight's graduate vs non-graduate earnings by undergraduate major (ACS 2010-2012), "
        "for the fields in scope, with the selection caveat on every row.",
        fields=("data_origin", "field_code", "comparison", "measure_year", "field_name", "cip_family", "source_table",
                "graduate_median_earnings_usd", "comparison_median_earnings_usd", "premium_usd", "premium_ratio",
                "dollar_year", "constant_dollar_year", "source_name", "selection_caveat"),
        primary_key=("data_origin", "field_code", "comparison", "measure_year"),
        required=("field_name", "cip_family", "source_name", "selection_caveat"),
        warnings=("experimental",),
        grain="One row per source x field x comparison x measurement year.",
    ),
    Table(
        "out_roi__public_program_costs",
        "Cost and return of real graduate programs in the configured fields: assumed (or curated) tuition and length, "
        "forgone earnings and loan interest, the program's published earnings against the counterfactual (same "
        "institution's bachelor's where published, else the field level), payback, NPV at 10 and 20 years, and College "
        "Scorecard's debt-to-earnings and payment-to-income. Every row names its assumptions.",
        fields=("program_id", "credential_level", "cip_family", "cip_code", "institution_name", "institution_control",
                "state_code", "tuition_per_year_usd", "tuition_basis", "study_years", "tuition_total_usd",
                "forgone_earnings_usd", "loan_interest_usd", "total_cost_usd", "earnings_usd", "earnings_horizon_years",
                "earnings_source", "grad_cohort", "counterfactual_earnings_usd", "counterfactual_basis", "annual_gain_usd",
                "payback_years", "payback_years_p25_salary", "payback_years_p75_salary", "npv_10y_usd", "npv_20y_usd", "debt_median_usd", "debt_to_earnings_ratio",
                "monthly_loan_payment_usd", "payment_to_income_share", "constant_dollar_year", "discount_rate", "loan_rate",
                "assumptions_note", "not_computed_reason"),
        primary_key=("program_id",),
        required=("credential_level", "cip_family", "tuition_basis", "study_years", "assumptions_note"),
        warnings=("incomplete_coverage", "experimental"),
        grain="One row per real graduate program (master's, doctoral, graduate certificate, first professional) in the "
              "configured fields.",
    ),
    Table(
        "out_answers__peer_earnings",
        "Peer outcomes: the distribution across real programs of their published median earnings, by configured field x "
        "credential level x source x years after graduation (p25, median, p75 across programs, constant dollars).",
        fields=("cip_family", "credential_level", "data_origin", "years_after_graduation", "n_programs", "n_graduates",
                "p25_usd", "median_usd", "p75_usd", "constant_dollar_year"),
        primary_key=("cip_family", "credential_level", "data_origin", "years_after_graduation"),
        required=("n_programs",),
        warnings=("incomplete_coverage",),
        grain="One row per configured field x credential level x source x years after graduation.",
    ),
    Table(
        "out_answers__statements",
        "The answer to 'is a graduate degree in this field worth it?', from real data only: one plain-language statement "
        "per row with its number, range, unit, number of programs and graduates, source and date, in page order (peer "
        "outcomes, premium, cost, payback, loan risk, flexible options, part-time options, alternatives). A question the "
        "data cannot answer is a statement with not_in_data = true.",
        fields=("section", "statement_id", "ordinal", "field_scope", "credential_level", "statement", "value", "value_low",
                "value_high", "unit", "n_programs", "n_graduates", "source_name", "source_date", "data_origin",
                "not_in_data", "caveat"),
        primary_key=("section", "statement_id"),
        required=("ordinal", "field_scope", "statement", "source_name", "data_origin", "not_in_data"),
        warnings=("self_reported", "experimental"),
        grain="One row per section x statement.",
    ),
]

register_tables(TABLES)
