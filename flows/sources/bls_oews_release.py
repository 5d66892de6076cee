"""BLS OEWS release: the bundled May release extracts, every published cell with its status.

Owns the file source ``bls_oews_release``: ``transform`` (snapshot -> ``core_bls_oews_release__estimates``
and ``raw_bls_oews_release__rows``). It has no fetch (the public API serves a handful of series per
request; the release files are bundled) and must not open the warehouse.

Files (``[bls_oews_release]`` in ``sources.toml``): wide CSVs with one row per area x industry x
occupation: ``series_prefix`` (the 23-character series id without datatype), ``areatype_code``
(N, S, M), ``area_code``, ``area_name``, ``industry_code``, ``occ_code``, ``occ_title``,
``occ_display_level``, ``v01_...`` .. ``v17_...`` (the 17 OEWS datatypes, see
``schemas.tables.bls_oews.OEWS_DATATYPES``) and ``f01`` .. ``f17`` (their footnote codes); and the
area code table (``area_code, areatype_code, state_code, area_name``) for state codes.

Values: each cell is classified by ``flows.sources.bls_oews.classify_wage`` with its footnote:
a top-coded wage (footnote 5, published as "-") is ``top_coded`` with the cap stated by the footnote
($115.00 an hour for hourly measures, $239,200 a year for annual ones) as its value, a lower bound;
footnote 8 is ``not_released``; any other "-" is ``not_available``. Non-wage measures (employment,
standard errors, location quotient) are never top-coded. A row with any unreadable cell is
quarantined whole, with every problem named (file, row, column, value, rule).
"""

from __future__ import annotations

import csv
import logging
import re
from pathlib import Path

import pandas as pd

from flows.sources import Source, register
from flows.sources.bls_oews import FIPS_STATE, classify_wage, footnote_text
from flows.sources.snapshot_files import SnapshotError, snapshot_file
from flows.sources.tabular import ValueProblem, raw_row, typed_frame
from flows.sources.lineage import quarantine_row, snapshot_id, source_file_of
from schemas.tables.bls_oews import OEWS_DATATYPES

logger = logging.getLogger("outcomes.sources.bls_oews_release")

NAME = "bls_oews_release"
ESTIMATES_TABLE = "core_bls_oews_release__estimates"
RAW_TABLE = "raw_bls_oews_release__rows"
AREA_TYPES = {"N": "national", "S": "state", "M": "metro"}
ID_COLUMNS = ("series_prefix", "areatype_code", "area_code", "area_name", "industry_code", "occ_code", "occ_title",
              "occ_display_level")
PREFIX_RE = re.compile(r"^OEU([NSM])(\d{7})(\d{6})(\d{6})$")


def _value_column(fieldnames: list[str], code: str) -> str:
    found = [c for c in fieldnames if c.startswith(f"v{code}_") or c == f"v{code}"]
    if len(found) != 1:
        raise SnapshotError(f"no single value column for datatype {code} (v{code}_...) in {fieldnames}")
    return found[0]


def _plain_number(value: str | None) -> float | None:
    """Fast path for the common cell: digits with an optional decimal point (anything else: None)."""
    text = (value or "").strip()
    return float(text) if text and text.replace(".", "", 1).isdigit() else None


