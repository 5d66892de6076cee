""""People like me": the published peer table and the ranking of programs for one person.

Owns ``peer_groups_frame`` / ``public_peer_groups_frame`` (``out_peers__program_peer_groups``: peer
groups per program and similarity level, built in the statistics step from the same records and
definitions as ``out_roi__program_costs``, then protected by the disclosure step), and the ranking on
that published table: ``rank_programs_for_person`` / ``rank_rows``, ``share_at_least`` (the salary
distribution read from published quartiles), ``payback_interval``, ``format_roi_table`` (with its
legend), ``roi_records`` (the JSON form) and ``FIELDS`` (the meaning of every column). The report set's
``flows/reports/static/peers.js`` mirrors these formulas line by line (docs/METHODOLOGY.md, "People like me").
"""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd

from flows.config import load_config
from flows.stats import roi as roi_fn
from flows.stats.intervals import wilson_interval, z_for
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
    "data_origin_class": "Evidence class of the program's data (public records, audited report, self-reported survey, synthetic, ...).",
    "tuition_fees_usd": "Tuition and fees of the whole program (USD): published, else for a real public program the "
                        "assumed or curated tuition of out_roi__public_program_costs.",
    "similarity_level": "Which published peer row was used: degree_field_experience, degree_field, degree, program, "
                        "or all_completers (a real public program's completers with published earnings).",
    "peer_basis": "Where the peer figures come from (graduate records, or the public source, horizon and cohort).",
    "peer_group_size": "Peers: the program's graduates at that similarity level, CIRR excluded left out (all_completers: "
                       "completers with earnings); the denominator of every share and probability (unknown outcomes "
                       "included, as no gain).",
    "peers_in_field_count": "Peers employed in field (CIRR 1A-1E) within 180 days of graduation (null for all_completers: not measured).",
    "peers_salary_reported_count": "In-field peers who reported a base salary (at least k, else the row is suppressed).",
    "peers_outcome_unknown_count": "Peers whose outcome is unknown: counted with no gain (null when 1 to k-1 or not measured).",
    "in_field_share": "q = peers_in_field_count / peer_group_size (1 for all_completers: every completer has earnings).",
    "peer_salary_p25_usd": "25th percentile of the peers' salaries (or published earnings), USD.",
    "median_peer_salary_usd": "Median base salary of the in-field peers who reported one (or published median earnings), USD.",
    "peer_salary_p75_usd": "75th percentile of the peers' salaries (or published earnings), USD.",
    "counterfactual_salary_usd": "Your earnings without the program: your prior salary, else the baseline of your degree.",
    "expected_salary_usd": "(1 - q) x counterfactual + q x the peers' mean salary (the median where no mean is "
                           "published, all_completers).",
    "stipend_usd": "Stipend over the whole study for a funded pathway (e.g. PhD), netted out of forgone earnings.",
    "tuition_waived": "True when the pathway's tuition is waived (not counted in the total cost).",
    "total_cost_usd": "Tuition counted + living/relocation + forgone earnings net of any stipend + loan interest.",
    "loan_rate": "Annual loan rate used (yours, else the configured rate of the program's country); null when none.",
    "loan_rate_note": "Why no loan interest is counted (no loan rate for the program's country); null otherwise.",
    "expected_payback_years": "total_cost_usd / (expected_salary_usd - counterfactual); null when the gain is not positive.",
    "npv_10y_usd": "Net present value over 10 years from the start of study at the mean gain (real discount rate).",
    "npv_20y_usd": "Net present value over 20 years from the start of study.",
    "p_payback_within_{t}y": "Probability of paying the total cost back within {t} years of graduating: q x S(counterfactual "
                             "+ total cost / {t}), S = share of reporters earning at least that, read from the published "
                             "quartiles (piecewise-linear approximation).",
    "p_payback_within_{t}y_lower": "Lower bound of its Wilson interval at [stats] confidence.",
    "p_payback_within_{t}y_upper": "Upper bound of its Wilson interval at [stats] confidence.",
    "confidence": "Two-sided confidence level of the intervals.",
    "is_suppressed": "True when no published peer row matches you at any level (groups under k peers or k salaries, "
                     "or withheld by the disclosure step).",
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
    """Two-sided normal quantile of a confidence level (0.95 -> 1.959964): ``intervals.z_for``."""
    return z_for(confidence)


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
    """The statistics records view (flows/sql/stats/_stats_records.sql) with the ROI window's in-field flag."""
    from flows.stats.build import create_records_view

    stats = dict(assumptions["stats"])
    stats["windows_days"] = sorted({int(d) for d in stats["windows_days"]} | {ROI_WINDOW_DAYS})
    create_records_view(con, {**assumptions, "stats": stats})


