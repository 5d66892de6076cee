"""Reports: golden figures against the out tables, escaping, suppression, notices, no PII, atomic output."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

import schemas  # noqa: F401
from flows.reports import build_reports, publish_artifacts
from flows.reports.artifacts import summary_markdown
from flows.reports.build import fig, json_for_html, suppressed
from schemas.generate import pandera_model
from tests.report_fixtures import EVIL_INSTITUTION, EVIL_NAME

pytestmark = pytest.mark.slow
LINKED = "mscs-ml-front-range"


class Figures(HTMLParser):
    """data-field -> value attribute of <data> elements; data-field of suppressed badges; script bodies."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self.suppressed: set[str] = set()
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "data" and "data-field" in a:
            self.values[a["data-field"]] = a.get("value", "")
        if a.get("data-suppressed") == "true":
            self.suppressed.add(a["data-field"])
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def parse(path: Path) -> Figures:
    p = Figures()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def one(con, sql, params=()):
    cur = con.execute(sql, list(params))
    cols = [d[0] for d in cur.description]
    rows = cur.fetchall()
    return [dict(zip(cols, r)) for r in rows]


@pytest.fixture(scope="module")
def con(report_env):
    c = duckdb.connect(str(report_env["warehouse"]), read_only=True)
    yield c
    c.close()


def _close(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))
    return a == b


def _published_programs(con, n=2):
    return [r["program_id"] for r in one(con, """
        SELECT program_id FROM out_outcomes__program_placement WHERE NOT is_suppressed
        AND program_id <> ? ORDER BY employed_in_field_count DESC NULLS LAST, program_id LIMIT ?""", (LINKED, n))]


def test_report_set_written(report_env, con):
    out, result = report_env["out"], report_env["result"]
    n = con.execute("SELECT count(*) FROM core_programs__programs").fetchall()[0][0]
    assert result.programs == n == len(list((out / "programs").glob("*.html"))) == len(list(out.glob("*.json")))
    assert (out / "index.html").exists() and (out / "methodology.html").exists()
    assert (out / "overview.html").exists() and (out / "sources.html").exists() and (out / "assets" / "report.css").exists()
    snap = con.execute("SELECT warehouse_snapshot_id FROM core_warehouse__snapshot").fetchall()[0][0]
    assert result.warehouse_snapshot_id == snap
    for page in (out / "programs").glob("*.html"):
        assert snap in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("which", ["linked", "published0", "published1"])
def test_json_and_html_figures_equal_the_out_tables(report_env, con, which):
    pid = LINKED if which == "linked" else _published_programs(con)[int(which[-1])]
    out = report_env["out"]
    doc = json.loads((out / f"{pid}.json").read_text(encoding="utf-8"))
    html = parse(out / "programs" / f"{pid}.html")
    placement = one(con, "SELECT * FROM out_outcomes__program_placement WHERE program_id=?", (pid,))[0]
    salary = one(con, "SELECT * FROM out_outcomes__program_salary WHERE program_id=?", (pid,))[0]
    costs = one(con, "SELECT * FROM out_roi__program_costs WHERE program_id=?", (pid,))[0]
    for section, row in (("placement", placement), ("salary", salary), ("costs", costs)):
        for col, value in row.items():
            assert _close(doc[section][col], value), (section, col, doc[section][col], value)
    checked = 0
    for section, row, cols in (
            ("placement", placement, ("graduates", "employed_in_field_180d_rate", "employed_in_field_90d_rate",
                                      "employed_in_field_180d_rate_lower", "employed_in_field_180d_rate_upper",
                                      "knowledge_rate", "median_days_to_job_start", "cirr_1a_count")),
            ("salary", salary, ("median_base_salary_usd", "salary_p25_usd", "salary_p75_usd", "salary_reported_count",
                                "salary_reported_share", "median_salary_uplift_usd")),
            ("costs", costs, ("total_cost_usd", "payback_years", "npv_10y_usd", "npv_20y_usd", "discount_rate", "loan_rate"))):
        if row.get("is_suppressed"):  # a withheld row shows its badge, not its figures
            assert section != "costs" or "costs.payback_years" in html.suppressed
            continue
        for col in cols:
            key = f"{section}.{col}"
            if row[col] is None:
                continue
            assert key in html.values, key
            assert _close(float(html.values[key]), float(row[col])), (key, html.values[key], row[col])
            checked += 1
    assert checked >= 5
    # cohort series, prior background, sensitivity and pathway medians
    for r in one(con, "SELECT * FROM out_outcomes__program_cohort_placement WHERE program_id=?", (pid,)):
        key = f"by_cohort.{r['cohort']}.placement.employed_in_field_180d_rate"
        if r["is_suppressed"]:
            assert f"by_cohort.{r['cohort']}.placement.graduates" in html.suppressed
        elif r["employed_in_field_180d_rate"] is not None:
            assert _close(float(html.values[key]), r["employed_in_field_180d_rate"])
    for r in one(con, "SELECT * FROM out_reports__program_prior_background WHERE program_id=? AND NOT is_suppressed "
                      "AND employed_in_field_180d_rate IS NOT NULL", (pid,)):
        assert _close(float(html.values[f"prior_background.{r['prior_degree']}.employed_in_field_180d_rate"]),
                      r["employed_in_field_180d_rate"])
    sens = one(con, "SELECT * FROM out_reports__roi_sensitivity WHERE program_id=?", (pid,))
    assert len(sens) == len(doc["sensitivity"])
    assert sens or costs["is_suppressed"] or costs["payback_years"] is None  # a published payback has its grid
    for r in sens:
        key = f"sensitivity.{r['loan_rate']}.{r['salary_scenario_factor']}.payback_years"
        assert _close(float(html.values[key]) if html.values[key] else None, r["payback_years"])
    pathway = doc["program"]["pathway"]
    pm = one(con, """SELECT m.* FROM out_reports__pathway_medians m JOIN out_reports__program_notices n
                     USING (data_origin_class) WHERE m.pathway=? AND n.program_id=?""", (pathway, pid))[0]
    key = f"pathways.{pm['data_origin_class']}.{pathway}.pathway_median_salary_usd"
    assert _close(float(html.values[key]) if html.values[key] else None, pm["pathway_median_salary_usd"])


