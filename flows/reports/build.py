"""Write the report set: ``index.html``, ``programs/<program-id>.html``, ``<program-id>.json``.

Owns ``build_reports(warehouse_path, out_dir) -> ReportResult``. Reads the published warehouse
read-only (``flows.reports.data``), renders Jinja2 templates with autoescape on, draws inline SVG
charts (``flows.reports.charts``) and replaces the whole set at once: everything is written to a
temporary folder beside ``out_dir`` which then takes its place, so a reader never sees a mix of two
runs. A report computes no numbers: every figure is a warehouse cell, formatted for display.
"""

from __future__ import annotations

import functools
import json
import os
import posixpath
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from flows import settings
from flows.reports.peers_page import peer_data, render_people_like_me
from flows.reports import charts
from flows.reports.data import WarehouseFigures, is_public, load_warehouse, program_figures, public_program_figures
from schemas.tables.stats import NACE_SAME_AS_CIRR, PUBLISHED_NACE
from flows.sources.public_programs import CIP2_TITLES, CREDENTIAL_WORDS
from schemas.vocab import CIRR_CATEGORIES, DATA_ORIGIN_CLASSES, NACE_CATEGORIES, ORIGIN_CLASS_OF

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"  # shared CSS and JS, copied to <out>/assets/
MARKER = ".outcomes-reports"  # a folder holding this file is a report set this module may replace
KEEP = (".gitkeep",)
METHODOLOGY = Path("docs") / "METHODOLOGY.md"
READING = Path("docs") / "READING_THE_REPORTS.md"
#: Markdown files of the repository rendered into the report set, and the page each becomes: a link between them
#: in the Markdown becomes a link between the pages; a link to any other repository file becomes its path as text.
RENDERED_DOCS = {METHODOLOGY.as_posix(): "methodology.html", READING.as_posix(): "reading.html"}


@dataclass
class ReportResult:
    out_dir: Path
    index: Path
    pages: list[Path] = field(default_factory=list)
    json_files: list[Path] = field(default_factory=list)
    warehouse_snapshot_id: str = ""
    seconds: float = 0.0

    @property
    def programs(self) -> int:
        return len(self.pages)


# --- display formatting (no arithmetic on figures beyond x100 for a percent sign) ---------------
def fmt(value, kind: str = "num") -> str:
    if value is None:
        return "n/a"
    if kind == "pct":
        return f"{value:.1%}"
    if kind == "usd":
        return f"${value:,.0f}"
    if kind == "int":
        return f"{int(value):,}"
    if kind == "years":
        return f"{value:.1f} years"
    if kind == "days":
        return f"{value:,.0f} days"
    if kind == "months":
        return f"{value:g} months"
    if kind == "ratio":
        return f"{value:.2f}"
    if kind == "rate":
        return f"{value:.2%}"
    return str(value)


def fig(value, name: str, kind: str = "num", missing: str = "n/a") -> Markup:
    """One figure with its machine-readable value: <data data-field=... value=...>text</data>."""
    if value is None:
        return Markup(f'<data class="fig na" data-field="{escape(name)}" value="">{escape(missing)}</data>')
    raw = repr(value) if isinstance(value, float) else str(value)
    return Markup(f'<data class="fig" data-field="{escape(name)}" value="{escape(raw)}">{escape(fmt(value, kind))}</data>')


def suppressed(row: dict | None, name: str) -> Markup:
    """The 'suppressed' badge with its reason (an absent row counts as 'no graduate records')."""
    reason = (row or {}).get("suppression_reason") or "no graduate records"
    return Markup('<span class="suppressed" data-field="{}" data-suppressed="true">suppressed</span> '
                  '<span class="reason">({})</span>').format(name, reason)


