"""Tables of the hand-curated inputs: programs and graduate outcome records.

Owns the raw (as read) and core (typed, validated, de-duplicated) tables of curated
files. The input template (``data/raw/curated/TEMPLATE.csv``) is the column list of
``INPUT_PROGRAMS`` and ``INPUT_OUTCOME_RECORDS`` below.
"""

from __future__ import annotations

from schemas.model import Table, register_tables

LINEAGE = ("source_file", "source_sha256", "source_row_number", "run_id", "loaded_at")

#: Columns a curated programs file may carry (in template order) and must carry.
INPUT_PROGRAMS = (
    "program_id", "institution_name", "program_name", "pathway", "field_of_study", "cip_code",
    "modality", "pacing", "duration_months", "tuition_fees_usd", "city", "state_code",
    "country_code", "program_url", "program_source",
)
REQUIRED_PROGRAMS = ("program_id", "institution_name", "program_name", "pathway", "modality", "pacing",
                     "duration_months", "tuition_fees_usd")

#: Columns a curated outcome-records file may carry (in template order) and must carry.
INPUT_OUTCOME_RECORDS = (
    "record_id", "program_id", "full_name", "email", "profile_url", "graduation_date", "cohort",
    "prior_degree", "prior_field", "prior_role", "prior_salary", "years_experience",
    "outcome_status", "in_field", "role_category", "employer_name", "job_start_date",
    "base_salary", "salary_currency", "source_kind", "evidence_url", "collected_date",
    "verification_level",
)
REQUIRED_OUTCOME_RECORDS = ("record_id", "program_id", "graduation_date", "outcome_status",
                            "source_kind", "collected_date", "verification_level")
PII_COLUMNS = ("full_name", "email", "profile_url", "evidence_url")
#: Columns derived from the PII columns while reading (the PII columns themselves are dropped).
PII_DERIVED = ("person_key", "evidence_domain", "evidence_kind")

TABLES = [
    Table(
        "raw_curated__programs",
        "Curated program files as read: every cell as text, with lineage.",
        fields=INPUT_PROGRAMS + LINEAGE,
        primary_key=("source_file", "source_row_number"),
        warnings=("lineage_only",),
        grain="One row per data row of a curated programs file.",
    ),
    Table(
        "raw_curated__outcome_records",
        "Curated outcome-record files as read: every cell as text, with lineage. "
        "Names, e-mails and URLs are replaced by person_key and evidence_domain before anything is stored.",
        fields=tuple(c for c in INPUT_OUTCOME_RECORDS if c not in PII_COLUMNS)
        + ("person_key", "evidence_domain", "evidence_kind") + LINEAGE,
        primary_key=("source_file", "source_row_number"),
        warnings=("lineage_only", "contains_pii_hash"),
        grain="One row per data row of a curated outcome-records file.",
    ),
    Table(
        "core_programs__programs",
        "Programs: what they are, how they are taught and what they cost. Curated programs plus "
        "programs created by public sources (e.g. one per named bootcamp of the freeCodeCamp survey).",
        fields=INPUT_PROGRAMS + ("data_origin", "source_file", "source_row_number"),
        primary_key=("program_id",),
        required=("institution_name", "program_name", "pathway", "data_origin"),
        checks=("programs_in_person_has_location",),
        warnings=("synthetic",),
        grain="One row per program.",
    ),
    Table(
        "core_outcomes__graduate_outcomes",
        "Graduate outcome records: typed, validated, de-duplicated by person and program, with "
        "CIRR and NACE categories and salaries in USD. No names, e-mails or URLs.",
        fields=(
            "record_id", "person_key", "program_id", "graduation_date", "cohort", "graduation_year",
            "class_year", "prior_degree", "prior_field", "prior_role", "prior_salary",
            "prior_salary_usd", "years_experience", "outcome_status", "cirr_category",
            "nace_category", "is_in_field", "role_category", "employer_name", "job_start_date",
            "days_to_job_start", "base_salary", "salary_currency", "base_salary_usd",
            "source_kind", "evidence_domain", "evidence_kind", "collected_date", "verification_level",
            "data_origin", "source_file", "source_sha256", "source_row_number",
        ),
        primary_key=("record_id",),
        required=("program_id", "graduation_date", "cohort", "graduation_year", "class_year",
                  "outcome_status", "cirr_category", "nace_category", "source_kind",
                  "collected_date", "verification_level", "data_origin", "source_file"),
        warnings=("synthetic", "self_reported", "contains_pii_hash"),
        grain="One row per graduate per program.",
    ),
]

register_tables(TABLES)
