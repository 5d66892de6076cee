"""The "people like me" calculator in the browser, at a laptop's and a phone's size, offline.

The form is filled on people-like-me.html and on a program page; the figures shown equal those of
`outcomes roi` (flows.stats.peers) on the same warehouse, formatted as the page formats them. Bad input
is refused beside its field; the form's values are kept in the URL hash; axe-core finds no serious or
critical violation; the page never scrolls sideways.
"""

from __future__ import annotations

import pytest

from flows.config import load_assumptions
from flows.stats.peers import rank_programs_for_person, roi_records
from tests.e2e.browser import AXE, BLOCKING, LAPTOP, PHONE, open_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

A = load_assumptions()
LEVEL_TEXT = {"degree_field_experience": "same degree, field and experience", "degree_field": "same degree and field",
              "degree": "same degree", "program": "all its graduates", "all_completers": "all completers with earnings"}
PROFILE = {"prior_degree": "bachelors", "prior_field": "computer_science", "years_experience": 2.0, "prior_salary": 60_000.0,
           "loan_rate": 0.05}


def money(v):
    return "-" if v is None else f"${v:,.0f}"


def pct(v):
    return "-" if v is None else f"{100 * v:.0f}%"


def prob(r, t):
    p = r[f"p_payback_within_{t}y"]
    if p is None:
        return "n/a: no published quartiles"
    return f"{pct(p)} ({100 * r[f'p_payback_within_{t}y_lower']:.0f}-{100 * r[f'p_payback_within_{t}y_upper']:.0f})"


def payback(v):
    return "never" if v is None else f"{v:.1f} years"


def peers_text(r):
    return f"n={r['peer_group_size']}, {LEVEL_TEXT[r['similarity_level']]}"


def shown(r) -> dict:
    out = {"peers": peers_text(r), "total_cost_usd": money(r["total_cost_usd"]),
           "expected_salary_usd": money(r["expected_salary_usd"]), "expected_payback_years": payback(r["expected_payback_years"]),
           "npv_10y_usd": money(r["npv_10y_usd"])}
    for t in (3, 5, 10):
        out[f"p_payback_within_{t}y"] = prob(r, t)
    return out


#: Fixture programs of the shared fixture warehouse (tests/report_fixtures.py) that get the peer rows of the calculator's fixture world.
PEER_PROGRAMS = {"a": ("bootcamp-synthetic-0", "in_person", "full_time", 18.0, 42_000.0),
                 "b": ("bootcamp-synthetic-1", "online", "part_time", 9.0, 14_000.0),
                 "tiny": ("bootcamp-synthetic-2", "in_person", "full_time", 6.0, 9_000.0)}


@pytest.fixture(scope="module")
def plm_env(fixture_site, tmp_path_factory) -> dict:
    """The report set of the shared fixture warehouse (real public programs, synthetic ones) with a published peer
    table: the calculator fixture's peer rows on three synthetic programs, and the real master's program's
    all_completers row from its published Census PSEO quartiles (the source and horizon of its cost row)."""
    from flows.stats.peers import PEER_TABLE
    from tests.integration.test_peers_calculator import small_world
    from tests.report_fixtures import EARNINGS, REAL_ID, derived_site

    world = small_world()
    rows = world.execute(f"SELECT * FROM {PEER_TABLE} WHERE similarity_level <> 'all_completers'").df()
    rows = rows[rows["program_id"].isin(list(PEER_PROGRAMS))].copy()
    rows["program_id"] = rows["program_id"].map({k: v[0] for k, v in PEER_PROGRAMS.items()})
    rows["data_origin_class"] = "synthetic"
    p25, med, p75, n = EARNINGS[("census_pseo", 1)]
    ranking = []

    def publish_peers(con):
        con.register("_rows", rows)
        con.execute(f"INSERT INTO {PEER_TABLE} BY NAME SELECT * FROM _rows")
        con.execute(f"""INSERT INTO {PEER_TABLE} BY NAME SELECT ? AS program_id, 'all_completers' AS similarity_level,
                        'any' AS degree_group, 'any' AS peer_prior_field, 'any' AS experience_band,
                        'public_records' AS data_origin_class, ? AS peer_group_size, ? AS peers_salary_reported_count,
                        ? AS peer_salary_p25_usd, ? AS median_peer_salary_usd, ? AS peer_salary_p75_usd,
                        'Census PSEO earnings 1 year after graduation, graduates 2016-2018' AS peer_basis,
                        false AS is_suppressed""", [REAL_ID, n, n, p25, med, p75])
        for pid, modality, pacing, months, tuition in PEER_PROGRAMS.values():
            con.execute("UPDATE core_programs__programs SET modality = ?, pacing = ?, duration_months = ?, tuition_fees_usd = ? "
                        "WHERE program_id = ?", [modality, pacing, months, tuition, pid])
        ranking.extend(roi_records(rank_programs_for_person(con, dict(PROFILE), A)))

    env = derived_site(fixture_site, tmp_path_factory.mktemp("plm"), publish_peers)
    return {"out": env["out"], "ranking": ranking}


