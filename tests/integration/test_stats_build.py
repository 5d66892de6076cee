"""build_out_tables on a small in-memory DuckDB with hand-built core rows; property tests; real-file figures."""

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from tests.stats_helpers import publish_peers, make_core, program, record

from flows.config import load_assumptions
from flows.stats import OUT_TABLES, build_out_tables, format_roi_table, rank_programs_for_person, roi_records
from flows.stats.build import CATEGORY_COUNTS, POPULATION_COUNTS
from flows.stats.intervals import rate, wilson_interval
from schemas.generate import pandera_model

A = load_assumptions()
# The real public files as shipped in data/raw (byte-identical copies of the publishers' files, checked
# against their manifests' sha256 by the connector tests).
_RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
FCC = _RAW / "freecodecamp_2016" / "2026-11-21T000000Z-bundled"
CIRR = _RAW / "outcome_reports" / "2026-11-21T000000Z-bundled"


def _small_world():
    """Program a: 20 graduates of 2023H1. 12 in field (salaries 80k..91k, start day 30..41 except
    two starting day 120 and 150), 1 excluded, 3 seeking, 2 unknown, 2 continuing education.
    Program b: 5 graduates (suppressed). Program c: 15 graduates, 12 in field (complementary in placement).
    Program d: 25 graduates, 10 reporting a salary (complementary in salary, protecting c's salary cell)."""
    recs = []
    i = 0
    for j in range(12):
        days = 30 + j if j < 10 else (120 if j == 10 else 150)
        recs.append(record(i, "a", "employed_full_time_in_field", days=days, salary=80_000 + 1000 * j, prior=50_000)); i += 1
    for status, n in (("excluded", 1), ("seeking_employment", 3), ("unknown", 2), ("continuing_education", 2)):
        for _ in range(n):
            recs.append(record(i, "a", status)); i += 1
    for _ in range(5):
        recs.append(record(i, "b", "seeking_employment")); i += 1
    for j in range(15):
        st_ = "employed_full_time_in_field" if j < 12 else "not_seeking"
        recs.append(record(i, "c", st_, days=20 if j < 12 else None, salary=70_000 + 500 * j if j < 12 else None,
                           prior_degree="masters")); i += 1
    for j in range(25):  # d: 10 in field with a salary (the smallest published salary cell), 15 seeking
        st_ = "employed_full_time_in_field" if j < 10 else "seeking_employment"
        recs.append(record(i, "d", st_, days=10 if j < 10 else None, salary=60_000 + 100 * j if j < 10 else None,
                           prior_degree="doctorate")); i += 1
    crosswalk = [dict(role_category="software_engineer", soc_code="15-1252", soc_title="Software Developers")]
    wages = [dict(series_id="OEUN000000000000015125213", soc_code="15-1252", soc_title="Software Developers",
                  area_type="national", state_code=None, reference_year=2023, wage_measure="annual_median",
                  wage_usd=130_160.0, value_status="released", snapshot_id="s"),
             dict(series_id="OEUN000000000000015125213", soc_code="15-1252", soc_title="Software Developers",
                  area_type="national", state_code=None, reference_year=2022, wage_measure="annual_median",
                  wage_usd=127_260.0, value_status="released", snapshot_id="s")]
    links = [dict(program_id="a", unitid="126614", pseo_institution_id=None, cip_code="11.0701",
                  credential_level="masters", pseo_degree_level=None)]
    earnings = [dict(data_origin="college_scorecard", institution_id="126614", institution_name="U", state_code="CO",
                     cip_code="11.07", credential_level="masters", credential_level_code="5", grad_cohort="2019-2020",
                     years_after_graduation=1, earnings_median_usd=90_000.0, earnings_count=40,
                     value_status="released", snapshot_id="s")]
    return make_core([program("a"), program("b"), program("c", modality="online", pacing="part_time"), program("d")], recs,
                     earnings, wages, crosswalk, links)


@pytest.fixture(scope="module")
def built():
    con = _small_world()
    names = build_out_tables(con, A)
    return con, names


def _row(con, table, where):
    return con.execute(f"SELECT * FROM {table} WHERE {where}").df().iloc[0]


def test_builder_creates_every_table_and_validates(built):
    con, names = built
    assert names == list(OUT_TABLES)
    for t in names:
        pandera_model(t).validate(con.execute(f"SELECT * FROM {t}").df(), lazy=True)


