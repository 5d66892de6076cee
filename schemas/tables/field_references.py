"""Field-level references: NSF NCSES tables and FiveThirtyEight's graduate vs non-graduate earnings by major.

Owns the fields, vocabularies and tables of the connectors ``nsf_ncses`` (``flows/sources/nsf_ncses.py``)
and ``fivethirtyeight`` (``flows/sources/fivethirtyeight.py``). Both publish figures for whole fields of
study (not programs): degree level and field are codes, every figure carries its survey year and, for
dollar figures, its dollar year, so that "what does a master's add in this field" is one query.
"""

from __future__ import annotations

from schemas.model import Field, Table, Vocabulary, register_fields, register_tables, register_vocabularies

register_vocabularies([
    Vocabulary("ncses_degree_level", "Level of the highest (or reported) degree in an NCSES table", {
        "all_levels": "All degree levels together (NCSES 'All degree levels'; may include professional degrees)",
        "bachelors": "Bachelor's degree",
        "masters": "Master's degree",
        "doctoral": "Doctorate (research doctorate in SED and SDR tables)",
        "professional": "Professional degree (e.g. law, medicine)",
    }),
    Vocabulary("ncses_indicator", "Which NCSES statistic a value is", {
        "graduates_count": "Number of new graduates (persons, weighted survey estimate)",
        "employment_rate_pct": "Employed share of the population (%)",
        "unemployment_rate_pct": "Unemployment rate (%)",
        "out_of_field_rate_pct": "Employed in a job not related to the field of highest degree (% of employed)",
        "involuntarily_out_of_field_rate_pct": "Out of field because no job in the field was available (% of employed)",
        "median_annual_earnings_usd": "Median annual earnings of employed individuals (rounded to $1,000)",
        "median_annual_salary_usd": "Median annual salary (NSCG: rounded to $1,000; SDR: all doctorate holders)",
        "recipients_count": "Recent degree recipients (persons, rounded to 1,000)",
        "full_time_student_count": "Of whom full-time students (persons, rounded to 1,000)",
        "employed_se_occupation_count": "Of whom employed in S&E or S&E-related occupations (persons, rounded to 1,000)",
        "employed_non_se_occupation_count": "Of whom employed in non-S&E occupations (persons, rounded to 1,000)",
        "not_employed_count": "Of whom not employed (persons, rounded to 1,000)",
        "median_salary_full_time_employed_usd": "Median salary of the full-time employed (rounded to $1,000)",
        "median_basic_salary_definite_plans_usd": "Median basic annual salary of new doctorates with definite plans (job or postdoc)",
        "median_basic_salary_employment_usd": "Median basic annual salary of new doctorates with definite employment (not postdoc)",
        "median_basic_salary_postdoc_usd": "Median basic annual salary of new doctorates going to a postdoc",
    }),
    Vocabulary("ncses_unit", "Unit of an NCSES value", {
        "persons": "Number of people (weighted estimate)", "percent": "Percent", "usd": "US dollars of the dollar year"}),
    Vocabulary("ncses_group", "Population subgroup of an NCSES value", {
        "all": "Everyone in the row's field and degree level", "female": "Female", "male": "Male",
        "white": "White", "asian": "Asian", "underrepresented_minority": "Underrepresented minority (Black, Hispanic, American Indian or Alaska Native)",
        "without_disability": "Without disability", "with_disability": "With disability"}),
])

