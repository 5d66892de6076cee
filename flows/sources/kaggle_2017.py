"""Kaggle ML and Data Science Survey 2017 (filtered extract): practitioners' compensation by formal education.

Owns the file source ``kaggle_2017``: ``transform`` (bundled extract + the survey's conversion rates ->
``core_kaggle_2017__respondents``, ``out_kaggle_2017__compensation_by_education``,
``raw_kaggle_2017__responses``). No fetch. Must not open the warehouse.

Files: ``multipleChoiceResponses_subset.csv`` (GenderSelect, Country, Age, EmploymentStatus,
CurrentJobTitleSelect, LanguageRecommendationSelect, FormalEducation, MajorSelect,
CompensationAmount, CompensationCurrency) and ``conversionRates.csv`` (originCountry = ISO currency,
exchangeRateUS = US dollars per unit). GenderSelect, Age and LanguageRecommendationSelect are dropped
at reading: they never reach a table (``DROPPED_COLUMNS``).

Compensation: the amount (thousands separators allowed) x the currency's exchangeRateUS. A
compensation in USD outside [``min_usd``, ``max_usd``] (settings) is ``implausible``: kept as
answered, converted value null, left out of the statistics. A currency without a rate, or an
unreadable amount, quarantines the response with the reason.

Statistics: for the configured countries, respondents with a plausible compensation are grouped by
formal education x job title and by formal education alone; n, p25, median and p75 (type-7
quantiles, as DuckDB's quantile_cont). Cells with fewer than k respondents (``[suppression]
min_cell_size`` of flows/assumptions.toml) are suppressed, then complementary suppression within each
country x education (job titles) and within each country (education totals).
"""

from __future__ import annotations

import csv
import logging
import re
from pathlib import Path

import pandas as pd

from flows.config import load_assumptions
from flows.sources import Source, register
from flows.sources.snapshot_files import SnapshotError, snapshot_file
from flows.sources.tabular import raw_row, typed_frame
from flows.sources.lineage import quarantine_row, snapshot_id, source_file_of
from flows.stats.intervals import quantiles
from flows.stats.suppression import complementary_suppression, min_cell_size, primary_suppression
from schemas.tables.kaggle_2017 import FORMAL_EDUCATION

logger = logging.getLogger("outcomes.sources.kaggle_2017")

NAME = "kaggle_2017"
RESPONDENTS_TABLE = "core_kaggle_2017__respondents"
OUT_TABLE = "out_kaggle_2017__compensation_by_education"
RAW_TABLE = "raw_kaggle_2017__responses"
DROPPED_COLUMNS = ("GenderSelect", "Age", "LanguageRecommendationSelect")
COLUMNS = ("Country", "EmploymentStatus", "CurrentJobTitleSelect", "FormalEducation", "MajorSelect",
           "CompensationAmount", "CompensationCurrency")
ALL_TITLES = "All job titles"
_AMOUNT = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")


def read_rates(path: Path) -> dict[str, float]:
    """Currency -> US dollars per unit (the file's exchangeRateUS)."""
    rates = {}
    with open(path, newline="", encoding="utf-8-sig") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=1):
            code = (row.get("originCountry") or "").strip()
            try:
                rates[code] = float(row["exchangeRateUS"])
            except (KeyError, TypeError, ValueError):
                raise SnapshotError(f"{path} row {n}: column 'exchangeRateUS' value {row.get('exchangeRateUS')!r} "
                                 "breaks rule number") from None
    return rates


def respondent_row(raw: dict, n: int, rates: dict[str, float], config: dict, src: str) -> tuple[dict | None, list]:
    problems = []
    edu_label = (raw.get("FormalEducation") or "").strip()
    edu = FORMAL_EDUCATION.get(edu_label)
    if edu is None:
        problems.append(("FormalEducation", "enum", f"{src} row {n}: column 'FormalEducation' value {edu_label!r} "
                                                    "breaks rule enum: not one of the survey's answers"))
    amount_text = (raw.get("CompensationAmount") or "").strip()
    currency = (raw.get("CompensationCurrency") or "").strip()
    amount = float(amount_text.replace(",", "")) if _AMOUNT.match(amount_text) else None
    if amount is None:
        problems.append(("CompensationAmount", "number", f"{src} row {n}: column 'CompensationAmount' value "
                                                         f"{amount_text!r} breaks rule number"))
    if currency not in rates:
        problems.append(("CompensationCurrency", "known_rate", f"{src} row {n}: column 'CompensationCurrency' value "
                                                               f"{currency!r} breaks rule known_rate: no rate in conversionRates.csv"))
    country = (raw.get("Country") or "").strip()
    if not country:
        problems.append(("Country", "required", f"{src} row {n}: column 'Country' value '' breaks rule required"))
    if problems:
        return None, problems
    usd = amount * rates[currency]
    plausible = float(config.get("min_usd", 1000)) <= usd <= float(config.get("max_usd", 2_000_000))
    return {"source_row_number": n, "data_origin": NAME, "survey_country": country,
            "employment_status": (raw.get("EmploymentStatus") or "").strip() or None,
            "job_title": (raw.get("CurrentJobTitleSelect") or "").strip() or None, "formal_education": edu,
            "formal_education_label": edu_label, "undergraduate_major": (raw.get("MajorSelect") or "").strip() or None,
            "compensation_amount": amount, "compensation_currency": currency,
            "usd_per_currency_unit": rates[currency], "compensation_usd": usd if plausible else None,
            "value_status": "released" if plausible else "implausible"}, []