def read_area_states(path: Path) -> dict[str, str]:
    """Area code -> USPS state code, for state areas (from the area code table)."""
    states = {}
    with open(path, newline="", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            if row.get("areatype_code") == "S":
                usps = FIPS_STATE.get(str(row.get("state_code", "")).zfill(2))
                if usps:
                    states[row["area_code"]] = usps
    return states


def parse_row(row: dict, columns: dict[str, str], states: dict[str, str], year: int, snap_id: str,
              where: str) -> tuple[list[dict], list[tuple[str, str, str]]]:
    """One wide row -> (estimate rows, problems). Problems name file, row, column, value and rule."""
    problems: list[tuple[str, str, str]] = []
    prefix = (row.get("series_prefix") or "").strip()
    m = PREFIX_RE.match(prefix)
    if not m:
        problems.append(("series_prefix", "pattern", f"{where}: column 'series_prefix' value {prefix!r} breaks rule "
                                                     "pattern: not OEU + N/S/M + 7-digit area + 6-digit industry + 6-digit SOC"))
        return [], problems
    kind, area, industry, soc = m.groups()
    soc_code = f"{soc[:2]}-{soc[2:]}"
    checks = (("areatype_code", kind), ("area_code", area), ("industry_code", industry), ("occ_code", soc_code))
    for col, expected in checks:
        if (row.get(col) or "").strip() != expected:
            problems.append((col, "matches_series", f"{where}: column {col!r} value {row.get(col)!r} breaks rule "
                                                    f"matches_series: the series prefix {prefix} says {expected!r}"))
    level = (row.get("occ_display_level") or "").strip()
    if not level.isdigit():
        problems.append(("occ_display_level", "integer", f"{where}: column 'occ_display_level' value {level!r} breaks rule integer"))
    out = []
    for code, (measure, unit, _desc) in OEWS_DATATYPES.items():
        col = columns[code]
        value, note_codes = row.get(col), (row.get(f"f{code}") or "").strip()
        notes = footnote_text(note_codes) if note_codes else None
        try:
            number = _plain_number(value) if not note_codes else None
            if number is not None:
                status = "released"
            elif unit in ("usd_per_hour", "usd_per_year"):
                number, status, _ = classify_wage(value, notes, hourly=unit == "usd_per_hour")
            else:  # never top-coded: only footnote 8 and '-' are special
                number, status, _ = classify_wage(value, footnote_text(note_codes.replace("5", "")) if note_codes else None)
            if number is not None and number < 0:
                raise ValueProblem(f"{number:g} is negative")
        except ValueProblem as exc:
            problems.append((col, "number_or_code", f"{where}: column {col!r} value {value!r} breaks rule "
                                                    f"number_or_code: {exc}"))
            continue
        out.append({"series_id": f"{prefix}{code}", "reference_year": year, "oews_area_code": area,
                    "oews_area_type": AREA_TYPES[kind], "oews_area_name": (row.get("area_name") or "").strip(),
                    "state_code": states.get(area) if kind == "S" else None, "oews_industry_code": industry,
                    "soc_code": soc_code, "soc_title": (row.get("occ_title") or "").strip(),
                    "oews_occupation_level": int(level) if level.isdigit() else None, "oews_measure": measure,
                    "oews_unit": unit, "oews_value": number, "value_status": status, "footnote_codes": notes,
                    "snapshot_id": snap_id})
    return out, problems


def transform(snapshot_dir: Path, config: dict) -> dict[str, pd.DataFrame]:
    """Bundled release extracts -> one row per series (with status), raw rows, quarantine."""
    snapshot_dir = Path(snapshot_dir)
    snap_id = snapshot_id(snapshot_dir)
    year = int(config.get("reference_year", 2025))
    area_path, _ = snapshot_file(snapshot_dir, config.get("area_file", "oews_may2025_area.csv"))
    states = read_area_states(area_path)
    estimates: dict[str, dict] = {}
    raws: list[dict] = []
    quarantine: list[dict] = []
    for name in config.get("wide_files") or []:
        path, digest = snapshot_file(snapshot_dir, name)
        src = source_file_of(path)
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            fieldnames = reader.fieldnames or []
            missing = [c for c in ID_COLUMNS if c not in fieldnames]
            if missing:
                raise SnapshotError(f"{src}: not an OEWS wide extract: columns {missing} missing")
            columns = {code: _value_column(fieldnames, code) for code in OEWS_DATATYPES}
            for n, row in enumerate(reader, start=1):
                raws.append(raw_row(snap_id, src, n, row))
                rows, problems = parse_row(row, columns, states, year, snap_id, f"{src} row {n}")
                dup = [r["series_id"] for r in rows if r["series_id"] in estimates]
                if dup and not problems:
                    problems.append(("series_prefix", "duplicate_key", f"{src} row {n}: column 'series_prefix' value "
                                                                       f"{row.get('series_prefix')!r} breaks rule duplicate_key: already read"))
                if problems:
                    quarantine.append(quarantine_row(src, digest, n, NAME, problems, row))
                    continue
                for r in rows:
                    estimates[r["series_id"]] = r
    logger.info("bls_oews_release: %d rows read, %d series, %d rows quarantined", len(raws), len(estimates), len(quarantine))
    return {
        ESTIMATES_TABLE: typed_frame(ESTIMATES_TABLE, estimates.values()),
        RAW_TABLE: typed_frame(RAW_TABLE, raws),
        "_quarantine": typed_frame("core_ingest__quarantine", quarantine),
    }


SOURCE = register(Source(
    name=NAME,
    title="BLS OEWS May release: employment and hourly and annual wage distributions, all occupations "
          "nationally, computer and mathematical occupations by state and metropolitan area",
    publisher="U.S. Bureau of Labor Statistics",
    licence="Public domain (work of the U.S. federal government); cite the BLS OEWS program",
    url="https://www.bls.gov/oes/",
    transform=transform,
))
