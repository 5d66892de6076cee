"""Cost, loan, payback and net-present-value arithmetic (FREOPP / Georgetown CEW style).

Owns the money formulas of docs/METHODOLOGY.md, "Cost and return on investment". Pure
functions on numbers; vectorised with numpy where the builder needs them per program.
Conventions: amounts in USD (real, i.e. today's dollars); years start when study starts
(year 0); a cash flow in year t is discounted by (1 + r)^-t (start-of-year convention, so
study costs in year 0 are not discounted, as FREOPP discounts to the year study starts).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


def _out(x):
    """A numpy result as a float when every input was a scalar, else the array."""
    x = np.asarray(x, dtype=float)
    return float(x) if x.ndim == 0 else x


def monthly_payment(principal, annual_rate, term_years):
    """Level monthly payment of a fully amortising loan: P·r / (1 - (1 + r)^-n). Vectorised.

    r = annual_rate / 12, n = round(12 · term_years). A zero rate gives P / n; zero principal 0.
    """
    p, rate, term = np.asarray(principal, dtype=float), np.asarray(annual_rate, dtype=float), np.asarray(term_years, dtype=float)
    if (p < 0).any() or (rate < 0).any() or (term <= 0).any():
        raise ValueError(f"monthly_payment: need principal >= 0, rate >= 0, term > 0; got {principal}, {annual_rate}, {term_years}")
    n = np.round(12 * term)
    r = rate / 12.0
    level = p * r / np.where(r == 0, 1.0, 1.0 - (1.0 + r) ** (-n))
    return _out(np.where(p == 0, 0.0, np.where(r == 0, p / n, level)))


def total_interest(principal, annual_rate, term_years):
    """Interest paid over the whole term: payment · n - principal. Vectorised."""
    return loan_schedule(principal, annual_rate, term_years)[1]


def loan_schedule(principal, annual_rate, term_years):
    """(monthly payment, interest over the term) of a fully amortising loan. Vectorised."""
    payment = monthly_payment(principal, annual_rate, term_years)
    n = np.round(12 * np.asarray(term_years, dtype=float))
    return payment, _out(np.asarray(payment) * n - np.asarray(principal, dtype=float))


def expected_salary(in_field_share, in_field_salary_usd, counterfactual_usd):
    """Expected salary after the program: q · in-field salary + (1 - q) · counterfactual. Vectorised.

    q is the share of graduates employed in the field (the graduates who are not are assumed to earn
    their counterfactual). The one definition behind out_roi__program_costs, the sensitivity grid and
    "people like me".
    """
    q, s, cf = (np.asarray(v, dtype=float) for v in (in_field_share, in_field_salary_usd, counterfactual_usd))
    return _out(q * s + (1 - q) * cf)


def expected_gain(in_field_share, in_field_salary_usd, counterfactual_usd):
    """Annual earnings gain: expected salary - counterfactual. Vectorised."""
    cf = np.asarray(counterfactual_usd, dtype=float)
    return _out(np.asarray(expected_salary(in_field_share, in_field_salary_usd, cf)) - cf)


def payment_to_income_share(monthly_payment_usd, annual_earnings_usd):
    """Monthly loan payment / monthly earnings (annual / 12); NaN where earnings are 0. Vectorised."""
    pay, earn = np.asarray(monthly_payment_usd, dtype=float), np.asarray(annual_earnings_usd, dtype=float)
    return _out(np.where(earn != 0, pay / (np.where(earn != 0, earn, 12.0) / 12.0), np.nan))


@dataclass(frozen=True)
class Costs:
    """Cost components of one program for one person. The loan fields are None when no loan rate is
    known for the program's country (no interest is then counted); ``stipend_usd`` is the stipend
    paid over the whole study (already netted out of ``forgone_earnings_usd``)."""

    tuition_fees_usd: float
    living_relocation_usd: float
    forgone_earnings_usd: float
    financed_usd: float | None
    loan_interest_usd: float | None
    monthly_loan_payment_usd: float | None
    stipend_usd: float = 0.0
    tuition_waived: bool = False

    @property
    def total_usd(self) -> float:
        return (self.tuition_fees_usd + self.living_relocation_usd + self.forgone_earnings_usd
                + (self.loan_interest_usd or 0.0))


def forgone_share(pacing: str | None, roi: dict) -> float:
    """Share of counterfactual earnings given up while studying, by pacing ([roi.forgone_share])."""
    shares = roi["forgone_share"]
    return float(shares.get(pacing or "", shares["full_time"]))


def pathway_funding(pathway: str | None, roi: dict) -> tuple[float, bool]:
    """(stipend in USD a year, tuition waived?) of a pathway ([roi.pathway_funding.<pathway>]); (0, False) if none."""
    cfg = roi["pathway_funding"].get(pathway or "")
    if cfg is None:  # a pathway without a [roi.pathway_funding] table: no stipend, tuition paid
        return 0.0, False
    return float(cfg["stipend_usd_per_year"]), bool(cfg["tuition_waived"])


def program_country(country_code: str | None, state_code: str | None) -> str | None:
    """The program's country: its ISO code, else "US" when only a US state is given, else None (unknown)."""
    def text(v) -> str:
        return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v).strip().upper()
    cc = text(country_code)
    if cc:
        return cc
    return "US" if text(state_code) else None


