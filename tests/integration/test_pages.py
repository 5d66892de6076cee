"""Real-first index, public program pages, the overview page: against a fixture warehouse (every table of
the schema, created from schemas/) holding real public programs with earnings, an audited program, synthetic
demonstration programs and rows in the contract's tables (out_public__program_premium,
out_roi__public_program_costs, out_answers__statements, out_answers__peer_earnings), the last created here
from the contract's columns."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from flows.reports import charts
from flows.reports.build import INDEX_COLUMNS
from tests.report_fixtures import EARNINGS, HOSTILE, REAL_ID, REAL_INSTITUTION, REAL_NAME, STATEMENTS, derived_site, index_data

#: Documented bounds (README, reports section): index.html under 16 KB whatever the number of programs; the
#: program list under 160 bytes per program plus 6 KB of shared tables (names of sources, fields, reasons for
#: missing figures); a public program page under 12 KB on average
#: (its summary, earnings chart and calculator box included).
INDEX_MAX_BYTES = 16_000
DATA_MAX_BYTES_PER_PROGRAM = 160
DATA_MAX_SHARED_BYTES = 6_000
PUBLIC_PAGE_MAX_MEAN_BYTES = 12_000


@pytest.fixture(scope="module")
def bare_env(fixture_site, tmp_path_factory) -> dict:
    """The same warehouse without the answer tables (a warehouse built before the answers step existed)."""
    def drop_answers(con):
        for t in ("out_public__program_premium", "out_roi__public_program_costs", "out_answers__statements",
                  "out_answers__peer_earnings"):
            con.execute(f"DROP TABLE IF EXISTS {t}")
    return derived_site(fixture_site, tmp_path_factory.mktemp("pages-bare"), drop_answers)



def test_index_lists_real_programs_by_default_and_keeps_the_synthetic_set_apart(fixture_site):
    out = fixture_site["out"]
    index = (out / "index.html").read_text(encoding="utf-8")
    data = index_data(out)
    assert data["columns"] == list(INDEX_COLUMNS)
    col = {c: i for i, c in enumerate(data["columns"])}
    rows = data["rows"]
    assert len(rows) == fixture_site["n_programs"] == fixture_site["result"].programs
    flags = {r[col["id"]]: r[col["synthetic"]] for r in rows}
    assert flags == {pid: int(fixture_site["notices"].get(pid, False)) for pid in flags}
    assert any(flags.values()) and not all(flags.values())  # both sets exist in the fixture
    assert all(r[col["origin_class"]] == "synthetic" for r in rows if r[col["synthetic"]])
    # the default option is the real set; the synthetic set is a separate, labelled option, never mixed with real ones
    assert re.search(r'<option value="real" selected>Real programs', index)
    assert '<option value="synthetic">Synthetic demonstration programs (not real)</option>' in index
    assert not re.search(r'<option value="(all)?"[^>]*>\s*All', index.split('id="f-origin"')[1].split("</select>")[0])
    # pathway medians: real classes in the main table, the synthetic class only inside the labelled details block
    main_part, _, synthetic_part = index.partition('id="synthetic-pathways"')
    assert "(synthetic)" not in main_part and "(synthetic)" in synthetic_part and 'data-warning="synthetic"' in synthetic_part
    assert 'href="overview.html"' in index.split('id="programs"')[0]  # linked from the first screen
    assert '<script src="assets/programs-data.js"></script>' in index and "https://" not in index.split("</footer>")[1]
    real = next(r for r in rows if r[col["id"]] == REAL_ID)
    assert real[col["earnings_source"]] == "college_scorecard" and real[col["earnings_1y"]] == 83000.0  # one named source per row
    assert real[col["debt"]] == 31000 and real[col["payback"]] == 7.0 and real[col["synthetic"]] == 0


def test_index_and_data_file_sizes_stay_under_their_bounds(fixture_site):
    out, n = fixture_site["out"], fixture_site["n_programs"]
    index_bytes = (out / "index.html").stat().st_size
    data_bytes = (out / "assets" / "programs-data.js").stat().st_size
    assert index_bytes < INDEX_MAX_BYTES, index_bytes
    assert data_bytes < DATA_MAX_BYTES_PER_PROGRAM * n + DATA_MAX_SHARED_BYTES, (data_bytes, n)
    data = index_data(out)
    rows_bytes = len(json.dumps(data["rows"], ensure_ascii=False, separators=(",", ":")))
    assert rows_bytes < DATA_MAX_BYTES_PER_PROGRAM * n, (rows_bytes, n)  # the part that grows with the number of programs
    col = {c: i for i, c in enumerate(data["columns"])}
    public = [r[col["id"]] for r in data["rows"] if r[col["origin_class"]] == "public_records"]
    sizes = [(out / "programs" / f"{pid}.html").stat().st_size for pid in public]
    assert len(sizes) >= 10 and sum(sizes) / len(sizes) < PUBLIC_PAGE_MAX_MEAN_BYTES, sum(sizes) / len(sizes)
    css = (out / "assets" / "report.css").read_text(encoding="utf-8")
    page = (out / "programs" / f"{REAL_ID}.html").read_text(encoding="utf-8")
    assert "<style" not in page and 'href="../assets/report.css"' in page and ":root" in css


def test_hostile_program_name_is_escaped_in_index_data_and_pages(fixture_site):
    out = fixture_site["out"]
    raw = (out / "assets" / "programs-data.js").read_text(encoding="utf-8")
    assert "</script" not in raw.lower() and "<b>" not in raw and "\\u003c/script\\u003e\\u003cb\\u003e" in raw
    assert REAL_NAME in index_data(out)["strings"]  # JSON gives back the exact text
    page = (out / "programs" / f"{REAL_ID}.html").read_text(encoding="utf-8")
    assert HOSTILE not in page and "<b>bold" not in page
    assert "&lt;/script&gt;&lt;b&gt;bold" in page
    assert re.search(r'<title id="chart-t\d+">[^<]*&lt;/script&gt;&lt;b&gt;', page)  # SVG title escaped too
    json_doc = json.loads((out / f"{REAL_ID}.json").read_text(encoding="utf-8"))
    assert json_doc["program"]["program_name"] == REAL_NAME
    overview = (out / "overview.html").read_text(encoding="utf-8")
    assert "<script>x</script>" not in overview and "&lt;script&gt;x&lt;/script&gt;" in overview


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values, self.stack, self.texts, self.sections, self.statements = {}, [], [], [], {}
        self._section = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "data" and "data-field" in a:
            self.values[a["data-field"]] = a.get("value", "")
        if "data-section" in a:
            self._section = a["data-section"]
            self.sections.append(self._section)
        if "data-statement" in a:
            self.statements[a["data-statement"]] = (self._section, a.get("data-not-in-data") == "true")

    def handle_data(self, data):
        self.texts.append(data)


def parse(path: Path) -> Page:
    p = Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_real_masters_page_shows_trajectory_chart_premium_and_payback(fixture_site):
    out = fixture_site["out"]
    path = out / "programs" / f"{REAL_ID}.html"
    html = path.read_text(encoding="utf-8")
    page = parse(path)
    fig = re.search(r'<figure class="chart-fig">.*?</figure>', html, re.S).group(0)
    svg = re.search(r'<svg class="chart[^>]*>.*?</svg>', fig, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert ">Years after graduation</text>" in svg and ">Annual earnings (2023 US$)</tspan>" in svg
    legend = re.search(r'<ul class="legend".*?</ul>', fig, re.S).group(0)
    assert "Census PSEO, cohort 2016-2018: median" in legend and "College Scorecard, cohort 2016-2018: median" in legend
    assert set(re.findall(r'font-size="(\d+)"', svg)) == {"12"}
    assert "<circle" in svg and "<polyline" in svg
    for (src, years), (p25, med, p75, n) in EARNINGS.items():
        key = f"earnings.{src}.2016-2018.{years}"
        assert float(page.values[f"{key}.median"]) == med
        assert page.values[f"{key}.p25"] == ("" if p25 is None else repr(p25))
        assert int(page.values[f"{key}.n"]) == n
    assert "mixes cohorts" in html  # cohorts_differ_across_horizons is said
    assert float(page.values["premium.census_pseo.5.premium_usd"]) == 25000
    assert float(page.values["premium.census_pseo.5.bachelor_median_earnings_usd"]) == 76000
    assert "not its causal effect" in html
    assert float(page.values["public_costs.payback_years"]) == 7.0 and float(page.values["public_costs.total_cost_usd"]) == 84000
    assert "Assumptions: Tuition 1.5 years" in html and "assumed: IPEDS graduate tuition" in html
    assert 'data-provenance="public_records"' in html and "Census PSEO (snapshot" in html
    assert REAL_INSTITUTION in html and ">99990100<" not in html  # earnings under the institution's name, not its code
    assert float(page.values["outcomes.college_scorecard.debt_median.2018-2019"]) == 31000


def test_pages_say_in_one_line_what_is_missing_without_the_answer_tables(bare_env):
    out = bare_env["out"]
    pid = next(p.stem for p in sorted((out / "programs").glob("ipeds-*-masters.html")))
    html = (out / "programs" / f"{pid}.html").read_text(encoding="utf-8")
    assert "Not shown: this warehouse has no table out_public__program_premium" in html
    assert "Not shown: this warehouse has no table out_roi__public_program_costs" in html
    assert 'data-provenance="public_records"' in html
    overview = (out / "overview.html").read_text(encoding="utf-8")
    assert 'data-missing="out_answers__statements"' in overview and 'data-missing="out_answers__peer_earnings"' in overview


def test_overview_renders_the_statements_in_section_order_with_source_date_and_n(fixture_site):
    path = fixture_site["out"] / "overview.html"
    html = path.read_text(encoding="utf-8")
    page = parse(path)
    assert page.sections == ["peer_outcomes", "premium", "cost", "payback", "loan_risk", "flexible_options",
                             "part_time_options", "alternatives"]
    assert set(page.statements) == {s[1] for s in STATEMENTS}
    for i, (section, sid, _, text, value, unit, nid) in enumerate(STATEMENTS):
        assert page.statements[sid] == (section, nid)
        item = re.search(rf'<li data-statement="{sid}".*?</li>', html, re.S).group(0)
        assert f"Source {sid}" in item and f"2024-0{1 + i % 9}-01" in item
        assert int(page.values[f"statements.{sid}.n_programs"]) == 100 + i
        if i % 2 == 0:
            assert int(page.values[f"statements.{sid}.n_graduates"]) == 5000 + i
        assert ("Not in the data" in item) == nid
        if not nid:
            assert float(page.values[f"statements.{sid}.value"]) == value
    order = [m.group(1) for m in re.finditer(r'<li data-statement="([^"]+)"', html)]
    assert order.index("peer-median-1y") < order.index("peer-median-5y") < order.index("premium-ncses")
    assert float(page.values["peer.11.masters.census_pseo.5.median_usd"]) == 121000
    assert ">Years after graduation</text>" in html and "Program median earnings (2023 US$)" in html
    assert "Real data only" in html


def test_trajectory_chart_unit():
    fig = str(charts.trajectory_chart("T <x>", "D", [("A", [(1.0, 10.0, 20.0, 30.0), (5.0, None, 40.0, None)])], "Earnings (2023 US$)"))
    svg = re.search(r'<svg class="chart.*?</svg>', fig, re.S).group(0)  # the chart (the legend's keys are drawn apart)
    assert "T &lt;x&gt;" in svg and svg.count("<circle") == 2 and svg.count('stroke-opacity="0.35"') == 1
    assert ">Earnings (2023 US$)</tspan>" in svg and ">1</text>" in svg and ">5</text>" in svg
    empty_median = str(charts.trajectory_chart("T", "D", [("A", [(1.0, 10.0, None, 30.0)])], "E"))
    assert "<circle" not in re.search(r'<svg class="chart.*?</svg>', empty_median, re.S).group(0)  # a withheld median draws no dot


def test_every_program_page_has_a_provenance_banner(fixture_site):
    out = fixture_site["out"]
    data = index_data(out)
    col = {c: i for i, c in enumerate(data["columns"])}
    for r in data["rows"]:
        html = (out / "programs" / f"{r[col['id']]}.html").read_text(encoding="utf-8")
        m = re.search(r'<p class="banner provenance" role="note" data-provenance="([a-z_]+)"', html)
        assert m, r[col["id"]]
        assert m.group(1) in (r[col["origin_class"]], "public_records"), (r[col["id"]], m.group(1))
        assert ('data-warning="synthetic"' in html) == bool(r[col["synthetic"]])
