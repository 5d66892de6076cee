"""The answers tables of a refresh of the bundled data: real data only, and the golden Arizona figures.

Golden figures are computed here by hand from the publishers' rows:
- bundled snapshot data/raw/college_scorecard/2026-11-21T000000Z-bundled, UNITID 104179 (University of Arizona),
  CIP 1101: FieldOfStudyData1516_1617_PP row 160 (master's) P_MD_EARN_WNE 70100, row 159 (bachelor's) 46200;
  FieldOfStudyData1415_1516_PP row 160 (master's, cohort AY2014-15 + AY2015-16) P_DEBTMEDIAN 30625,
  P_DEBTPAYMENT10YR 357. CPI-U annual averages 2018 251.107, 2021 270.970, 2023 304.702 (BLS CUUR0000SA0).
  Tuition: data/raw/reference/graduate_tuition_by_control.csv, Public 2020-21: 12394 (2021 dollars).
"""

from __future__ import annotations

import duckdb
import pytest

from flows.config import load_assumptions
from flows.stats.answers import ANSWER_TABLES
from schemas.model import VOCABULARIES
from tests.unit.test_answers import CPI, const, interest_by_hand


@pytest.fixture(scope="module")
def bundled(tmp_path_factory, prefect_harness):
    from flows.refresh import refresh

    path = tmp_path_factory.mktemp("answers_bundled") / "outcomes.duckdb"
    refresh(warehouse_path=str(path), offline=True)
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


@pytest.mark.slow
def test_refresh_builds_the_answers_tables_from_real_data_only(bundled):
    con = bundled
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ANSWER_TABLES}
    assert counts["core_reference__graduate_tuition"] == 4 and counts["core_public__program_cost_overrides"] == 0
    assert min(counts[t] for t in ANSWER_TABLES[2:]) > 0, counts
    sections = [r[0] for r in con.execute("SELECT DISTINCT section FROM out_answers__statements").fetchall()]
    assert set(sections) == set(VOCABULARIES["answer_section"].codes)
    synthetic = load_assumptions()["reports"]["synthetic_data_origins"]
    assert con.execute(f"""SELECT count(*) FROM out_answers__statements
                           WHERE data_origin IN ({", ".join("'" + o + "'" for o in synthetic)})""").fetchone()[0] == 0
    for t in ("out_public__program_premium", "out_roi__public_program_costs"):
        assert con.execute(f"""SELECT count(*) FROM {t} x JOIN core_programs__programs p USING (program_id)
                               WHERE p.data_origin IN ({", ".join("'" + o + "'" for o in synthetic)})""").fetchone()[0] == 0
        assert con.execute(f"""SELECT count(*) FROM {t} x LEFT JOIN core_programs__programs p USING (program_id)
                               WHERE p.data_origin IS DISTINCT FROM 'public_records'""").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM out_answers__statements WHERE not_in_data AND value IS NOT NULL").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM out_public__program_premium WHERE selection_caveat IS NULL").fetchone()[0] == 0


@pytest.mark.slow
def test_golden_arizona_premium_cost_payback_and_debt(bundled):
    con = bundled
    g, b = const(70100, 2018), const(46200, 2018)
    p = con.execute("""SELECT graduate_median_earnings_usd, bachelor_median_earnings_usd, premium_usd FROM out_public__program_premium
                       WHERE program_id = 'ipeds-104179-1101-masters' AND data_origin = 'college_scorecard'""").fetchone()
    assert p[:2] == (g, b) and p[2] == pytest.approx(g - b, abs=0.01)
    c = con.execute("SELECT * FROM out_roi__public_program_costs WHERE program_id = 'ipeds-104179-1101-masters'").df().iloc[0]
    per_year = round(12394 * CPI[2023] / CPI[2021], 2)
    interest = interest_by_hand(per_year * 2, 0.0808, 10)
    total = per_year * 2 + 2 * b + interest
    assert c.tuition_per_year_usd == per_year and c.total_cost_usd == pytest.approx(total, abs=0.01)
    assert c.payback_years == pytest.approx(total / (g - b), rel=1e-6)
    assert c.debt_median_usd == 30625 and c.monthly_loan_payment_usd == 357
    assert c.debt_to_earnings_ratio == pytest.approx(30625 / 70100)
    assert c.payment_to_income_share == pytest.approx(357 / (70100 / 12))
