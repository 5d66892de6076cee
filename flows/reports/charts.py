"""Inline SVG charts for the reports, generated in Python (no chart library, no network).

Owns ``bar_chart``, ``interval_chart``, ``salary_box`` and ``heatmap``. Each returns markupsafe
``Markup``: every label is escaped here, the SVG has ``role="img"``, a ``<title>`` and a ``<desc>``,
and the page puts a data table beside it as the text alternative. Charts only place the values
they are given (scaling to pixels is drawing, not a figure); missing values are drawn as a
labelled gap ("suppressed" / "withheld"), never as zero.
"""

from __future__ import annotations

import itertools

from markupsafe import Markup, escape

_ids = itertools.count(1)
WIDTH = 440
INK, MUTED, ACCENT, ACCENT2, GRID = "#1a1a1a", "#555555", "#1f5fa8", "#b8461b", "#d0d0d0"


def _open(title: str, desc: str, height: int, n: int | None = None) -> tuple[str, list[str]]:
    n = next(_ids) if n is None else n
    tid, did = f"chart-t{n}", f"chart-d{n}"
    head = (f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
            f'aria-labelledby="{tid} {did}" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{tid}">{escape(title)}</title><desc id="{did}">{escape(desc)}</desc>')
    return head, []


def _text(x: float, y: float, s, anchor: str = "start", cls: str = "", fill: str = INK, size: int = 12) -> str:
    c = f' class="{cls}"' if cls else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" font-size="{size}"{c}>{escape(s)}</text>'


def bar_chart(title: str, desc: str, items: list[tuple[str, float | None, str]], max_value: float | None = None) -> Markup:
    """Horizontal bars: items are (label, value or None, value text). None draws a hatched 'withheld' bar."""
    row, top, label_w = 26, 8, 170
    height = top + row * len(items) + 8
    n = next(_ids)
    head, parts = _open(title, desc, height, n)
    vals = [v for _, v, _ in items if v is not None]
    vmax = max_value or (max(vals) if vals else 1) or 1
    span = WIDTH - label_w - 110
    for i, (label, value, text) in enumerate(items):
        y = top + i * row
        parts.append(_text(label_w - 8, y + 17, label, "end"))
        if value is None:
            parts.append(f'<rect x="{label_w}" y="{y + 5}" width="{span * 0.15:.1f}" height="16" fill="url(#hatch{n})" stroke="{MUTED}"/>')
            parts.append(_text(label_w + span * 0.15 + 6, y + 17, text, fill=MUTED))
        else:
            w = max(span * float(value) / vmax, 1.0) if value > 0 else 0.0
            parts.append(f'<rect x="{label_w}" y="{y + 5}" width="{w:.1f}" height="16" fill="{ACCENT}"/>')
            parts.append(_text(label_w + w + 6, y + 17, text))
    defs = (f'<defs><pattern id="hatch{n}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="{MUTED}" stroke-width="2"/></pattern></defs>')
    return Markup(head + defs + "".join(parts) + "</svg>")


def interval_chart(title: str, desc: str, items: list[tuple[str, float | None, float | None, float | None, str]],
                   lo: float = 0.0, hi: float = 1.0, percent: bool = True, marker: tuple[str, float] | None = None) -> Markup:
    """Dot-and-whisker rows: (label, estimate, lower, upper, value text). None estimate: 'withheld' text.

    ``marker``: an optional (label, value) vertical reference line (e.g. the pathway median).
    """
    row, top, label_w, right = 28, 24, 90, 160
    height = top + row * len(items) + 10
    head, parts = _open(title, desc, height)
    span = WIDTH - label_w - right
    def x(v: float) -> float:
        return label_w + span * (min(max(v, lo), hi) - lo) / ((hi - lo) or 1)
    for t in (0.0, 0.25, 0.5, 0.75, 1.0):
        v = lo + (hi - lo) * t
        parts.append(f'<line x1="{x(v):.1f}" y1="{top - 4}" x2="{x(v):.1f}" y2="{height - 6}" stroke="{GRID}"/>')
        parts.append(_text(x(v), top - 8, f"{v:.0%}" if percent else f"{v:,.0f}", "middle", fill=MUTED))
    if marker is not None and marker[1] is not None:
        parts.append(f'<line x1="{x(marker[1]):.1f}" y1="{top - 4}" x2="{x(marker[1]):.1f}" y2="{height - 6}" '
                     f'stroke="{ACCENT2}" stroke-dasharray="4 3" stroke-width="2"/>')
    for i, (label, est, low, up, text) in enumerate(items):
        y = top + i * row + 14
        parts.append(_text(label_w - 8, y + 4, label, "end"))
        if est is None:
            parts.append(_text(label_w, y + 4, text, fill=MUTED))
            continue
        if low is not None and up is not None:
            parts.append(f'<line x1="{x(low):.1f}" y1="{y}" x2="{x(up):.1f}" y2="{y}" stroke="{INK}" stroke-width="2"/>')
            for b in (low, up):
                parts.append(f'<line x1="{x(b):.1f}" y1="{y - 6}" x2="{x(b):.1f}" y2="{y + 6}" stroke="{INK}" stroke-width="2"/>')
        parts.append(f'<circle cx="{x(est):.1f}" cy="{y}" r="5" fill="{ACCENT}"/>')
        parts.append(_text(WIDTH - right + 8, y + 4, text))
    return Markup(head + "".join(parts) + "</svg>")


