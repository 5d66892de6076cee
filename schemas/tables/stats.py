"""Statistics, benchmark and return-on-investment out tables.

Owns the fields and tables the statistics builder (``flows/stats/build.py``) writes:
placement and salary, one pair of tables per grain (program, program x year, program x cohort,
pathway x modality x pacing, role, prior background), benchmarks against BLS OEWS and public
program earnings, and per-program costs and ROI. Definitions: docs/METHODOLOGY.md.
"""

from __future__ import annotations

from schemas.model import Field, Table, register_fields, register_tables
from schemas.vocab import CIRR_CATEGORIES, NACE_CATEGORIES, OUTCOME_STATUSES

#: Grains of the placement and salary tables: grain -> (dimension columns = primary key, sibling-group
#: columns for complementary suppression). Where the sibling-group columns are the dimensions of another
#: grain (program -> program_year -> program_cohort), a suppressed parent suppresses its children.
#: Each grain has its own placement and salary table, ``placement_table(grain)`` / ``salary_table(grain)``.
GROUPINGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "program": (("program_id",), ()),
    "program_year": (("program_id", "graduation_year"), ("program_id",)),
    "program_cohort": (("program_id", "graduation_year", "cohort"), ("program_id", "graduation_year")),
    "pathway_modality_pacing": (("data_origin_class", "pathway", "modality", "pacing"), ("data_origin_class", "pathway")),
    "role": (("data_origin_class", "role_category"), ("data_origin_class",)),
    "prior_background": (("data_origin_class", "prior_degree", "prior_field"), ("data_origin_class", "prior_degree")),
}
#: Grains whose cells pool several programs: their first dimension is the evidence class (no row mixes classes).
CROSS_PROGRAM = ("pathway_modality_pacing", "role", "prior_background")
DIMENSIONS = ("data_origin_class", "program_id", "cohort", "graduation_year", "pathway", "modality", "pacing",
              "role_category", "prior_degree", "prior_field")
#: Code of an unknown dimension value in an out table (dimension columns are never null there).
UNKNOWN = "unknown"


def placement_table(grain: str) -> str:
    return f"out_outcomes__{grain}_placement"


def salary_table(grain: str) -> str:
    return f"out_outcomes__{grain}_salary"


GRAIN_TEXT = {
    "program": "program (all graduation years)",
    "program_year": "program x graduation year",
    "program_cohort": "program x CIRR half-year cohort",
    "pathway_modality_pacing": "evidence class x pathway x modality x pacing",
    "role": "evidence class x role category of the job obtained (graduates with a role only)",
    "prior_background": "evidence class x prior degree x prior field",
}



def cirr_col(code: str) -> str:
    return f"cirr_{code.lower()}_count"


def nace_col(code: str) -> str:
    return f"nace_{code}_count"


def category_statuses(standard: str, code: str) -> frozenset[str]:
    """The outcome statuses a CIRR or NACE category holds (schemas/vocab.py crosswalk)."""
    i = {"cirr": 1, "nace": 2}[standard]
    return frozenset(s for s, v in OUTCOME_STATUSES.items() if v[i] == code)


#: NACE categories that hold exactly the statuses of one CIRR category: the same number by definition,
#: published once, under the CIRR name (e.g. NACE no_information = CIRR 4).
NACE_SAME_AS_CIRR = {n: c for n in NACE_CATEGORIES for c in CIRR_CATEGORIES
                     if category_statuses("nace", n) == category_statuses("cirr", c)}
PUBLISHED_NACE = tuple(n for n in NACE_CATEGORIES if n not in NACE_SAME_AS_CIRR)


#: Rates published with numerator, denominator and Wilson bounds: name -> (numerator, denominator, description)
RATES = {
    "knowledge": ("graduates_known_outcome", "graduates", "NACE knowledge rate"),
    "employed_in_field": ("employed_in_field_count", "cirr_denominator", "CIRR employed-in-field rate at collection"),
    "employed_in_field_90d": ("employed_in_field_90d_count", "employed_in_field_90d_denominator", "CIRR employed-in-field rate 90 days after graduation (censored records left out)"),
    "employed_in_field_180d": ("employed_in_field_180d_count", "employed_in_field_180d_denominator", "CIRR employed-in-field rate 180 days after graduation (censored records left out)"),
    "career_outcomes": ("career_outcomes_count", "career_outcomes_denominator", "NACE career outcomes rate"),
    "continuing_education": (nace_col("continuing_education"), "graduates_known_outcome", "Continuing-education rate"),
}

