"""Real-first index, public program pages, the overview page: against a fixture warehouse (every table of
the schema, created from schemas/) holding real public programs with earnings, an audited program, synthetic
demonstration programs and rows in the contract's tables (out_public__program_premium,
out_roi__public_program_costs, out_answers__statements, out_answers__peer_earnings), the last created here
from the contract's columns."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from flows.reports import build_reports
from flows.reports import charts
from flows.reports.build import INDEX_COLUMNS



HOSTILE = "</script><b>bold"
REAL_ID = "ipeds-999901-3070-masters"
REAL_NAME = f"Data Science {HOSTILE} (Master's degree, CIP 30.70)"
REAL_INSTITUTION = "Fixture State University"
BACH_ID = "ipeds-999901-3070-bachelors"
N_PUBLIC, N_SYNTHETIC = 60, 5  # generated public programs, synthetic demonstration programs
#: Documented bounds (README, reports section): index.html under 16 KB whatever the number of programs; the
#: program list under 160 bytes per program plus 6 KB of shared tables (names of sources, fields, reasons for
#: missing figures); a public program page under 12 KB on average
#: (its summary, earnings chart and calculator box included).
INDEX_MAX_BYTES = 16_000
DATA_MAX_BYTES_PER_PROGRAM = 160
DATA_MAX_SHARED_BYTES = 6_000
PUBLIC_PAGE_MAX_MEAN_BYTES = 12_000

EARNINGS = {  # (source, years) -> (p25, median, p75, n) in constant 2023 dollars
    ("census_pseo", 1): (61000.0, 78000.0, 95000.0, 40), ("census_pseo", 5): (80000.0, 101000.0, 125000.0, 38),
    ("census_pseo", 10): (95000.0, 121000.0, 150000.0, 31), ("college_scorecard", 1): (None, 83000.0, None, 27),
}
STATEMENTS = [  # section, id, ordinal, statement, value, unit, not_in_data
    ("payback", "payback-median", 1, "The median real CS master's pays back in 6.1 years.", 6.1, "years", False),
    ("peer_outcomes", "peer-median-1y", 1, "Median earnings one year after a CS master's: $98,000.", 98000.0, "usd", False),
    ("premium", "premium-ncses", 1, "Master's holders in computer science earn 18% more than bachelor's holders.", 1.18, "ratio", False),
    ("cost", "cost-median", 1, "Median assumed total cost $61,000.", 61000.0, "usd", False),
    ("loan_risk", "loan-share", 1, "Median loan payment is 9% of earnings.", 0.09, "share", False),
    ("flexible_options", "online-earnings", 1, "The data cannot separate online from in-person master's programs.", None, None, True),
    ("part_time_options", "part-time", 1, "Part-time study is not in the public data.", None, None, True),
    ("alternatives", "bootcamp", 1, "Audited bootcamp reports place 70% in field by day 180.", 0.7, "share", False),
    ("peer_outcomes", "peer-median-5y", 2, "Five years after: $121,000 <script>x</script>.", 121000.0, "usd", False),
]


def _ddl(con, table: str, cols: dict[str, str]) -> None:
    """The table with exactly the contract's columns (replacing the schema's, which may carry more)."""
    con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute(f"CREATE TABLE {table} ({', '.join(f'{c} {t}' for c, t in cols.items())})")


def _outcome(con, pid, src, measure, years, cohort, value, n, unit="usd_per_year", mixed=True):
    con.execute("""INSERT INTO core_public__program_outcomes (program_id, data_origin, institution_id, cip_code,
        credential_level_code, measure, years_after_graduation, grad_cohort, value, value_unit, value_count, dollar_year,
        constant_dollar_year, value_constant_dollars, cohorts_differ_across_horizons, value_status, snapshot_id)
        VALUES (?, ?, ?, '30.70', '07', ?, ?, ?, ?, ?, ?, 2023, 2023, ?, ?, ?, 'fixture')""",
                [pid, src, "99990100" if (pid, src) == (REAL_ID, "census_pseo") else pid, measure, years, cohort, value, unit, n,
                 value, mixed, "published" if value is not None else "not_published"])


def _program(con, pid, name, institution, pathway, origin, cls, synthetic, level=None, state="CO", cip="30.70"):
    con.execute("INSERT INTO core_programs__programs (program_id, institution_name, program_name, pathway, cip_code, state_code, "
                "country_code, data_origin) VALUES (?, ?, ?, ?, ?, ?, 'US', ?)", [pid, institution, name, pathway, cip, state, origin])
    con.execute("INSERT INTO out_reports__program_notices VALUES (?, ?, ?, ?, ?)",
                [pid, origin, cls, synthetic, "SYNTHETIC DATA: demonstration only." if synthetic else None])
    if origin == "public_records":
        con.execute("INSERT INTO core_public__programs (program_id, unitid, institution_name, state_code, institution_control, "
                    "cip_code, cip_title, credential_level, pathway, public_sources) VALUES (?, ?, ?, ?, 'Public', ?, "
                    "'Data Science.', ?, ?, 'census_pseo; college_scorecard')", [pid, pid.split("-")[1], institution, state, cip, level, pathway])


def build_fixture_warehouse(path: Path, with_answers: bool = True) -> dict:
    """A warehouse with every table of the schema (empty) and fixture rows: real public programs with earnings,
    one audited program, synthetic demonstration programs, and (``with_answers``) the contract's answer tables."""
    from schemas.generate import all_ddl

    con = duckdb.connect(str(path))
    try:
        con.execute(all_ddl())
        con.execute("INSERT INTO core_warehouse__snapshot (warehouse_snapshot_id, run_id, built_at) "
                    "VALUES ('f1x7ure0000000ab', 'fixture-run', TIMESTAMP '2026-11-21 12:00:00')")
        for src in ("census_pseo", "college_scorecard"):
            con.execute("INSERT INTO core_ingest__sources (data_origin, source_status, snapshot_id, fetched_at, snapshot_age_days) "
                        "VALUES (?, 'bundled', '2026-11-01T000000Z-bundled', TIMESTAMP '2026-11-01 00:00:00', 20)", [src])
        _program(con, REAL_ID, REAL_NAME, REAL_INSTITUTION, "masters", "public_records", "public_records", False, "masters")
        _program(con, BACH_ID, "Data Science (Bachelor's degree, CIP 30.70)", REAL_INSTITUTION, "bachelors", "public_records",
                 "public_records", False, "bachelors")
        for (src, years), (p25, med, p75, n) in EARNINGS.items():
            for measure, value in (("earnings_p25", p25), ("earnings_median", med), ("earnings_p75", p75)):
                _outcome(con, REAL_ID, src, measure, years, "2016-2018", value, n)
        _outcome(con, REAL_ID, "college_scorecard", "debt_median", 0, "2018-2019", 31000.0, 25, unit="usd", mixed=False)
        states = ("CO", "TX", "NY", "CA", "WA")
        for i in range(N_PUBLIC):
            level = ("masters", "bachelors", "doctoral")[i % 3]
            pid = f"ipeds-{900000 + i}-1107-{level}"
            words = {"masters": "Master's degree", "bachelors": "Bachelor's degree", "doctoral": "Research doctorate"}[level]
            _program(con, pid, f"Computer Science (CIP 11.07, {words})", f"Institution {i:02d} University",
                     {"doctoral": "phd"}.get(level, level), "public_records", "public_records", False, level, states[i % 5], "11.07")
            if i % 4:  # three in four publish earnings
                for years in (1, 5, 10):
                    base = 50000.0 + 1000 * i + 8000 * years
                    for measure, v in (("earnings_p25", base * 0.8), ("earnings_median", base), ("earnings_p75", base * 1.25)):
                        _outcome(con, pid, "census_pseo", measure, years, "all", v, 30 + i)
        for i in range(N_SYNTHETIC):
            _program(con, f"bootcamp-synthetic-{i}", f"Synthetic Bootcamp {i}", "Demo Academy", "bootcamp", "curated", "synthetic", True)
        _program(con, "turing-be-2016", "Back-End Engineering", "Turing School", "bootcamp", "outcome_reports", "audited_report", False)
        for cls, n in (("audited_report", 1), ("synthetic", N_SYNTHETIC)):
            con.execute("INSERT INTO out_reports__pathway_medians (data_origin_class, pathway, pathway_programs_count, "
                        "pathway_programs_published_count, pathway_median_salary_usd) VALUES (?, 'bootcamp', ?, 0, NULL)", [cls, n])
        if with_answers:
            add_answer_tables(con)
        n_programs = con.execute("SELECT count(*) FROM core_programs__programs").fetchall()[0][0]
        notices = {r[0]: bool(r[1]) for r in con.execute("SELECT program_id, is_synthetic FROM out_reports__program_notices").fetchall()}
    finally:
        con.close()
    return {"warehouse": path, "n_programs": n_programs, "notices": notices}


