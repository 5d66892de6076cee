"""Shared helpers for the operations tests: a small seeded curated data set and subprocess env.

Writes curated CSVs with the template's columns (programs and outcome records across
pathways, modalities, statuses and roles, plus a few rows that break a rule so the
quarantine is not empty). Deterministic for a given seed.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "data" / "raw" / "curated" / "TEMPLATE.csv"
TEMPLATE_PROGRAMS = ROOT / "data" / "raw" / "curated" / "TEMPLATE_programs.csv"

PROGRAMS = [
    # program_id, pathway, modality, pacing, months, tuition
    ("msds-alpha", "masters", "in_person", "full_time", 18, 58000),
    ("msds-beta-online", "masters", "online", "part_time", 24, 24000),
    ("msds-gamma", "masters", "in_person", "full_time", 12, 71000),
    ("mads-delta-online", "masters", "online", "part_time", 20, 19000),
    ("boot-epsilon", "bootcamp", "in_person", "full_time", 4, 16500),
    ("boot-zeta-online", "bootcamp", "online", "full_time", 3, 14000),
    ("cert-eta-online", "certificate", "online", "self_paced", 8, 4000),
    ("cert-theta", "certificate", "hybrid", "part_time", 9, 9000),
]

STATUSES = [
    ("employed_full_time_in_field", "true"), ("employed_full_time_in_field", "true"),
    ("employed_full_time_in_field", "true"), ("contract_full_time_in_field", "true"),
    ("part_time_or_freelance_in_field", "true"), ("employed_full_time_out_of_field", "false"),
    ("seeking_employment", ""), ("continuing_education", ""), ("unknown", ""),
]
ROLES = ["data_scientist", "data_scientist", "ml_engineer", "data_engineer", "software_engineer", "other"]
PRIOR = [("bachelors", "engineering"), ("bachelors", "computer_science"), ("bachelors", "business"),
         ("masters", "math_statistics"), ("bachelors", "humanities_arts"), ("high_school", "none")]


def header(path: Path) -> list[str]:
    with open(path, newline="") as fh:
        return next(csv.reader(fh))


def write_dataset(folder: Path, records_per_program: int = 30, seed: int = 7, extra_programs: int = 0) -> Path:
    """Write programs.csv and outcomes.csv (plus a bad-row file) into ``folder``; return it."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    pcols = header(TEMPLATE_PROGRAMS)
    programs = list(PROGRAMS) + [(f"extra-{i:03d}", "bootcamp", "online", "full_time", 3, 12000 + i)
                                 for i in range(extra_programs)]
    with open(folder / "programs.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, pcols)
        w.writeheader()
        for pid, pathway, modality, pacing, months, tuition in programs:
            w.writerow({"program_id": pid, "institution_name": f"{pid.split('-')[1].title()} Institute",
                        "program_name": f"{pathway} programme {pid}", "pathway": pathway,
                        "field_of_study": "data science", "cip_code": "30.7001", "modality": modality,
                        "pacing": pacing, "duration_months": months, "tuition_fees_usd": tuition,
                        "city": "" if modality == "online" else "Austin",
                        "state_code": "" if modality == "online" else "TX", "country_code": "US",
                        "program_url": f"https://example.edu/{pid}", "program_source": "test fixture"})
    ocols = header(TEMPLATE)
    n = 0
    with open(folder / "outcomes.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, ocols)
        w.writeheader()
        for pid, pathway, *_ in programs:
            for _ in range(records_per_program):
                n += 1
                grad = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 730))
                status, in_field = rng.choice(STATUSES)
                employed = in_field in ("true", "false")
                start = grad + timedelta(days=rng.randrange(-30, 240)) if employed else None
                # Collected after the job started and never before graduation (a row rule).
                collected = max(start or grad, grad) + timedelta(days=rng.randrange(10, 120))
                degree, field = rng.choice(PRIOR)
                base = {"masters": 105000, "bootcamp": 82000, "certificate": 76000}[pathway]
                w.writerow({
                    "record_id": f"r{n:06d}", "program_id": pid, "full_name": f"Graduate {n}",
                    "email": f"g{n}@example.org", "profile_url": "", "graduation_date": grad.isoformat(),
                    "cohort": f"{grad.year}H{1 if grad.month <= 6 else 2}", "prior_degree": degree,
                    "prior_field": field, "prior_role": "Analyst", "prior_salary": 50000 + rng.randrange(0, 30000),
                    "years_experience": rng.randrange(0, 10), "outcome_status": status, "in_field": in_field,
                    "role_category": rng.choice(ROLES) if employed else "",
                    "employer_name": "=HYPERLINK(\"http://x\")" if n % 50 == 0 else (f"Employer {n % 17}" if employed else ""),
                    "job_start_date": start.isoformat() if start else "",
                    "base_salary": base + rng.randrange(-20000, 30000) if employed else "",
                    "salary_currency": "USD" if employed else "", "source_kind": "graduate_survey",
                    "evidence_url": "", "collected_date": collected.isoformat(),
                    "verification_level": rng.choice(["documented", "corroborated", "self_reported"]),
                })
    with open(folder / "late_additions.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, ocols)
        w.writeheader()
        w.writerow({c: "" for c in ocols} | {  # unknown program: quarantined by the build stage
            "record_id": "bad-0001", "program_id": "no-such-program", "graduation_date": "2024-05-01",
            "cohort": "2024H1", "outcome_status": "seeking_employment", "source_kind": "graduate_survey",
            "collected_date": "2024-08-01", "verification_level": "self_reported"})
        w.writerow({c: "" for c in ocols} | {  # cohort does not match the date: quarantined on read
            "record_id": "bad-0002", "program_id": "msds-alpha", "graduation_date": "2024-05-01",
            "cohort": "2024H2", "outcome_status": "seeking_employment", "source_kind": "graduate_survey",
            "collected_date": "2024-08-01", "verification_level": "self_reported"})
    return folder


def subprocess_env(tmp: Path, warehouse: Path | None = None, **extra: str) -> dict[str, str]:
    """Environment for CLI subprocesses: private Prefect home, no telemetry, fixed person key.

    Every path the CLI may write is under ``tmp`` (warehouse, reports, raw snapshots, secrets,
    Prefect state): a subprocess never writes the checkout's ``data/`` or ``reports/``.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "OUTCOMES_"))}
    home = tmp / "prefect-home"
    home.mkdir(parents=True, exist_ok=True)
    env.update({
        "PREFECT_HOME": str(home), "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        "OUTCOMES_PERSON_KEY": "ops-test-person-key", "PYTHONUNBUFFERED": "1",
        "OUTCOMES_SECRETS_DIR": str(tmp / "secrets"),
        # No public-source snapshots: these tests are about publication, not sources.
        "OUTCOMES_RAW_DIR": str(tmp / "raw-empty"),
        "OUTCOMES_REPORTS_DIR": str(tmp / "reports"),
        "OUTCOMES_WAREHOUSE": str(warehouse if warehouse is not None else tmp / "warehouse" / "outcomes.duckdb"),
    })
    env.update(extra)
    return env


def bundled_raw_copy(dest: Path) -> Path:
    """A copy of the data the project ships under data/raw (its tracked files: not a user's own files).

    Outside a git checkout (e.g. an unpacked release) the whole folder is copied.
    """
    try:
        listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "data/raw"], capture_output=True,
                                check=True, timeout=600).stdout.decode().split("\0")
        names = [n for n in listed if n]
    except (OSError, subprocess.SubprocessError):
        names = []
    if not names:
        shutil.copytree(ROOT / "data" / "raw", dest)
        return dest
    for name in names:
        target = dest / Path(name).relative_to("data/raw")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    return dest


def cli(*args: str) -> list[str]:
    """The outcomes CLI in a subprocess; refresh and serve run offline (tests never touch the network)."""
    if args and args[0] in ("refresh", "serve"):
        args = (args[0], "--offline", *args[1:])
    return [sys.executable, "-m", "flows.cli", *args]
