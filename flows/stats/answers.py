"""The answers tables: real programs' premium, cost and payback, peer earnings and the plain-language statements.

Owns ``build_answer_tables(con, assumptions)``, run in the statistics stage after the report tables, and
the steps it runs, in order: graduate tuition code table -> curated cost overrides -> program earnings
(SQL, ``flows/sql/_answers_program_earnings.sql``) -> ``out_public__program_premium`` ->
``out_public__field_premium`` -> ``out_roi__public_program_costs`` -> ``out_answers__peer_earnings`` ->
``out_answers__statements``. Reads core tables of public sources and the out tables of the self-reported
surveys (freeCodeCamp bootcamps, Kaggle); never the curated (synthetic) records, and every program it
reads is a row of ``core_programs__programs`` with data_origin 'public_records'. Writes only the tables
registered in ``schemas/tables/answers.py``. Definitions: docs/METHODOLOGY.md.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

import schemas  # noqa: F401  (fills the registries)
from schemas.model import TABLES, VOCABULARIES
from flows import settings
from flows.config import check_section
from flows.sources.config import source_config
from flows.stats import public_roi as pr
from flows.stats.build import _write

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
ANSWER_TABLES = ("core_reference__graduate_tuition", "core_public__program_cost_overrides", "out_public__program_premium",
                 "out_public__field_premium", "out_roi__public_program_costs", "out_answers__peer_earnings",
                 "out_answers__statements")
FIELD_SCOPES = {"11": "CIP 11 computer and information sciences", "27.05": "CIP 27.05 statistics",
                "30.08": "CIP 30.08 mathematics and computer science", "30.70": "CIP 30.70 data science"}
LEVEL_TEXT = {"masters": "master's", "doctoral": "research doctorate", "bachelors": "bachelor's",
              "graduate_certificate": "graduate certificate", "undergraduate_certificate": "undergraduate certificate",
              "post_baccalaureate_certificate": "post-baccalaureate certificate", "associate": "associate degree",
              "first_professional": "first professional degree", "post_masters_certificate": "post-master's certificate",
              "other_doctoral": "other doctorate"}
SOURCE_NAMES = {
    "college_scorecard": "U.S. Department of Education, College Scorecard, field of study (FieldOfStudyData1516_1617_PP)",
    "census_pseo": "U.S. Census Bureau, Post-Secondary Employment Outcomes (PSEO)",
    "colorado_roi": "Colorado Department of Higher Education, Return on Investment 2019",
    "nsf_ncses": "National Science Foundation, NCSES, National Survey of College Graduates",
    "fivethirtyeight": "FiveThirtyEight, The Economic Guide To Picking A College Major (ACS 2010-2012, grad-students.csv)",
    "kaggle_2017": "Kaggle ML and Data Science Survey 2017 (self-reported, self-selected online survey)",
    "freecodecamp_2016": "freeCodeCamp and CodeNewbie, 2016 New Coder Survey (self-reported, self-selected)",
    "outcome_reports": "Published outcome report (CIRR format)",
    "public_records": "College Scorecard, Census PSEO and Colorado ROI 2019 earnings; NCES Digest Table 330.50 tuition (assumed)",
}
#: Kaggle 2017 formal education -> credential level (none for education without a completed degree).
KAGGLE_LEVELS = {"bachelors": "bachelors", "masters": "masters", "doctoral": "doctoral", "professional": "first_professional"}
SELF_REPORTED = "Self-reported survey: answers nobody verified, from people who chose to respond; a peers view, not program outcomes."


def _usd(x) -> str:
    return f"-${-x:,.0f}" if x < 0 else f"${x:,.0f}"


def _more(x) -> str:
    """'$1,200 more' / '$1,200 less' for a difference."""
    return f"{_usd(abs(x))} {'less' if x < 0 else 'more'}"


def public_roi_settings(assumptions: dict) -> dict:
    """``[public_roi]`` (types and ranges checked when the assumptions are loaded), its study lengths' credential
    levels checked against the vocabulary."""
    cfg = check_section("public_roi", assumptions["public_roi"])
    if not cfg["study_years"]:
        raise ValueError("assumptions: public_roi.study_years is empty")
    for level in cfg["study_years"]:
        if level not in VOCABULARIES["credential_level"].codes:
            raise ValueError(f"assumptions: public_roi.study_years.{level}: unknown credential level "
                             f"(one of {', '.join(VOCABULARIES['credential_level'].codes)})")
    return cfg


def cip_family_sql(prefixes: list[str], col: str = "cip_code") -> str:
    """SQL CASE: the configured field of a CIP code (exact code or a 4/6-digit code under it), else NULL."""
    whens = " ".join(f"WHEN {col} = '{p}' OR {col} LIKE '{p}.%' OR ({len(p)} = 5 AND {col} LIKE '{p}%') THEN '{p}'"
                     for p in sorted(prefixes, key=len, reverse=True))
    return f"CASE {whens} END"


def cip_prefixes() -> list[str]:
    return [str(p) for p in source_config("public_programs")["program_cip_prefixes"]]


def constant_year() -> int:
    return int(source_config("public_programs")["constant_dollar_year"])


def cpi_table(con: duckdb.DuckDBPyConnection) -> dict[int, float]:
    return {int(y): float(v) for y, v in con.execute(
        "SELECT cpi_year, cpi_u_annual_average FROM core_reference__cpi_u_annual").fetchall()}


def program_earnings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every published (or withheld) median earnings row of the real programs in the configured fields."""
    sql = (SQL_DIR / "_answers_program_earnings.sql").read_text().format(cip_family=cip_family_sql(cip_prefixes(), "cip_code"))
    return con.execute(sql).df()


