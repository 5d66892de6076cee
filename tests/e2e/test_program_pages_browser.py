"""Program pages in headless chromium at a laptop's and a phone's size: the answer in the first screen, no
horizontal scroll, no serious accessibility violation, chart text at a fixed readable size, no label cut."""

from __future__ import annotations

import duckdb
import pytest

from tests.e2e.browser import LAPTOP, PHONE, open_page
from tests.report_fixtures import derived_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SIZES = {"laptop": LAPTOP, "phone": PHONE}

#: Per chart <text>: its rendered font size (computed size x the SVG's scale) and whether it lies inside its SVG.
CHART_TEXT = """() => [...document.querySelectorAll('svg.chart text')].map(t => {
    const svg = t.ownerSVGElement, vb = svg.viewBox.baseVal, r = svg.getBoundingClientRect(), b = t.getBoundingClientRect();
    const own = [...t.childNodes].filter(n => n.nodeName !== 'title').map(n => n.textContent).join('');
    const title = t.querySelector('title');
    return {size: parseFloat(getComputedStyle(t).fontSize) * (r.width / vb.width), text: own, title: title ? title.textContent : null,
            inside: b.left >= r.left - 1 && b.right <= r.right + 1 && b.top >= r.top - 1 && b.bottom <= r.bottom + 1}; })"""


