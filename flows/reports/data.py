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
)
# What a page says about a program: the program table's fields without file lineage (from the metadata).
PROGRAM_COLUMNS = tuple(f for f in TABLES["core_programs__programs"].fields if f not in ("source_file", "source_row_number"))


class ReportDataError(RuntimeError):
    pass


def clean(value):
    """A table cell as a JSON-ready value (None for NULL/NaN, ISO text for times, plain Python numbers)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.isoformat()
    return value


def _records(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    return [{c: clean(v) for c, v in zip(cols, row)} for row in cur.fetchall()]


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


def load_warehouse(con: duckdb.DuckDBPyConnection) -> WarehouseFigures:
    have = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    missing = [t for t in REQUIRED_TABLES if t not in have]
    if missing:
        raise ReportDataError(f"the warehouse has no table(s) {', '.join(missing)}: run `outcomes refresh` first")
    snap = _records(con, "SELECT warehouse_snapshot_id, run_id, built_at, code_version FROM core_warehouse__snapshot")
    if not snap:
        raise ReportDataError("core_warehouse__snapshot is empty: the warehouse was never published")
    wf = WarehouseFigures(
        snapshot=snap[0],
        sources=_records(con, "SELECT data_origin, source_status, snapshot_id, fetched_at, snapshot_age_days "
                              "FROM core_ingest__sources ORDER BY data_origin"),
        programs=_records(con, f"SELECT {', '.join(PROGRAM_COLUMNS)} FROM core_programs__programs ORDER BY program_id"),
        pathways=_records(con, "SELECT * FROM out_reports__pathway_medians ORDER BY pathway, data_origin_class"),
    )
    for grain, order in (("program", "program_id"), ("program_year", "program_id, graduation_year"),
                         ("program_cohort", "program_id, graduation_year, cohort")):
        for kind, target in (("placement", wf.placement), ("salary", wf.salary)):
            rows = _records(con, f"SELECT * FROM out_outcomes__{grain}_{kind} ORDER BY {order}")
            for r in rows:
                target.setdefault(grain, defaultdict(list))[r["program_id"]].append(r)
    wf.costs = {r["program_id"]: r for r in _records(con, "SELECT * FROM out_roi__program_costs")}
    wf.sensitivity = _by_program(_records(con, "SELECT * FROM out_reports__roi_sensitivity ORDER BY program_id, loan_rate, salary_scenario_factor"))
    wf.prior_background = _by_program(_records(con, "SELECT * FROM out_reports__program_prior_background ORDER BY program_id, prior_degree"))
    wf.role_wages = _by_program(_records(con, "SELECT * FROM out_benchmarks__program_role_wages ORDER BY program_id, role_category, soc_code"))
    wf.public_earnings = _by_program(_records(con, "SELECT * FROM out_benchmarks__program_public_earnings "
                                                   "ORDER BY program_id, data_origin, grad_cohort, years_after_graduation"))
    wf.links = {r["program_id"]: r for r in _records(con, "SELECT program_id, unitid, pseo_institution_id, cip_code, "
                                                          "credential_level, link_note FROM core_links__program_public_ids")}
    wf.notices = {r["program_id"]: r for r in _records(con, "SELECT * FROM out_reports__program_notices")}
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
        "public_earnings": wf.public_earnings.get(pid, []),
        "public_link": wf.links.get(pid),
        "pathway_median": next((p for p in wf.pathways if p["pathway"] == pathway
                                and p["data_origin_class"] == (wf.notices.get(pid) or {}).get("data_origin_class")), None),
        "pathways": wf.pathways,
        "sources": wf.sources,
        "snapshot": wf.snapshot,
    }
