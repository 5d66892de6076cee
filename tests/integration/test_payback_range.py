"""The payback range: payback at the 75th and 25th percentile salary / earnings, same formula as payback_years."""


import pytest

from tests.integration.test_stats_build import _row, _small_world

from flows.config import load_assumptions
from flows.stats import build_out_tables
from flows.stats import public_roi as pr
from flows.stats.audit import PROGRAM_COPIES
from schemas.model import TABLES

A = load_assumptions()
NEW = ("payback_years_p25_salary", "payback_years_p75_salary")


def test_public_payback_range_uses_the_same_formula_and_is_null_when_the_gain_is_not_positive():
    roi = A["roi"]
    e = pr.Earnings(90000.0, 1, "college_scorecard", "c1", 60000.0, pr.SAME_INSTITUTION, 80000.0, 55000.0, 120000.0)
    row = pr.program_cost_row({"program_id": "m", "credential_level": "masters", "pathway": "masters"}, e, 15000.0,
                              "assumed: test", 2.0, roi, None)
    total = row["total_cost_usd"]
    assert row["payback_years"] == pytest.approx(total / 30000.0, rel=1e-6)
    assert row["payback_years_p75_salary"] == pytest.approx(total / 60000.0, rel=1e-6)
    assert row["payback_years_p25_salary"] is None  # 55,000 is below the 60,000 counterfactual: never
    assert row["payback_years_p75_salary"] < row["payback_years"]
    # percentiles not published: no range, the median payback stays
    bare = pr.program_cost_row({"program_id": "m", "credential_level": "masters", "pathway": "masters"},
                               pr.Earnings(90000.0, 1, "college_scorecard", "c1", 60000.0, pr.SAME_INSTITUTION), 15000.0,
                               "assumed: test", 2.0, roi, None)
    assert bare.get("payback_years_p25_salary") is None and bare.get("payback_years_p75_salary") is None
    assert bare["payback_years"] == pytest.approx(row["payback_years"])


def test_curated_payback_range_by_hand_and_suppressed_with_the_row():
    con = _small_world()
    build_out_tables(con, A)
    r = _row(con, "out_roi__program_costs", "program_id = 'a'")
    s = _row(con, "out_outcomes__program_salary", "program_id = 'a'")
    p, cf = r.employed_in_field_180d_rate, r.counterfactual_salary_usd
    for q, col in (("p25", "salary_p25_usd"), ("p75", "salary_p75_usd")):
        gain = p * s[col] + (1 - p) * cf - cf
        assert r[f"payback_years_{q}_salary"] == pytest.approx(r.total_cost_usd / gain)
    assert r.payback_years_p75_salary < r.payback_years < r.payback_years_p25_salary
    b = _row(con, "out_roi__program_costs", "program_id = 'b'")
    assert b.is_suppressed and all(b[c] is None or b[c] != b[c] for c in NEW)


def test_new_columns_are_declared_and_withheld_with_the_row():
    for t in ("out_roi__program_costs", "out_roi__public_program_costs"):
        assert all(c in TABLES[t].fields for c in NEW)
    assert all(c in PROGRAM_COPIES["out_roi__program_costs"] for c in NEW)
