"""Real programs' premium, cost and payback, and the answers tables (flows/stats/public_roi.py, flows/stats/answers.py).

Golden figures are computed here by hand from the publishers' rows:
- fixture extract (tests/fixtures/public_scorecard), College Scorecard FieldOfStudyData1516_1617_PP, UNITID 126614
  (University of Colorado Boulder), CIP 1107: master's (CREDLEV 5) P_MD_EARN_WNE 91100 (P_EARNINGSCOUNT 23),
  bachelor's (CREDLEV 3) 70100 (113), 2018 dollars; the master's debt is PrivacySuppressed in both files.
  CPI-U annual averages 2018 251.107, 2021 270.970, 2023 304.702 (BLS CUUR0000SA0).
The refresh of the bundled data and its golden figures: tests/integration/test_answers_refresh.py.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from flows.config import load_assumptions
from flows.stats import public_roi as pr
from flows.stats.answers import ANSWER_TABLES, build_answer_tables, cip_family_sql, public_roi_settings
from schemas.model import TABLES
from tests.unit.test_public_programs import crosswalk_rows, warehouse  # noqa: F401  (fixtures: a warehouse of the extracts)

CPI = {2018: 251.107, 2021: 270.970, 2023: 304.702}
CAVEAT = "Selection caveat: test."


def const(v, year):
    return round(v * CPI[2023] / CPI[year], 2)


def interest_by_hand(principal, rate, years):
    r, n = rate / 12, round(12 * years)
    pay = principal * r / (1 - (1 + r) ** (-n))
    return pay * n - principal


# --------------------------------------------------------------------------- pure functions


def test_tuition_reference_in_constant_dollars_and_bad_rows(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("# source line\ninstitution_control,academic_year,tuition_fees_usd_per_year,dollar_year,source_table\n"
                 "All institutions,2020-21,19749,2021,T\nPublic,2020-21,12394,2021,T\n", encoding="utf-8")
    df = pr.read_tuition_reference(f, CPI, 2023, "t.csv")
    pub = df.set_index("institution_control").loc["Public"]
    assert pub.tuition_per_year_usd == round(12394 * 304.702 / 270.970, 2) == 13936.88
    assert pr.tuition_by_control(df)["Public"] == (13936.88, "2020-21")
    f.write_text("institution_control,academic_year,tuition_fees_usd_per_year,dollar_year,source_table\n"
                 "All institutions,2020-21,-5,2021,T\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"t.csv data row 1: column tuition_fees_usd_per_year value -5.0: must be >= 0"):
        pr.read_tuition_reference(f, CPI, 2023, "t.csv")
    f.write_text("institution_control,academic_year,tuition_fees_usd_per_year,dollar_year,source_table\n"
                 "Public,2020-21,100,2021,T\n", encoding="utf-8")
    with pytest.raises(ValueError, match="needs a row for 'All institutions'"):
        pr.read_tuition_reference(f, CPI, 2023, "t.csv")


def test_cost_overrides_every_row_applied_or_rejected_with_its_rule(tmp_path):
    f = tmp_path / "o.csv"
    f.write_text("program_id,tuition_fees_usd_per_year,dollar_year,study_years,override_source\n"
                 "p-masters,30000,2023,1.5,Catalog 2024-25 p. 3\n"
                 "p-unknown,30000,2023,1.5,x\n"
                 "p-masters,10,2023,1,again\n"
                 "q-masters,-1,1850,0,\n", encoding="utf-8")
    df = pr.read_cost_overrides(f, "o.csv", {"p-masters", "q-masters"}, CPI)
    assert len(df) == 4 and list(df["override_status"]) == ["applied", "rejected", "rejected", "rejected"]
    assert df.loc[0, "study_years"] == 1.5 and pd.isna(df.loc[0, "override_problem"])
    assert "o.csv data row 2: column program_id value 'p-unknown': must be a real graduate public program" in df.loc[1, "override_problem"]
    assert "appears more than once" in df.loc[2, "override_problem"]
    bad = df.loc[3, "override_problem"]
    for part in ("column tuition_fees_usd_per_year value '-1': must be a number >= 0", "column dollar_year value '1850'",
                 "column study_years value '0'", "column override_source"):
        assert part in bad
    assert pr.read_cost_overrides(tmp_path / "missing.csv", "m.csv", set(), CPI).empty
    f.write_text("program_id,tuition\np-masters,1\n", encoding="utf-8")
    assert "missing column(s)" in pr.read_cost_overrides(f, "o.csv", {"p-masters"}, CPI).loc[0, "override_problem"]


def _earn(pid, level, origin, h, cohort, value, status="released", reason=None, inst="ipeds-1", cip="11.07", count=20):
    return {"program_id": pid, "credential_level": level, "data_origin": origin, "years_after_graduation": h,
            "grad_cohort": cohort, "cohort_last_year": 2015, "median_earnings_usd": value, "earnings_published_usd": value,
            "earnings_count": count if value is not None else None, "value_status": status, "suppression_reason": reason,
            "institution_key": inst, "cip_code": cip, "cip_family": "11", "institution_name": "U", "institution_control": "Public",
            "dollar_year": 2018, "constant_dollar_year": 2023}


def test_premium_same_institution_cip_source_horizon_and_cohort_only():
    e = pd.DataFrame([
        _earn("m", "masters", "college_scorecard", 1, "c1", 90000.0),
        _earn("b", "bachelors", "college_scorecard", 1, "c1", 70000.0),
        _earn("m", "masters", "colorado_roi", 5, "c5", 100000.0),           # no bachelor's at this source/horizon
        _earn("b", "bachelors", "census_pseo", 5, "c5", 60000.0),
        _earn("m", "masters", "colorado_roi", 1, "c1", None, "suppressed", "fewer than 5 completers"),
        _earn("b", "bachelors", "colorado_roi", 1, "c1", 65000.0),
        _earn("m2", "masters", "college_scorecard", 1, "c1", 80000.0, cip="11.01"),  # other CIP: no pair
    ])
    pairs = pr.pair_with_bachelors(e)
    assert sorted(zip(pairs["program_id"], pairs["data_origin"])) == [("m", "college_scorecard"), ("m", "colorado_roi")]
    prem = pr.premium_frame(pairs, CAVEAT, list(TABLES["out_public__program_premium"].fields)).set_index("data_origin")
    assert prem.loc["college_scorecard", "premium_usd"] == 20000.0
    assert prem.loc["college_scorecard", "premium_ratio"] == pytest.approx(90000 / 70000)
    sup = prem.loc["colorado_roi"]
    assert pd.isna(sup.premium_usd) and pd.isna(sup.graduate_median_earnings_usd)
    assert sup.not_computed_reason == "graduate median withheld by the publisher: fewer than 5 completers"
    assert (prem["selection_caveat"] == CAVEAT).all()


def test_choose_earnings_first_horizon_then_same_institution_counterfactual():
    rows = pd.DataFrame([_earn("m", "masters", "census_pseo", 5, "all", 120000.0),
                         _earn("m", "masters", "college_scorecard", 1, "c1", 90000.0),
                         _earn("m", "masters", "colorado_roi", 1, "c1", 95000.0)])
    pairs = pd.DataFrame([{**_earn("m", "masters", "colorado_roi", 1, "c1", 95000.0), "median_earnings_usd_ba": 70000.0}])
    field = (60000.0, "field level: test")
    e = pr.choose_earnings(rows, pairs, ["college_scorecard", "colorado_roi", "census_pseo"], field)
    assert (e.source, e.horizon, e.counterfactual_usd, e.counterfactual_basis) == ("colorado_roi", 1, 70000.0, pr.SAME_INSTITUTION)
    e = pr.choose_earnings(rows, pairs.iloc[0:0], ["college_scorecard", "colorado_roi", "census_pseo"], field)
    assert (e.source, e.counterfactual_usd, e.counterfactual_basis) == ("college_scorecard", 60000.0, "field level: test")
    assert pr.choose_earnings(rows.assign(median_earnings_usd=None), pairs, [], field) is None


def test_program_cost_row_by_hand():
    roi = load_assumptions()["roi"]
    e = pr.Earnings(90000.0, 1, "college_scorecard", "c1", 60000.0, pr.SAME_INSTITUTION, 80000.0)
    row = pr.program_cost_row({"program_id": "m", "credential_level": "masters", "pathway": "masters"}, e, 15000.0,
                              "assumed: test", 2.0, roi, {"debt_median_usd": 40000.0, "debt_monthly_payment_usd": 480.0,
                                                          "earnings_published_usd": 80000.0})
    interest = interest_by_hand(30000.0, 0.0808, 10)
    total = 30000.0 + 2 * 60000.0 + interest
    assert row["tuition_total_usd"] == 30000.0 and row["forgone_earnings_usd"] == 120000.0
    assert row["loan_interest_usd"] == pytest.approx(interest)
    assert row["total_cost_usd"] == pytest.approx(total, abs=0.01)
    assert row["annual_gain_usd"] == 30000.0 and row["payback_years"] == pytest.approx(total / 30000.0, rel=1e-6)
    assert row["debt_to_earnings_ratio"] == 0.5 and row["payment_to_income_share"] == pytest.approx(480 / (80000 / 12))
    assert row["not_computed_reason"] is None and "2 years of full-time study" in row["assumptions_note"]
    # a funded doctorate: tuition waived, stipend netted out of forgone earnings ([roi.pathway_funding.phd])
    phd = pr.program_cost_row({"program_id": "d", "credential_level": "doctoral", "pathway": "phd"}, e, 15000.0,
                              "assumed: test", 5.0, roi, None)
    assert phd["tuition_total_usd"] == 0.0 and phd["forgone_earnings_usd"] == (60000.0 - 37000.0) * 5
    assert "debt: not published" in phd["not_computed_reason"]
    none = pr.program_cost_row({"program_id": "n", "credential_level": "masters"}, None, 15000.0, "assumed: test", 2.0, roi, None,
                               (60000.0, "field level: test"))
    assert none["total_cost_usd"] == pytest.approx(total, abs=0.01) and none["counterfactual_basis"] == "field level: test"
    assert none.get("payback_years") is None and none.get("annual_gain_usd") is None
    assert none["not_computed_reason"].startswith("no earnings published")
    bare = pr.program_cost_row({"program_id": "n", "credential_level": "masters"}, None, 15000.0, "assumed: test", 2.0, roi, None)
    assert bare.get("total_cost_usd") is None and "no counterfactual earnings" in bare["not_computed_reason"]


def test_public_roi_settings_are_checked():
    a = load_assumptions()
    assert public_roi_settings(a)["study_years"]["masters"] == 2.0
    bad = {**a, "public_roi": {**a["public_roi"], "study_years": {"masters": 0}}}
    with pytest.raises(ValueError, match=r"public_roi.study_years.masters = 0 must be a number in \(0, 10\]"):
        public_roi_settings(bad)
    bad = {**a, "public_roi": {**a["public_roi"], "study_years": {"mba": 2}}}
    with pytest.raises(ValueError, match="unknown credential level"):
        public_roi_settings(bad)


def test_cip_family_case():
    con = duckdb.connect()
    sql = cip_family_sql(["11", "27.05", "30.70", "30.08"], "c")
    got = dict(con.execute(f"SELECT c, {sql} FROM (VALUES ('11'), ('11.07'), ('27.05'), ('27'), ('27.01'), ('30.70'), "
                           "('30.08'), ('30.01')) t(c)").fetchall())
    assert got == {"11": "11", "11.07": "11", "27.05": "27.05", "27": None, "27.01": None, "30.70": "30.70",
                   "30.08": "30.08", "30.01": None}


# --------------------------------------------------------------------------- on a warehouse of the extracts


@pytest.fixture(scope="module")
def answers_fixture(warehouse, tmp_path_factory):  # noqa: F811
    con, _ = warehouse
    raw = tmp_path_factory.mktemp("answers_raw")
    (raw / "reference").mkdir()
    (raw / "reference" / "graduate_tuition_by_control.csv").write_text(
        "institution_control,academic_year,tuition_fees_usd_per_year,dollar_year,source_table\n"
        "All institutions,2020-21,20000,2023,T\nPublic,2020-21,12000,2023,T\n", encoding="utf-8")
    (raw / "overrides").mkdir()
    (raw / "overrides" / "public_program_costs.csv").write_text(
        "program_id,tuition_fees_usd_per_year,dollar_year,study_years,override_source\n"
        "ipeds-126614-1107-doctoral,9000,2023,4,test catalog\nnot-a-program,1,2023,1,x\n", encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("OUTCOMES_RAW_DIR", str(raw))
    names = build_answer_tables(con, load_assumptions())
    mp.undo()
    return con, names


def test_builds_every_answers_table(answers_fixture):
    con, names = answers_fixture
    assert names == list(ANSWER_TABLES)
    for t in names:
        cols = [r[0] for r in con.execute(f"DESCRIBE {t}").fetchall()]
        assert cols == list(TABLES[t].fields)


def test_golden_boulder_premium_and_cost(answers_fixture):
    con, _ = answers_fixture
    g, b = const(91100, 2018), const(70100, 2018)
    row = con.execute("""SELECT bachelor_program_id, graduate_median_earnings_usd, bachelor_median_earnings_usd, premium_usd,
                                premium_ratio, graduate_count, bachelor_count, selection_caveat
                         FROM out_public__program_premium
                         WHERE program_id = 'ipeds-126614-1107-masters' AND data_origin = 'college_scorecard'
                           AND years_after_graduation = 1""").fetchone()
    assert row[:3] == ("ipeds-126614-1107-bachelors", g, b)
    assert row[3] == pytest.approx(g - b, abs=0.01) and row[4] == pytest.approx(g / b)
    assert row[5:7] == (23, 113) and row[7].startswith("Selection caveat")
    c = con.execute("SELECT * FROM out_roi__public_program_costs WHERE program_id = 'ipeds-126614-1107-masters'").df().iloc[0]
    # Earnings at 1 year: Scorecard and Colorado both publish them with the bachelor's; Scorecard comes first.
    assert (c.earnings_source, c.earnings_horizon_years, c.counterfactual_basis) == ("college_scorecard", 1, pr.SAME_INSTITUTION)
    tuition = 12000 * 2
    interest = interest_by_hand(tuition, 0.0808, 10)
    total = tuition + 2 * b + interest
    assert c.tuition_per_year_usd == 12000 and c.tuition_total_usd == tuition and c.forgone_earnings_usd == pytest.approx(2 * b)
    assert c.total_cost_usd == pytest.approx(total, abs=0.01)
    assert c.payback_years == pytest.approx(total / (g - b), rel=1e-6)
    assert c.tuition_basis.startswith("assumed: ") and "Public" in c.tuition_basis
    # the publisher withheld the master's debt: null with the reason, never imputed
    assert pd.isna(c.debt_median_usd) and pd.isna(c.debt_to_earnings_ratio)
    assert "College Scorecard median debt: withheld by the publisher" in c.not_computed_reason


def test_curated_override_wins_and_bad_rows_are_kept_with_their_rule(answers_fixture):
    con, _ = answers_fixture
    rows = con.execute("SELECT program_id, override_status FROM core_public__program_cost_overrides ORDER BY source_row_number").fetchall()
    assert rows == [("ipeds-126614-1107-doctoral", "applied"), ("not-a-program", "rejected")]
    d = con.execute("""SELECT tuition_basis, study_years, tuition_per_year_usd, tuition_total_usd
                       FROM out_roi__public_program_costs WHERE program_id = 'ipeds-126614-1107-doctoral'""").fetchone()
    assert d[:3] == ("curated override", 4.0, 9000.0) and d[3] == 0.0  # a research doctorate's tuition is waived


def test_nothing_from_a_synthetic_program(answers_fixture):
    con, _ = answers_fixture
    for t in ("out_public__program_premium", "out_roi__public_program_costs"):
        bad = con.execute(f"""SELECT count(*) FROM {t} x LEFT JOIN core_programs__programs p USING (program_id)
                              WHERE p.data_origin IS DISTINCT FROM 'public_records'""").fetchone()[0]
        assert bad == 0, t