def test_placement_rates_by_hand(built):
    con, _ = built
    r = _row(con, "out_outcomes__program_year_placement", "program_id = 'a'")
    assert r.graduates == 20 and r.graduates_known_outcome == 18 and r.knowledge_rate == pytest.approx(0.9)
    assert r.cirr_denominator == 19 and r.employed_in_field_count == 12
    assert r.employed_in_field_rate == pytest.approx(12 / 19)
    assert (r.employed_in_field_rate_lower, r.employed_in_field_rate_upper) == pytest.approx(wilson_interval(12, 19))
    assert r.employed_in_field_90d_count == 10 and r.employed_in_field_180d_count == 12
    # NACE career outcomes: 12 employed + 2 continuing education over 18 known - 1 not seeking (excluded)
    assert r.career_outcomes_count == 14 and r.career_outcomes_denominator == 17
    # 2 in continuing education: a count between 1 and k-1 is withheld, and its rate with it (rate x n gives it)
    assert pd.isna(r.nace_continuing_education_count) and pd.isna(r.continuing_education_rate)
    assert r.median_days_to_job_start == 35.5  # days 30..39, 120, 150: 6th and 7th of 12 are 35 and 36
    assert pd.isna(r.cirr_3a_count)  # 3 graduates in 3A: a count between 1 and k-1 is withheld
    assert r.cirr_1a_count == 12 and r.cirr_2a_count == 0


def test_suppression_primary_complementary_and_cascade(built):
    con, _ = built
    df = con.execute("SELECT * FROM out_outcomes__program_placement").df().set_index("program_id")
    assert df.loc["b", "is_suppressed"] and df.loc["b", "suppression_reason"].startswith("primary")
    # b (5) is suppressed alone under the grand total: the smallest published program, c (15), goes too.
    assert df.loc["c", "is_suppressed"] and df.loc["c", "suppression_reason"].startswith("complementary")
    assert not df.loc["a", "is_suppressed"] and pd.isna(df.loc["c", "graduates"])
    years = con.execute("SELECT * FROM out_outcomes__program_year_placement WHERE program_id = 'c'").df()
    assert years["is_suppressed"].all() and years["graduates"].isna().all()
    sal = con.execute("SELECT * FROM out_outcomes__program_salary").df().set_index("program_id")
    assert sal.loc["c", "is_suppressed"] and "placement row" in sal.loc["c", "suppression_reason"]
    assert sal.loc["d", "is_suppressed"] and sal.loc["d", "suppression_reason"].startswith("complementary")
    assert not sal.loc["a", "is_suppressed"]
    year_salary = _row(con, "out_outcomes__program_year_salary", "program_id = 'c'")
    assert year_salary.is_suppressed and pd.isna(year_salary.median_base_salary_usd)


def test_salary_by_hand(built):
    con, _ = built
    r = _row(con, "out_outcomes__program_salary", "program_id = 'a'")
    sal = [80_000 + 1000 * j for j in range(12)]
    assert r.salary_reported_count == 12 and r.salary_reported_share == 1.0
    assert r.median_base_salary_usd == np.median(sal) == 85_500
    assert (r.salary_p25_usd, r.salary_p75_usd) == (82_750, 88_250)
    assert (r.median_salary_ci_lower_usd, r.median_salary_ci_upper_usd) == (82_000, 89_000)  # ranks 3, 10 for n=12
    assert r.median_salary_uplift_usd == 35_500 and r.median_salary_uplift_ratio == pytest.approx(85_500 / 50_000)


def test_benchmarks(built):
    con, _ = built
    r = _row(con, "out_benchmarks__program_role_wages", "program_id = 'a'")
    assert r.bls_reference_year == 2023 and r.bls_national_median_usd == 130_160
    assert r.ratio_to_bls_national == pytest.approx(85_500 / 130_160) and pd.isna(r.bls_state_median_usd)
    p = _row(con, "out_benchmarks__program_public_earnings", "program_id = 'a'")
    assert p.earnings_median_usd == 90_000 and p.ratio_to_public_median == pytest.approx(85_500 / 90_000)
    assert p.graduates == 20


