"""Unit tests of the statistics functions against hand-computed answers."""

import math

import duckdb
import pandas as pd
import pytest

from flows.stats.intervals import median, median_ci_ranks, quantiles, rate, wilson_interval
from flows.stats.suppression import complementary_suppression, low_coverage, primary_suppression
from flows.stats import roi as R


def test_rate_and_zero_denominator():
    assert rate(3, 4) == 0.75
    assert math.isnan(rate(0, 0))
    assert list(rate([1, 2], [2, 8])) == [0.5, 0.25]


def test_wilson_known_values():
    # By hand: p=0.5, n=10, z=1.96: (0.5+0.19208 -/+ 1.96*sqrt(0.025+0.0096040))/1.38415 = 0.2366, 0.7634
    lo, hi = wilson_interval(5, 10)
    assert lo == pytest.approx(0.236593, abs=1e-6) and hi == pytest.approx(0.763407, abs=1e-6)
    # 0 of 10: lower 0, upper z^2/(n+z^2) = 3.8415/13.8415 = 0.27753
    lo, hi = wilson_interval(0, 10)
    assert lo == 0.0 and hi == pytest.approx(0.277533, abs=1e-6)
    # 10 of 10: symmetric
    lo, hi = wilson_interval(10, 10)
    assert hi == 1.0 and lo == pytest.approx(1 - 0.277533, abs=1e-6)
    assert all(math.isnan(v) for v in wilson_interval(0, 0))
    with pytest.raises(ValueError, match="successes"):
        wilson_interval(11, 10)


def test_quantiles_odd_even_ties_match_duckdb():
    assert quantiles([3, 1, 2]) == (1.5, 2.0, 2.5)          # odd n: median is the middle value
    assert median([4, 1, 3, 2]) == 2.5                       # even n: mean of the middle two
    assert quantiles([1, 2, 2, 2, 9]) == (2.0, 2.0, 2.0)     # ties
    assert median([5, 5, 7, 7]) == 6.0
    con = duckdb.connect()
    for xs in ([3, 1, 2], [4, 1, 3, 2], [1, 2, 2, 2, 9], [10, 20, 20, 35, 35, 40, 90]):
        got = con.execute("SELECT quantile_cont(x, 0.25), quantile_cont(x, 0.5), quantile_cont(x, 0.75) "
                          "FROM unnest(?::DOUBLE[]) t(x)", [xs]).fetchall()[0]
        assert quantiles(xs) == pytest.approx(got)


def test_median_ci_ranks_against_tables():
    assert median_ci_ranks(5) is None            # 1 - 2/32 = 93.75% < 95%: no interval
    assert median_ci_ranks(6) == (1, 6)          # coverage 1 - 2/64 = 96.9%
    assert median_ci_ranks(10) == (2, 9)         # coverage 97.9%
    assert median_ci_ranks(100) == (40, 61)      # standard table (e.g. Conover)


def test_primary_and_complementary_suppression():
    cells = pd.DataFrame({"program_id": ["a", "a", "a", "b", "b"], "year": [2021, 2022, 2023, 2021, 2022],
                          "graduates": [4, 30, 12, 50, 60]})
    flag, reason = primary_suppression(cells["graduates"], 10)
    assert list(flag) == [True, False, False, False, False]
    assert reason[0] == "primary: fewer than k=10 graduates" and "4" not in reason[0]
    out = complementary_suppression(cells.assign(is_suppressed=flag, suppression_reason=reason), ["program_id"], "graduates")
    # a: 2021 suppressed alone -> the smallest published sibling (2023, 12) is suppressed too; b untouched
    assert list(out["is_suppressed"]) == [True, False, True, False, False]
    assert out.loc[2, "suppression_reason"].startswith("complementary")
    # Two already suppressed: nothing more to do.
    cells2 = cells.assign(graduates=[4, 5, 12, 50, 60])
    f2, r2 = primary_suppression(cells2["graduates"], 10)
    out2 = complementary_suppression(cells2.assign(is_suppressed=f2, suppression_reason=r2), ["program_id"], "graduates")
    assert list(out2["is_suppressed"]) == [True, True, False, False, False]