F = Field
_fields = [
    F("data_origin_class", "string", "Evidence class of the rows' data origin (audited report, public records, curated "
      "documented, self-reported survey, synthetic): a cross-program figure is computed within one class, never "
      "over a mix (mapping in schemas/vocab.py ORIGIN_CLASS_OF; [reports] synthetic_data_origins are 'synthetic').",
      vocabulary="data_origin_class"),
    F("window_rates_note", "string", "Why the 90- and 180-day rates (and their bounds) are null in a published cell: "
      "'not measured: no job start date' when more than [stats] unknown_start_max_share (default 50%) of the "
      "cell's in-field graduates have no job start date (employed_in_field_rate, at collection, is published). "
      "The window counts then are lower bounds. Null when the window rates are measured."),
    F("is_low_coverage", "boolean", "NACE: the cell's knowledge rate is under 65% (configurable); read its figures with care."),
    F("rate_method", "string", "How the cell's rates were measured, by its evidence class (schemas/vocab.py RATE_METHODS): "
      "e.g. 'CIRR report published by the school' or 'Self-reported survey answers mapped to CIRR categories (not a "
      "CIRR report)'. A rate's label uses this, never 'CIRR' alone for a survey."),
    F("interval_note", "string", "What the cell's Wilson intervals cover and do not cover (sampling error only; for a "
      "self-selected survey, not who chose to answer)."),
    F("career_outcomes_rate_is_lower_bound", "boolean", "True when some of the cell's records come from a source that "
      "cannot show a job outside the field (schemas/vocab.py NO_OUT_OF_FIELD_JOBS, e.g. the freeCodeCamp 2016 survey): "
      "the NACE career-outcomes rate then counts in-field work only and is a lower bound."),
    F("self_reported_share", "number", "Share of the cell's records whose evidence is only the graduate's own statement (verification_level self_reported).", unit="ratio", min=0, max=1),
    F("cirr_denominator", "integer", "CIRR denominator: graduates minus excluded.", min=0),
    F("employed_in_field_90d_count", "integer", "In-field graduates (CIRR 1A-1E) whose job started within 90 days after graduation (see METHODOLOGY for unknown start dates).", min=0),
    F("employed_in_field_180d_count", "integer", "In-field graduates (CIRR 1A-1E) whose job started within 180 days after graduation.", min=0),
    F("employed_in_field_90d_denominator", "integer", "Denominator of the 90-day rate: the CIRR denominator less the censored records (not in field when collected, and collected before day 90: their day-90 status is not known).", min=0),
    F("employed_in_field_180d_denominator", "integer", "Denominator of the 180-day rate: the CIRR denominator less the censored records (not in field when collected, and collected before day 180: their day-180 status is not known).", min=0),
    F("career_outcomes_count", "integer", "NACE: employed (full-time, part-time, self-employed, internship/fellowship) + volunteer + military + continuing education.", min=0),
    F("career_outcomes_denominator", "integer", "NACE: graduates with a known outcome minus those not seeking.", min=0),
    F("days_to_job_start_count", "integer", "In-field graduates with a known job start date (n of the median days to job start).", min=0),
    F("median_days_to_job_start", "number", "Median days from graduation to job start over in-field graduates with a known start date.", unit="days"),
    F("career_outcomes_rate", "number", "NACE career outcomes rate: career_outcomes_count / career_outcomes_denominator.", unit="ratio", min=0, max=1),
    F("continuing_education_rate", "number", "Continuing-education rate: nace_continuing_education_count / graduates_known_outcome.", unit="ratio", min=0, max=1),
    # salary
    F("salary_reported_share", "number", "Share of in-field graduates who reported a base salary (CIRR shows it beside the median).", unit="ratio", min=0, max=1),
    F("salary_p25_usd", "number", "25th percentile of base salary (quantile_cont) over in-field graduates who reported one.", unit="USD"),
    F("salary_p75_usd", "number", "75th percentile of base salary (quantile_cont) over in-field graduates who reported one.", unit="USD"),
    F("salary_mean_usd", "number", "Mean base salary over in-field graduates who reported one.", unit="USD"),
    F("median_salary_ci_lower_usd", "number", "Lower bound of the distribution-free interval of the median salary at the configured confidence ([stats] confidence, default 95%; null when n is too small to reach it, n <= 5 at 95%).", unit="USD"),
    F("median_salary_ci_upper_usd", "number", "Upper bound of the distribution-free interval of the median salary at the configured confidence ([stats] confidence, default 95%; null when n is too small to reach it, n <= 5 at 95%).", unit="USD"),
    F("salary_uplift_count", "integer", "In-field graduates who reported both a base salary and a prior salary.", min=0),
    F("median_salary_uplift_usd", "number", "Median over graduates of (base salary - prior salary), both in USD.", unit="USD"),
    F("median_salary_uplift_ratio", "number", "Median over graduates of base salary / prior salary (graduates with prior salary > 0).", unit="ratio", min=0),
    # benchmarks
    F("bls_reference_year", "integer", "OEWS reference year used (the latest with a released national median for the SOC code).", min=1990, max=2100),
    F("bls_national_median_usd", "number", "BLS OEWS national annual median wage of the SOC code.", unit="USD", min=0),
    F("bls_state_median_usd", "number", "BLS OEWS annual median wage of the SOC code in the program's state (same year), where known.", unit="USD", min=0),
    F("ratio_to_bls_national", "number", "Program's median base salary in the role / BLS national median.", unit="ratio", min=0),
    F("ratio_to_bls_state", "number", "Program's median base salary in the role / BLS state median.", unit="ratio", min=0),
    F("ratio_to_public_median", "number", "Program's median base salary (all years) / the public earnings median of the matched row.", unit="ratio", min=0),
    # cost and ROI
    F("living_relocation_usd", "number", "Relocation and extra living costs of in-person/hybrid full-time study.", unit="USD", min=0),
    F("forgone_earnings_usd", "number", "Counterfactual earnings given up while studying (by pacing).", unit="USD", min=0),
    F("financed_usd", "number", "Amount borrowed: financed share of tuition and fees.", unit="USD", min=0),
    F("loan_interest_usd", "number", "Interest paid over the loan term on the financed amount (monthly amortisation).", unit="USD", min=0),
    F("monthly_loan_payment_usd", "number", "Level monthly payment of the loan: P·r/(1-(1+r)^-n) (out_roi__public_program_costs: "
      "College Scorecard's published median monthly payment on the median debt, 10-year standard plan).", unit="USD", min=0),
    F("total_cost_usd", "number", "Tuition and fees + living and relocation + forgone earnings + loan interest.", unit="USD", min=0),
    F("counterfactual_salary_usd", "number", "Earnings without the program: median of graduates' own prior salaries where known, else the baseline of their prior degree.", unit="USD", min=0),
    F("prior_salary_known_share", "number", "Share of the graduates whose counterfactual is their own prior salary (the rest use the baseline).", unit="ratio", min=0, max=1),
    F("expected_salary_usd", "number", "Expected first-year earnings: P(in field by 180 days) x median in-field salary + (1 - P) x counterfactual.", unit="USD", min=0),
    F("annual_gain_usd", "number", "Annual earnings gain: expected_salary_usd - counterfactual_salary_usd "
      "(out_roi__public_program_costs: earnings_usd - counterfactual_earnings_usd).", unit="USD"),
    F("payback_years", "number", "Years after graduation for the gain to repay total_cost_usd (undiscounted); null when the gain is not positive.", unit="years", min=0),
    F("payback_years_p25_salary", "number", "payback_years with the 25th percentile in-field salary in place of the median (the slow end of the payback range; "
      "out_roi__public_program_costs: the 25th percentile earnings of the same source, horizon and cohort as earnings_usd); "
      "null when that gain is not positive or the percentile is not published.", unit="years", min=0),
    F("payback_years_p75_salary", "number", "payback_years with the 75th percentile in-field salary in place of the median (the fast end of the payback range; "
      "out_roi__public_program_costs: the 75th percentile earnings of the same source, horizon and cohort as earnings_usd); "
      "null when that gain is not positive or the percentile is not published.", unit="years", min=0),
    F("npv_10y_usd", "number", "Net present value of gains minus costs over 10 years from the start of study, at the real discount rate.", unit="USD"),
    F("npv_20y_usd", "number", "Net present value over 20 years from the start of study.", unit="USD"),
    F("debt_to_earnings_ratio", "number", "Financed amount / median in-field first-year base salary (out_roi__public_program_costs: "
      "College Scorecard median debt / College Scorecard median earnings of the same cohort, as published).", unit="ratio", min=0),
    F("loan_payment_salary_share", "number", "Monthly loan payment / (median in-field base salary / 12).", unit="ratio", min=0),
    F("discount_rate", "number", "Real discount rate used for NPV.", unit="ratio", min=0, max=1),
    F("loan_rate", "number", "Annual loan interest rate used; null when the program's country has no configured rate (see loan_rate_note).", unit="ratio", min=0, max=1),
    F("loan_rate_note", "string", "Why no loan rate is used (country unknown or without a [roi.countries] rate): the loan fields are then null and no interest is counted in total_cost_usd, payback and NPV. Null when a rate is used."),
    F("stipend_usd", "number", "Stipend paid over the whole study where the pathway is funded ([roi.pathway_funding], e.g. a PhD), netted out of forgone_earnings_usd.", unit="USD", min=0),
    F("tuition_waived", "boolean", "The pathway's tuition is waived ([roi.pathway_funding]): tuition_fees_usd is listed but not counted in total_cost_usd or the loan."),
    F("salary_outliers_count", "integer", "The program's records whose base or prior salary in USD is above the plausibility bound ([salary_plausibility]): kept, but left out of every salary figure.", min=0),
    F("benchmark_note", "string", "Why the BLS OEWS (US) wage columns are null: the program is outside the US (or its country is unknown) and its country is not configured with bls_benchmark. Null when the benchmark applies."),
]
for code in CIRR_CATEGORIES:
    _fields.append(F(cirr_col(code), "integer", f"Graduates in CIRR category {code} ({CIRR_CATEGORIES[code]}).", min=0))
