"""Row rules that involve more than one column, by name.

Owns the cross-column rules that tables list in ``Table.checks`` or that input models
add. Each rule takes a typed DataFrame and returns a boolean Series: True where the row
passes. A rule only judges rows where its columns are present (nulls pass, because
required-ness is its own rule). The generated Pandera models wrap these as dataframe
checks, so a failure is reported per row with the rule's name.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from schemas.vocab import OUTCOME_STATUSES, cirr_employed, in_field_of_status

Rule = Callable[[pd.DataFrame], pd.Series]

_IN_FIELD = {k: in_field_of_status(k) for k in OUTCOME_STATUSES}
_EMPLOYED = {k: cirr_employed(v[1]) for k, v in OUTCOME_STATUSES.items()}


def cohort_of(dates):
    """The cohort rule, written once: CIRR's half-year of the graduation date, 'YYYYH1' (1 January-30 June)
    or 'YYYYH2' (1 July-31 December). A Series of dates gives a string Series (missing dates give <NA>);
    one date gives one string."""
    if not isinstance(dates, pd.Series):
        d = pd.Timestamp(dates)
        return f"{d.year}H{1 if d.month <= 6 else 2}"
    d = pd.to_datetime(dates)
    return d.dt.year.astype("Int64").astype("string") + "H" + (1 + (d.dt.month > 6).astype("Int64")).astype("string")


def cohort_matches_graduation_date(df: pd.DataFrame) -> pd.Series:
    derived = cohort_of(df["graduation_date"])
    cohort = df["cohort"].astype("string")
    well_formed = cohort.str.fullmatch(r"\d{4}H[12]").fillna(False).astype(bool)  # else the pattern rule reports it
    ok = ~well_formed | df["graduation_date"].isna() | (cohort == derived)
    return ok.fillna(True).astype(bool)


def in_field_matches_status(df: pd.DataFrame) -> pd.Series:
    status = df["outcome_status"]
    known = status.isin(list(_IN_FIELD)).fillna(False).astype(bool)
    expected = status.map(_IN_FIELD)
    given = df["in_field"]
    has_given = given.notna().to_numpy(dtype=bool)
    given_b = given.fillna(False).astype(bool).to_numpy()
    exp_true = expected.eq(True).fillna(False).to_numpy(dtype=bool)
    exp_false = expected.eq(False).fillna(False).to_numpy(dtype=bool)
    exp_none = ~(exp_true | exp_false)
    # In field (1A-1E): must be true; out of field (2A/2B): false; not employed: blank or false.
    agrees = (exp_true & given_b) | (exp_false & ~given_b) | (exp_none & ~given_b)
    return pd.Series(~has_given | ~known.to_numpy() | agrees, index=df.index)


def salary_only_when_employed(df: pd.DataFrame) -> pd.Series:
    # Unknown statuses pass here: the enum rule already reports them.
    employed = df["outcome_status"].map(_EMPLOYED).astype("boolean").fillna(True).astype(bool)
    return (df["base_salary"].isna() | employed).astype(bool)


def role_required_when_employed(df: pd.DataFrame) -> pd.Series:
    employed = df["outcome_status"].map(_EMPLOYED).astype("boolean").fillna(False).astype(bool)
    return (~employed | df["role_category"].notna()).astype(bool)


def job_start_within_window(df: pd.DataFrame) -> pd.Series:
    """A job start may precede graduation (offers, internships converted) by at most 365 days."""
    gap = (pd.to_datetime(df["job_start_date"]) - pd.to_datetime(df["graduation_date"])).dt.days
    return (gap.isna() | (gap >= -365)).astype(bool)


def job_start_not_after_collection(df: pd.DataFrame) -> pd.Series:
    gap = (pd.to_datetime(df["collected_date"]) - pd.to_datetime(df["job_start_date"])).dt.days
    return (gap.isna() | (gap >= 0)).astype(bool)


def collected_not_before_graduation(df: pd.DataFrame) -> pd.Series:
    """An outcome is collected on or after graduation (an earlier date is a typing slip)."""
    gap = (pd.to_datetime(df["collected_date"]) - pd.to_datetime(df["graduation_date"])).dt.days
    return (gap.isna() | (gap >= 0)).astype(bool)


#: Days a collection date may lie after today (UTC): time zones, and files prepared the evening before.
COLLECTED_FUTURE_MARGIN_DAYS = 1


def collected_not_in_future(df: pd.DataFrame) -> pd.Series:
    """An outcome cannot have been collected after the day it is validated."""
    latest = pd.Timestamp.now(tz="UTC").tz_localize(None).normalize() + pd.Timedelta(days=COLLECTED_FUTURE_MARGIN_DAYS)
    collected = pd.to_datetime(df["collected_date"])
    return (collected.isna() | (collected <= latest)).astype(bool)


def programs_in_person_has_location(df: pd.DataFrame) -> pd.Series:
    """An in-person or hybrid program must say where it is taught (city or state or country)."""
    # Only in_person / hybrid rows are judged: a null modality (unknown, e.g. a public-source program) passes.
    located = ~df["modality"].isin(["in_person", "hybrid"]).fillna(False).astype(bool)
    for col in ("city", "state_code", "country_code"):
        located = located | df[col].notna()
    return located.astype(bool)


def value_not_negative(df: pd.DataFrame) -> pd.Series:
    """A published figure (earnings, debt, count, share) is never negative (null when withheld)."""
    return (df["value"].isna() | (df["value"] >= 0)).fillna(True).astype(bool)


RULES: dict[str, tuple[Rule, str]] = {
    "cohort_matches_graduation_date": (cohort_matches_graduation_date, "cohort must be the CIRR half-year of graduation_date"),
    "in_field_matches_status": (in_field_matches_status, "in_field must agree with outcome_status (CIRR 1A-1E in field, 2A/2B out of field, blank otherwise)"),
    "salary_only_when_employed": (salary_only_when_employed, "base_salary is only allowed for an employed outcome_status"),
    "role_required_when_employed": (role_required_when_employed, "role_category is required when outcome_status is a job"),
    "job_start_within_window": (job_start_within_window, "job_start_date may be at most 365 days before graduation_date"),
    "job_start_not_after_collection": (job_start_not_after_collection, "job_start_date must not be after collected_date"),
    "collected_not_before_graduation": (collected_not_before_graduation, "collected_date must not be before graduation_date"),
    "collected_not_in_future": (collected_not_in_future, f"collected_date must not be after today (plus {COLLECTED_FUTURE_MARGIN_DAYS} day)"),
    "programs_in_person_has_location": (programs_in_person_has_location, "an in-person or hybrid program needs a city, state or country"),
    "value_not_negative": (value_not_negative, "a published value is never negative"),
}

#: Which columns each rule blames (for error messages and quarantine reasons).
RULE_COLUMNS = {
    "cohort_matches_graduation_date": ("cohort", "graduation_date"),
    "in_field_matches_status": ("in_field", "outcome_status"),
    "salary_only_when_employed": ("base_salary", "outcome_status"),
    "role_required_when_employed": ("role_category", "outcome_status"),
    "job_start_within_window": ("job_start_date", "graduation_date"),
    "job_start_not_after_collection": ("job_start_date", "collected_date"),
    "collected_not_before_graduation": ("collected_date", "graduation_date"),
    "collected_not_in_future": ("collected_date",),
    "programs_in_person_has_location": ("modality", "city"),
    "value_not_negative": ("value",),
}
