"""Write the report set: ``index.html``, ``programs/<program-id>.html``, ``<program-id>.json``.

Owns ``build_reports(warehouse_path, out_dir) -> ReportResult``. Reads the published warehouse
read-only (``flows.reports.data``), renders Jinja2 templates with autoescape on, draws inline SVG
charts (``flows.reports.charts``) and replaces the whole set at once: everything is written to a
temporary folder beside ``out_dir`` which then takes its place, so a reader never sees a mix of two
runs. A report computes no numbers: every figure is a warehouse cell, formatted for display.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from flows import settings
from flows.reports.peers_page import peer_data, render_people_like_me
from flows.reports import charts
from flows.reports.data import WarehouseFigures, is_public, load_warehouse, program_figures, public_program_figures
from schemas.tables.stats import NACE_SAME_AS_CIRR, PUBLISHED_NACE
from flows.sources.public_programs import CIP2_TITLES, CREDENTIAL_WORDS
from schemas.vocab import CIRR_CATEGORIES, DATA_ORIGIN_CLASSES, NACE_CATEGORIES

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"  # shared CSS and JS, copied to <out>/assets/
MARKER = ".outcomes-reports"  # a folder holding this file is a report set this module may replace
KEEP = (".gitkeep",)
METHODOLOGY = Path("docs") / "METHODOLOGY.md"


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


def make_env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(fig=fig, fmt=fmt, suppressed=suppressed, source_name=source_name, CREDENTIAL_WORDS=CREDENTIAL_WORDS,
                       ORIGIN_CLASSES=DATA_ORIGIN_CLASSES, CIRR=CIRR_CATEGORIES,
                       NACE={c: NACE_CATEGORIES[c] for c in PUBLISHED_NACE}, NACE_SAME_AS_CIRR=NACE_SAME_AS_CIRR)
    env.filters["fmt"] = fmt
    env.filters["label"] = lambda v: "unknown" if v is None else str(v).replace("_", " ")
    return env


# --- charts of one program page -------------------------------------------------------------
def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


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
            items.append((_short(f"{code} {desc}", 21), v, fmt(v, "int") if v is not None else "withheld (small n)"))
        out["cirr"] = charts.bar_chart(f"Outcome categories (CIRR) of {name}",
                                       "Graduates per CIRR outcome category; the data table follows the chart.", items)
        rates = [(lbl, p.get(k), p.get(k + "_lower"), p.get(k + "_upper"),
                  _rate_text(p, k) if p.get(k) is not None else "withheld (small n)")
                 for lbl, k in (("Collection", "employed_in_field_rate"), ("By day 90", "employed_in_field_90d_rate"),
                                ("By day 180", "employed_in_field_180d_rate"), ("Knowledge", "knowledge_rate"))]
        pm = f["pathway_median"]
        out["rates"] = charts.interval_chart(
            f"Employed in field and knowledge rate of {name}, with 95% Wilson intervals",
            "Dots are rates, whiskers their 95% intervals; the dashed line is the pathway's median program at 180 days.",
            rates, marker=("pathway median", pm.get("pathway_median_in_field_180d_rate") if pm else None))
    if s and not s["is_suppressed"] and s.get("median_base_salary_usd") is not None:
        refs = []
        if f["pathway_median"] and f["pathway_median"].get("pathway_median_salary_usd") is not None:
            refs.append(("Pathway median", f["pathway_median"]["pathway_median_salary_usd"]))
        seen = set()
        for w in f["role_wages"]:
            if w.get("bls_national_median_usd") is not None and w["soc_code"] not in seen:
                seen.add(w["soc_code"])
                refs.append((_short(f"BLS {w['soc_title'] or w['soc_code']}", 22), w["bls_national_median_usd"]))
        out["salary"] = charts.salary_box(
            f"Base salary distribution of in-field graduates of {name}",
            "Box from the 25th to the 75th percentile, thick line at the median, whisker the median's 95% interval; "
            "orange ticks are reference medians (pathway, BLS national).",
            s["salary_p25_usd"], s["median_base_salary_usd"], s["salary_p75_usd"],
            (s.get("median_salary_ci_lower_usd"), s.get("median_salary_ci_upper_usd")), refs[:4])
    cohorts = [row["placement"] for row in f["by_cohort"]]
    if cohorts:
        out["cohorts"] = charts.interval_chart(
            f"Employed in field by day 180, by cohort, {name}",
            "One row per graduation cohort (half-year); suppressed cohorts are labelled.",
            [(r["cohort"] or str(r["graduation_year"]), None if r["is_suppressed"] else r.get("employed_in_field_180d_rate"),
              r.get("employed_in_field_180d_rate_lower"), r.get("employed_in_field_180d_rate_upper"),
              "suppressed" if r["is_suppressed"] else (_rate_text(r, "employed_in_field_180d_rate")
                                                       if r.get("employed_in_field_180d_rate") is not None
                                                       else r.get("window_rates_note") or "withheld (small n)"))
             for r in cohorts])
    if f["prior_background"]:
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
            [f"loan {r:.2%}" for r in rates], [f"×{x:g}" for x in factors], cells)
    return out


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


def _methodology_page(env: Environment, ctx: dict) -> str | None:
    path = settings.PROJECT_ROOT / METHODOLOGY
    if not path.exists():
        return None
    from markdown_it import MarkdownIt
    from markupsafe import Markup

    # CommonMark with tables; raw HTML in the Markdown is escaped, not passed through ("html": False).
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(path.read_text(encoding="utf-8"))
    return env.get_template("methodology.html.j2").render(body=Markup(html), **ctx)


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
    other = [{"data_origin": o["data_origin"], "name": source_name(o["data_origin"]), "measure": o["measure"],
              "label": OTHER_MEASURES[o["measure"]][0], "kind": OTHER_MEASURES[o["measure"]][1], "grad_cohort": o["grad_cohort"],
              "value": o["value_constant_dollars"] if OTHER_MEASURES[o["measure"]][1] == "usd" else o["value"],
              "n": o["value_count"], "why": _why(o)}
             for o in f["public_outcomes"] if o["measure"] in OTHER_MEASURES]
    used = [o.strip() for o in (pp.get("public_sources") or "").split(";") if o.strip()]
    return {"earnings": earnings, "chart": chart, "dollar_year": year, "other": other,
            "mixed_cohorts": ", ".join(sorted({e["name"] for e in earnings if e["mixed"]})),
            "graduate": prog.get("pathway") in ("masters", "phd"),
            "sources": [{"name": source_name(o), **{k: (sources.get(o) or {}).get(k) for k in ("snapshot_id", "fetched_at")}} for o in used]}


# --- the index's program list ------------------------------------------------------------------
INDEX_COLUMNS = ("id", "name", "institution", "state", "pathway", "cip", "origin_class", "synthetic", "earnings_source",
                 "earnings_1y", "earnings_5y", "earnings_10y", "earnings_n", "debt", "in_field_180d", "salary", "payback", "graduates")


def index_row(wf: WarehouseFigures, program: dict, strings: dict[str, int]) -> list:
    """One program of the index list: figures as read from the tables, texts as indexes into a string table."""
    def sid(text):
        return None if text is None else strings.setdefault(text, len(strings))
    pid = program["program_id"]
    notice = wf.notices.get(pid) or {}
    src = e1 = e5 = e10 = n = debt = None
    if is_public(program):
        earnings = public_earnings_rows(wf.public_outcomes.get(pid, []))
        for origin in INDEX_SOURCE_ORDER + tuple(sorted({e["data_origin"] for e in earnings})):
            by_h = latest_by_horizon(earnings, origin)
            if any(e["median"] is not None for e in by_h.values()):
                src = origin
                e1, e5, e10 = ((by_h.get(h) or {}).get("median") for h in (1, 5, 10))
                n = next((by_h[h]["n"] for h in sorted(by_h) if by_h[h]["median"] is not None), None)
                break
        debt = next((o["value_constant_dollars"] for o in wf.public_outcomes.get(pid, []) if o["measure"] == "debt_median"
                     and o["value_constant_dollars"] is not None), None)
    c = wf.costs.get(pid)
    published = c is not None and not c.get("is_suppressed")
    pc = wf.public_costs.get(pid) or {}
    payback = c.get("payback_years") if published else pc.get("payback_years")
    def r(v, digits):  # display precision of the list (the page shows the table's value)
        return None if v is None else (round(v) if digits == 0 else round(v, digits))
    row = [pid, sid(program["program_name"]), sid(program["institution_name"]), program.get("state_code"), program.get("pathway"),
           program.get("cip_code"), notice.get("data_origin_class"), 1 if notice.get("is_synthetic") else 0, src, r(e1, 0), r(e5, 0),
           r(e10, 0), n, r(debt, 0), r(c.get("employed_in_field_180d_rate"), 4) if published else None,
           r(c.get("median_base_salary_usd"), 0) if published else None, r(payback, 2), c.get("graduates") if published else None]
    while row[-1] is None:  # trailing empty cells are left out (a shorter row reads as null)
        row.pop()
    return row


def index_data_js(wf: WarehouseFigures) -> str:
    """The index's program list as a script (loads from file:// where fetch of JSON cannot): JSON, '<' escaped."""
    strings: dict[str, int] = {}
    rows = [index_row(wf, p, strings) for p in wf.programs]
    doc = {"columns": list(INDEX_COLUMNS), "strings": list(strings), "rows": rows,
           "sources": {o: source_name(o) for o in INDEX_SOURCE_ORDER},
           "cip_families": CIP2_TITLES, "origin_classes": {k: v.split(" (")[0].split(":")[0] for k, v in DATA_ORIGIN_CLASSES.items()},
           "warehouse_snapshot_id": wf.snapshot["warehouse_snapshot_id"]}
    return "/* Program list of index.html (generated; JSON data). */\nwindow.OUTCOMES_INDEX = " + str(json_for_html(doc, compact=True)) + ";\n"