# --------------------------------------------------------------------------- the published peer table

PEER_TABLE = "out_peers__program_peer_groups"
#: Key value of a dimension the similarity level does not use.
ANY = "any"
#: Level of a real public program's row: its completers with published earnings.
PUBLIC_LEVEL = "all_completers"
#: The person's attributes each similarity level matches on (in the table's key order).
LEVEL_KEYS: dict[str, tuple[str, ...]] = {
    "degree_field_experience": ("degree", "field", "band"),
    "degree_field": ("degree", "field"),
    "degree": ("degree",),
    "program": (),
}
_KEY_COL = {"degree": "degree_group", "field": "peer_prior_field", "band": "experience_band"}
#: The level whose groups contain a level's groups (its keys less the last one).
_PARENT = {"degree_field_experience": "degree_field", "degree_field": "degree", "degree": "program"}
RECORD_BASIS = f"graduate records: outcome {ROI_WINDOW_DAYS} days after graduation, in-field base salaries"


def _quartiles(values: np.ndarray) -> tuple[float, float, float]:
    """(p25, median, p75) by linear interpolation: DuckDB quantile_cont, as the salary tables."""
    p25, med, p75 = np.percentile(values, [25, 50, 75])
    return float(p25), float(med), float(p75)


def peer_groups_frame(con: duckdb.DuckDBPyConnection, assumptions: dict) -> pd.DataFrame:
    """``out_peers__program_peer_groups`` rows of the programs with graduate records (before the disclosure step).

    For each level of ``[peers] levels`` and each program, one row per non-empty peer group (records whose
    key at that level is unknown belong to no group of the level). Peers and outcomes as in
    ``out_roi__program_costs``: graduates outside CIRR's exclusions; in field by day 180; plausible
    salaries only. A group with fewer than ``min_peers`` peers or fewer than k salary reporters keeps its
    row with every figure null (suppressed, the rule as reason); an unknown-outcome count of 1 to k-1 is
    withheld. The groups inside a group under k (its fields, its experience bands) are under k too and get
    no row: they would publish nothing, and every row is a cell the disclosure step must protect.
    """
    from flows.models import register_code_frame
    from flows.stats.build import origin_class_sql

    k = min_cell_size(assumptions)
    peers_cfg = assumptions["peers"]
    min_peers = k if peers_cfg["min_peers"] is None else int(peers_cfg["min_peers"])
    groups, edges = peers_cfg["degree_groups"], peers_cfg["experience_band_edges"]
    cols = list(_table_fields())
    degree_groups = register_code_frame(con, "_codes__peer_degree_group", pd.DataFrame(
        list(groups.items()), columns=["prior_degree", "degree_group"], dtype="string"))
    _records_sql(con, assumptions)
    try:
        recs = con.execute(f"""
            SELECT r.program_id, g.degree_group AS degree, r.prior_field AS field,
                   {_band_sql('o.years_experience', edges)} AS band,
                   coalesce(r.in_field_{ROI_WINDOW_DAYS}d, false) AS in_field,
                   CASE WHEN r.in_field_{ROI_WINDOW_DAYS}d THEN r.salary_usd END AS salary,
                   NOT r.known AS unknown
            FROM _stats_records r JOIN core_outcomes__graduate_outcomes o USING (record_id)
            LEFT JOIN {degree_groups} g ON g.prior_degree = r.prior_degree
            WHERE NOT r.excluded
        """).df()
    finally:
        con.execute("DROP VIEW IF EXISTS _stats_records")
        con.unregister(degree_groups)
    facts = con.execute(f"SELECT program_id, data_origin, {origin_class_sql(assumptions, 'data_origin')} AS cls "
                        "FROM core_programs__programs").df().set_index("program_id")
    rows = []
    levels = list(peers_cfg["levels"])
    passed: dict[str, set] = {}  # level -> keys (program_id, *values) of its groups that pass k
    for level in sorted(levels, key=lambda lv: len(LEVEL_KEYS[lv])):  # coarse to fine: parents first
        keys = LEVEL_KEYS[level]
        parent = _PARENT.get(level)
        sub = recs.dropna(subset=list(keys)) if keys else recs
        passed[level] = set()
        for gkey, g in sub.groupby(["program_id", *keys], sort=True):
            gkey = gkey if isinstance(gkey, tuple) else (gkey,)
            pid, vals = gkey[0], dict(zip(keys, gkey[1:]))
            if parent in levels and gkey[:len(LEVEL_KEYS[parent]) + 1] not in passed[parent]:
                continue  # inside a group under k: under k too, and nothing of it is published
            salary = pd.to_numeric(g["salary"], errors="coerce").to_numpy(float)
            rep = salary[~np.isnan(salary)]
            n, m, s_rep, unk = len(g), int(g["in_field"].astype(bool).sum()), len(rep), int(g["unknown"].astype(bool).sum())
            row = {c: None for c in cols}
            row.update(program_id=pid, similarity_level=level, peer_basis=RECORD_BASIS,
                       **{_KEY_COL[key]: str(vals[key]) if key in vals else ANY for key in _KEY_COL},
                       data_origin_class=facts["cls"].get(pid), data_origin=facts["data_origin"].get(pid))
            if n < min_peers:
                row.update(is_suppressed=True, suppression_reason=f"primary: fewer than k={min_peers} peers")
            elif s_rep < k:
                row.update(is_suppressed=True, suppression_reason=f"primary: fewer than k={k} peers with an in-field salary")
            else:
                passed[level].add(gkey)
                p25, med, p75 = _quartiles(rep)
                row.update(peer_group_size=n, peers_in_field_count=m, peers_salary_reported_count=s_rep,
                           peers_outcome_unknown_count=None if 0 < unk < k else unk, mean_peer_salary_usd=float(rep.mean()),
                           peer_salary_p25_usd=p25, median_peer_salary_usd=med, peer_salary_p75_usd=p75,
                           is_suppressed=False, suppression_reason=None)
            rows.append(row)
    order = {lv: i for i, lv in enumerate(levels)}
    rows.sort(key=lambda r: (r["program_id"], order[r["similarity_level"]], r["degree_group"], r["peer_prior_field"],
                             r["experience_band"]))
    return _typed(pd.DataFrame(rows, columns=cols))


