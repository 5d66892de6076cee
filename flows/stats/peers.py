""""People like me": rank programs for one person by expected payback and NPV.

Owns ``rank_programs_for_person``, ``format_roi_table`` (with its legend), ``roi_records`` (the
JSON form), ``FIELDS`` (the meaning of every column) and ``payback_interval``. Reads
``core_programs__programs`` and the statistics records (``flows/sql/_stats_records.sql``, as a
temporary view) from an open connection; writes nothing. Peers are graduates of each program
with a similar background (docs/METHODOLOGY.md, "People like me"); each peer's outcome is defined
as in ``out_roi__program_costs``; the payback probabilities are shares of all peers, so they
follow the peers' whole salary distribution, not its median.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import duckdb
import numpy as np
import pandas as pd

from flows.stats import roi as roi_fn
from flows.stats.intervals import wilson_interval
from flows.stats.suppression import min_cell_size

#: Days after graduation by which an in-field job counts, as in out_roi__program_costs
#: (employed_in_field_180d_rate): one definition of a peer's outcome for both.
ROI_WINDOW_DAYS = 180

#: Every column of the ranking (and of the JSON records), with its meaning.
FIELDS: dict[str, str] = {
    "rank": "Position by expected payback (shortest first, never last), then NPV at 10 years; null when suppressed.",
    "program_id": "Program identifier.",
    "program_name": "Program name.",
    "pathway": "Kind of program (masters, bootcamp, certificate, phd, self_study, other).",
    "modality": "online, hybrid or in_person.",
    "pacing": "full_time, part_time or self_paced.",
    "country_code": "Country of the program (ISO code; US when only a US state is given; null if unknown).",
    "tuition_fees_usd": "Published tuition and fees of the whole program (USD).",
    "similarity_level": "Which peer definition was used: degree_field_experience, degree_field, degree or program.",
    "peer_group_size": "Peers: the program's graduates at that similarity level, CIRR excluded left out; the "
                       "denominator of every share and probability (unknown outcomes included, as no gain).",
    "peers_in_field_count": "Peers employed in field (CIRR 1A-1E) within 180 days of graduation (null when 1 to k-1).",
    "peers_salary_reported_count": "In-field peers who reported a base salary (at least k, else the program is suppressed).",
    "peers_outcome_unknown_count": "Peers whose outcome is unknown: counted with no gain (null when 1 to k-1).",
    "in_field_share": "peers_in_field_count / peer_group_size.",
    "median_peer_salary_usd": "Median base salary of the in-field peers who reported one (USD).",
    "counterfactual_salary_usd": "Your earnings without the program: your prior salary, else the baseline of your degree.",
    "expected_salary_usd": "Mean first-year earnings over peers: in-field peers earn their salary (non-reporters: the "
                           "reporters' mean), the others your counterfactual.",
    "stipend_usd": "Stipend over the whole study for a funded pathway (e.g. PhD), netted out of forgone earnings.",
    "tuition_waived": "True when the pathway's tuition is waived (not counted in the total cost).",
    "total_cost_usd": "Tuition counted + living/relocation + forgone earnings net of any stipend + loan interest.",
    "loan_rate": "Annual loan rate used (yours, else the configured rate of the program's country); null when none.",
    "loan_rate_note": "Why no loan interest is counted (no loan rate for the program's country); null otherwise.",
    "expected_payback_years": "total_cost_usd / (expected_salary_usd - counterfactual); null when the gain is not positive.",
    "npv_10y_usd": "Net present value over 10 years from the start of study at the mean gain (real discount rate).",
    "npv_20y_usd": "Net present value over 20 years from the start of study.",
    "p_payback_within_{t}y": "Probability of paying the total cost back within {t} years of graduating: the share of peers "
                             "whose own gain repays it by then (in-field peers without a salary take the reporters' "
                             "distribution).",
    "p_payback_within_{t}y_lower": "Lower bound of its Wilson interval at [stats] confidence.",
    "p_payback_within_{t}y_upper": "Upper bound of its Wilson interval at [stats] confidence.",
    "confidence": "Two-sided confidence level of the intervals.",
    "is_suppressed": "True when the program has fewer than k peers at every level or fewer than k in-field salaries.",
    "suppression_reason": "Why the figures are withheld (the rule, never a count).",
}


def field_docs(thresholds) -> dict[str, str]:
    """``FIELDS`` with the per-threshold entries expanded (e.g. p_payback_within_3y)."""
    out = {}
    for key, doc in FIELDS.items():
        if "{t}" in key:
            for t in thresholds:
                out[key.format(t=t)] = doc.format(t=t)
        else:
            out[key] = doc
    return out


def columns(thresholds) -> list[str]:
    return list(field_docs(thresholds))


def payback_interval(in_field: int, n: int, reporters: int, repaid: int, z: float) -> tuple[float, float, float]:
    """(p, lower, upper): the probability of paying back within T years over n peers, and its interval.

    ``in_field`` of the n peers are in field, ``reporters`` of them reported a salary, ``repaid`` of
    those reporters pay back within T; the other peers never do (no gain). The in-field peers without
    a salary are taken to pay back like the reporters (missing at random within the group), so
    p = (in_field / n) x (repaid / reporters). Its interval is Wilson's at an effective size n_eff =
    p(1-p) / Var(p), with Var(p) = r²·q(1-q)/n + q²·r(1-r)/reporters (q = in_field/n,
    r = repaid/reporters): with every in-field salary reported, n_eff = n and this is the plain Wilson
    interval on n peers; missing salaries widen it. When Var(p) is 0 (p is 0 or 1), n_eff is n if no
    salary is missing, else the number of reporters (the information the estimate rests on).
    """
    if n <= 0 or reporters <= 0:
        return float("nan"), float("nan"), float("nan")
    q, r = in_field / n, repaid / reporters
    p = q * r
    var = r * r * q * (1 - q) / n + q * q * r * (1 - r) / reporters
    if var > 0 and 0 < p < 1:
        n_eff = min(float(n), p * (1 - p) / var)
    else:
        n_eff = float(n) if reporters >= in_field else float(reporters)
    lo, hi = wilson_interval(p * n_eff, n_eff, z)
    return p, float(lo), float(hi)


def z_of(confidence: float) -> float:
    """Two-sided normal quantile of a confidence level (0.95 -> 1.959964)."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def experience_band(years: float | None, edges) -> str | None:
    if years is None or (isinstance(years, float) and math.isnan(years)):
        return None
    edges = list(edges)
    for lo, hi in zip(edges, edges[1:]):
        if lo <= years < hi:
            return f"{lo}-{hi - 1}"
    return f"{edges[-1]}+"


