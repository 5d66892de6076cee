"""Every link of a report set works offline: relative targets are files of the set (anchors included), nothing
points outside it, and the only external links go to publishers' sites. No browser: the HTML is parsed."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from flows.reports import build as report_build
from flows.reports.build import EXTERNAL_HOSTS, doc_link, render_markdown, slug

#: Anchors of the reader page that program pages, the overview and the methodology may link to.
READER_TERMS = ("in-field-rate", "knowledge-rate", "career-outcomes-rate", "median-salary",
                "public-earnings-at-1-5-and-10-years", "constant-dollars", "premium-over-the-bachelors", "total-cost",
                "counterfactual-earnings", "payback", "npv", "people-like-me", "range-and-interval", "n",
                "suppressed-and-withheld", "evidence-classes", "data-origins", "synthetic", "small-numbers", "self-reported",
                "low-knowledge-rate", "field-not-program", "censoring", "mixed-cohorts", "selection")


class Links(HTMLParser):
    """The href/src values of one page (with the tag and its class/rel) and the ids it defines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, dict]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for key in ("href", "src"):
            if a.get(key) is not None:
                self.links.append((tag, a[key], a))


def parse(path: Path) -> Links:
    p = Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def check_links(root: Path) -> tuple[int, list[str]]:
    """(links checked, problems) over every HTML file under ``root``."""
    root = root.resolve()
    pages = {p.resolve(): parse(p) for p in root.rglob("*.html")}
    problems, n = [], 0
    for page, parsed in pages.items():
        where = page.relative_to(root).as_posix()
        for tag, value, attrs in parsed.links:
            n += 1
            parts = urlsplit(value)
            if parts.scheme in ("http", "https"):
                if parts.hostname not in EXTERNAL_HOSTS:
                    problems.append(f"{where}: external link to a host not on the publishers' list: {value}")
                elif tag == "a" and "external" not in (attrs.get("rel") or "").split():
                    problems.append(f"{where}: external link not marked rel=external: {value}")
                continue
            if parts.scheme or parts.netloc:
                problems.append(f"{where}: {parts.scheme or 'network'} link: {value}")
                continue
            if value.startswith("/"):
                problems.append(f"{where}: absolute path: {value}")
                continue
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if root not in target.parents and target != root:
                problems.append(f"{where}: points outside the report set: {value}")
                continue
            if not target.is_file():
                problems.append(f"{where}: missing target: {value}")
                continue
            if parts.fragment:
                ids = pages[target].ids if target in pages else set()
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{where}: no anchor #{parts.fragment} in {target.relative_to(root).as_posix()}")
    return n, problems


def test_every_link_of_the_report_set_resolves_offline_inside_the_set(fixture_site):
    out = fixture_site["out"]
    for name in ("index.html", "overview.html", "sources.html", "methodology.html", "reading.html"):
        assert (out / name).is_file(), name
    n, problems = check_links(out)
    assert n > 50
    assert problems == []


def test_the_checker_finds_broken_outside_and_foreign_links(tmp_path):
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "a.html").write_text('<p id="here">x</p>', encoding="utf-8")
    (tmp_path / "outside.html").write_text("x", encoding="utf-8")
    (tmp_path / "set" / "index.html").write_text(
        '<a href="a.html#here">ok</a><a href="#top">no anchor</a><a href="a.html#gone">gone</a><a href="b.html">missing</a>'
        '<a href="../outside.html">outside</a><a href="/etc/passwd">absolute</a><a href="file:///etc/passwd">file</a>'
        '<img src="https://cdn.example.com/x.png"><a href="https://collegescorecard.ed.gov/data/">not marked</a>'
        '<a rel="external noopener" href="https://collegescorecard.ed.gov/data/">marked</a>', encoding="utf-8")
    n, problems = check_links(tmp_path / "set")
    assert n == 10
    text = "\n".join(problems)
    for expected in ("no anchor #top", "no anchor #gone", "missing target: b.html", "outside the report set: ../outside.html",
                     "absolute path: /etc/passwd", "file link", "cdn.example.com", "not marked rel=external"):
        assert expected in text, expected
    assert len(problems) == 8


def test_rendered_methodology_pages_link_no_repository_file(fixture_site):
    out = fixture_site["out"]
    for name in ("methodology.html", "reading.html"):
        parsed = parse(out / name)
        hrefs = [v for tag, v, _ in parsed.links if tag == "a"]
        bad = [h for h in hrefs if re.search(r"\.(md|py|toml|sql|csv|j2)(#|$)", urlsplit(h).path) or "../" in h]
        assert bad == [], (name, bad)
        html = (out / name).read_text(encoding="utf-8")
        assert "/work/" not in html and "shared/" not in html


def test_reader_page_explains_every_figure_and_is_linked_from_every_page(fixture_site):
    out = fixture_site["out"]
    reading = parse(out / "reading.html")
    assert set(READER_TERMS) <= reading.ids, sorted(set(READER_TERMS) - reading.ids)
    html = (out / "reading.html").read_text(encoding="utf-8")
    for standard in ("CIRR", "NACE", "College Scorecard", "PSEO"):
        assert standard in html
    assert html.count("When not to trust it") >= 10
    methodology = (out / "methodology.html").read_text(encoding="utf-8")
    assert 'href="reading.html"' in methodology
    for page in [out / "index.html", out / "overview.html", out / "sources.html", *sorted((out / "programs").glob("*.html"))]:
        root = "../" if page.parent.name == "programs" else ""
        assert f'href="{root}reading.html"' in page.read_text(encoding="utf-8"), page.name


