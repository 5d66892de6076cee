"""Kaggle ML and Data Science Survey 2017 (filtered extract): practitioners' compensation by formal education.

Owns the fields and tables of the connector ``kaggle_2017`` (``flows/sources/kaggle_2017.py``): the
respondent-level core table (multiple-choice answers only, nothing identifying: no gender, age or
free text) and the out table of compensation by formal education x job title with small-cell
suppression. A "peers" view of what ML and data practitioners earn by education, never a program's
outcomes: the extract is self-selected (Kaggle users) and filtered by an undocumented rule.
"""

from __future__ import annotations

from schemas.model import Field, Table, Vocabulary, register_fields, register_tables, register_vocabularies

#: Kaggle's FormalEducation answers -> codes.
FORMAL_EDUCATION = {
    "No Formal education": "no_formal_education",
    "Incomplete university studies": "incomplete_university",
    "Bachelor's degree": "bachelors",
    "Master's degree": "masters",
    "Doctoral degree": "doctoral",
    "Professional degree": "professional",
    "I did not complete any formal education past high school": "secondary_only",
    "Some college/university study without earning a bachelor's degree": "incomplete_university",
    "I prefer not to answer": "not_answered",
}

register_vocabularies([
    Vocabulary("kaggle_formal_education", "Highest formal education, Kaggle survey 2017 ('FormalEducation')", {
        "no_formal_education": "No formal education", "secondary_only": "No formal education past high school",
        "incomplete_university": "University studies without a degree", "bachelors": "Bachelor's degree",
        "masters": "Master's degree", "doctoral": "Doctoral degree", "professional": "Professional degree",
        "not_answered": "Preferred not to answer", "all": "All levels of formal education together"}),
])

register_fields([
    Field("survey_country", "string", "Country the respondent lives in, as answered (Kaggle survey)."),
    Field("employment_status", "string", "Employment status, as answered (multiple choice)."),
    Field("job_title", "string", "Current job title, as answered (Kaggle's multiple-choice list; 'All job titles' in totals)."),
    Field("formal_education", "string", "Highest formal education, as a code.", vocabulary="kaggle_formal_education"),
    Field("formal_education_label", "string", "Highest formal education, as answered."),
    Field("undergraduate_major", "string", "Undergraduate major, as answered (multiple choice)."),
    Field("compensation_amount", "number", "Annual compensation as answered, in compensation_currency.", min=0),
    Field("compensation_currency", "string", "ISO 4217 code of the compensation, as answered.", pattern=r"^[A-Z]{3}$"),
    Field("usd_per_currency_unit", "number", "US dollars per unit of the currency, from the survey's own conversionRates.csv (exchangeRateUS).", min=0),
    Field("compensation_usd", "number", "compensation_amount x usd_per_currency_unit (null when implausible).", unit="USD", min=0),
    Field("respondents", "integer", "Respondents in the cell with a usable compensation (null when suppressed).", min=0),
    Field("compensation_p25_usd", "number", "25th percentile of compensation_usd in the cell.", unit="USD", min=0),
    Field("compensation_median_usd", "number", "Median of compensation_usd in the cell.", unit="USD", min=0),
    Field("compensation_p75_usd", "number", "75th percentile of compensation_usd in the cell.", unit="USD", min=0),
])

_WARNING = ("A filtered extract of a self-selected online survey of Kaggle users (2017): not representative of "
            "practitioners, of a country or of any program's graduates; the filter that made the extract is "
            "undocumented. Use as a 'peers' view only, never as a program's outcomes.")

TABLES = [
    Table(
        "raw_kaggle_2017__responses",
        "Kaggle ML and Data Science Survey 2017 extract rows as read, minus the columns never loaded (gender, age, "
        "recommended language): multiple-choice answers and compensation, in raw_values_json.",
        fields=("snapshot_id", "source_file", "source_row_number", "raw_values_json"),
        primary_key=("snapshot_id", "source_file", "source_row_number"),
        warnings=("lineage_only", "self_reported"),
        grain="One row per survey response in the extract.",
    ),
    Table(
        "core_kaggle_2017__respondents",
        "Practitioners' formal education, job title and compensation, one row per respondent of a filtered "
        "extract of the Kaggle ML and Data Science Survey 2017 (self-reported; data_origin 'kaggle_2017'). "
        "Compensation converted to USD with the survey's own conversion rates. Nothing identifying: gender, "
        "age and the recommended language are not loaded; every answer is a multiple choice. " + _WARNING,
        fields=("source_row_number", "data_origin", "survey_country", "employment_status", "job_title",
                "formal_education", "formal_education_label", "undergraduate_major", "compensation_amount",
                "compensation_currency", "usd_per_currency_unit", "compensation_usd", "value_status", "snapshot_id"),
        primary_key=("source_row_number",),
        required=("data_origin", "survey_country", "formal_education", "compensation_currency", "value_status", "snapshot_id"),
        warnings=("self_reported", "experimental", "incomplete_coverage"),
        grain="One row per survey response in the extract.",
    ),
    Table(
        "out_kaggle_2017__compensation_by_education",
        "Compensation (USD) of ML and data-science practitioners by formal education x job title, with each "
        "education's total over job titles ('All job titles'), for the countries configured (default: United States): "
        "respondents, p25, median, p75. Cells with fewer than k respondents are suppressed, plus complementary "
        "cells so no suppressed count can be recovered (docs/METHODOLOGY.md). " + _WARNING,
        fields=("data_origin", "survey_country", "formal_education", "formal_education_label", "job_title", "respondents",
                "compensation_p25_usd", "compensation_median_usd", "compensation_p75_usd", "is_suppressed",
                "suppression_reason", "snapshot_id"),
        primary_key=("survey_country", "formal_education", "job_title"),
        required=("data_origin", "formal_education_label", "is_suppressed", "snapshot_id"),
        warnings=("self_reported", "suppressed_values", "experimental"),
        grain="One row per country x formal education x job title (and per country x formal education over all titles).",
    ),
]

register_tables(TABLES)
