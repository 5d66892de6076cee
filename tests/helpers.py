"""Small builders of curated files for tests (valid rows to mutate one rule at a time)."""

from __future__ import annotations

import csv
from pathlib import Path

from schemas.tables.curated import INPUT_OUTCOME_RECORDS, INPUT_PROGRAMS

PROGRAMS = [
    {"program_id": "msds-alpha", "institution_name": "Alpha University", "program_name": "MS Data Science",
     "pathway": "masters", "field_of_study": "data science", "cip_code": "30.7001", "modality": "in_person",
     "pacing": "full_time", "duration_months": "18", "tuition_fees_usd": "60000", "city": "Austin",
     "state_code": "TX", "country_code": "US", "program_url": "", "program_source": "test"},
    {"program_id": "bc-beta", "institution_name": "Beta Camp", "program_name": "Data Bootcamp",
     "pathway": "bootcamp", "field_of_study": "data science", "cip_code": "", "modality": "online",
     "pacing": "full_time", "duration_months": "4", "tuition_fees_usd": "15000", "city": "",
     "state_code": "", "country_code": "", "program_url": "", "program_source": "test"},
]


def record(i: int, **over) -> dict:
    """A valid outcome record; keyword arguments override columns."""
    row = {
        "record_id": f"r{i:05d}", "program_id": "msds-alpha" if i % 2 else "bc-beta",
        "full_name": f"Test Person {i}", "email": f"person{i}@example.org",
        "profile_url": f"https://example.org/p/{i}", "graduation_date": "2023-05-15", "cohort": "",
        "prior_degree": "bachelors", "prior_field": "engineering", "prior_role": "Analyst",
        "prior_salary": "60000", "years_experience": "3", "outcome_status": "employed_full_time_in_field",
        "in_field": "true", "role_category": "data_scientist", "employer_name": "Acme",
        "job_start_date": "2023-07-01", "base_salary": "110000", "salary_currency": "USD",
        "source_kind": "graduate_survey", "evidence_url": f"https://www.linkedin.com/in/person-{i}",
        "collected_date": "2023-12-01", "verification_level": "self_reported",
    }
    row.update(over)
    return row


def write_csv(path: Path, rows: list[dict], columns=None) -> Path:
    columns = list(columns or (INPUT_OUTCOME_RECORDS if "record_id" in rows[0] else INPUT_PROGRAMS))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def make_curated(folder: Path, n: int = 40, extra: list[dict] | None = None) -> Path:
    write_csv(folder / "programs.csv", PROGRAMS)
    write_csv(folder / "records_a.csv", [record(i) for i in range(1, n + 1)] + (extra or []))
    return folder
