"""Build every statistics out table from the core tables of an open DuckDB connection.

Owns ``build_out_tables`` and the per-table steps it runs, in order:
records (SQL, ``flows/sql/stats/_stats_records.sql``) -> cells per grain (SQL, ``flows/sql/stats/_cells.sql``)
-> placement and salary per grain (one table
each) -> role wage benchmarks -> public earnings benchmarks -> program costs and ROI.
Heavy aggregation is SQL (GROUP BY over records); intervals, quantile-rank look-ups and
suppression run in Python per cell. Reads only ``core_*`` tables; writes only the out
tables registered in ``schemas/tables/stats.py``.
Must not touch ingest tables. Definitions: docs/METHODOLOGY.md.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

import schemas  # noqa: F401  (fills the registries)
from schemas.generate import ddl, pandera_model
from schemas.model import TABLES
from schemas.tables.stats import GROUPINGS, METHOD_LABELS, PUBLISHED_NACE, RATES, UNKNOWN, cirr_col, nace_col, placement_table, salary_table
from schemas.vocab import CIRR_CATEGORIES, NACE_CATEGORIES, NO_OUT_OF_FIELD_JOBS, ORIGIN_CLASS_OF, RATE_METHODS
from flows.config import PUBLISHED_WINDOWS
from flows.models import ensure_code_tables, register_code_frame
from flows.stats import roi as roi_fn
from flows.stats.intervals import median_ci_ranks, rate, wilson_interval
from flows.stats.suppression import (cascade_suppression, complementary_suppression, suppressed_keys, low_coverage, low_knowledge_rate,
                                     min_cell_size, primary_suppression)

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
#: Columns that count individuals in a population (cell sizes and denominators): published only when >= k.
#: Rate numerators (e.g. employed_in_field_count in placement) are published with their rate: rate x
#: denominator reveals them anyway, and the denominator is >= k (docs/METHODOLOGY.md, "Suppression").
POPULATION_COUNTS = ("graduates", "cirr_denominator", "career_outcomes_denominator", "graduates_known_outcome",
                     "days_to_job_start_count", "salary_reported_count", "salary_uplift_count")
CATEGORY_COUNTS = tuple(cirr_col(c) for c in CIRR_CATEGORIES) + tuple(nace_col(c) for c in PUBLISHED_NACE)
#: Dimension columns that hold text (an unknown value becomes the code 'unknown').
TEXT_DIMENSIONS = ("data_origin_class", "program_id", "cohort", "pathway", "modality", "pacing", "role_category", "prior_degree", "prior_field")

OUT_TABLES = (tuple(t for g in GROUPINGS for t in (placement_table(g), salary_table(g)))
              + ("out_benchmarks__program_role_wages", "out_benchmarks__program_public_earnings",
                 "out_roi__program_costs"))


def _q(values) -> str:
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


def windows(assumptions: dict) -> list[int]:
    """``[stats] windows_days``; anything but the published pair is refused (the columns name their days)."""
    got = assumptions["stats"]["windows_days"]
    if [int(d) for d in got] != list(PUBLISHED_WINDOWS) or len(got) != 2:
        raise ValueError(f"assumptions: stats.windows_days = {got!r}: only {list(PUBLISHED_WINDOWS)} is supported "
                         "(the out tables' columns are named employed_in_field_90d_* and _180d_*)")
    return [int(d) for d in got]


def confidence(assumptions: dict) -> float:
    """``[stats] confidence``: the two-sided level of every Wilson interval and median interval."""
    return float(assumptions["stats"]["confidence"])


def synthetic_origins(assumptions: dict) -> list[str]:
    """Data origins this repository marks as synthetic (``[reports] synthetic_data_origins``)."""
    return [str(o) for o in assumptions["reports"]["synthetic_data_origins"]]


def origin_class(data_origin: str | None, assumptions: dict) -> str | None:
    """Evidence class of a data origin (schemas/vocab.py ORIGIN_CLASS_OF; synthetic origins first)."""
    if data_origin is None:
        return None
    return "synthetic" if data_origin in synthetic_origins(assumptions) else ORIGIN_CLASS_OF.get(data_origin)


def origin_class_sql(assumptions: dict, col: str = "origin") -> str:
    """SQL giving the evidence class of the data origin ``col``: 'synthetic' for [reports] synthetic_data_origins,
    else its class in the code table ``core_codes__data_origin`` (NULL for an origin without a class)."""
    synth = synthetic_origins(assumptions)
    # The code table as one map (an uncorrelated subquery: the column name never clashes with the table's).
    lookup = ("(SELECT map_from_entries(list((data_origin, data_origin_class))) FROM core_codes__data_origin)"
              f"[{col}]")
    return f"CASE WHEN {col} IN ({_q(synth)}) THEN 'synthetic' ELSE {lookup} END" if synth else lookup


def create_records_view(con: duckdb.DuckDBPyConnection, assumptions: dict) -> None:
    """The temp view ``_stats_records``: one row per record with the counted flags.

    Raises ValueError naming the data origins without an evidence class (code table core_codes__data_origin,
    from schemas/vocab.py ORIGIN_CLASS_OF): their records would otherwise be pooled under an unknown class.
    """
    ensure_code_tables(con)
    win = ",\n           ".join(
        f"in_field AND (days_start <= {d} OR (days_start IS NULL AND days_collected <= {d})) AS in_field_{d}d,\n"
        f"           coalesce(cirr_category <> 'excluded' AND NOT in_field AND days_collected < {d}, false) AS censored_{d}d"
        for d in windows(assumptions))
    synth = synthetic_origins(assumptions)
    sql = (SQL_DIR / "stats" / "_stats_records.sql").read_text().format(
        windows=win, salary_bound=roi_fn.salary_bound_sql(assumptions),
        synthetic_origins=_q(synth) if synth else "NULL")
    con.execute("CREATE OR REPLACE TEMP VIEW _stats_records AS " + sql)
    bad = con.execute("SELECT DISTINCT origin FROM _stats_records WHERE data_origin_class IS NULL").fetchall()
    if bad:
        raise ValueError(f"statistics: data_origin {sorted(str(b[0]) for b in bad)} has no evidence class: add it to "
                         "schemas/vocab.py ORIGIN_CLASS_OF (or to [reports] synthetic_data_origins)")


def _aggregate(con: duckdb.DuckDBPyConnection, assumptions: dict, grouping: str) -> pd.DataFrame:
    """Counts, medians and salary order statistics of one grouping, one row per cell."""
    dims = GROUPINGS[grouping][0]
    where = "WHERE role_category IS NOT NULL" if grouping == "role" else ""
    dim_sql = ", ".join(dims)
    dim_select = ", ".join(f"coalesce({d}, '{UNKNOWN}') AS {d}" if d in TEXT_DIMENSIONS else d for d in dims)
    cirr = ",\n           ".join(f"count(*) FILTER (WHERE cirr_category = '{c}') AS {cirr_col(c)}" for c in CIRR_CATEGORIES)
    nace = ",\n           ".join(f"count(*) FILTER (WHERE nace_category = '{c}') AS {nace_col(c)}" for c in NACE_CATEGORIES)
    d90, d180 = windows(assumptions)[:2]
    con.execute((SQL_DIR / "stats" / "_cells.sql").read_text().format(
        dimensions=dim_select, dimension_names=dim_sql, where=where, cirr_counts=cirr, nace_counts=nace,
        d90=d90, d180=d180, in_field_only_origins=_q(NO_OUT_OF_FIELD_JOBS)))
    # Order-statistic interval of the median: ranks depend on n only, so look them up per distinct n.
    conf = confidence(assumptions)
    ns = [r[0] for r in con.execute("SELECT DISTINCT salary_reported_count FROM _cells").fetchall()]
    ranks = pd.DataFrame([(n, *(median_ci_ranks(int(n), conf) or (None, None))) for n in ns],
                         columns=["n", "rank_lower", "rank_upper"]).astype({"n": "int64", "rank_lower": "Int64", "rank_upper": "Int64"})
    con.register("_ci_ranks", ranks)
    df = con.execute(f"""
        SELECT c.* EXCLUDE (salaries),
               c.salaries[r.rank_lower] AS median_salary_ci_lower_usd,
               c.salaries[r.rank_upper] AS median_salary_ci_upper_usd
        FROM _cells c LEFT JOIN _ci_ranks r ON r.n = c.salary_reported_count
        ORDER BY {dim_sql}
    """).df()
    con.unregister("_ci_ranks")
    con.execute("DROP TABLE IF EXISTS _cells")
    df.attrs["grouping"] = grouping
    return df


def _suppress(df: pd.DataFrame, count_col: str, parent_cols: tuple[str, ...], k: int, what: str,
              suppressed_parents: set | None = None) -> pd.DataFrame:
    """Primary, then parent cascade, then complementary suppression (see flows/stats/suppression.py)."""
    flag, reason = primary_suppression(df[count_col], k, what)
    df = df.assign(is_suppressed=flag.values, suppression_reason=reason.values)
    if suppressed_parents:
        df = cascade_suppression(df, parent_cols, suppressed_parents)
    return complementary_suppression(df, parent_cols, count_col, k=k)


def _null(df: pd.DataFrame, mask, cols) -> None:
    for c in cols:
        if c in df.columns:
            df[c] = df[c].astype(object).where(~np.asarray(mask, dtype=bool), None)


NOT_MEASURED = "not measured: no job start date"


def unknown_start_max_share(assumptions: dict) -> float:
    return float(assumptions["stats"]["unknown_start_max_share"])


def unmeasured_windows(cells: pd.DataFrame, assumptions: dict) -> np.ndarray:
    """True where more than ``[stats] unknown_start_max_share`` of a cell's in-field graduates have no job start
    date: its 90- and 180-day rates would count only those who happened to answer early, so they are not published."""
    in_field = pd.to_numeric(cells["employed_in_field_count"], errors="coerce").fillna(0).to_numpy(float)
    known = pd.to_numeric(cells["days_to_job_start_count"], errors="coerce").fillna(0).to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        unknown_share = np.where(in_field > 0, 1.0 - known / np.where(in_field > 0, in_field, 1.0), 0.0)
    return unknown_share > unknown_start_max_share(assumptions)


def placement_frame(cells: pd.DataFrame, assumptions: dict, suppressed_parents: set | None = None) -> pd.DataFrame:
    """Placement rows of one grain from its aggregated cells: rates, intervals, flags, suppression."""
    k = min_cell_size(assumptions)
    grouping = cells.attrs["grouping"]
    table = TABLES[placement_table(grouping)]
    dims = GROUPINGS[grouping][0]
    df = cells.copy()
    for name, (num, den, _) in RATES.items():
        df[f"{name}_rate"] = rate(df[num], df[den])
        lo, hi = wilson_interval(df[num].to_numpy(float), df[den].to_numpy(float), confidence=confidence(assumptions))
        df[f"{name}_rate_lower"], df[f"{name}_rate_upper"] = lo, hi
    df["is_low_coverage"] = low_coverage(df["knowledge_rate"], low_knowledge_rate(assumptions)).values
    df["rate_method"] = df["_evidence_class"].map(lambda c: RATE_METHODS[c][0])
    df["interval_note"] = df["_evidence_class"].map(lambda c: RATE_METHODS[c][1])
    df["career_outcomes_rate_is_lower_bound"] = df["career_outcomes_rate_is_lower_bound"].astype(bool)
    unmeasured = unmeasured_windows(df, assumptions)
    df["window_rates_note"] = np.where(unmeasured, NOT_MEASURED, None)
    parents = GROUPINGS[grouping][1]
    df = _suppress(df, "graduates", parents, k, "graduates", suppressed_parents)
    supp = df["is_suppressed"].astype(bool).to_numpy()
    value_cols = [c for c in table.fields if c not in ("is_suppressed", "suppression_reason", "is_low_coverage") + dims
                  + METHOD_LABELS]
    _null(df, supp, value_cols)
    # Within a published cell: a rate over fewer than k individuals is withheld with its n.
    for name, (num, den, _) in RATES.items():
        small = ~supp & (pd.to_numeric(df[den], errors="coerce").fillna(0) < k).to_numpy()
        _null(df, small, (num, den, f"{name}_rate", f"{name}_rate_lower", f"{name}_rate_upper"))
    small = ~supp & (pd.to_numeric(df["days_to_job_start_count"], errors="coerce").fillna(0) < k).to_numpy()
    _null(df, small, ("days_to_job_start_count", "median_days_to_job_start"))
    # Category counts between 1 and k-1 are withheld (0 and >= k are published).
    for c in CATEGORY_COUNTS:
        v = pd.to_numeric(df[c], errors="coerce")
        _null(df, ((v > 0) & (v < k)).fillna(False).to_numpy(), (c,))
    # Window rates not measurable (most in-field start dates unknown): null, with window_rates_note.
    _null(df, unmeasured, [f"{w}_rate{b}" for w in ("employed_in_field_90d", "employed_in_field_180d")
                           for b in ("", "_lower", "_upper")])
    # A rate whose numerator or denominator is withheld is withheld with its bounds (rate x n gives the count).
    for name, (num, den, _) in RATES.items():
        _null(df, (df[num].isna() | df[den].isna()).to_numpy(), (f"{name}_rate", f"{name}_rate_lower", f"{name}_rate_upper"))
    out = df[list(table.fields)]
    out.attrs["grouping"] = grouping
    return out


def salary_frame(cells: pd.DataFrame, assumptions: dict, suppressed_parents: set | None = None,
                 placement_suppressed: set | None = None) -> pd.DataFrame:
    """Salary rows of one grain. A cell is suppressed when its reporters are under k, by the
    parent cascade and complementary rule on reporters, or when the same cell of placement is suppressed."""
    k = min_cell_size(assumptions)
    grouping = cells.attrs["grouping"]
    table = TABLES[salary_table(grouping)]
    dims = GROUPINGS[grouping][0]
    df = cells.copy()
    df["salary_reported_share"] = rate(df["salary_reported_count"], df["employed_in_field_count"])
    df["is_low_coverage"] = low_coverage(rate(df["graduates_known_outcome"], df["graduates"]),
                                         low_knowledge_rate(assumptions)).values
    parents = GROUPINGS[grouping][1]
    # The salary cell is the reporters; a cell whose graduates are under k is suppressed too (implied: reporters <= graduates).
    df = _suppress(df, "salary_reported_count", parents, k, "graduates reporting a salary", suppressed_parents)
    if placement_suppressed:
        keys = pd.Series(list(zip(*(df[d] for d in dims))), index=df.index)
        hit = keys.isin(placement_suppressed) & ~df["is_suppressed"].astype(bool)
        df.loc[hit, "is_suppressed"] = True
        df.loc[hit, "suppression_reason"] = "complementary: the cell's placement row is suppressed"
        df = complementary_suppression(df, parents, "salary_reported_count", k=k)
    supp = df["is_suppressed"].astype(bool).to_numpy()
    value_cols = [c for c in table.fields if c not in ("is_suppressed", "suppression_reason", "is_low_coverage") + dims]
    _null(df, supp, value_cols)
    small = ~supp & (pd.to_numeric(df["salary_uplift_count"], errors="coerce").fillna(0) < k).to_numpy()
    _null(df, small, ("salary_uplift_count", "median_salary_uplift_usd", "median_salary_uplift_ratio"))
    out = df[list(table.fields)]
    out.attrs["grouping"] = grouping
    return out


def _write(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame) -> None:
    pandera_model(table).validate(df, lazy=True)
    con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute(ddl(table))
    if len(df):
        con.register("_frame", df)
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _frame")
        con.unregister("_frame")


def role_wage_benchmarks(con: duckdb.DuckDBPyConnection, assumptions: dict) -> pd.DataFrame:
    """Program x role x SOC: the program's median in-field salary in the role beside BLS OEWS medians."""
    k = min_cell_size(assumptions)
    df = con.execute("""
        WITH national AS (   -- latest year with a released national median per SOC code
            SELECT soc_code, reference_year, wage_usd
            FROM core_bls_oews__wages
            WHERE area_type = 'national' AND wage_measure = 'annual_median' AND wage_usd IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY soc_code ORDER BY reference_year DESC) = 1
        ),
        state AS (
            SELECT soc_code, state_code, reference_year, wage_usd
            FROM core_bls_oews__wages
            WHERE area_type = 'state' AND wage_measure = 'annual_median' AND wage_usd IS NOT NULL
        ),
        program_role AS (
            SELECT program_id, role_category, count(salary_usd) AS salary_reported_count,
                   quantile_cont(salary_usd, 0.5) AS median_base_salary_usd
            FROM _stats_records WHERE role_category IS NOT NULL AND in_field
            GROUP BY program_id, role_category
        ),
        final AS (
            SELECT pr.program_id, pr.role_category, x.soc_code, x.soc_title, p.state_code, p.country_code,
                   pr.salary_reported_count, pr.median_base_salary_usd,
                   n.reference_year AS bls_reference_year, n.wage_usd AS bls_national_median_usd,
                   s.wage_usd AS bls_state_median_usd
            FROM program_role pr
            JOIN core_bls_oews__role_soc_crosswalk x USING (role_category)
            LEFT JOIN core_programs__programs p USING (program_id)
            LEFT JOIN national n ON n.soc_code = x.soc_code
            LEFT JOIN state s ON s.soc_code = x.soc_code AND s.state_code = p.state_code
                             AND s.reference_year = n.reference_year
        )
        SELECT * FROM final ORDER BY program_id, role_category, soc_code
    """).df()
    # BLS OEWS are US wages: only US programs, or programs of a country configured with bls_benchmark.
    country = [roi_fn.program_country(c, s) for c, s in zip(df["country_code"], df["state_code"])]
    df["country_code"] = country
    off = np.array([not roi_fn.country_has_bls_benchmark(c, assumptions["roi"]) for c in country], dtype=bool)
    df["benchmark_note"] = [("no benchmark: country unknown" if c is None
                             else f"no benchmark for this country ({c})") if o else None for c, o in zip(country, off)]
    _null(df, off, ("bls_reference_year", "bls_national_median_usd", "bls_state_median_usd"))
    df["ratio_to_bls_national"] = rate(df["median_base_salary_usd"], df["bls_national_median_usd"])
    df["ratio_to_bls_state"] = rate(df["median_base_salary_usd"], df["bls_state_median_usd"])
    # Siblings: the roles of one program (SOC rows of one role share one count, so group by program x SOC).
    df = _suppress(df, "salary_reported_count", ("program_id", "soc_code"), k, "graduates reporting a salary")
    _null(df, df["is_suppressed"].astype(bool).to_numpy(),
          ("salary_reported_count", "median_base_salary_usd", "ratio_to_bls_national", "ratio_to_bls_state"))
    return df[list(TABLES["out_benchmarks__program_role_wages"].fields)]


