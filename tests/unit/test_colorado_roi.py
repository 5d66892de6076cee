"""Colorado ROI 2019 connector on a real extract of the workbook (tests/fixtures/public_colorado/)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from flows.sources import SOURCES
from flows.sources import colorado_roi as co
from flows.sources.snapshot_files import sha256_file
from schemas.generate import pandera_model

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "public_colorado" / "ROI2019_extract.xlsx"
WORKBOOK = "ROI2019_Earnings_1_5_10_CIP4_Suppressed.xlsx"


def snapshot(tmp_path: Path, workbook: Path = FIX) -> Path:
    folder = tmp_path / "colorado_roi" / "2026-11-21T000000Z-bundled"
    folder.mkdir(parents=True)
    target = folder / WORKBOOK
    target.write_bytes(workbook.read_bytes())
    (folder / "manifest.json").write_text(json.dumps({
        "source": "colorado_roi", "kind": "bundled", "snapshot_id": folder.name, "fetched_at": "2026-11-21T00:00:00Z",
        "files": [{"name": WORKBOOK, "bytes": target.stat().st_size, "sha256": sha256_file(target)}]}))
    return folder


def frames_of(tmp_path, workbook=FIX):
    frames = co.transform(snapshot(tmp_path, workbook))
    for name, df in frames.items():
        pandera_model("core_ingest__quarantine" if name == "_quarantine" else name).validate(df, lazy=True)
    return frames


def test_registered_file_source_with_its_licence_situation():
    s = SOURCES["colorado_roi"]
    assert s.fetch is None and "no licence stated" in s.licence


def test_every_row_reaches_the_raw_table(tmp_path):
    frames = frames_of(tmp_path)
    wb = openpyxl.load_workbook(FIX, read_only=True)
    n = sum(ws.max_row - 1 for ws in wb.worksheets)
    assert len(frames[co.RAW_TABLE]) == n
    assert set(frames[co.RAW_TABLE].co_sheet) == set(co.SHEETS)
    assert frames["_quarantine"].empty


def test_programs_and_outcomes_of_cells_in_scope(tmp_path):
    frames = frames_of(tmp_path)
    cells = frames[co.CELLS_TABLE]
    # aggregates (EntityId -1, CIPCode -1) and CIP outside the scope (52.02, 26.02) make no program
    assert set(cells.cip_code) <= {"11.07", "11.01", "11.02", "11.03", "11.04", "11.05", "11.06", "11.08", "11.09",
                                   "11.10", "11.99"}
    assert "-1" not in set(cells.institution_id)
    o = frames[co.OUTCOMES_TABLE].set_index(["institution_id", "cip_code", "credential_level_code", "measure",
                                             "years_after_graduation"])
    m = o.loc[("0532", "11.07", "31", "earnings_median", 1)]
    assert (m.value, m.value_count, m.grad_cohort, m.dollar_year) == (81250.79, 186, "2004-2017", 2018)
    assert m.dollar_year_basis.startswith("assumed")
    assert o.loc[("0532", "11.07", "31", "completers", 1), "value"] == 343
    assert o.loc[("0532", "11.07", "31", "wage_record_share", 1), "value"] == pytest.approx(0.54)
    assert o.loc[("0532", "11.07", "61", "earnings_median", 10), "grad_cohort"] == "2004-2008"
    assert frames[co.OUTCOMES_TABLE].cohorts_differ_across_horizons.all()


def test_insufficient_data_is_null_suppressed_with_token_and_rule(tmp_path):
    o = frames_of(tmp_path)[co.OUTCOMES_TABLE]
    s = o[o.value_status == "suppressed"]
    assert len(s) > 0 and s.value.isna().all()
    assert set(s.suppression_code) == {"Insufficient Data"}
    assert s.suppression_reason.str.contains("fewer than 5 completers").all()
    assert not (o.value == 0).any()


def test_unreadable_cell_is_quarantined_with_sheet_row_column_value(tmp_path):
    wb = openpyxl.load_workbook(FIX)
    ws = wb["Year5 Wage Data"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "0532" and ws.cell(r, 3).value == "1107")
    ws.cell(row, 11).value = "about 90k"
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    frames = frames_of(tmp_path, bad)
    q = frames["_quarantine"]
    assert len(q) == 1
    msg = q.failure_messages.iloc[0]
    assert "#Year5 Wage Data" in msg and f"row {row - 1}" in msg and "about 90k" in msg and "number_or_code" in msg
    # rows read = raw rows; the quarantined cell's figures are not loaded
    o = frames[co.OUTCOMES_TABLE]
    assert o[(o.years_after_graduation == 5) & (o.institution_id == "0532") & (o.cip_code == "11.07")
             & (o.source_row_number == row - 1)].empty


def test_missing_sheet_is_a_clear_error(tmp_path):
    wb = openpyxl.load_workbook(FIX)
    del wb["Year10 Wage Data"]
    bad = tmp_path / "nosheet.xlsx"
    wb.save(bad)
    with pytest.raises(Exception, match="Year10 Wage Data"):
        co.transform(snapshot(tmp_path, bad))