def scope_programs(con: duckdb.DuckDBPyConnection, levels) -> pd.DataFrame:
    """Real public programs (data_origin 'public_records') of ``levels`` in the configured fields."""
    fam = cip_family_sql(cip_prefixes(), "p.cip_code")
    lv = ", ".join("'" + str(v) + "'" for v in levels)
    return con.execute(f"""
        SELECT p.program_id, p.credential_level, p.pathway, {fam} AS cip_family, p.cip_code, p.institution_name,
               p.institution_control, p.state_code
        FROM core_public__programs p JOIN core_programs__programs c USING (program_id)
        WHERE c.data_origin = 'public_records' AND p.credential_level IN ({lv}) AND {fam} IS NOT NULL
        ORDER BY p.program_id""").df()


# --------------------------------------------------------------------------- field premium


def field_premium_frame(con: duckdb.DuckDBPyConnection, cfg: dict, cpi: dict[int, float], year: int) -> pd.DataFrame:
    """NSF NCSES master's / doctorate vs bachelor's median earnings by field (tables of [public_roi]
    ncses_premium_tables) and FiveThirtyEight graduate vs non-graduate medians by major ([public_roi]
    fivethirtyeight_majors), each with the selection caveat. NCSES dollars are converted to ``year`` dollars;
    FiveThirtyEight's dollar year is not stated by the publisher, so its figures stay as published."""
    caveat = cfg["selection_caveat"]
    cols = list(TABLES["out_public__field_premium"].fields)
    rows = []
    fields = dict(cfg["ncses_fields"])
    tables = [str(t) for t in cfg["ncses_premium_tables"]]
    if fields and tables:
        df = con.execute(f"""
            SELECT ncses_table_id, survey_name, survey_year, dollar_year, ncses_degree_level, field_code, field_label,
                   ncses_indicator, ncses_value
            FROM core_nsf_ncses__field_outcomes
            WHERE ncses_group = 'all' AND ncses_indicator IN ('median_annual_earnings_usd', 'median_annual_salary_usd')
              AND ncses_table_id IN ({", ".join("'" + t + "'" for t in tables)})
              AND field_code IN ({", ".join("'" + f + "'" for f in fields)})""").df()
        for (tid, fcode), g in df.groupby(["ncses_table_id", "field_code"]):
            by = {r.ncses_degree_level: r for r in g.itertuples(index=False)}
            ba = by.get("bachelors")
            for level, comparison in (("masters", "masters_vs_bachelors"), ("doctoral", "doctoral_vs_bachelors")):
                gr = by.get(level)
                if gr is None or ba is None or pd.isna(gr.ncses_value) or pd.isna(ba.ncses_value):
                    continue
                dy = int(gr.dollar_year)
                k = cpi[year] / cpi[dy] if dy in cpi and year in cpi else None
                gv, bv = float(gr.ncses_value) * k, float(ba.ncses_value) * k
                rows.append({"data_origin": "nsf_ncses", "field_code": fcode, "comparison": comparison,
                             "measure_year": int(gr.survey_year), "field_name": gr.field_label, "cip_family": fields[fcode],
                             "source_table": f"NCSES table {tid}", "graduate_median_earnings_usd": round(gv, 2),
                             "comparison_median_earnings_usd": round(bv, 2), "premium_usd": round(gv - bv, 2),
                             "premium_ratio": gv / bv, "dollar_year": dy, "constant_dollar_year": year,
                             "source_name": f"NSF NCSES, {gr.survey_name} {int(gr.survey_year)}, table {tid}: median annual "
                                            f"{'salary' if 'salary' in gr.ncses_indicator else 'earnings'} of employed "
                                            "recent graduates by highest degree",
                             "selection_caveat": caveat})
    majors = {str(k): v for k, v in cfg["fivethirtyeight_majors"].items()}
    if majors:
        df = con.execute(f"""
            SELECT acs_major_code, major_label, grad_median_usd, nongrad_median_usd, survey_name, survey_year_end, dollar_year
            FROM core_fivethirtyeight__grad_premium
            WHERE acs_major_code IN ({", ".join("'" + m + "'" for m in majors)})""").df()
        for r in df.itertuples(index=False):
            if pd.isna(r.grad_median_usd) or pd.isna(r.nongrad_median_usd):
                continue
            gv, bv = float(r.grad_median_usd), float(r.nongrad_median_usd)
            dy = None if pd.isna(r.dollar_year) else int(r.dollar_year)
            k = cpi[year] / cpi[dy] if dy is not None and dy in cpi else None
            rows.append({"data_origin": "fivethirtyeight",
                         "field_code": "acs_" + r.acs_major_code + "_" + "_".join(r.major_label.lower().replace("&", "and").split()),
                         "comparison": "graduate_vs_no_graduate_degree", "measure_year": int(r.survey_year_end),
                         "field_name": r.major_label.title(), "cip_family": majors[r.acs_major_code],
                         "source_table": "grad-students.csv", "graduate_median_earnings_usd": gv * (k or 1.0),
                         "comparison_median_earnings_usd": bv * (k or 1.0), "premium_usd": (gv - bv) * (k or 1.0),
                         "premium_ratio": gv / bv, "dollar_year": dy, "constant_dollar_year": year if k else None,
                         "source_name": SOURCE_NAMES["fivethirtyeight"] + ": people aged 25+ with the undergraduate major, "
                                        "full-time year-round workers; dollars as published (dollar year not stated)",
                         "selection_caveat": caveat})
    return pd.DataFrame(rows, columns=cols).sort_values(["data_origin", "field_code", "comparison", "measure_year"]).reset_index(drop=True) \
        if rows else pd.DataFrame(columns=cols)