def country_settings(country: str | None, roi: dict) -> dict | None:
    """``[roi.countries.<country>]``, or None when the country is unknown or not configured."""
    if not country:
        return None
    return roi["countries"].get(country)


def country_loan_rate(country: str | None, roi: dict) -> tuple[float | None, str | None]:
    """(annual loan rate, None) for a configured country, else (None, reason).

    The US uses ``[roi] loan_rate`` (the federal graduate rate) unless ``[roi.countries.US]`` sets
    its own; any other country needs ``[roi.countries.XX] loan_rate``.
    """
    cfg = country_settings(country, roi)
    if cfg is None:
        return None, ("no loan rate: country unknown" if not country
                      else f"no loan rate for this country ({country})")
    if cfg["loan_rate"] is not None:
        return float(cfg["loan_rate"]), None
    if country == "US":
        return float(roi["loan_rate"]), None
    return None, f"no loan rate for this country ({country})"


def country_has_bls_benchmark(country: str | None, roi: dict) -> bool:
    """True when BLS OEWS (US) wages benchmark the country's programs (``[roi.countries.XX] bls_benchmark``)."""
    cfg = country_settings(country, roi)
    return cfg is not None and bool(cfg["bls_benchmark"])


def program_costs(tuition_fees_usd: float, duration_months: float, modality: str | None, pacing: str | None,
                  counterfactual_usd: float, roi: dict, loan_rate: float | None = None, *,
                  pathway: str | None = None, has_loan_rate: bool = True) -> Costs:
    """Cost components of one program for one counterfactual salary.

    - tuition and fees as published (whole program), or 0 where the pathway's tuition is waived
      (``[roi.pathway_funding.<pathway>] tuition_waived``, e.g. funded PhDs);
    - living and relocation: only for in-person or hybrid full-time study, the one-off
      ``relocation_usd`` plus ``extra_living_usd_per_year`` x years of study;
    - earnings forgone: (counterfactual salary x forgone share of the pacing - the pathway's stipend)
      x years of study, never below 0 (a stipend above the counterfactual is not counted as a gain);
    - loan: ``financed_share`` of the tuition paid, amortised monthly over ``loan_term_years`` at
      ``loan_rate`` (default ``[roi] loan_rate``); the interest over the term is a cost. With
      ``has_loan_rate=False`` (no rate known for the program's country) the loan fields are None and
      no interest is counted.
    """
    years = float(duration_months) / 12.0
    stipend_per_year, waived = pathway_funding(pathway, roi)
    tuition = 0.0 if waived else float(tuition_fees_usd)
    living = 0.0
    if pacing == "full_time" and modality in ("in_person", "hybrid"):
        living = float(roi["relocation_usd"]) + float(roi["extra_living_usd_per_year"]) * years
    forgone = max(0.0, float(counterfactual_usd) * forgone_share(pacing, roi) - stipend_per_year) * years
    stipend = stipend_per_year * years
    if not has_loan_rate:
        return Costs(tuition, living, forgone, None, None, None, stipend, waived)
    rate = float(roi["loan_rate"] if loan_rate is None else loan_rate)
    financed = tuition * float(roi["financed_share"])
    term = float(roi["loan_term_years"])
    payment, interest = loan_schedule(financed, rate, term)
    return Costs(tuition, living, forgone, financed, interest, payment, stipend, waived)


