"""Kaggle 2017 extract: conversion with the survey's own rates, nothing identifying, suppressed statistics."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from flows.settings import PROJECT_ROOT
from flows.snapshots import read_manifest, verify_snapshot
from flows.sources import SOURCES
from flows.sources import kaggle_2017 as kg
from flows.sources.config import source_config
from flows.sources.snapshot_files import write_bundled_snapshot
from schemas.generate import pandera_model
from schemas.model import TABLES

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "kaggle_2017"
CONFIG = source_config("kaggle_2017")
BUNDLED = PROJECT_ROOT / "data" / "raw" / "kaggle_2017" / "2026-11-21T000000Z-bundled"


def validate(frames):
    for name, df in frames.items():
        pandera_model("core_ingest__quarantine" if name == "_quarantine" else name).validate(df, lazy=True)


def fixture_frames(tmp_path, **config):
    snap = write_bundled_snapshot("kaggle_2017", [FIX / "responses.csv", FIX / "conversionRates.csv"], tmp_path,
                                  "2026-11-21T000000Z-bundled", title="t", publisher="p", licence="l", origin="o")
    frames = kg.transform(snap, dict(CONFIG, responses_file="responses.csv", **config))
    validate(frames)
    return frames


def test_conversion_with_the_files_rates_and_implausible_amounts(tmp_path):
    frames = fixture_frames(tmp_path, min_cell_size=2)
    r = frames[kg.RESPONDENTS_TABLE].set_index("source_row_number")
    ireland = r.loc[4]
    assert (ireland.compensation_amount, ireland.compensation_currency, ireland.usd_per_currency_unit) == (25000.0, "EUR", 1.195826)
    assert ireland.compensation_usd == pytest.approx(25000 * 1.195826) and ireland.value_status == "released"
    india = r.loc[6]  # 12,000 INR = 187 USD a year: implausible, kept as answered, not converted
    assert india.value_status == "implausible" and pd.isna(india.compensation_usd) and india.compensation_amount == 12000
    assert r.loc[1].compensation_usd == 29000.0 and r.loc[1].formal_education == "bachelors"
    assert set(r.data_origin) == {"kaggle_2017"}
    q = frames["_quarantine"]
    assert len(q) == 1 and q.iloc[0].failed_rules == "CompensationCurrency:known_rate" and "'XYZ'" in q.iloc[0].failure_messages
    assert len(frames[kg.RAW_TABLE]) == len(r) + len(q) == 7


def test_nothing_identifying_is_kept(tmp_path):
    frames = fixture_frames(tmp_path)
    for dropped in ("GenderSelect", "Age", "LanguageRecommendationSelect"):
        assert all(dropped not in json.loads(v) for v in frames[kg.RAW_TABLE].raw_values_json)
        assert dropped not in json.dumps(frames["_quarantine"].raw_values_json.tolist())
    text = frames[kg.RESPONDENTS_TABLE].to_csv()
    assert "Male" not in text and "Female" not in text
    assert not {"age", "gender"} & set(TABLES[kg.RESPONDENTS_TABLE].fields)
    assert "self-selected" in TABLES[kg.OUT_TABLE].description and "self_reported" in TABLES[kg.OUT_TABLE].warnings


def test_small_cells_suppressed_with_complements(tmp_path):
    frames = fixture_frames(tmp_path, min_cell_size=3)
    o = frames[kg.OUT_TABLE].set_index("job_title")
    assert list(o.survey_country.unique()) == ["United States"]
    cell = o.loc["Scientist/Researcher"]
    assert (cell.respondents, cell.compensation_median_usd, cell.compensation_p25_usd) == (3, 29000.0, 29000.0)
    assert cell.compensation_p75_usd == 29500.0 and not cell.is_suppressed
    frames = fixture_frames(tmp_path / "k4", min_cell_size=4)
    o = frames[kg.OUT_TABLE]
    assert o.is_suppressed.all() and o.respondents.isna().all() and o.compensation_median_usd.isna().all()
    assert o.suppression_reason.str.startswith("primary: fewer than k=4 respondents").all()


def test_bundled_extract_golden_us_medians():
    assert verify_snapshot(BUNDLED) == []
    m = read_manifest(BUNDLED)
    assert "NOT VERIFIED" in m["licence"] and SOURCES["kaggle_2017"].licence.startswith("Not verified")
    frames = kg.transform(BUNDLED, CONFIG)
    validate(frames)
    assert len(frames[kg.RESPONDENTS_TABLE]) == 3540 and frames["_quarantine"].empty
    with open(BUNDLED / "multipleChoiceResponses_subset.csv", newline="", encoding="utf-8") as fh:
        us = [r for r in csv.DictReader(fh) if r["Country"] == "United States"]
    assert len(us) == 1126 and {r["CompensationCurrency"] for r in us} == {"USD"}
    masters = [float(r["CompensationAmount"].replace(",", "")) for r in us if r["FormalEducation"] == "Master's degree"]
    o = frames[kg.OUT_TABLE].set_index(["formal_education", "job_title"])
    total = o.loc[("masters", kg.ALL_TITLES)]
    assert total.respondents == len(masters) == 501
    assert total.compensation_median_usd == float(np.median(masters)) == 105000.0
    assert total.compensation_p25_usd == float(np.quantile(masters, 0.25))
    assert o.loc[("doctoral", kg.ALL_TITLES)].compensation_median_usd == 130000.0
    k = 10
    published = o[~o.is_suppressed.astype(bool)]
    assert (published.respondents >= k).all()
    # no suppressed count is recoverable: within an education, never exactly one suppressed job title
    titles = o.reset_index()
    titles = titles[titles.job_title != kg.ALL_TITLES]
    assert (titles.groupby("formal_education").is_suppressed.sum() != 1).all()
