""""People like me": rank programs for one person by expected payback and NPV.

Owns ``rank_programs_for_person``, ``format_roi_table`` and ``roi_records`` (the JSON form).
Reads ``core_programs__programs`` and ``core_outcomes__graduate_outcomes`` from an open
connection; writes nothing. Peers are graduates of each program with a similar background
(docs/METHODOLOGY.md, "People like me"); the payback probabilities are shares of peers, so
they follow the peers' whole salary distribution, not its median.
"""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd

from flows.stats import roi as roi_fn
from flows.stats.suppression import min_cell_size

COLUMNS = ["rank", "program_id", "program_name", "pathway", "modality", "pacing", "tuition_fees_usd",
           "peer_group_size", "similarity_level", "median_peer_salary_usd", "expected_salary_usd",
           "counterfactual_salary_usd", "total_cost_usd", "expected_payback_years", "npv_10y_usd", "npv_20y_usd",
           "payback_probability_3y", "payback_probability_5y", "payback_probability_10y", "is_suppressed",
           "suppression_reason"]


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


def rank_programs_for_person(con: duckdb.DuckDBPyConnection, profile: dict, assumptions: dict) -> pd.DataFrame:
    """Programs ranked for one person (profile keys: prior_degree, prior_field, prior_salary,
    years_experience, part_time, max_tuition, loan_rate; all optional).

    For each program the peer group is its graduates matching the first similarity level, in
    ``[peers] levels`` order, that has at least k graduates with a known outcome: degree group +
    prior field + experience band, then degree group + field, then degree group, then all the
    program's graduates. Each peer's outcome is a salary: their base salary if employed in field
    with a salary, else the person's counterfactual (no gain); in-field peers without a salary are
    left out. Gains are salary - counterfactual; payback probability within T years is the share of
    peers whose cost / gain <= T. Ranked by expected payback (cost / mean gain), then NPV at 10 years.
    """
    k = min_cell_size(assumptions)
    roi, peers_cfg = assumptions["roi"], assumptions["peers"]
    min_peers = int(peers_cfg.get("min_peers", k))
    groups = peers_cfg["degree_groups"]
    edges = peers_cfg["experience_band_edges"]
    thresholds = [int(t) for t in roi.get("payback_thresholds_years", [3, 5, 10])]
    baseline = roi["baseline_salary_usd"]
    deg = profile.get("prior_degree")
    cf = profile.get("prior_salary")
    if cf is None or (isinstance(cf, float) and math.isnan(cf)):
        cf = float(baseline.get(deg, baseline["unknown"])) if deg else float(baseline["unknown"])
    cf = float(cf)
    part_time = bool(profile.get("part_time", False))
    loan_rate = profile.get("loan_rate")
    person = {"degree": groups.get(deg) if deg else None, "field": profile.get("prior_field"),
              "band": experience_band(profile.get("years_experience"), edges)}

    group_case = "CASE " + " ".join(f"WHEN o.prior_degree = '{d}' THEN '{g}'" for d, g in groups.items()) + " END"
    peers = con.execute(f"""
        SELECT o.program_id, {group_case} AS degree_group, o.prior_field,
               {_band_sql('o.years_experience', edges)} AS band,
               o.cirr_category IN ('1A', '1B', '1C', '1D', '1E') AS in_field,
               o.base_salary_usd AS salary
        FROM core_outcomes__graduate_outcomes o
        WHERE o.outcome_status <> 'unknown' AND o.cirr_category <> 'excluded'
    """).df()
    programs = con.execute("""SELECT program_id, program_name, pathway, modality, pacing, duration_months,
                                     tuition_fees_usd FROM core_programs__programs ORDER BY program_id""").df()
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
        row = {c: None for c in COLUMNS}
        row.update(program_id=p.program_id, program_name=p.program_name, pathway=p.pathway, modality=p.modality,
                   pacing=p.pacing, tuition_fees_usd=float(p.tuition_fees_usd), counterfactual_salary_usd=cf)
        if chosen is None:
            row.update(is_suppressed=True, suppression_reason=f"peer group under k={k} at every similarity level")
            rows.append(row)
            continue
        usable = chosen[~(chosen["in_field"] & chosen["salary"].isna())]
        post = np.where(usable["in_field"], usable["salary"].astype(float), cf)
        if len(post) < min_peers:
            row.update(is_suppressed=True, suppression_reason=f"fewer than k={k} peers with a usable outcome")
            rows.append(row)
            continue
        if int(usable["in_field"].sum()) < k:
            # The expected salary and payback odds mix the in-field salaries with the (known) counterfactual:
            # with fewer than k salaries they would reveal them.
            row.update(is_suppressed=True, suppression_reason=f"fewer than k={k} peers with an in-field salary")
            rows.append(row)
            continue
        pacing = "part_time" if part_time and p.pacing == "full_time" else p.pacing
        costs = roi_fn.program_costs(p.tuition_fees_usd, p.duration_months, p.modality, pacing, cf, roi, loan_rate)
        gains = post - cf
        mean_gain = float(gains.mean())
        paybacks = roi_fn.payback_years(np.full(len(gains), costs.total_usd), gains)
        years = float(p.duration_months) / 12.0
        in_field_sal = usable.loc[usable["in_field"], "salary"]
        row.update(
            peer_group_size=int(len(chosen)), similarity_level=level,
            median_peer_salary_usd=float(in_field_sal.median()),
            expected_salary_usd=float(post.mean()), total_cost_usd=costs.total_usd,
            expected_payback_years=roi_fn.finite_or_none(roi_fn.payback_years(costs.total_usd, mean_gain)),
            npv_10y_usd=roi_fn.npv_from_costs(costs, 10, years, mean_gain, roi),
            npv_20y_usd=roi_fn.npv_from_costs(costs, 20, years, mean_gain, roi),
            is_suppressed=False, suppression_reason=None,
        )
        for t in thresholds:
            row[f"payback_probability_{t}y"] = float(np.mean(paybacks <= t))
        rows.append(row)
    df = pd.DataFrame(rows, columns=COLUMNS)
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


