"""Published outcome reports: the real Turing 2016H1 report and the template rules."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

import schemas  # noqa: F401
from flows.sources import SOURCES, outcome_reports as rep
from flows.sources.snapshot_files import sha256_file
from schemas.generate import pandera_model

ROOT = Path(__file__).resolve().parents[2]
SNAP = ROOT / "data" / "raw" / "outcome_reports" / "2026-11-21T000000Z-bundled"


def _validate(frames):
    for name, df in frames.items():
        pandera_model("core_ingest__quarantine" if name == "_quarantine" else name).validate(df, lazy=True)


def test_turing_report_against_its_files():
    frames = rep.transform(SNAP, {})
    _validate(frames)
    with open(SNAP / "turing_school_2016h1_rates.csv", newline="") as fh:
        rates_src = list(csv.DictReader(fh))
    with open(SNAP / "turing_school_2016h1.csv", newline="") as fh:
        seg_src = list(csv.DictReader(fh))
    rates, segs = frames["core_outcome_reports__headline_rates"], frames["core_outcome_reports__segments"]
    assert len(rates) == len(rates_src) == 1 and len(segs) == len(seg_src) == 9
    r = rates.iloc[0]
    assert r.report_school == "Turing School of Software & Design" and r.report_program == "All programs"
    assert r.report_standard == "cirr"  # from the manifest's report_metadata; the file is unchanged
    assert r.employed_in_field_180d_rate == pytest.approx(int(rates_src[0]["employed_in_field_180d_pct"]) / 100) == 0.80
    assert r.enrolled_students == 71 and r.report_median_base_salary_usd == 75000
    assert r.reporting_period_start == pd.Timestamp("2016-01-01")
    vets = segs[(segs.segment_kind == "veteran_status") & (segs.segment == "Veterans")].iloc[0]
    assert vets.segment_students == 3 and vets.share_of_students_rate == pytest.approx(0.04)
    assert vets.median_days_to_employment == 35 and vets.median_days_to_graduation == 403
    # segment students of each breakdown add up to the whole
    for kind, grp in segs[segs.segment_kind != "all"].groupby("segment_kind"):
        assert grp.segment_students.sum() == 71, kind
    for e in json.loads((SNAP / "manifest.json").read_text())["files"]:
        assert sha256_file(SNAP / e["name"]) == e["sha256"]


def _snap(tmp_path, files: dict[str, str]) -> Path:
    snap = tmp_path / "outcome_reports" / "x"
    snap.mkdir(parents=True)
    entries = []
    for name, text in files.items():
        (snap / name).write_text(text)
        entries.append({"name": name, "sha256": sha256_file(snap / name)})
    (snap / "manifest.json").write_text(json.dumps({"source": "outcome_reports", "fetched_at": "x", "files": entries}))
    return snap


def test_withheld_cells_are_null_with_a_note_and_bad_cells_quarantined(tmp_path):
    rates = ("school,program,reporting_period_start,reporting_period_end,employed_in_field_180d_pct,median_base_salary_usd\n"
             "A School,Data,2023-01-01,2023-06-30,PS,NA\n"
             "A School,Web,2023-01-01,2023-06-30,120,80000\n"
             "A School,ML,2023-01-01,2023-06-30,55,lots\n"
             "A School,Data,2023-01-01,2023-06-30,50,1\n")
    frames = rep.transform(_snap(tmp_path, {"a_rates.csv": rates}), {})
    _validate(frames)
    r = frames["core_outcome_reports__headline_rates"]
    q = frames["_quarantine"]
    assert len(r) + len(q) == 4  # rows read = loaded + quarantined
    assert len(r) == 1 and pd.isna(r.employed_in_field_180d_rate.item()) and pd.isna(r.report_median_base_salary_usd.item())
    assert r.withheld_values.item() == "employed_in_field_180d_pct=PS; median_base_salary_usd=NA"
    msgs = " ".join(q.failure_messages)
    assert "row 2: column 'employed_in_field_180d_pct' value '120' breaks rule pct_out_of_range" in msgs
    assert "row 3: column 'median_base_salary_usd' value 'lots' breaks rule not_a_number" in msgs
    assert "duplicate_key" in " ".join(q.failed_rules)


def test_unknown_column_rejects_the_file(tmp_path):
    with pytest.raises(ValueError, match="not in the rates template"):
        rep.transform(_snap(tmp_path, {"a_rates.csv": "school,reporting_period_start,reporting_period_end,placement\n"}), {})


def test_registered():
    assert SOURCES["outcome_reports"].fetch is None
