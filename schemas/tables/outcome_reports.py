"""Published aggregate outcome reports (CIRR-format and school employment reports).

Owns the fields and the two core tables of a report: headline rates (one row per report)
and segment breakdowns (one row per segment). The input is the documented CSV template
in ``data/raw/outcome_reports/README.md``; percentages are published as whole numbers and
loaded as ratios (``_rate`` columns, 0-1).
"""

from __future__ import annotations

from schemas.model import Field, Table, register_fields, register_tables

F = Field
register_fields([
    F("report_school", "string", "School that published the report, as written in the report."),
    F("report_program", "string", "Program(s) the report covers, as written ('All programs' when the report does not split)."),
    F("report_standard", "string", "Reporting standard the report follows: 'cirr', 'nace' or 'school' (own format).",
      pattern=r"^(cirr|nace|school)$"),
    F("reporting_period_start", "date", "First graduation date the report covers."),
    F("reporting_period_end", "date", "Last graduation date the report covers."),
    F("enrolled_students", "integer", "Students who enrolled in the reporting period.", min=0),
    F("report_graduates", "integer", "Graduates the report counts (when published).", min=0),
    F("published_course_length_days", "integer", "Published length of the course.", unit="days", min=0),
    F("graduated_within_150pct_rate", "number", "Share of enrolled students who graduated within 150% of the published course length.", unit="ratio", min=0, max=1),
    F("still_seeking_90d_rate", "number", "Share of graduates still seeking at 90 days.", unit="ratio", min=0, max=1),
    F("still_seeking_180d_rate", "number", "Share of graduates still seeking at 180 days.", unit="ratio", min=0, max=1),
    F("non_reporting_rate", "number", "Share of graduates whose outcome is unknown.", unit="ratio", min=0, max=1),
    F("report_knowledge_rate", "number", "Knowledge rate as the report publishes it (NACE-style reports).", unit="ratio", min=0, max=1),
    F("job_obtainers_reporting_salary_rate", "number", "Share of job obtainers who reported a salary.", unit="ratio", min=0, max=1),
    F("report_median_base_salary_usd", "number", "Median annual base salary as the report publishes it.", unit="USD", min=0),
    F("report_url", "string", "Where the report is published."),
    F("segment_kind", "string", "What the breakdown splits by (all, prior_education, veteran_status, under_represented, gender, ...)."),
    F("segment", "string", "The segment's label as published."),
    F("segment_students", "integer", "Students in the segment.", min=0),
    F("share_of_students_rate", "number", "Segment's share of all students.", unit="ratio", min=0, max=1),
    F("median_days_to_employment", "number", "Median days from graduation to employment in the segment.", unit="days", min=0),
    F("median_days_to_graduation", "number", "Median days from enrolment to graduation in the segment.", unit="days", min=0),
    F("withheld_values", "string", "Cells the report does not publish, as `column=token` separated by '; ' (loaded as null)."),
])

LINEAGE = ("source_file", "source_sha256", "source_row_number")

TABLES = [
    Table(
        "core_outcome_reports__headline_rates",
        "Headline figures of published outcome reports (CIRR-format or school employment reports), "
        "percentages as ratios. Unpublished cells are null and listed in withheld_values.",
        fields=("report_school", "report_program", "report_standard", "program_id", "reporting_period_start",
                "reporting_period_end", "enrolled_students", "report_graduates", "published_course_length_days",
                "graduated_within_150pct_rate", "employed_in_field_90d_rate", "employed_in_field_180d_rate",
                "still_seeking_90d_rate", "still_seeking_180d_rate", "non_reporting_rate", "report_knowledge_rate",
                "report_median_base_salary_usd", "job_obtainers_reporting_salary_rate", "report_url",
                "withheld_values", "data_origin") + LINEAGE,
        primary_key=("report_school", "report_program", "reporting_period_start", "reporting_period_end"),
        required=("data_origin", "source_file", "source_sha256", "source_row_number"),
        warnings=("self_reported", "incomplete_coverage"),
        grain="One row per published report (school x program x reporting period).",
    ),
    Table(
        "core_outcome_reports__segments",
        "Segment breakdowns of published outcome reports (by prior education, veteran status, ...), "
        "percentages as ratios.",
        fields=("report_school", "report_program", "program_id", "reporting_period_start", "reporting_period_end",
                "segment_kind", "segment", "segment_students", "share_of_students_rate",
                "report_median_base_salary_usd", "median_days_to_employment", "median_days_to_graduation",
                "withheld_values", "data_origin") + LINEAGE,
        primary_key=("report_school", "report_program", "reporting_period_start", "reporting_period_end",
                     "segment_kind", "segment"),
        required=("data_origin", "source_file", "source_sha256", "source_row_number"),
        warnings=("self_reported", "incomplete_coverage"),
        grain="One row per report segment.",
    ),
]

register_tables(TABLES)
