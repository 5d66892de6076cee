"""Premium, cost and payback of real public programs (out_public__program_premium, out_roi__public_program_costs).

Owns the pure functions and frames of docs/METHODOLOGY.md, "Real programs: premium, cost and payback":

- the graduate tuition code table (``read_tuition_reference``: the transcribed NCES Digest Table 330.50 CSV)
  and the curated per-program cost file (``read_cost_overrides``: every row applied or rejected with its rule);
- ``choose_figure`` / ``pair_with_bachelors``: which published figure of a program is used, and the
  same-institution bachelor's figure of the same CIP, source, horizon and cohort;
- ``premium_frame``: graduate minus bachelor's earnings, never across sources, with the selection caveat;
- ``program_cost_row`` / ``costs_frame``: cost, payback, NPV and loan risk per program, with the money
  formulas of ``flows/stats/roi.py`` (written once there: ``program_costs``, ``payback_years``, ``npv_from_costs``).

Reads frames the caller queried from core tables; never opens the warehouse and never reads curated
graduate records. Settings: ``[public_roi]`` and ``[roi]`` of flows/assumptions.toml.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from flows.stats import roi as roi_fn

GRADUATE_LEVELS = ("masters", "doctoral")
ALL_CONTROLS = "All institutions"
SAME_INSTITUTION = "same institution bachelor's"


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or (isinstance(v, str) and not v.strip())


def _num(v) -> float | None:
    return None if _blank(v) else float(v)


# --------------------------------------------------------------------------- reference and curated files


def _data_lines(text: str) -> list[str]:
    """The CSV lines of a file whose comment lines start with '#' (kept out; line numbers are data rows)."""
    return [line for line in text.splitlines() if not line.lstrip().startswith("#")]


def read_tuition_reference(path: Path, cpi: dict[int, float], constant_year: int, source_file: str) -> pd.DataFrame:
    """The graduate tuition code table: one row per control of institution x academic year, in its dollars and
    in ``constant_year`` dollars (x CPI(constant year) / CPI(dollar year)). Raises ValueError naming the file,
    data row, column, value and rule for a bad row (a reference table with a hole would bias every program)."""
    rows = list(csv.DictReader(io.StringIO("\n".join(_data_lines(Path(path).read_text(encoding="utf-8"))))))
    need = ("institution_control", "academic_year", "tuition_fees_usd_per_year", "dollar_year", "source_table")
    out = []
    for i, rec in enumerate(rows, start=1):
        for col in need:
            if _blank(rec.get(col)):
                raise ValueError(f"{source_file} data row {i}: column {col} is required (value {rec.get(col)!r})")
        try:
            tuition, year = float(rec["tuition_fees_usd_per_year"]), int(rec["dollar_year"])
        except ValueError:
            raise ValueError(f"{source_file} data row {i}: tuition_fees_usd_per_year {rec['tuition_fees_usd_per_year']!r} "
                             f"must be a number and dollar_year {rec['dollar_year']!r} a year") from None
        if tuition < 0:
            raise ValueError(f"{source_file} data row {i}: column tuition_fees_usd_per_year value {tuition!r}: must be >= 0")
        if year not in cpi or constant_year not in cpi:
            raise ValueError(f"{source_file} data row {i}: column dollar_year value {year}: no CPI-U annual average for "
                             f"{year} or {constant_year} in core_reference__cpi_u_annual")
        out.append({"institution_control": rec["institution_control"].strip(), "academic_year": rec["academic_year"].strip(),
                    "tuition_fees_usd_per_year": tuition, "dollar_year": year, "constant_dollar_year": constant_year,
                    "tuition_per_year_usd": round(tuition * cpi[constant_year] / cpi[year], 2),
                    "source_table": rec["source_table"].strip(), "source_file": source_file})
    df = pd.DataFrame(out)
    if df.empty or ALL_CONTROLS not in set(df["institution_control"]):
        raise ValueError(f"{source_file}: needs a row for {ALL_CONTROLS!r} (used for programs of unknown control)")
    return df


def tuition_by_control(reference: pd.DataFrame) -> dict[str, tuple[float, str]]:
    """control -> (tuition per year in constant dollars, academic year) of the latest academic year."""
    latest = reference.sort_values("academic_year").groupby("institution_control").tail(1)
    return {r.institution_control: (float(r.tuition_per_year_usd), r.academic_year) for r in latest.itertuples()}


OVERRIDE_COLUMNS = ("program_id", "tuition_fees_usd_per_year", "dollar_year", "study_years", "override_source")


def read_cost_overrides(path: Path | None, source_file: str, programs: set[str], cpi: dict[int, float],
                        max_study_years: float = 10.0) -> pd.DataFrame:
    """Every data row of the curated per-program cost file, applied or rejected (rows read = applied + rejected).

    Rules: program_id is a real graduate public program in the configured fields; tuition_fees_usd_per_year is a
    number >= 0; dollar_year a year with a CPI-U average; study_years a number in (0, max_study_years];
    override_source is required; a program appears once (a repeated program_id is rejected). A missing file
    gives no rows; a file without the header columns is one rejected row naming the missing columns.
    """
    cols = list(OVERRIDE_COLUMNS) + ["override_status", "override_problem", "source_file", "source_row_number"]
    if path is None or not Path(path).exists():
        return pd.DataFrame(columns=cols)
    reader = csv.DictReader(io.StringIO("\n".join(_data_lines(Path(path).read_text(encoding="utf-8-sig")))))
    missing = [c for c in OVERRIDE_COLUMNS if c not in (reader.fieldnames or [])]
    rows, seen = [], set()
    for i, rec in enumerate(reader, start=1):
        problems = []
        if missing:
            problems.append(f"missing column(s) {', '.join(missing)} (header must be {', '.join(OVERRIDE_COLUMNS)})")
        pid = (rec.get("program_id") or "").strip()
        tuition, year, years = (rec.get(c) for c in ("tuition_fees_usd_per_year", "dollar_year", "study_years"))

        def bad(col, value, rule):
            problems.append(f"column {col} value {value!r}: {rule}")
        if not pid:
            bad("program_id", pid, "required")
        elif pid not in programs:
            bad("program_id", pid, "must be a real graduate public program in the configured fields (core_public__programs)")
        elif pid in seen:
            bad("program_id", pid, "appears more than once: only the first row is used")
        try:
            t = float(tuition)
            if not (t >= 0 and math.isfinite(t)):
                bad("tuition_fees_usd_per_year", tuition, "must be a number >= 0")
        except (TypeError, ValueError):
            bad("tuition_fees_usd_per_year", tuition, "must be a number >= 0")
            t = None
        try:
            y = int(str(year).strip())
            if y not in cpi:
                bad("dollar_year", year, "must be a year with a CPI-U annual average (core_reference__cpi_u_annual)")
        except (TypeError, ValueError):
            bad("dollar_year", year, "must be a year (e.g. 2024)")
            y = None
        try:
            s = float(years)
            if not (0 < s <= max_study_years):
                bad("study_years", years, f"must be a number in (0, {max_study_years:g}]")
        except (TypeError, ValueError):
            bad("study_years", years, f"must be a number in (0, {max_study_years:g}]")
            s = None
        if _blank(rec.get("override_source")):
            bad("override_source", rec.get("override_source"), "required (document, page and date of the tuition)")
        status = "rejected" if problems else "applied"
        if status == "applied":
            seen.add(pid)
        rows.append({"program_id": pid or None, "tuition_fees_usd_per_year": t if not problems else _num_or_none(tuition),
                     "dollar_year": y, "study_years": s, "override_source": (rec.get("override_source") or None),
                     "override_status": status,
                     "override_problem": (f"{source_file} data row {i}: " + "; ".join(problems)) if problems else None,
                     "source_file": source_file, "source_row_number": i})
    return pd.DataFrame(rows, columns=cols)


def _num_or_none(v) -> float | None:
    try:
        x = float(v)
        return x if math.isfinite(x) and x >= 0 else None
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- choosing figures


def _cohort_rank(df: pd.DataFrame) -> pd.DataFrame:
    """Order helpers: published first, the all-cohorts row, then the latest cohort."""
    return df.assign(_published=df["median_earnings_usd"].notna(),
                     _all=df["grad_cohort"].eq("all"),
                     _last=df["cohort_last_year"].fillna(-1))


def choose_figure(earnings: pd.DataFrame) -> pd.DataFrame:
    """One row per program x source x horizon: the published figure of the all-cohorts row, else of the latest
    cohort; where none is published, the latest withheld row (with its reason)."""
    if earnings.empty:
        return earnings
    ranked = _cohort_rank(earnings).sort_values(["program_id", "data_origin", "years_after_graduation", "_published", "_all", "_last"],
                                                ascending=[True, True, True, False, False, False])
    return ranked.drop_duplicates(["program_id", "data_origin", "years_after_graduation"]).drop(
        columns=["_published", "_all", "_last"]).reset_index(drop=True)


def pair_with_bachelors(earnings: pd.DataFrame, levels=GRADUATE_LEVELS) -> pd.DataFrame:
    """Graduate rows of ``levels`` beside the bachelor's row of the same institution, CIP code, source, horizon and
    cohort (columns suffixed ``_ba``); one pair per program x source x horizon (both published first, then the
    all-cohorts row, then the latest cohort). Programs without such a bachelor's program are left out."""
    grad = earnings[earnings["credential_level"].isin(levels)]
    ba = earnings[earnings["credential_level"] == "bachelors"]
    keys = ["institution_key", "cip_code", "data_origin", "years_after_graduation", "grad_cohort"]
    ba = ba[keys + ["program_id", "median_earnings_usd", "earnings_published_usd", "earnings_count", "value_status",
                    "suppression_reason"]].drop_duplicates(keys)
    pairs = grad.merge(ba, on=keys, how="inner", suffixes=("", "_ba"))
    if pairs.empty:
        return pairs
    pairs = _cohort_rank(pairs).assign(_both=pairs["median_earnings_usd"].notna() & pairs["median_earnings_usd_ba"].notna())
    pairs = pairs.sort_values(["program_id", "data_origin", "years_after_graduation", "_both", "_all", "_last"],
                              ascending=[True, True, True, False, False, False])
    return pairs.drop_duplicates(["program_id", "data_origin", "years_after_graduation"]).drop(
        columns=["_published", "_all", "_last", "_both"]).reset_index(drop=True)