# --- the overview page -------------------------------------------------------------------------
#: Sections of the overview, in page order (out_answers__statements.section).
OVERVIEW_SECTIONS = (
    ("peer_outcomes", "What graduates of these programs earn"), ("premium", "Premium over a bachelor's degree"),
    ("cost", "What it costs"), ("payback", "How long it takes to pay back"), ("loan_risk", "Loan risk"),
    ("flexible_options", "Flexible (online) options"), ("part_time_options", "Part-time options"),
    ("alternatives", "Alternatives to a master's"),
)
UNIT_KIND = {"usd": "usd", "ratio": "ratio", "years": "years", "share": "pct", "count": "int"}


def overview_context(wf: WarehouseFigures) -> dict:
    missing = [t for t in ("out_answers__statements", "out_answers__peer_earnings") if t not in wf.present]
    by_section: dict[str, list[dict]] = {}
    for st in wf.statements:
        by_section.setdefault(st["section"], []).append(st)
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
    return {"sections": OVERVIEW_SECTIONS + tuple((k, k.replace("_", " ").capitalize()) for k in unknown),
            "by_section": by_section, "peer": peer, "missing": missing, "unit_kind": UNIT_KIND}


def render_reports(wf: WarehouseFigures, tmp: Path) -> tuple[list[Path], list[Path]]:
    env = make_env()
    page_t = env.get_template("program.html.j2")
    public_t = env.get_template("public_program.html.j2")
    (tmp / "programs").mkdir(parents=True)
    assets = tmp / "assets"
    assets.mkdir()
    for path in sorted(STATIC.iterdir()):
        if path.suffix in (".css", ".js"):
            shutil.copyfile(path, assets / path.name)
    base = {"snapshot": wf.snapshot, "sources": wf.sources}
    methodology = _methodology_page(env, {**base, "root": "", "has_methodology": True})
    if methodology:
        (tmp / "methodology.html").write_text(methodology, encoding="utf-8")
    common = {**base, "has_methodology": bool(methodology)}
    sources_by_origin = {s["data_origin"]: s for s in wf.sources}
    (tmp / "sources.html").write_text(env.get_template("sources.html.j2").render(root="", **common), encoding="utf-8")
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
            html = public_t.render(f=f, pub=public_context(f, sources_by_origin), present=wf.present, cost_rows=COST_ROWS,
                                   root="../", **common)
        else:
            f = program_figures(wf, program)
            cls = (f["notice"] or {}).get("data_origin_class")
            html = page_t.render(f=f, charts=program_charts(f), source_of=sources_by_origin, pathways=pathways_of.get(cls, []),
                                 root="../", **common)
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
                                                     synthetic_notice=synthetic_notice, root="", **common)
    (tmp / "index.html").write_text(index, encoding="utf-8")
    overview = env.get_template("overview.html.j2").render(o=overview_context(wf), root="", **common)
    (tmp / "overview.html").write_text(overview, encoding="utf-8")
    render_people_like_me(env, tmp, getattr(wf, "peer_data", None), common)
    (tmp / MARKER).write_text(f"report set built from warehouse snapshot {wf.snapshot['warehouse_snapshot_id']}\n")
    return pages, jsons


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