def _table_fields() -> tuple[str, ...]:
    import schemas  # noqa: F401
    from schemas.model import TABLES

    return TABLES[PEER_TABLE].fields


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    for c in ("peer_group_size", "peers_in_field_count", "peers_salary_reported_count", "peers_outcome_unknown_count",
              "years_after_graduation"):
        df[c] = df[c].astype("Int64")
    for c in ("mean_peer_salary_usd", "peer_salary_p25_usd", "median_peer_salary_usd", "peer_salary_p75_usd"):
        df[c] = pd.to_numeric(df[c]).astype(float)
    df["is_suppressed"] = df["is_suppressed"].astype(bool)
    return df


def public_peer_groups_frame(con: duckdb.DuckDBPyConnection, assumptions: dict) -> pd.DataFrame:
    """One 'all_completers' row per real public program whose cost row has published earnings: the source,
    horizon and cohort that ``out_roi__public_program_costs`` uses, with the publisher's p25 / median / p75
    (constant dollars) and its count of completers with earnings. Already public figures: nothing to protect."""
    from flows.models import ensure_code_tables
    from flows.stats.build import origin_class_sql

    ensure_code_tables(con)
    cols = list(_table_fields())
    have = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if not {"out_roi__public_program_costs", "core_public__program_outcomes"} <= have:
        return _typed(pd.DataFrame(columns=cols))
    df = con.execute(f"""
        WITH chosen AS (
            SELECT program_id, earnings_source, earnings_horizon_years, grad_cohort
            FROM out_roi__public_program_costs WHERE earnings_usd IS NOT NULL AND earnings_source IS NOT NULL
        ),
        q AS (
            SELECT o.program_id, o.data_origin, o.years_after_graduation, o.grad_cohort,
                   max(CASE WHEN measure = 'earnings_p25' THEN value_constant_dollars END) AS p25,
                   max(CASE WHEN measure = 'earnings_median' THEN value_constant_dollars END) AS med,
                   max(CASE WHEN measure = 'earnings_p75' THEN value_constant_dollars END) AS p75,
                   max(CASE WHEN measure = 'earnings_median' THEN value_count END) AS n
            FROM core_public__program_outcomes o
            JOIN chosen c ON c.program_id = o.program_id AND c.earnings_source = o.data_origin
                         AND c.earnings_horizon_years = o.years_after_graduation AND c.grad_cohort = o.grad_cohort
            WHERE o.measure IN ('earnings_p25', 'earnings_median', 'earnings_p75')
            GROUP BY ALL
        )
        SELECT q.*, p.data_origin AS program_origin, {origin_class_sql(assumptions, 'p.data_origin')} AS cls
        FROM q JOIN core_programs__programs p USING (program_id)
        WHERE q.med IS NOT NULL
        ORDER BY q.program_id
    """).df()
    rows = []
    for r in df.itertuples(index=False):
        n = None if pd.isna(r.n) else int(r.n)
        source = SOURCE_NAMES.get(r.data_origin, r.data_origin)
        row = {c: None for c in cols}
        row.update(program_id=r.program_id, similarity_level=PUBLIC_LEVEL, degree_group=ANY, peer_prior_field=ANY,
                   experience_band=ANY, data_origin_class=r.cls, data_origin=r.data_origin,
                   years_after_graduation=int(r.years_after_graduation), grad_cohort=r.grad_cohort,
                   peer_basis=f"{source} earnings {_years(int(r.years_after_graduation))} after graduation, graduates {r.grad_cohort}",
                   peer_group_size=n, peers_salary_reported_count=n,
                   peer_salary_p25_usd=None if pd.isna(r.p25) else float(r.p25), median_peer_salary_usd=float(r.med),
                   peer_salary_p75_usd=None if pd.isna(r.p75) else float(r.p75), is_suppressed=False, suppression_reason=None)
        if n is None:
            row.update(is_suppressed=True, suppression_reason="not published: the publisher gives no count of completers with earnings",
                       peer_salary_p25_usd=None, median_peer_salary_usd=None, peer_salary_p75_usd=None)
        rows.append(row)
    return _typed(pd.DataFrame(rows, columns=cols))


