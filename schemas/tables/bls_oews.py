"""BLS OEWS tables: the API / flat-file series as read, and the whole May release.

Owns the raw table of the BLS OEWS connector (``flows/sources/bls_oews.py``), whose wages and
role crosswalk go to the shared ``core_bls_oews__wages`` and ``core_bls_oews__role_soc_crosswalk``
(``schemas/tables/public.py``), and the tables of the release connector
(``flows/sources/bls_oews_release.py``): every published cell of the bundled May release
extracts (all occupations nationally, SOC 15-xxxx by state and metropolitan area), one row per
series, with its own status.
"""

from __future__ import annotations

from schemas.model import Field, Table, Vocabulary, register_fields, register_tables, register_vocabularies

#: OEWS datatype code -> (measure code, unit code, description). One source of truth for the connector.
OEWS_DATATYPES = {
    "01": ("employment", "jobs", "Employment (jobs, rounded to the nearest 10; self-employed excluded)"),
    "02": ("employment_rse_pct", "percent", "Relative standard error of the employment estimate (%)"),
    "03": ("hourly_mean", "usd_per_hour", "Hourly mean wage"),
    "04": ("annual_mean", "usd_per_year", "Annual mean wage"),
    "05": ("wage_rse_pct", "percent", "Relative standard error of the mean wage (%)"),
    "06": ("hourly_p10", "usd_per_hour", "Hourly 10th percentile wage"),
    "07": ("hourly_p25", "usd_per_hour", "Hourly 25th percentile wage"),
    "08": ("hourly_median", "usd_per_hour", "Hourly median wage"),
    "09": ("hourly_p75", "usd_per_hour", "Hourly 75th percentile wage"),
    "10": ("hourly_p90", "usd_per_hour", "Hourly 90th percentile wage"),
    "11": ("annual_p10", "usd_per_year", "Annual 10th percentile wage"),
    "12": ("annual_p25", "usd_per_year", "Annual 25th percentile wage"),
    "13": ("annual_median", "usd_per_year", "Annual median wage"),
    "14": ("annual_p75", "usd_per_year", "Annual 75th percentile wage"),
    "15": ("annual_p90", "usd_per_year", "Annual 90th percentile wage"),
    "16": ("employment_per_1000_jobs", "jobs_per_1000", "Employment per 1,000 jobs in the area"),
    "17": ("location_quotient", "ratio", "Location quotient: the occupation's share of the area's jobs over its national share"),
}

register_vocabularies([
    Vocabulary("oews_area_type", "OEWS area type (oe.areatype)", {
        "national": "United States (N)", "state": "State, DC, Guam, Puerto Rico or U.S. Virgin Islands (S)",
        "metro": "Metropolitan or nonmetropolitan area (M)"}),
    Vocabulary("oews_measure", "OEWS datatype (oe.datatype), as a measure code",
               {m: f"{d} (datatype {code})" for code, (m, _u, d) in OEWS_DATATYPES.items()}),
    Vocabulary("oews_unit", "Unit of an OEWS value", {
        "jobs": "Number of jobs", "percent": "Percent", "usd_per_hour": "US dollars per hour (nominal, May of the reference year)",
        "usd_per_year": "US dollars per year (nominal, May of the reference year; hourly x 2,080 where hourly is published)",
        "jobs_per_1000": "Jobs per 1,000 jobs in the area", "ratio": "Dimensionless ratio"}),
])

register_fields([
    Field("oews_area_code", "string", "OEWS area code (7 digits: 0000000 national, state FIPS + 00000, metro CBSA code).", pattern=r"^\d{7}$"),
    Field("oews_area_type", "string", "OEWS area type.", vocabulary="oews_area_type"),
    Field("oews_area_name", "string", "OEWS area name (oe.area)."),
    Field("oews_industry_code", "string", "OEWS industry code, 6 digits (000000 = cross-industry, all employers).", pattern=r"^\d{6}$"),
    Field("oews_occupation_level", "integer", "OEWS display level of the occupation (0 major group ... 3 detailed occupation).", min=0, max=9),
    Field("oews_measure", "string", "Which OEWS statistic the value is (the series' datatype).", vocabulary="oews_measure"),
    Field("oews_unit", "string", "Unit of the value.", vocabulary="oews_unit"),
    Field("oews_value", "number", "The published value (null when not published; for a top-coded wage, the cap: the true value is at least this).", min=0),
])

TABLES = [
    Table(
        "raw_bls_oews__series_data",
        "BLS OEWS series data points as read, from API v2 answers or the bundled flat file (series_id, year, "
        "period, value, footnote codes): one element of a series' data array with its seriesID, as text in "
        "raw_values_json.",
        fields=("snapshot_id", "source_file", "source_row_number", "raw_values_json"),
        primary_key=("snapshot_id", "source_file", "source_row_number"),
        warnings=("lineage_only",),
        grain="One row per data point (series x year x period) in a snapshot file.",
    ),
    Table(
        "raw_bls_oews_release__rows",
        "Rows of the bundled BLS OEWS release extracts as read (one area x industry x occupation with its 17 "
        "values and footnote codes), as text in raw_values_json.",
        fields=("snapshot_id", "source_file", "source_row_number", "raw_values_json"),
        primary_key=("snapshot_id", "source_file", "source_row_number"),
        warnings=("lineage_only",),
        grain="One row per row of a wide release file.",
    ),
    Table(
        "core_bls_oews_release__estimates",
        "BLS OEWS May release, every published cell of the bundled extracts: all occupations nationally and "
        "SOC 15-xxxx (computer and mathematical occupations) in every state and metropolitan area, "
        "cross-industry. Employment, hourly and annual mean and p10/p25/median/p75/p90 wages, relative "
        "standard errors, jobs per 1,000 and location quotient. Each value has its own status: 'top_coded' "
        "(footnote 5) carries the cap ($115.00 an hour, $239,200 a year in May 2025) as a lower bound, "
        "'not_released' (footnote 8) and 'not_available' ('-') are null. Join soc_code to "
        "core_bls_oews__role_soc_crosswalk for the project's roles.",
        fields=("series_id", "reference_year", "oews_area_code", "oews_area_type", "oews_area_name", "state_code",
                "oews_industry_code", "soc_code", "soc_title", "oews_occupation_level", "oews_measure", "oews_unit",
                "oews_value", "value_status", "footnote_codes", "snapshot_id"),
        primary_key=("series_id", "reference_year"),
        required=("oews_area_code", "oews_area_type", "oews_area_name", "oews_industry_code", "soc_code", "soc_title",
                  "oews_measure", "oews_unit", "value_status", "snapshot_id"),
        warnings=("suppressed_values", "incomplete_coverage"),
        grain="One row per BLS OEWS series (area x industry x occupation x datatype) per reference year.",
    ),
]

register_tables(TABLES)
