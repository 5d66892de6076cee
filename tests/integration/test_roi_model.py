"""ROI model choices: funded PhDs, loan rates and wage benchmarks by country, the salary plausibility
bound, and "people like me" denominators and intervals. Each assumption is changed and its effect checked."""

from copy import deepcopy

import numpy as np
import pandas as pd
import pytest

from tests.stats_helpers import make_core, program, publish_peers, record

from flows.config import AssumptionError, check_assumptions, load_assumptions
from flows.stats import build_out_tables, rank_programs_for_person
from flows.stats import roi as R
from flows.stats.intervals import wilson_interval
from flows.stats.peers import payback_interval, z_of

A = load_assumptions()


def _with(**changes) -> dict:
    """The default assumptions with dotted keys replaced, e.g. _with(**{"roi.loan_rate": 0.05})."""
    a = deepcopy(A)
    for dotted, value in changes.items():
        node = a
        *path, last = dotted.split(".")
        for key in path:
            node = node.setdefault(key, {})
        node[last] = value
    return check_assumptions(a)


# ---------------------------------------------------------------- PhD: stipend and tuition waiver

def test_phd_forgone_earnings_are_net_of_the_stipend():
    roi = A["roi"]
    assert roi["pathway_funding"]["phd"]["stipend_usd_per_year"] == 37_000
    c = R.program_costs(0, 60, "in_person", "full_time", 50_000, roi, pathway="phd")
    assert c.forgone_earnings_usd == pytest.approx(5 * (50_000 - 37_000)) and c.stipend_usd == pytest.approx(185_000)
    assert c.total_usd == pytest.approx(65_000)
    # Without the pathway (or with no stipend) the whole counterfactual is forgone: the old figure.
    assert R.program_costs(0, 60, "in_person", "full_time", 50_000, roi).forgone_earnings_usd == pytest.approx(250_000)
    none = _with(**{"roi.pathway_funding.phd.stipend_usd_per_year": 0.0})["roi"]
    assert R.program_costs(0, 60, "in_person", "full_time", 50_000, none, pathway="phd").forgone_earnings_usd == 250_000
    # A stipend above the counterfactual is not counted as a gain: forgone earnings stop at 0.
    rich = _with(**{"roi.pathway_funding.phd.stipend_usd_per_year": 60_000.0})["roi"]
    assert R.program_costs(0, 60, "in_person", "full_time", 50_000, rich, pathway="phd").forgone_earnings_usd == 0
    # Other pathways are not funded.
    assert R.program_costs(0, 60, "in_person", "full_time", 50_000, roi, pathway="masters").stipend_usd == 0


def test_phd_tuition_waiver_removes_tuition_and_loan():
    roi = A["roi"]
    waived = R.program_costs(40_000, 60, "in_person", "full_time", 50_000, roi, pathway="phd")
    assert waived.tuition_waived and waived.tuition_fees_usd == 0 and waived.financed_usd == 0
    assert waived.loan_interest_usd == 0 and waived.total_usd == pytest.approx(65_000)
    paid = _with(**{"roi.pathway_funding.phd.tuition_waived": False})["roi"]
    c = R.program_costs(40_000, 60, "in_person", "full_time", 50_000, paid, pathway="phd")
    assert not c.tuition_waived and c.tuition_fees_usd == 40_000 and c.financed_usd == 40_000
    assert c.total_usd == pytest.approx(40_000 + 65_000 + c.loan_interest_usd) and c.loan_interest_usd > 0


def _phd_world(country="US", state="CO"):
    recs = [record(i, "phd", "employed_full_time_in_field", days=30, salary=120_000 + 1000 * i, prior=50_000,
                   role="research_scientist") for i in range(12)]
    recs += [record(100 + i, "phd", "seeking_employment", prior=50_000) for i in range(3)]
    p = program("phd", pathway="phd", months=60.0, tuition=0.0) | dict(country_code=country, state_code=state)
    return make_core([p], recs)


def test_phd_program_costs_table_uses_stipend():
    con = _phd_world()
    build_out_tables(con, A)
    r = con.execute("SELECT * FROM out_roi__program_costs").df().iloc[0]
    assert r.stipend_usd == pytest.approx(185_000) and bool(r.tuition_waived)
    assert r.forgone_earnings_usd == pytest.approx(65_000) and r.total_cost_usd == pytest.approx(65_000)
    build_out_tables(con, _with(**{"roi.pathway_funding.phd.stipend_usd_per_year": 0.0}))
    r0 = con.execute("SELECT * FROM out_roi__program_costs").df().iloc[0]
    assert r0.total_cost_usd == pytest.approx(250_000) and r0.npv_10y_usd < r.npv_10y_usd