def _years(n: int) -> str:
    return f"{n} year" if n == 1 else f"{n} years"


#: Names of the public earnings sources in a row's basis.
SOURCE_NAMES = {"census_pseo": "Census PSEO", "college_scorecard": "College Scorecard", "colorado_roi": "Colorado CDHE"}


def write_public_peer_groups(con: duckdb.DuckDBPyConnection, assumptions: dict) -> list[str]:
    """Append the real public programs' rows to the peer table (run after ``out_roi__public_program_costs``)."""
    from flows.stats.build import _write

    have = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    records = con.execute(f"SELECT * FROM {PEER_TABLE}").df() if PEER_TABLE in have else pd.DataFrame(columns=list(_table_fields()))
    records = records[records["similarity_level"] != PUBLIC_LEVEL]
    public = public_peer_groups_frame(con, assumptions)
    frames = [f for f in (records, public) if len(f)]
    df = pd.concat(frames, ignore_index=True) if frames else public
    _write(con, PEER_TABLE, _typed(df[list(_table_fields())].copy()))
    return [PEER_TABLE]


# --------------------------------------------------------------------------- formulas shared with peers.js


def share_at_least(x: float, p25, median, p75) -> float | None:
    """S(x): the share of salary reporters earning at least x, from the published quartiles only.

    An approximation the published tables allow: the distribution function F is piecewise linear through
    (p25, .25), (median, .5), (p75, .75), extended beyond p25 and p75 with the slope of the end segment
    (the other segment's slope where an end segment has zero width), clipped to [0, 1]; S(x) = 1 - F(x),
    with F read just below x (a salary equal to x counts). Degenerate quartiles: all three equal -> S = 1 up
    to that value, 0 above it. None when a quartile is not published.
    """
    if p25 is None or median is None or p75 is None:
        return None
    a, b, c = float(p25), float(median), float(p75)
    if not a <= b <= c:
        raise ValueError(f"quartiles out of order: {a}, {b}, {c}")
    if a == c:
        return 1.0 if x <= a else 0.0
    lower = 0.25 / (b - a) if b > a else 0.25 / (c - b)
    upper = 0.25 / (c - b) if c > b else 0.25 / (b - a)
    if x <= a:
        f = 0.25 - lower * (a - x)
    elif x <= b:
        f = 0.25 + 0.25 * (x - a) / (b - a)
    elif x <= c:
        f = 0.5 + 0.25 * (x - b) / (c - b)
    else:
        f = 0.75 + upper * (x - c)
    return 1.0 - min(1.0, max(0.0, f))