@pytest.fixture(scope="module")
def python_ranking(plm_env):
    return plm_env["ranking"]


def axe_within(o, selector: str) -> list[dict]:
    """axe-core's serious or critical violations inside one part of a page (the program pages' other parts are
    checked by their own tests)."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `make browser`")
    o.page.add_script_tag(path=str(AXE))
    res = o.page.evaluate("async (sel) => await axe.run(document.querySelector(sel), {resultTypes: ['violations']})", selector)
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"][:5]]} for v in res["violations"] if v["impact"] in BLOCKING]


def _fill(page):
    page.select_option("#deg", "bachelors")
    page.select_option("#field", "computer_science")
    page.fill("#years", "2")
    page.fill("#salary", "$60,000")
    page.fill("#loan", "5%")


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_ranking_page_shows_the_python_figures(browser, plm_env, python_ranking, size, tmp_path):
    o = open_page(browser, (plm_env["out"] / "people-like-me.html").as_uri(), size)
    try:
        page = o.page
        _fill(page)
        page.select_option("#ev", "all")  # real and synthetic fixture programs
        page.click("form.plm-form button[type=submit]")
        rows = page.locator("table.plm-table tbody tr")
        expected = [r for r in python_ranking if not r["is_suppressed"]]
        assert expected and rows.count() == min(25, len(expected))
        for i in range(min(5, len(expected))):
            tr = rows.nth(i)
            assert tr.get_attribute("data-program-id") == expected[i]["program_id"]
            for field, text in shown(expected[i]).items():
                assert tr.locator(f"[data-field='{field}']").inner_text().strip() == text, (i, field)
        withheld = [r for r in python_ranking if r["is_suppressed"]]
        assert page.locator(".plm-suppressed li").count() == len(withheld)
        assert "deg=bachelors" in page.evaluate("location.hash") and "ev=all" in page.evaluate("location.hash")
        o.screenshot(tmp_path / f"people-like-me-{size[0]}.png", full_page=True)
        assert o.overflow() <= 0
        assert o.axe() == []
        # bad input: refused beside the field, announced, nothing recomputed
        page.fill("#years", "61")
        page.click("form.plm-form button[type=submit]")
        err = page.locator("[data-error-for='years']")
        assert err.is_visible() and "years of experience are 0 to 60" in err.inner_text()
        assert page.get_attribute("#years", "aria-invalid") == "true"
        assert "61" in page.locator(".plm-status").inner_text()
        page.fill("#loan", "7")
        page.fill("#years", "2")
        page.click("form.plm-form button[type=submit]")
        assert "would be 700% a year" in page.locator("[data-error-for='loan']").inner_text()
        assert o.axe() == []
        assert not o.errors and not o.blocked
    finally:
        o.page.context.close()


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_program_page_gives_your_own_answer(browser, plm_env, python_ranking, size, tmp_path):
    row = next(r for r in python_ranking if not r["is_suppressed"] and r["p_payback_within_10y"] is not None)
    hash_ = "#deg=bachelors&field=computer_science&years=2&salary=60000&loan=5%25"
    o = open_page(browser, (plm_env["out"] / "programs" / f"{row['program_id']}.html").as_uri() + hash_, size)
    try:
        page = o.page
        page.click("#your-answer summary")
        box = page.locator("#your-answer")
        assert box.locator("#plm-salary").input_value() == "60000"  # the hash filled the form
        for field, text in shown(row).items():
            if field == "peers":
                continue
            assert box.locator(f"[data-field='plm.{field}']").inner_text().strip() == text, field
        assert box.locator("[data-field='plm.peers']").inner_text().strip() == peers_text(row)
        link = box.locator("a.plm-rank-link").get_attribute("href")
        assert link.startswith("../people-like-me.html#") and "deg=bachelors" in link
        box.scroll_into_view_if_needed()
        o.screenshot(tmp_path / f"program-answer-{size[0]}.png", full_page=False)
        assert o.overflow() <= 0
        assert axe_within(o, "#your-answer") == []
        assert not o.errors and not o.blocked
    finally:
        o.page.context.close()


def test_program_without_peer_figures_says_why(browser, plm_env, python_ranking, tmp_path):
    row = next(r for r in python_ranking if r["is_suppressed"])
    o = open_page(browser, (plm_env["out"] / "programs" / f"{row['program_id']}.html").as_uri() + "#deg=bachelors", LAPTOP)
    try:
        o.page.click("#your-answer summary")
        text = o.page.locator("#your-answer [data-field='plm.reason']").inner_text()
        assert text.startswith("Withheld for your background: no published peer group") and "k=10" in text
        assert not o.errors
    finally:
        o.page.context.close()
