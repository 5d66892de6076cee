"""Inline SVG charts for the reports, generated in Python (no chart library, no network).

Owns ``bar_chart``, ``interval_chart``, ``salary_box``, ``heatmap`` and ``trajectory_chart``. Each returns
markupsafe ``Markup``: a ``<figure>`` with a visible title (``<figcaption>``), the SVG and an HTML legend
naming every mark and every reference line. Every label is escaped here; the SVG has ``role="img"``, a
``<title>`` and a ``<desc>``, and the page puts a data table beside it as the text alternative.

Text never scales with the page: every SVG is drawn at a fixed pixel size (``width``/``height`` equal to
its viewBox, at most ``WIDTH`` = 356 px, the content width of a 390 px phone) with text at ``FONT`` px;
the page's CSS only shrinks it (``max-width:100%``) on a screen narrower still. Labels are never cut
silently: ``wrap`` breaks them onto at most two lines and, when a label is still too long, abbreviates it
with "…" and keeps the full text in a ``<title>`` (a tooltip) of that ``<text>``.

Charts only place the values they are given (scaling to pixels is drawing, not a figure); missing
values are drawn as a labelled gap ("suppressed" / "withheld"), never as zero.
"""

from __future__ import annotations

import itertools
import math

from markupsafe import Markup, escape

_ids = itertools.count(1)
#: Drawing width in px: fits the 358 px content column of a 390 px phone, so nothing is scaled there.
WIDTH = 356
#: Font size of chart text in px (fixed at every page width).
FONT = 12
#: Average advance of a character at FONT px in the page's sans-serif (conservative), for wrapping.
CHAR_PX = 6.6
INK, MUTED, ACCENT, ACCENT2, GRID = "#1a1a1a", "#555555", "#1f5fa8", "#b8461b", "#d0d0d0"


# --- text -------------------------------------------------------------------------------------
def wrap(text: str, width_px: float, lines: int = 2) -> tuple[list[str], bool]:
    """Break ``text`` into at most ``lines`` lines of at most ``width_px`` (at FONT px). Returns (lines,
    abbreviated): when the text does not fit, the last line ends in "…" and ``abbreviated`` is True."""
    limit = max(int(width_px / CHAR_PX), 4)
    words, out, cur = str(text).split(), [], ""
    for w in words:
        while len(w) > limit:  # a single word longer than a line: break it
            if cur:
                out.append(cur)
                cur = ""
            out.append(w[:limit])
            w = w[limit:]
        if not cur:
            cur = w
        elif len(cur) + 1 + len(w) <= limit:
            cur += " " + w
        else:
            out.append(cur)
            cur = w
    if cur:
        out.append(cur)
    if len(out) <= lines:
        return out or [""], False
    kept = out[:lines]
    last = kept[-1]
    kept[-1] = (last if len(last) < limit else last[: limit - 1].rstrip()) + "…"
    return kept, True


