"""Hand-built core tables for the statistics tests (created from schemas.generate.ddl)."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

import schemas  # noqa: F401
from flows.models import write_code_tables
from schemas.generate import ddl
from schemas.model import TABLES
from schemas.vocab import OUTCOME_STATUSES

CORE = ("core_programs__programs", "core_outcomes__graduate_outcomes", "core_public__program_earnings",
        "core_bls_oews__wages", "core_bls_oews__role_soc_crosswalk", "core_links__program_public_ids")


def program(program_id, pathway="bootcamp", modality="in_person", pacing="full_time", months=6.0, tuition=15000.0,
            state="CO"):
    return dict(program_id=program_id, institution_name=f"Inst {program_id}", program_name=f"Prog {program_id}",
                pathway=pathway, modality=modality, pacing=pacing, duration_months=months, tuition_fees_usd=tuition,
                city="Denver", state_code=state, country_code="US", data_origin="curated",
                source_file="data/raw/curated/programs.csv", source_row_number=1)


def record(i, program_id, status, grad=date(2023, 3, 1), days=None, salary=None, prior=None, role=None,
           prior_degree="bachelors", prior_field="business", years=3.0, collected_after=200,
           verification="documented"):
    _, cirr, nace, in_field = OUTCOME_STATUSES[status]
    job = grad + timedelta(days=days) if days is not None else None
    return dict(record_id=f"r{i}", person_key=f"p{i}", program_id=program_id, graduation_date=grad,
                cohort=f"{grad.year}H{1 if grad.month <= 6 else 2}", graduation_year=grad.year,
                class_year=grad.year if grad.month <= 6 else grad.year + 1, prior_degree=prior_degree,
                prior_field=prior_field, prior_salary=prior, prior_salary_usd=prior, years_experience=years,
                outcome_status=status, cirr_category=cirr, nace_category=nace, is_in_field=in_field,
                role_category=role if role else ("software_engineer" if cirr[0] in "12" else None),
                job_start_date=job, days_to_job_start=days, base_salary=salary,
                salary_currency="USD" if salary else None, base_salary_usd=salary, source_kind="graduate_survey",
                collected_date=grad + timedelta(days=collected_after), verification_level=verification,
                data_origin="curated", source_file="data/raw/curated/outcomes.csv", source_sha256="0" * 64,
                source_row_number=i + 1)


def make_core(programs=(), records=(), earnings=(), wages=(), crosswalk=(), links=()) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for table, rows in zip(CORE, (programs, records, earnings, wages, crosswalk, links)):
        con.execute(ddl(table))
        if rows:
            df = pd.DataFrame(list(rows))
            for c in TABLES[table].fields:
                if c not in df.columns:
                    df[c] = None
            con.register("_rows", df[list(TABLES[table].fields)])
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _rows")
            con.unregister("_rows")
    write_code_tables(con)  # what the warehouse build writes beside the core tables
    return con


def publish_peers(con, assumptions):
    """Write out_peers__program_peer_groups from the core tables (what the statistics step publishes, before
    the disclosure step), for the tests of the ranking that reads it."""
    from flows.stats.build import _write
    from flows.stats.peers import PEER_TABLE, peer_groups_frame

    _write(con, PEER_TABLE, peer_groups_frame(con, assumptions))
    return con