# ---------------------------------------------------------------- countries: loan rate and BLS benchmark

def test_program_country_and_loan_rate_rules():
    roi = A["roi"]
    assert R.program_country("US", None) == "US" and R.program_country(None, "CO") == "US"
    assert R.program_country("", "TX") == "US" and R.program_country("gb", None) == "GB"
    assert R.program_country(None, None) is None and R.program_country(float("nan"), float("nan")) is None
    assert R.country_loan_rate("US", roi) == (pytest.approx(0.0808), None)
    assert R.country_loan_rate("GB", roi) == (None, "no loan rate for this country (GB)")
    assert R.country_loan_rate(None, roi) == (None, "no loan rate: country unknown")
    gb = _with(**{"roi.countries.GB": {"loan_rate": 0.05}})["roi"]
    assert R.country_loan_rate("GB", gb) == (0.05, None)
    us = _with(**{"roi.countries.US.loan_rate": 0.06})["roi"]
    assert R.country_loan_rate("US", us) == (0.06, None)
    assert R.country_has_bls_benchmark("US", roi) and not R.country_has_bls_benchmark("GB", roi)
    assert not R.country_has_bls_benchmark(None, roi)


def _gb_world():
    recs = [record(i, "gb", "employed_full_time_in_field", days=30, salary=70_000 + 1000 * i, prior=50_000)
            for i in range(12)]
    recs += [record(100 + i, "us", "employed_full_time_in_field", days=30, salary=90_000 + 1000 * i, prior=50_000)
             for i in range(12)]
    gb = program("gb", pathway="masters", months=12.0, tuition=30_000.0) | dict(country_code="GB", state_code=None)
    crosswalk = [dict(role_category="software_engineer", soc_code="15-1252", soc_title="Software Developers")]
    wages = [dict(series_id="OEUN000000000000015125213", soc_code="15-1252", soc_title="Software Developers",
                  area_type="national", state_code=None, reference_year=2023, wage_measure="annual_median",
                  wage_usd=130_160.0, value_status="released", snapshot_id="s")]
    return make_core([gb, program("us")], recs, wages=wages, crosswalk=crosswalk)


def test_non_us_program_has_no_loan_rate_unless_configured():
    con = _gb_world()
    build_out_tables(con, A)
    r = con.execute("SELECT * FROM out_roi__program_costs WHERE program_id = 'gb'").df().iloc[0]
    assert pd.isna(r.loan_rate) and r.loan_rate_note == "no loan rate for this country (GB)" and r.country_code == "GB"
    assert pd.isna(r.loan_interest_usd) and pd.isna(r.financed_usd) and pd.isna(r.debt_to_earnings_ratio)
    assert r.total_cost_usd == pytest.approx(30_000 + 50_000)  # tuition + a year forgone, no interest
    us = con.execute("SELECT * FROM out_roi__program_costs WHERE program_id = 'us'").df().iloc[0]
    assert us.loan_rate == pytest.approx(0.0808) and pd.isna(us.loan_rate_note) and us.country_code == "US"
    build_out_tables(con, _with(**{"roi.countries.GB": {"loan_rate": 0.05}}))
    r = con.execute("SELECT * FROM out_roi__program_costs WHERE program_id = 'gb'").df().iloc[0]
    assert r.loan_rate == 0.05 and pd.isna(r.loan_rate_note)
    assert r.loan_interest_usd == pytest.approx(R.total_interest(30_000, 0.05, 10))
    assert r.total_cost_usd == pytest.approx(80_000 + r.loan_interest_usd)


def test_bls_benchmark_only_for_us_or_configured_countries():
    con = _gb_world()
    build_out_tables(con, A)
    df = con.execute("SELECT * FROM out_benchmarks__program_role_wages ORDER BY program_id").df().set_index("program_id")
    gb, us = df.loc["gb"], df.loc["us"]
    assert pd.isna(gb.bls_national_median_usd) and pd.isna(gb.ratio_to_bls_national)
    assert gb.benchmark_note == "no benchmark for this country (GB)" and gb.median_base_salary_usd == pytest.approx(75_500)
    assert us.ratio_to_bls_national == pytest.approx(95_500 / 130_160) and pd.isna(us.benchmark_note)
    build_out_tables(con, _with(**{"roi.countries.GB": {"bls_benchmark": True}}))
    gb = con.execute("SELECT * FROM out_benchmarks__program_role_wages WHERE program_id = 'gb'").df().iloc[0]
    assert gb.ratio_to_bls_national == pytest.approx(75_500 / 130_160) and pd.isna(gb.benchmark_note)


# ---------------------------------------------------------------- salary plausibility bound

