"""Colorado Department of Higher Education "ROI 2019": earnings 1, 5 and 10 years after completion.

Owns reading the bundled workbook ``ROI2019_Earnings_1_5_10_CIP4_Suppressed.xlsx`` (sheets "Year1
Wage Data", "Year5 Wage Data", "Year10 Wage Data"; a "Notes" sheet documents the columns) into
``raw_colorado_roi__earnings`` (every row, every cell as text, with lineage) and, for the cells in
the public-program scope (``[public_programs]`` of ``sources.toml``), rows of
``core_public__program_cells`` and ``core_public__program_outcomes`` under data_origin
``colorado_roi``. It has no fetch: the file is a state public report found in a public repository
(see ``data/raw/colorado_roi/README.md`` for its licence situation).

What the workbook's Notes sheet says, and what the transform does with it:

- Completers: in-state completers of the degree cohort with an SSN, not in full-time continuing
  education. Earnings: MEDIAN of the sum of Colorado UI wages in quarters 3-6 (Year 1), 19-22
  (Year 5), 39-42 (Year 10) after completion, of completers at or above a minimum-wage threshold.
- Degree cohorts differ per horizon: 2004-2017 completers (Year 1), 2002-2012 (Year 5), 2004-2008
  (Year 10). Each outcome row carries its cohort and ``cohorts_differ_across_horizons`` = true: a
  1 -> 5 -> 10 trajectory of this source mixes cohorts.
- "All the wages are adjusted for inflation ... to the dollars of the most recent year" (BLS CPI
  calculator). The most recent wage year is 2018 (Year-1 earnings of 2017 completers), so
  ``dollar_year`` is 2018 by default (``sources.toml``), recorded as an assumption in
  ``dollar_year_basis``.
- "Insufficient Data" = suppressed (fewer than 5 completers, or under 15% with wage records): null
  value, value_status suppressed, the token kept in suppression_code, never zero.
- EntityId -1 ("ALL") rows are statewide aggregates and CIPCode -1 rows an institution's all-program
  aggregate, not programs: raw table only.

Outcome measures per horizon: ``earnings_median`` (count = completers with wage records),
``completers`` and ``wage_record_share`` (coverage). A row whose cells are neither a number nor
"Insufficient Data", or whose codes cannot be read, goes to ``_quarantine`` with sheet, row,
column, value and rule: rows read = raw rows; in-scope program rows = loaded + quarantined.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from flows.settings import relative
from flows.sources import Source, register
from flows.sources.public_programs import cell_row, in_program_scope, outcome_row
from flows.sources.snapshot_files import SnapshotError, files_config, read_manifest, snapshot_file
from flows.sources.tabular import typed_frame
from flows.sources.lineage import problem, quarantine_frame, quarantine_row, snapshot_id
from schemas.tables.colorado_roi import COLORADO_COLUMNS, RAW_FIELDS

SOURCE = "colorado_roi"
FILE_KIND = "colorado_roi_earnings"
RAW_TABLE = "raw_colorado_roi__earnings"
CELLS_TABLE = "core_public__program_cells"
OUTCOMES_TABLE = "core_public__program_outcomes"
SUPPRESSED_TOKEN = "insufficient data"
SUPPRESSION_RULE = "Colorado ROI 2019: suppressed when fewer than 5 completers or under 15% of completers have wage records"

#: Sheet -> years after completion, first and last completion year of its degree cohort (Notes sheet).
SHEETS = {
    "Year1 Wage Data": (1, 2004, 2017),
    "Year5 Wage Data": (5, 2002, 2012),
    "Year10 Wage Data": (10, 2004, 2008),
}
MEASUREMENT = {1: "quarters 3-6 after completion", 5: "quarters 19-22 after completion",
               10: "quarters 39-42 after completion"}

#: SURDS degree level -> credential_level vocabulary.
DEGREE_LEVELS = {
    "01": "undergraduate_certificate",  # Certificate (< 1 year)
    "02": "undergraduate_certificate",  # Certificate (> 1 year)
    "04": "post_baccalaureate_certificate",
    "05": "post_masters_certificate",
    "11": "associate",  # Associate of Applied Science
    "12": "associate",  # Associate of General Studies
    "13": "associate",  # Associate degree (AA or AS)
    "21": "bachelors",
    "31": "masters",
    "61": "doctoral",
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_workbook(path: Path) -> list[tuple[str, int, dict]]:
    """(sheet, data row number, {publisher column: text}) for every data row of the three wage sheets."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        out = []
        for sheet in SHEETS:
            if sheet not in wb.sheetnames:
                raise SnapshotError(f"{relative(path)}: no sheet {sheet!r} (sheets: {wb.sheetnames})")
            rows = wb[sheet].iter_rows(values_only=True)
            header = [_text(h) for h in next(rows)]
            missing = [c for c in COLORADO_COLUMNS if c not in header]
            if missing:
                raise SnapshotError(f"{relative(path)}, sheet {sheet!r}: missing columns {missing}")
            for i, row in enumerate(rows, start=1):
                if row is None or all(v is None for v in row):
                    continue
                out.append((sheet, i, {h: _text(v) for h, v in zip(header, row) if h}))
        return out
    finally:
        wb.close()


