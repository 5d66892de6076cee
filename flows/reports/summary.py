"""The answer first: what a program page's summary shows, and why a figure is missing.

Owns ``curated_summary(f)`` and ``public_summary(f, pub)`` (the figures of the summary block at the top of
a program page: every one a warehouse cell, named by its ``data-field``), ``provenance_line`` (data origin
and strength in one line), ``caveat`` (the one caveat that matters most, by the rule ``CAVEAT_ORDER``) and
``cost_why`` (why a cost row is "n/a"). Nothing here computes a figure: it chooses which cell to show and
which sentence explains a missing one.
"""

from __future__ import annotations

from flows.reports.build import latest_by_horizon, source_name

#: The caveat rule: of every caveat that applies to a page, the first in this order is shown in its summary
#: (docs/METHODOLOGY.md, "Reading a program page"). Synthetic data can never be cited; withheld figures
#: leave the reader without an answer; a low knowledge rate makes the rates unrepresentative; unverified
#: self-reports; public records describe all completers of an institution, field and level; a trajectory
#: mixing cohorts; a rate not measurable at 180 days (censoring); and, when nothing else applies, that past
#: graduates' outcomes are no promise for a future cohort.
CAVEAT_ORDER = ("synthetic", "suppressed", "low_coverage", "self_reported", "all_completers", "mixed_cohorts", "censoring",
                "past_cohorts")

#: Evidence class -> the provenance line's opening words (its strength, in reader's words).
ORIGIN_WORDS = {
    "synthetic": "Synthetic demonstration",
    "audited_report": "Published outcome report (CIRR), audited",
    "public_records": "Public earnings records",
    "self_reported_survey": "Self-reported survey",
    "curated_documented": "Curated records with documented evidence",
}


def _k(reason: str | None) -> str:
    """'primary: fewer than k=10 graduates' -> 'fewer than k=10 graduates (small-cell rule)'."""
    text = str(reason or "no graduate records")
    text = text.split(": ", 1)[1] if text.startswith(("primary: ", "complementary: ", "secondary: ")) else text
    return f"{text} (small-cell rule)" if "fewer than" in text or "complementary" in str(reason) else text


def withheld(what: str, row: dict | None) -> str:
    """One line for a suppressed section: 'Salary: withheld — fewer than k=10 ... (small-cell rule)'."""
    if row is None:
        return f"{what}: not available — no graduate records in this source"
    reason = row.get("suppression_reason")
    if reason and str(reason).startswith("complementary"):
        return f"{what}: withheld — hidden so that another withheld figure cannot be worked out (small-cell rule)"
    return f"{what}: withheld — {_k(reason)}"


def _years(f: dict) -> str | None:
    years = sorted({r["placement"].get("graduation_year") for r in f.get("by_cohort") or [] if r["placement"].get("graduation_year")})
    if not years:
        return None
    return f"graduates {years[0]}" if years[0] == years[-1] else f"graduates {years[0]}-{years[-1]}"


def provenance_line(cls: str | None, origin_name: str | None, cohorts: str | None) -> str:
    """'Public earnings records, Census PSEO, graduates 2011-2015' / 'Self-reported survey, freeCodeCamp 2016 survey'."""
    head = ORIGIN_WORDS.get(cls or "", "Evidence class not recorded")
    if cls == "synthetic":
        return head + " (not real graduates)"
    return ", ".join(x for x in (head, origin_name, cohorts) if x)


def caveat(applies: dict[str, str]) -> tuple[str, str] | None:
    """The (code, text) of the first caveat of CAVEAT_ORDER that applies, or None."""
    for code in CAVEAT_ORDER:
        if applies.get(code):
            return code, applies[code]
    return None


def _cohort_words(cohort: str | None) -> str | None:
    if not cohort:
        return None
    if cohort == "all":
        return "all cohorts pooled"
    return f"graduates {cohort}" if cohort[:1].isdigit() else f"completers {cohort}"