register_fields([
    Field("ncses_table_id", "string", "NCSES table (modal) id, e.g. 10995.", pattern=r"^\d+$"),
    Field("ncses_table_title", "string", "NCSES table title, as published."),
    Field("ncses_row_id", "string", "Row id in the NCSES table (r001 ...).", pattern=r"^r\d{3}$"),
    Field("ncses_column", "string", "Column name in the NCSES table's CSV, verbatim."),
    Field("survey_name", "string", "Survey behind the figure (NSCG National Survey of College Graduates, SED Survey of Earned Doctorates, SDR Survey of Doctorate Recipients; ACS American Community Survey)."),
    Field("survey_year", "integer", "Year of the survey (reference year of the figure).", min=1990, max=2100),
    Field("dollar_year", "integer", "Year of the dollars of a money figure as published (nominal dollars of that year); null for counts, shares and rates, and for figures in nominal dollars of several years (e.g. College Scorecard debt).", min=1990, max=2100),
    Field("degree_cohort", "string", "Which degree recipients the figure covers (e.g. 'highest degree earned Jan 2015 - Feb 2021')."),
    Field("ncses_degree_level", "string", "Degree level of the figure.", vocabulary="ncses_degree_level"),
    Field("field_code", "string", "Field of study as a code: the publisher's label in lower case with underscores (e.g. computer_and_mathematical_sciences).", pattern=r"^[a-z0-9_]+$"),
    Field("field_label", "string", "Field of study as published (HTML entities decoded)."),
    Field("field_parent_label", "string", "The broader field the row sits under in the publisher's hierarchy, if any."),
    Field("ncses_group", "string", "Population subgroup of the figure.", vocabulary="ncses_group"),
    Field("ncses_indicator", "string", "Which statistic the value is.", vocabulary="ncses_indicator"),
    Field("ncses_unit", "string", "Unit of the value.", vocabulary="ncses_unit"),
    Field("ncses_value", "number", "The published value (null when withheld or not applicable).", min=0),
    # FiveThirtyEight graduate vs non-graduate earnings by major
    Field("acs_major_code", "string", "ACS field of degree code (FOD1P), 4 digits.", pattern=r"^\d{4}$"),
    Field("major_label", "string", "Undergraduate major as published (ACS field of degree, upper case)."),
    Field("major_category", "string", "Major category (Georgetown CEW, 'What's It Worth?', 2011)."),
    Field("grad_total", "integer", "People aged 25+ with this undergraduate major and a graduate degree (weighted).", min=0),
    Field("grad_sample_size", "integer", "Unweighted ACS sample of graduate-degree holders behind the figures.", min=0),
    Field("grad_employed", "integer", "Of them, employed (weighted).", min=0),
    Field("grad_full_time_year_round", "integer", "Of them, employed full time, year round (weighted).", min=0),
    Field("grad_unemployment_rate", "number", "Unemployment rate of graduate-degree holders (share, 0-1).", min=0, max=1),
    Field("grad_median_usd", "number", "Median earnings of full-time, year-round workers with a graduate degree.", unit="USD", min=0),
    Field("grad_p25_usd", "number", "25th percentile of those earnings.", unit="USD", min=0),
    Field("grad_p75_usd", "number", "75th percentile of those earnings.", unit="USD", min=0),
    Field("nongrad_total", "integer", "People aged 25+ with this major and no graduate degree (weighted).", min=0),
    Field("nongrad_employed", "integer", "Of them, employed (weighted).", min=0),
    Field("nongrad_full_time_year_round", "integer", "Of them, employed full time, year round (weighted).", min=0),
    Field("nongrad_unemployment_rate", "number", "Unemployment rate of those without a graduate degree (share, 0-1).", min=0, max=1),
    Field("nongrad_median_usd", "number", "Median earnings of full-time, year-round workers without a graduate degree.", unit="USD", min=0),
    Field("nongrad_p25_usd", "number", "25th percentile of those earnings.", unit="USD", min=0),
    Field("nongrad_p75_usd", "number", "75th percentile of those earnings.", unit="USD", min=0),
    Field("grad_share", "number", "Share of the major's graduates (25+) holding a graduate degree.", min=0, max=1),
    Field("grad_premium_published", "number", "Graduate premium as published by FiveThirtyEight (Grad_median / Nongrad_median - 1).", unit="ratio"),
    Field("grad_premium", "number", "Graduate premium computed here: grad_median_usd / nongrad_median_usd - 1 (null when either is missing).", unit="ratio"),
    Field("grad_premium_usd", "number", "grad_median_usd - nongrad_median_usd.", unit="USD"),
    Field("survey_year_start", "integer", "First year of pooled survey data.", min=1990, max=2100),
    Field("survey_year_end", "integer", "Last year of pooled survey data.", min=1990, max=2100),
])