def _withheld(side: str, status, reason) -> str:
    what = {"suppressed": "withheld by the publisher", "not_available": "not available"}.get(status, f"not published ({status})")
    return f"{side} median {what}" + (f": {reason}" if not _blank(reason) else "")


def premium_frame(pairs: pd.DataFrame, caveat: str, columns: list[str]) -> pd.DataFrame:
    """out_public__program_premium from ``pair_with_bachelors``: premium = graduate - bachelor's median and
    ratio = graduate / bachelor's, in constant dollars; null with not_computed_reason where either is withheld."""
    rows = []
    for r in pairs.itertuples(index=False):
        g, b = _num(r.median_earnings_usd), _num(r.median_earnings_usd_ba)
        reasons = []
        if g is None:
            reasons.append(_withheld("graduate", r.value_status, r.suppression_reason))
        if b is None:
            reasons.append(_withheld("bachelor's", r.value_status_ba, r.suppression_reason_ba))
        rows.append({
            "program_id": r.program_id, "bachelor_program_id": r.program_id_ba, "data_origin": r.data_origin,
            "years_after_graduation": int(r.years_after_graduation), "grad_cohort": r.grad_cohort,
            "credential_level": r.credential_level, "cip_family": r.cip_family, "cip_code": r.cip_code,
            "institution_name": r.institution_name, "institution_control": r.institution_control,
            "dollar_year": r.dollar_year, "constant_dollar_year": r.constant_dollar_year,
            "graduate_median_earnings_usd": g, "bachelor_median_earnings_usd": b,
            "premium_usd": None if reasons else round(g - b, 2),
            "premium_ratio": None if reasons or b == 0 else g / b,
            "graduate_count": None if _blank(r.earnings_count) else int(r.earnings_count),
            "bachelor_count": None if _blank(r.earnings_count_ba) else int(r.earnings_count_ba),
            "selection_caveat": caveat, "not_computed_reason": "; ".join(reasons) or None,
        })
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------- cost and payback