def public_earnings_benchmarks(con: duckdb.DuckDBPyConnection, placement: pd.DataFrame,
                               salary: pd.DataFrame) -> pd.DataFrame:
    """Programs with a public match: record-level figures (already suppressed) beside public earnings.

    ``placement`` and ``salary`` are the program-grain frames."""
    rows = con.execute("""
        WITH links AS (SELECT * FROM core_links__program_public_ids),
        earnings AS (SELECT * FROM core_public__program_earnings),
        matched AS (   -- same institution id (UNITID or PSEO code), same credential level,
                       -- the public CIP is the program's CIP or its 2-/4-digit prefix
            SELECT l.program_id, e.*
            FROM links l JOIN earnings e
              ON (e.institution_id = l.unitid OR e.institution_id = l.pseo_institution_id)
             AND e.credential_level = l.credential_level
             AND starts_with(l.cip_code, e.cip_code)
        )
        SELECT program_id, data_origin, institution_id, cip_code, credential_level, credential_level_code,
               grad_cohort, years_after_graduation, earnings_p25_usd, earnings_median_usd, earnings_p75_usd,
               earnings_count, value_status
        FROM matched ORDER BY ALL
    """).df()
    p = placement[["program_id", "graduates", "employed_in_field_180d_rate", "is_suppressed", "suppression_reason",
                   "is_low_coverage"]]
    s = salary[["program_id", "salary_reported_count", "median_base_salary_usd"]]
    df = rows.merge(p, on="program_id", how="left").merge(s, on="program_id", how="left")
    df["is_suppressed"] = df["is_suppressed"].astype("boolean").fillna(True).astype(bool)
    df["suppression_reason"] = df["suppression_reason"].where(df["program_id"].isin(p["program_id"]),
                                                              "primary: no graduate records")
    df["is_low_coverage"] = df["is_low_coverage"].astype("boolean").fillna(False).astype(bool)
    df["ratio_to_public_median"] = rate(pd.to_numeric(df["median_base_salary_usd"]), pd.to_numeric(df["earnings_median_usd"]))
    return df[list(TABLES["out_benchmarks__program_public_earnings"].fields)]