def test_roi_program_a(built):
    con, _ = built
    r = _row(con, "out_roi__program_costs", "program_id = 'a'")
    # counterfactual: 12 prior salaries of 50,000 and 8 baselines of bachelors (50,000): median 50,000
    assert r.counterfactual_salary_usd == 50_000 and r.prior_salary_known_share == pytest.approx(12 / 20)
    assert r.forgone_earnings_usd == pytest.approx(25_000)  # 6 months full time
    p = 12 / 19
    assert r.expected_salary_usd == pytest.approx(p * 85_500 + (1 - p) * 50_000)
    assert r.payback_years == pytest.approx(r.total_cost_usd / r.annual_gain_usd)
    assert r.debt_to_earnings_ratio == pytest.approx(15_000 / 85_500)


def test_empty_core_tables_give_empty_out_tables():
    con = make_core()
    names = build_out_tables(con, A)
    for t in names:
        assert con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] == 0


def test_deterministic(built):
    con, names = built
    before = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").df() for t in names}
    build_out_tables(con, A)
    for t in names:
        pd.testing.assert_frame_equal(before[t], con.execute(f"SELECT * FROM {t} ORDER BY ALL").df())


def test_people_like_me():
    con = _small_world()
    df = rank_programs_for_person(publish_peers(con, A), dict(prior_degree="bachelors", prior_field="business", prior_salary=50_000,
                                            years_experience=3), A)
    # c (part-time online: no forgone earnings) ranks above a; b has 5 graduates: suppressed, last.
    assert list(df["program_id"]) == ["c", "a", "d", "b"] and list(df["rank"][:3]) == [1, 2, 3]
    top = df.set_index("program_id").loc["a"]
    assert top.peer_group_size == 20 - 1 and top.similarity_level == "degree_field_experience"
    # peers: 12 in field (gains 30k..41k), 7 without an in-field job, 2 of them unknown (gain 0); cost ~ 40k+interest
    assert top.p_payback_within_10y == pytest.approx(12 / 19)
    assert df.set_index("program_id").loc["b", "is_suppressed"]
    text = format_roi_table(df)
    assert "suppressed" in text and "a " in text
    recs = roi_records(df)
    assert recs[1]["program_id"] == "a" and isinstance(recs[1]["npv_10y_usd"], float) and recs[3]["npv_10y_usd"] is None
    part = rank_programs_for_person(publish_peers(con, A), dict(prior_degree="masters", part_time=True), A)
    assert list(part["program_id"]) == ["c"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(st.lists(st.tuples(st.sampled_from(["p1", "p2", "p3"]), st.sampled_from(
    ["employed_full_time_in_field", "seeking_employment", "unknown", "excluded", "employed_full_time_out_of_field",
     "continuing_education"]), st.integers(-30, 300), st.integers(40_000, 200_000), st.sampled_from([2022, 2023])),
    min_size=0, max_size=80))
def test_property_no_small_counts_and_valid_rates(rows):
    recs = []
    for i, (pid, status, days, sal, year) in enumerate(rows):
        employed = status.startswith("employed")
        recs.append(record(i, pid, status, grad=date(year, 3 if i % 2 else 9, 1), days=days if employed else None,
                           salary=sal if employed else None))
    con = make_core([program("p1"), program("p2"), program("p3")], recs)
    k = A["suppression"]["min_cell_size"]
    for t in build_out_tables(con, A):
        df = con.execute(f"SELECT * FROM {t}").df()
        pandera_model(t).validate(df, lazy=True)
        for c in df.columns:
            v = pd.to_numeric(df[c], errors="coerce") if c in POPULATION_COUNTS + CATEGORY_COUNTS else None
            if v is not None:
                assert not ((v > 0) & (v < k)).any(), (t, c)
            if c.endswith("_rate") and c not in ("discount_rate", "loan_rate"):
                x = pd.to_numeric(df[c], errors="coerce").dropna()
                assert ((x >= 0) & (x <= 1)).all()
                lo, hi = df.get(c + "_lower"), df.get(c + "_upper")
                if lo is not None:
                    ok = df[c].notna()
                    assert (df.loc[ok, c + "_lower"] <= df.loc[ok, c] + 1e-12).all()
                    assert (df.loc[ok, c] <= df.loc[ok, c + "_upper"] + 1e-12).all()
        if "is_suppressed" in df.columns and len(df):
            supp = df["is_suppressed"].astype(bool)
            for c in ("graduates", "median_base_salary_usd", "employed_in_field_rate"):
                if c in df.columns:
                    assert df.loc[supp, c].isna().all(), (t, c)


@given(st.integers(0, 500), st.integers(0, 500))
def test_property_wilson_contains_estimate(a, b):
    n, k_ = max(a, b), min(a, b)
    if n == 0:
        return
    lo, hi = wilson_interval(k_, n)
    assert 0 <= lo <= k_ / n <= hi <= 1


def test_real_freecodecamp_2016_bootcamp_job_rate():
    """data_summary.csv publishes BootcampFullJobAfterPpl Yes = 371 and rate 0.584251969 (= 371/635).
    Counting the individual file gives 371 yes and 266 no (637 answers): the publisher's denominator has
    2 fewer 'no' answers (not reproducible from the released rows). Our rate function gives 371/637, and the
    published figure lies inside its 95% Wilson interval."""
    df = pd.read_csv(FCC / "new_coder_survey_2016_part1.csv", dtype=str)
    job = df["Were you able to get a full time developer job afterward?"].dropna()
    yes, n = int((job == "1").sum()), int(job.isin(["0", "1"]).sum())
    summary = pd.read_csv(FCC / "data_summary.csv")
    published = summary.loc[summary["BootcampFullJobAfter"] == "Yes"].iloc[0]
    assert yes == int(published["BootcampFullJobAfterPpl"]) == 371
    assert rate(371, 635) == pytest.approx(float(published["BootcampFullJobAfterPerc"]), abs=1e-9)
    lo, hi = wilson_interval(yes, n)
    assert lo < float(published["BootcampFullJobAfterPerc"]) < hi
    assert rate(yes, n) == pytest.approx(0.5824, abs=1e-4)


def test_real_turing_cirr_shares():
    """Turing School 2016H1 CIRR report: prior-education shares (whole percent) from the student counts."""
    df = pd.read_csv(CIRR / "turing_school_2016h1.csv")
    total = int(df.loc[df["segment_kind"] == "all", "students"].iloc[0])
    seg = df[df["segment_kind"] == "prior_education"]
    assert seg["students"].sum() == total
    shares = np.floor(rate(seg["students"], total) * 100 + 0.5)
    assert list(shares.astype(int)) == list(seg["share_of_students_pct"])


def test_roi_command_function_json(tmp_path):
    import json

    import duckdb
    import typer
    from typer.testing import CliRunner

    from flows.stats.cli_roi import roi

    path = tmp_path / "w.duckdb"
    mem = publish_peers(_small_world(), A)
    mem.execute(f"ATTACH '{path}' AS w")
    for t in ("core_programs__programs", "out_peers__program_peer_groups"):  # the published tables only
        mem.execute(f"CREATE TABLE w.{t} AS SELECT * FROM {t}")
    mem.execute("DETACH w")
    app = typer.Typer()
    app.command()(roi)
    res = CliRunner().invoke(app, ["--prior-degree", "bachelors", "--prior-field", "business", "--prior-salary", "50000",
                                   "--years-experience", "3", "--json", "--warehouse", str(path)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert [d["program_id"] for d in data][:2] == ["c", "a"]
    res = CliRunner().invoke(app, ["--warehouse", str(tmp_path / "missing.duckdb")])
    assert res.exit_code == 1


def test_people_like_me_withholds_groups_with_fewer_than_k_salaries():
    """12 peers but only 4 in-field salaries: the expected salary would reveal them (the counterfactual is known)."""
    recs = [record(i, "e", "employed_full_time_in_field", days=20, salary=90_000 + 1000 * i, prior=50_000)
            for i in range(4)]
    recs += [record(100 + i, "e", "seeking_employment", prior=50_000) for i in range(8)]
    con = make_core([program("e")], recs)
    df = rank_programs_for_person(publish_peers(con, A), dict(prior_degree="bachelors", prior_salary=50_000), A)
    row = df.set_index("program_id").loc["e"]
    assert bool(row.is_suppressed) and row.suppression_reason.endswith("fewer than k=10 peers with an in-field salary")
    assert row.expected_salary_usd is None or pd.isna(row.expected_salary_usd)
    assert row.p_payback_within_3y is None or pd.isna(row.p_payback_within_3y)