def compensation_cells(respondents: pd.DataFrame, countries: list[str], k: int) -> pd.DataFrame:
    """n, p25, median, p75 by country x education x job title and by country x education, suppressed."""
    df = respondents[respondents["survey_country"].isin(countries) & respondents["compensation_usd"].notna()].copy()
    df["job_title"] = df["job_title"].fillna("Not answered")
    cells = []
    for by_title in (True, False):
        keys = ["survey_country", "formal_education", "formal_education_label"] + (["job_title"] if by_title else [])
        for key, group in df.groupby(keys, sort=True):
            p25, med, p75 = quantiles(group["compensation_usd"].to_numpy())
            cells.append({**dict(zip(keys, key)), "job_title": key[3] if by_title else ALL_TITLES,
                          "respondents": len(group), "compensation_p25_usd": p25, "compensation_median_usd": med,
                          "compensation_p75_usd": p75, "_total": not by_title})
    out = pd.DataFrame(cells, columns=["survey_country", "formal_education", "formal_education_label", "job_title",
                                       "respondents", "compensation_p25_usd", "compensation_median_usd",
                                       "compensation_p75_usd", "_total"])
    out["is_suppressed"], out["suppression_reason"] = primary_suppression(out["respondents"], k, "respondents")
    titles = complementary_suppression(out[~out["_total"]], ["survey_country", "formal_education"], "respondents")
    totals = complementary_suppression(out[out["_total"]], ["survey_country"], "respondents")
    out = pd.concat([titles, totals]).sort_values(["survey_country", "formal_education", "job_title"], kind="stable")
    hidden = out["is_suppressed"].astype(bool)
    for col in ("respondents", "compensation_p25_usd", "compensation_median_usd", "compensation_p75_usd"):
        out[col] = out[col].astype(object).where(~hidden, None)
    out["data_origin"] = NAME
    return out.drop(columns="_total").reset_index(drop=True)


def transform(snapshot_dir: Path, config: dict) -> dict[str, pd.DataFrame]:
    snapshot_dir = Path(snapshot_dir)
    snap_id = snapshot_id(snapshot_dir)
    rates_path, _ = snapshot_file(snapshot_dir, config.get("rates_file", "conversionRates.csv"))
    rates = read_rates(rates_path)
    path, digest = snapshot_file(snapshot_dir, config.get("responses_file", "multipleChoiceResponses_subset.csv"))
    src = source_file_of(path)
    rows, raws, quarantine = [], [], []
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SnapshotError(f"{src}: columns {missing} missing (not the Kaggle 2017 extract)")
        for n, raw in enumerate(reader, start=1):
            kept = {c: raw.get(c) for c in COLUMNS}  # gender, age and language never go further
            raws.append(raw_row(snap_id, src, n, kept))
            row, problems = respondent_row(kept, n, rates, config, src)
            if problems:
                quarantine.append(quarantine_row(src, digest, n, NAME, problems, kept))
            else:
                rows.append({**row, "snapshot_id": snap_id})
    respondents = typed_frame(RESPONDENTS_TABLE, rows)
    k = int(config["min_cell_size"]) if config.get("min_cell_size") else min_cell_size(load_assumptions())
    cells = compensation_cells(respondents, list(config.get("countries") or ["United States"]), k)
    cells["snapshot_id"] = snap_id
    return {
        RESPONDENTS_TABLE: respondents,
        OUT_TABLE: typed_frame(OUT_TABLE, cells.to_dict("records")),
        RAW_TABLE: typed_frame(RAW_TABLE, raws),
        "_quarantine": typed_frame("core_ingest__quarantine", quarantine),
    }


SOURCE = register(Source(
    name=NAME,
    title="Kaggle ML and Data Science Survey 2017, filtered extract: practitioners' compensation by formal education "
          "(self-selected; a peers view, not program outcomes)",
    publisher="Kaggle (survey); extract from a public course repository (niraljshah/data_science_demographics_2018)",
    licence="Not verified: no licence in the repository the extract comes from; Kaggle's dataset page is reported to "
            "state ODbL 1.0 (attribute, share derived databases alike), which this project follows",
    url="https://www.kaggle.com/datasets/kaggle/kaggle-survey-2017",
    transform=transform,
))