for code in PUBLISHED_NACE:
    desc = NACE_CATEGORIES[code]
    _fields.append(F(nace_col(code), "integer", f"Graduates in NACE category {code} ({desc}).", min=0))
for name, (num, den, desc) in RATES.items():
    _fields.append(F(f"{name}_rate_lower", "number", f"Lower bound of the Wilson interval of the {desc} at the configured confidence ([stats] confidence, default 95%).", unit="ratio", min=0, max=1))
    _fields.append(F(f"{name}_rate_upper", "number", f"Upper bound of the Wilson interval of the {desc} at the configured confidence ([stats] confidence, default 95%).", unit="ratio", min=0, max=1))
register_fields(_fields)

FLAGS = ("is_suppressed", "suppression_reason", "is_low_coverage", "self_reported_share")
#: Labels of a placement cell's measurement: published with the row, suppressed or not.
METHOD_LABELS = ("rate_method", "interval_note", "career_outcomes_rate_is_lower_bound")
PLACEMENT_VALUES = (
    ("graduates", "graduates_known_outcome", "cirr_denominator")
    + tuple(cirr_col(c) for c in CIRR_CATEGORIES) + tuple(nace_col(c) for c in PUBLISHED_NACE)
    + ("employed_in_field_count", "employed_in_field_90d_count", "employed_in_field_180d_count",
       "employed_in_field_90d_denominator", "employed_in_field_180d_denominator",
       "career_outcomes_count", "career_outcomes_denominator")
    + tuple(f for name in RATES for f in (f"{name}_rate", f"{name}_rate_lower", f"{name}_rate_upper"))
    + ("days_to_job_start_count", "median_days_to_job_start", "window_rates_note")
)
#: The salary tables repeat no placement count (graduates and in-field counts are in placement).
SALARY_VALUES = (
    "salary_reported_count", "salary_reported_share",
    "salary_p25_usd", "median_base_salary_usd", "salary_p75_usd", "salary_mean_usd",
    "median_salary_ci_lower_usd", "median_salary_ci_upper_usd", "salary_uplift_count",
    "median_salary_uplift_usd", "median_salary_uplift_ratio",
)
_WARN = ("suppressed_values", "low_coverage", "self_reported", "synthetic")