def add_answer_tables(con: duckdb.DuckDBPyConnection) -> None:
    _ddl(con, "out_public__program_premium", {
        "program_id": "VARCHAR", "bachelor_program_id": "VARCHAR", "data_origin": "VARCHAR", "years_after_graduation": "INTEGER",
        "grad_cohort": "VARCHAR", "dollar_year": "INTEGER", "constant_dollar_year": "INTEGER", "graduate_median_earnings_usd": "DOUBLE",
        "bachelor_median_earnings_usd": "DOUBLE", "premium_usd": "DOUBLE", "premium_ratio": "DOUBLE", "graduate_count": "INTEGER",
        "bachelor_count": "INTEGER", "selection_caveat": "VARCHAR"})
    con.execute("INSERT INTO out_public__program_premium VALUES (?, ?, 'census_pseo', 5, '2016-2018', 2023, 2023, 101000, 76000, "
                "25000, 1.3289, 38, 120, 'Graduates chose the degree: the premium is not its causal effect.')", [REAL_ID, BACH_ID])
    _ddl(con, "out_roi__public_program_costs", {c: t for c, t in (
        ("program_id", "VARCHAR"), ("credential_level", "VARCHAR"), ("institution_control", "VARCHAR"),
        ("tuition_per_year_usd", "DOUBLE"), ("tuition_basis", "VARCHAR"), ("study_years", "DOUBLE"), ("tuition_total_usd", "DOUBLE"),
        ("forgone_earnings_usd", "DOUBLE"), ("loan_interest_usd", "DOUBLE"), ("total_cost_usd", "DOUBLE"), ("earnings_usd", "DOUBLE"),
        ("earnings_horizon_years", "INTEGER"), ("earnings_source", "VARCHAR"), ("counterfactual_earnings_usd", "DOUBLE"),
        ("counterfactual_basis", "VARCHAR"), ("annual_gain_usd", "DOUBLE"), ("payback_years", "DOUBLE"), ("npv_10y_usd", "DOUBLE"),
        ("npv_20y_usd", "DOUBLE"), ("debt_median_usd", "DOUBLE"), ("debt_to_earnings_ratio", "DOUBLE"),
        ("monthly_loan_payment_usd", "DOUBLE"), ("payment_to_income_share", "DOUBLE"), ("assumptions_note", "VARCHAR"),
        ("not_computed_reason", "VARCHAR"))})
    con.execute("""INSERT INTO out_roi__public_program_costs VALUES (?, 'masters', 'Public', 14000, 'assumed: IPEDS graduate tuition',
        1.5, 21000, 60000, 3000, 84000, 78000, 1, 'census_pseo', 66000, 'same institution bachelor''s', 12000, 7.0, 5000, 60000,
        31000, 0.397, 320, 0.049, 'Tuition 1.5 years at the assumed rate; forgone earnings at the bachelor''s median; 5% real discount rate.',
        NULL)""", [REAL_ID])
    _ddl(con, "out_answers__statements", {
        "section": "VARCHAR", "statement_id": "VARCHAR", "ordinal": "INTEGER", "field_scope": "VARCHAR", "credential_level": "VARCHAR",
        "statement": "VARCHAR", "value": "DOUBLE", "value_low": "DOUBLE", "value_high": "DOUBLE", "unit": "VARCHAR",
        "n_programs": "INTEGER", "n_graduates": "INTEGER", "source_name": "VARCHAR", "source_date": "VARCHAR",
        "data_origin": "VARCHAR", "not_in_data": "BOOLEAN"})
    for i, (section, sid, ordinal, text, value, unit, nid) in enumerate(STATEMENTS):
        con.execute("INSERT INTO out_answers__statements VALUES (?, ?, ?, 'CIP 11 computer and information sciences', 'masters', ?, ?, "
                    "?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [section, sid, ordinal, text, value, None if value is None else value * 0.9, None if value is None else value * 1.1,
                     unit, 100 + i, None if i % 2 else 5000 + i, f"Source {sid}", f"2024-0{1 + i % 9}-01", "census_pseo", nid])
    _ddl(con, "out_answers__peer_earnings", {
        "cip_family": "VARCHAR", "credential_level": "VARCHAR", "data_origin": "VARCHAR", "years_after_graduation": "INTEGER",
        "n_programs": "INTEGER", "p25_usd": "DOUBLE", "median_usd": "DOUBLE", "p75_usd": "DOUBLE", "constant_dollar_year": "INTEGER"})
    for years, med in ((1, 98000.0), (5, 121000.0), (10, 140000.0)):
        con.execute("INSERT INTO out_answers__peer_earnings VALUES ('11', 'masters', 'census_pseo', ?, 57, ?, ?, ?, 2023)",
                    [years, med * 0.8, med, med * 1.2])


