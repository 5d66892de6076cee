"""Program pages without a browser: chart label wrapping and fixed size, the caveat rule, the provenance line,
the reasons of every 'n/a', and 'graduates like you' states."""

from __future__ import annotations

import re

from flows.reports import charts
from flows.reports.summary import (CAVEAT_ORDER, caveat, cost_why, curated_summary, provenance_line, public_summary,
                                   public_why, withheld)


def test_wrap_breaks_on_words_and_abbreviates_with_the_full_text_kept():
    lines, cut = charts.wrap("1A employed full-time in field (salaried employee)", 170)
    assert not cut and len(lines) == 2 and " ".join(lines) == "1A employed full-time in field (salaried employee)"
    assert all(len(line) * charts.CHAR_PX <= 170 for line in lines)
    lines, cut = charts.wrap("BLS national median, Computer and Information Research Scientists (15-1221)", 100)
    assert cut and len(lines) == 2 and lines[-1].endswith("…")
    assert charts.wrap("short", 100) == (["short"], False)
    lines, cut = charts.wrap("Supercalifragilisticexpialidocious", 60)  # one word longer than a line
    assert cut and all(len(line) <= 60 / charts.CHAR_PX + 1 for line in lines)


def test_an_abbreviated_chart_label_carries_its_full_text_in_a_title():
    long = "5Z a category whose description is far too long to fit on two lines of the label column of the chart"
    svg = str(charts.bar_chart("Title <b>", "desc", [(long, 3.0, "3"), ("short", None, "withheld (small n)")]))
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)
    cut = [t for t in texts if "…" in t]
    assert cut and all(f"<title>{long}</title>" in t for t in cut)
    assert "Title &lt;b&gt;" in svg and "<b>" not in svg  # escaped
    assert '<ul class="legend"' in svg and "withheld" in svg  # a legend names the bar and the hatched (withheld) mark


def test_charts_are_drawn_at_a_fixed_pixel_size_with_fixed_text():
    figs = [charts.bar_chart("t", "d", [("a", 1.0, "1")]),
            charts.interval_chart("t", "d", [("a", 0.5, 0.4, 0.6, "50%")], marker=("pathway median", 0.4)),
            charts.salary_box("t", "d", 50_000, 60_000, 70_000, (55_000, 65_000), [("BLS national median, Data Scientists", 90_000)]),
            charts.heatmap("t", "d", ["4.00%"], ["×1"], {(0, 0): (3.0, "3.0 y")}),
            charts.trajectory_chart("t", "d", [("Census PSEO", [(1.0, 50_000, 60_000, 70_000), (5.0, 60_000, 80_000, 90_000)])],
                                    y_label="Annual earnings (2023 US$)")]
    for fig in figs:
        svg = str(fig)
        m = re.search(r'<svg class="chart fixed" viewBox="0 0 (\d+) (\d+)" width="(\d+)" height="(\d+)"', svg)
        assert m and m.group(1) == m.group(3) and m.group(2) == m.group(4), svg[:200]
        assert int(m.group(1)) <= 358  # fits a 390 px phone's content column: never scaled down there
        sizes = set(re.findall(r'<text[^>]*font-size="(\d+)"', svg))
        assert sizes == {str(charts.FONT)}
        assert '<figcaption class="chart-title">t</figcaption>' in svg and 'role="img"' in svg
    # the reference line is named in the legend with its value; the salary box has a dollar axis and a labelled median
    assert "pathway median: 40.0%" in str(figs[1])
    box = str(figs[2])
    assert "median $60,000" in box and "Annual base salary (US$)" in box and "$50k" in box
    assert "A: BLS national median, Data Scientists: $90,000" in box
    heat = str(figs[3])
    assert "Loan interest rate" in heat and "Salary as a share of the observed median" in heat and "fastest payback" in heat


def test_caveat_rule_takes_the_first_that_applies_in_the_documented_order():
    assert CAVEAT_ORDER[0] == "synthetic" and CAVEAT_ORDER[-2:] == ("censoring", "past_cohorts")
    every = {c: f"text {c}" for c in CAVEAT_ORDER}
    assert caveat(every) == ("synthetic", "text synthetic")
    assert caveat({"censoring": "c", "self_reported": "s", "low_coverage": "l"}) == ("low_coverage", "l")
    assert caveat({"mixed_cohorts": "m", "all_completers": "a"}) == ("all_completers", "a")
    assert caveat({}) is None


def _curated(**over):
    f = {"program": {"program_id": "p", "data_origin": "freecodecamp_2016", "tuition_fees_usd": 12000.0, "duration_months": 3.0,
                     "pathway": "bootcamp"},
         "notice": {"data_origin_class": "self_reported_survey"},
         "placement": {"is_suppressed": False, "graduates": 78, "employed_in_field_180d_rate": None, "employed_in_field_rate": 0.6,
                       "employed_in_field_rate_lower": 0.5, "employed_in_field_rate_upper": 0.7, "cirr_denominator": 78,
                       "self_reported_share": 1.0, "window_rates_note": "not measured: no job start date", "is_low_coverage": False},
         "salary": {"is_suppressed": False, "median_base_salary_usd": 65000.0},
         "costs": {"is_suppressed": False, "employed_in_field_180d_rate": None, "loan_rate": 0.08, "median_base_salary_usd": 65000.0},
         "by_cohort": [{"placement": {"graduation_year": 2015}}, {"placement": {"graduation_year": 2016}}],
         "prior_background": []}
    f.update(over)
    return f