def test_low_coverage():
    assert list(low_coverage([0.64, 0.65, None])) == [True, False, False]


def test_loan_amortisation_standard_formula():
    # P=10,000 at 6%/year over 10 years: r=0.005, n=120: P*r/(1-(1+r)^-n) = 111.0205
    p = R.monthly_payment(10_000, 0.06, 10)
    assert p == pytest.approx(10_000 * 0.005 / (1 - 1.005 ** -120)) and p == pytest.approx(111.0205, abs=1e-4)
    assert R.total_interest(10_000, 0.06, 10) == pytest.approx(111.0205 * 120 - 10_000, abs=0.01)
    assert R.monthly_payment(1200, 0.0, 1) == 100.0


def test_payback_and_npv_worked_example():
    # Costs 20,000 up front, one year of study, gain 10,000/year after, no loan, r=3%, horizon 3 years:
    # year 0: -20,000; year 1: +10,000/1.03; year 2: +10,000/1.03^2  -> -865.3
    v = R.npv(3, 1.0, 20_000, 10_000, 0.0, 10, 0.03)
    assert v == pytest.approx(-20_000 + 10_000 / 1.03 + 10_000 / 1.03 ** 2, abs=1e-6)
    assert v == pytest.approx(-865.30, abs=0.01)
    assert R.payback_years(20_000, 10_000) == 2.0
    assert R.payback_years(20_000, 0) == math.inf
    # Half a year of study: year 0 holds all the cost and half a year of gain.
    assert R.npv(1, 0.5, 1000, 2000, 0.0, 10, 0.03) == pytest.approx(-1000 + 1000)


def test_program_costs_components():
    roi = {"forgone_share": {"full_time": 1.0, "part_time": 0.0, "self_paced": 0.0}, "relocation_usd": 2000.0, "pathway_funding": {},
           "extra_living_usd_per_year": 1200.0, "loan_rate": 0.06, "financed_share": 0.5, "loan_term_years": 10}
    c = R.program_costs(20_000, 12, "in_person", "full_time", 50_000, roi)
    assert c.living_relocation_usd == 3200 and c.forgone_earnings_usd == 50_000 and c.financed_usd == 10_000
    assert c.loan_interest_usd == pytest.approx(111.0205 * 120 - 10_000, abs=0.01)
    assert c.total_usd == pytest.approx(20_000 + 3200 + 50_000 + c.loan_interest_usd)
    part = R.program_costs(20_000, 12, "online", "part_time", 50_000, roi)
    assert part.living_relocation_usd == 0 and part.forgone_earnings_usd == 0


def test_salary_bound_sql_by_data_origin():
    a = {"salary_plausibility": {"max_base_salary_usd": 1_000_000.0,
                                 "max_base_salary_usd_by_origin": {"freecodecamp_2016": 250_000.0, "o'brien": 5.0}}}
    sql = R.salary_bound_sql(a, "o")
    con = duckdb.connect()
    got = con.execute(f"SELECT o, {sql} FROM (VALUES ('curated'), ('freecodecamp_2016'), ('o''brien')) t(o) ORDER BY o").fetchall()
    assert got == [("curated", 1_000_000.0), ("freecodecamp_2016", 250_000.0), ("o'brien", 5.0)]
    no_bound = {"salary_plausibility": {"max_base_salary_usd": math.inf, "max_base_salary_usd_by_origin": {}}}
    assert R.salary_bound_sql(no_bound) == "'infinity'::DOUBLE"  # no bound configured (inf): nothing is set aside
    assert R.max_base_salary_usd(a, "freecodecamp_2016") == 250_000 and R.max_base_salary_usd(a, "curated") == 1_000_000