# --- curated, survey and synthetic programs ---------------------------------------------------
def cost_why(c: dict | None, col: str, program: dict) -> str:
    """Why a cost row of a curated page is n/a (never a bare 'n/a')."""
    if c is None:
        return "n/a: no graduate records"
    if c.get("is_suppressed"):
        return "n/a: withheld with the program's figures (small-cell rule)"
    if col == "tuition_fees_usd" or (program.get("tuition_fees_usd") is None and col in (
            "total_cost_usd", "financed_usd", "monthly_loan_payment_usd", "loan_interest_usd", "debt_to_earnings_ratio",
            "loan_payment_salary_share", "annual_gain_usd", "expected_salary_usd", "forgone_earnings_usd", "living_relocation_usd",
            "payback_years", "npv_10y_usd", "npv_20y_usd")):
        return "n/a: tuition unknown"
    if program.get("duration_months") is None:
        return "n/a: program length unknown"
    if col in ("financed_usd", "loan_interest_usd", "monthly_loan_payment_usd", "debt_to_earnings_ratio", "loan_payment_salary_share") \
            and c.get("loan_rate") is None:
        return "n/a: no loan rate for this country"
    if c.get("employed_in_field_180d_rate") is None and col not in ("median_base_salary_usd", "counterfactual_salary_usd",
                                                                    "prior_salary_known_share"):
        return "n/a: no start dates in this source (no 180-day rate)"
    if col.startswith("payback_years") and c.get("annual_gain_usd") is not None:
        return "never: the gain is not positive"
    if c.get("median_base_salary_usd") is None:
        return "n/a: n ≤ 5 salaries"
    return "n/a: not computed"


def curated_summary(f: dict) -> dict:
    prog, notice, p, s, c = f["program"], f.get("notice") or {}, f["placement"], f["salary"], f["costs"]
    cls = notice.get("data_origin_class")
    rate = None
    if p and not p.get("is_suppressed"):
        if p.get("employed_in_field_180d_rate") is not None:
            rate = {"name": "employed_in_field_180d_rate", "label": "In a field job by day 180",
                    "n": p.get("employed_in_field_180d_denominator")}
        elif p.get("employed_in_field_rate") is not None:
            rate = {"name": "employed_in_field_rate", "label": "In a field job when asked",
                    "n": p.get("cirr_denominator"), "note": (p.get("window_rates_note") or "no 180-day rate") + ": rate at collection"}
        if rate:
            rate.update(value=p.get(rate["name"]), lower=p.get(rate["name"] + "_lower"), upper=p.get(rate["name"] + "_upper"))
    salary_ok = s is not None and not s.get("is_suppressed") and s.get("median_base_salary_usd") is not None
    cost_ok = c is not None and not c.get("is_suppressed")
    applies = {}
    if cls == "synthetic":
        applies["synthetic"] = "Synthetic demonstration data: these graduates do not exist; never cite these figures."
    if p is None or p.get("is_suppressed") or not salary_ok:
        what = "placement and salary" if (p is None or p.get("is_suppressed")) else "salary"
        applies["suppressed"] = withheld(what.capitalize(), p if (p is None or p.get("is_suppressed")) else s) + "."
    if p and p.get("is_low_coverage"):
        applies["low_coverage"] = "Low knowledge rate: the outcome of few graduates is known; the rates may not represent all graduates."
    if p and p.get("self_reported_share"):
        applies["self_reported"] = ("Self-reported: graduates answered an open survey themselves; nobody verified the answers and "
                                    "those who answered chose to.")
    if p and p.get("window_rates_note"):
        applies["censoring"] = f"No 180-day rate ({p['window_rates_note']}): the rate shown is at the time of the answer."
    prior = f.get("prior_background") or []
    if prior:
        prior_state, prior_missing = "published", ""
    elif p is None:
        prior_state, prior_missing = "no-records", "No graduate records for this program in this source."
    elif p.get("is_suppressed"):
        prior_state, prior_missing = "withheld", withheld("Graduates like you", p) + "."
    else:
        prior_state, prior_missing = "not-recorded", ("Prior degree not recorded by this source: its graduates' previous degrees "
                                                      "are unknown, so no group of graduates like you can be shown.")
    applies["past_cohorts"] = (f"These are outcomes of past graduates ({_years(f) or 'cohorts as reported'}); a future cohort "
                               "may do better or worse.")
    return {
        "placement_missing": withheld("Placement", p),
        "cost_section_missing": withheld("Cost and payback", c) if c is not None else
                                "Cost and payback: not available — no graduate records in this source",
        "prior_state": prior_state, "prior_missing": prior_missing,
        "cohort_missing": ("no graduation dates in this source" if p is not None and not p.get("is_suppressed")
                           else withheld("cohorts", p).split(": ", 1)[1]),
        "provenance": provenance_line(cls, source_name(prog.get("data_origin")) if cls != "synthetic" else None, _years(f)),
        "cls": cls or "unknown",
        "rate": rate,
        "rate_missing": withheld("Rate", p) if (p is None or p.get("is_suppressed")) else (
            f"Rate: {p['window_rates_note']}" if p.get("window_rates_note") else
            "Rate: withheld — hidden so that no withheld count can be worked out (small-cell rule)"),
        "salary_ok": salary_ok,
        "salary_missing": withheld("Salary", s if s is not None else p),
        "cost_ok": cost_ok,
        "cost_missing": cost_why(c, "total_cost_usd", prog),
        "payback_missing": cost_why(c, "payback_years", prog),
        "caveat": caveat(applies),
    }