def _outlier_world():
    recs = [record(i, "a", "employed_full_time_in_field", days=30, salary=80_000 + 1000 * i, prior=50_000)
            for i in range(12)]
    recs.append(record(50, "a", "employed_full_time_in_field", days=30, salary=1_800_000, prior=50_000))
    recs.append(record(51, "a", "employed_full_time_in_field", days=30, salary=90_000, prior=1_500_000))
    return make_core([program("a")], recs)


def test_salary_above_the_bound_is_left_out_and_counted():
    con = _outlier_world()
    build_out_tables(con, A)
    s = con.execute("SELECT * FROM out_outcomes__program_salary").df().iloc[0]
    assert s.salary_reported_count == 13 and s.salary_mean_usd == pytest.approx((sum(80_000 + 1000 * i for i in range(12)) + 90_000) / 13)
    r = con.execute("SELECT * FROM out_roi__program_costs").df().iloc[0]
    assert r.salary_outliers_count == 2 and r.median_base_salary_usd == pytest.approx(86_000)
    assert r.counterfactual_salary_usd == 50_000  # the 1.5M prior salary falls back to the baseline
    # Raising the bound lets both in: the mean moves by the 1.8M salary.
    build_out_tables(con, _with(**{"salary_plausibility.max_base_salary_usd": 2_000_000.0}))
    s2 = con.execute("SELECT * FROM out_outcomes__program_salary").df().iloc[0]
    assert s2.salary_reported_count == 14 and s2.salary_mean_usd > 200_000
    assert con.execute("SELECT salary_outliers_count FROM out_roi__program_costs").fetchall()[0][0] == 0
    # A bound by data origin overrides the default for that origin.
    build_out_tables(con, _with(**{"salary_plausibility.max_base_salary_usd_by_origin": {"curated": 89_000.0}}))
    s3 = con.execute("SELECT * FROM out_outcomes__program_salary").df().iloc[0]
    assert s3.salary_reported_count == 10  # 80k..89k
    assert R.max_base_salary_usd(A) == 1_000_000 and R.max_base_salary_usd(A, "curated") == 1_000_000


# ---------------------------------------------------------------- people like me

def _peer_world():
    """Program p: 24 graduates with a bachelor's in business, 3 years' experience. 10 in field with a salary
    (gains 10k..100k over 50,000), 4 in field without a salary, 3 unknown, 3 seeking, 2 out of field,
    2 excluded (left out)."""
    recs, i = [], 0
    for j in range(10):
        recs.append(record(i, "p", "employed_full_time_in_field", days=30, salary=60_000 + 10_000 * j, prior=50_000)); i += 1
    for status, n in (("employed_full_time_in_field", 4), ("unknown", 3), ("seeking_employment", 3),
                      ("employed_full_time_out_of_field", 2), ("excluded", 2)):
        for _ in range(n):
            recs.append(record(i, "p", status, days=30 if "employed" in status else None, prior=50_000)); i += 1
    return make_core([program("p", months=12.0, tuition=20_000.0)], recs)


PERSON = dict(prior_degree="bachelors", prior_field="business", prior_salary=50_000, years_experience=3)


def test_peers_keep_in_field_without_salary_and_unknown_outcomes():
    con = _peer_world()
    r = rank_programs_for_person(publish_peers(con, A), PERSON, A).iloc[0]
    assert r.peer_group_size == 22 and r.peers_in_field_count == 14 and r.peers_salary_reported_count == 10
    assert r.peers_outcome_unknown_count is None  # 3 < k: withheld
    assert r.in_field_share == pytest.approx(14 / 22)
    mean_salary = np.mean([60_000 + 10_000 * j for j in range(10)])
    assert r.expected_salary_usd == pytest.approx(14 / 22 * mean_salary + 8 / 22 * 50_000)
    costs = R.program_costs(20_000, 12, "in_person", "full_time", 50_000, A["roi"])
    # Salaries 60k..150k by 10k: quartiles (quantile_cont) 82.5k, 105k, 127.5k, so F rises 0.25 per 22.5k.
    assert (r.peer_salary_p25_usd, r.median_peer_salary_usd, r.peer_salary_p75_usd) == (82_500, 105_000, 127_500)
    need = 50_000 + costs.total_usd / 3  # salary that repays the cost within 3 years
    share = 1 - min(1.0, max(0.0, 0.25 + 0.25 * (need - 82_500) / 22_500))
    assert r.p_payback_within_3y == pytest.approx(14 / 22 * share)
    assert r.p_payback_within_3y_lower < r.p_payback_within_3y < r.p_payback_within_3y_upper