@dataclass(frozen=True)
class Earnings:
    """The earnings figure a cost row uses and its counterfactual (same source, horizon and cohort when the
    counterfactual is the same institution's bachelor's)."""

    earnings_usd: float
    horizon: int
    source: str
    grad_cohort: str
    counterfactual_usd: float | None
    counterfactual_basis: str | None
    earnings_published_usd: float | None = None
    p25_usd: float | None = None  # the same source, horizon and cohort's 25th and 75th percentiles (payback range)
    p75_usd: float | None = None


def choose_earnings(program_rows: pd.DataFrame, pair_rows: pd.DataFrame, source_order: list[str],
                    field_cf: tuple[float, str] | None) -> Earnings | None:
    """The program's earnings for the cost row: the first published horizon (1, else 5, else 10); at that
    horizon a source whose same-institution bachelor's figure (same horizon and cohort) is published first,
    then ``source_order``. The counterfactual is that bachelor's figure, else ``field_cf`` (value, basis)."""
    pub = program_rows[program_rows["median_earnings_usd"].notna()]
    if pub.empty:
        return None
    order = {s: i for i, s in enumerate(source_order)}
    ba = {}
    for p in pair_rows.itertuples(index=False):
        if not _blank(p.median_earnings_usd) and not _blank(p.median_earnings_usd_ba):
            ba[(p.data_origin, int(p.years_after_graduation), p.grad_cohort)] = float(p.median_earnings_usd_ba)
    cands = []
    for r in pub.itertuples(index=False):
        key = (r.data_origin, int(r.years_after_graduation), r.grad_cohort)
        cands.append((int(r.years_after_graduation), key not in ba, order.get(r.data_origin, len(order)),
                      r.grad_cohort != "all", -(r.cohort_last_year if not _blank(r.cohort_last_year) else -1), r, key))
    cands.sort(key=lambda c: c[:5])
    *_, r, key = cands[0]
    if key in ba:
        cf, basis = ba[key], SAME_INSTITUTION
    elif field_cf is not None:
        cf, basis = field_cf
    else:
        cf, basis = None, None
    return Earnings(float(r.median_earnings_usd), int(r.years_after_graduation), r.data_origin, r.grad_cohort, cf, basis,
                    _num(r.earnings_published_usd), _num(getattr(r, "p25_earnings_usd", None)),
                    _num(getattr(r, "p75_earnings_usd", None)))