def test_linked_program_shows_its_public_earnings_and_link_note(report_env, con):
    page = (report_env["out"] / "programs" / f"{LINKED}.html").read_text(encoding="utf-8")
    link = one(con, "SELECT link_note FROM core_links__program_public_ids WHERE program_id=?", (LINKED,))[0]
    earnings = one(con, "SELECT * FROM out_benchmarks__program_public_earnings WHERE program_id=? "
                        "ORDER BY data_origin, grad_cohort, years_after_graduation", (LINKED,))
    assert earnings, "the linked test program should match public earnings rows"
    assert "not for this program&#39;s graduates only" in page or "not for this program's graduates only" in page
    from markupsafe import escape
    assert str(escape(link["link_note"])) in page
    html = parse(report_env["out"] / "programs" / f"{LINKED}.html")
    doc = json.loads((report_env["out"] / f"{LINKED}.json").read_text())
    assert [e["earnings_median_usd"] for e in doc["public_earnings"]] == [e["earnings_median_usd"] for e in earnings]
    for i, e in enumerate(doc["public_earnings"]):
        if e["earnings_median_usd"] is not None:
            assert _close(float(html.values[f"public_earnings.{i}.earnings_median_usd"]), e["earnings_median_usd"])


def test_suppressed_cells_are_shown_as_suppressed_with_reason(report_env, con):
    row = one(con, """SELECT p.program_id, p.cohort, p.suppression_reason FROM out_outcomes__program_cohort_placement p
                      WHERE is_suppressed ORDER BY program_id, cohort LIMIT 1""")[0]
    page = (report_env["out"] / "programs" / f"{row['program_id']}.html").read_text(encoding="utf-8")
    html = parse(report_env["out"] / "programs" / f"{row['program_id']}.html")
    assert f"by_cohort.{row['cohort']}.placement.graduates" in html.suppressed
    from markupsafe import escape
    assert str(escape(row["suppression_reason"])) in page
    # no published figure of a suppressed program row anywhere
    for r in one(con, """SELECT program_id FROM out_roi__program_costs WHERE is_suppressed
                         AND program_id IN (SELECT program_id FROM out_outcomes__program_placement)"""):
        assert "costs.payback_years" in parse(report_env["out"] / "programs" / f"{r['program_id']}.html").suppressed


def test_report_tables_respect_k_and_pass_their_models(con):
    for table in ("out_reports__pathway_medians", "out_reports__roi_sensitivity", "out_reports__program_prior_background",
                  "out_reports__program_notices"):
        pandera_model(table).validate(con.execute(f"SELECT * FROM {table}").df(), lazy=True)
    bad = con.execute("""SELECT count(*) FROM out_reports__program_prior_background WHERE NOT is_suppressed
                         AND (graduates < 10 OR salary_reported_count < 10 OR cirr_denominator < 10)""").fetchall()[0][0]
    assert bad == 0
    supp = con.execute("""SELECT count(*) FROM out_reports__roi_sensitivity s JOIN out_roi__program_costs c USING (program_id)
                          WHERE c.is_suppressed""").fetchall()[0][0]
    assert supp == 0


def test_escaping_of_hostile_program_text(report_env):
    out, pid = report_env["out"], report_env["evil_id"]
    text = (out / "programs" / f"{pid}.html").read_text(encoding="utf-8")
    assert EVIL_NAME not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in text
    assert not re.findall(r"<script(?![^>]*\bsrc=\"\.\./assets/)", text, re.I)  # no inline script: the page's figures are its JSON file
    page = text
    assert re.search(r"<title id=\"chart-t\d+\">[^<]*&lt;script&gt;alert\(1\)", page)  # SVG titles
    doc = json.loads((out / f"{pid}.json").read_text())
    assert doc["program"]["program_name"] == EVIL_NAME  # JSON is data
    assert doc["program"]["institution_name"] == EVIL_INSTITUTION
    # the index holds no program text: its list is a data file, JSON with '<' and '>' escaped
    index = (out / "index.html").read_text(encoding="utf-8")
    assert EVIL_NAME not in index and "<img src=x" not in index
    assert re.findall(r"<script[^>]*>", index) == ['<script src="assets/site.js">', '<script src="assets/programs-data.js">',
                                                   '<script src="assets/index.js">']
    data = (out / "assets" / "programs-data.js").read_text(encoding="utf-8")
    assert EVIL_NAME not in data and "<img" not in data
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in data
    strings = json.loads(data[data.index("= ") + 2:].rstrip().rstrip(";"))["strings"]
    assert EVIL_NAME in strings and EVIL_INSTITUTION in strings