def _band_sql(col: str, edges) -> str:
    edges = list(edges)
    whens = " ".join(f"WHEN {col} >= {lo} AND {col} < {hi} THEN '{lo}-{hi - 1}'" for lo, hi in zip(edges, edges[1:]))
    return f"CASE {whens} WHEN {col} >= {edges[-1]} THEN '{edges[-1]}+' END"


def _records_sql(con: duckdb.DuckDBPyConnection, assumptions: dict) -> None:
    """The statistics records view (flows/sql/_stats_records.sql) with the ROI window's in-field flag."""
    from flows.stats.build import create_records_view

    stats = dict(assumptions.get("stats", {}))
    stats["windows_days"] = sorted({int(d) for d in stats.get("windows_days", [])} | {ROI_WINDOW_DAYS})
    create_records_view(con, {**assumptions, "stats": stats})


def rank_programs_for_person(con: duckdb.DuckDBPyConnection, profile: dict, assumptions: dict) -> pd.DataFrame:
    """Programs ranked for one person (profile keys: prior_degree, prior_field, prior_salary,
    years_experience, part_time, max_tuition, loan_rate; all optional).

    For each program the peer group is its graduates matching the first similarity level, in
    ``[peers] levels`` order, that has at least ``min_peers`` graduates (CIRR excluded left out):
    degree group + prior field + experience band, then degree group + field, then degree group,
    then all the program's graduates. A peer's outcome follows the definition of
    ``out_roi__program_costs`` (the records of flows/sql/_stats_records.sql): in field within 180
    days -> their base salary (plausible salaries only); in field without a salary -> the
    distribution of the reporting in-field peers; any other outcome, unknown included -> the
    person's counterfactual (no gain). Every peer is in the denominator. Payback within T years is
    the share of peers whose cost / gain <= T, with a Wilson interval (``payback_interval``). Ranked
    by expected payback (cost / mean gain), then NPV at 10 years.
    """
    k = min_cell_size(assumptions)
    roi, peers_cfg = assumptions["roi"], assumptions["peers"]
    min_peers = int(peers_cfg.get("min_peers", k))
    groups = peers_cfg["degree_groups"]
    edges = peers_cfg["experience_band_edges"]
    thresholds = [int(t) for t in roi.get("payback_thresholds_years", [3, 5, 10])]
    confidence = float(assumptions.get("stats", {}).get("confidence", 0.95))
    z = z_of(confidence)
    cols = columns(thresholds)
    baseline = roi["baseline_salary_usd"]
    deg = profile.get("prior_degree")
    cf = profile.get("prior_salary")
    if cf is None or (isinstance(cf, float) and math.isnan(cf)):
        cf = float(baseline.get(deg, baseline["unknown"])) if deg else float(baseline["unknown"])
    cf = float(cf)
    part_time = bool(profile.get("part_time", False))
    own_loan_rate = profile.get("loan_rate")
    person = {"degree": groups.get(deg) if deg else None, "field": profile.get("prior_field"),
              "band": experience_band(profile.get("years_experience"), edges)}

    group_case = "CASE " + " ".join(f"WHEN r.prior_degree = '{d}' THEN '{g}'" for d, g in groups.items()) + " END"
    _records_sql(con, assumptions)
    try:
        peers = con.execute(f"""
            SELECT r.program_id, {group_case} AS degree_group, r.prior_field,
                   {_band_sql('o.years_experience', edges)} AS band,
                   coalesce(r.in_field_{ROI_WINDOW_DAYS}d, false) AS in_field,
                   CASE WHEN r.in_field_{ROI_WINDOW_DAYS}d THEN r.salary_usd END AS salary,
                   NOT r.known AS unknown
            FROM _stats_records r JOIN core_outcomes__graduate_outcomes o USING (record_id)
            WHERE NOT r.excluded
        """).df()
    finally:
        con.execute("DROP VIEW IF EXISTS _stats_records")
    programs = con.execute("""SELECT program_id, program_name, pathway, modality, pacing, duration_months,
                                     tuition_fees_usd, country_code, state_code
                              FROM core_programs__programs ORDER BY program_id""").df()
    if part_time:
        programs = programs[programs["pacing"].isin(["part_time", "self_paced"])]
    if profile.get("max_tuition") is not None:
        programs = programs[programs["tuition_fees_usd"].notna() & (programs["tuition_fees_usd"] <= float(profile["max_tuition"]))]
    programs = programs[programs["tuition_fees_usd"].notna() & programs["duration_months"].notna()]

    level_filters = {
        "degree_field_experience": ("degree", "field", "band"),
        "degree_field": ("degree", "field"),
        "degree": ("degree",),
        "program": (),
    }
    col_of = {"degree": "degree_group", "field": "prior_field", "band": "band"}
    by_program = dict(tuple(peers.groupby("program_id", sort=False))) if len(peers) else {}
    small = lambda v: None if 0 < v < k else int(v)  # noqa: E731  (counts of 1 to k-1 are withheld)
    rows = []
    for p in programs.itertuples(index=False):
        allp = by_program.get(p.program_id, peers.iloc[0:0])
        chosen, level = None, None
        for lvl in peers_cfg["levels"]:
            keys = level_filters[lvl]
            if any(person[key] is None for key in keys):
                continue
            sub = allp
            for key in keys:
                sub = sub[sub[col_of[key]] == person[key]]
            if len(sub) >= min_peers:
                chosen, level = sub, lvl
                break
        country = roi_fn.program_country(p.country_code, p.state_code)
        _, waived = roi_fn.pathway_funding(p.pathway, roi)
        row = {c: None for c in cols}
        row.update(program_id=p.program_id, program_name=p.program_name, pathway=p.pathway, modality=p.modality,
                   pacing=p.pacing, country_code=country, tuition_fees_usd=float(p.tuition_fees_usd),
                   counterfactual_salary_usd=cf, tuition_waived=waived, confidence=confidence)
        if chosen is None:
            row.update(is_suppressed=True, suppression_reason=f"peer group under k={k} at every similarity level")
            rows.append(row)
            continue
        n = int(len(chosen))
        in_field = chosen["in_field"].astype(bool).to_numpy()
        salary = pd.to_numeric(chosen["salary"], errors="coerce").to_numpy(float)
        reported = in_field & ~np.isnan(salary)
        m, s_rep = int(in_field.sum()), int(reported.sum())
        if s_rep < k:
            # The expected salary and payback odds mix the in-field salaries with the (known) counterfactual:
            # with fewer than k salaries they would reveal them.
            row.update(is_suppressed=True, suppression_reason=f"fewer than k={k} peers with an in-field salary")
            rows.append(row)
            continue
        if own_loan_rate is not None:
            loan_rate, loan_note = float(own_loan_rate), None
        else:
            loan_rate, loan_note = roi_fn.country_loan_rate(country, roi)
        pacing = "part_time" if part_time and p.pacing == "full_time" else p.pacing
        costs = roi_fn.program_costs(p.tuition_fees_usd, p.duration_months, p.modality, pacing, cf, roi, loan_rate,
                                     pathway=p.pathway, has_loan_rate=loan_rate is not None)
        q = m / n
        rep_salary = salary[reported]
        expected = (1 - q) * cf + q * float(rep_salary.mean())
        mean_gain = expected - cf
        rep_paybacks = np.asarray(roi_fn.payback_years(np.full(s_rep, costs.total_usd), rep_salary - cf), dtype=float)
        years = float(p.duration_months) / 12.0
        row.update(
            similarity_level=level, peer_group_size=n, peers_in_field_count=small(m),
            peers_salary_reported_count=s_rep, peers_outcome_unknown_count=small(int(chosen["unknown"].sum())),
            in_field_share=q, median_peer_salary_usd=float(np.median(rep_salary)),
            expected_salary_usd=expected, stipend_usd=costs.stipend_usd, total_cost_usd=costs.total_usd,
            loan_rate=loan_rate, loan_rate_note=loan_note,
            expected_payback_years=roi_fn.finite_or_none(roi_fn.payback_years(costs.total_usd, mean_gain)),
            npv_10y_usd=roi_fn.npv_from_costs(costs, 10, years, mean_gain, roi),
            npv_20y_usd=roi_fn.npv_from_costs(costs, 20, years, mean_gain, roi),
            is_suppressed=False, suppression_reason=None,
        )
        for t in thresholds:
            prob, lo, hi = payback_interval(m, n, s_rep, int((rep_paybacks <= t).sum()), z)
            row[f"p_payback_within_{t}y"], row[f"p_payback_within_{t}y_lower"], row[f"p_payback_within_{t}y_upper"] = prob, lo, hi
        rows.append(row)
    df = pd.DataFrame(rows, columns=cols)
    if df.empty:
        return df
    df["_pb"] = pd.to_numeric(df["expected_payback_years"]).fillna(np.inf)
    df["_npv"] = pd.to_numeric(df["npv_10y_usd"]).fillna(-np.inf)
    df = df.sort_values(["is_suppressed", "_pb", "_npv", "program_id"], ascending=[True, True, False, True])
    df = df.drop(columns=["_pb", "_npv"]).reset_index(drop=True)
    df["rank"] = np.where(df["is_suppressed"], None, np.arange(1, len(df) + 1))
    return df


