"""The program list (index.html) and the comparison (compare.html) driven in headless chromium at a laptop's and
a phone's size, offline: layout, filters, sort, the view in the address, the CSV of the view, the compare tray and
page, accessibility (axe-core). Expected values are recomputed here from programs-data.js, never from the page."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

import pytest

from tests.e2e.browser import LAPTOP, PHONE, SIZES, open_page
from tests.report_fixtures import REAL_ID, REAL_NAME, _outcome, _program, derived_site, index_data

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FORMULA_NAME = '=HYPERLINK("http://example.invalid","click"), Data'
FORMULA_INSTITUTION = "+cmd|' /C calc'!A0"
FORMULA_ID = "ipeds-999903-1107-masters"
CERT_ID = "ipeds-999902-1107-undergraduate_certificate"
BOOTCAMP_ID = "turing-be-2016"


@pytest.fixture(scope="module")
def index_env(fixture_site, tmp_path_factory) -> dict:
    """The shared fixture warehouse plus a certificate, a program whose name is a spreadsheet formula, and
    published outcomes (modality, pacing, salary, payback) for the audited bootcamp."""
    def add_rows(con):
        _program(con, CERT_ID, "Computer Science (Undergraduate certificate, CIP 11.07)", "Fixture Community College", "certificate",
                 "public_records", "public_records", False, "undergraduate_certificate", "TX", "11.07")
        for years, med in ((1, 41000.0), (5, 52000.0)):
            for measure, value in (("earnings_p25", med * 0.8), ("earnings_median", med), ("earnings_p75", med * 1.2)):
                _outcome(con, CERT_ID, "census_pseo", measure, years, "all", value, 44)
        _program(con, FORMULA_ID, FORMULA_NAME, FORMULA_INSTITUTION, "masters", "public_records", "public_records", False, "masters",
                 "NY", "11.07")
        _outcome(con, FORMULA_ID, "census_pseo", "earnings_median", 1, "all", 90000.0, 31)
        con.execute("UPDATE core_programs__programs SET modality = 'in_person', pacing = 'full_time', country_code = 'US', state_code = 'CO' "
                    "WHERE program_id = ?", [BOOTCAMP_ID])
        con.execute("""INSERT INTO out_roi__program_costs (program_id, pathway, modality, pacing, graduates, median_base_salary_usd,
            employed_in_field_180d_rate, total_cost_usd, annual_gain_usd, payback_years, is_suppressed, is_low_coverage)
            VALUES (?, 'bootcamp', 'in_person', 'full_time', 84, 70000, 0.6905, 38000, 21000, 1.81, false, false)""", [BOOTCAMP_ID])
    env = derived_site(fixture_site, tmp_path_factory.mktemp("index-browser"), add_rows)
    env["data"] = index_data(env["out"])
    return env


# --- expected views, recomputed from programs-data.js ---------------------------------------------
def programs(data: dict) -> list[dict]:
    """Every program of the list as a dict of its columns (a short row reads as null), with its kind and reasons."""
    out = []
    for row in data["rows"]:
        x = {c: (row[i] if i < len(row) else None) for i, c in enumerate(data["columns"])}
        x.update(zip(data["kind_fields"], data["kinds"][x["kind"]]))
        code = data["whys"][x["why"]]
        x["reasons"] = {f: data["reasons"][data["why_digits"].index(ch)] for f, ch in zip(data["why_fields"], code) if ch != "."}
        x["name_text"] = data["strings"][x["name"]]
        x["institution_text"] = data["strings"][x["institution"]] if x["institution"] is not None else ""
        out.append(x)
    return out


def view(data: dict, origin="real", pathway="", cip="", state="", modality="", pacing="", q="") -> set[str]:
    def keep(x):
        if origin == "synthetic":
            if not x["synthetic"]:
                return False
        elif x["synthetic"] or (origin != "real" and x["origin_class"] != origin):
            return False
        return ((not q or q.lower() in (x["name_text"] + " " + x["institution_text"]).lower())
                and (not pathway or x["pathway"] == pathway) and (not cip or (x["cip"] or "").split(".")[0] == cip)
                and (not state or x["state"] == state) and (not modality or x["modality"] == modality)
                and (not pacing or x["pacing"] == pacing))
    return {x["id"] for x in programs(data) if keep(x)}


def shown_ids(page) -> list[str]:
    return page.eval_on_selector_all("#programs-table tbody input.compare", "els => els.map(e => e.value)")


def count_of(page) -> int:
    return int(page.text_content("#f-count").split(" ")[0].replace(",", ""))


def _index(env, frag: str = "") -> str:
    return (env["out"] / "index.html").as_uri() + frag


def _clean(o) -> None:
    assert o.errors == [] and o.blocked == [], (o.errors, o.blocked)
    o.page.context.close()


# --- layout ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("size_name", ["laptop", "phone"])
def test_index_fits_the_screen_with_its_key_figures_and_no_serious_axe_violation(index_env, browser, tmp_path, size_name):
    size = SIZES[size_name]
    o = open_page(browser, _index(index_env, "#sort=salary&dir=desc"), size)  # the bootcamp (every figure) first
    page = o.page
    assert o.overflow() == 0
    first = "#programs-table tbody tr:first-child "
    assert page.get_attribute(first + "input.compare", "value") == BOOTCAMP_ID
    if size == LAPTOP:
        # the table itself does not scroll sideways either, and the key cells of the first row are in the first screen
        assert page.evaluate("(() => { const w = document.querySelector('.table-wrap.programs'); return w.scrollWidth <= w.clientWidth; })()")
        for field in ("name", "origin_class", "where", "pathway", "earnings_1y", "earnings_5y", "in_field_180d", "salary", "payback", "n"):
            assert o.in_first_screen(first + f'td[data-field="{field}"]'), field
        assert page.eval_on_selector("#programs-table thead", "e => getComputedStyle(e).position") != "absolute"
    else:  # a card per program: the header row hidden, each figure labelled in its card
        assert page.eval_on_selector(first, "e => getComputedStyle(e).display") == "grid"
        assert page.eval_on_selector("#programs-table thead", "e => e.getBoundingClientRect().height") <= 1
        label = page.eval_on_selector(first + 'td[data-field="salary"]', "e => getComputedStyle(e, '::before').content")
        assert "Median salary" in label
        card = page.eval_on_selector(first, "e => e.getBoundingClientRect().toJSON()")
        assert card["right"] <= PHONE[0] and card["width"] > 300
    salary = page.text_content(first + 'td[data-field="salary"]')
    assert salary == "$70,000"
    assert page.text_content(first + 'td[data-field="payback"]') == "1.8" and page.text_content(first + 'td[data-field="n"]') == "84"
    assert o.axe() == []
    o.screenshot(tmp_path / f"index-{size_name}.png")
    assert (tmp_path / f"index-{size_name}.png").stat().st_size > 5000
    _clean(o)


def test_every_empty_figure_says_why_in_a_badge_tooltip_and_footnote(index_env, browser):
    data = index_env["data"]
    byid = {x["id"]: x for x in programs(data)}
    o = open_page(browser, _index(index_env, "#size=500"), LAPTOP)
    page = o.page
    cells = page.eval_on_selector_all(
        "#programs-table tbody tr", """rows => rows.map(r => [r.querySelector('input.compare').value,
            [...r.querySelectorAll('td[data-field] .gap')].map(g => [g.parentNode.getAttribute('data-field'), g.firstChild.textContent,
              g.title, g.querySelector('.mark').textContent])])""")
    notes = {li.split(" ", 1)[0]: li.split(" ", 1)[1].strip()
             for li in page.eval_on_selector_all("#why-notes li", "els => els.map(e => e.textContent)")}
    assert cells and notes
    seen = 0
    for pid, gaps in cells:
        for field, short, title, mark in gaps:
            expected = byid[pid]["reasons"][field]
            assert short == expected[0] and title == f"{expected[0]}: {expected[1]}"
            assert notes[mark] == f"{expected[0]}: {expected[1]}"  # the footnote keyed by the same mark
            seen += 1
    assert seen > 50
    # a public program has no in-field records; a curated program no public earnings: both say so
    assert byid[REAL_ID]["reasons"]["in_field_180d"][0] == "no records"
    assert byid[BOOTCAMP_ID]["reasons"]["earnings_1y"][0] == "no records"
    _clean(o)


# --- filters, sort, the view in the address ------------------------------------------------------------
def test_each_filter_keeps_exactly_the_programs_the_data_says(index_env, browser):
    data = index_env["data"]
    o = open_page(browser, _index(index_env, "#size=500"), LAPTOP)
    page = o.page
    assert set(shown_ids(page)) == view(data) and count_of(page) == len(view(data))
    checks = [("#f-pathway", "masters", {"pathway": "masters"}), ("#f-cip", "30", {"cip": "30"}), ("#f-state", "TX", {"state": "TX"}),
              ("#f-origin", "audited_report", {"origin": "audited_report"}), ("#f-modality", "in_person", {"modality": "in_person"}),
              ("#f-pacing", "full_time", {"pacing": "full_time"}), ("#f-origin", "synthetic", {"origin": "synthetic"})]
    for sel, value, kw in checks:
        page.goto(_index(index_env, "#size=500"))
        page.select_option(sel, value)
        expected = view(data, **kw)
        assert expected, (sel, value)
        assert set(shown_ids(page)) == expected, (sel, value)
        assert count_of(page) == len(expected)
        if sel in ("#f-modality", "#f-pacing"):
            assert "not published for public-records programs" in page.text_content("#f-count")
        assert page.is_hidden("#synthetic-banner") == (value != "synthetic")
    page.goto(_index(index_env, "#size=500"))
    page.fill("#f-text", "fixture community")
    assert set(shown_ids(page)) == view(data, q="fixture community") == {CERT_ID}
    page.fill("#f-text", "</script><b>")
    assert shown_ids(page) == [REAL_ID] and page.text_content("#programs-table tbody a") == REAL_NAME
    _clean(o)


def test_sort_direction_is_shown_and_announced(index_env, browser):
    data = index_env["data"]
    o = open_page(browser, _index(index_env, "#size=500"), LAPTOP)
    page = o.page
    head = '#programs-table th[data-key="earnings_1y"]'
    page.click(head + " button")
    assert page.get_attribute(head, "aria-sort") == "descending"
    assert "↓" in page.eval_on_selector(head + " button", "e => getComputedStyle(e, '::after').content")
    assert page.text_content("#sort-state").startswith("Sorted by median earnings 1 year after graduation, highest first")
    assert page.get_attribute("#sort-state", "aria-live") == "polite"
    values = page.eval_on_selector_all('#programs-table tbody td[data-field="earnings_1y"][data-value]',
                                       "els => els.map(e => Number(e.getAttribute('data-value')))")
    byid = {x["id"]: x for x in programs(data)}
    expected = sorted((byid[i]["earnings_1y"] for i in view(data) if byid[i]["earnings_1y"] is not None), reverse=True)
    assert values == expected
    ids = shown_ids(page)
    assert all(byid[i]["earnings_1y"] is None for i in ids[len(values):])  # programs without the figure last
    page.click(head + " button")
    assert page.get_attribute(head, "aria-sort") == "ascending" and "↑" in page.eval_on_selector(
        head + " button", "e => getComputedStyle(e, '::after').content")
    assert "lowest first" in page.text_content("#sort-state")
    assert page.input_value("#f-sort") == "earnings_1y" and page.input_value("#f-dir") == "asc"
    assert page.get_attribute('#programs-table th[data-key="name"]', "aria-sort") == "none"
    _clean(o)


def test_the_view_round_trips_through_the_address(index_env, browser):
    data = index_env["data"]
    frag = f"#origin=public_records&pathway=masters&sort=earnings_5y&dir=desc&size=25&cmp={REAL_ID},{CERT_ID}"
    o = open_page(browser, _index(index_env, frag), LAPTOP)
    page = o.page
    assert page.input_value("#f-origin") == "public_records" and page.input_value("#f-pathway") == "masters"
    assert page.input_value("#f-size") == "25" and page.get_attribute('#programs-table th[data-key="earnings_5y"]', "aria-sort") == "descending"
    expected = view(data, origin="public_records", pathway="masters")
    assert count_of(page) == len(expected) and len(shown_ids(page)) == min(25, len(expected)) and set(shown_ids(page)) <= expected
    assert "Compare (2)" in page.text_content("#tray-text") and page.is_visible("#tray")
    assert page.get_attribute("#tray-open", "href") == f"compare.html#ids={REAL_ID},{CERT_ID}"
    # change the view, reload: the same view comes back
    page.select_option("#f-state", "CO")
    page.fill("#f-text", "computer")
    page.select_option("#f-size", "500")
    page.click('#programs-table th[data-key="payback"] button')
    before = (shown_ids(page), page.text_content("#f-count"), page.text_content("#sort-state"))
    url = page.url
    assert "state=CO" in url and "q=computer" in url and "size=500" in url and "sort=payback" in url and f"cmp={REAL_ID}" in url
    page.reload()
    page.wait_for_load_state("load")
    assert (shown_ids(page), page.text_content("#f-count"), page.text_content("#sort-state")) == before
    assert page.input_value("#f-state") == "CO" and page.input_value("#f-text") == "computer"
    assert set(shown_ids(page)) == view(data, origin="public_records", pathway="masters", state="CO", q="computer")
    _clean(o)


# --- CSV of the view -----------------------------------------------------------------------------
def test_csv_download_holds_every_program_of_the_view_with_safe_text(index_env, browser, tmp_path):
    data = index_env["data"]
    byid = {x["id"]: x for x in programs(data)}
    o = open_page(browser, _index(index_env, "#pathway=masters"), LAPTOP, downloads=True)
    page = o.page
    expected = view(data, pathway="masters")
    assert len(shown_ids(page)) < len(expected) or len(expected) <= 50
    with page.expect_download() as info:
        page.click("#csv")
    dl = info.value
    snap = data["warehouse_snapshot_id"]
    assert dl.suggested_filename == f"programs-real-masters-{snap}.csv"
    path = tmp_path / dl.suggested_filename
    dl.save_as(str(path))
    raw = path.read_bytes().decode("utf-8")
    assert "\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    assert len(rows) == count_of(page) == len(expected) and {r["program_id"] for r in rows} == expected
    year = data["dollar_year"]
    header = list(rows[0])
    for col in ("program_id", "evidence_class", "data_origin", "earnings_source", "earnings_n", "graduates", "warehouse_snapshot_id",
                f"median_earnings_1y_usd_{year}", f"median_earnings_5y_usd_{year}", "payback_years", "missing_reasons"):
        assert col in header, col
    for r in rows:
        x = byid[r["program_id"]]
        assert r["evidence_class"] == x["origin_class"] and r["warehouse_snapshot_id"] == snap and r["data_origin"] == x["origin"]
        for col, key in ((f"median_earnings_1y_usd_{year}", "earnings_1y"), (f"median_earnings_5y_usd_{year}", "earnings_5y"),
                         ("earnings_n", "earnings_n"), ("payback_years", "payback"), ("total_cost_usd", "cost")):
            assert (float(r[col]) if r[col] else None) == x[key], (r["program_id"], col)
        assert (r["earnings_source"] or None) == x["earnings_source"]
        for field, (short, text) in x["reasons"].items():
            assert f"{field}: {short} ({text})" in r["missing_reasons"]
    by = {r["program_id"]: r for r in rows}
    assert by[REAL_ID]["program_name"] == REAL_NAME  # quotes, '<' and '/' survive
    assert by[FORMULA_ID]["program_name"] == "'" + FORMULA_NAME  # a formula is text, not a formula
    assert by[FORMULA_ID]["institution_name"] == "'" + FORMULA_INSTITUTION
    assert '"\'=HYPERLINK(""http://example.invalid"",""click""), Data"' in raw  # RFC 4180 quoting
    _clean(o)


# --- comparison --------------------------------------------------------------------------------
def _tick(page, env, pid: str, name_query: str) -> None:
    page.fill("#f-text", name_query)
    page.check(f'#programs-table input.compare[value="{pid}"]')


def test_compare_three_programs_side_by_side(index_env, browser, tmp_path):
    data = index_env["data"]
    byid = {x["id"]: x for x in programs(data)}
    o = open_page(browser, _index(index_env), LAPTOP)
    page = o.page
    _tick(page, index_env, REAL_ID, "fixture state")
    _tick(page, index_env, BOOTCAMP_ID, "turing")
    _tick(page, index_env, CERT_ID, "fixture community")
    assert page.get_attribute("#tray-text", "aria-live") == "polite"
    assert page.text_content("#tray-text").startswith("Compare (3): ") and page.text_content("#tray-open") == "Compare (3)"
    page.click("#tray-open")
    page.wait_for_load_state("load")
    assert page.url.endswith(f"compare.html#ids={quote(REAL_ID)},{BOOTCAMP_ID},{quote(CERT_ID)}")
    heads = page.eval_on_selector_all("#compare-table thead th[data-id]", "els => els.map(e => e.getAttribute('data-id'))")
    assert heads == [REAL_ID, BOOTCAMP_ID, CERT_ID]
    assert page.text_content(f'#compare-table thead th[data-id="{REAL_ID}"] a') == REAL_NAME

    def cell(pid, field):
        return page.eval_on_selector(f'#compare-table td[data-id="{pid}"] data[data-field="{field}"]',
                                     "e => [Number(e.getAttribute('value')), e.parentNode.textContent]")
    value, text = cell(REAL_ID, "earnings_1y")
    assert value == byid[REAL_ID]["earnings_1y"] == 83000 and f"(n {byid[REAL_ID]['earnings_n']})" in text
    value, text = cell(BOOTCAMP_ID, "salary")
    assert value == 70000 and "(n 84)" in text
    assert cell(CERT_ID, "earnings_5y")[0] == byid[CERT_ID]["earnings_5y"] == 52000
    assert cell(BOOTCAMP_ID, "payback")[0] == 1.81
    gaps = page.eval_on_selector_all(f'#compare-table td[data-id="{CERT_ID}"] .gap', "els => els.map(e => e.title)")
    assert byid[CERT_ID]["reasons"]["payback"][1] in gaps  # each gap with its reason
    warning = page.text_content("#cmp-warning")
    assert page.is_visible("#cmp-warning") and "public records vs published outcome report: not like for like" in warning
    assert page.is_hidden("#cmp-synthetic")
    links = page.eval_on_selector_all("#compare-table tbody a", "els => els.map(e => e.getAttribute('href'))")
    assert f"programs/{BOOTCAMP_ID}.html" in links and all((index_env["out"] / h).exists() for h in links)
    o.screenshot(tmp_path / "compare-laptop.png", full_page=True)
    _clean(o)


def test_compare_flags_a_synthetic_program_among_real_ones_and_passes_axe(index_env, browser, tmp_path):
    synthetic = next(x["id"] for x in programs(index_env["data"]) if x["synthetic"])
    for name, size in SIZES.items():
        o = open_page(browser, (index_env["out"] / "compare.html").as_uri() + f"#ids={REAL_ID},{synthetic},{BOOTCAMP_ID}", size)
        page = o.page
        assert page.is_visible("#cmp-synthetic") and "synthetic demonstration data (not real)" in page.text_content("#cmp-synthetic")
        assert "synthetic demonstration data" in page.text_content("#cmp-warning")
        assert o.overflow() == 0
        assert o.axe() == []
        o.screenshot(tmp_path / f"compare-{name}.png")
        _clean(o)
    # fewer than two known programs: the page says what to do instead of an empty table
    o = open_page(browser, (index_env["out"] / "compare.html").as_uri() + "#ids=no-such-program", LAPTOP)
    assert "Choose 2 to 4 programs" in o.page.text_content("#cmp-status") and "no-such-program" in o.page.text_content("#cmp-status")
    assert o.page.is_hidden("#compare-table")
    _clean(o)


def test_the_tray_allows_at_most_four_programs(index_env, browser):
    ids = sorted(view(index_env["data"], pathway="masters"))[:5]
    o = open_page(browser, _index(index_env, "#size=500&cmp=" + ",".join(ids)), LAPTOP)
    page = o.page
    assert "Compare (4)" in page.text_content("#tray-text") and "At most 4" in page.text_content("#tray-text")
    unchecked = page.eval_on_selector_all("#programs-table input.compare:not(:checked)", "els => els.map(e => e.disabled)")
    assert unchecked and all(unchecked)
    synthetic = next(x["id"] for x in programs(index_env["data"]) if x["synthetic"])
    page.goto(_index(index_env, f"#cmp={REAL_ID},{synthetic}"))
    assert "synthetic demonstration programs (not real) are mixed with real ones" in page.text_content("#tray-text")
    page.click("#tray-clear")
    assert page.is_hidden("#tray") and "cmp=" not in page.url
    _clean(o)


def test_index_data_lists_reasons_kinds_and_dollar_year(index_env):
    data = index_env["data"]
    assert data["dollar_year"] == 2023 and set(data["kind_fields"]) == {"origin", "country", "modality", "pacing"}
    byid = {x["id"]: x for x in programs(data)}
    assert json.dumps(data["reasons"])  # reasons are plain texts
    assert byid[BOOTCAMP_ID]["modality"] == "in_person" and byid[BOOTCAMP_ID]["origin"] == "outcome_reports"
    assert byid[REAL_ID]["modality"] is None and byid[REAL_ID]["country"] == "US"
