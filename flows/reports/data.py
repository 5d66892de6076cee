"""Read the figures of every report from a published warehouse (read-only), one query per table.

Owns ``load_warehouse(con) -> WarehouseFigures`` and ``program_figures(wf, program_id) -> dict``
(the JSON document of one program page). A report computes no numbers of its own: every value
here is a cell of a warehouse table, passed through unchanged (NaN/NA become None, timestamps
ISO text). Choosing rows (which grain, which program) is the only logic.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import duckdb

from schemas import TABLES
import numpy as np
import pandas as pd

#: Tables a report reads. A missing table is an error naming it (the warehouse is older than the reports).
REQUIRED_TABLES = (
    "core_programs__programs", "core_ingest__sources", "core_warehouse__snapshot", "core_links__program_public_ids",
    "out_outcomes__program_placement", "out_outcomes__program_salary", "out_outcomes__program_year_placement",
    "out_outcomes__program_year_salary", "out_outcomes__program_cohort_placement", "out_outcomes__program_cohort_salary",
    "out_roi__program_costs",
    "out_benchmarks__program_role_wages", "out_benchmarks__program_public_earnings",
    "out_reports__pathway_medians", "out_reports__roi_sensitivity", "out_reports__program_prior_background",
    "out_reports__program_notices",
    "core_public__programs", "core_public__program_outcomes", "core_public__program_cells",
)
#: Tables read when they exist (built by the answers step); a page section without its table says so in one line.
OPTIONAL_TABLES = ("out_public__program_premium", "out_roi__public_program_costs", "out_answers__statements",
                   "out_answers__peer_earnings")
#: Measures of core_public__program_outcomes a public program page shows.
PUBLIC_MEASURES = ("earnings_p25", "earnings_median", "earnings_p75", "debt_median", "debt_monthly_payment", "completers",
                   "wage_record_share")
# What a page says about a program: the program table's fields without file lineage (from the metadata).
PROGRAM_COLUMNS = tuple(f for f in TABLES["core_programs__programs"].fields if f not in ("source_file", "source_row_number"))


class ReportDataError(RuntimeError):
    pass


def clean(value):
    """A table cell as a JSON-ready value (None for NULL/NaN, ISO text for times, plain Python numbers)."""
    t = type(value)
    if value is None or t is str or t is int or t is bool:  # the common cells, first
        return value
    if t is float:
        return None if value != value else value
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


#: DuckDB column types whose Python values are JSON-ready as fetched (no NaN, no time, no Decimal).
_PLAIN_TYPES = {"VARCHAR", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER", "BOOLEAN"}


def _records(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    rows = cur.fetchall()
    dirty = [i for i, d in enumerate(cur.description) if str(d[1]) not in _PLAIN_TYPES]
    if not dirty:
        return [dict(zip(cols, row)) for row in rows]
    out = []
    for row in rows:
        row = list(row)
        for i in dirty:
            row[i] = clean(row[i])
        out.append(dict(zip(cols, row)))
    return out


def _by_program(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        out[r["program_id"]].append(r)
    return out


@dataclass
class WarehouseFigures:
    snapshot: dict
    sources: list[dict]
    programs: list[dict]
    pathways: list[dict]
    placement: dict[str, dict[str, list[dict]]] = field(default_factory=dict)  # grain -> program_id -> rows
    salary: dict[str, dict[str, list[dict]]] = field(default_factory=dict)
    costs: dict[str, dict] = field(default_factory=dict)
    sensitivity: dict[str, list[dict]] = field(default_factory=dict)
    prior_background: dict[str, list[dict]] = field(default_factory=dict)
    role_wages: dict[str, list[dict]] = field(default_factory=dict)
    public_earnings: dict[str, list[dict]] = field(default_factory=dict)
    links: dict[str, dict] = field(default_factory=dict)
    notices: dict[str, dict] = field(default_factory=dict)
    public_programs: dict[str, dict] = field(default_factory=dict)
    public_outcomes: dict[str, list[dict]] = field(default_factory=dict)
    institution_names: dict[tuple[str, str], str] = field(default_factory=dict)
    #: (data_origin, institution_id, cip_code, credential_level) -> the public program of that cell
    cell_programs: dict[tuple, str] = field(default_factory=dict)
    premium: dict[str, list[dict]] = field(default_factory=dict)
    public_costs: dict[str, dict] = field(default_factory=dict)
    statements: list[dict] = field(default_factory=list)
    peer_earnings: list[dict] = field(default_factory=list)
    present: frozenset = frozenset()  # optional tables present in the warehouse


def load_warehouse(con: duckdb.DuckDBPyConnection, limit: int | None = None) -> WarehouseFigures:
    """Every figure of the report set, one query per table. ``limit``: only the first N programs (by id)."""
    have = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    missing = [t for t in REQUIRED_TABLES if t not in have]
    if missing:
        raise ReportDataError(f"the warehouse has no table(s) {', '.join(missing)}: run `outcomes refresh` first")
    snap = _records(con, "SELECT warehouse_snapshot_id, run_id, built_at, code_version, build_fingerprint FROM core_warehouse__snapshot")
    if not snap:
        raise ReportDataError("core_warehouse__snapshot is empty: the warehouse was never published")
    wf = WarehouseFigures(
        snapshot=snap[0],
        sources=_records(con, "SELECT data_origin, source_status, snapshot_id, fetched_at, snapshot_age_days "
                              "FROM core_ingest__sources ORDER BY data_origin"),
        programs=_records(con, f"SELECT {', '.join(PROGRAM_COLUMNS)} FROM core_programs__programs ORDER BY program_id"
                               + (f" LIMIT {int(limit)}" if limit is not None else "")),
        pathways=_records(con, "SELECT * FROM out_reports__pathway_medians ORDER BY pathway, data_origin_class"),
    )
    # With a limit, every per-program table is read for the chosen programs only.
    only = (f"WHERE program_id IN (SELECT program_id FROM core_programs__programs ORDER BY program_id LIMIT {int(limit)})"
            if limit is not None else "")
    for grain, order in (("program", "program_id"), ("program_year", "program_id, graduation_year"),
                         ("program_cohort", "program_id, graduation_year, cohort")):
        for kind, target in (("placement", wf.placement), ("salary", wf.salary)):
            rows = _records(con, f"SELECT * FROM out_outcomes__{grain}_{kind} {only} ORDER BY {order}")
            for r in rows:
                target.setdefault(grain, defaultdict(list))[r["program_id"]].append(r)
    wf.costs = {r["program_id"]: r for r in _records(con, f"SELECT * FROM out_roi__program_costs {only}")}
    wf.sensitivity = _by_program(_records(con, f"SELECT * FROM out_reports__roi_sensitivity {only} ORDER BY program_id, loan_rate, salary_scenario_factor"))
    wf.prior_background = _by_program(_records(con, f"SELECT * FROM out_reports__program_prior_background {only} ORDER BY program_id, prior_degree"))
    wf.role_wages = _by_program(_records(con, f"SELECT * FROM out_benchmarks__program_role_wages {only} ORDER BY program_id, role_category, soc_code"))
    wf.public_earnings = _by_program(_records(con, f"SELECT * FROM out_benchmarks__program_public_earnings {only} "
                                                   "ORDER BY program_id, data_origin, grad_cohort, years_after_graduation"))
    wf.links = {r["program_id"]: r for r in _records(con, "SELECT program_id, unitid, pseo_institution_id, cip_code, "
                                                          f"credential_level, link_note FROM core_links__program_public_ids {only}")}
    wf.notices = {r["program_id"]: r for r in _records(con, f"SELECT * FROM out_reports__program_notices {only}")}
    wf.public_programs = {r["program_id"]: r for r in _records(con, f"SELECT * FROM core_public__programs {only}")}
    measures = ", ".join(f"'{m}'" for m in PUBLIC_MEASURES)
    wf.public_outcomes = _by_program(_records(con, f"""
        SELECT program_id, data_origin, measure, years_after_graduation, grad_cohort, value, value_unit, value_count,
               dollar_year, constant_dollar_year, value_constant_dollars, cohorts_differ_across_horizons, value_status,
               suppression_reason, measurement_period
        FROM core_public__program_outcomes {only or "WHERE true"} AND program_id IS NOT NULL AND measure IN ({measures})
        ORDER BY program_id, data_origin, measure, years_after_graduation, grad_cohort"""))
    wf.institution_names = {(r["data_origin"], r["institution_id"]): r["institution_name"] for r in _records(con, """
        SELECT DISTINCT c.data_origin, c.institution_id, coalesce(p.institution_name, c.institution_name) AS institution_name
        FROM core_public__program_cells c LEFT JOIN core_public__programs p USING (program_id)
        ORDER BY ALL""")}
    wf.cell_programs = {(r["data_origin"], r["institution_id"], r["cip_code"], r["credential_level"]): r["program_id"]
                        for r in _records(con, "SELECT DISTINCT data_origin, institution_id, cip_code, credential_level, program_id "
                                               "FROM core_public__program_cells WHERE program_id IS NOT NULL ORDER BY ALL")}
    wf.present = frozenset(t for t in OPTIONAL_TABLES if t in have)
    if "out_public__program_premium" in wf.present:
        wf.premium = _by_program(_records(con, f"SELECT * FROM out_public__program_premium {only} "
                                               "ORDER BY program_id, data_origin, years_after_graduation"))
    if "out_roi__public_program_costs" in wf.present:
        wf.public_costs = {r["program_id"]: r for r in _records(con, f"SELECT * FROM out_roi__public_program_costs {only}")}
    if "out_answers__statements" in wf.present:
        wf.statements = _records(con, "SELECT * FROM out_answers__statements ORDER BY section, ordinal, statement_id")
    if "out_answers__peer_earnings" in wf.present:
        wf.peer_earnings = _records(con, "SELECT * FROM out_answers__peer_earnings "
                                         "ORDER BY cip_family, credential_level, data_origin, years_after_graduation")
    return wf


def _one(rows: list[dict] | None) -> dict | None:
    return rows[0] if rows else None


def program_figures(wf: WarehouseFigures, program: dict) -> dict:
    """Every figure of one program page, as read from the tables (the page's JSON document)."""
    pid = program["program_id"]
    pathway = program["pathway"]
    sal_cohort = {(r["graduation_year"], r["cohort"]): r for r in wf.salary.get("program_cohort", {}).get(pid, [])}
    sal_year = {r["graduation_year"]: r for r in wf.salary.get("program_year", {}).get(pid, [])}
    return {
        "program_id": pid,
        "warehouse_snapshot_id": wf.snapshot["warehouse_snapshot_id"],
        "program": program,
        "notice": wf.notices.get(pid),
        "placement": _one(wf.placement.get("program", {}).get(pid)),
        "salary": _one(wf.salary.get("program", {}).get(pid)),
        "by_year": [{"placement": r, "salary": sal_year.get(r["graduation_year"])}
                    for r in wf.placement.get("program_year", {}).get(pid, [])],
        "by_cohort": [{"placement": r, "salary": sal_cohort.get((r["graduation_year"], r["cohort"]))}
                      for r in wf.placement.get("program_cohort", {}).get(pid, [])],
        "prior_background": wf.prior_background.get(pid, []),
        "costs": wf.costs.get(pid),
        "sensitivity": wf.sensitivity.get(pid, []),
        "role_wages": wf.role_wages.get(pid, []),
        "public_earnings": [{**e, "institution_name": wf.institution_names.get((e["data_origin"], e["institution_id"])),
                             **linked_constant_dollars(wf, e)} for e in wf.public_earnings.get(pid, [])],
        "public_link": wf.links.get(pid),
        "pathway_median": next((p for p in wf.pathways if p["pathway"] == pathway
                                and p["data_origin_class"] == (wf.notices.get(pid) or {}).get("data_origin_class")), None),
    }


def linked_constant_dollars(wf: WarehouseFigures, e: dict) -> dict:
    """The constant-dollar p25 / median / p75 of a matched public earnings row, read from the public program of its cell
    (core_public__program_outcomes.value_constant_dollars), so that a trajectory has one dollar year."""
    pid = wf.cell_programs.get((e["data_origin"], e["institution_id"], e["cip_code"], e["credential_level"]))
    out = {"public_program_id": pid, "constant_dollar_year": None, "p25_constant_usd": None, "median_constant_usd": None,
           "p75_constant_usd": None}
    for o in wf.public_outcomes.get(pid, []) if pid else []:
        part = {"earnings_p25": "p25", "earnings_median": "median", "earnings_p75": "p75"}.get(o["measure"])
        if (part and o["data_origin"] == e["data_origin"] and o["grad_cohort"] == e["grad_cohort"]
                and o["years_after_graduation"] == e["years_after_graduation"]):
            out[f"{part}_constant_usd"] = o["value_constant_dollars"]
            out["constant_dollar_year"] = out["constant_dollar_year"] or o["constant_dollar_year"]
    return out


def is_public(program: dict) -> bool:
    """A real program published by public sources (a row of core_public__programs), not a curated one."""
    return program.get("data_origin") == "public_records"


def public_program_figures(wf: WarehouseFigures, program: dict) -> dict:
    """Every figure of one public program's page: its publishers' outcomes, premium and cost rows (when built)."""
    pid = program["program_id"]
    return {
        "program_id": pid,
        "warehouse_snapshot_id": wf.snapshot["warehouse_snapshot_id"],
        "program": program,
        "public_program": wf.public_programs.get(pid),
        "notice": wf.notices.get(pid),
        "public_outcomes": wf.public_outcomes.get(pid, []),
        "premium": wf.premium.get(pid, []),
        "public_costs": wf.public_costs.get(pid),
    }