def register_baselines(con: duckdb.DuckDBPyConnection, assumptions: dict) -> str:
    """The configured counterfactual baseline salaries ([roi.baseline_salary_usd]) as the run-time code table
    ``_codes__roi_baseline_salary`` (prior_degree, baseline_salary_usd; 'unknown' for any other degree)."""
    base = assumptions["roi"]["baseline_salary_usd"]
    rows = [(d, float(v)) for d, v in base.items() if d != "source"]
    return register_code_frame(con, "_codes__roi_baseline_salary",
                               pd.DataFrame(rows, columns=["prior_degree", "baseline_salary_usd"]))


def program_costs_frame(con: duckdb.DuckDBPyConnection, assumptions: dict, placement: pd.DataFrame,
                        salary: pd.DataFrame) -> pd.DataFrame:
    """Per program: costs, counterfactual, expected earnings, payback, NPV, debt ratios."""
    roi = assumptions["roi"]
    k = min_cell_size(assumptions)
    baselines = register_baselines(con, assumptions)
    progs = con.execute(f"""
        WITH baseline AS (   -- the configured baseline of the record's prior degree, else of 'unknown'
            SELECT r.program_id, r.prior_salary_usd, r.is_salary_outlier,
                   coalesce(b.baseline_salary_usd,
                            (SELECT baseline_salary_usd FROM {baselines} WHERE prior_degree = 'unknown')) AS baseline_salary_usd
            FROM _stats_records r LEFT JOIN {baselines} b USING (prior_degree)
        ),
        counterfactual AS (
            SELECT program_id,
                   quantile_cont(coalesce(prior_salary_usd, baseline_salary_usd), 0.5) AS counterfactual_salary_usd,
                   avg((prior_salary_usd IS NOT NULL)::INTEGER) AS prior_salary_known_share,
                   count(*) FILTER (WHERE is_salary_outlier) AS salary_outliers_count
            FROM baseline GROUP BY program_id
        )
        SELECT p.program_id, p.pathway, p.modality, p.pacing, p.duration_months, p.tuition_fees_usd,
               p.country_code, p.state_code, c.counterfactual_salary_usd, c.prior_salary_known_share,
               c.salary_outliers_count
        FROM core_programs__programs p LEFT JOIN counterfactual c USING (program_id)
        ORDER BY p.program_id
    """).df()
    con.unregister(baselines)
    pl = placement[
        ["program_id", "graduates", "employed_in_field_180d_rate", "is_suppressed", "suppression_reason", "is_low_coverage"]]
    sa = salary[
        ["program_id", "salary_reported_count", "median_base_salary_usd", "salary_p25_usd", "salary_p75_usd", "is_suppressed",
         "suppression_reason"]]
    df = progs.merge(pl, on="program_id", how="left").merge(sa, on="program_id", how="left", suffixes=("", "_salary"))
    horizons = [int(h) for h in roi["npv_horizons_years"]]
    rows = []
    for r in df.itertuples(index=False):
        out = {c: getattr(r, c) for c in ("program_id", "pathway", "modality", "pacing", "duration_months",
                                           "graduates", "salary_reported_count", "median_base_salary_usd",
                                           "employed_in_field_180d_rate", "tuition_fees_usd",
                                           "counterfactual_salary_usd", "prior_salary_known_share",
                                           "salary_outliers_count")}
        country = roi_fn.program_country(r.country_code, r.state_code)
        loan_rate, loan_note = roi_fn.country_loan_rate(country, roi)
        _, waived = roi_fn.pathway_funding(r.pathway, roi)
        out.update(discount_rate=float(roi["discount_rate"]), loan_rate=loan_rate, loan_rate_note=loan_note,
                   country_code=country, tuition_waived=waived,
                   is_low_coverage=bool(r.is_low_coverage) if pd.notna(r.is_low_coverage) else False)
        if pd.isna(r.is_suppressed):
            out.update(is_suppressed=True, suppression_reason="primary: no graduate records")
        elif bool(r.is_suppressed) or bool(r.is_suppressed_salary):
            out.update(is_suppressed=True, suppression_reason=r.suppression_reason if r.is_suppressed else r.suppression_reason_salary)
        else:
            out.update(is_suppressed=False, suppression_reason=None)
        known = all(pd.notna(v) for v in (r.tuition_fees_usd, r.duration_months))
        if known and not out["is_suppressed"] and pd.notna(r.employed_in_field_180d_rate) and pd.notna(r.median_base_salary_usd):
            cf = float(r.counterfactual_salary_usd)
            costs = roi_fn.program_costs(r.tuition_fees_usd, r.duration_months, r.modality, r.pacing, cf, roi,
                                         loan_rate, pathway=r.pathway, has_loan_rate=loan_rate is not None)
            p_in = float(r.employed_in_field_180d_rate)
            expected = roi_fn.expected_salary(p_in, float(r.median_base_salary_usd), cf)
            gain = roi_fn.expected_gain(p_in, float(r.median_base_salary_usd), cf)
            years = float(r.duration_months) / 12.0
            out.update(
                stipend_usd=costs.stipend_usd,
                living_relocation_usd=costs.living_relocation_usd, forgone_earnings_usd=costs.forgone_earnings_usd,
                financed_usd=costs.financed_usd, loan_interest_usd=costs.loan_interest_usd,
                monthly_loan_payment_usd=costs.monthly_loan_payment_usd, total_cost_usd=costs.total_usd,
                expected_salary_usd=expected, annual_gain_usd=gain,
                payback_years=roi_fn.finite_or_none(roi_fn.payback_years(costs.total_usd, gain)),
                # the payback range: the same formula with the 25th / 75th percentile in-field salary in place of the median
                **{f"payback_years_{q}_salary": roi_fn.finite_or_none(roi_fn.payback_years(
                    costs.total_usd, roi_fn.expected_gain(p_in, float(v), cf))) if pd.notna(v) else None
                   for q, v in (("p25", r.salary_p25_usd), ("p75", r.salary_p75_usd))},
                debt_to_earnings_ratio=(None if costs.financed_usd is None
                                        else costs.financed_usd / float(r.median_base_salary_usd)),
                loan_payment_salary_share=(None if costs.monthly_loan_payment_usd is None
                                           else roi_fn.payment_to_income_share(costs.monthly_loan_payment_usd, float(r.median_base_salary_usd))),
            )
            for h in horizons:
                out[f"npv_{h}y_usd"] = roi_fn.npv_from_costs(costs, h, years, gain, roi)
        if out["is_suppressed"]:
            for c in ("graduates", "salary_reported_count", "median_base_salary_usd", "employed_in_field_180d_rate",
                      "counterfactual_salary_usd", "prior_salary_known_share", "salary_outliers_count"):
                out[c] = None
        rows.append(out)
    cols = list(TABLES["out_roi__program_costs"].fields)
    return pd.DataFrame(rows, columns=cols) if rows else pd.DataFrame(columns=cols)


