"""The report fixtures every tier shares (registered by tests/conftest.py).

- ``report_env`` (session): a small generated warehouse built by ``outcomes refresh`` in a child process, and its
  report set. The first generated program is renamed to hostile text so every test also exercises escaping.
- ``fixture_site`` (session): the fixture warehouse (every table of the schema, created from schemas/, holding real
  public programs with earnings, an audited program, synthetic demonstration programs and rows in the answers
  contract's tables) and its report set, built once. A module that needs more rows takes ``derived_site``: a copy
  of that warehouse with its own rows added, and the copy's report set (the shared one is never changed).
- ``browser`` (module): one headless chromium.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

EVIL_NAME = "<script>alert(1)</script>"
EVIL_INSTITUTION = '"><img src=x onerror=alert(1)>'


@pytest.fixture(scope="session")
def report_env(tmp_path_factory) -> dict:
    import pandas as pd

    from devtools import synthetic
    from flows.reports import build_reports

    work = tmp_path_factory.mktemp("reports-wh")
    curated = work / "curated"
    synthetic.generate(curated, n_records=900, formats=("csv",))
    programs_csv = curated / "synthetic_programs.csv"
    df = pd.read_csv(programs_csv, dtype=str, keep_default_na=False)
    evil_id = df.loc[0, "program_id"]
    df.loc[0, "program_name"] = EVIL_NAME
    df.loc[0, "institution_name"] = EVIL_INSTITUTION
    df.to_csv(programs_csv, index=False)
    wh = _refresh(work, curated)
    out = work / "reports"
    result = build_reports(wh, out)
    return {"warehouse": wh, "out": out, "result": result, "evil_id": evil_id, "curated": curated}


def _refresh(work: Path, curated: Path) -> Path:
    import os
    import subprocess
    import sys

    from flows import settings

    wh = work / "warehouse" / "outcomes.duckdb"
    (work / "prefect").mkdir(exist_ok=True)
    env = dict(os.environ, PREFECT_HOME=str(work / "prefect"), OUTCOMES_REPORTS_DIR=str(work / "flow-reports"))
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.run([sys.executable, "-m", "flows.cli", "refresh", "--offline", "--quiet", "--curated", str(curated),
                           "--warehouse", str(wh)], env=env, capture_output=True, text=True,
                          cwd=settings.PROJECT_ROOT, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return wh


# --------------------------------------------------------------------------- the fixture warehouse and its report set
HOSTILE = "</script><b>bold"
REAL_ID = "ipeds-999901-3070-masters"
REAL_NAME = f"Data Science {HOSTILE} (Master's degree, CIP 30.70)"
REAL_INSTITUTION = "Fixture State University"
BACH_ID = "ipeds-999901-3070-bachelors"
N_PUBLIC, N_SYNTHETIC = 60, 5  # generated public programs, synthetic demonstration programs
EARNINGS = {  # (source, years) -> (p25, median, p75, n) in constant 2023 dollars
    ("census_pseo", 1): (61000.0, 78000.0, 95000.0, 40), ("census_pseo", 5): (80000.0, 101000.0, 125000.0, 38),
    ("census_pseo", 10): (95000.0, 121000.0, 150000.0, 31), ("college_scorecard", 1): (None, 83000.0, None, 27),
}
STATEMENTS = [  # section, id, ordinal, statement, value, unit, not_in_data
    ("payback", "payback-median", 1, "The median real CS master's pays back in 6.1 years.", 6.1, "years", False),
    ("peer_outcomes", "peer-median-1y", 1, "Median earnings one year after a CS master's: $98,000.", 98000.0, "usd", False),
    ("premium", "premium-ncses", 1, "Master's holders in computer science earn 18% more than bachelor's holders.", 1.18, "ratio", False),
    ("cost", "cost-median", 1, "Median assumed total cost $61,000.", 61000.0, "usd", False),
    ("loan_risk", "loan-share", 1, "Median loan payment is 9% of earnings.", 0.09, "share", False),
    ("flexible_options", "online-earnings", 1, "The data cannot separate online from in-person master's programs.", None, None, True),
    ("part_time_options", "part-time", 1, "Part-time study is not in the public data.", None, None, True),
    ("alternatives", "bootcamp", 1, "Audited bootcamp reports place 70% in field by day 180.", 0.7, "share", False),
    ("peer_outcomes", "peer-median-5y", 2, "Five years after: $121,000 <script>x</script>.", 121000.0, "usd", False),
]


def _ddl(con, table: str, cols: dict[str, str]) -> None:
    """The table with exactly the contract's columns (replacing the schema's, which may carry more)."""
    con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute(f"CREATE TABLE {table} ({', '.join(f'{c} {t}' for c, t in cols.items())})")


def _outcome(con, pid, src, measure, years, cohort, value, n, unit="usd_per_year", mixed=True):
    con.execute("""INSERT INTO core_public__program_outcomes (program_id, data_origin, institution_id, cip_code,
        credential_level_code, measure, years_after_graduation, grad_cohort, value, value_unit, value_count, dollar_year,
        constant_dollar_year, value_constant_dollars, cohorts_differ_across_horizons, value_status, snapshot_id)
        VALUES (?, ?, ?, '30.70', '07', ?, ?, ?, ?, ?, ?, 2023, 2023, ?, ?, ?, 'fixture')""",
                [pid, src, "99990100" if (pid, src) == (REAL_ID, "census_pseo") else pid, measure, years, cohort, value, unit, n,
                 value, mixed, "published" if value is not None else "not_published"])


def _program(con, pid, name, institution, pathway, origin, cls, synthetic, level=None, state="CO", cip="30.70"):
    con.execute("INSERT INTO core_programs__programs (program_id, institution_name, program_name, pathway, cip_code, state_code, "
                "country_code, data_origin) VALUES (?, ?, ?, ?, ?, ?, 'US', ?)", [pid, institution, name, pathway, cip, state, origin])
    con.execute("INSERT INTO out_reports__program_notices VALUES (?, ?, ?, ?, ?)",
                [pid, origin, cls, synthetic, "SYNTHETIC DATA: demonstration only." if synthetic else None])
    if origin == "public_records":
        con.execute("INSERT INTO core_public__programs (program_id, unitid, institution_name, state_code, institution_control, "
                    "cip_code, cip_title, credential_level, pathway, public_sources) VALUES (?, ?, ?, ?, 'Public', ?, "
                    "'Data Science.', ?, ?, 'census_pseo; college_scorecard')", [pid, pid.split("-")[1], institution, state, cip, level, pathway])


def build_fixture_warehouse(path: Path, with_answers: bool = True) -> dict:
    """A warehouse with every table of the schema (empty) and fixture rows: real public programs with earnings,
    one audited program, synthetic demonstration programs, and (``with_answers``) the contract's answer tables."""
    from schemas.generate import all_ddl

    con = duckdb.connect(str(path))
    try:
        con.execute(all_ddl())
        con.execute("INSERT INTO core_warehouse__snapshot (warehouse_snapshot_id, run_id, built_at) "
                    "VALUES ('f1x7ure0000000ab', 'fixture-run', TIMESTAMP '2026-11-21 12:00:00')")
        for src in ("census_pseo", "college_scorecard"):
            con.execute("INSERT INTO core_ingest__sources (data_origin, source_status, snapshot_id, fetched_at, snapshot_age_days) "
                        "VALUES (?, 'bundled', '2026-11-01T000000Z-bundled', TIMESTAMP '2026-11-01 00:00:00', 20)", [src])
        _program(con, REAL_ID, REAL_NAME, REAL_INSTITUTION, "masters", "public_records", "public_records", False, "masters")
        _program(con, BACH_ID, "Data Science (Bachelor's degree, CIP 30.70)", REAL_INSTITUTION, "bachelors", "public_records",
                 "public_records", False, "bachelors")
        for (src, years), (p25, med, p75, n) in EARNINGS.items():
            for measure, value in (("earnings_p25", p25), ("earnings_median", med), ("earnings_p75", p75)):
                _outcome(con, REAL_ID, src, measure, years, "2016-2018", value, n)
        _outcome(con, REAL_ID, "college_scorecard", "debt_median", 0, "2018-2019", 31000.0, 25, unit="usd", mixed=False)
        states = ("CO", "TX", "NY", "CA", "WA")
        for i in range(N_PUBLIC):
            level = ("masters", "bachelors", "doctoral")[i % 3]
            pid = f"ipeds-{900000 + i}-1107-{level}"
            words = {"masters": "Master's degree", "bachelors": "Bachelor's degree", "doctoral": "Research doctorate"}[level]
            _program(con, pid, f"Computer Science (CIP 11.07, {words})", f"Institution {i:02d} University",
                     {"doctoral": "phd"}.get(level, level), "public_records", "public_records", False, level, states[i % 5], "11.07")
            if i % 4:  # three in four publish earnings
                for years in (1, 5, 10):
                    base = 50000.0 + 1000 * i + 8000 * years
                    for measure, v in (("earnings_p25", base * 0.8), ("earnings_median", base), ("earnings_p75", base * 1.25)):
                        _outcome(con, pid, "census_pseo", measure, years, "all", v, 30 + i)
        for i in range(N_SYNTHETIC):
            _program(con, f"bootcamp-synthetic-{i}", f"Synthetic Bootcamp {i}", "Demo Academy", "bootcamp", "curated", "synthetic", True)
        _program(con, "turing-be-2016", "Back-End Engineering", "Turing School", "bootcamp", "outcome_reports", "audited_report", False)
        for cls, n in (("audited_report", 1), ("synthetic", N_SYNTHETIC)):
            con.execute("INSERT INTO out_reports__pathway_medians (data_origin_class, pathway, pathway_programs_count, "
                        "pathway_programs_published_count, pathway_median_salary_usd) VALUES (?, 'bootcamp', ?, 0, NULL)", [cls, n])
        if with_answers:
            add_answer_tables(con)
        n_programs = con.execute("SELECT count(*) FROM core_programs__programs").fetchall()[0][0]
        notices = {r[0]: bool(r[1]) for r in con.execute("SELECT program_id, is_synthetic FROM out_reports__program_notices").fetchall()}
    finally:
        con.close()
    return {"warehouse": path, "n_programs": n_programs, "notices": notices}


