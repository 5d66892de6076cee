"""Shared public-data tables that several connectors fill and the statistics read.

Owns the cross-source contract: program-level public earnings in one long table
(College Scorecard and Census PSEO both append rows, each under its own data_origin),
BLS OEWS occupation wages, the role -> SOC crosswalk and the program -> public id links.
Source-specific raw tables live in each source's own module under ``schemas/tables/``.
"""

from __future__ import annotations

from schemas.model import Field, Table, Vocabulary, register_fields, register_tables, register_vocabularies

register_vocabularies([
    Vocabulary("credential_level", "Credential level, normalised across College Scorecard CREDLEV and PSEO degree_level", {
        "undergraduate_certificate": "Undergraduate certificate or diploma (Scorecard 1; PSEO 01, 02, 04)",
        "associate": "Associate degree (Scorecard 2; PSEO 03)",
        "bachelors": "Bachelor's degree (Scorecard 3; PSEO 05)",
        "post_baccalaureate_certificate": "Post-baccalaureate certificate (Scorecard 4; PSEO 06)",
        "masters": "Master's degree (Scorecard 5; PSEO 07)",
        "post_masters_certificate": "Post-master's certificate (PSEO 08)",
        "doctoral": "Research doctorate (Scorecard 6; PSEO 17)",
        "first_professional": "First professional degree (Scorecard 7; PSEO 18)",
        "graduate_certificate": "Graduate / professional certificate (Scorecard 8)",
        "other_doctoral": "Other doctorate (PSEO 19)",
    }),
    Vocabulary("value_status", "Whether a published figure is available, and if not why", {
        "released": "Published value",
        "suppressed": "Withheld by the publisher for privacy (PrivacySuppressed, PS, PSEO status 5, NCSES s/D)",
        "not_available": "Not available / not applicable (NULL, NA, PSEO status -1, '-')",
        "top_coded": "Published as a cap (BLS top-coded wage): the true value is at least this",
        "not_released": "Estimated but not released by the publisher (BLS OEWS footnote 8: quality or confidentiality)",
        "implausible": "Present in the source but outside plausible bounds by a documented rule; not used",
    }),
    Vocabulary("area_type", "Geography of an occupation wage", {"national": "United States", "state": "One US state"}),
    Vocabulary("wage_measure", "BLS OEWS wage statistic (annual, USD)", {
        "annual_mean": "Annual mean wage (datatype 04)",
        "annual_p10": "Annual 10th percentile wage (datatype 11)",
        "annual_p25": "Annual 25th percentile wage (datatype 12)",
        "annual_median": "Annual median wage (datatype 13)",
        "annual_p75": "Annual 75th percentile wage (datatype 14)",
        "annual_p90": "Annual 90th percentile wage (datatype 15)",
    }),
])