# --- public programs ----------------------------------------------------------------------------
def public_summary(f: dict, pub: dict) -> dict:
    c = f.get("public_costs") or {}
    earnings = pub["earnings"]
    origins = [o for o in (c.get("earnings_source"),) if o] + sorted({e["data_origin"] for e in earnings})
    source, points = None, {}
    for o in origins:
        by_h = latest_by_horizon(earnings, o)
        if any(e["median"] is not None for e in by_h.values()):
            source, points = o, by_h
            break
    shown = [points[h] for h in (1, 5) if h in points and points[h]["median"] is not None]
    if not shown and points:
        shown = [points[min(h for h in points if points[h]["median"] is not None)]]
    cohort = shown[0]["grad_cohort"] if shown else None
    applies = {"all_completers": "Public records cover all completers of this institution, field and credential level, "
                                 "not a survey of one program's graduates; no employment rate is published."}
    if not shown:
        applies["suppressed"] = "Earnings: withheld or not published by every source (fewer completers with earnings than the publisher's threshold)."
    if pub.get("mixed_cohorts"):
        applies["mixed_cohorts"] = f"{pub['mixed_cohorts']}: figures at different horizons describe different cohorts."
    return {
        "provenance": provenance_line("public_records", source_name(source) if source else None, _cohort_words(cohort)),
        "source": source_name(source) if source else "any source in this warehouse",
        "earnings": shown,
        "caveat": caveat(applies),
    }


def public_why(c: dict | None, col: str) -> str:
    """Why a figure of out_roi__public_program_costs is n/a (never a bare 'n/a')."""
    if c is None:
        return "n/a: no cost row (no published earnings to set against a cost)"
    reason = c.get("not_computed_reason") or ""
    if col in ("debt_median_usd", "monthly_loan_payment_usd", "debt_to_earnings_ratio", "payment_to_income_share"):
        if "debt: not published" in reason:
            return "n/a: not published for this program (College Scorecard only)"
        if col in ("debt_to_earnings_ratio", "payment_to_income_share") and c.get("debt_median_usd") is not None:
            return "n/a: no College Scorecard earnings for the debt's cohort"
        return "n/a: withheld or not published by College Scorecard"
    if c.get("counterfactual_earnings_usd") is None and col in ("forgone_earnings_usd", "total_cost_usd", "counterfactual_earnings_usd",
                                                               "annual_gain_usd", "payback_years", "payback_years_p25_salary",
                                                               "payback_years_p75_salary", "npv_10y_usd", "npv_20y_usd"):
        return "n/a: no counterfactual earnings for this field"
    if c.get("earnings_usd") is None:
        return "n/a: no earnings published"
    if col == "payback_years" and c.get("annual_gain_usd") is not None and c["annual_gain_usd"] <= 0:
        return "never: the gain is not positive"
    if col.startswith("payback_years_p"):
        if c.get("payback_years") is None:
            return "never: the gain is not positive"
        return "never or n/a: that percentile's gain is not positive, or the percentile is not published"
    return "n/a: not computed"
