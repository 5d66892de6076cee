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
from flows.reports import charts
from flows.reports.data import WarehouseFigures, load_warehouse, program_figures
from schemas.tables.stats import NACE_SAME_AS_CIRR, PUBLISHED_NACE
from schemas.vocab import CIRR_CATEGORIES, NACE_CATEGORIES

TEMPLATES = Path(__file__).resolve().parent / "templates"
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
        return Markup('<data class="fig na" data-field="{}" value="">{}</data>').format(name, missing)
    raw = repr(value) if isinstance(value, float) else str(value)
    return Markup('<data class="fig" data-field="{}" value="{}">{}</data>').format(name, raw, fmt(value, kind))


def suppressed(row: dict | None, name: str) -> Markup:
    """The 'suppressed' badge with its reason (an absent row counts as 'no graduate records')."""
    reason = (row or {}).get("suppression_reason") or "no graduate records"
    return Markup('<span class="suppressed" data-field="{}" data-suppressed="true">suppressed</span> '
                  '<span class="reason">({})</span>').format(name, reason)


def json_for_html(obj) -> Markup:
    """JSON safe inside <script type="application/json">: '<', '>' and '&' as \\u escapes (no '</script>')."""
    text = json.dumps(obj, allow_nan=False, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def make_env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(fig=fig, fmt=fmt, suppressed=suppressed, CIRR=CIRR_CATEGORIES,
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


def render_reports(wf: WarehouseFigures, tmp: Path) -> tuple[list[Path], list[Path]]:
    env = make_env()
    page_t = env.get_template("program.html.j2")
    (tmp / "programs").mkdir(parents=True)
    base = {"snapshot": wf.snapshot, "sources": wf.sources}
    methodology = _methodology_page(env, {**base, "root": "", "has_methodology": True})
    if methodology:
        (tmp / "methodology.html").write_text(methodology, encoding="utf-8")
    pages, jsons, index_rows = [], [], []
    for program in wf.programs:
        f = program_figures(wf, program)
        pid = program["program_id"]
        doc = json.dumps(f, allow_nan=False, ensure_ascii=False, sort_keys=True, indent=1)
        jp = tmp / f"{pid}.json"
        jp.write_text(doc, encoding="utf-8")
        html = page_t.render(f=f, charts=program_charts(f), figures_json=json_for_html(f), root="../",
                             has_methodology=bool(methodology), **base)
        hp = tmp / "programs" / f"{pid}.html"
        hp.write_text(html, encoding="utf-8")
        pages.append(hp)
        jsons.append(jp)
        index_rows.append({"program": program, "costs": f["costs"], "notice": f["notice"], "placement": f["placement"]})
    index = env.get_template("index.html.j2").render(rows=index_rows, pathways=wf.pathways, root="",
                                                     has_methodology=bool(methodology), **base)
    (tmp / "index.html").write_text(index, encoding="utf-8")
    (tmp / MARKER).write_text(f"report set built from warehouse snapshot {wf.snapshot['warehouse_snapshot_id']}\n")
    return pages, jsons


def build_reports(warehouse_path: Path | str | None = None, out_dir: Path | str | None = None) -> ReportResult:
    """Build every report from the published warehouse (read-only) into ``out_dir`` (replaced as a whole)."""
    t0 = time.perf_counter()
    warehouse_path = Path(warehouse_path) if warehouse_path else settings.warehouse_path()
    out_dir = Path(out_dir) if out_dir else settings.reports_dir()
    if not warehouse_path.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse_path}: run `outcomes refresh` first")
    _check_replaceable(out_dir)
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        wf = load_warehouse(con)
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