def salary_box(title: str, desc: str, p25: float, median: float, p75: float, ci: tuple[float | None, float | None],
               refs: list[tuple[str, float]]) -> Markup:
    """Box from p25 to p75 with the median line, the median's interval as a whisker, and reference ticks."""
    height = 120 + 18 * len(refs)
    head, parts = _open(title, desc, height)
    vals = [v for v in (p25, median, p75, *ci, *(r[1] for r in refs)) if v is not None]
    lo, hi = min(vals) * 0.92, max(vals) * 1.04
    left, span = 30, WIDTH - 60
    def x(v: float) -> float:
        return left + span * (v - lo) / ((hi - lo) or 1)
    parts.append(f'<rect x="{x(p25):.1f}" y="30" width="{max(x(p75) - x(p25), 1):.1f}" height="34" fill="#dbe7f5" stroke="{ACCENT}" stroke-width="2"/>')
    parts.append(f'<line x1="{x(median):.1f}" y1="26" x2="{x(median):.1f}" y2="68" stroke="{INK}" stroke-width="3"/>')
    if ci[0] is not None and ci[1] is not None:
        parts.append(f'<line x1="{x(ci[0]):.1f}" y1="78" x2="{x(ci[1]):.1f}" y2="78" stroke="{INK}" stroke-width="2"/>')
        parts.append(_text(x(median), 96, "95% interval of the median", "middle", fill=MUTED))
    parts.append(_text(x(p25), 20, f"p25 ${p25:,.0f}", "start" if x(p25) < WIDTH / 3 else "end"))
    parts.append(_text(x(p75), 20, f"p75 ${p75:,.0f}", "end" if x(p75) > 2 * WIDTH / 3 else "start"))
    for i, (label, v) in enumerate(refs):
        y = 112 + 18 * i
        parts.append(f'<line x1="{x(v):.1f}" y1="{y - 12}" x2="{x(v):.1f}" y2="{y + 2}" stroke="{ACCENT2}" stroke-width="3"/>')
        parts.append(_text(x(v) + 6 if x(v) < WIDTH / 2 else x(v) - 6, y, f"{label}: ${v:,.0f}",
                           "start" if x(v) < WIDTH / 2 else "end", fill=ACCENT2))
    return Markup(head + "".join(parts) + "</svg>")


def heatmap(title: str, desc: str, rows: list[str], cols: list[str], cells: dict[tuple[int, int], tuple[float | None, str]],
            good_low: bool = True) -> Markup:
    """A grid: cells[(row, col)] = (value for the colour scale, text). None value: grey 'never'."""
    label_w, top, cw, ch = 90, 40, (WIDTH - 90) / max(len(cols), 1), 34
    height = top + ch * len(rows) + 6
    head, parts = _open(title, desc, height)
    vals = [v for v, _ in cells.values() if v is not None]
    vmin, vmax = (min(vals), max(vals)) if vals else (0, 1)
    for j, c in enumerate(cols):
        parts.append(_text(label_w + cw * j + cw / 2, top - 12, c, "middle"))
    for i, r in enumerate(rows):
        parts.append(_text(label_w - 8, top + ch * i + ch / 2 + 5, r, "end"))
        for j in range(len(cols)):
            v, text = cells.get((i, j), (None, ""))
            if v is None:
                fill, ink = "#e6e6e6", INK
            else:
                t = (v - vmin) / ((vmax - vmin) or 1)
                t = 1 - t if good_low else t  # t = 1: best
                # from light orange (worst) to dark blue (best); text colour keeps contrast
                r_, g_, b_ = (int(253 + (31 - 253) * t), int(219 + (95 - 219) * t), int(199 + (168 - 199) * t))
                fill, ink = f"rgb({r_},{g_},{b_})", ("#ffffff" if t > 0.55 else INK)
            parts.append(f'<rect x="{label_w + cw * j:.1f}" y="{top + ch * i}" width="{cw - 2:.1f}" height="{ch - 2}" fill="{fill}"/>')
            parts.append(_text(label_w + cw * j + cw / 2, top + ch * i + ch / 2 + 4, text, "middle", fill=ink))
    return Markup(head + "".join(parts) + "</svg>")