TABLES = [
    Table(
        "raw_nsf_ncses__rows",
        "NSF NCSES table rows as read (every row of every bundled table CSV, every cell text), in raw_values_json.",
        fields=("snapshot_id", "source_file", "source_row_number", "raw_values_json"),
        primary_key=("snapshot_id", "source_file", "source_row_number"),
        warnings=("lineage_only",),
        grain="One row per row of a bundled NCSES table file.",
    ),
    Table(
        "core_nsf_ncses__field_outcomes",
        "NSF NCSES published figures for whole fields of study, one value per row: new graduates' employment, "
        "out-of-field rates and median earnings by degree level and field (NSCG 2017 and 2021), recent master's "
        "recipients' employment and salary by field and subgroup (NSCG 2019), new doctorates' salaries (SED 2023) "
        "and all research doctorates' salaries (SDR 2021). Degree level, field, subgroup and statistic are codes; "
        "money is in nominal dollars of dollar_year. Withheld cells ('s', 'D') are null with value_status "
        "'suppressed', 'na' is 'not_available', each with its code and reason. Survey estimates, not program outcomes.",
        fields=("ncses_table_id", "ncses_row_id", "ncses_column", "ncses_table_title", "survey_name", "survey_year",
                "dollar_year", "degree_cohort", "ncses_degree_level", "field_code", "field_label", "field_parent_label",
                "ncses_group", "ncses_indicator", "ncses_unit", "ncses_value", "value_status", "suppression_code",
                "suppression_reason", "snapshot_id"),
        primary_key=("ncses_table_id", "ncses_row_id", "ncses_column"),
        required=("ncses_table_title", "survey_name", "survey_year", "ncses_degree_level", "field_code", "field_label",
                  "ncses_group", "ncses_indicator", "ncses_unit", "value_status", "snapshot_id"),
        warnings=("suppressed_values",),
        grain="One row per published cell (table x row x column).",
    ),
    Table(
        "raw_fivethirtyeight__grad_students",
        "FiveThirtyEight grad-students.csv rows as read, every cell text, in raw_values_json.",
        fields=("snapshot_id", "source_file", "source_row_number", "raw_values_json"),
        primary_key=("snapshot_id", "source_file", "source_row_number"),
        warnings=("lineage_only",),
        grain="One row per row of grad-students.csv.",
    ),
    Table(
        "core_fivethirtyeight__grad_premium",
        "Earnings of people aged 25+ with a graduate degree vs without one, by undergraduate major (ACS 2010-2012 "
        "pooled, FiveThirtyEight 'The Economic Guide To Picking A College Major'): medians and quartiles of "
        "full-time, year-round workers, employment, and the graduate premium (computed here and as published). "
        "A cross-section of all ages, not the effect of a degree: people who go on to graduate school differ "
        "from those who do not.",
        fields=("acs_major_code", "major_label", "major_category", "grad_total", "grad_sample_size", "grad_employed",
                "grad_full_time_year_round", "grad_unemployment_rate", "grad_median_usd", "grad_p25_usd", "grad_p75_usd",
                "nongrad_total", "nongrad_employed", "nongrad_full_time_year_round", "nongrad_unemployment_rate",
                "nongrad_median_usd", "nongrad_p25_usd", "nongrad_p75_usd", "grad_share", "grad_premium",
                "grad_premium_usd", "grad_premium_published", "survey_name", "survey_year_start", "survey_year_end",
                "dollar_year", "snapshot_id"),
        primary_key=("acs_major_code",),
        required=("major_label", "major_category", "survey_name", "survey_year_start", "survey_year_end", "snapshot_id"),
        warnings=("experimental",),
        grain="One row per undergraduate major (ACS FOD1P code).",
    ),
]

register_tables(TABLES)
