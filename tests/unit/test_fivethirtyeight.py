"""FiveThirtyEight graduate vs non-graduate earnings: premium computed, 1.00E+05 read, quarantine (no network)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from flows.settings import PROJECT_ROOT
from flows.snapshots import read_manifest, verify_snapshot
from flows.sources import SOURCES
from flows.sources import fivethirtyeight as fte
from flows.sources.config import source_config
from flows.sources.snapshot_files import write_bundled_snapshot
from schemas.generate import pandera_model

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "fivethirtyeight"
CONFIG = source_config("fivethirtyeight")
BUNDLED = PROJECT_ROOT / "data" / "raw" / "fivethirtyeight" / "2026-11-21T000000Z-bundled"


def validate(frames):
    for name, df in frames.items():
        pandera_model("core_ingest__quarantine" if name == "_quarantine" else name).validate(df, lazy=True)


def test_parse_number_and_premium():
    assert fte.parse_number("1.00E+05") == 100000.0 and fte.parse_number("") is None
    with pytest.raises(ValueError):
        fte.parse_number("92k")
    assert fte.premium(95000.0, 80000.0) == pytest.approx(0.1875)
    assert fte.premium(None, 80000.0) is None and fte.premium(1.0, 0.0) is None


def test_fixture_premium_and_quarantine(tmp_path):
    snap = write_bundled_snapshot("fivethirtyeight", [FIX / "grad-students.csv"], tmp_path, "2026-11-21T000000Z-bundled",
                                  title="t", publisher="p", licence="l", origin="o")
    frames = fte.transform(snap, CONFIG)
    validate(frames)
    df = frames[fte.PREMIUM_TABLE].set_index("acs_major_code")
    cs = df.loc["2102"]
    assert (cs.grad_median_usd, cs.nongrad_median_usd, cs.grad_premium_usd) == (95000.0, 80000.0, 15000.0)
    assert cs.grad_premium == pytest.approx(0.1875) and cs.grad_premium_published == pytest.approx(0.1875)
    assert (cs.survey_year_start, cs.survey_year_end) == (2010, 2012) and cs.major_category == "Computers & Mathematics"
    assert (df.grad_p75_usd == 100000.0).any() or (df.grad_median_usd == 100000.0).any()
    q = frames["_quarantine"]
    assert len(q) == 1 and q.iloc[0].failed_rules == "Grad_median:number" and "'92k'" in q.iloc[0].failure_messages
    assert len(frames[fte.RAW_TABLE]) == len(df) + len(q) == 5


def test_bundled_file_premium_matches_published_for_every_major():
    assert verify_snapshot(BUNDLED) == [] and "CC BY 4.0" in read_manifest(BUNDLED)["licence"]
    assert SOURCES["fivethirtyeight"].licence.startswith("CC BY 4.0")
    frames = fte.transform(BUNDLED, CONFIG)
    validate(frames)
    df = frames[fte.PREMIUM_TABLE]
    assert len(df) == 173 and frames["_quarantine"].empty
    assert ((df.grad_premium - df.grad_premium_published).abs() < 1e-6).all()
    with open(BUNDLED / "grad-students.csv", newline="") as fh:
        stats = next(r for r in csv.DictReader(fh) if r["Major_code"] == "3702")
    row = df.set_index("acs_major_code").loc["3702"]
    assert row.grad_median_usd == float(stats["Grad_median"]) == 92000.0
    assert row.grad_premium == pytest.approx(92000 / 75000 - 1)
