"""The index's program list (programs-data.js) without a browser: every empty figure carries its reason."""

from __future__ import annotations

import duckdb
import pytest

from flows.reports.build import (INDEX_COLUMNS, WHY_DIGITS, WHY_FIELDS, WHY_NEVER, WHY_NO_COST_ROW, WHY_NO_EARNINGS_SOURCE,
                                 WHY_NO_GRADUATE_RECORDS, WHY_NOT_PUBLIC, WHY_PUBLIC_PLACEMENT, index_row)
from flows.reports.data import load_warehouse
from tests.report_fixtures import REAL_ID, _outcome, derived_site


@pytest.fixture(scope="module")
def wf(fixture_site, tmp_path_factory):
    def withheld(con):  # a program whose only earnings are withheld by the Census Bureau
        _outcome(con, "ipeds-900000-1107-masters", "census_pseo", "earnings_median", 1, "all", None, None)
        con.execute("UPDATE core_public__program_outcomes SET value_status = 'suppressed', suppression_reason = 'status 5: withheld' "
                    "WHERE program_id = 'ipeds-900000-1107-masters'")
    env = derived_site(fixture_site, tmp_path_factory.mktemp("index-data"), withheld, build=False)
    con = duckdb.connect(str(env["warehouse"]), read_only=True)
    try:
        return load_warehouse(con)
    finally:
        con.close()


def row_of(wf, pid: str) -> tuple[dict, dict]:
    strings, reasons, kinds, whys = {}, {}, {}, {}
    program = next(p for p in wf.programs if p["program_id"] == pid)
    row = index_row(wf, program, strings, reasons, kinds, whys)
    x = {c: (row[i] if i < len(row) else None) for i, c in enumerate(INDEX_COLUMNS)}
    code = list(whys)[x["why"]]
    by_index = {i: r for r, i in reasons.items()}
    why = {f: by_index[WHY_DIGITS.index(ch)] for f, ch in zip(WHY_FIELDS, code) if ch != "."}
    assert {f for f in WHY_FIELDS if (x["earnings_n"] if f == "n" and x["earnings_source"] else x.get(f)) is None} >= set(why)
    return x, why


def test_public_program_figures_and_the_reasons_for_its_gaps(wf):
    x, why = row_of(wf, REAL_ID)
    assert x["earnings_source"] == "college_scorecard" and x["earnings_1y"] == 83000 and x["payback"] == 7.0 and x["cost"] == 84000
    assert why["earnings_5y"] == ("not published", "College Scorecard publishes no earnings 5 years after graduation for this program")
    assert why["in_field_180d"] == why["salary"] == WHY_PUBLIC_PLACEMENT
    assert "earnings_1y" not in why and "payback" not in why and "n" not in why


def test_withheld_earnings_say_who_withheld_them(wf):
    x, why = row_of(wf, "ipeds-900000-1107-masters")
    assert x["earnings_source"] is None and x["earnings_1y"] is None
    assert why["earnings_1y"] == ("withheld", "Census PSEO: status 5: withheld")
    assert why["earnings_5y"] == WHY_NO_EARNINGS_SOURCE  # nothing at all at 5 years
    assert why["payback"] == WHY_NO_COST_ROW  # masters are costed, this one has no row


def test_public_levels_without_cost_estimates_name_the_levels_costed(wf):
    x, why = row_of(wf, "ipeds-900001-1107-bachelors")
    assert why["payback"] == why["cost"] == ("not computed", "cost and payback of public programs are estimated for masters only")
    assert x["earnings_source"] == "census_pseo" and "earnings_1y" not in why and "n" not in why


def test_curated_program_gaps_suppressed_never_and_no_records(wf):
    pid = "turing-be-2016"
    _, why = row_of(wf, pid)
    assert why["earnings_1y"] == WHY_NOT_PUBLIC and why["salary"] == why["payback"] == why["n"] == WHY_NO_GRADUATE_RECORDS
    wf.costs[pid] = {"program_id": pid, "is_suppressed": True, "suppression_reason": "primary: fewer than k=10 graduates"}
    try:
        _, why = row_of(wf, pid)
        assert why["salary"] == why["payback"] == why["n"] == ("withheld", "primary: fewer than k=10 graduates")
        wf.costs[pid] = {"program_id": pid, "is_suppressed": False, "graduates": 40, "median_base_salary_usd": 50000.0,
                         "employed_in_field_180d_rate": 0.5, "total_cost_usd": 30000.0, "annual_gain_usd": -2000.0, "payback_years": None}
        x, why = row_of(wf, pid)
        assert x["salary"] == 50000 and x["graduates"] == 40 and why["payback"] == WHY_NEVER and set(why) == {
            "earnings_1y", "earnings_5y", "earnings_10y", "debt", "payback"}
    finally:
        wf.costs.pop(pid, None)