def test_escaping_helpers():
    assert str(fig(0.5, '"><b>', "pct")) == '<data class="fig" data-field="&#34;&gt;&lt;b&gt;" value="0.5">50.0%</data>'
    assert "</script" not in str(json_for_html({"a": "</script><script>x</script>", "b": "<!--"}))
    assert json.loads(str(json_for_html({"a": "</script>&"})))["a"] == "</script>&"
    assert "&lt;b&gt;" in str(suppressed({"suppression_reason": "<b>"}, "x"))


def test_notices_synthetic_self_reported_and_low_coverage(report_env, con):
    out = report_env["out"]
    for r in one(con, "SELECT program_id, is_synthetic, data_notice FROM out_reports__program_notices"):
        page = (out / "programs" / f"{r['program_id']}.html").read_text(encoding="utf-8")
        assert ('data-warning="synthetic"' in page) == bool(r["is_synthetic"])
    synthetic_ids = [r["program_id"] for r in one(con, "SELECT program_id FROM out_reports__program_notices WHERE is_synthetic")]
    assert synthetic_ids and 'data-warning="synthetic"' in (out / "index.html").read_text(encoding="utf-8")
    for r in one(con, """SELECT program_id, self_reported_share, is_low_coverage FROM out_outcomes__program_placement
                         WHERE NOT is_suppressed"""):
        page = (out / "programs" / f"{r['program_id']}.html").read_text(encoding="utf-8")
        assert ('data-warning="self_reported"' in page) == bool(r["self_reported_share"]), r
        assert ('data-warning="low_coverage"' in page) == bool(r["is_low_coverage"]), r
    fcc = one(con, """SELECT p.program_id FROM core_programs__programs p JOIN out_outcomes__program_placement o USING (program_id)
                      WHERE p.data_origin='freecodecamp_2016' AND NOT o.is_suppressed LIMIT 1""")
    if fcc:
        page = (out / "programs" / f"{fcc[0]['program_id']}.html").read_text(encoding="utf-8")
        assert 'data-warning="self_reported"' in page and "freeCodeCamp" in page


def test_no_personal_data_in_any_report(report_env):
    import pandas as pd
    records = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in report_env["curated"].glob("*records*.csv")])
    emails = set(records["email"][records["email"] != ""])
    names = {n for n in records.get("full_name", pd.Series(dtype=str)) if n}
    assert emails
    out = report_env["out"]
    for path in list(out.rglob("*.html")) + list(out.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text.replace("@media", "")), path
        if path.name != "methodology.html":  # the methodology names the evidence domains it keeps
            assert "linkedin.com" not in text
        assert not any(n in text for n in list(names)[:200])


def test_output_is_replaced_as_a_whole_and_foreign_folders_are_refused(report_env, tmp_path):
    wh = report_env["warehouse"]
    target = tmp_path / "rep"
    target.mkdir()
    (target / ".gitkeep").write_text("")
    first = build_reports(wh, target)
    (target / "stale.html").write_text("old")
    second = build_reports(wh, target)
    assert not (target / "stale.html").exists() and (target / ".gitkeep").exists()
    assert first.programs == second.programs
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".rep")]  # no temp folder left behind
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="not a report set"):
        build_reports(wh, foreign)
    assert (foreign / "notes.txt").read_text() == "mine"
    with pytest.raises(FileNotFoundError, match="outcomes refresh"):
        build_reports(tmp_path / "none.duckdb", tmp_path / "x")


def test_artifacts_skipped_outside_a_flow_and_summary_links(report_env):
    result = report_env["result"]
    assert publish_artifacts(result) is False
    md = summary_markdown(result, limit=3)
    assert result.index.resolve().as_uri() in md and "more in" in md


def test_methodology_page_is_rendered_and_escapes_raw_html(tmp_path, monkeypatch):
    from flows.reports import build as report_build

    doc = tmp_path / "docs" / "METHODOLOGY.md"
    doc.parent.mkdir()
    doc.write_text("# Methodology\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<script>alert(1)</script>\n", encoding="utf-8")
    monkeypatch.setattr(report_build.settings, "PROJECT_ROOT", tmp_path)
    ctx = {"root": "", "has_methodology": True, "sources": [],
           "snapshot": {"warehouse_snapshot_id": "0123456789abcdef", "built_at": "2026-11-21", "run_id": "r"}}
    html = report_build._methodology_page(report_build.make_env(), ctx)
    assert "<h1>Methodology</h1>" in html and "<table>" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