def build_out_tables(con: duckdb.DuckDBPyConnection, assumptions: dict) -> list[str]:
    """(Re)create every statistics out table from the core tables; returns their names.

    Each table is dropped, created from ``schemas.generate.ddl`` and filled with a frame that
    passed its Pandera model. Empty core tables give empty (but created) out tables.
    """
    create_records_view(con, assumptions)
    done: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}
    for grouping, (dims, parent_cols) in GROUPINGS.items():
        cells = _aggregate(con, assumptions, grouping)
        # A grain whose sibling groups are another grain's cells inherits its suppression.
        parent = next((g for g, (d, _) in GROUPINGS.items() if parent_cols and d == parent_cols), None)
        sp_p = suppressed_keys(done[parent][0], parent_cols) if parent in done else None
        sp_s = suppressed_keys(done[parent][1], parent_cols) if parent in done else None
        placement = placement_frame(cells, assumptions, sp_p)
        p_supp = set(zip(*(placement.loc[placement["is_suppressed"].astype(bool), d] for d in dims)))
        done[grouping] = (placement, salary_frame(cells, assumptions, sp_s, p_supp))
    frames = {}
    for grouping, (placement, salary) in done.items():
        frames[placement_table(grouping)] = placement
        frames[salary_table(grouping)] = salary
    program_p, program_s = done["program"]
    frames.update({
        "out_benchmarks__program_role_wages": role_wage_benchmarks(con, assumptions),
        "out_benchmarks__program_public_earnings": public_earnings_benchmarks(con, program_p, program_s),
        "out_roi__program_costs": program_costs_frame(con, assumptions, program_p, program_s),
    })
    for table, df in frames.items():
        _write(con, table, df)
    con.execute("DROP VIEW IF EXISTS _stats_records")
    return list(frames)