TABLES = []
for _grain, (_dims, _) in GROUPINGS.items():
    TABLES.append(Table(
        placement_table(_grain),
        f"Placement per {GRAIN_TEXT[_grain]}: counts per CIRR category and per NACE category (NACE categories that "
        "equal a CIRR category are published once, under CIRR), CIRR employed-in-field rates at collection, 90 and "
        "180 days, NACE knowledge and career outcomes rates, continuing-education rate, each with numerator, "
        "denominator and Wilson bounds at the configured confidence; median days to job start.",
        fields=_dims + PLACEMENT_VALUES + FLAGS + METHOD_LABELS,
        primary_key=_dims,
        required=("is_suppressed", "is_low_coverage", "rate_method", "career_outcomes_rate_is_lower_bound"),
        warnings=_WARN,
        grain=f"One row per {GRAIN_TEXT[_grain]}; an unknown dimension value is the code 'unknown'.",
    ))
    TABLES.append(Table(
        salary_table(_grain),
        f"Base salary (USD) of in-field graduates per {GRAIN_TEXT[_grain]}: n, share of in-field graduates reporting, "
        "p25/median/p75/mean, order-statistic interval of the median at the configured confidence, uplift over prior salary.",
        fields=_dims + SALARY_VALUES + FLAGS,
        primary_key=_dims,
        required=("is_suppressed", "is_low_coverage"),
        warnings=_WARN,
        grain=f"One row per {GRAIN_TEXT[_grain]}; an unknown dimension value is the code 'unknown'.",
    ))
