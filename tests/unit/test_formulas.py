"""The money formulas of flows/stats/roi.py (each written once), checked against hand computation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from flows.stats import roi as R


def test_monthly_payment_by_hand():
    # P = 10,000 at 6 %/year over 10 years: r = 0.005, n = 120, (1.005)^-120 = 0.5496327;
    # payment = 50 / (1 - 0.5496327) = 111.0205
    assert R.monthly_payment(10_000, 0.06, 10) == pytest.approx(111.0205, abs=1e-4)
    assert R.monthly_payment(1_200, 0.0, 1) == 100.0  # no interest: P / n
    assert R.monthly_payment(0, 0.08, 10) == 0.0
    assert isinstance(R.monthly_payment(1_200, 0.0, 1), float)


def test_monthly_payment_vectorised_and_checked():
    got = R.monthly_payment(np.array([10_000, 0, 1_200]), np.array([0.06, 0.06, 0.0]), np.array([10, 10, 1]))
    assert got == pytest.approx([111.0205, 0.0, 100.0], abs=1e-4)
    with pytest.raises(ValueError, match="principal >= 0"):
        R.monthly_payment(np.array([1_000, -1]), 0.05, 10)
    with pytest.raises(ValueError, match="term > 0"):
        R.monthly_payment(1_000, 0.05, 0)


def test_total_interest_by_hand():
    assert R.total_interest(10_000, 0.06, 10) == pytest.approx(111.0205 * 120 - 10_000, abs=0.01)  # 3,322.46
    assert R.total_interest(1_200, 0.0, 1) == 0.0
    assert R.total_interest(np.array([10_000, 1_200]), np.array([0.06, 0.0]), 10) == pytest.approx([3322.46, 0.0], abs=0.01)


def test_loan_schedule_is_payment_and_interest():
    payment, interest = R.loan_schedule(10_000, 0.06, 10)
    assert payment == pytest.approx(111.0205, abs=1e-4) and interest == pytest.approx(3322.46, abs=0.01)
    payments, interests = R.loan_schedule(np.array([10_000.0, 0.0]), 0.06, 10)
    assert list(interests) == pytest.approx([3322.46, 0.0], abs=0.01) and payments[1] == 0.0


def test_expected_salary_and_gain_by_hand():
    # 80 % in field at 100,000, the others at their counterfactual 50,000: 80,000 + 10,000
    assert R.expected_salary(0.8, 100_000, 50_000) == 90_000.0
    assert R.expected_gain(0.8, 100_000, 50_000) == pytest.approx(40_000.0)
    q = np.array([0.0, 1.0, 0.5])
    assert list(R.expected_salary(q, 90_000, 50_000)) == [50_000.0, 90_000.0, 70_000.0]
    assert list(R.expected_gain(q, 90_000, 50_000)) == [0.0, 40_000.0, 20_000.0]
    # an in-field salary below the counterfactual is a loss
    assert R.expected_gain(0.5, 40_000, 50_000) == -5_000.0


def test_payback_years_vectorised():
    got = R.payback_years(np.array([100_000, 100_000, 100_000, np.nan]), np.array([20_000, 0, -5, 1]))
    assert got[0] == 5.0 and math.isinf(got[1]) and math.isinf(got[2]) and math.isnan(got[3])
    assert R.payback_years(20_000, 10_000) == 2.0


def test_npv_by_hand():
    # one year of study costing 20,000, then a gain of 10,000 a year, 3 % real:
    # -20,000 + 10,000 / 1.03 + 10,000 / 1.03^2 = -20,000 + 9,708.7379 + 9,425.9591
    assert R.npv(3, 1.0, 20_000, 10_000, 0.0, 10, 0.03) == pytest.approx(-865.3030, abs=1e-3)
    # 1.5 years of study costing 30,000 (20,000 a full year), no discounting:
    # t0 -20,000; t1 half a year of study (-10,000) and half a year of gain (+5,000); t2 +10,000
    assert R.npv(3, 1.5, 30_000, 10_000, 0.0, 10, 0.0) == pytest.approx(-15_000.0)
    # loan interest 600 a year from graduation (1.5): half of year 1 (-300) and all of year 2 (-600)
    assert R.npv(3, 1.5, 30_000, 10_000, 600.0, 10, 0.0) == pytest.approx(-15_900.0)
    # interest stops after the term: a 1-year term from graduation at 1.0 covers year 1 only
    assert R.npv(3, 1.0, 20_000, 10_000, 1_000.0, 1, 0.0) == pytest.approx(-20_000 + 9_000 + 10_000)
    # no study time: the whole cost in year 0, the gain from year 0
    assert R.npv(2, 0.0, 5_000, 1_000, 0.0, 10, 0.0) == pytest.approx(-3_000.0)


def test_npv_vectorised_matches_scalar():
    got = R.npv(3, np.array([1.0, 1.5]), np.array([20_000, 30_000]), 10_000, 0.0, 10, 0.0)
    assert list(got) == [0.0, -15_000.0]
    d = np.array([0.0, 0.75, 1.0, 2.0, 4.5])
    cost = np.array([5_000, 12_000, 80_000, 120_000, 50_000])
    gain = np.array([1_000, -2_000, 25_000, 30_000, 0])
    vec = R.npv(20, d, cost, gain, 300.0, 10, 0.03)
    for i in range(len(d)):
        assert vec[i] == R.npv(20, float(d[i]), float(cost[i]), float(gain[i]), 300.0, 10, 0.03)


def test_payment_to_income_share_by_hand():
    assert R.payment_to_income_share(500, 60_000) == pytest.approx(0.1)  # 500 / (60,000 / 12)
    assert math.isnan(R.payment_to_income_share(500, 0))
    assert list(R.payment_to_income_share(np.array([250, 1_000]), np.array([30_000, 120_000]))) == pytest.approx([0.1, 0.1])


def test_program_costs_uses_the_loan_formulas():
    roi = {"forgone_share": {"full_time": 1.0, "part_time": 0.0}, "relocation_usd": 0.0, "extra_living_usd_per_year": 0.0,
           "pathway_funding": {},
           "loan_rate": 0.06, "financed_share": 1.0, "loan_term_years": 10}
    c = R.program_costs(10_000, 12, "online", "part_time", 50_000, roi)
    assert c.monthly_loan_payment_usd == pytest.approx(111.0205, abs=1e-4)
    assert c.loan_interest_usd == pytest.approx(3322.46, abs=0.01)
    assert c.total_usd == pytest.approx(10_000 + 3322.46, abs=0.01)  # part time: nothing forgone


def test_sensitivity_grid_is_the_scalar_formulas_per_scenario():
    import duckdb

    from flows.config import load_assumptions
    from flows.stats.report_tables import roi_sensitivity

    a = load_assumptions()
    con = duckdb.connect()
    con.execute("""CREATE TABLE out_roi__program_costs AS SELECT * FROM (VALUES
        ('p1', 'masters', 'in_person', 'full_time', 24.0, 40000.0, 60000.0, 0.8, 90000.0, false, 1.0),
        ('p2', 'bootcamp', 'online', 'part_time', 6.0, 12000.0, 45000.0, 0.5, 70000.0, false, 1.0),
        ('p3', 'masters', 'online', 'part_time', 24.0, 20000.0, 50000.0, 0.9, 80000.0, true, 1.0))
        t(program_id, pathway, modality, pacing, duration_months, tuition_fees_usd, counterfactual_salary_usd,
          employed_in_field_180d_rate, median_base_salary_usd, is_suppressed, total_cost_usd)""")
    df = roi_sensitivity(con, a)
    factors, rates = a["reports"]["sensitivity_salary_factors"], sorted(set(a["reports"]["sensitivity_loan_rates"]) | {a["roi"]["loan_rate"]})
    assert len(df) == 2 * len(factors) * len(rates) and set(df["program_id"]) == {"p1", "p2"}  # p3 is suppressed
    roi = a["roi"]
    for r in df.itertuples():
        q, s, cf, months, tuition, mod, pace, path = {
            "p1": (0.8, 90000.0, 60000.0, 24.0, 40000.0, "in_person", "full_time", "masters"),
            "p2": (0.5, 70000.0, 45000.0, 6.0, 12000.0, "online", "part_time", "bootcamp")}[r.program_id]
        costs = R.program_costs(tuition, months, mod, pace, cf, roi, loan_rate=r.loan_rate, pathway=path)
        gain = q * s * r.salary_scenario_factor + (1 - q) * cf - cf
        assert r.annual_gain_usd == pytest.approx(gain) and r.total_cost_usd == pytest.approx(costs.total_usd)
        assert r.npv_10y_usd == R.npv_from_costs(costs, 10, months / 12.0, float(r.annual_gain_usd), roi)
        want = R.payback_years(costs.total_usd, r.annual_gain_usd)
        assert (pd.isna(r.payback_years) and not math.isfinite(want)) or r.payback_years == pytest.approx(want)