def _figure(text: str) -> tuple[float | None, str, str | None]:
    """(number, value_status, code) of a cell; raises ValueError for anything else."""
    t = text.strip()
    if t.lower() == SUPPRESSED_TOKEN:
        return None, "suppressed", t
    if t == "":
        return None, "not_available", None
    v = float(t.replace(",", "").replace("$", ""))
    if v < 0:
        raise ValueError(f"{t!r} is negative")
    return v, "released", None


def transform_rows(rows: list[tuple[str, int, dict]], *, source_file: str, sha256: str, snap_id: str,
                   dollar_year: int | None, programs_config: dict | None = None) -> dict[str, pd.DataFrame]:
    raws, cells, outcomes, quarantine = [], {}, [], []
    basis = (f"assumed: {dollar_year}, the most recent wage year (the Notes sheet says wages are in dollars of "
             "the most recent year)") if dollar_year else None
    seen: dict[tuple, str] = {}
    for sheet, i, rec in rows:
        where = f"{source_file}#{sheet}"
        raws.append({**{COLORADO_COLUMNS[c]: (rec.get(c) or None) for c in COLORADO_COLUMNS}, "co_sheet": sheet,
                     "source_file": where, "source_sha256": sha256, "source_row_number": i, "snapshot_id": snap_id})
        entity, cip_raw, level = rec.get("EntityId", ""), rec.get("CIPCode", ""), rec.get("DegreeLevelId", "")
        if entity == "-1" or cip_raw == "-1":
            continue  # statewide or all-CIP aggregate, not a program
        cip = f"{cip_raw.zfill(4)[:2]}.{cip_raw.zfill(4)[2:]}" if re.fullmatch(r"\d{3,4}", cip_raw) else None
        if cip is not None and not in_program_scope(cip, programs_config):
            continue
        problems = []
        if cip is None:
            problems.append(problem(where, i, "CIPCode", cip_raw, "cip_code_unreadable", "a 4-digit CIP code without the dot"))
        if not re.fullmatch(r"\d{1,4}", entity):
            problems.append(problem(where, i, "EntityId", entity, "institution_code_unreadable", "a SURDS code of 1-4 digits"))
        level = level.zfill(2)
        if level not in DEGREE_LEVELS:
            problems.append(problem(where, i, "DegreeLevelId", rec.get("DegreeLevelId", ""), "degree_level_unknown",
                                    f"not one of the SURDS degree levels {sorted(DEGREE_LEVELS)}"))
        figures = {}
        for col in ("Completers", "COMPLETERS WITH WAGE COUNT", "%Completers with wage data", "Annual Earnings ($)"):
            try:
                figures[col] = _figure(rec.get(col, ""))
            except ValueError as exc:
                problems.append(problem(where, i, col, rec.get(col, ""), "number_or_code",
                                        f"a non-negative number or 'Insufficient Data' ({exc})"))
        if not problems:
            ratio = figures["%Completers with wage data"][0]
            if ratio is not None and ratio > 1:
                problems.append(problem(where, i, "%Completers with wage data", rec["%Completers with wage data"],
                                        "share_range", "a share between 0 and 1"))
        key = (entity.zfill(4) if entity.isdigit() else entity, cip, level, sheet)
        if not problems and key in seen:
            problems.append(problem(where, i, "EntityId+CIPCode+DegreeLevelId", "/".join(key[:3]), "duplicate_key",
                                    f"same cell as {seen[key]}, which is kept"))
        if problems:
            quarantine.append(quarantine_row(where, sha256, i, FILE_KIND, problems, rec))
            continue
        seen[key] = f"row {i}"
        inst = entity.zfill(4)
        years, first, last = SHEETS[sheet]
        cells.setdefault((inst, cip, level), cell_row(
            data_origin=SOURCE, institution_id=inst, cip_code=cip, credential_level_code=level,
            credential_level=DEGREE_LEVELS[level], snapshot_id=snap_id, colorado_entity_id=inst,
            institution_name=rec.get("ENTITYNAME") or None, state_code="CO",
            cip_title=rec.get("CIPTITLE") or None))
        common = dict(data_origin=SOURCE, institution_id=inst, cip_code=cip, credential_level_code=level, years=years,
                      snapshot_id=snap_id, grad_cohort=f"{first}-{last}", cohorts_differ=True,
                      cohort_first_year=first, cohort_last_year=last, measurement_period=MEASUREMENT[years],
                      source_file=where, source_row_number=i)
        completers, wage_n, share, earnings = (figures[c] for c in ("Completers", "COMPLETERS WITH WAGE COUNT",
                                                                    "%Completers with wage data", "Annual Earnings ($)"))
        count = None if wage_n[0] is None else int(wage_n[0])
        for measure, (value, status, code), unit, n in (
                ("earnings_median", earnings, "usd_per_year", count),
                ("completers", completers, "count", None if completers[0] is None else int(completers[0])),
                ("wage_record_share", share, "ratio", count)):
            outcomes.append(outcome_row(
                measure=measure, value=value, value_unit=unit, value_status=status, value_count=n,
                dollar_year=dollar_year, dollar_year_basis=basis, suppression_code=code,
                suppression_reason=SUPPRESSION_RULE if status == "suppressed" else None, **common))
    raw = pd.DataFrame(raws, columns=list(RAW_FIELDS) + ["source_file", "source_sha256", "source_row_number", "snapshot_id"])
    raw["source_row_number"] = raw["source_row_number"].astype("Int64")
    return {RAW_TABLE: raw, CELLS_TABLE: typed_frame(CELLS_TABLE, cells.values()),
            OUTCOMES_TABLE: typed_frame(OUTCOMES_TABLE, outcomes), "_quarantine": quarantine_frame(quarantine)}