def person_keys(profile: dict, assumptions: dict) -> dict:
    peers_cfg = assumptions["peers"]
    deg = profile.get("prior_degree")
    return {"degree": peers_cfg["degree_groups"].get(deg) if deg else None, "field": profile.get("prior_field"),
            "band": experience_band(profile.get("years_experience"), peers_cfg["experience_band_edges"])}


def counterfactual(profile: dict, assumptions: dict) -> float:
    baseline = assumptions["roi"]["baseline_salary_usd"]
    deg, cf = profile.get("prior_degree"), profile.get("prior_salary")
    if cf is None or (isinstance(cf, float) and math.isnan(cf)):
        cf = float(baseline.get(deg, baseline["unknown"])) if deg else float(baseline["unknown"])
    return float(cf)


def choose_level(rows: dict, person: dict, levels) -> tuple[str | None, dict | None, dict | None]:
    """(level, published row, last suppressed row seen) of one program: the first level of ``levels`` (then
    all_completers) whose row for the person's keys is published. ``rows`` maps (level, degree_group,
    peer_prior_field, experience_band) to the row."""
    seen = None
    for level in list(levels) + [PUBLIC_LEVEL]:
        keys = LEVEL_KEYS.get(level, ())
        if any(person[key] is None for key in keys):
            continue
        key = (level,) + tuple(str(person[k]) if k in keys else ANY for k in ("degree", "field", "band"))
        row = rows.get(key)
        if row is None:
            continue
        if not row["is_suppressed"]:
            return level, row, seen
        seen = row
    return None, None, seen


def program_facts(con: duckdb.DuckDBPyConnection, assumptions: dict) -> pd.DataFrame:
    """Cost facts of every program with a peer row: its own tuition and length, else (real public programs)
    those of out_roi__public_program_costs (assumed or curated tuition and study years)."""
    from flows.models import ensure_code_tables
    from flows.stats.build import origin_class_sql

    ensure_code_tables(con)
    have = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    pub = ("LEFT JOIN out_roi__public_program_costs pc USING (program_id)" if "out_roi__public_program_costs" in have
           else "LEFT JOIN (SELECT NULL::VARCHAR AS program_id, NULL::DOUBLE AS tuition_total_usd, NULL::DOUBLE AS study_years) pc USING (program_id)")
    return con.execute(f"""
        SELECT c.program_id, c.program_name, c.institution_name, c.pathway, c.modality, c.pacing,
               coalesce(c.duration_months, pc.study_years * 12) AS duration_months,
               coalesce(c.tuition_fees_usd, pc.tuition_total_usd) AS tuition_fees_usd,
               c.country_code, c.state_code, {origin_class_sql(assumptions, 'c.data_origin')} AS data_origin_class
        FROM core_programs__programs c {pub}
        WHERE c.program_id IN (SELECT program_id FROM {PEER_TABLE})
        ORDER BY c.program_id""").df()