def json_for_html(obj, compact: bool = False) -> Markup:
    """JSON safe inside a <script> element or a script file: '<', '>' and '&' as \\u escapes (no '</script>')."""
    text = json.dumps(obj, allow_nan=False, ensure_ascii=False, sort_keys=not compact,
                      separators=(",", ":") if compact else None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


#: Display names of data origins (labels only; the code stays beside them where a page lists sources).
SOURCE_NAMES = {
    "college_scorecard": "College Scorecard", "census_pseo": "Census PSEO", "colorado_roi": "Colorado ROI study",
    "bls_oews": "BLS OEWS", "bls_oews_release": "BLS OEWS release", "nsf_ncses": "NSF NCSES", "fivethirtyeight": "FiveThirtyEight",
    "kaggle_2017": "Kaggle 2017 survey", "freecodecamp_2016": "freeCodeCamp 2016 survey", "outcome_reports": "Published outcome reports",
    "public_records": "Public records", "curated": "Curated records", "program_links": "Program links",
}


def source_name(origin: str | None) -> str:
    return SOURCE_NAMES.get(origin or "", str(origin or "unknown").replace("_", " "))


#: The publisher's own site of each data origin (the only external links of the report set, on the sources page).
SOURCE_SITES = {
    "college_scorecard": "https://collegescorecard.ed.gov/data/",
    "census_pseo": "https://lehd.ces.census.gov/data/pseo_experimental.html",
    "bls_oews": "https://www.bls.gov/oes/", "bls_oews_release": "https://www.bls.gov/oes/",
    "nsf_ncses": "https://ncses.nsf.gov/",
    "fivethirtyeight": "https://github.com/fivethirtyeight/data",
    "freecodecamp_2016": "https://github.com/freeCodeCamp/2016-new-coder-survey",
}
#: Hosts a page of the set may link to (publishers' sites); every other http(s) link is a bug (tests/reports/test_links.py).
EXTERNAL_HOSTS = frozenset(urlsplit(u).hostname for u in SOURCE_SITES.values())


def source_site(origin: str | None) -> str | None:
    return SOURCE_SITES.get(origin or "")


def make_env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(fig=fig, fmt=fmt, suppressed=suppressed, source_name=source_name, source_site=source_site, reading_href=reading_href,
                       CREDENTIAL_WORDS=CREDENTIAL_WORDS,
                       ORIGIN_CLASSES=DATA_ORIGIN_CLASSES, CIRR=CIRR_CATEGORIES,
                       NACE={c: NACE_CATEGORIES[c] for c in PUBLISHED_NACE}, NACE_SAME_AS_CIRR=NACE_SAME_AS_CIRR)
    env.filters["fmt"] = fmt
    env.filters["label"] = lambda v: "unknown" if v is None else str(v).replace("_", " ")
    return env


# --- charts of one program page -------------------------------------------------------------
def _rate_text(r: dict, name: str) -> str:
    return f"{fmt(r.get(name), 'pct')} [{fmt(r.get(name + '_lower'), 'pct')}, {fmt(r.get(name + '_upper'), 'pct')}]"


def program_charts(f: dict) -> dict[str, Markup]:
    out: dict[str, Markup] = {}
    p, s, c = f["placement"], f["salary"], f["costs"]
    name = f["program"]["program_name"]
    if p and not p["is_suppressed"]:
        items = []
        for code, desc in CIRR_CATEGORIES.items():
            v = p.get(f"cirr_{code.lower()}_count")
            items.append((f"{code} {desc}", v, fmt(v, "int") if v is not None else "withheld (small n)"))
        out["cirr"] = charts.bar_chart(f"Outcome categories (CIRR) of {name}",
                                       "Graduates per CIRR outcome category; the data table follows the chart.", items)
        rates = [(lbl, p.get(k), p.get(k + "_lower"), p.get(k + "_upper"),
                  _rate_text(p, k) if p.get(k) is not None else
                  (p.get("window_rates_note") if "d_rate" in k and p.get("window_rates_note") else "withheld (small n)"))
                 for lbl, k in (("In field when asked", "employed_in_field_rate"), ("By day 90", "employed_in_field_90d_rate"),
                                ("By day 180", "employed_in_field_180d_rate"), ("Knowledge", "knowledge_rate"))]
        pm = f["pathway_median"]
        if any(r[1] is not None for r in rates):
            out["rates"] = charts.interval_chart(
                f"Employed in field and knowledge rate of {name}, with 95% Wilson intervals",
                "Dots are rates, whiskers their 95% intervals; the dashed line is the pathway's median program at 180 days.",
                rates, marker=(f"median {str(f['program']['pathway']).replace('_', ' ')} program, in field by day 180",
                               pm.get("pathway_median_in_field_180d_rate") if pm else None))
    if s and not s["is_suppressed"] and s.get("median_base_salary_usd") is not None:
        refs = []
        if f["pathway_median"] and f["pathway_median"].get("pathway_median_salary_usd") is not None:
            refs.append((f"median salary of the {str(f['program']['pathway']).replace('_', ' ')} pathway",
                         f["pathway_median"]["pathway_median_salary_usd"]))
        seen = set()
        for w in f["role_wages"]:
            if w.get("bls_national_median_usd") is not None and w["soc_code"] not in seen:
                seen.add(w["soc_code"])
                refs.append((f"BLS national median, {w['soc_title'] or w['soc_code']} ({w['soc_code']})", w["bls_national_median_usd"]))
        out["salary"] = charts.salary_box(
            f"Base salary distribution of in-field graduates of {name}",
            "Box from the 25th to the 75th percentile, thick line at the median, whisker the median's 95% interval; "
            "orange lettered ticks are reference medians (pathway, BLS national), named in the legend.",
            s["salary_p25_usd"], s["median_base_salary_usd"], s["salary_p75_usd"],
            (s.get("median_salary_ci_lower_usd"), s.get("median_salary_ci_upper_usd")), refs[:4])
    cohorts = [row["placement"] for row in f["by_cohort"]]
    if any(not r["is_suppressed"] and r.get("employed_in_field_180d_rate") is not None for r in cohorts):
        out["cohorts"] = charts.interval_chart(
            f"Employed in field by day 180, by cohort, {name}",
            "One row per graduation cohort (half-year); suppressed cohorts are labelled.",
            [(r["cohort"] or str(r["graduation_year"]), None if r["is_suppressed"] else r.get("employed_in_field_180d_rate"),
              r.get("employed_in_field_180d_rate_lower"), r.get("employed_in_field_180d_rate_upper"),
              "suppressed" if r["is_suppressed"] else (_rate_text(r, "employed_in_field_180d_rate")
                                                       if r.get("employed_in_field_180d_rate") is not None
                                                       else r.get("window_rates_note") or "withheld (small n)"))
             for r in cohorts])
    if any(not r["is_suppressed"] and r.get("employed_in_field_180d_rate") is not None for r in f["prior_background"]):
        out["prior"] = charts.interval_chart(
            f"Employed in field by day 180 by prior degree, {name}",
            "Graduates like you: one row per prior degree; suppressed groups are labelled.",
            [(str(r["prior_degree"]).replace("_", " "), None if r["is_suppressed"] else r.get("employed_in_field_180d_rate"),
              r.get("employed_in_field_180d_rate_lower"), r.get("employed_in_field_180d_rate_upper"),
              "suppressed" if r["is_suppressed"] else (_rate_text(r, "employed_in_field_180d_rate")
                                                       if r.get("employed_in_field_180d_rate") is not None
                                                       else r.get("window_rates_note") or "withheld (small n)"))
             for r in f["prior_background"]])
    if f["sensitivity"]:
        factors = sorted({r["salary_scenario_factor"] for r in f["sensitivity"]})
        rates = sorted({r["loan_rate"] for r in f["sensitivity"]})
        cells = {(rates.index(r["loan_rate"]), factors.index(r["salary_scenario_factor"])):
                 (r["payback_years"], fmt(r["payback_years"], "num") if r["payback_years"] is None else f"{r['payback_years']:.1f} y")
                 for r in f["sensitivity"]}
        cells = {k: (v, "never" if v is None else t) for k, (v, t) in cells.items()}
        out["sensitivity"] = charts.heatmap(
            f"Payback in years against salary and loan rate, {name}",
            "Rows: loan rate; columns: median in-field salary as a share of the observed median; cells: years to pay back "
            "(darker is faster, 'never' when the gain is not positive).",
            [f"{r:.2%}" for r in rates], [f"×{x:g}" for x in factors], cells)
    public = linked_public_chart(f)
    if public is not None:
        out["public"] = public
    return out


def linked_public_chart(f: dict) -> Markup | None:
    """Earnings trajectory (p25 / median / p75 at 1, 5, 10 years) of the public figures a curated program is linked to:
    one series per source and institution, its pooled cohort where published, else its latest."""
    rows = [e for e in f.get("public_earnings") or [] if e.get("years_after_graduation") is not None]
    if not rows:
        return None
    year = next((e.get("constant_dollar_year") for e in rows if e.get("constant_dollar_year")), None)
    groups: dict[tuple, dict[int, dict]] = {}
    for e in rows:
        g = groups.setdefault((e["data_origin"], e.get("institution_name") or e.get("institution_id")), {})
        h = int(e["years_after_graduation"])
        rank = (e.get("grad_cohort") == "all", e.get("grad_cohort") or "")
        if h not in g or rank > (g[h].get("grad_cohort") == "all", g[h].get("grad_cohort") or ""):
            g[h] = e
    series = []
    for (origin, inst), by_h in sorted(groups.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        pts = [(float(h), e.get("p25_constant_usd"), e.get("median_constant_usd"), e.get("p75_constant_usd")) for h, e in sorted(by_h.items())]
        if any(p[2] is not None for p in pts):
            series.append((f"{source_name(origin)}, {inst or 'institution not named'}", pts))
    if not series:
        return None
    return charts.trajectory_chart(
        f"Public earnings of the linked institution and field, {f['program']['program_name']}",
        f"Annual earnings of all graduates of the linked institution, field and credential level (not this program's only): "
        f"25th percentile, median and 75th percentile by years after graduation, in {year or 'constant'} dollars; "
        "the data table follows the chart.", series[:len(charts.SERIES)], y_label=f"Annual earnings ({year or 'constant'} US$)")


# --- writing -----------------------------------------------------------------------------------
def _check_replaceable(out_dir: Path) -> None:
    if out_dir.exists():
        if not out_dir.is_dir():
            raise FileExistsError(f"{out_dir} exists and is not a folder")
        extra = [p.name for p in out_dir.iterdir() if p.name not in KEEP]
        if extra and not (out_dir / MARKER).exists():
            raise FileExistsError(f"{out_dir} holds files that are not a report set ({', '.join(sorted(extra)[:3])}...): "
                                  "choose an empty or new folder")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def remove_leftovers(out_dir: Path) -> list[Path]:
    """Delete ``.<name>.tmp-<pid>-*`` and ``.<name>.old-<pid>-*`` folders beside ``out_dir`` left by a killed
    writer (its pid no longer runs); a writer that still runs keeps its folders. Returns what was removed."""
    removed = []
    if not out_dir.parent.is_dir():
        return removed
    for kind in ("tmp", "old"):
        for p in out_dir.parent.glob(f".{out_dir.name}.{kind}-*"):
            head = p.name[len(f".{out_dir.name}.{kind}-"):].split("-", 1)[0]
            if p.is_dir() and not (head.isdigit() and _pid_alive(int(head))):
                shutil.rmtree(p, ignore_errors=True)
                removed.append(p)
    return removed


def _swap_in(tmp: Path, out_dir: Path) -> None:
    """Replace out_dir by tmp: two renames on one file system (a reader sees the old or the new set)."""
    for keep in KEEP:
        if (out_dir / keep).exists():
            shutil.copy2(out_dir / keep, tmp / keep)
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}-{time.time_ns()}")
        os.replace(out_dir, old)
    os.replace(tmp, out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def slug(text: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens (the same on GitHub and in the set)."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def doc_link(href: str, doc: str) -> tuple[str, str]:
    """Where a Markdown link of repository file ``doc`` points in the report set: ("href", target) for a page or an
    anchor of the set, ("external", url) for a publisher's site, ("path", repository path) for another file of the
    repository (shown as text), ("text", "") for anything else (outside the repository, other schemes: label only)."""
    parts = urlsplit(href)
    if parts.scheme in ("http", "https"):
        return ("external", href) if parts.hostname in EXTERNAL_HOSTS else ("text", href)
    if parts.scheme or parts.netloc or href.startswith("/"):
        return "text", ""
    if not parts.path:
        return ("href", href) if parts.fragment else ("text", "")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(doc), parts.path))
    if target == ".." or target.startswith("../"):
        return "text", ""
    if target in RENDERED_DOCS:
        return "href", RENDERED_DOCS[target] + (f"#{parts.fragment}" if parts.fragment else "")
    return "path", target


def render_markdown(text: str, doc: str) -> Markup:
    """A Markdown document of the repository as HTML for the report set (CommonMark with tables; raw HTML escaped).

    Headings get GitHub's anchors, tables a scrollable focusable wrapper, and every link is rewritten by
    ``doc_link``: the result links only to pages of the set and to publishers' sites (marked external)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table")

    def anchors_and_links(state):
        seen: dict[str, int] = {}
        for i, tok in enumerate(state.tokens):
            if tok.type == "heading_open" and tok.tag != "h1":  # the page title needs no anchor
                words = "".join(c.content for c in state.tokens[i + 1].children or [] if c.type in ("text", "code_inline"))
                base = slug(words)
                n = seen.get(base, 0)
                seen[base] = n + 1
                tok.attrSet("id", base if n == 0 else f"{base}-{n}")
            if tok.type != "inline":
                continue
            stack = []
            for c in tok.children or []:
                if c.type == "link_open":
                    kind, target = doc_link(str(c.attrGet("href") or ""), doc)
                    c.meta["kind"], c.meta["target"] = kind, target
                    stack.append(c)
                elif c.type == "link_close" and stack:
                    c.meta.update(stack.pop().meta)
        return True

    md.core.ruler.push("report_anchors_links", anchors_and_links)

    def link_open(self, tokens, idx, options, env):
        t = tokens[idx]
        if t.meta.get("kind") == "href":
            return f'<a href="{escape(t.meta["target"])}">'
        if t.meta.get("kind") == "external":
            return f'<a class="external" rel="external noopener" href="{escape(t.meta["target"])}">'
        return ""

    def link_close(self, tokens, idx, options, env):
        t = tokens[idx]
        if t.meta.get("kind") == "external":
            return '<span class="sr-only"> (external site)</span></a>'
        if t.meta.get("kind") == "href":
            return "</a>"
        if t.meta.get("kind") == "path":
            return f' (<code class="repo-path">{escape(t.meta["target"])}</code>)'
        if t.meta.get("kind") == "text" and t.meta.get("target"):
            return f' (<code>{escape(t.meta["target"])}</code>)'
        return ""

    md.add_render_rule("link_open", link_open)
    md.add_render_rule("link_close", link_close)
    md.add_render_rule("table_open", lambda self, tokens, idx, options, env: '<div class="table-wrap" tabindex="0"><table>\n')
    md.add_render_rule("table_close", lambda self, tokens, idx, options, env: "</table></div>\n")
    return Markup(md.render(text))


@functools.lru_cache(maxsize=1)
def reader_terms() -> frozenset[str]:
    """Anchors of the reader page (its h2/h3 headings), read from docs/READING_THE_REPORTS.md."""
    path = settings.PROJECT_ROOT / READING
    if not path.exists():
        return frozenset()
    return frozenset(re.findall(r'<h[23] id="([^"]+)">', str(render_markdown(path.read_text(encoding="utf-8"), READING.as_posix()))))


def reading_href(term: str) -> str:
    """``reading.html#<term>``, the plain-language explanation of a figure (templates prefix ``root``); an anchor the
    reader page does not have is an error at build time, never a broken link."""
    terms = reader_terms()
    if terms and term not in terms:
        raise ValueError(f"reading.html has no anchor #{term} (docs/READING_THE_REPORTS.md headings: {', '.join(sorted(terms))})")
    return f"reading.html#{term}"


def _doc_page(env: Environment, ctx: dict, doc: Path, template: str) -> str | None:
    path = settings.PROJECT_ROOT / doc
    if not path.exists():
        return None
    body = render_markdown(path.read_text(encoding="utf-8"), doc.as_posix())
    head, sep, rest = str(body).partition("</h1>")  # the contents go after the title
    head, rest = (Markup(head + sep), Markup(rest)) if sep else (Markup(""), body)
    return env.get_template(template).render(head=head, body=rest, toc=doc_toc(body), **ctx)


def doc_toc(body: str) -> list[dict]:
    """The h2 sections of a rendered document with their h3 entries: [{"id", "text", "items": [{"id", "text"}]}]."""
    toc: list[dict] = []
    for level, hid, inner in re.findall(r'<h([23]) id="([^"]+)">(.*?)</h\1>', str(body), re.S):
        entry = {"id": hid, "text": Markup(inner).striptags(), "items": []}
        if level == "2" or not toc:
            toc.append(entry)
        else:
            toc[-1]["items"].append(entry)
    return toc


def _methodology_page(env: Environment, ctx: dict) -> str | None:
    return _doc_page(env, ctx, METHODOLOGY, "methodology.html.j2")


def _reading_page(env: Environment, ctx: dict) -> str | None:
    return _doc_page(env, ctx, READING, "reading.html.j2")


#: Provenance line of the shared pages that hold no figures (base.html.j2 shows ``banner``; program pages
#: override the block with their own program's provenance).
NO_FIGURES = {"kind": "none", "label": "No figures",
              "text": "This page explains the reports and their data; the figures are on the program pages, the index and "
                      "the overview, each labelled with its evidence class."}


def index_banner(wf: WarehouseFigures) -> dict:
    """The index's provenance line: the evidence classes of the programs it lists, with their counts."""
    counts: dict[str, int] = {}
    for p in wf.programs:
        cls = (wf.notices.get(p["program_id"]) or {}).get("data_origin_class") or "unknown"
        counts[cls] = counts.get(cls, 0) + 1
    real = [f"{_class_words(c)} ({counts[c]:,})" for c in DATA_ORIGIN_CLASSES if c != "synthetic" and counts.get(c)]
    text = ("Real programs by default, each row labelled with its evidence class and never pooled across classes: "
            + ", ".join(real) + ".")
    if counts.get("synthetic"):
        text += f" {counts['synthetic']:,} synthetic demonstration programs are a separate set, shown only when chosen."
    return {"kind": "real", "label": "Real data", "text": text}


def _class_words(cls: str | None) -> str:
    return {"public_records": "public records", "audited_report": "published outcome reports",
            "curated_documented": "curated records", "self_reported_survey": "self-reported surveys",
            "synthetic": "synthetic demonstration data"}.get(cls or "", "evidence class not recorded")


# --- public programs ---------------------------------------------------------------------------
EARNINGS = {"earnings_p25": "p25", "earnings_median": "median", "earnings_p75": "p75"}
OTHER_MEASURES = {"debt_median": ("Median debt at completion", "usd"), "debt_monthly_payment": ("Median monthly loan payment", "usd"),
                  "completers": ("Completers", "int"), "wage_record_share": ("Share of completers with wage records", "pct")}
#: Order in which the index picks the one source whose earnings a program's row shows (never mixed in a row).
INDEX_SOURCE_ORDER = ("college_scorecard", "census_pseo", "colorado_roi")
COST_ROWS = [("Tuition a year", "tuition_per_year_usd", "usd"), ("Years of study", "study_years", "num"),
             ("Tuition in total", "tuition_total_usd", "usd"), ("Earnings forgone while studying", "forgone_earnings_usd", "usd"),
             ("Loan interest", "loan_interest_usd", "usd"), ("Total cost", "total_cost_usd", "usd"),
             ("Earnings after the program", "earnings_usd", "usd"), ("Earnings without it (counterfactual)", "counterfactual_earnings_usd", "usd"),
             ("Annual gain", "annual_gain_usd", "usd"), ("Median debt", "debt_median_usd", "usd"),
             ("Debt to earnings", "debt_to_earnings_ratio", "ratio"), ("Monthly loan payment", "monthly_loan_payment_usd", "usd"),
             ("Loan payment as a share of income", "payment_to_income_share", "pct")]


def _why(o: dict) -> str:
    """Text of a figure a publisher did not give (never a zero)."""
    if o.get("value") is not None and o.get("value_constant_dollars") is None and str(o.get("value_unit", "")).startswith("usd"):
        return "n/a (dollar year unknown)"
    return str(o.get("value_status") or "not published").replace("_", " ")


def public_earnings_rows(outcomes: list[dict]) -> list[dict]:
    """Earnings rows of one program, one per source x cohort x horizon, p25 / median / p75 side by side."""
    rows: dict[tuple, dict] = {}
    for o in outcomes:
        part = EARNINGS.get(o["measure"])
        if part is None:
            continue
        key = (o["data_origin"], o["grad_cohort"], o["years_after_graduation"])
        e = rows.setdefault(key, {"data_origin": key[0], "name": source_name(key[0]), "grad_cohort": key[1], "years": key[2],
                                  "p25": None, "median": None, "p75": None, "n": None, "p25_why": "not published",
                                  "median_why": "not published", "p75_why": "not published",
                                  "constant_dollar_year": o.get("constant_dollar_year"), "mixed": bool(o.get("cohorts_differ_across_horizons"))})
        e[part] = o.get("value_constant_dollars")
        e[part + "_why"] = _why(o)
        if part == "median":
            e["n"] = o.get("value_count")
    return sorted(rows.values(), key=lambda e: (e["data_origin"], e["years"], e["grad_cohort"] or ""))


def _cohort_rank(e: dict) -> tuple:
    return (e["grad_cohort"] == "all", e["grad_cohort"] or "")


def latest_by_horizon(earnings: list[dict], origin: str) -> dict[int, dict]:
    """One row per horizon of one source (the chart's and the index's points): the source's pooled cohort
    ('all', Census PSEO) where it publishes one, else its latest cohort."""
    out: dict[int, dict] = {}
    for e in earnings:
        if e["data_origin"] == origin and (e["years"] not in out or _cohort_rank(e) > _cohort_rank(out[e["years"]])):
            out[e["years"]] = e
    return out


def public_context(f: dict, sources: dict[str, dict]) -> dict:
    prog, pp = f["program"], f["public_program"] or {}
    earnings = public_earnings_rows(f["public_outcomes"])
    year = next((e["constant_dollar_year"] for e in earnings if e["constant_dollar_year"]), None)
    origins = sorted({e["data_origin"] for e in earnings}, key=lambda o: (INDEX_SOURCE_ORDER + (o,)).index(o))
    series = []
    for o in origins:
        chosen = sorted(latest_by_horizon(earnings, o).items())
        pts = [(float(h), e["p25"], e["median"], e["p75"]) for h, e in chosen]
        cohorts = {e["grad_cohort"] for _, e in chosen}
        label = (f"{source_name(o)}, " + ("all cohorts pooled" if cohorts == {"all"} else f"cohort {cohorts.pop()}"
                                          if len(cohorts) == 1 else "latest cohort at each horizon"))
        if any(p[2] is not None for p in pts):
            series.append((label, pts))
    chart = None
    if series:
        chart = charts.trajectory_chart(
            f"Earnings trajectory of {prog['program_name']} at {prog['institution_name']}",
            f"Annual earnings 25th percentile, median and 75th percentile by years after graduation, in {year} dollars, "
            "per source (its pooled cohort where published, else its latest cohort); the data table follows the chart.",
            series, y_label=f"Annual earnings ({year} US$)")
    # A dollar figure whose dollar year the publisher does not give is shown as published (nominal) and said so,
    # as the cost table shows it (out_roi__public_program_costs keeps College Scorecard's debt as published).
    other = [{"data_origin": o["data_origin"], "name": source_name(o["data_origin"]), "measure": o["measure"],
              "label": OTHER_MEASURES[o["measure"]][0], "kind": OTHER_MEASURES[o["measure"]][1], "grad_cohort": o["grad_cohort"],
              "value": (o["value_constant_dollars"] if o["value_constant_dollars"] is not None else o["value"])
              if OTHER_MEASURES[o["measure"]][1] == "usd" else o["value"],
              "nominal": OTHER_MEASURES[o["measure"]][1] == "usd" and o["value_constant_dollars"] is None and o["value"] is not None,
              "n": o["value_count"], "why": _why(o)}
             for o in f["public_outcomes"] if o["measure"] in OTHER_MEASURES]
    used = [o.strip() for o in (pp.get("public_sources") or "").split(";") if o.strip()]
    return {"earnings": earnings, "chart": chart, "dollar_year": year, "other": other, "nominal": {o["measure"] for o in other if o["nominal"]},
            "mixed_cohorts": ", ".join(sorted({e["name"] for e in earnings if e["mixed"]})),
            "graduate": prog.get("pathway") in ("masters", "phd"),
            "sources": [{"name": source_name(o), **{k: (sources.get(o) or {}).get(k) for k in ("snapshot_id", "fetched_at")}} for o in used]}


# --- the index's program list ------------------------------------------------------------------
INDEX_COLUMNS = ("id", "name", "institution", "state", "pathway", "cip", "origin_class", "synthetic", "why", "kind", "earnings_source",
                 "earnings_1y", "earnings_5y", "earnings_10y", "earnings_n", "debt", "in_field_180d", "salary", "payback", "graduates",
                 "cost")
#: ``kind``: index into the list's ``kinds`` table of (data origin, country, modality, pacing), shared by many programs.
KIND_FIELDS = ("origin", "country", "modality", "pacing")
#: ``why``: index into the list's ``whys`` table of codes, one character per figure of WHY_FIELDS in this order:
#: '.' where the figure is there, else the index (a WHY_DIGITS character) of its reason in the ``reasons`` table.
WHY_FIELDS = ("earnings_1y", "earnings_5y", "earnings_10y", "debt", "in_field_180d", "salary", "cost", "payback", "n")
WHY_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: Reasons an index figure is empty: (short badge, full reason). Badges: withheld (suppressed for privacy),
#: not published (a publisher gave no value), no records (no source covers it), not computed / never (payback).
WHY_NO_EARNINGS_SOURCE = ("no records", "no public source publishes earnings for this program")
WHY_NOT_PUBLIC = ("no records", "public earnings and debt records are listed for public degree programs only")
WHY_PUBLIC_PLACEMENT = ("no records", "public records give earnings, not in-field placement, salary or graduate counts")
WHY_NO_GRADUATE_RECORDS = ("no records", "no graduate records")
WHY_NO_DEBT = ("not published", "no public source reports median debt for this program")
WHY_NO_COST_TABLE = ("not computed", "cost and payback of public programs are not in this warehouse (the answers step has not run)")
WHY_NO_COST_ROW = ("not computed", "no cost estimate for this program in the public cost table")
WHY_COST_LEVELS = "cost and payback of public programs are estimated for {} only"
WHY_NEVER = ("never", "the expected gain over the counterfactual is not positive: it never pays back")


def _gap(status: str | None, reason: str | None, origin: str | None = None) -> tuple[str, str]:
    """(badge, reason) of a figure a public source did not give, from its value_status and suppression_reason."""
    short = "withheld" if status == "suppressed" else "not published"
    text = reason or str(status or "not published").replace("_", " ")
    return short, (f"{source_name(origin)}: {text}" if origin else text)


def _earnings_gaps(outcomes: list[dict], origin: str | None, by_h: dict[int, dict] | None = None) -> dict[int, tuple[str, str]]:
    """Per horizon (1, 5, 10), why the index shows no median earnings from ``origin`` (the row's source, whose chosen
    cohort per horizon is ``by_h``); ``origin`` None: no source has a median, the reason is the latest cohort's status."""
    medians = [o for o in outcomes if o["measure"] == "earnings_median" and (origin is None or o["data_origin"] == origin)]
    out = {}
    for h in (1, 5, 10):
        at = [o for o in medians if o["years_after_graduation"] == h]
        if origin is not None and h in (by_h or {}):
            at = [o for o in at if o["grad_cohort"] == by_h[h]["grad_cohort"]]
            if not at:
                out[h] = ("not published", f"{source_name(origin)} gives no median for its {h}-year cohort {by_h[h]['grad_cohort']}")
                continue
        if origin is not None and not at:
            out[h] = ("not published", f"{source_name(origin)} publishes no earnings {h} year{'s' if h > 1 else ''} after graduation "
                                       "for this program")
        elif at:
            o = max(at, key=lambda o: (o["grad_cohort"] == "all", o["grad_cohort"] or ""))
            if o.get("value") is not None:  # released, but not in constant dollars
                out[h] = ("not published", f"{source_name(o['data_origin'])}: {_why(o)}")
            elif o.get("value_status") in (None, "released", "published"):
                out[h] = ("not published", f"{source_name(o['data_origin'])}: released without a value")
            else:
                out[h] = _gap(o.get("value_status"), o.get("suppression_reason"), o["data_origin"])
        else:
            out[h] = WHY_NO_EARNINGS_SOURCE
    return out


def index_row(wf: WarehouseFigures, program: dict, strings: dict[str, int], reasons: dict[tuple[str, str], int] | None = None,
              kinds: dict[tuple, int] | None = None, whys: dict[str, int] | None = None,
              cost_levels: frozenset | None = None) -> list:
    """One program of the index list: figures as read from the tables, texts as indexes into a string table, and
    the ``why`` code: for each empty figure of WHY_FIELDS, the index of its reason in ``reasons`` (badge, text)."""
    def sid(text):
        return None if text is None else strings.setdefault(text, len(strings))
    reasons = {} if reasons is None else reasons
    kinds = {} if kinds is None else kinds
    whys = {} if whys is None else whys
    pid = program["program_id"]
    notice = wf.notices.get(pid) or {}
    src = e1 = e5 = e10 = n = debt = None
    chosen: dict[int, dict] = {}
    why: dict[str, tuple[str, str]] = {}
    c = wf.costs.get(pid)
    published = c is not None and not c.get("is_suppressed")
    pc = wf.public_costs.get(pid) or {}
    if is_public(program):
        outcomes = wf.public_outcomes.get(pid, [])
        earnings = public_earnings_rows(outcomes)
        for origin in INDEX_SOURCE_ORDER + tuple(sorted({e["data_origin"] for e in earnings})):
            by_h = latest_by_horizon(earnings, origin)
            if any(e["median"] is not None for e in by_h.values()):
                src, chosen = origin, by_h
                e1, e5, e10 = ((by_h.get(h) or {}).get("median") for h in (1, 5, 10))
                n = next((by_h[h]["n"] for h in sorted(by_h) if by_h[h]["median"] is not None), None)
                break
        gaps = _earnings_gaps(outcomes, src, chosen)
        why.update({"earnings_1y": gaps[1], "earnings_5y": gaps[5], "earnings_10y": gaps[10], "n": gaps[1]})
        if src is not None and n is None:
            why["n"] = ("not published", f"{source_name(src)} gives no count of graduates with earnings")
        debts = [o for o in outcomes if o["measure"] == "debt_median"]
        debt = next((o["value_constant_dollars"] for o in debts if o["value_constant_dollars"] is not None), None)
        released = [o for o in debts if o.get("value") is not None]
        why["debt"] = (("not published", f"{source_name(released[0]['data_origin'])}: median debt has no dollar year, so no constant-dollar value")
                       if released else _gap(debts[0].get("value_status"), debts[0].get("suppression_reason"), debts[0]["data_origin"])
                       if debts else WHY_NO_DEBT)
        why["in_field_180d"] = why["salary"] = WHY_PUBLIC_PLACEMENT
        if cost_levels is None:
            cost_levels = frozenset(r.get("credential_level") for r in wf.public_costs.values())
        level = (wf.public_programs.get(pid) or {}).get("credential_level")
        cost_why = (WHY_NO_COST_TABLE if "out_roi__public_program_costs" not in wf.present
                    else ("not computed", pc.get("not_computed_reason") or "not computed") if pc
                    else WHY_NO_COST_ROW if level in cost_levels or not cost_levels
                    else ("not computed", WHY_COST_LEVELS.format(", ".join(sorted(str(v).replace("_", " ") for v in cost_levels if v)))))
        why["cost"] = why["payback"] = cost_why
        if pc.get("annual_gain_usd") is not None and pc["annual_gain_usd"] <= 0:
            why["payback"] = WHY_NEVER
        cost, payback = pc.get("total_cost_usd"), pc.get("payback_years")
    else:
        for k in ("earnings_1y", "earnings_5y", "earnings_10y", "debt"):
            why[k] = WHY_NOT_PUBLIC
        if c is None:
            gap = WHY_NO_GRADUATE_RECORDS
        elif c.get("is_suppressed"):
            gap = ("withheld", c.get("suppression_reason") or "suppressed")
        else:
            gap = ("not published", "not published in the program's outcome table")
        for k in ("in_field_180d", "salary", "cost", "n"):
            why[k] = gap
        annual_gain = c.get("annual_gain_usd") if published else None
        why["payback"] = WHY_NEVER if annual_gain is not None and annual_gain <= 0 else gap
        cost = c.get("total_cost_usd") if published else None
        payback = c.get("payback_years") if published else None

    def r(v, digits):  # display precision of the list (the page shows the table's value)
        return None if v is None else (round(v) if digits == 0 else round(v, digits))
    values = {"earnings_1y": r(e1, 0), "earnings_5y": r(e5, 0), "earnings_10y": r(e10, 0), "debt": r(debt, 0),
              "in_field_180d": r(c.get("employed_in_field_180d_rate"), 4) if published else None,
              "salary": r(c.get("median_base_salary_usd"), 0) if published else None, "cost": r(cost, 0), "payback": r(payback, 2),
              "graduates": c.get("graduates") if published else None}
    values["n"] = n if src is not None or is_public(program) else values["graduates"]
    digits = []  # the why code: one character per WHY_FIELDS figure
    for k in WHY_FIELDS:
        if values[k] is not None:
            digits.append(".")
        else:
            i = reasons.setdefault(why[k], len(reasons))
            digits.append(WHY_DIGITS[i] if i < len(WHY_DIGITS) else "~")  # '~': more reasons than digits (see the page)
    row = [pid, sid(program["program_name"]), sid(program["institution_name"]), program.get("state_code"), program.get("pathway"),
           program.get("cip_code"), notice.get("data_origin_class"), 1 if notice.get("is_synthetic") else 0,
           whys.setdefault("".join(digits), len(whys)),
           kinds.setdefault((notice.get("data_origin") or program.get("data_origin"), program.get("country_code"), program.get("modality"),
                             program.get("pacing")), len(kinds)),
           src, values["earnings_1y"], values["earnings_5y"], values["earnings_10y"], n, values["debt"], values["in_field_180d"],
           values["salary"], values["payback"], values["graduates"], values["cost"]]
    while row[-1] is None:  # trailing empty cells are left out (a shorter row reads as null)
        row.pop()
    return row


def index_data_js(wf: WarehouseFigures) -> str:
    """The index's program list as a script (loads from file:// where fetch of JSON cannot): JSON, '<' escaped."""
    strings: dict[str, int] = {}
    reasons: dict[tuple[str, str], int] = {}
    kinds: dict[tuple, int] = {}
    whys: dict[str, int] = {}
    cost_levels = frozenset(r.get("credential_level") for r in wf.public_costs.values())
    rows = [index_row(wf, p, strings, reasons, kinds, whys, cost_levels) for p in wf.programs]
    years = sorted({o["constant_dollar_year"] for os_ in wf.public_outcomes.values() for o in os_ if o.get("constant_dollar_year")})
    doc = {"columns": list(INDEX_COLUMNS), "strings": list(strings), "rows": rows,
           "reasons": [list(k) for k in reasons], "kinds": [list(k) for k in kinds], "kind_fields": list(KIND_FIELDS), "whys": list(whys), "why_fields": list(WHY_FIELDS), "why_digits": WHY_DIGITS,
           "dollar_year": years[-1] if len(years) == 1 else None,
           "sources": {o: source_name(o) for o in INDEX_SOURCE_ORDER},
           "cip_families": CIP2_TITLES, "origin_classes": {k: v.split(" (")[0].split(":")[0] for k, v in DATA_ORIGIN_CLASSES.items()},
           "warehouse_snapshot_id": wf.snapshot["warehouse_snapshot_id"]}
    return "/* Program list of index.html and compare.html (generated; JSON data). */\nwindow.OUTCOMES_INDEX = " + \
        str(json_for_html(doc, compact=True)) + ";\n"


# --- the overview page -------------------------------------------------------------------------
#: Sections of the overview, in page order (out_answers__statements.section).
OVERVIEW_SECTIONS = (
    ("peer_outcomes", "What graduates of these programs earn"), ("premium", "Premium over a bachelor's degree"),
    ("cost", "What it costs"), ("payback", "How long it takes to pay back"), ("loan_risk", "Loan risk"),
    ("flexible_options", "Flexible (online) options"), ("part_time_options", "Part-time options"),
    ("alternatives", "Alternatives to a master's"),
)
UNIT_KIND = {"usd": "usd", "ratio": "ratio", "years": "years", "share": "pct", "count": "int"}
#: The reader page's explanation of each overview section (reading.html#<anchor>).
READING_ANCHORS = {"peer_outcomes": "public-earnings-at-1-5-and-10-years", "premium": "premium-over-the-bachelors",
                   "cost": "total-cost", "payback": "payback", "loan_risk": "total-cost", "alternatives": "evidence-classes"}


def overview_context(wf: WarehouseFigures) -> dict:
    missing = [t for t in ("out_answers__statements", "out_answers__peer_earnings") if t not in wf.present]
    by_section: dict[str, list[dict]] = {}
    for st in wf.statements:
        cls = ORIGIN_CLASS_OF.get(st["data_origin"])
        by_section.setdefault(st["section"], []).append({**st, "evidence_class": cls, "evidence_words": _class_words(cls)})
    for rows in by_section.values():
        rows.sort(key=lambda r: (r["ordinal"] if r["ordinal"] is not None else 1 << 30, r["statement_id"]))
    groups: dict[tuple, list[dict]] = {}
    for r in wf.peer_earnings:
        groups.setdefault((r["cip_family"], r["credential_level"]), []).append(r)
    peer = []
    for (family, level), rows in groups.items():
        year = next((r["constant_dollar_year"] for r in rows if r.get("constant_dollar_year")), None)
        series = []
        for origin in sorted({r["data_origin"] for r in rows}, key=lambda o: (INDEX_SOURCE_ORDER + (o,)).index(o)):
            pts = [(float(r["years_after_graduation"]), r["p25_usd"], r["median_usd"], r["p75_usd"])
                   for r in rows if r["data_origin"] == origin]
            if any(p[2] is not None for p in pts):
                series.append((source_name(origin), pts))
        chart = charts.trajectory_chart(
            f"Median earnings of real {str(level).replace('_', ' ')} programs in CIP {family}: spread across programs",
            f"Across programs, the 25th percentile, median and 75th percentile of each program's median earnings, by years after "
            f"graduation, in {year} dollars, per source; the data table follows.",
            series, y_label=f"Program median earnings ({year} US$)") if series else None
        peer.append({"cip_family": family, "credential_level": level, "rows": rows, "chart": chart, "dollar_year": year})
    unknown = sorted(set(by_section) - {k for k, _ in OVERVIEW_SECTIONS})
    # answer first: a section's answer is its first statement with a figure (else its first statement)
    answers = {k: next((r for r in rows if not r["not_in_data"] and r["value"] is not None), rows[0])
             for k, rows in by_section.items() if rows}
    classes = {ORIGIN_CLASS_OF.get(st["data_origin"]) for st in wf.statements}
    classes |= {ORIGIN_CLASS_OF.get(r["data_origin"]) for r in wf.peer_earnings}
    named = [_class_words(c) for c in DATA_ORIGIN_CLASSES if c in classes and c != "synthetic"]
    banner = {"kind": "real", "label": "Real data only",
              "text": "From " + (", ".join(named) if named else "real sources") + "; never from synthetic programs. "
                      "Each statement names its source, evidence class, date and number of programs."}
    return {"sections": OVERVIEW_SECTIONS + tuple((k, k.replace("_", " ").capitalize()) for k in unknown),
            "by_section": by_section, "answers": answers, "peer": peer, "missing": missing, "unit_kind": UNIT_KIND,
            "banner": banner, "reading": READING_ANCHORS}


def render_reports(wf: WarehouseFigures, tmp: Path) -> tuple[list[Path], list[Path]]:
    from flows.reports import summary
    env = make_env()
    page_t = env.get_template("program.html.j2")
    public_t = env.get_template("public_program.html.j2")
    (tmp / "programs").mkdir(parents=True)
    assets = tmp / "assets"
    assets.mkdir()
    for path in sorted(STATIC.iterdir()):
        if path.suffix in (".css", ".js"):
            shutil.copyfile(path, assets / path.name)
    base = {"snapshot": wf.snapshot, "sources": wf.sources, "has_methodology": (settings.PROJECT_ROOT / METHODOLOGY).exists(),
            "has_reading": (settings.PROJECT_ROOT / READING).exists(),
            "has_people_like_me": getattr(wf, "peer_data", None) is not None}
    for name, page in (("methodology.html", _methodology_page(env, {**base, "root": "", "banner": NO_FIGURES})),
                       ("reading.html", _reading_page(env, {**base, "root": "", "banner": NO_FIGURES}))):
        if page:
            (tmp / name).write_text(page, encoding="utf-8")
    common = base
    sources_by_origin = {s["data_origin"]: s for s in wf.sources}
    (tmp / "sources.html").write_text(env.get_template("sources.html.j2").render(root="", banner=NO_FIGURES, **common),
                                      encoding="utf-8")
    (assets / "shared.json").write_text(json.dumps({"snapshot": wf.snapshot, "sources": wf.sources, "pathways": wf.pathways},
                                                allow_nan=False, ensure_ascii=False, sort_keys=True, indent=1), encoding="utf-8")
    pathways_of = {}
    for pw in wf.pathways:
        pathways_of.setdefault(pw["data_origin_class"], []).append(pw)
    pages, jsons = [], []
    dumps = json.JSONEncoder(allow_nan=False, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
    for program in wf.programs:
        pid = program["program_id"]
        if is_public(program):
            f = public_program_figures(wf, program)
            pub = public_context(f, sources_by_origin)
            html = public_t.render(f=f, pub=pub, present=wf.present, cost_rows=COST_ROWS, sm=summary.public_summary(f, pub),
                                   public_why=summary.public_why,
                                   root="../", **common)
        else:
            f = program_figures(wf, program)
            cls = (f["notice"] or {}).get("data_origin_class")
            html = page_t.render(f=f, charts=program_charts(f), source_of=sources_by_origin, pathways=pathways_of.get(cls, []),
                                 sm=summary.curated_summary(f), cost_why=summary.cost_why, root="../", **common)
        jp = tmp / f"{pid}.json"
        jp.write_text(dumps(f), encoding="utf-8")
        hp = tmp / "programs" / f"{pid}.html"
        hp.write_text(html, encoding="utf-8")
        pages.append(hp)
        jsons.append(jp)
    (assets / "programs-data.js").write_text(index_data_js(wf), encoding="utf-8")
    real_pw = [pw for pw in wf.pathways if pw["data_origin_class"] != "synthetic"]
    synth_pw = [pw for pw in wf.pathways if pw["data_origin_class"] == "synthetic"]
    synthetic_notice = next((n["data_notice"] for n in wf.notices.values() if n.get("is_synthetic") and n.get("data_notice")), None)
    index = env.get_template("index.html.j2").render(real_pathways=real_pw, synthetic_pathways=synth_pw,
                                                     synthetic_notice=synthetic_notice, root="", banner=index_banner(wf), **common)
    (tmp / "index.html").write_text(index, encoding="utf-8")
    (tmp / "compare.html").write_text(env.get_template("compare.html.j2").render(root="", **common), encoding="utf-8")
    o = overview_context(wf)
    overview = env.get_template("overview.html.j2").render(o=o, root="", banner=o["banner"], **common)
    (tmp / "overview.html").write_text(overview, encoding="utf-8")
    render_people_like_me(env, tmp, getattr(wf, "peer_data", None), common)
    (tmp / MARKER).write_text(marker_text(wf.snapshot))
    return pages, jsons


def marker_text(snapshot: dict) -> str:
    """The marker file's text: which warehouse snapshot, built by which code and assumptions, the set shows."""
    return (f"report set built from warehouse snapshot {snapshot['warehouse_snapshot_id']} "
            f"(build {snapshot.get('build_fingerprint') or 'unknown'})\n")


def current_report_set(out_dir: Path, snapshot: dict) -> bool:
    """Whether ``out_dir`` already holds the whole report set of ``snapshot`` (same inputs, code and assumptions)."""
    try:
        return (out_dir / MARKER).read_text() == marker_text(snapshot) and (out_dir / "index.html").is_file()
    except OSError:
        return False


def build_reports(warehouse_path: Path | str | None = None, out_dir: Path | str | None = None, *,
                  limit: int | None = None) -> ReportResult:
    """Build every report from the published warehouse (read-only) into ``out_dir`` (replaced as a whole).

    ``limit``: only the first N programs by id (the benchmark's fixed page count)."""
    t0 = time.perf_counter()
    warehouse_path = Path(warehouse_path) if warehouse_path else settings.warehouse_path()
    out_dir = Path(out_dir) if out_dir else settings.reports_dir()
    if not warehouse_path.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse_path}: run `outcomes refresh` first")
    _check_replaceable(out_dir)
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        wf = load_warehouse(con, limit)
        wf.peer_data = peer_data(con)  # the "people like me" calculator's published peer table
    finally:
        con.close()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out_dir)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-{os.getpid()}-", dir=out_dir.parent))
    try:
        pages, jsons = render_reports(wf, tmp)
        _swap_in(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    rel = lambda ps: [out_dir / p.relative_to(tmp) for p in ps]  # noqa: E731
    return ReportResult(out_dir, out_dir / "index.html", rel(pages), rel(jsons),
                        wf.snapshot["warehouse_snapshot_id"], time.perf_counter() - t0)