def field_counterfactual(con: duckdb.DuckDBPyConnection, cfg: dict, cpi: dict[int, float], year: int) -> tuple[float, str] | None:
    """The field-level counterfactual ([public_roi] field_counterfactual) in ``year`` dollars, with its basis text."""
    fc = cfg["field_counterfactual"]
    if not fc:
        return None
    row = con.execute("""
        SELECT ncses_value, dollar_year, survey_name, survey_year, field_label FROM core_nsf_ncses__field_outcomes
        WHERE ncses_table_id = ? AND field_code = ? AND ncses_degree_level = ? AND ncses_indicator = ? AND ncses_group = 'all'""",
        [str(fc["ncses_table_id"]), fc["field_code"], fc["ncses_degree_level"], fc["ncses_indicator"]]).fetchone()
    if row is None or row[0] is None or row[1] not in cpi or year not in cpi:
        return None
    value = float(row[0]) * cpi[year] / cpi[int(row[1])]
    basis = (f"field level: NSF NCSES {row[2]} {row[3]} table {fc['ncses_table_id']}, median earnings of recent "
             f"{fc['ncses_degree_level']} graduates in {row[4].lower()}")
    return round(value, 2), basis


# --------------------------------------------------------------------------- cost frame


def scorecard_debt(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """program_id -> College Scorecard median debt and monthly payment (nominal, as published) of the cohort of its
    Scorecard earnings where published, else of its latest cohort, with the Scorecard earnings of that cohort."""
    df = con.execute("""
        WITH d AS (
            SELECT program_id, grad_cohort, cohort_last_year,
                   max(value) FILTER (WHERE measure = 'debt_median') AS debt_median_usd,
                   max(value) FILTER (WHERE measure = 'debt_monthly_payment') AS debt_monthly_payment_usd,
                   max(suppression_reason) FILTER (WHERE measure = 'debt_median') AS debt_reason,
                   max(value_status) FILTER (WHERE measure = 'debt_median') AS debt_status
            FROM core_public__program_outcomes WHERE data_origin = 'college_scorecard'
              AND measure IN ('debt_median', 'debt_monthly_payment') AND program_id IS NOT NULL
            GROUP BY ALL
        ), e AS (
            SELECT program_id, grad_cohort, value AS earnings_published_usd FROM core_public__program_outcomes
            WHERE data_origin = 'college_scorecard' AND measure = 'earnings_median' AND years_after_graduation = 1
              AND value IS NOT NULL
        )
        SELECT d.*, e.earnings_published_usd FROM d LEFT JOIN e USING (program_id, grad_cohort)
        ORDER BY program_id, (e.earnings_published_usd IS NOT NULL AND d.debt_median_usd IS NOT NULL) DESC,
                 (d.debt_median_usd IS NOT NULL) DESC, cohort_last_year DESC""").df()
    out = {}
    for r in df.itertuples(index=False):
        if r.program_id in out:
            continue
        reason = None
        if pd.isna(r.debt_median_usd):
            reason = r.debt_reason if isinstance(r.debt_reason, str) else (
                "withheld by the publisher" if r.debt_status == "suppressed" else "not available")
        out[r.program_id] = {"debt_median_usd": r.debt_median_usd, "debt_monthly_payment_usd": r.debt_monthly_payment_usd,
                             "earnings_published_usd": r.earnings_published_usd, "debt_reason": reason}
    return out


def costs_frame(programs: pd.DataFrame, earnings: pd.DataFrame, pairs: pd.DataFrame, tuition: dict[str, tuple[float, str]],
                overrides: pd.DataFrame, cfg: dict, roi: dict, field_cf: tuple[float, str] | None,
                debt: dict[str, dict], year: int, cpi: dict[int, float]) -> pd.DataFrame:
    """out_roi__public_program_costs: one row per real graduate program in scope (see ``pr.program_cost_row``)."""
    cols = list(TABLES["out_roi__public_program_costs"].fields)
    study = {str(k): float(v) for k, v in cfg["study_years"].items()}
    applied = overrides[overrides["override_status"] == "applied"].set_index("program_id") if len(overrides) else pd.DataFrame()
    by_prog = dict(tuple(earnings.groupby("program_id"))) if len(earnings) else {}
    pairs_by = dict(tuple(pairs.groupby("program_id"))) if len(pairs) else {}
    empty = earnings.iloc[0:0]
    no_pairs = pd.DataFrame(columns=["data_origin", "years_after_graduation", "grad_cohort", "median_earnings_usd",
                                     "median_earnings_usd_ba"])
    rows = []
    for p in programs.itertuples(index=False):
        control = p.institution_control if isinstance(p.institution_control, str) and p.institution_control in tuition else pr.ALL_CONTROLS
        if p.program_id in applied.index:
            o = applied.loc[p.program_id]
            per_year = float(o.tuition_fees_usd_per_year) * cpi[year] / cpi[int(o.dollar_year)]
            years, basis = float(o.study_years), "curated override"
        else:
            per_year, ay = tuition[control]
            years = study[p.credential_level]
            basis = f"assumed: {cfg['tuition_source']} ({control if control != pr.ALL_CONTROLS else 'control unknown: all institutions'}, {ay})"
        e = pr.choose_earnings(by_prog.get(p.program_id, empty), pairs_by.get(p.program_id, no_pairs),
                               list(cfg["earnings_sources"]), field_cf)
        info = {"program_id": p.program_id, "credential_level": p.credential_level, "pathway": p.pathway,
                "cip_family": p.cip_family, "cip_code": p.cip_code, "institution_name": p.institution_name,
                "institution_control": p.institution_control if isinstance(p.institution_control, str) else None,
                "state_code": p.state_code if isinstance(p.state_code, str) else None, "constant_dollar_year": year}
        row = pr.program_cost_row(info, e, per_year, basis, years, roi, debt.get(p.program_id), field_cf)
        row.pop("pathway", None)
        rows.append(row)
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------- peer earnings


def peer_earnings_frame(chosen: pd.DataFrame, year: int) -> pd.DataFrame:
    """out_answers__peer_earnings: p25 / median / p75 across programs of their published medians (one figure per
    program x source x horizon, ``pr.choose_figure``)."""
    cols = list(TABLES["out_answers__peer_earnings"].fields)
    pub = chosen[chosen["median_earnings_usd"].notna()]
    rows = []
    for (fam, level, origin, h), g in pub.groupby(["cip_family", "credential_level", "data_origin", "years_after_graduation"]):
        p25, med, p75 = pr.percentiles(g["median_earnings_usd"].tolist())
        counts = g["earnings_count"].dropna()
        rows.append({"cip_family": fam, "credential_level": level, "data_origin": origin, "years_after_graduation": int(h),
                     "n_programs": int(len(g)), "n_graduates": int(counts.sum()) if len(counts) == len(g) else None,
                     "p25_usd": round(p25, 2), "median_usd": round(med, 2), "p75_usd": round(p75, 2), "constant_dollar_year": year})
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------- statements


class Statements:
    """Collects statement rows; ordinals follow insertion order inside each section."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, section: str, statement_id: str, field_scope: str, statement: str, *, credential_level=None, value=None,
            low=None, high=None, unit=None, n_programs=None, n_graduates=None, source_name: str, source_date=None,
            data_origin: str, not_in_data: bool = False, caveat=None) -> None:
        ordinal = 1 + sum(1 for r in self.rows if r["section"] == section)
        f = (lambda x: None if x is None or (isinstance(x, float) and np.isnan(x)) else float(x))
        self.rows.append({"section": section, "statement_id": statement_id, "ordinal": ordinal, "field_scope": field_scope,
                          "credential_level": credential_level, "statement": statement, "value": f(value),
                          "value_low": f(low), "value_high": f(high), "unit": unit,
                          "n_programs": None if n_programs is None else int(n_programs),
                          "n_graduates": None if n_graduates is None or pd.isna(n_graduates) else int(n_graduates),
                          "source_name": source_name, "source_date": source_date, "data_origin": data_origin,
                          "not_in_data": bool(not_in_data), "caveat": caveat})

    def frame(self) -> pd.DataFrame:
        cols = list(TABLES["out_answers__statements"].fields)
        order = list(VOCABULARIES["answer_section"].codes)
        df = pd.DataFrame(self.rows, columns=cols)
        df["_s"] = df["section"].map(order.index)
        return df.sort_values(["_s", "ordinal"]).drop(columns="_s").reset_index(drop=True)


def _cohorts(earnings: pd.DataFrame, origin: str, h: int) -> str:
    g = earnings[(earnings["data_origin"] == origin) & (earnings["years_after_graduation"] == h)
                 & earnings["median_earnings_usd"].notna()]
    cohorts = sorted(set(g["grad_cohort"].dropna()))
    if origin == "census_pseo":
        cohorts = ["all graduation cohorts pooled (2001-2015)"] if "all" in cohorts else cohorts
    text = ", ".join(cohorts[:3]) + (" and others" if len(cohorts) > 3 else "")
    return f"completers {text}; earnings {h} year(s) after graduation"


def _dist(values) -> tuple[float | None, float | None, float | None, int]:
    v = [float(x) for x in values if x is not None and not pd.isna(x)]
    p25, med, p75 = pr.percentiles(v)
    return p25, med, p75, len(v)


def statements_frame(peer: pd.DataFrame, chosen: pd.DataFrame, premium: pd.DataFrame, field_premium: pd.DataFrame,
                     costs: pd.DataFrame, tuition_ref: pd.DataFrame, alternatives: dict, cfg: dict, year: int) -> pd.DataFrame:
    """out_answers__statements: every statement from the frames above (real data only), in page order."""
    s = Statements()
    caveat = cfg["selection_caveat"]
    fams = [f for f in FIELD_SCOPES if f in set(cip_prefixes())]
    dollars = f"{year} dollars"
    # peer outcomes: master's earnings across real programs at 1, 5 and 10 years
    for fam in fams:
        scope = FIELD_SCOPES[fam]
        rows = peer[(peer["cip_family"] == fam) & (peer["credential_level"] == "masters")].sort_values(
            ["years_after_graduation", "data_origin"])
        if rows.empty:
            s.add("peer_outcomes", f"masters.{fam}.none", scope,
                  f"No real master's program in {scope} has published earnings in the bundled public sources "
                  "(College Scorecard, Census PSEO, Colorado ROI 2019): not in the data.", credential_level="masters",
                  source_name=SOURCE_NAMES["public_records"], data_origin="public_records", not_in_data=True)
        for r in rows.itertuples(index=False):
            h = int(r.years_after_graduation)
            spread = (f" (middle half of programs {_usd(r.p25_usd)} to {_usd(r.p75_usd)})" if r.n_programs >= 4 else "")
            s.add("peer_outcomes", f"masters.{fam}.{r.data_origin}.y{h}", scope,
                  f"Across {r.n_programs} real master's program(s) in {scope}, the typical (median) program's graduates earned "
                  f"{_usd(r.median_usd)} a year {h} year(s) after graduation{spread}, {dollars}, according to "
                  f"{SOURCE_NAMES[r.data_origin].split(',')[0] if r.data_origin != 'college_scorecard' else 'College Scorecard'}.",
                  credential_level="masters", value=r.median_usd, low=r.p25_usd, high=r.p75_usd, unit="usd",
                  n_programs=r.n_programs, n_graduates=r.n_graduates, source_name=SOURCE_NAMES[r.data_origin],
                  source_date=_cohorts(chosen, r.data_origin, h), data_origin=r.data_origin)
    # premium over a bachelor's: same institution, field, source and horizon; then field level
    done = premium[premium["premium_usd"].notna() & (premium["credential_level"] == "masters")]
    for fam in fams:
        scope = FIELD_SCOPES[fam]
        g_f = done[done["cip_family"] == fam]
        for (origin, h), g in g_f.groupby(["data_origin", "years_after_graduation"]):
            p25, med, p75, n = _dist(g["premium_usd"])
            r25, rmed, r75, _ = _dist(g["premium_ratio"])
            s.add("premium", f"masters.{fam}.{origin}.y{int(h)}", scope,
                  f"At {n} institution(s) that publish both a master's and a bachelor's program in the same {scope} code, the "
                  f"master's graduates earned a median {_more(med)} a year {int(h)} year(s) after graduation "
                  f"(ratio {rmed:.2f}; {dollars}; same source, same horizon). Not the effect of the degree: see the caveat.",
                  credential_level="masters", value=med, low=p25, high=p75, unit="usd", n_programs=n,
                  n_graduates=int(g["graduate_count"].sum()) if g["graduate_count"].notna().all() else None,
                  source_name=SOURCE_NAMES[origin], source_date=_cohorts(chosen, origin, int(h)), data_origin=origin,
                  caveat=caveat)
        if g_f.empty:
            s.add("premium", f"masters.{fam}.none", scope,
                  f"No institution publishes both master's and bachelor's earnings for the same {scope} code in one source: "
                  "a program-level premium is not in the data (see the field-level premiums).", credential_level="masters",
                  source_name=SOURCE_NAMES["public_records"], data_origin="public_records", not_in_data=True, caveat=caveat)
    for r in field_premium.itertuples(index=False):
        level = "doctoral" if r.comparison == "doctoral_vs_bachelors" else "masters"
        who = {"masters_vs_bachelors": ("master's holders", "bachelor's holders"),
               "doctoral_vs_bachelors": ("doctorate holders", "bachelor's holders"),
               "graduate_vs_no_graduate_degree": ("graduate-degree holders", "those without a graduate degree")}[r.comparison]
        in_dollars = dollars if pd.notna(r.constant_dollar_year) else "dollars as published"
        s.add("premium", f"field.{r.data_origin}.{r.field_code}.{r.comparison}.{int(r.measure_year)}",
              f"{r.field_name} ({FIELD_SCOPES.get(r.cip_family, r.cip_family)})",
              f"{r.field_name}: {who[0]} earned a median {_usd(r.graduate_median_earnings_usd)} a year vs "
              f"{_usd(r.comparison_median_earnings_usd)} for {who[1]}, {_more(r.premium_usd)} (ratio {r.premium_ratio:.2f}; "
              f"{in_dollars}; {int(r.measure_year)}). Not the effect of the degree: see the caveat.",
              credential_level=level, value=r.premium_usd, unit="usd", source_name=r.source_name,
              source_date=f"survey {int(r.measure_year)}" if r.data_origin == "nsf_ncses" else "ACS 2010-2012 pooled",
              data_origin=r.data_origin, caveat=caveat)
    # cost by control of institution
    m = costs[costs["credential_level"] == "masters"]
    for ctl in ("Public", "Private, nonprofit", "Private, for-profit"):
        g = m[(m["institution_control"] == ctl) & m["total_cost_usd"].notna() & m["earnings_usd"].notna()]
        t = tuition_ref[tuition_ref["institution_control"] == ctl]
        if t.empty:
            continue
        t = t.sort_values("academic_year").iloc[-1]
        key = ctl.lower().replace(", ", "_").replace("-", "_")
        years = float(cfg["study_years"]["masters"])
        s.add("cost", f"tuition.masters.{key}", "All configured fields",
              f"Graduate tuition and required fees average {_usd(t.tuition_per_year_usd)} a year at {ctl.lower()} institutions "
              f"({t.academic_year}, {dollars}): {_usd(t.tuition_per_year_usd * years)} for a {years:g}-year master's. An "
              "average across institutions used as an assumption: no program's own price is in the public files.",
              credential_level="masters", value=t.tuition_per_year_usd, unit="usd",
              source_name=f"NCES, Digest of Education Statistics, {t.source_table.replace('NCES Digest ', '')}",
              source_date=str(t.academic_year), data_origin="public_records",
              caveat="Assumption: transcribed average tuition by control of institution (data/raw/reference/README.md).")
        if len(g):
            p25, med, p75, n = _dist(g["total_cost_usd"])
            _, forgone, _, _ = _dist(g["forgone_earnings_usd"])
            s.add("cost", f"total.masters.{key}", "All configured fields",
                  f"A {years:g}-year full-time master's at a {ctl.lower()} institution costs a median {_usd(med)} in all "
                  f"(tuition, loan interest and a median {_usd(forgone)} of forgone earnings; middle half {_usd(p25)} to {_usd(p75)}) "
                  f"across {n} real programs with earnings, {dollars}.", credential_level="masters", value=med, low=p25,
                  high=p75, unit="usd", n_programs=n, source_name=SOURCE_NAMES["public_records"],
                  source_date=str(t.academic_year) + " tuition; earnings as in peer outcomes", data_origin="public_records",
                  caveat="Assumptions on every row of out_roi__public_program_costs (assumptions_note).")
    s.add("cost", "online_vs_in_person", "All configured fields",
          "Whether a program is taught online or in person, and what that changes in its cost, is not in the data: the public "
          "program files (College Scorecard field of study, Census PSEO, Colorado ROI 2019) do not record the delivery mode.",
          credential_level="masters", source_name=SOURCE_NAMES["public_records"], data_origin="public_records", not_in_data=True)
    # payback and NPV
    for fam in fams:
        scope = FIELD_SCOPES[fam]
        g = m[(m["cip_family"] == fam) & m["annual_gain_usd"].notna()]
        if g.empty:
            continue
        pays = g["payback_years"].notna()
        p25, med, p75, n = _dist(g.loc[pays, "payback_years"])
        if n:
            s.add("payback", f"payback.masters.{fam}", scope,
                  f"Among {len(g)} real master's programs in {scope} with earnings, {n} pay back their cost; their median payback "
                  f"is {med:.1f} years after graduation (middle half {p25:.1f} to {p75:.1f}); {len(g) - n} never do (earnings not "
                  "above the counterfactual).", credential_level="masters", value=med, low=p25, high=p75, unit="years",
                  n_programs=n, source_name=SOURCE_NAMES["public_records"], source_date="earnings as in peer outcomes",
                  data_origin="public_records", caveat="Assumed tuition and length; no wage growth; see assumptions_note.")
        share = float((g["payback_years"] <= 10).sum()) / len(g)
        s.add("payback", f"payback_within_10y.masters.{fam}", scope,
              f"{share:.0%} of {len(g)} real master's programs in {scope} pay back within 10 years after graduation.",
              credential_level="masters", value=share, unit="share", n_programs=len(g), source_name=SOURCE_NAMES["public_records"],
              source_date="earnings as in peer outcomes", data_origin="public_records",
              caveat="Assumed tuition and length; no wage growth; see assumptions_note.")
        p25, med, p75, n = _dist(g["npv_20y_usd"])
        s.add("payback", f"npv_20y.masters.{fam}", scope,
              f"The median net present value over 20 years from the start of study is {_usd(med)} (middle half {_usd(p25)} to "
              f"{_usd(p75)}) across {n} real master's programs in {scope}, discounted at "
              f"{float(alternatives['discount_rate']):.0%} real, {dollars}.", credential_level="masters", value=med, low=p25,
              high=p75, unit="usd", n_programs=n, source_name=SOURCE_NAMES["public_records"],
              source_date="earnings as in peer outcomes", data_origin="public_records",
              caveat="Assumed tuition and length; no wage growth; see assumptions_note.")
    # loan risk (College Scorecard)
    for fam in fams:
        scope = FIELD_SCOPES[fam]
        g = m[(m["cip_family"] == fam) & m["debt_to_earnings_ratio"].notna()]
        if g.empty:
            s.add("loan_risk", f"debt_to_earnings.masters.{fam}", scope,
                  f"No real master's program in {scope} has both median debt and earnings published by College Scorecard: "
                  "debt-to-earnings is not in the data.", credential_level="masters",
                  source_name=SOURCE_NAMES["college_scorecard"], data_origin="college_scorecard", not_in_data=True)
            continue
        p25, med, p75, n = _dist(g["debt_to_earnings_ratio"])
        _, debt, _, _ = _dist(g["debt_median_usd"])
        s.add("loan_risk", f"debt_to_earnings.masters.{fam}", scope,
              f"Master's graduates in {scope} who borrowed owed a median {med:.2f} times their first-year earnings (middle half "
              f"{p25:.2f} to {p75:.2f}) across {n} real programs; the typical program's median debt was {_usd(debt)} (nominal).",
              credential_level="masters", value=med, low=p25, high=p75, unit="ratio", n_programs=n,
              source_name=SOURCE_NAMES["college_scorecard"], source_date="debt of completers AY2014-15, AY2015-16; earnings CY2016-2017",
              data_origin="college_scorecard", caveat="Borrowers only; debt in nominal dollars, earnings in 2018 dollars as published.")
        q25, qmed, q75, qn = _dist(g["payment_to_income_share"])
        if qn:
            s.add("loan_risk", f"payment_to_income.masters.{fam}", scope,
                  f"Their median monthly loan payment (10-year standard plan) takes {qmed:.1%} of first-year monthly earnings "
                  f"(middle half {q25:.1%} to {q75:.1%}) across {qn} real programs in {scope}.", credential_level="masters",
                  value=qmed, low=q25, high=q75, unit="share", n_programs=qn, source_name=SOURCE_NAMES["college_scorecard"],
                  source_date="debt of completers AY2014-15, AY2015-16; earnings CY2016-2017", data_origin="college_scorecard",
                  caveat="Borrowers only; gross earnings.")
    # flexible and part-time options
    s.add("flexible_options", "online_programs", "All configured fields",
          "Which real programs are online, hybrid or in person, and how their graduates fare, is not in the data: the public "
          "program files do not record the delivery mode.", credential_level="masters",
          source_name=SOURCE_NAMES["public_records"], data_origin="public_records", not_in_data=True)
    s.add("part_time_options", "part_time_programs", "All configured fields",
          "Whether a program can be taken part time, and the outcomes of part-time students, is not in the data: the public "
          "program files pool full- and part-time completers and do not say which programs allow part-time study. The cost "
          "figures assume full-time study (a student who keeps working forgoes little of the counterfactual, [roi.forgone_share]).",
          credential_level="masters", source_name=SOURCE_NAMES["public_records"], data_origin="public_records", not_in_data=True)
    # alternatives the data covers
    for i, r in enumerate(alternatives.get("reports", [])):
        s.add("alternatives", f"bootcamp_report.{i + 1}", "Bootcamps (published outcome reports)",
              f"{r['school']} ({r['program']}, {r['period']}, {r['standard'].upper()} report): {r['in_field']:.0%} of graduates employed "
              f"in the field within 180 days; median base salary {_usd(r['salary'])} (nominal).",
              value=r["salary"], unit="usd", n_graduates=r.get("graduates"),
              source_name=f"{r['school']} published outcome report ({r['standard'].upper()})", source_date=r["period"],
              data_origin="outcome_reports", caveat="One school's own published report; one reporting period.")
    fcc = alternatives.get("freecodecamp")
    if fcc:
        s.add("alternatives", "bootcamp_survey.freecodecamp_2016", "Bootcamps (freeCodeCamp 2016 survey)",
              f"Bootcamp finishers who answered the freeCodeCamp 2016 New Coder Survey and reported a salary"
              + (f" (n={fcc['n']})" if fcc["n"] is not None else "") + " "
              f"earned a median {_usd(fcc['median'])}"
              + (f" (middle half {_usd(fcc['p25'])} to {_usd(fcc['p75'])}, nominal)" if fcc["p25"] is not None
                 and fcc["p75"] is not None else " (nominal)")
              + (f"; {fcc['in_field']:.0%} of {fcc['graduates']} were employed in the field." if fcc["in_field"] is not None
                 and fcc["graduates"] is not None else "; the in-field share is withheld (disclosure protection)."),
              value=fcc["median"], low=fcc["p25"], high=fcc["p75"], unit="usd", n_programs=fcc.get("programs"),
              n_graduates=fcc["n"], source_name=SOURCE_NAMES["freecodecamp_2016"], source_date="2016",
              data_origin="freecodecamp_2016", caveat=SELF_REPORTED)
    cert = peer[peer["credential_level"].isin(["graduate_certificate", "undergraduate_certificate", "post_baccalaureate_certificate"])
                & (peer["years_after_graduation"] == 1)]
    for r in cert.sort_values(["cip_family", "credential_level", "data_origin"]).itertuples(index=False):
        scope = FIELD_SCOPES.get(r.cip_family, r.cip_family)
        s.add("alternatives", f"certificate.{r.credential_level}.{r.cip_family}.{r.data_origin}", scope,
              f"Across {r.n_programs} real {LEVEL_TEXT[r.credential_level]} program(s) in {scope}, the typical program's graduates "
              f"earned {_usd(r.median_usd)} a year 1 year after completion ({dollars}).", credential_level=r.credential_level,
              value=r.median_usd, low=r.p25_usd, high=r.p75_usd, unit="usd", n_programs=r.n_programs, n_graduates=r.n_graduates,
              source_name=SOURCE_NAMES[r.data_origin], source_date=_cohorts(chosen, r.data_origin, 1), data_origin=r.data_origin)
    for r in alternatives.get("kaggle", []):
        s.add("alternatives", f"self_study.kaggle_2017.{r['code']}", "Data science practitioners (Kaggle 2017 survey)",
              f"US data science practitioners in the Kaggle 2017 survey whose formal education is '{r['label']}' "
              f"(n={r['n']}) reported median compensation of {_usd(r['median'])} (middle half {_usd(r['p25'])} to "
              f"{_usd(r['p75'])}, nominal). The survey does not ask how people learned (self-study is not identified).",
              credential_level=KAGGLE_LEVELS.get(r["code"]), value=r["median"], low=r["p25"], high=r["p75"], unit="usd", n_graduates=r["n"],
              source_name=SOURCE_NAMES["kaggle_2017"], source_date="2017", data_origin="kaggle_2017", caveat=SELF_REPORTED)
    return s.frame()


def alternatives_inputs(con: duckdb.DuckDBPyConnection, roi: dict) -> dict:
    """The figures of the alternatives section, read from the published out/core tables of real sources."""
    out: dict = {"discount_rate": float(roi["discount_rate"])}
    tables = {t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if "core_outcome_reports__headline_rates" in tables:
        out["reports"] = [
            {"school": r[0], "program": r[1], "standard": r[2], "period": f"{r[3]} to {r[4]}", "in_field": r[5], "salary": r[6],
             "graduates": r[7]}
            for r in con.execute("""
                SELECT report_school, report_program, report_standard, reporting_period_start, reporting_period_end,
                       employed_in_field_180d_rate, report_median_base_salary_usd, report_graduates
                FROM core_outcome_reports__headline_rates
                WHERE employed_in_field_180d_rate IS NOT NULL AND report_median_base_salary_usd IS NOT NULL
                ORDER BY report_school, reporting_period_start""").fetchall()]
    if "out_outcomes__pathway_modality_pacing_salary" in tables:
        r = con.execute("""
            SELECT sum(s.salary_reported_count), any_value(s.median_base_salary_usd), any_value(s.salary_p25_usd),
                   any_value(s.salary_p75_usd), sum(p.graduates), any_value(p.employed_in_field_rate), count(*)
            FROM out_outcomes__pathway_modality_pacing_salary s
            JOIN out_outcomes__pathway_modality_pacing_placement p USING (data_origin_class, pathway, modality, pacing)
            WHERE s.data_origin_class = 'self_reported_survey' AND s.pathway = 'bootcamp' AND NOT s.is_suppressed""").fetchone()
        programs = con.execute("SELECT count(*) FROM core_programs__programs WHERE data_origin = 'freecodecamp_2016'").fetchone()[0]
        if r and r[6] == 1 and r[1] is not None:
            out["freecodecamp"] = {"n": r[0], "median": r[1], "p25": r[2], "p75": r[3], "graduates": r[4], "in_field": r[5],
                                   "programs": programs}
    if "out_kaggle_2017__compensation_by_education" in tables:
        out["kaggle"] = [
            {"code": r[0], "label": r[1], "n": r[2], "median": r[3], "p25": r[4], "p75": r[5]}
            for r in con.execute("""
                SELECT formal_education, formal_education_label, respondents, compensation_median_usd, compensation_p25_usd,
                       compensation_p75_usd
                FROM out_kaggle_2017__compensation_by_education
                WHERE job_title = 'All job titles' AND NOT is_suppressed AND compensation_median_usd IS NOT NULL
                ORDER BY formal_education""").fetchall()]
    return out


# --------------------------------------------------------------------------- the step


def build_answer_tables(con: duckdb.DuckDBPyConnection, assumptions: dict) -> list[str]:
    """(Re)create the tables of ``ANSWER_TABLES`` from the core tables of public sources; returns their names."""
    cfg = public_roi_settings(assumptions)
    roi = assumptions["roi"]
    if not con.execute("SELECT count(*) FROM core_public__programs").fetchall()[0][0]:
        # No public program loaded (e.g. a curated-only run): the tables exist, empty; no reference is read.
        for table in ANSWER_TABLES:
            _write(con, table, pd.DataFrame(columns=list(TABLES[table].fields)))
        return list(ANSWER_TABLES)
    year = constant_year()
    cpi = cpi_table(con)
    raw = settings.raw_dir()
    tpath = raw / cfg["tuition_file"]
    tuition_ref = pr.read_tuition_reference(tpath, cpi, year, settings.relative(tpath))
    tuition = pr.tuition_by_control(tuition_ref)
    study_levels = [str(k) for k in cfg["study_years"]]
    programs = scope_programs(con, study_levels)
    opath = raw / cfg["overrides_file"] if cfg["overrides_file"] else None
    overrides = pr.read_cost_overrides(opath, settings.relative(opath) if opath else "", set(programs["program_id"]), cpi)
    earnings = program_earnings(con)
    earnings = earnings[earnings["data_origin"].notna()].reset_index(drop=True)
    pairs = pr.pair_with_bachelors(earnings)
    premium = pr.premium_frame(pairs, cfg["selection_caveat"], list(TABLES["out_public__program_premium"].fields))
    field_premium = field_premium_frame(con, cfg, cpi, year)
    costs = costs_frame(programs, earnings, pairs, tuition, overrides, cfg, roi, field_counterfactual(con, cfg, cpi, year),
                        scorecard_debt(con), year, cpi)
    chosen = pr.choose_figure(earnings)
    peer = peer_earnings_frame(chosen, year)
    statements = statements_frame(peer, chosen, premium, field_premium, costs, tuition_ref, alternatives_inputs(con, roi), cfg, year)
    frames = {
        "core_reference__graduate_tuition": tuition_ref[list(TABLES["core_reference__graduate_tuition"].fields)],
        "core_public__program_cost_overrides": overrides[list(TABLES["core_public__program_cost_overrides"].fields)],
        "out_public__program_premium": premium, "out_public__field_premium": field_premium,
        "out_roi__public_program_costs": costs, "out_answers__peer_earnings": peer, "out_answers__statements": statements,
    }
    for table, df in frames.items():
        _write(con, table, df)
    return list(frames)
