"""Public programs: every institution x CIP x credential cell of a program-level public source.

Owns the tables that make the cells of College Scorecard (field of study), Census PSEO and
Colorado's ROI 2019 study programs in their own right, with their own outcomes:

- ``core_public__program_cells``: one row per source x publisher cell (what the source says the
  program is: its institution identifiers, name, CIP, credential). Each connector fills its rows.
- ``core_public__program_outcomes``: one row per source cell x measure x horizon x cohort, in
  the publisher's dollars and in one constant dollar year (CPI-U). Each connector fills its rows;
  the core build resolves ``program_id`` through the institution crosswalk and fills the
  constant-dollar columns from ``core_reference__cpi_u_annual``.
- ``core_public__programs``: one row per public program (several sources seeing the same real
  program give one row); the same programs are also rows of ``core_programs__programs`` with
  data_origin ``public_records``.
- ``core_public__program_cip_links``: a PSEO 2-digit CIP program linked to the 4-digit programs
  of the same institution and credential level (never merged).
- ``core_links__institution_crosswalk``: curated crosswalk from PSEO / Colorado institution codes
  to IPEDS UNITID and OPEID6, with its match method.
- ``core_reference__cpi_u_annual``: BLS CPI-U annual averages (series CUUR0000SA0).
"""

from __future__ import annotations

from schemas.model import Field, Table, Vocabulary, register_fields, register_tables, register_vocabularies

register_vocabularies([
    Vocabulary("public_measure", "What a public program outcome row measures", {
        "earnings_p25": "25th percentile of annual earnings of completers with earnings",
        "earnings_median": "Median annual earnings of completers with earnings",
        "earnings_p75": "75th percentile of annual earnings of completers with earnings",
        "debt_median": "Median federal loan debt at completion (Stafford and Grad PLUS)",
        "debt_monthly_payment": "Median estimated monthly payment on that debt (10-year standard plan)",
        "completers": "Completers in the cohort (IPEDS awards for PSEO; in-state completers for Colorado)",
        "wage_record_share": "Share of the cohort's completers with wage records (coverage)",
    }),
    Vocabulary("value_unit", "Unit of a public program outcome value", {
        "usd_per_year": "US dollars a year",
        "usd": "US dollars",
        "usd_per_month": "US dollars a month",
        "count": "People",
        "ratio": "Share between 0 and 1",
    }),
    Vocabulary("crosswalk_source", "Publisher whose institution code a crosswalk row translates", {
        "census_pseo": "Census PSEO institution code (OPEID + 2-digit branch)",
        "colorado_roi": "Colorado Department of Higher Education SURDS institution code",
    }),
    Vocabulary("match_method", "How a crosswalk row was matched to IPEDS", {
        "opeid8_exact": "PSEO code equals the 8-digit OPEID of exactly one Scorecard institution",
        "name_state_exact": "Normalised name and state equal those of exactly one Scorecard institution",
        "name_state_reviewed": "Names differ (renamed, abbreviated, system campus): matched by a reviewer, see review_note",
        "unmatched": "No IPEDS institution found: the source's own code identifies its programs",
    }),
])

F = Field
register_fields([
    F("cip_title", "string", "Title of the CIP code as the publisher gives it."),
    F("institution_control", "string", "Control of the institution as published (Scorecard CONTROL: Public; Private, nonprofit; Private, for-profit; Foreign)."),
    F("colorado_entity_id", "string", "Colorado SURDS institution code (Colorado Department of Higher Education), 4 digits.", pattern=r"^\d{4}$"),
    F("measure", "string", "What the row measures.", vocabulary="public_measure"),
    F("value_unit", "string", "Unit of value.", vocabulary="value_unit"),
    F("value", "number", "The row's figure. Public program outcomes: the published figure in the publisher's dollars (or count / share), "
      "never negative (row rule value_not_negative); null when withheld, never zero for a withheld figure. Answers statements: "
      "the statement's number in its unit (a premium or an NPV may be negative)."),
    F("value_count", "integer", "People behind the figure as published (graduates with earnings, borrowers, completers with wage records).", min=0),
    F("cohort_first_year", "integer", "First completion year pooled in the cohort (academic year 2014-15 counts as 2015).", min=1990, max=2100),
    F("cohort_last_year", "integer", "Last completion year pooled in the cohort.", min=1990, max=2100),
    F("measurement_period", "string", "When the earnings were measured, as the publisher says (e.g. 'CY2016, CY2017'; Colorado 'quarters 3-6 after completion')."),
    F("dollar_year_basis", "string", "Where dollar_year comes from (publisher's documentation, or an assumption stated here)."),
    F("constant_dollar_year", "integer", "The one dollar year every USD value is also shown in (flows/sources/sources.toml).", min=1990, max=2100),
    F("value_constant_dollars", "number", "value converted to constant_dollar_year dollars with CPI-U annual averages: value x CPI(constant year) / CPI(dollar_year).", unit="USD", min=0),
    F("cohorts_differ_across_horizons", "boolean", "True when this source's figures at different horizons for the same program describe different completion cohorts: a 1 -> 5 -> 10 year trajectory built from them mixes cohorts."),
    F("public_sources", "string", "Sources that publish figures for the program, separated by '; '."),
    F("linked_program_id", "string", "A 4-digit CIP public program of the same institution and credential level inside the 2-digit CIP program."),
    F("source_institution_id", "string", "The publisher's own institution code (PSEO 8 digits; Colorado SURDS 4 digits)."),
    F("source_institution_name", "string", "Institution name as the publisher labels it."),
    F("ipeds_institution_name", "string", "Institution name in the College Scorecard institution file (IPEDS INSTNM)."),
    F("crosswalk_source", "string", "Publisher whose institution code the crosswalk row translates.", vocabulary="crosswalk_source"),
    F("match_method", "string", "How the crosswalk row was matched.", vocabulary="match_method"),
    F("review_note", "string", "Reviewer's note on a non-exact match (why the two names are the same institution)."),
    F("cpi_year", "integer", "Calendar year of the CPI annual average.", min=1913, max=2100),
    F("cpi_series_id", "string", "BLS CPI series identifier (CUUR0000SA0 = CPI-U, U.S. city average, all items, not seasonally adjusted)."),
    F("cpi_u_annual_average", "number", "CPI-U, U.S. city average, all items, annual average (1982-84 = 100).", min=0),
])