def _money(v) -> str:
    return "-" if v is None or pd.isna(v) else f"${v:,.0f}"


def _given(v) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v)) and v is not pd.NA


def _pct(v) -> str:
    return "-" if v is None or pd.isna(v) else f"{100 * v:.0f}%"


def _prob_cell(r: dict, t: int) -> str:
    p = r.get(f"p_payback_within_{t}y")
    if p is None or pd.isna(p):
        return "-"
    lo, hi = r.get(f"p_payback_within_{t}y_lower"), r.get(f"p_payback_within_{t}y_upper")
    return f"{_pct(p)} ({100 * lo:.0f}-{100 * hi:.0f})"


def thresholds_of(df: pd.DataFrame) -> list[int]:
    return [int(c[len("p_payback_within_"):-1]) for c in df.columns
            if c.startswith("p_payback_within_") and c.endswith("y")]


def format_roi_table(df: pd.DataFrame, legend: bool = True) -> str:
    """A fixed-width text table of ``rank_programs_for_person`` output for the terminal, with a legend."""
    ts = thresholds_of(df) or [3, 5, 10]
    conf = next((float(c) for c in df.get("confidence", pd.Series(dtype=float)) if c is not None and pd.notna(c)), 0.95)
    probs = " ".join(f"{f'within {t}y':>14}" for t in ts)
    head = (f"{'#':>3} {'program':<28} {'pathway':<11} {'peers':>5} {'tuition':>10} {'total cost':>11} "
            f"{'exp. salary':>11} {'payback':>8} {'NPV 10y':>11} {probs}  notes")
    span = f"{'':>3} {'':<28} {'':<11} {'':>5} {'':>10} {'':>11} {'':>11} {'':>8} {'':>11} "
    cap = f"probability of paying back ({100 * conf:g}% interval)"
    lines = [span + f"{cap:^{len(probs)}}", head, "-" * len(head)]
    for r in df.to_dict(orient="records"):
        if r["is_suppressed"]:
            lines.append(f"{'':>3} {str(r['program_id'])[:28]:<28} {str(r['pathway']):<11} {'<k':>5} "
                         f"{_money(r['tuition_fees_usd']):>10}  suppressed: {r['suppression_reason']}")
            continue
        pb = r["expected_payback_years"]
        pb = "never" if pb is None or pd.isna(pb) else f"{pb:.1f}y"
        notes = []
        if _given(r.get("loan_rate_note")):
            notes.append(f"{r['loan_rate_note']}, so no loan interest counted")
        if _given(r.get("tuition_waived")) and bool(r["tuition_waived"]):
            notes.append("tuition waived")
        if _given(r.get("stipend_usd")) and r["stipend_usd"] > 0:
            notes.append(f"stipend {_money(r['stipend_usd'])} netted out of forgone earnings")
        cells = " ".join(f"{_prob_cell(r, t):>14}" for t in ts)
        lines.append(f"{r['rank']:>3} {str(r['program_id'])[:28]:<28} {str(r['pathway']):<11} {int(r['peer_group_size']):>5} "
                     f"{_money(r['tuition_fees_usd']):>10} {_money(r['total_cost_usd']):>11} {_money(r['expected_salary_usd']):>11} "
                     f"{pb:>8} {_money(r['npv_10y_usd']):>11} {cells}  {'; '.join(notes)}".rstrip())
    if df.empty:
        lines.append("(no program matches the filters)")
    if legend:
        lines += ["", *legend_lines(ts, conf)]
    return "\n".join(lines)