def _text(x: float, y: float, s, anchor: str = "start", cls: str = "", fill: str = INK, weight: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    w = f' font-weight="{weight}"' if weight else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" font-size="{FONT}"{w}{c}>{escape(s)}</text>'


def _label(x: float, y: float, text: str, width_px: float, anchor: str = "end", fill: str = INK, lines: int = 2,
           line_h: float = 14.0) -> str:
    """A label wrapped onto up to ``lines`` lines centred on ``y``; abbreviated labels carry the full text in <title>."""
    parts, cut = wrap(text, width_px, lines)
    y0 = y - (len(parts) - 1) * line_h / 2
    tip = f"<title>{escape(text)}</title>" if cut else ""
    spans = "".join(f'<tspan x="{x:.1f}" y="{y0 + i * line_h:.1f}">{escape(p)}</tspan>' for i, p in enumerate(parts))
    return f'<text text-anchor="{anchor}" fill="{fill}" font-size="{FONT}">{tip}{spans}</text>'


# --- frame: figure, title, legend -------------------------------------------------------------
def _svg(title: str, desc: str, height: float, n: int, width: int = WIDTH) -> str:
    tid, did = f"chart-t{n}", f"chart-d{n}"
    return (f'<svg class="chart fixed" viewBox="0 0 {width} {height:.0f}" width="{width}" height="{height:.0f}" role="img" '
            f'aria-labelledby="{tid} {did}" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">'
            f'<title id="{tid}">{escape(title)}</title><desc id="{did}">{escape(desc)}</desc>')


#: Legend keys (24 x 12 px icons): kind -> SVG drawing with {c} the colour.
_KEYS = {
    "bar": '<rect x="2" y="2" width="20" height="8" fill="{c}"/>',
    "hatch": '<rect x="2" y="2" width="20" height="8" fill="#ffffff" stroke="{c}"/><line x1="6" y1="10" x2="12" y2="2" stroke="{c}"/>'
             '<line x1="14" y1="10" x2="20" y2="2" stroke="{c}"/>',
    "dot": '<circle cx="12" cy="6" r="4" fill="{c}"/>',
    "whisker": '<line x1="2" y1="6" x2="22" y2="6" stroke="{c}" stroke-width="2"/><line x1="2" y1="1" x2="2" y2="11" stroke="{c}" '
               'stroke-width="2"/><line x1="22" y1="1" x2="22" y2="11" stroke="{c}" stroke-width="2"/>',
    "dashed": '<line x1="12" y1="0" x2="12" y2="12" stroke="{c}" stroke-width="2" stroke-dasharray="3 2"/>',
    "tick": '<line x1="12" y1="0" x2="12" y2="12" stroke="{c}" stroke-width="3"/>',
    "median": '<line x1="12" y1="0" x2="12" y2="12" stroke="{c}" stroke-width="3"/>',
    "box": '<rect x="2" y="1" width="20" height="10" fill="#dbe7f5" stroke="{c}" stroke-width="2"/>',
    "range": '<line x1="12" y1="0" x2="12" y2="12" stroke="{c}" stroke-width="6" stroke-opacity="0.35"/>',
    "line": '<line x1="2" y1="6" x2="22" y2="6" stroke="{c}" stroke-width="2"/><circle cx="12" cy="6" r="3.5" fill="{c}"/>',
    "swatch": '<rect x="2" y="1" width="20" height="10" fill="{c}" stroke="#888888"/>',
}


def _legend(items: list[tuple[str, str, str]]) -> str:
    """HTML legend: (kind, colour, text) per mark or reference line."""
    if not items:
        return ""
    lis = "".join(f'<li><svg class="key" width="24" height="12" viewBox="0 0 24 12" aria-hidden="true" focusable="false">'
                  f'{_KEYS[k].format(c=c)}</svg> {escape(t)}</li>' for k, c, t in items)
    return f'<ul class="legend" aria-label="Legend">{lis}</ul>'


def _figure(title: str, svg: str, legend: list[tuple[str, str, str]], cls: str = "") -> Markup:
    return Markup(f'<figure class="chart-fig{" " + cls if cls else ""}"><figcaption class="chart-title">{escape(title)}</figcaption>'
                  f'{svg}{_legend(legend)}</figure>')


def _nice_step(span: float, target: int = 4) -> float:
    """A round tick step giving about ``target`` intervals over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / target
    mag = 10 ** math.floor(math.log10(raw))
    return next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)


def _usd_k(v: float) -> str:
    return f"${v / 1000:,.0f}k" if abs(v) >= 1000 else f"${v:,.0f}"


# --- charts -----------------------------------------------------------------------------------
def bar_chart(title: str, desc: str, items: list[tuple[str, float | None, str]], max_value: float | None = None,
              x_label: str = "Graduates (count)") -> Markup:
    """Horizontal bars: items are (label, value or None, value text). None draws a hatched 'withheld' bar."""
    row, top, label_w = 46, 8, 170
    n = next(_ids)
    height = top + row * len(items) + 30
    parts = []
    vals = [v for _, v, _ in items if v is not None]
    vmax = max_value or (max(vals) if vals else 1) or 1
    span = WIDTH - label_w - 64
    for i, (label, value, text) in enumerate(items):
        y = top + i * row + row / 2
        parts.append(_label(label_w - 8, y + 4, label, label_w - 12, lines=3))
        if value is None:
            parts.append(f'<rect x="{label_w}" y="{y - 8:.1f}" width="{span * 0.15:.1f}" height="16" fill="url(#hatch{n})" stroke="{MUTED}"/>')
            parts.append(_label(label_w + span * 0.15 + 6, y + 4, text, WIDTH - label_w - span * 0.15 - 8, "start", MUTED))
        else:
            w = max(span * float(value) / vmax, 1.0) if value > 0 else 0.0
            parts.append(f'<rect x="{label_w}" y="{y - 8:.1f}" width="{w:.1f}" height="16" fill="{ACCENT}"/>')
            parts.append(_text(label_w + w + 6, y + 4, text))
    base = top + row * len(items)
    parts.append(f'<line x1="{label_w}" y1="{top}" x2="{label_w}" y2="{base}" stroke="{MUTED}"/>')
    parts.append(_text(label_w + span / 2, base + 20, x_label, "middle", fill=MUTED))
    defs = (f'<defs><pattern id="hatch{n}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="{MUTED}" stroke-width="2"/></pattern></defs>')
    legend = [("bar", ACCENT, "graduates in the category (count at the bar's end)")]
    if any(v is None for _, v, _ in items):
        legend.append(("hatch", MUTED, "withheld: a count between 1 and k−1 (small-cell rule)"))
    return _figure(title, _svg(title, desc, height, n) + defs + "".join(parts) + "</svg>", legend)


def interval_chart(title: str, desc: str, items: list[tuple[str, float | None, float | None, float | None, str]],
                   lo: float = 0.0, hi: float = 1.0, percent: bool = True, marker: tuple[str, float] | None = None,
                   x_label: str = "Share of graduates (%)") -> Markup:
    """Dot-and-whisker rows: (label, estimate, lower, upper, value text). None estimate: the text instead.

    The value text is written under each dot. ``marker``: an optional (label, value) vertical reference
    line (e.g. the pathway median), dashed and named in the legend with its value.
    """
    row, top, label_w, right = 40, 26, 96, 24
    n = next(_ids)
    height = top + row * len(items) + 28
    parts = []
    span = WIDTH - label_w - right
    def x(v: float) -> float:
        return label_w + span * (min(max(v, lo), hi) - lo) / ((hi - lo) or 1)
    bottom = top + row * len(items)
    for t in (0.0, 0.25, 0.5, 0.75, 1.0):
        v = lo + (hi - lo) * t
        parts.append(f'<line x1="{x(v):.1f}" y1="{top - 4}" x2="{x(v):.1f}" y2="{bottom}" stroke="{GRID}"/>')
        parts.append(_text(x(v), top - 10, f"{v:.0%}" if percent else f"{v:,.0f}", "middle", fill=MUTED))
    parts.append(_text(label_w + span / 2, bottom + 20, x_label, "middle", fill=MUTED))
    legend = [("dot", ACCENT, "rate"), ("whisker", INK, "95% interval (Wilson)")]
    if marker is not None and marker[1] is not None:
        parts.append(f'<line x1="{x(marker[1]):.1f}" y1="{top - 4}" x2="{x(marker[1]):.1f}" y2="{bottom}" '
                     f'stroke="{ACCENT2}" stroke-dasharray="4 3" stroke-width="2"/>')
        legend.append(("dashed", ACCENT2, f"{marker[0]}: {marker[1]:.1%}" if percent else f"{marker[0]}: {marker[1]:,.0f}"))
    for i, (label, est, low, up, text) in enumerate(items):
        y = top + i * row + 14
        parts.append(_label(label_w - 8, y + 8, label, label_w - 12))
        if est is None:
            parts.append(_label(label_w + 4, y + 8, text, span - 8, "start", MUTED))
            continue
        if low is not None and up is not None:
            parts.append(f'<line x1="{x(low):.1f}" y1="{y}" x2="{x(up):.1f}" y2="{y}" stroke="{INK}" stroke-width="2"/>')
            for b in (low, up):
                parts.append(f'<line x1="{x(b):.1f}" y1="{y - 6}" x2="{x(b):.1f}" y2="{y + 6}" stroke="{INK}" stroke-width="2"/>')
        parts.append(f'<circle cx="{x(est):.1f}" cy="{y}" r="5" fill="{ACCENT}"/>')
        tx = min(max(x(est), label_w + 4), WIDTH - right)
        anchor = "start" if tx < label_w + span * 0.35 else ("end" if tx > label_w + span * 0.65 else "middle")
        parts.append(_text(label_w + 2 if anchor == "start" else (WIDTH - right if anchor == "end" else tx), y + 20, text, anchor))
    return _figure(title, _svg(title, desc, height, n) + "".join(parts) + "</svg>", legend)


def salary_box(title: str, desc: str, p25: float, median: float, p75: float, ci: tuple[float | None, float | None],
               refs: list[tuple[str, float]]) -> Markup:
    """Box from p25 to p75 with the median line (labelled with its value), the median's interval as a
    whisker, a dollar axis with ticks, and reference medians as lettered ticks named in the legend."""
    n = next(_ids)
    left, right, box_top = 26, 26, 34
    ref_top = 118
    height = ref_top + 18 * len(refs) + 36
    vals = [v for v in (p25, median, p75, *ci, *(r[1] for r in refs)) if v is not None]
    step = _nice_step(max(vals) - min(vals) or max(vals) * 0.2, 4)
    lo = math.floor(min(vals) * 0.97 / step) * step
    hi = math.ceil(max(vals) * 1.02 / step) * step
    span = WIDTH - left - right
    def x(v: float) -> float:
        return left + span * (v - lo) / ((hi - lo) or 1)
    parts = []
    axis_y = ref_top + 18 * len(refs) + 2
    t = lo
    while t <= hi + 1e-9:
        parts.append(f'<line x1="{x(t):.1f}" y1="{box_top - 6}" x2="{x(t):.1f}" y2="{axis_y}" stroke="{GRID}"/>')
        parts.append(_text(x(t), axis_y + 14, _usd_k(t), "middle", fill=MUTED))
        t += step
    parts.append(_text(left + span / 2, axis_y + 30, "Annual base salary (US$)", "middle", fill=MUTED))
    parts.append(f'<rect x="{x(p25):.1f}" y="{box_top}" width="{max(x(p75) - x(p25), 1):.1f}" height="30" fill="#dbe7f5" '
                 f'stroke="{ACCENT}" stroke-width="2"/>')
    parts.append(f'<line x1="{x(median):.1f}" y1="{box_top - 4}" x2="{x(median):.1f}" y2="{box_top + 34}" stroke="{INK}" stroke-width="3"/>')
    m_anchor = "start" if x(median) < WIDTH * 0.3 else ("end" if x(median) > WIDTH * 0.7 else "middle")
    parts.append(_text(x(median), box_top - 10, f"median ${median:,.0f}", m_anchor, weight="600"))
    if ci[0] is not None and ci[1] is not None:
        parts.append(f'<line x1="{x(ci[0]):.1f}" y1="{box_top + 44}" x2="{x(ci[1]):.1f}" y2="{box_top + 44}" stroke="{INK}" stroke-width="2"/>')
        for b in ci:
            parts.append(f'<line x1="{x(b):.1f}" y1="{box_top + 39}" x2="{x(b):.1f}" y2="{box_top + 49}" stroke="{INK}" stroke-width="2"/>')
    parts.append(_text(x(p25) - 4, box_top + 66, f"p25 ${p25:,.0f}", "end" if x(p25) > WIDTH * 0.3 else "start", fill=INK))
    parts.append(_text(x(p75) + 4, box_top + 80, f"p75 ${p75:,.0f}", "start" if x(p75) < WIDTH * 0.7 else "end", fill=INK))
    legend = [("box", ACCENT, f"25th to 75th percentile (${p25:,.0f} – ${p75:,.0f})"), ("median", INK, f"median ${median:,.0f}")]
    if ci[0] is not None and ci[1] is not None:
        legend.append(("whisker", INK, f"95% interval of the median (${ci[0]:,.0f} – ${ci[1]:,.0f})"))
    for i, (label, v) in enumerate(refs):
        y = ref_top + 18 * i
        letter = "ABCDEFGH"[i]
        parts.append(f'<line x1="{x(v):.1f}" y1="{y - 12}" x2="{x(v):.1f}" y2="{y + 2}" stroke="{ACCENT2}" stroke-width="3"/>')
        parts.append(_text(x(v) + 6 if x(v) < WIDTH / 2 else x(v) - 6, y, f"{letter} {_usd_k(v)}",
                           "start" if x(v) < WIDTH / 2 else "end", fill=ACCENT2))
        legend.append(("tick", ACCENT2, f"{letter}: {label}: ${v:,.0f}"))
    return _figure(title, _svg(title, desc, height, n) + "".join(parts) + "</svg>", legend)


def heatmap(title: str, desc: str, rows: list[str], cols: list[str], cells: dict[tuple[int, int], tuple[float | None, str]],
            good_low: bool = True, row_label: str = "Loan interest rate",
            col_label: str = "Salary as a share of the observed median") -> Markup:
    """A grid: cells[(row, col)] = (value for the colour scale, text). None value: grey 'never'."""
    n = next(_ids)
    label_w, top, ch = 74, 44, 30
    cw = (WIDTH - label_w) / max(len(cols), 1)
    height = top + ch * len(rows) + 6
    parts = [_text(label_w + (WIDTH - label_w) / 2, 14, col_label, "middle", fill=MUTED)]
    parts.append(f'<text x="12" y="{top + ch * len(rows) / 2:.1f}" text-anchor="middle" fill="{MUTED}" font-size="{FONT}" '
                 f'transform="rotate(-90 12 {top + ch * len(rows) / 2:.1f})">{escape(row_label)}</text>')
    vals = [v for v, _ in cells.values() if v is not None]
    vmin, vmax = (min(vals), max(vals)) if vals else (0, 1)
    def colour(t: float) -> tuple[str, str]:
        r_, g_, b_ = (int(253 + (31 - 253) * t), int(219 + (95 - 219) * t), int(199 + (168 - 199) * t))
        return f"rgb({r_},{g_},{b_})", ("#ffffff" if t > 0.55 else INK)
    for j, c in enumerate(cols):
        parts.append(_text(label_w + cw * j + cw / 2, top - 10, c, "middle"))
    for i, r in enumerate(rows):
        parts.append(_text(label_w - 6, top + ch * i + ch / 2 + 4, r, "end"))
        for j in range(len(cols)):
            v, text = cells.get((i, j), (None, ""))
            if v is None:
                fill, ink = "#e6e6e6", INK
            else:
                t = (v - vmin) / ((vmax - vmin) or 1)
                fill, ink = colour(1 - t if good_low else t)  # t = 1: best
            parts.append(f'<rect x="{label_w + cw * j:.1f}" y="{top + ch * i}" width="{cw - 2:.1f}" height="{ch - 2}" fill="{fill}"/>')
            parts.append(_text(label_w + cw * j + cw / 2, top + ch * i + ch / 2 + 4, text, "middle", fill=ink))
    fast, slow = (vmin, vmax) if good_low else (vmax, vmin)
    legend = [("swatch", colour(1.0)[0], f"fastest payback ({fast:.1f} years)"),
              ("swatch", colour(0.5)[0], "in between"),
              ("swatch", colour(0.0)[0], f"slowest payback ({slow:.1f} years)")] if vals else []
    if any(v is None for v, _ in cells.values()) or len(cells) < len(rows) * len(cols):
        legend.append(("swatch", "#e6e6e6", "never: the gain is not positive"))
    return _figure(title, _svg(title, desc, height, n) + "".join(parts) + "</svg>", legend)


#: Colours of the sources of a trajectory chart, in legend order (dark enough on white for text, 4.5:1).
SERIES = ("#1f5fa8", "#b8461b", "#2e7d32", "#6a3d9a", "#8c6d00")


def trajectory_chart(title: str, desc: str, series: list[tuple[str, list[tuple[float, float | None, float | None, float | None]]]],
                     y_label: str, x_label: str = "Years after graduation", height: int = 230, width: int = WIDTH) -> Markup:
    """Earnings over years after graduation, one series per source.

    ``series``: (legend label, points) with points (years, p25, median, p75); a None median draws no
    dot (the table says why). The median is a dot joined by a line across a source's horizons; p25 to
    p75 is a vertical bar. Sources are offset a little along x so that their bars never overlap.
    The y-axis label is written across the top of the plot (never rotated and cut); the legend is HTML.
    """
    left, right, top, bottom = 52, 12, 34, 44
    plot_h = height - top - bottom
    n = next(_ids)
    parts = []
    xs = sorted({p[0] for _, pts in series for p in pts}) or [1.0]
    values = [v for _, pts in series for p in pts for v in p[1:] if v is not None]
    vmax = max(values) if values else 1.0
    step = next(s for s in (5_000, 10_000, 20_000, 25_000, 50_000, 100_000, 250_000, 10**9) if vmax / s <= 5)
    ymax = step * (int(vmax // step) + 1)
    span_x = width - left - right
    def x(years: float, k: int = 0) -> float:
        pos = (xs.index(years) + 0.5) / len(xs)
        return left + span_x * pos + (k - (len(series) - 1) / 2) * 12
    def y(v: float) -> float:
        return top + plot_h * (1 - v / ymax)
    parts.append(_label(4, 12, y_label, width - 8, "start", MUTED, lines=1))
    v = 0
    while v <= ymax:
        parts.append(f'<line x1="{left}" y1="{y(v):.1f}" x2="{width - right}" y2="{y(v):.1f}" stroke="{GRID}"/>')
        parts.append(_text(left - 6, y(v) + 4, _usd_k(v), "end", fill=MUTED))
        v += step
    for yrs in xs:
        parts.append(_text(x(yrs), top + plot_h + 16, f"{yrs:g}", "middle"))
    parts.append(_text(left + span_x / 2, top + plot_h + 34, x_label, "middle", fill=MUTED))
    legend = []
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
        legend.append(("line", colour, f"{label}: median"))
        legend.append(("range", colour, f"{label}: 25th to 75th percentile"))
    return _figure(title, _svg(title, desc, height, n, width) + "".join(parts) + "</svg>", legend)