def test_peers_and_program_costs_share_one_outcome_definition():
    """Every in-field salary equal: peers' expected salary equals the ROI table's (unknowns count as no gain in both)."""
    recs = [record(i, "q", "employed_full_time_in_field", days=30, salary=90_000 if i < 10 else None, prior=50_000)
            for i in range(13)]
    recs += [record(50 + i, "q", "unknown", prior=50_000) for i in range(5)]
    recs += [record(60 + i, "q", "seeking_employment", prior=50_000) for i in range(4)]
    recs += [record(70, "q", "employed_full_time_in_field", days=300, salary=150_000, prior=50_000)]  # after 180 days
    con = make_core([program("q", months=12.0, tuition=20_000.0)], recs)
    peers = rank_programs_for_person(publish_peers(con, A), dict(prior_degree="bachelors", prior_salary=50_000), A).iloc[0]
    build_out_tables(con, A)
    table = con.execute("SELECT * FROM out_roi__program_costs").df().iloc[0]
    assert peers.peer_group_size == 23 and table.employed_in_field_180d_rate == pytest.approx(13 / 23)
    assert peers.expected_salary_usd == pytest.approx(table.expected_salary_usd)
    assert peers.total_cost_usd == pytest.approx(table.total_cost_usd)
    assert peers.expected_payback_years == pytest.approx(table.payback_years)


def test_payback_interval_reduces_to_wilson_and_widens_with_missing_salaries():
    z = z_of(0.95)
    p, lo, hi = payback_interval(in_field=14, n=22, reporters=14, repaid=7, z=z)
    wlo, whi = wilson_interval(7, 22, z)
    assert p == pytest.approx(7 / 22) and (lo, hi) == (pytest.approx(wlo), pytest.approx(whi))
    p2, lo2, hi2 = payback_interval(in_field=14, n=22, reporters=10, repaid=5, z=z)
    assert p2 == pytest.approx(p) and lo2 < lo and hi2 > hi
    # p = 0: the upper bound rests on the reporters when salaries are missing, on n otherwise.
    assert payback_interval(14, 22, 14, 0, z)[2] == pytest.approx(wilson_interval(0, 22, z)[1])
    assert payback_interval(14, 22, 10, 0, z)[2] == pytest.approx(wilson_interval(0, 10, z)[1])
    assert z_of(0.95) == pytest.approx(1.959964, abs=1e-6)


def test_peer_intervals_follow_the_configured_confidence():
    con = _peer_world()
    r95 = rank_programs_for_person(publish_peers(con, A), PERSON, A).iloc[0]
    r80 = rank_programs_for_person(publish_peers(con, A), PERSON, _with(**{"stats.confidence": 0.80})).iloc[0]
    r99 = rank_programs_for_person(publish_peers(con, A), PERSON, _with(**{"stats.confidence": 0.99})).iloc[0]
    width = lambda r: r.p_payback_within_10y_upper - r.p_payback_within_10y_lower  # noqa: E731
    assert width(r80) < width(r95) < width(r99) and r80.confidence == 0.80
    assert r80.p_payback_within_10y == r95.p_payback_within_10y


def test_peer_loan_rate_by_country_and_own_rate():
    con = _gb_world()
    df = rank_programs_for_person(publish_peers(con, A), dict(prior_degree="bachelors", prior_salary=50_000), A).set_index("program_id")
    assert pd.isna(df.loc["gb", "loan_rate"]) and df.loc["gb", "loan_rate_note"] == "no loan rate for this country (GB)"
    assert df.loc["gb", "total_cost_usd"] == pytest.approx(80_000)
    own = rank_programs_for_person(publish_peers(con, A), dict(prior_degree="bachelors", prior_salary=50_000, loan_rate=0.05), A)
    own = own.set_index("program_id")
    assert own.loc["gb", "loan_rate"] == 0.05 and own.loc["gb", "total_cost_usd"] > 80_000


def test_assumption_checks_name_the_bad_key():
    with pytest.raises(AssumptionError, match=r"roi.pathway_funding.phd.stipend_usd_per_year = -1"):
        _with(**{"roi.pathway_funding.phd.stipend_usd_per_year": -1})
    with pytest.raises(AssumptionError, match=r"stats.confidence = 1.5"):
        _with(**{"stats.confidence": 1.5})
    with pytest.raises(AssumptionError, match=r"tuition_waived = 'yes' must be true or false"):
        _with(**{"roi.pathway_funding.phd.tuition_waived": "yes"})
    with pytest.raises(AssumptionError, match=r"roi.countries.gb must be an ISO"):
        _with(**{"roi.countries.gb": {"loan_rate": 0.05}})
    with pytest.raises(AssumptionError, match=r"salary_plausibility.max_base_salary_usd = 0"):
        _with(**{"salary_plausibility.max_base_salary_usd": 0})
