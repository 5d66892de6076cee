"""NSF NCSES connector: suppression codes, HTML labels, layouts, quarantine and golden figures (no network)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from flows.settings import PROJECT_ROOT
from flows.snapshots import read_manifest, verify_snapshot
from flows.sources import SOURCES
from flows.sources import nsf_ncses as nsf
from flows.sources.config import source_config
from flows.sources.snapshot_files import write_bundled_snapshot
from schemas.generate import pandera_model

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "nsf_ncses"
CONFIG = source_config("nsf_ncses")
BUNDLED = PROJECT_ROOT / "data" / "raw" / "nsf_ncses" / "2026-11-21T000000Z-bundled"


def validate(frames):
    for name, df in frames.items():
        pandera_model("core_ingest__quarantine" if name == "_quarantine" else name).validate(df, lazy=True)


def cell(df, table, degree, field, indicator, group="all"):
    rows = df[(df.ncses_table_id == table) & (df.ncses_degree_level == degree) & (df.field_code == field)
              & (df.ncses_indicator == indicator) & (df.ncses_group == group)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_parse_cell_codes():
    assert nsf.parse_cell("85,000") == (85000.0, "released", None, None)
    value, status, code, reason = nsf.parse_cell("s")
    assert (value, status, code) == (None, "suppressed", "s") and "too few sample cases" in reason
    assert nsf.parse_cell("na")[:3] == (None, "not_available", "na")
    assert nsf.parse_cell("D")[:3] == (None, "suppressed", "D")
    with pytest.raises(nsf.CellProblem):
        nsf.parse_cell("80 000")
    assert nsf.clean_label("Bachelor&#8217;s") == "Bachelor\u2019s"
    assert nsf.clean_label("Underrepresented minority<sup>d</sup>") == "Underrepresented minority"
    assert nsf.field_code("Biological/ life sciences") == "biological_life_sciences"


def test_fixture_s_and_na_are_null_with_reason_and_bad_row_quarantined(tmp_path):
    snap = write_bundled_snapshot("nsf_ncses", [FIX / "table_1611_data.csv", FIX / "table_10995_data.csv"], tmp_path,
                                  "2026-11-21T000000Z-bundled", title="t", publisher="p", licence="l", origin="o")
    frames = nsf.transform(snap, {"tables": {"1611": "table_1611_data.csv", "10995": "table_10995_data.csv"}})
    validate(frames)
    df = frames[nsf.OUTCOMES_TABLE]
    s = cell(df, "1611", "masters", "computer_and_mathematical_sciences", "unemployment_rate_pct")
    assert s.value_status == "suppressed" and s.suppression_code == "s" and pd.isna(s.ncses_value)
    assert s.suppression_reason.startswith("s: suppressed by NCSES") and pd.isna(s.dollar_year)
    na = cell(df, "10995", "professional", "computer_and_mathematical_sciences", "graduates_count")
    assert (na.value_status, na.suppression_code) == ("not_available", "na") and pd.isna(na.ncses_value)
    sal = cell(df, "1611", "doctoral", "computer_and_mathematical_sciences", "median_annual_salary_usd")
    assert (sal.ncses_value, sal.dollar_year, sal.survey_year, sal.survey_name) == (108000.0, 2017, 2017, "NSCG")
    assert (df[df.value_status != "released"].ncses_value.isna()).all()
    q = frames["_quarantine"]
    assert len(q) == 1 and "'80 000'" in q.iloc[0].failure_messages and q.iloc[0].source_row_number == 10
    # rows read = rows loaded + rows quarantined; heading rows are read and yield no cell
    assert len(frames[nsf.RAW_TABLE]) == 10 + 5
    assert set(df.ncses_row_id[df.ncses_table_id == "1611"]) == {"r002", "r003", "r004", "r012", "r013", "r014", "r015"}


def test_bundled_tables_golden_figures():
    """Figures read from the bundled CSVs with the csv module agree with the loaded cells."""
    assert verify_snapshot(BUNDLED) == [] and read_manifest(BUNDLED)["kind"] == "bundled"
    frames = nsf.transform(BUNDLED, CONFIG)
    validate(frames)
    df = frames[nsf.OUTCOMES_TABLE]
    assert frames["_quarantine"].empty and len(frames[nsf.RAW_TABLE]) == 30 + 15 + 80 + 19 + 38
    with open(BUNDLED / "table_10995_data.csv", newline="") as fh:
        r = {row["row_id"]: row for row in csv.DictReader(fh)}
    assert r["r028"]["indicator_and_highest_degree_level_level_4"] == "Master&#8217;s"
    masters = cell(df, "10995", "masters", "computer_and_mathematical_sciences", "median_annual_earnings_usd")
    bachelors = cell(df, "10995", "bachelors", "computer_and_mathematical_sciences", "median_annual_earnings_usd")
    assert masters.ncses_value == float(r["r028"]["field_s_e_fields_computer_and_mathematical_sciences"]) == 85000.0
    assert bachelors.ncses_value == 68000.0 and masters.dollar_year == 2021
    cis = cell(df, "3300", "masters", "computer_and_information_sciences", "median_salary_full_time_employed_usd")
    assert cis.ncses_value == 96000.0 and cis.field_parent_label == "Science" and cis.survey_year == 2019
    urm = cell(df, "3300", "masters", "computer_and_information_sciences", "recipients_count", "underrepresented_minority")
    assert urm.value_status in ("released", "suppressed")
    phd = cell(df, "11704", "doctoral", "computer_and_information_sciences", "median_basic_salary_employment_usd")
    assert phd.ncses_value == 160000.0 and phd.survey_name == "SED" and phd.dollar_year == 2023
    assert cell(df, "11704", "doctoral", "all_fields", "median_basic_salary_definite_plans_usd").ncses_value == 75000.0
    cs = cell(df, "12410", "doctoral", "computer_science", "median_annual_salary_usd")
    assert cs.ncses_value == 150000.0 and cs.field_parent_label.startswith("Computer and Information Science")
    assert not df.field_label.str.contains("&#|<sup>", regex=True).any()
    assert (df.ncses_unit.eq("usd") == df.dollar_year.notna()).all()