def test_shared_pages_carry_a_provenance_banner(fixture_site):
    out = fixture_site["out"]
    want = {"index.html": "real", "overview.html": "real", "sources.html": "none", "methodology.html": "none",
            "reading.html": "none"}
    for name, kind in want.items():
        html = (out / name).read_text(encoding="utf-8")
        banners = re.findall(r'<p class="banner provenance[^"]*" role="note" data-provenance="([a-z_]+)"', html)
        assert banners == [kind], (name, banners)
    overview = (out / "overview.html").read_text(encoding="utf-8")
    banner = re.search(r'data-provenance="real">(.*?)</p>', overview, re.S).group(1)
    assert "public records" in banner and "synthetic programs" in banner and "never" in banner
    index = (out / "index.html").read_text(encoding="utf-8")
    assert re.search(r"public records \(\d", index) and "synthetic demonstration programs are a separate set" in index


def test_overview_answers_first_with_each_statement_source_and_evidence_class(fixture_site):
    html = (fixture_site["out"] / "overview.html").read_text(encoding="utf-8")
    short = html.index('id="in-short"')
    assert short < html.index('<section id="peer_outcomes"')
    answers = re.findall(r'<li data-answer="([a-z_]+)">', html)
    assert answers[:2] == ["peer_outcomes", "premium"] and len(answers) == len(set(answers))
    for item in re.findall(r'<li data-statement=.*?</li>', html, re.S):
        assert "source: " in item and 'data-evidence-class="public_records"' in item  # the fixture's statements are PSEO
    section = html[html.index('<section id="premium"'):html.index('<section id="cost"')]
    firsts = re.findall(r'<li data-statement="([^"]+)"', section)
    answer = re.search(r'<li data-statement="([^"]+)"[^>]* class="answer" data-answer-statement="premium">', section)
    assert answer and firsts[0] == answer.group(1) and len(firsts) == len(set(firsts))  # the answer first, never twice


def test_markdown_links_are_rewritten_for_the_report_set():
    text = ("# Title\n\n## Payback and NPV\n\n### `out_x` table\n\n## Payback and NPV\n\n"
            "[method](METHODOLOGY.md#cost-and-return-on-investment) [reader](READING_THE_REPORTS.md) [here](#payback-and-npv) "
            "[defaults](../flows/assumptions.toml) [up](../../secrets.txt) [abs](/etc/passwd) [mail](mailto:a@b.c) "
            "[scorecard](https://collegescorecard.ed.gov/data/) [elsewhere](https://evil.example/x) [js](javascript:alert(1))\n\n"
            "| a | b |\n|---|---|\n| 1 | 2 |\n")
    html = str(render_markdown(text, "docs/READING_THE_REPORTS.md"))
    assert "<h1>Title</h1>" in html
    assert '<h2 id="payback-and-npv">' in html and '<h2 id="payback-and-npv-1">' in html and '<h3 id="out_x-table">' in html
    assert '<a href="methodology.html#cost-and-return-on-investment">method</a>' in html
    assert '<a href="reading.html">reader</a>' in html and '<a href="#payback-and-npv">here</a>' in html
    assert 'defaults (<code class="repo-path">flows/assumptions.toml</code>)' in html
    assert "secrets" not in html and "/etc/passwd" not in html and "mailto" not in html and 'href="javascript' not in html
    assert " up abs mail " in html  # labels kept, targets dropped
    assert '<a class="external" rel="external noopener" href="https://collegescorecard.ed.gov/data/">scorecard' in html
    assert 'elsewhere (<code>https://evil.example/x</code>)' in html and 'href="https://evil.example' not in html
    assert '<div class="table-wrap" tabindex="0"><table>' in html and "<th>a</th>" in html
    assert doc_link("../README.md", "docs/METHODOLOGY.md") == ("path", "README.md")
    assert slug("Premium over the bachelor's") == "premium-over-the-bachelors"
    assert slug("Public earnings at 1, 5 and 10 years") == "public-earnings-at-1-5-and-10-years"


def test_repository_docs_render_without_links_outside_the_set():
    """The shipped Markdown (methodology, reader page) renders with no link a report set cannot serve."""
    for doc in (report_build.METHODOLOGY, report_build.READING):
        path = report_build.settings.PROJECT_ROOT / doc
        html = str(render_markdown(path.read_text(encoding="utf-8"), doc.as_posix()))
        for href in re.findall(r'href="([^"]*)"', html):
            parts = urlsplit(href)
            assert parts.scheme in ("", "https") and (parts.hostname in EXTERNAL_HOSTS if parts.scheme else True), (doc, href)
            assert parts.path in ("", "methodology.html", "reading.html"), (doc, href)


def test_reading_href_refuses_an_anchor_the_reader_page_lacks():
    assert report_build.reading_href("payback") == "reading.html#payback"
    assert set(READER_TERMS) <= report_build.reader_terms()
    assert set(report_build.READING_ANCHORS.values()) <= report_build.reader_terms()
    with pytest.raises(ValueError, match="no anchor #paybak"):
        report_build.reading_href("paybak")