F = Field
register_fields([
    F("institution_id", "string", "Publisher's institution identifier: IPEDS UNITID for College Scorecard, the 8-digit PSEO institution code for Census PSEO."),
    F("unitid", "string", "IPEDS UNITID of the institution (College Scorecard).", pattern=r"^\d{6}$"),
    F("opeid6", "string", "Six-digit OPE ID of the institution (College Scorecard).", pattern=r"^\d{6}$"),
    F("pseo_institution_id", "string", "Census PSEO institution code, 8 digits with leading zeros.", pattern=r"^\d{8}$"),
    F("pseo_degree_level", "string", "Census PSEO degree level code, 2 digits (05 bachelor's, 07 master's, 17 research doctorate).", pattern=r"^\d{2}$"),
    F("credential_level", "string", "Credential level, normalised across publishers.", vocabulary="credential_level"),
    F("credential_level_code", "string", "Credential level code exactly as the publisher codes it (Scorecard CREDLEV 1-8, PSEO degree_level 01-19)."),
    F("grad_cohort", "string", "Graduation cohort as published (PSEO pooled years such as '2001-2003'; Scorecard pooled award years)."),
    F("years_after_graduation", "integer", "Years after graduation at which earnings are measured.", unit="years", min=0, max=40),
    F("earnings_p25_usd", "number", "25th percentile of annual earnings of the cell's graduates.", unit="USD", min=0),
    F("earnings_median_usd", "number", "Median annual earnings of the cell's graduates.", unit="USD", min=0),
    F("earnings_p75_usd", "number", "75th percentile of annual earnings of the cell's graduates.", unit="USD", min=0),
    F("earnings_count", "integer", "Graduates with earnings behind the figures, as published.", min=0),
    F("value_status", "string", "Whether the row's figures are published, and if not why.", vocabulary="value_status"),
    F("suppression_code", "string", "The publisher's own token for a withheld or missing value (e.g. PrivacySuppressed, PS, NULL, 5, -1), kept verbatim."),
    F("series_id", "string", "BLS series identifier (25 characters).", pattern=r"^OEU[NSM]\d{7}\d{6}\d{6}\d{2}$"),
    F("soc_code", "string", "Standard Occupational Classification code (2018), e.g. 15-2051.", pattern=r"^\d{2}-\d{4}$"),
    F("soc_title", "string", "SOC occupation title."),
    F("area_type", "string", "Geography of the wage.", vocabulary="area_type"),
    F("reference_year", "integer", "Year the figure refers to (OEWS: May of that year).", min=1990, max=2100),
    F("wage_measure", "string", "Which wage statistic.", vocabulary="wage_measure"),
    F("wage_usd", "number", "Annual wage in US dollars (null when not released).", unit="USD", min=0),
    F("footnote_codes", "string", "Publisher footnotes on the value, verbatim, separated by '; '."),
    F("link_note", "string", "Curator's note on why the program is linked to these public identifiers and how close the match is."),
])

TABLES = [
    Table(
        "core_public__program_earnings",
        "Program-level public earnings (College Scorecard field of study, Census PSEO) in one long table: "
        "one row per publisher cell and years after graduation. Withheld values are null with value_status "
        "and the publisher's code, never zero.",
        fields=("data_origin", "institution_id", "institution_name", "state_code", "cip_code",
                "credential_level", "credential_level_code", "grad_cohort", "years_after_graduation",
                "earnings_p25_usd", "earnings_median_usd", "earnings_p75_usd", "earnings_count",
                "value_status", "suppression_code", "snapshot_id"),
        primary_key=("data_origin", "institution_id", "cip_code", "credential_level_code", "grad_cohort",
                     "years_after_graduation"),
        required=("credential_level", "value_status", "snapshot_id"),
        warnings=("suppressed_values", "incomplete_coverage"),
        grain="One row per publisher x institution x CIP x credential level x cohort x years after graduation.",
    ),
    Table(
        "core_bls_oews__wages",
        "BLS OEWS annual wages for the SOC codes of this field's roles, national and by state.",
        fields=("series_id", "soc_code", "soc_title", "area_type", "state_code", "reference_year",
                "wage_measure", "wage_usd", "value_status", "footnote_codes", "snapshot_id"),
        primary_key=("series_id", "reference_year"),
        required=("soc_code", "area_type", "wage_measure", "value_status", "snapshot_id"),
        warnings=("suppressed_values",),
        grain="One row per BLS series per year.",
    ),
    Table(
        "core_bls_oews__role_soc_crosswalk",
        "Which SOC occupations stand for each role category (configurable; there is no SOC code for ML engineer).",
        fields=("role_category", "soc_code", "soc_title"),
        primary_key=("role_category", "soc_code"),
        grain="One row per role category x SOC code.",
    ),
    Table(
        "core_links__program_public_ids",
        "Curated crosswalk from this project's programs to public identifiers, so that a program's public "
        "earnings join to it.",
        fields=("program_id", "unitid", "opeid6", "pseo_institution_id", "cip_code", "credential_level",
                "pseo_degree_level", "link_note", "source_file", "source_row_number"),
        primary_key=("program_id",),
        required=("credential_level", "cip_code"),
        grain="One row per linked program.",
    ),
]

register_tables(TABLES)