def add_answer_tables(con: duckdb.DuckDBPyConnection) -> None:
    _ddl(con, "out_public__program_premium", {
        "program_id": "VARCHAR", "bachelor_program_id": "VARCHAR", "data_origin": "VARCHAR", "years_after_graduation": "INTEGER",
        "grad_cohort": "VARCHAR", "dollar_year": "INTEGER", "constant_dollar_year": "INTEGER", "graduate_median_earnings_usd": "DOUBLE",
        "bachelor_median_earnings_usd": "DOUBLE", "premium_usd": "DOUBLE", "premium_ratio": "DOUBLE", "graduate_count": "INTEGER",
        "bachelor_count": "INTEGER", "selection_caveat": "VARCHAR"})
    con.execute("INSERT INTO out_public__program_premium VALUES (?, ?, 'census_pseo', 5, '2016-2018', 2023, 2023, 101000, 76000, "
                "25000, 1.3289, 38, 120, 'Graduates chose the degree: the premium is not its causal effect.')", [REAL_ID, BACH_ID])
    _ddl(con, "out_roi__public_program_costs", {c: t for c, t in (
        ("program_id", "VARCHAR"), ("credential_level", "VARCHAR"), ("institution_control", "VARCHAR"),
        ("tuition_per_year_usd", "DOUBLE"), ("tuition_basis", "VARCHAR"), ("study_years", "DOUBLE"), ("tuition_total_usd", "DOUBLE"),
        ("forgone_earnings_usd", "DOUBLE"), ("loan_interest_usd", "DOUBLE"), ("total_cost_usd", "DOUBLE"), ("earnings_usd", "DOUBLE"),
        ("earnings_horizon_years", "INTEGER"), ("earnings_source", "VARCHAR"), ("counterfactual_earnings_usd", "DOUBLE"),
        ("counterfactual_basis", "VARCHAR"), ("annual_gain_usd", "DOUBLE"), ("payback_years", "DOUBLE"), ("npv_10y_usd", "DOUBLE"),
        ("npv_20y_usd", "DOUBLE"), ("debt_median_usd", "DOUBLE"), ("debt_to_earnings_ratio", "DOUBLE"),
        ("monthly_loan_payment_usd", "DOUBLE"), ("payment_to_income_share", "DOUBLE"), ("assumptions_note", "VARCHAR"),
        ("not_computed_reason", "VARCHAR"))})
    con.execute("""INSERT INTO out_roi__public_program_costs VALUES (?, 'masters', 'Public', 14000, 'assumed: IPEDS graduate tuition',
        1.5, 21000, 60000, 3000, 84000, 78000, 1, 'census_pseo', 66000, 'same institution bachelor''s', 12000, 7.0, 5000, 60000,
        31000, 0.397, 320, 0.049, 'Tuition 1.5 years at the assumed rate; forgone earnings at the bachelor''s median; 5% real discount rate.',
        NULL)""", [REAL_ID])
    _ddl(con, "out_answers__statements", {
        "section": "VARCHAR", "statement_id": "VARCHAR", "ordinal": "INTEGER", "field_scope": "VARCHAR", "credential_level": "VARCHAR",
        "statement": "VARCHAR", "value": "DOUBLE", "value_low": "DOUBLE", "value_high": "DOUBLE", "unit": "VARCHAR",
        "n_programs": "INTEGER", "n_graduates": "INTEGER", "source_name": "VARCHAR", "source_date": "VARCHAR",
        "data_origin": "VARCHAR", "not_in_data": "BOOLEAN"})
    for i, (section, sid, ordinal, text, value, unit, nid) in enumerate(STATEMENTS):
        con.execute("INSERT INTO out_answers__statements VALUES (?, ?, ?, 'CIP 11 computer and information sciences', 'masters', ?, ?, "
                    "?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [section, sid, ordinal, text, value, None if value is None else value * 0.9, None if value is None else value * 1.1,
                     unit, 100 + i, None if i % 2 else 5000 + i, f"Source {sid}", f"2024-0{1 + i % 9}-01", "census_pseo", nid])
    _ddl(con, "out_answers__peer_earnings", {
        "cip_family": "VARCHAR", "credential_level": "VARCHAR", "data_origin": "VARCHAR", "years_after_graduation": "INTEGER",
        "n_programs": "INTEGER", "p25_usd": "DOUBLE", "median_usd": "DOUBLE", "p75_usd": "DOUBLE", "constant_dollar_year": "INTEGER"})
    for years, med in ((1, 98000.0), (5, 121000.0), (10, 140000.0)):
        con.execute("INSERT INTO out_answers__peer_earnings VALUES ('11', 'masters', 'census_pseo', ?, 57, ?, ?, ?, 2023)",
                    [years, med * 0.8, med, med * 1.2])