def program_cost_row(program: dict, earnings: Earnings | None, tuition_per_year: float, tuition_basis: str,
                     study_years: float, roi: dict, scorecard: dict | None = None,
                     field_counterfactual: tuple[float, str] | None = None) -> dict:
    """One row of out_roi__public_program_costs (pure: every input is a number or a label).

    ``program``: program_id, credential_level, pathway, ... (copied). Without earnings the cost is still computed
    against ``field_counterfactual`` (value, basis) where given; gain, payback and NPV then stay null. Full-time study is assumed: forgone earnings
    are the counterfactual x study_years ([roi.forgone_share] full_time); the loan is [roi] financed_share of the
    tuition counted at the US federal graduate rate. ``scorecard``: debt_median_usd, debt_monthly_payment_usd and
    the Scorecard earnings (as published) of the same cohort, for debt-to-earnings and payment-to-income.
    """
    loan_rate, _ = roi_fn.country_loan_rate("US", roi)
    _, waived = roi_fn.pathway_funding(program.get("pathway"), roi)
    out = dict(program)
    out.update(tuition_per_year_usd=round(tuition_per_year, 2), tuition_basis=tuition_basis, study_years=study_years,
               discount_rate=float(roi["discount_rate"]), loan_rate=loan_rate)
    notes = [f"tuition {tuition_basis} (${tuition_per_year:,.0f} a year)" + (", waived for this pathway ([roi.pathway_funding])" if waived else ""),
             f"{study_years:g} years of full-time study" + ("" if tuition_basis == "curated override" else
                                                              f" (typical length, [public_roi] study_years.{program['credential_level']})"),
             f"whole counterfactual forgone while studying; {float(roi['financed_share']):.0%} of tuition borrowed at "
             f"{loan_rate:.2%} over {float(roi['loan_term_years']):g} years",
             f"gain constant over time, discounted at {float(roi['discount_rate']):.0%} real"]
    reasons = []
    if earnings is not None:
        cf, basis = earnings.counterfactual_usd, earnings.counterfactual_basis
    else:
        cf, basis = field_counterfactual if field_counterfactual is not None else (None, None)
        reasons.append("no earnings published: no gain, payback or NPV")
    if cf is None:
        reasons.append("no counterfactual earnings (no same-institution bachelor's figure and no field-level figure): "
                       "forgone earnings and total cost not computed")
    costs = roi_fn.program_costs(tuition_per_year * study_years, study_years * 12.0, None, "full_time",
                                 cf if cf is not None else 0.0, roi, loan_rate, pathway=program.get("pathway"),
                                 has_loan_rate=loan_rate is not None)
    out.update(tuition_total_usd=round(costs.tuition_fees_usd, 2), loan_interest_usd=costs.loan_interest_usd,
               counterfactual_earnings_usd=cf, counterfactual_basis=basis)
    if basis:
        notes.append(f"counterfactual: {basis}")
    if earnings is not None:
        out.update(earnings_usd=earnings.earnings_usd, earnings_horizon_years=earnings.horizon,
                   earnings_source=earnings.source, grad_cohort=earnings.grad_cohort)
        notes.append(f"earnings: {earnings.source} median {earnings.horizon} year(s) after graduation (cohort {earnings.grad_cohort})"
                     + ("" if earnings.horizon == 1 else ", the first horizon published"))
    if cf is not None:
        out.update(forgone_earnings_usd=round(costs.forgone_earnings_usd, 2), total_cost_usd=round(costs.total_usd, 2))
    if cf is not None and earnings is not None:
        gain = earnings.earnings_usd - cf
        out.update(annual_gain_usd=round(gain, 2),
                   payback_years=roi_fn.finite_or_none(roi_fn.payback_years(costs.total_usd, gain)))
        for q, value in (("p25", earnings.p25_usd), ("p75", earnings.p75_usd)):
            # the payback range: the same formula at the 25th / 75th percentile earnings (null when not published
            # or when that gain is not positive)
            if value is not None:
                out[f"payback_years_{q}_salary"] = roi_fn.finite_or_none(roi_fn.payback_years(costs.total_usd, value - cf))
        for h in (10, 20):
            out[f"npv_{h}y_usd"] = round(roi_fn.npv_from_costs(costs, h, study_years, gain, roi), 2)
        if gain <= 0:
            reasons.append("payback: earnings not above the counterfactual (never pays back)")
    if scorecard:
        debt, pay, earn = (_num(scorecard.get(k)) for k in ("debt_median_usd", "debt_monthly_payment_usd", "earnings_published_usd"))
        out.update(debt_median_usd=debt, monthly_loan_payment_usd=pay)
        if debt is not None and earn:
            out["debt_to_earnings_ratio"] = debt / earn
        if pay is not None and earn:
            out["payment_to_income_share"] = roi_fn.payment_to_income_share(pay, earn)
        if debt is None:
            reasons.append("College Scorecard median debt: " + (scorecard.get("debt_reason") or "not published"))
        elif not earn:
            reasons.append("debt-to-earnings: no College Scorecard earnings for the debt's cohort")
    else:
        reasons.append("debt: not published for this program (College Scorecard only)")
    out["assumptions_note"] = "Assumptions: " + "; ".join(notes) + "."
    out["not_computed_reason"] = "; ".join(reasons) or None
    return out


def percentiles(values) -> tuple[float | None, float | None, float | None]:
    """(p25, median, p75) with linear interpolation (DuckDB quantile_cont, numpy 'linear'); Nones when empty."""
    v = np.asarray([x for x in values if x is not None and not (isinstance(x, float) and math.isnan(x))], dtype=float)
    if v.size == 0:
        return None, None, None
    p25, med, p75 = np.percentile(v, [25, 50, 75])
    return float(p25), float(med), float(p75)