TABLES += [
    Table(
        "out_benchmarks__program_role_wages",
        "Each program's median in-field base salary per role category beside the BLS OEWS annual median of the "
        "role's SOC occupations (national, and the program's state where known), with their ratios.",
        fields=("program_id", "role_category", "soc_code", "soc_title", "state_code", "country_code",
                "salary_reported_count", "median_base_salary_usd", "bls_reference_year", "bls_national_median_usd",
                "bls_state_median_usd", "ratio_to_bls_national", "ratio_to_bls_state", "benchmark_note",
                "is_suppressed", "suppression_reason"),
        primary_key=("program_id", "role_category", "soc_code"),
        required=("is_suppressed",),
        warnings=("suppressed_values", "synthetic"),
        grain="One row per program x role category x SOC code of the crosswalk.",
    ),
    Table(
        "out_benchmarks__program_public_earnings",
        "Programs with a public match (core_links__program_public_ids): their record-level statistics (graduates, "
        "employed-in-field rate at 180 days, median base salary) beside the matched College Scorecard / PSEO "
        "earnings, and the ratio of the two medians.",
        fields=("program_id", "graduates", "employed_in_field_180d_rate", "salary_reported_count",
                "median_base_salary_usd", "data_origin", "institution_id", "cip_code", "credential_level",
                "credential_level_code", "grad_cohort", "years_after_graduation", "earnings_p25_usd",
                "earnings_median_usd", "earnings_p75_usd", "earnings_count", "value_status",
                "ratio_to_public_median", "is_suppressed", "suppression_reason", "is_low_coverage"),
        primary_key=("program_id", "data_origin", "institution_id", "cip_code", "credential_level_code",
                     "grad_cohort", "years_after_graduation"),
        required=("is_suppressed", "credential_level", "value_status"),
        warnings=("suppressed_values", "incomplete_coverage", "synthetic"),
        grain="One row per program x matched public earnings row.",
    ),
    Table(
        "out_roi__program_costs",
        "Per program: cost components, counterfactual and expected earnings, payback, NPV at 10 and 20 years, "
        "debt-to-earnings and loan-payment share (FREOPP / Georgetown CEW method; assumptions in flows/assumptions.toml).",
        fields=("program_id", "pathway", "modality", "pacing", "duration_months", "country_code", "graduates",
                "salary_reported_count", "median_base_salary_usd", "employed_in_field_180d_rate",
                "salary_outliers_count", "tuition_fees_usd", "tuition_waived", "living_relocation_usd",
                "stipend_usd", "forgone_earnings_usd", "financed_usd",
                "loan_interest_usd", "monthly_loan_payment_usd", "total_cost_usd", "counterfactual_salary_usd",
                "prior_salary_known_share", "expected_salary_usd", "annual_gain_usd", "payback_years",
                "payback_years_p25_salary", "payback_years_p75_salary", "npv_10y_usd", "npv_20y_usd", "debt_to_earnings_ratio", "loan_payment_salary_share",
                "discount_rate", "loan_rate", "loan_rate_note", "is_suppressed", "suppression_reason",
                "is_low_coverage"),
        primary_key=("program_id",),
        required=("is_suppressed", "is_low_coverage"),
        warnings=("suppressed_values", "low_coverage", "experimental", "synthetic"),
        grain="One row per program.",
    ),
]

register_tables(TABLES)