def index_data(out: Path) -> dict:
    text = (out / "assets" / "programs-data.js").read_text(encoding="utf-8")
    prefix = "window.OUTCOMES_INDEX = "
    body = text[text.index(prefix) + len(prefix):].rstrip().rstrip(";")
    return json.loads(body)


def _describe(path: Path) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        n_programs = con.execute("SELECT count(*) FROM core_programs__programs").fetchall()[0][0]
        notices = {r[0]: bool(r[1]) for r in con.execute("SELECT program_id, is_synthetic FROM out_reports__program_notices").fetchall()}
    finally:
        con.close()
    return {"n_programs": n_programs, "notices": notices}


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> dict:
    """The fixture warehouse and its report set, built once per session; tests only read them.

    Keys: warehouse, out (the report folder), result (build_reports' answer), n_programs, notices."""
    from flows.reports import build_reports

    work = tmp_path_factory.mktemp("fixture-site")
    env = build_fixture_warehouse(work / "outcomes.duckdb")
    out = work / "reports"
    env.update(out=out, result=build_reports(env["warehouse"], out))
    return env


def derived_site(base: dict, work: Path, change: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
                 build: bool = True) -> dict:
    """A copy of ``base``'s warehouse in ``work`` with ``change(con)`` applied, and (``build``) its own report set."""
    from flows.reports import build_reports

    work.mkdir(parents=True, exist_ok=True)
    wh = work / "outcomes.duckdb"
    shutil.copyfile(base["warehouse"], wh)
    if change is not None:
        con = duckdb.connect(str(wh))
        try:
            change(con)
        finally:
            con.close()
    env = {"warehouse": wh, **_describe(wh)}
    if build:
        out = work / "reports"
        env.update(out=out, result=build_reports(wh, out))
    return env


@pytest.fixture(scope="module")
def browser():
    """One headless chromium per test module (tests/e2e/browser.py; skipped without it).

    Module-wide, not session-wide: while Playwright's sync API runs, its event loop is the thread's
    running loop, so Prefect's own ``asyncio.run`` in later tests would fail."""
    from tests.e2e.browser import launch

    pw, chromium = launch()
    yield chromium
    chromium.close()
    pw.stop()
