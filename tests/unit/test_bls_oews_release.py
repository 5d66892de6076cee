"""BLS OEWS release connector: real rows with top-coded, not-released and footnote-4 cells, quarantine,
and golden figures of the bundled May 2025 release (no network)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from flows.settings import PROJECT_ROOT
from flows.snapshots import read_manifest, verify_snapshot
from flows.sources import SOURCES
from flows.sources import bls_oews_release as rel
from flows.sources.config import source_config
from flows.sources.snapshot_files import write_bundled_snapshot
from schemas.generate import pandera_model

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "bls_oews_release"
CONFIG = source_config("bls_oews_release")
BUNDLED = PROJECT_ROOT / "data" / "raw" / "bls_oews_release" / "2026-09-26T000000Z-bundled"


def validate(frames):
    for name, df in frames.items():
        pandera_model("core_ingest__quarantine" if name == "_quarantine" else name).validate(df, lazy=True)


def sample(tmp_path):
    snap = write_bundled_snapshot("bls_oews_release", [FIX / "oews_sample_wide.csv", FIX / "oews_sample_area.csv"],
                                  tmp_path, "2026-09-26T000000Z-bundled", title="t", publisher="p", licence="l", origin="o")
    frames = rel.transform(snap, dict(CONFIG, wide_files=["oews_sample_wide.csv"], area_file="oews_sample_area.csv"))
    validate(frames)
    return frames


def test_registered_file_source():
    s = SOURCES["bls_oews_release"]
    assert s.fetch is None and s.publisher == "U.S. Bureau of Labor Statistics"


def test_top_coded_not_released_and_hourly_only_cells(tmp_path):
    frames = sample(tmp_path)
    e = frames[rel.ESTIMATES_TABLE].set_index("series_id")
    # Grand Rapids anesthesiologists: hourly and annual p90 top-coded at the caps, the rest released.
    assert e.loc["OEUM002434000000029121115", ["oews_value", "value_status", "oews_unit"]].tolist() == \
        [239200.0, "top_coded", "usd_per_year"]
    assert e.loc["OEUM002434000000029121110", ["oews_value", "value_status", "oews_unit"]].tolist() == \
        [115.0, "top_coded", "usd_per_hour"]
    assert e.loc["OEUM002434000000029121114", ["oews_value", "value_status"]].tolist() == [384800.0, "released"]
    assert e.loc["OEUM002434000000029121115", "footnote_codes"].startswith("5: This wage is equal to or greater than")
    # Albany, OR family medicine physicians: every wage top-coded; employment and its error released.
    albany = e[e.oews_area_code == "0010540"].set_index("oews_measure")
    wages = albany[albany.oews_unit.isin(["usd_per_hour", "usd_per_year"])]
    assert len(wages) == 12 and set(wages.value_status) == {"top_coded"}
    assert albany.loc["employment", ["oews_value", "value_status"]].tolist() == [50.0, "released"]
    assert albany.loc["wage_rse_pct", ["oews_value", "value_status"]].tolist() == [5.6, "released"]
    assert (albany.oews_area_type == "metro").all() and albany.state_code.isna().all()
    # California athletes: hourly wages not published (footnote 4), annual p90 top-coded.
    ath = e[e.soc_code == "27-2021"].set_index("oews_measure")
    assert ath.loc["hourly_median", "value_status"] == "not_available" and pd.isna(ath.loc["hourly_median", "oews_value"])
    assert ath.loc["annual_p90", ["oews_value", "value_status"]].tolist() == [239200.0, "top_coded"]
    assert ath.loc["annual_median", "oews_value"] == 79040.0 and ath.state_code.eq("CA").all()
    # Alaska software developers: wages not released (footnote 8), employment released.
    ak = e[(e.soc_code == "15-1252") & (e.state_code == "AK")].set_index("oews_measure")
    assert ak.loc["annual_median", "value_status"] == "not_released" and pd.isna(ak.loc["annual_median", "oews_value"])
    assert ak.loc["employment", ["oews_value", "value_status"]].tolist() == [530.0, "released"]
    assert ak.loc["annual_median", "footnote_codes"] == "8: Estimate not released."


def test_bad_cell_quarantines_the_row_and_rows_are_conserved(tmp_path):
    frames = sample(tmp_path)
    q = frames["_quarantine"]
    assert len(q) == 1 and q.iloc[0].source_row_number == 7
    assert q.iloc[0].failed_rules == "v13_annual_median_wage:number_or_code"
    assert "'12O,500'" in q.iloc[0].failure_messages and "row 7" in q.iloc[0].failure_messages
    raw, e = frames[rel.RAW_TABLE], frames[rel.ESTIMATES_TABLE]
    assert len(raw) == 7 == e.series_id.str[:-2].nunique() + len(q)
    assert len(e) == 6 * 17 and not e.soc_code.eq("15-1221").any()


def test_bundled_release_golden_figures():
    """Figures read independently from the bundled national file agree with the loaded estimates."""
    assert verify_snapshot(BUNDLED) == [] and read_manifest(BUNDLED)["kind"] == "bundled"
    frames = rel.transform(BUNDLED, CONFIG)
    validate(frames)
    e = frames[rel.ESTIMATES_TABLE]
    with open(BUNDLED / "oews_may2025_national_all_occupations.csv", newline="") as fh:
        ds = next(r for r in csv.DictReader(fh) if r["occ_code"] == "15-2051")
    assert ds["v13_annual_median_wage"] == "120230" and ds["v01_employment"] == "262440"
    nat = e[(e.soc_code == "15-2051") & (e.oews_area_type == "national")].set_index("oews_measure")
    assert nat.loc["annual_median", "oews_value"] == 120230.0
    assert nat.loc["employment", "oews_value"] == 262440.0
    assert nat.loc["hourly_median", "oews_value"] == 57.80
    assert nat.loc[["annual_p10", "annual_p25", "annual_p75", "annual_p90", "annual_mean"], "oews_value"].tolist() == \
        [67240.0, 85660.0, 158880.0, 199130.0, 126800.0]
    assert len(frames[rel.RAW_TABLE]) == 1104 + 7294 and frames["_quarantine"].empty
    assert len(e) == (1104 + 7294) * 17
    assert set(e.oews_area_type) == {"national", "state", "metro"}
    assert (e[e.oews_area_type != "national"].soc_code.str[:2] == "15").all()
    ca = e[(e.soc_code == "15-2051") & (e.state_code == "CA") & (e.oews_measure == "annual_median")]
    assert ca.oews_value.tolist() == [141590.0]
    statuses = e.value_status.value_counts().to_dict()
    assert statuses == {"released": 136380, "not_released": 3668, "not_available": 2718}