def transform(snapshot_dir: Path, config: dict | None = None) -> dict[str, pd.DataFrame]:
    """Bundled snapshot folder (the workbook + manifest.json) -> raw, program cells, outcomes, quarantine."""
    cfg = files_config(SOURCE, config)
    snapshot_dir = Path(snapshot_dir)
    read_manifest(snapshot_dir)
    path, digest = snapshot_file(snapshot_dir, cfg.get("workbook_file", "ROI2019_Earnings_1_5_10_CIP4_Suppressed.xlsx"))
    year = cfg.get("dollar_year")
    return transform_rows(read_workbook(path), source_file=relative(path), sha256=digest,
                          snap_id=snapshot_id(snapshot_dir), dollar_year=int(year) if year else None)


SOURCE_DEF = register(Source(
    name=SOURCE,
    title="Colorado ROI 2019: earnings 1, 5 and 10 years after completion by institution x 4-digit CIP x degree level",
    publisher="Colorado Department of Higher Education",
    licence="State public report; no licence stated where it was found (attribute the Colorado Department of Higher Education)",
    url="https://github.com/brighthive/roi-toolkit (data/edpays/, commit c29ab13eb38d0fc6dc6e81ff4cbb618c1fef3b70)",
    transform=transform,
    fetch=None,
))
