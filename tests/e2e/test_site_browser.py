"""The shared pages of the report set in headless chromium at a laptop's and a phone's size: the overview, the
technical methodology, the reader page and the sources page fit the window, pass axe-core (no serious or critical
violation), show their provenance line and compact header in the first screen, and work from the keyboard."""

from __future__ import annotations

import pytest

from tests.e2e.browser import LAPTOP, PHONE, SIZES, open_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHARED = ("overview.html", "methodology.html", "reading.html", "sources.html")


@pytest.fixture(scope="module")
def site(fixture_site):
    """The report set of the shared fixture warehouse (real, audited and synthetic programs)."""
    return fixture_site["out"]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", SHARED)
def test_shared_page_fits_passes_axe_and_shows_its_provenance_first(browser, site, tmp_path, name, size):
    o = open_page(browser, (site / name).as_uri(), SIZES[size])
    try:
        o.screenshot(tmp_path / f"{name}-{size}.png")
        o.screenshot(tmp_path / f"{name}-{size}-full.png", full_page=True)
        assert (tmp_path / f"{name}-{size}.png").stat().st_size > 5000
        assert o.overflow() == 0
        assert o.in_first_screen(".site-banner"), "provenance line not in the first screen"
        assert o.in_first_screen("h1")
        assert o.axe() == []
        assert o.blocked == [] and o.errors == []
        nav = o.page.evaluate("""() => { const items = [...document.querySelectorAll('header.site li')]
                                   .filter(li => getComputedStyle(li).display !== 'none');
                                   return {tops: [...new Set(items.map(li => Math.round(li.getBoundingClientRect().top)))],
                                           height: document.querySelector('header.site').getBoundingClientRect().height}; }""")
        assert len(nav["tops"]) == 1, "site header wraps to several lines"
        assert nav["height"] < 50
    finally:
        o.page.context.close()


@pytest.mark.parametrize("size", [LAPTOP, PHONE])
def test_overview_answers_in_the_first_screen(browser, site, size):
    o = open_page(browser, (site / "overview.html").as_uri(), size)
    try:
        assert o.in_first_screen("#in-short")
        assert o.in_first_screen('[data-answer="peer_outcomes"]')
    finally:
        o.page.context.close()


def test_skip_link_moves_focus_to_the_content_and_nav_marks_the_page(browser, site):
    o = open_page(browser, (site / "reading.html").as_uri(), PHONE)
    try:
        page = o.page
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        assert page.evaluate("document.activeElement.getBoundingClientRect().top >= 0")  # visible when focused
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        assert page.evaluate("document.querySelector('header.site a[aria-current=page]').getAttribute('href')") == "reading.html"
    finally:
        o.page.context.close()


def test_reader_anchor_opens_at_its_term(browser, site):
    o = open_page(browser, (site / "reading.html").as_uri() + "#payback", LAPTOP)
    try:
        assert o.in_first_screen("#payback")
        o.page.locator("#payback ~ p a[href='#total-cost']").first.click()
        o.page.wait_for_function("() => location.hash === '#total-cost'")
        o.page.wait_for_function("() => Math.abs(document.getElementById('total-cost').getBoundingClientRect().top) < 20",
                                 timeout=60_000)
        assert o.in_first_screen("#total-cost")
    finally:
        o.page.context.close()


@pytest.mark.parametrize("size", [LAPTOP, PHONE])
def test_index_first_screen_names_the_evidence_classes_of_its_figures(browser, site, size):
    o = open_page(browser, (site / "index.html").as_uri(), size)
    try:
        assert o.in_first_screen('.site-banner[data-provenance="real"]')
        text = o.page.inner_text(".site-banner")
        assert "public records" in text and "synthetic" in text
        assert o.overflow() == 0
    finally:
        o.page.context.close()


def test_every_table_frame_is_reachable_by_keyboard_on_every_kind_of_page(browser, site):
    """assets/site.js puts each scrolling table frame (.table-wrap) in the keyboard order, named by its caption."""
    framed = [p for p in sorted((site / "programs").glob("*.html")) if 'class="table-wrap' in p.read_text(encoding="utf-8")]
    public = next(p for p in framed if p.name.startswith("ipeds-"))
    curated = next(p for p in framed if not p.name.startswith("ipeds-"))
    for path in (site / "index.html", site / "overview.html", public, curated):
        for size in (LAPTOP, PHONE):
            o = open_page(browser, path.as_uri(), size)
            try:
                frames = o.page.evaluate("""() => [...document.querySelectorAll('.table-wrap')].map(
                    w => ({tab: w.tabIndex, label: w.getAttribute('aria-label') || (w.querySelector('caption') ? null : '')}))""")
                assert frames, path.name
                assert all(f["tab"] == 0 and f["label"] is not None for f in frames), (path.name, frames)
                assert [v for v in o.axe() if v["id"] == "scrollable-region-focusable"] == []
                assert o.errors == [] and o.blocked == []
            finally:
                o.page.context.close()