def rank_programs_for_person(con: duckdb.DuckDBPyConnection, profile: dict, assumptions: dict) -> pd.DataFrame:
    """Programs ranked for one person (profile keys: prior_degree, prior_field, prior_salary,
    years_experience, part_time, max_tuition, loan_rate; all optional), from the published tables only.

    Reads ``out_peers__program_peer_groups`` and the programs' cost facts (``program_facts``): no
    record-level data, so it runs on a published warehouse. Per program the peer group is the first level,
    in ``[peers] levels`` order (then a public program's all_completers row), whose row for the person's
    keys is published; ``rank_rows`` computes every figure (one set of formulas, mirrored by the report
    set's peers.js).
    """
    rows = con.execute(f"SELECT * FROM {PEER_TABLE}").df()
    facts = program_facts(con, assumptions)
    return rank_rows(facts.to_dict("records"), rows.to_dict("records"), profile, assumptions)


def _clean(v):
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    return v.item() if isinstance(v, np.generic) else v


def rank_rows(programs: list[dict], peer_rows: list[dict], profile: dict, assumptions: dict) -> pd.DataFrame:
    """The ranking from plain rows (programs' cost facts and published peer rows): the formulas of
    docs/METHODOLOGY.md, "People like me".

    cf = your salary, else the baseline of your degree; costs = ``roi.program_costs`` (part-time, loan
    rate); q = in-field peers / peers (1 for all_completers); centre = mean peer salary, else the median;
    expected salary = (1 - q) cf + q centre; payback = cost / (expected - cf); NPV at 10 and 20 years at
    that gain; P(payback within T) = q x S(cf + cost / T), S from the published quartiles
    (``share_at_least``), its interval ``payback_interval`` at repaid = S x reporters.
    """
    k = min_cell_size(assumptions)
    roi, peers_cfg = assumptions["roi"], assumptions["peers"]
    thresholds = [int(t) for t in roi["payback_thresholds_years"]]
    confidence = float(assumptions["stats"]["confidence"])
    z = z_of(confidence)
    cols = columns(thresholds)
    cf = counterfactual(profile, assumptions)
    part_time = bool(profile.get("part_time", False))
    own_loan_rate = profile.get("loan_rate")
    max_tuition = profile.get("max_tuition")
    person = person_keys(profile, assumptions)
    by_program: dict[str, dict] = {}
    for r in peer_rows:
        r = {key: _clean(v) for key, v in r.items()}
        by_program.setdefault(r["program_id"], {})[
            (r["similarity_level"], r["degree_group"], r["peer_prior_field"], r["experience_band"])] = r
    out = []
    for p in programs:
        p = {key: _clean(v) for key, v in p.items()}
        if p["program_id"] not in by_program or p["tuition_fees_usd"] is None or p["duration_months"] is None:
            continue
        if part_time and p["pacing"] not in ("part_time", "self_paced"):
            continue
        if max_tuition is not None and float(p["tuition_fees_usd"]) > float(max_tuition):
            continue
        level, chosen, seen = choose_level(by_program[p["program_id"]], person, peers_cfg["levels"])
        country = roi_fn.program_country(p["country_code"], p["state_code"])
        _, waived = roi_fn.pathway_funding(p["pathway"], roi)
        row = {c: None for c in cols}
        row.update(program_id=p["program_id"], program_name=p["program_name"], pathway=p["pathway"],
                   modality=p["modality"], pacing=p["pacing"], country_code=country, data_origin_class=p["data_origin_class"],
                   tuition_fees_usd=float(p["tuition_fees_usd"]), counterfactual_salary_usd=cf, tuition_waived=waived,
                   confidence=confidence)
        if chosen is None:
            reason = seen["suppression_reason"] if seen is not None and seen["suppression_reason"] else None
            row.update(is_suppressed=True, suppression_reason=f"no published peer group at any similarity level (k={k})"
                       + (f"; last tried: {reason}" if reason else ""))
            out.append(row)
            continue
        n, reporters = int(chosen["peer_group_size"]), int(chosen["peers_salary_reported_count"])
        public = level == PUBLIC_LEVEL
        m = n if public else int(chosen["peers_in_field_count"])
        if own_loan_rate is not None:
            loan_rate, loan_note = float(own_loan_rate), None
        else:
            loan_rate, loan_note = roi_fn.country_loan_rate(country, roi)
        pacing = "part_time" if part_time and p["pacing"] == "full_time" else p["pacing"]
        costs = roi_fn.program_costs(p["tuition_fees_usd"], p["duration_months"], p["modality"], pacing, cf, roi, loan_rate,
                                     pathway=p["pathway"], has_loan_rate=loan_rate is not None)
        q = m / n
        centre = chosen["mean_peer_salary_usd"] if chosen["mean_peer_salary_usd"] is not None else chosen["median_peer_salary_usd"]
        expected = roi_fn.expected_salary(q, float(centre), cf)
        mean_gain = roi_fn.expected_gain(q, float(centre), cf)
        years = float(p["duration_months"]) / 12.0
        row.update(
            similarity_level=level, peer_basis=chosen["peer_basis"], peer_group_size=n,
            peers_in_field_count=None if public else m, peers_salary_reported_count=reporters,
            peers_outcome_unknown_count=chosen["peers_outcome_unknown_count"], in_field_share=q,
            median_peer_salary_usd=chosen["median_peer_salary_usd"], peer_salary_p25_usd=chosen["peer_salary_p25_usd"],
            peer_salary_p75_usd=chosen["peer_salary_p75_usd"],
            expected_salary_usd=expected, stipend_usd=costs.stipend_usd, total_cost_usd=costs.total_usd,
            loan_rate=loan_rate, loan_rate_note=loan_note,
            expected_payback_years=roi_fn.finite_or_none(roi_fn.payback_years(costs.total_usd, mean_gain)),
            npv_10y_usd=roi_fn.npv_from_costs(costs, 10, years, mean_gain, roi),
            npv_20y_usd=roi_fn.npv_from_costs(costs, 20, years, mean_gain, roi),
            is_suppressed=False, suppression_reason=None,
        )
        for t in thresholds:
            s = share_at_least(cf + costs.total_usd / t, chosen["peer_salary_p25_usd"], chosen["median_peer_salary_usd"],
                               chosen["peer_salary_p75_usd"])
            if s is None:
                continue
            prob, lo, hi = payback_interval(m, n, reporters, s * reporters, z)
            row[f"p_payback_within_{t}y"], row[f"p_payback_within_{t}y_lower"], row[f"p_payback_within_{t}y_upper"] = prob, lo, hi
        out.append(row)
    df = pd.DataFrame(out, columns=cols)
    if df.empty:
        return df
    df["_pb"] = pd.to_numeric(df["expected_payback_years"]).fillna(np.inf)
    df["_npv"] = pd.to_numeric(df["npv_10y_usd"]).fillna(-np.inf)
    df = df.sort_values(["is_suppressed", "_pb", "_npv", "program_id"], ascending=[True, True, False, True], kind="mergesort")
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
    configured = load_config()  # an empty ranking still prints the configured thresholds and level
    ts = thresholds_of(df) or list(configured.roi.payback_thresholds_years)
    conf = next((float(c) for c in df.get("confidence", pd.Series(dtype=float)) if c is not None and pd.notna(c)),
                configured.stats.confidence)
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
        "peers        the program's graduates with your background (similarity_level in --json), CIRR excluded left out,",
        "             from the published peer table; all_completers = a real public program's completers with earnings.",
        "             The denominator of every probability. Unknown outcomes count as no gain, as in out_roi__program_costs.",
        "tuition      tuition and fees; total cost = tuition counted + living + earnings forgone + loan interest.",
        "exp. salary  (1 - q) x your counterfactual + q x the peers' mean salary (median if no mean), q = in-field share.",
        "payback      total cost / (exp. salary - your counterfactual), years after graduation; never = no gain.",
        "NPV 10y      net present value of gains minus costs over 10 years from the start of study.",
        f"within Ny    probability of paying back within N years ({ts}): q x the share of peers earning at least your",
        "             counterfactual + cost / N, read from the published quartiles (piecewise-linear approximation),",
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