#: Colours of the sources of a trajectory chart, in legend order (dark enough on white for text, 4.5:1).
SERIES = ("#1f5fa8", "#b8461b", "#2e7d32", "#6a3d9a", "#8c6d00")


def trajectory_chart(title: str, desc: str, series: list[tuple[str, list[tuple[float, float | None, float | None, float | None]]]],
                     y_label: str, x_label: str = "Years after graduation", height: int = 250, width: int = 360) -> Markup:
    """Earnings over years after graduation, one series per source.

    ``series``: (legend label, points) with points (years, p25, median, p75); a None median draws no
    dot (the table says why). The median is a dot joined by a line across a source's horizons; p25 to
    p75 is a vertical bar. Sources are offset a little along x so that their bars never overlap.
    Fixed pixel size (width and height attributes, text at 12 px), narrow enough for a phone: the page's
    CSS only shrinks it on screens narrower than ``width``.
    """
    left, right, top, legend_h = 64, 16, 28, 18 * len(series) + 4
    bottom = 44
    plot_h = height - top - bottom - legend_h
    n = next(_ids)
    tid, did = f"chart-t{n}", f"chart-d{n}"
    parts = [f'<svg class="chart fixed" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-labelledby="{tid} {did}" xmlns="http://www.w3.org/2000/svg">'
             f'<title id="{tid}">{escape(title)}</title><desc id="{did}">{escape(desc)}</desc>']
    xs = sorted({p[0] for _, pts in series for p in pts}) or [1.0]
    values = [v for _, pts in series for p in pts for v in p[1:] if v is not None]
    vmax = max(values) if values else 1.0
    step = next(s for s in (5_000, 10_000, 20_000, 25_000, 50_000, 100_000, 250_000, 10**9) if vmax / s <= 6)
    ymax = step * (int(vmax // step) + 1)
    span_x = width - left - right
    def x(years: float, k: int = 0) -> float:
        pos = (xs.index(years) + 0.5) / len(xs)
        return left + span_x * pos + (k - (len(series) - 1) / 2) * 14
    def y(v: float) -> float:
        return top + plot_h * (1 - v / ymax)
    v = 0
    while v <= ymax:
        parts.append(f'<line x1="{left}" y1="{y(v):.1f}" x2="{width - right}" y2="{y(v):.1f}" stroke="{GRID}"/>')
        parts.append(_text(left - 6, y(v) + 4, f"${v / 1000:,.0f}k", "end", fill=MUTED))
        v += step
    for yrs in xs:
        parts.append(_text(x(yrs), top + plot_h + 16, f"{yrs:g}", "middle"))
    parts.append(_text(left + span_x / 2, top + plot_h + 34, x_label, "middle"))
    parts.append(f'<text x="14" y="{top + plot_h / 2:.1f}" text-anchor="middle" fill="{INK}" font-size="12" '
                 f'transform="rotate(-90 14 {top + plot_h / 2:.1f})">{escape(y_label)}</text>')
    for k, (label, pts) in enumerate(series):
        colour = SERIES[k % len(SERIES)]
        line = []
        for yrs, p25, med, p75 in sorted(pts):
            if p25 is not None and p75 is not None:
                parts.append(f'<line x1="{x(yrs, k):.1f}" y1="{y(p25):.1f}" x2="{x(yrs, k):.1f}" y2="{y(p75):.1f}" '
                             f'stroke="{colour}" stroke-width="6" stroke-opacity="0.35"/>')
            if med is not None:
                line.append(f"{x(yrs, k):.1f},{y(med):.1f}")
                parts.append(f'<circle cx="{x(yrs, k):.1f}" cy="{y(med):.1f}" r="4" fill="{colour}"/>')
        if len(line) > 1:
            parts.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="{colour}" stroke-width="2"/>')
        ly = height - legend_h + 18 * k + 12
        parts.append(f'<rect x="{left}" y="{ly - 9}" width="12" height="10" fill="{colour}"/>')
        parts.append(_text(left + 18, ly, label))
    parts.append(_text(width - right, top - 10, "dot: median · bar: 25th to 75th percentile", "end", fill=MUTED))
    return Markup("".join(parts) + "</svg>")