def payback_years(total_cost_usd, annual_gain_usd):
    """Simple payback after graduation: total cost / annual earnings gain (undiscounted).

    Infinite (never pays back) where the gain is zero or negative. Vectorised.
    """
    cost = np.asarray(total_cost_usd, dtype=float)
    gain = np.asarray(annual_gain_usd, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(gain > 0, cost / np.where(gain > 0, gain, 1.0), np.inf)
    out = np.where(np.isnan(cost) | np.isnan(gain), np.nan, out)
    return out if out.ndim else float(out)


def npv(horizon_years: int, study_years, upfront_cost_usd, annual_gain_usd, annual_loan_interest_usd,
        loan_term_years, discount_rate):
    """Net present value at the start of study over ``horizon_years`` whole years. Vectorised over
    every argument but the horizon (arrays broadcast; scalars give a float).

    Year t = 0..H-1 has study fraction s_t = clip(study_years - t, 0, 1). Its cash flow is
    - upfront_cost / study_years · s_t       (tuition, living, forgone earnings spread over study)
    + annual_gain · (1 - s_t)                (earnings gain once graduated)
    - annual_loan_interest · w_t             (interest, spread over the repayment years after study:
                                              w_t = overlap of year t with [study_years, study_years + term))
    discounted by (1 + discount_rate)^-t. Study of zero length puts the cost in year 0. The years are
    summed in order (a running sum), as the formula reads.
    """
    d, cost, gain, interest, term, rate = (np.asarray(v, dtype=float)[..., None] for v in (
        study_years, upfront_cost_usd, annual_gain_usd, annual_loan_interest_usd, loan_term_years, discount_rate))
    t = np.arange(int(horizon_years), dtype=float)  # the last axis: years
    s = np.minimum(np.maximum(d - t, 0.0), 1.0)
    w = np.maximum(0.0, np.minimum(t + 1.0, d + term) - np.maximum(t, d))
    study_cost = np.where(d > 0, cost / np.where(d > 0, d, 1.0) * s, np.where(t == 0, cost, 0.0))
    present = (gain * (1.0 - s) - interest * w - study_cost) / (1.0 + rate) ** t
    total = np.cumsum(present, axis=-1)[..., -1] if t.size else np.zeros(present.shape[:-1])
    return _out(total)


def npv_from_costs(costs: Costs, horizon_years: int, study_years: float, annual_gain_usd, roi: dict,
                   discount_rate: float | None = None) -> float:
    """``npv`` of one program's cost components (interest spread evenly over the loan term); gains may be an array."""
    term = float(roi["loan_term_years"])
    upfront = costs.tuition_fees_usd + costs.living_relocation_usd + costs.forgone_earnings_usd
    r = float(roi["discount_rate"] if discount_rate is None else discount_rate)
    return npv(horizon_years, study_years, upfront, annual_gain_usd, (costs.loan_interest_usd or 0.0) / term, term, r)


def finite_or_none(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def max_base_salary_usd(assumptions: dict, data_origin: str | None = None) -> float:
    """Plausible maximum of a USD base (or prior) salary ([salary_plausibility]), by data origin."""
    cfg = assumptions["salary_plausibility"]
    by_origin = cfg["max_base_salary_usd_by_origin"]
    if data_origin is not None and data_origin in by_origin:
        return float(by_origin[data_origin])
    return float(cfg["max_base_salary_usd"])


def salary_bound_sql(assumptions: dict, origin_col: str = "s.data_origin") -> str:
    """SQL expression giving the plausible salary maximum of a record by its data origin."""
    def lit(v: float) -> str:
        return "'infinity'::DOUBLE" if math.isinf(v) else repr(float(v))
    by_origin = assumptions["salary_plausibility"]["max_base_salary_usd_by_origin"]
    default = lit(max_base_salary_usd(assumptions))
    if not by_origin:
        return default
    whens = " ".join(f"WHEN {origin_col} = '{str(o).replace(chr(39), chr(39) * 2)}' THEN {lit(float(v))}"
                     for o, v in by_origin.items())
    return f"CASE {whens} ELSE {default} END"