def format_roi_table(df: pd.DataFrame) -> str:
    """A fixed-width text table of ``rank_programs_for_person`` output for the terminal."""
    head = f"{'#':>3} {'program':<28} {'pathway':<11} {'peers':>5} {'tuition':>10} {'total cost':>11} " \
           f"{'exp. salary':>11} {'payback':>8} {'NPV 10y':>11} {'P<=3y':>6} {'P<=5y':>6} {'P<=10y':>6}"
    lines = [head, "-" * len(head)]
    for r in df.itertuples(index=False):
        if r.is_suppressed:
            lines.append(f"{'':>3} {str(r.program_id)[:28]:<28} {str(r.pathway):<11} {'<k':>5} "
                         f"{_money(r.tuition_fees_usd):>10}  suppressed: {r.suppression_reason}")
            continue
        pb = "never" if r.expected_payback_years is None or pd.isna(r.expected_payback_years) else f"{r.expected_payback_years:.1f}y"
        pct = lambda v: "-" if v is None or pd.isna(v) else f"{100 * v:.0f}%"  # noqa: E731
        lines.append(f"{r.rank:>3} {str(r.program_id)[:28]:<28} {str(r.pathway):<11} {int(r.peer_group_size):>5} "
                     f"{_money(r.tuition_fees_usd):>10} {_money(r.total_cost_usd):>11} {_money(r.expected_salary_usd):>11} "
                     f"{pb:>8} {_money(r.npv_10y_usd):>11} {pct(r.payback_probability_3y):>6} "
                     f"{pct(r.payback_probability_5y):>6} {pct(r.payback_probability_10y):>6}")
    if df.empty:
        lines.append("(no program matches the filters)")
    return "\n".join(lines)


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
            if key in ("rank", "peer_group_size") and v is not None:
                v = int(v)  # counts, even when the column holds None for suppressed rows
            clean[key] = v
        out.append(clean)
    return out