@pytest.fixture(scope="module")
def pages_env(fixture_site, tmp_path_factory) -> dict:
    """The shared fixture warehouse (a real public master's, an audited bootcamp, synthetic programs), with the
    audited bootcamp's placement, salary and cost published (payback and its range)."""
    def publish_audited(con):
        for table, row in AUDITED.items():
            cols = ", ".join(row)
            con.execute(f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    return derived_site(fixture_site, tmp_path_factory.mktemp("program-pages-browser"), publish_audited)


#: Published figures of the audited fixture program (placement, salary, cost with the payback range).
AUDITED = {
    "out_outcomes__program_placement": {
        "program_id": "turing-be-2016", "graduates": 40, "employed_in_field_count": 28, "employed_in_field_rate": 0.7,
        "employed_in_field_180d_rate": 0.7, "employed_in_field_180d_rate_lower": 0.55, "employed_in_field_180d_rate_upper": 0.82,
        "employed_in_field_180d_denominator": 40, "cirr_denominator": 40, "knowledge_rate": 0.9, "graduates_known_outcome": 36,
        "rate_method": "CIRR report published by the school", "interval_note": "Wilson interval.", "is_suppressed": False,
        "is_low_coverage": False, "career_outcomes_rate_is_lower_bound": False},
    "out_outcomes__program_salary": {
        "program_id": "turing-be-2016", "salary_reported_count": 24, "salary_reported_share": 0.857, "salary_p25_usd": 60000.0,
        "median_base_salary_usd": 70000.0, "salary_p75_usd": 85000.0, "is_suppressed": False, "is_low_coverage": False},
    "out_roi__program_costs": {
        "program_id": "turing-be-2016", "pathway": "bootcamp", "graduates": 40, "salary_reported_count": 24,
        "median_base_salary_usd": 70000.0, "employed_in_field_180d_rate": 0.7, "tuition_fees_usd": 20000.0,
        "forgone_earnings_usd": 15000.0, "total_cost_usd": 36000.0, "counterfactual_salary_usd": 45000.0,
        "expected_salary_usd": 62500.0, "annual_gain_usd": 17500.0, "payback_years": 36000.0 / 17500.0,
        "payback_years_p75_salary": 36000.0 / 28000.0, "payback_years_p25_salary": 36000.0 / 10500.0, "npv_10y_usd": 90000.0,
        "discount_rate": 0.03, "loan_rate": 0.08, "is_suppressed": False, "is_low_coverage": False},
}


def _pick(warehouse, sql: str) -> str:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(sql).fetchall()
    finally:
        con.close()
    assert rows, f"no program matches: {sql}"
    return rows[0][0]


@pytest.fixture(scope="module")
def curated_pages(report_env) -> dict[str, object]:
    """Programs of the generated curated warehouse chosen by their data: one whose placement and salary are published,
    and a fully suppressed one."""
    wh = report_env["warehouse"]
    published = _pick(wh, """SELECT p.program_id FROM out_outcomes__program_placement p JOIN out_outcomes__program_salary s USING (program_id)
                             WHERE NOT p.is_suppressed AND NOT s.is_suppressed
                             ORDER BY p.employed_in_field_count DESC NULLS LAST, p.program_id LIMIT 1""")
    suppressed = _pick(wh, "SELECT program_id FROM out_outcomes__program_placement WHERE is_suppressed ORDER BY program_id LIMIT 1")
    return {"curated": report_env["out"] / "programs" / f"{published}.html",
            "suppressed": report_env["out"] / "programs" / f"{suppressed}.html"}


@pytest.fixture(scope="module")
def fixture_pages(pages_env) -> dict[str, object]:
    """A real public master's with earnings and a cost row, and an audited bootcamp with a published payback."""
    from tests.report_fixtures import REAL_ID
    return {"public": pages_env["out"] / "programs" / f"{REAL_ID}.html",
            "audited": pages_env["out"] / "programs" / "turing-be-2016.html"}


@pytest.fixture
def pages(request) -> dict[str, object]:
    """The pages of the kinds a test asks for (the generated curated warehouse is built only when needed)."""
    kind = request.node.callspec.params.get("kind") if hasattr(request.node, "callspec") else None
    if kind in ("curated", "suppressed"):
        return request.getfixturevalue("curated_pages")
    return request.getfixturevalue("fixture_pages")


#: Summary fields every page kind must show in its first screen (a data-field prefix each).
KEY_FIELDS = {
    "curated": ("placement.employed_in_field_", "salary.median_base_salary_usd", "costs.total_cost_usd", "costs.payback_years",
                "summary.provenance"),
    "suppressed": ("placement.employed_in_field_180d_rate", "salary.median_base_salary_usd", "costs.payback_years", "summary.provenance"),
    "public": ("earnings.", "public_costs.total_cost_usd", "public_costs.payback_years", "summary.provenance", "summary.employment_rate"),
    "audited": ("placement.employed_in_field_180d_rate", "salary.median_base_salary_usd", "costs.total_cost_usd",
                "costs.payback_years", "costs.payback_years_p75_salary", "costs.payback_years_p25_salary", "summary.provenance"),
}


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("kind", sorted(KEY_FIELDS))
def test_program_page_answer_first_fits_and_is_accessible(browser, pages, kind, size, tmp_path):
    o = open_page(browser, pages[kind].as_uri(), SIZES[size])
    try:
        page = o.page
        fields = page.eval_on_selector_all("#summary [data-field]", "els => els.map(e => e.dataset.field)")
        for prefix in KEY_FIELDS[kind]:
            assert any(f.startswith(prefix) for f in fields), (kind, prefix, fields)
        assert o.in_first_screen("#summary [data-field]"), (kind, size)
        assert o.in_first_screen("#summary .prov-line") and o.in_first_screen("h1")
        assert o.overflow() == 0
        # provenance: a banner on every page, suppressed or not, and a caveat in the summary
        assert page.locator(".banner.provenance").count() == 1
        assert page.locator("#summary .caveat[data-caveat]").count() == 1
        texts = page.evaluate(CHART_TEXT)
        for t in texts:
            assert 10 <= t["size"] <= 16, (kind, size, t)
            assert t["inside"], (kind, size, t)  # never cut by the edge of its chart
            if t["text"].rstrip().endswith("…"):
                assert t["title"] and not t["title"].endswith("…"), t
        if kind in ("curated", "public", "audited"):
            assert texts, "the page should draw charts"
        violations = o.axe()
        assert violations == [], violations
        assert o.blocked == [] and o.errors == []
        o.screenshot(tmp_path / f"{kind}-{size}.png")
        assert (tmp_path / f"{kind}-{size}.png").stat().st_size > 5000
    finally:
        o.page.context.close()


def test_summary_figures_are_the_warehouse_cells(browser, fixture_pages):
    """The summary's rate, salary, cost, payback and payback range are the out tables' values (data-field value attributes)."""
    o = open_page(browser, fixture_pages["audited"].as_uri(), PHONE)
    try:
        val = lambda f: float(o.page.get_attribute(f'#summary [data-field="{f}"]', "value"))  # noqa: E731
        c = AUDITED["out_roi__program_costs"]
        for col in ("payback_years", "payback_years_p75_salary", "payback_years_p25_salary", "total_cost_usd"):
            assert val(f"costs.{col}") == pytest.approx(c[col], rel=1e-12), col
        assert val("salary.median_base_salary_usd") == 70000.0 and val("salary.salary_reported_count") == 24
        assert val("placement.employed_in_field_180d_rate") == 0.7 and val("placement.employed_in_field_180d_rate_lower") == 0.55
        summary = o.page.inner_text("#summary")
        assert "Published outcome report (CIRR), audited" in summary and "1.3 years" in summary and "3.4 years" in summary
        # reader order: summary, earnings, placement, cost, graduates like you, cohorts, benchmarks, comparison
        ys = o.page.evaluate("""() => ['#summary', '#salary', '#placement', '#cost', '#prior', '#cohorts', '#benchmarks', '#compare']
                                 .map(s => document.querySelector(s).getBoundingClientRect().top)""")
        assert ys == sorted(ys)
    finally:
        o.page.context.close()


def test_suppressed_page_collapses_sections_to_one_line(browser, curated_pages):
    o = open_page(browser, curated_pages["suppressed"].as_uri(), PHONE)
    try:
        lines = o.page.eval_on_selector_all("p.collapsed [data-suppressed='true']", "els => els.map(e => e.textContent)")
        assert any(t.startswith("Salary: withheld — ") for t in lines), lines
        assert any(t.startswith("Placement: withheld — ") for t in lines), lines
        assert o.page.locator("figcaption.chart-title", has_text="Base salary distribution").count() == 0
        states = o.page.eval_on_selector_all("p.collapsed[data-state]", "els => els.map(e => e.dataset.state)")
        assert set(states) & {"withheld", "all-withheld"}, states  # never "No graduate records" for a program with graduates
        assert "No graduate records" not in o.page.inner_text("main")
    finally:
        o.page.context.close()


def test_overview_chart_text_is_fixed_and_never_cut(browser, pages_env, tmp_path):
    for size in SIZES.values():
        o = open_page(browser, (pages_env["out"] / "overview.html").as_uri(), size)
        try:
            texts = o.page.evaluate(CHART_TEXT)
            assert texts and all(10 <= t["size"] <= 16 and t["inside"] for t in texts), [t for t in texts if not t["inside"]]
            o.screenshot(tmp_path / f"overview-{size[0]}.png")
        finally:
            o.page.context.close()