@pytest.fixture(scope="module")
def pages_env(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("pages")
    env = build_fixture_warehouse(work / "outcomes.duckdb")
    out = work / "reports"
    env.update(out=out, result=build_reports(env["warehouse"], out))
    return env


@pytest.fixture(scope="module")
def bare_env(tmp_path_factory) -> dict:
    """The same warehouse without the answer tables (a warehouse built before the answers step existed)."""
    work = tmp_path_factory.mktemp("pages-bare")
    env = build_fixture_warehouse(work / "outcomes.duckdb", with_answers=False)
    with duckdb.connect(str(env["warehouse"])) as con:
        for t in ("out_public__program_premium", "out_roi__public_program_costs", "out_answers__statements",
                  "out_answers__peer_earnings"):
            con.execute(f"DROP TABLE IF EXISTS {t}")
    out = work / "reports"
    env.update(out=out, result=build_reports(env["warehouse"], out))
    return env


def index_data(out: Path) -> dict:
    text = (out / "assets" / "programs-data.js").read_text(encoding="utf-8")
    prefix = "window.OUTCOMES_INDEX = "
    body = text[text.index(prefix) + len(prefix):].rstrip().rstrip(";")
    return json.loads(body)


def test_index_lists_real_programs_by_default_and_keeps_the_synthetic_set_apart(pages_env):
    out = pages_env["out"]
    index = (out / "index.html").read_text(encoding="utf-8")
    data = index_data(out)
    assert data["columns"] == list(INDEX_COLUMNS)
    col = {c: i for i, c in enumerate(data["columns"])}
    rows = data["rows"]
    assert len(rows) == pages_env["n_programs"] == pages_env["result"].programs
    flags = {r[col["id"]]: r[col["synthetic"]] for r in rows}
    assert flags == {pid: int(pages_env["notices"].get(pid, False)) for pid in flags}
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


def test_index_and_data_file_sizes_stay_under_their_bounds(pages_env):
    out, n = pages_env["out"], pages_env["n_programs"]
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


def test_hostile_program_name_is_escaped_in_index_data_and_pages(pages_env):
    out = pages_env["out"]
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


def test_real_masters_page_shows_trajectory_chart_premium_and_payback(pages_env):
    out = pages_env["out"]
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


def test_overview_renders_the_statements_in_section_order_with_source_date_and_n(pages_env):
    path = pages_env["out"] / "overview.html"
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


def test_every_program_page_has_a_provenance_banner(pages_env):
    out = pages_env["out"]
    data = index_data(out)
    col = {c: i for i, c in enumerate(data["columns"])}
    for r in data["rows"]:
        html = (out / "programs" / f"{r[col['id']]}.html").read_text(encoding="utf-8")
        m = re.search(r'<p class="banner provenance" role="note" data-provenance="([a-z_]+)"', html)
        assert m, r[col["id"]]
        assert m.group(1) in (r[col["origin_class"]], "public_records"), (r[col["id"]], m.group(1))
        assert ('data-warning="synthetic"' in html) == bool(r[col["synthetic"]])