def test_curated_summary_provenance_caveat_and_graduates_like_you_states():
    sm = curated_summary(_curated())
    assert sm["provenance"] == "Self-reported survey, freeCodeCamp 2016 survey, graduates 2015-2016"
    assert sm["caveat"][0] == "self_reported"  # before censoring
    assert sm["rate"]["name"] == "employed_in_field_rate" and "no job start date" in sm["rate"]["note"]
    # a program with graduates but no prior-degree rows: not "No graduate records"
    assert sm["prior_state"] == "not-recorded" and "not recorded by this source" in sm["prior_missing"]
    gone = curated_summary(_curated(placement={"is_suppressed": True, "suppression_reason": "primary: fewer than k=10 graduates"},
                                    salary={"is_suppressed": True, "suppression_reason": "primary: fewer than k=10 graduates"}))
    assert gone["prior_state"] == "withheld" and gone["caveat"][0] == "suppressed"
    assert gone["salary_missing"] == "Salary: withheld — fewer than k=10 graduates (small-cell rule)"
    assert curated_summary(_curated(placement=None))["prior_state"] == "no-records"
    synth = curated_summary(_curated(notice={"data_origin_class": "synthetic"}))
    assert synth["caveat"][0] == "synthetic" and synth["provenance"] == "Synthetic demonstration (not real graduates)"
    assert provenance_line("audited_report", "Published outcome reports", "graduates 2019-2021") == \
        "Published outcome report (CIRR), audited, Published outcome reports, graduates 2019-2021"


def test_every_cost_na_says_why():
    prog = {"tuition_fees_usd": None, "duration_months": 12.0}
    assert cost_why({"is_suppressed": False}, "total_cost_usd", prog) == "n/a: tuition unknown"
    prog = {"tuition_fees_usd": 10000.0, "duration_months": 12.0}
    assert cost_why(None, "total_cost_usd", prog) == "n/a: no graduate records"
    assert "small-cell rule" in cost_why({"is_suppressed": True}, "payback_years", prog)
    assert cost_why({"is_suppressed": False, "loan_rate": None, "employed_in_field_180d_rate": 0.5}, "financed_usd", prog) == \
        "n/a: no loan rate for this country"
    assert cost_why({"is_suppressed": False, "loan_rate": 0.05, "employed_in_field_180d_rate": None}, "payback_years", prog) == \
        "n/a: no start dates in this source (no 180-day rate)"
    assert cost_why({"is_suppressed": False, "loan_rate": 0.05, "employed_in_field_180d_rate": 0.5, "annual_gain_usd": -10.0,
                     "median_base_salary_usd": 1.0}, "payback_years", prog) == "never: the gain is not positive"
    assert cost_why({"is_suppressed": False, "loan_rate": 0.05, "employed_in_field_180d_rate": 0.5,
                     "median_base_salary_usd": None}, "expected_salary_usd", prog) == "n/a: n ≤ 5 salaries"
    assert public_why(None, "payback_years").startswith("n/a: no cost row")
    assert public_why({"not_computed_reason": "debt: not published for this program (College Scorecard only)"},
                      "debt_median_usd") == "n/a: not published for this program (College Scorecard only)"
    assert public_why({"counterfactual_earnings_usd": 1.0, "earnings_usd": 1.0, "annual_gain_usd": -5.0}, "payback_years") == \
        "never: the gain is not positive"
    assert withheld("Salary", None) == "Salary: not available — no graduate records in this source"
    assert "another withheld figure" in withheld("Cost", {"suppression_reason": "complementary: withheld so that ..."})


def test_public_summary_leads_with_earnings_of_one_source_and_names_its_cohort():
    e = lambda years, med: {"data_origin": "census_pseo", "name": "Census PSEO", "grad_cohort": "2011-2015", "years": years,
                            "p25": 1.0, "median": med, "p75": 2.0, "n": 40, "p25_why": "", "median_why": "", "p75_why": ""}
    pub = {"earnings": [e(1, 70000.0), e(5, 90000.0), e(10, None)], "mixed_cohorts": ""}
    sm = public_summary({"public_costs": {"earnings_source": "census_pseo"}}, pub)
    assert [x["years"] for x in sm["earnings"]] == [1, 5]
    assert sm["provenance"] == "Public earnings records, Census PSEO, graduates 2011-2015"
    assert sm["caveat"][0] == "all_completers"
    none = public_summary({"public_costs": None}, {"earnings": [], "mixed_cohorts": ""})
    assert none["earnings"] == [] and none["caveat"][0] == "suppressed"
