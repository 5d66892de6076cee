"""The out tables the reports read beyond the statistics tables.

Owns ``build_report_tables(con, assumptions)``, run in the statistics stage right after
``build_out_tables`` (it reads the out tables that one wrote, and the core tables):

- ``out_reports__pathway_medians``: the median program of each pathway;
- ``out_reports__roi_sensitivity``: payback and NPV against salary factor x loan rate;
- ``out_reports__program_prior_background``: "graduates like you" per program x prior degree;
- ``out_reports__program_notices``: synthetic-data notices per program;
- the disclosure step over every public count table (``flows/stats/audit.py``): withhold further
  counts until no published figure pins a withheld one, rewrite the tables it changed, and write
  the audit's result to ``out_disclosure__audit_runs`` (the refresh fails when the audit does).

Suppression follows docs/METHODOLOGY.md: medians over programs use only published program rows;
the prior-background cells are suppressed below k (primary, parent cascade, complementary).
Settings: ``[reports]`` of flows/assumptions.toml.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

import schemas  # noqa: F401
from schemas.model import TABLES
from flows.stats import audit as audit_fn
from flows.stats import roi as roi_fn
from flows.stats.peers import PEER_TABLE, peer_groups_frame
from flows.stats.build import (NOT_MEASURED, _null, _q, _suppress, _write, confidence, create_records_view, origin_class_sql,
                               unmeasured_windows, windows)
from flows.stats.intervals import rate, wilson_interval
from flows.stats.suppression import complementary_suppression, min_cell_size

REPORT_TABLES = ("out_reports__pathway_medians", "out_reports__roi_sensitivity",
                 "out_reports__program_prior_background", "out_reports__program_notices", PEER_TABLE,
                 "out_disclosure__audit_runs")

def report_settings(assumptions: dict) -> dict:
    """The ``[reports]`` settings (checked when the assumptions are loaded); the loan-rate grid always holds
    ``[roi] loan_rate``."""
    cfg = assumptions["reports"]
    factors = sorted({float(f) for f in cfg["sensitivity_salary_factors"]})
    base_rate = float(assumptions["roi"]["loan_rate"])
    rates = sorted({float(r) for r in cfg["sensitivity_loan_rates"]} | {base_rate})
    return {"salary_factors": factors, "loan_rates": rates,
            "synthetic_data_origins": list(cfg["synthetic_data_origins"]),
            "synthetic_notice": str(cfg["synthetic_notice"])}


def pathway_medians(con: duckdb.DuckDBPyConnection, assumptions: dict) -> pd.DataFrame:
    """The median program of each evidence class x pathway, over programs whose ROI row is published.

    Programs of different evidence classes (e.g. synthetic and self-reported survey) are never pooled.
    """
    df = con.execute(f"""
        WITH classed AS (
            SELECT *, {origin_class_sql(assumptions, "data_origin")} AS data_origin_class FROM core_programs__programs
        ),
        programs AS (
            SELECT data_origin_class, pathway, count(*) AS pathway_programs_count,
                   quantile_cont(tuition_fees_usd, 0.5) AS pathway_median_tuition_fees_usd,
                   quantile_cont(duration_months, 0.5) AS pathway_median_duration_months
            FROM classed GROUP BY data_origin_class, pathway
        ),
        published AS (
            SELECT r.*, c.data_origin_class FROM out_roi__program_costs r JOIN classed c USING (program_id)
            WHERE NOT r.is_suppressed AND r.employed_in_field_180d_rate IS NOT NULL AND r.median_base_salary_usd IS NOT NULL
        ),
        roi AS (
            SELECT data_origin_class, pathway, count(*) AS pathway_programs_published_count,
                   quantile_cont(employed_in_field_180d_rate, 0.5) AS pathway_median_in_field_180d_rate,
                   quantile_cont(median_base_salary_usd, 0.5) AS pathway_median_salary_usd,
                   quantile_cont(total_cost_usd, 0.5) AS pathway_median_total_cost_usd,
                   count(payback_years) AS pathway_payback_count,
                   quantile_cont(payback_years, 0.5) AS pathway_median_payback_years,
                   quantile_cont(npv_10y_usd, 0.5) AS pathway_median_npv_10y_usd
            FROM published GROUP BY data_origin_class, pathway
        )
        SELECT p.*, coalesce(r.pathway_programs_published_count, 0) AS pathway_programs_published_count,
               r.* EXCLUDE (data_origin_class, pathway, pathway_programs_published_count)
        FROM programs p LEFT JOIN roi r USING (data_origin_class, pathway)
        ORDER BY data_origin_class, pathway
    """).df()
    df["pathway_payback_count"] = df["pathway_payback_count"].fillna(0).astype("int64")
    return df[list(TABLES["out_reports__pathway_medians"].fields)]


def roi_sensitivity(con: duckdb.DuckDBPyConnection, assumptions: dict) -> pd.DataFrame:
    """Payback and NPV (10 years) per published program for each salary factor x loan rate.

    Same formulas as out_roi__program_costs (flows.stats.roi): the scenario salary replaces the
    median in-field salary in the expected salary; the loan rate changes the interest cost.
    """
    roi = assumptions["roi"]
    grid = report_settings(assumptions)
    progs = con.execute("""
        SELECT r.program_id, r.pathway, r.modality, r.pacing, r.duration_months, r.tuition_fees_usd,
               r.counterfactual_salary_usd, r.employed_in_field_180d_rate, r.median_base_salary_usd
        FROM out_roi__program_costs r
        WHERE NOT r.is_suppressed AND r.total_cost_usd IS NOT NULL AND r.counterfactual_salary_usd IS NOT NULL
        ORDER BY r.program_id
    """).df()
    rows = []
    for r in progs.itertuples(index=False):
        cf, p_in, years = float(r.counterfactual_salary_usd), float(r.employed_in_field_180d_rate), float(r.duration_months) / 12.0
        salaries = float(r.median_base_salary_usd) * np.asarray(grid["salary_factors"], dtype=float)
        gains = roi_fn.expected_gain(p_in, salaries, cf)
        for loan_rate in grid["loan_rates"]:
            costs = roi_fn.program_costs(r.tuition_fees_usd, r.duration_months, r.modality, r.pacing, cf, roi,
                                         loan_rate=loan_rate, pathway=r.pathway)
            paybacks = roi_fn.payback_years(costs.total_usd, gains)  # every salary scenario at once
            npvs = roi_fn.npv_from_costs(costs, 10, years, gains, roi)
            for i, factor in enumerate(grid["salary_factors"]):
                rows.append(dict(program_id=r.program_id, salary_scenario_factor=factor, loan_rate=loan_rate,
                                 scenario_salary_usd=float(salaries[i]), total_cost_usd=costs.total_usd,
                                 annual_gain_usd=float(gains[i]), payback_years=roi_fn.finite_or_none(paybacks[i]),
                                 npv_10y_usd=float(npvs[i])))
    cols = list(TABLES["out_reports__roi_sensitivity"].fields)
    return pd.DataFrame(rows, columns=cols) if rows else pd.DataFrame(columns=cols)


def prior_background(con: duckdb.DuckDBPyConnection, assumptions: dict) -> pd.DataFrame:
    """Per program x prior degree: graduates, in-field rate at 180 days (Wilson), median salary; suppressed below k.

    Siblings are the prior degrees of one program (their graduates add up to the program's
    published total), so the complementary rule runs within each program; graduates of unknown
    prior degree are a sibling that is never published (treated as suppressed). A suppressed
    program (placement row) suppresses all its cells. The salary median is withheld (with its n)
    when fewer than k reported one, with the same complementary rule on reporters.
    """
    k = min_cell_size(assumptions)
    create_records_view(con, assumptions)
    d180 = windows(assumptions)[1]
    cells = con.execute(f"""
        SELECT * FROM (
        SELECT program_id, coalesce(prior_degree, 'unknown') AS prior_degree, count(*) AS graduates,
               count(*) FILTER (WHERE NOT excluded) AS cirr_denominator,
               count(*) FILTER (WHERE in_field_{d180}d) AS employed_in_field_180d_count,
               count(*) FILTER (WHERE NOT excluded AND NOT censored_{d180}d) AS employed_in_field_180d_denominator,
               count(*) FILTER (WHERE in_field) AS employed_in_field_count,
               count(in_field_days_start) AS days_to_job_start_count,
               count(salary_usd) AS salary_reported_count,
               quantile_cont(salary_usd, 0.5) AS median_base_salary_usd
        FROM _stats_records GROUP BY ALL
        ) ORDER BY program_id, prior_degree = 'unknown', prior_degree
    """).df()
    con.execute("DROP VIEW IF EXISTS _stats_records")
    cols = list(TABLES["out_reports__program_prior_background"].fields)
    if cells.empty:
        return pd.DataFrame(columns=cols)
    cells["employed_in_field_180d_rate"] = rate(cells["employed_in_field_180d_count"], cells["employed_in_field_180d_denominator"])
    lo, hi = wilson_interval(cells["employed_in_field_180d_count"].to_numpy(float),
                             cells["employed_in_field_180d_denominator"].to_numpy(float),
                             confidence=confidence(assumptions))
    cells["employed_in_field_180d_rate_lower"], cells["employed_in_field_180d_rate_upper"] = lo, hi
    # As in the placement tables: no 180-day rate where most in-field start dates are unknown.
    unmeasured = unmeasured_windows(cells, assumptions)
    cells["window_rates_note"] = np.where(unmeasured, NOT_MEASURED, None)
    _null(cells, unmeasured, ("employed_in_field_180d_rate", "employed_in_field_180d_rate_lower",
                              "employed_in_field_180d_rate_upper"))
    suppressed_programs = {r[0] for r in con.execute(
        "SELECT program_id FROM out_outcomes__program_placement WHERE is_suppressed").fetchall()}
    df = _suppress(cells, "graduates", ("program_id",), k, "graduates", {(p,) for p in suppressed_programs})
    unknown = df["prior_degree"] == "unknown"
    df = _force_suppressed(df, unknown, "graduates", k)
    supp = df["is_suppressed"].astype(bool).to_numpy()
    _null(df, supp, [c for c in cols if c not in ("program_id", "prior_degree", "is_suppressed", "suppression_reason")])
    small = ~supp & (pd.to_numeric(df["employed_in_field_180d_denominator"], errors="coerce").fillna(0) < k).to_numpy()
    _null(df, small, ("cirr_denominator", "employed_in_field_180d_count", "employed_in_field_180d_denominator",
                      "employed_in_field_180d_rate",
                      "employed_in_field_180d_rate_lower", "employed_in_field_180d_rate_upper"))
    # Salary: its own primary + complementary rule on reporters within the program.
    reporters = pd.to_numeric(cells["salary_reported_count"], errors="coerce").fillna(0)
    sal = pd.DataFrame({"program_id": df["program_id"], "salary_reported_count": reporters,
                        "is_suppressed": supp | unknown.to_numpy() | (reporters < k).to_numpy(),
                        "suppression_reason": None}, index=df.index)
    sal = complementary_suppression(sal, ("program_id",), "salary_reported_count", k=k)
    _null(df, sal["is_suppressed"].astype(bool).to_numpy() & ~supp, ("salary_reported_count", "median_base_salary_usd"))
    df = df[~unknown].reset_index(drop=True)
    return df[cols]


def _force_suppressed(df: pd.DataFrame, mask: pd.Series, count_col: str, k: int) -> pd.DataFrame:
    """Mark unpublished cells suppressed, then re-run the complementary rule within each program."""
    out = df.copy()
    hit = mask & ~out["is_suppressed"].astype(bool)
    out.loc[hit, "is_suppressed"] = True
    out.loc[hit, "suppression_reason"] = "not published: prior degree unknown"
    return complementary_suppression(out, ("program_id",), count_col, k=k)


def program_notices(con: duckdb.DuckDBPyConnection, assumptions: dict) -> pd.DataFrame:
    cfg = report_settings(assumptions)
    origins = cfg["synthetic_data_origins"]
    synth = f"data_origin IN ({_q(origins)})" if origins else "FALSE"
    df = con.execute(f"""
        SELECT program_id, data_origin, {origin_class_sql(assumptions, "data_origin")} AS data_origin_class,
               {synth} AS is_synthetic,
               CASE WHEN {synth} THEN ? END AS data_notice
        FROM core_programs__programs ORDER BY program_id
    """, [cfg["synthetic_notice"]]).df()
    df["is_synthetic"] = df["is_synthetic"].astype(bool)
    return df[list(TABLES["out_reports__program_notices"].fields)]


def build_report_tables(con: duckdb.DuckDBPyConnection, assumptions: dict) -> list[str]:
    """(Re)create the report out tables; run after ``build_out_tables`` on the same connection."""
    # Disclosure: withhold further counts until no published figure pins a withheld one (over every public
    # count table at once, the prior-degree cells included), rewrite the tables that changed, then the
    # tables derived from them, then audit the result (out_disclosure__audit_runs).
    k = min_cell_size(assumptions)
    width = audit_fn.protection_width(assumptions)
    counts, programs = audit_fn.read_public(con, {"out_reports__program_prior_background": prior_background(con, assumptions),
                                                  PEER_TABLE: peer_groups_frame(con, assumptions)}, assumptions)
    solved: dict = {}  # the ranges protect solved, by each group's whole program: the audit re-solves what differs
    changed = audit_fn.protect_frames(counts, programs, width, small=k, cache=solved)
    for table in changed - {"out_reports__program_prior_background", PEER_TABLE}:
        _write(con, table, counts[table])
    frames = {
        "out_reports__pathway_medians": pathway_medians(con, assumptions),
        "out_reports__roi_sensitivity": roi_sensitivity(con, assumptions),
        "out_reports__program_prior_background": counts["out_reports__program_prior_background"],
        "out_reports__program_notices": program_notices(con, assumptions),
        PEER_TABLE: counts[PEER_TABLE],
    }
    for table, df in frames.items():
        _write(con, table, df)
    res = audit_fn.audit_frames(counts, programs, width, small=k, sample=audit_fn.AUDIT_SAMPLE_ABOVE, cache=solved)
    _write(con, "out_disclosure__audit_runs", audit_fn.audit_row(res, width, k))
    if not res.passed:
        raise RuntimeError(f"disclosure audit failed: {len(res.exposed)} withheld counts are pinned, e.g. {res.exposed[:3]}")
    return list(frames) + ["out_disclosure__audit_runs"]