def legend_lines(thresholds, confidence: float) -> list[str]:
    ts = ", ".join(str(t) for t in thresholds)
    return [
        "peers        the program's graduates with your background (similarity_level in --json), CIRR excluded left out;",
        "             the denominator of every probability. Unknown outcomes count as no gain, as in out_roi__program_costs.",
        "tuition      published tuition and fees; total cost = tuition counted + living + earnings forgone + loan interest.",
        "exp. salary  mean first-year earnings of the peers: in-field (within 180 days) salaries, your counterfactual otherwise.",
        "payback      total cost / (exp. salary - your counterfactual), years after graduation; never = no gain.",
        "NPV 10y      net present value of gains minus costs over 10 years from the start of study.",
        f"within Ny    probability of paying back within N years ({ts}): share of peers whose own gain repays the cost,",
        f"             with its {100 * confidence:g}% Wilson interval in parentheses (JSON: p_payback_within_Ny, _lower, _upper).",
        "Definitions: docs/METHODOLOGY.md, \"People like me\"; every column of --json is described by `outcomes roi --help`.",
    ]


def roi_records(df: pd.DataFrame) -> list[dict]:
    """The JSON form: one dict per program, NaN/inf as None, numpy scalars as Python numbers."""
    out = []
    for rec in df.to_dict(orient="records"):
        clean = {}
        for key, v in rec.items():
            if isinstance(v, np.generic):
                v = v.item()
            if isinstance(v, float) and not math.isfinite(v):
                v = None
            if v is pd.NA or v is pd.NaT:
                v = None
            if key in ("rank", "peer_group_size", "peers_in_field_count", "peers_salary_reported_count",
                       "peers_outcome_unknown_count") and v is not None:
                v = int(v)  # counts, even when the column holds None for suppressed rows
            clean[key] = v
        out.append(clean)
    return out