TABLES = [
    Table(
        "core_public__program_cells",
        "What each program-level public source says a program is: one row per source x institution x CIP x "
        "credential level, with the institution's identifiers. program_id is resolved in the core build "
        "through core_links__institution_crosswalk.",
        fields=("data_origin", "institution_id", "cip_code", "credential_level_code", "credential_level",
                "program_id", "unitid", "opeid6", "pseo_institution_id", "colorado_entity_id", "institution_name",
                "state_code", "institution_control", "cip_title", "snapshot_id"),
        primary_key=("data_origin", "institution_id", "cip_code", "credential_level_code"),
        required=("credential_level", "snapshot_id"),
        warnings=("incomplete_coverage",),
        grain="One row per source x publisher institution x CIP x credential level.",
    ),
    Table(
        "core_public__program_outcomes",
        "Outcomes of public programs as their publishers give them: earnings p25 / median / p75 at each "
        "published horizon with counts, debt and monthly payment (Scorecard), completers and wage-record "
        "coverage (Colorado, PSEO), each with its cohort and dollar year, and also in constant dollars. "
        "Each source's figures stand side by side: never averaged across sources. Withheld figures are "
        "null with value_status, the publisher's code and rule, never zero.",
        fields=("program_id", "data_origin", "institution_id", "cip_code", "credential_level_code", "measure",
                "years_after_graduation", "grad_cohort", "cohort_first_year", "cohort_last_year",
                "measurement_period", "value", "value_unit", "value_count", "dollar_year", "dollar_year_basis",
                "constant_dollar_year", "value_constant_dollars", "cohorts_differ_across_horizons",
                "value_status", "suppression_code", "suppression_reason", "snapshot_id", "source_file",
                "source_row_number"),
        primary_key=("data_origin", "institution_id", "cip_code", "credential_level_code", "measure",
                     "years_after_graduation", "grad_cohort"),
        required=("value_unit", "value_status", "cohorts_differ_across_horizons", "snapshot_id"),
        warnings=("suppressed_values", "incomplete_coverage"),
        checks=("value_not_negative",),
        grain="One row per source cell x measure x years after completion (0 = at completion) x cohort.",
    ),
    Table(
        "core_public__programs",
        "Public programs: one row per real program (IPEDS UNITID x CIP x credential level where the "
        "institution is known to IPEDS, else the publisher's own code), whichever sources publish it.",
        fields=("program_id", "unitid", "opeid6", "pseo_institution_id", "colorado_entity_id", "institution_name",
                "state_code", "institution_control", "cip_code", "cip_title", "credential_level", "pathway",
                "public_sources"),
        primary_key=("program_id",),
        required=("institution_name", "cip_code", "credential_level", "pathway", "public_sources"),
        warnings=("incomplete_coverage",),
        grain="One row per public program.",
    ),
    Table(
        "core_public__program_cip_links",
        "A Census PSEO program published only at 2-digit CIP (graduate degrees) linked to the 4-digit CIP "
        "programs of the same institution and credential level that it contains. The two stay separate "
        "programs: the 2-digit figures pool every program of the family.",
        fields=("program_id", "linked_program_id"),
        primary_key=("program_id", "linked_program_id"),
        grain="One row per 2-digit program x 4-digit program inside it.",
    ),
    Table(
        "core_links__institution_crosswalk",
        "Curated crosswalk from Census PSEO and Colorado institution codes to IPEDS UNITID / OPEID6, "
        "built from the publishers' own files and reviewed (data/raw/links/public_institution_crosswalk.csv).",
        fields=("crosswalk_source", "source_institution_id", "source_institution_name", "state_code", "unitid",
                "opeid6", "ipeds_institution_name", "match_method", "review_note", "source_file",
                "source_row_number"),
        primary_key=("crosswalk_source", "source_institution_id"),
        required=("match_method",),
        grain="One row per publisher institution code.",
    ),
    Table(
        "core_reference__cpi_u_annual",
        "Code table: BLS CPI-U annual averages (series CUUR0000SA0, U.S. city average, all items, "
        "1982-84 = 100), used to show every public dollar figure in one dollar year.",
        fields=("cpi_year", "cpi_u_annual_average", "cpi_series_id", "source_file"),
        primary_key=("cpi_year",),
        required=("cpi_u_annual_average",),
        grain="One row per calendar year.",
    ),
]

register_tables(TABLES)
