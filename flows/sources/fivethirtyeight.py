"""FiveThirtyEight college majors: graduate vs non-graduate earnings by undergraduate major (ACS 2010-2012).

Owns the file source ``fivethirtyeight``: ``transform`` (bundled ``grad-students.csv`` ->
``core_fivethirtyeight__grad_premium``, ``raw_fivethirtyeight__grad_students``). No fetch (a file in
the fivethirtyeight/data repository, bundled with its readme). Must not open the warehouse.

The file: one row per major (ACS field of degree FOD1P code), people aged 25+; ``Grad_*`` columns for
those with a graduate degree, ``Nongrad_*`` for those without; medians and quartiles of full-time,
year-round workers' earnings. Some figures went through a spreadsheet and read ``1.00E+05``
(= 100000): read as numbers. ``grad_premium`` is computed here (Grad_median / Nongrad_median - 1)
and kept beside the published ``Grad_premium``. A row with an unreadable value is quarantined whole.
"""

from __future__ import annotations

import csv
import logging
import re
from pathlib import Path

import pandas as pd

from flows.sources import Source, register
from flows.sources.snapshot_files import SnapshotError, snapshot_file
from flows.sources.tabular import raw_row, typed_frame
from flows.sources.lineage import quarantine_row, snapshot_id, source_file_of

logger = logging.getLogger("outcomes.sources.fivethirtyeight")

NAME = "fivethirtyeight"
PREMIUM_TABLE = "core_fivethirtyeight__grad_premium"
RAW_TABLE = "raw_fivethirtyeight__grad_students"

#: Publisher column -> (field, kind).
COLUMNS = {
    "Major_code": ("acs_major_code", "code"), "Major": ("major_label", "text"), "Major_category": ("major_category", "text"),
    "Grad_total": ("grad_total", "int"), "Grad_sample_size": ("grad_sample_size", "int"),
    "Grad_employed": ("grad_employed", "int"), "Grad_full_time_year_round": ("grad_full_time_year_round", "int"),
    "Grad_unemployment_rate": ("grad_unemployment_rate", "num"), "Grad_median": ("grad_median_usd", "num"),
    "Grad_P25": ("grad_p25_usd", "num"), "Grad_P75": ("grad_p75_usd", "num"),
    "Nongrad_total": ("nongrad_total", "int"), "Nongrad_employed": ("nongrad_employed", "int"),
    "Nongrad_full_time_year_round": ("nongrad_full_time_year_round", "int"),
    "Nongrad_unemployment_rate": ("nongrad_unemployment_rate", "num"), "Nongrad_median": ("nongrad_median_usd", "num"),
    "Nongrad_P25": ("nongrad_p25_usd", "num"), "Nongrad_P75": ("nongrad_p75_usd", "num"),
    "Grad_share": ("grad_share", "num"), "Grad_premium": ("grad_premium_published", "num"),
}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_number(text: str | None) -> float | None:
    """A published number ('1.00E+05' included); blank / NA -> None; anything else raises ValueError."""
    t = (text or "").strip()
    if t.upper() in ("", "NA", "N/A"):
        return None
    if not _NUMBER.match(t):
        raise ValueError(f"{t!r} is not a number")
    return float(t)


def premium(grad: float | None, nongrad: float | None) -> float | None:
    """Graduate premium: grad / nongrad - 1 (None when either is missing or nongrad is 0)."""
    if grad is None or nongrad is None or nongrad == 0:
        return None
    return grad / nongrad - 1


def transform(snapshot_dir: Path, config: dict) -> dict[str, pd.DataFrame]:
    snapshot_dir = Path(snapshot_dir)
    snap_id = snapshot_id(snapshot_dir)
    path, digest = snapshot_file(snapshot_dir, config.get("grad_students_file", "grad-students.csv"))
    src = source_file_of(path)
    rows, raws, quarantine, seen = [], [], [], set()
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SnapshotError(f"{src}: columns {missing} missing (not FiveThirtyEight's grad-students.csv)")
        for n, raw in enumerate(reader, start=1):
            raws.append(raw_row(snap_id, src, n, raw))
            out, problems = {}, []
            for column, (fname, kind) in COLUMNS.items():
                value = raw.get(column)
                if kind == "text":
                    out[fname] = (value or "").strip() or None
                elif kind == "code":
                    out[fname] = (value or "").strip()
                    if not re.fullmatch(r"\d{4}", out[fname]):
                        problems.append((column, "pattern", f"{src} row {n}: column {column!r} value {value!r} breaks rule pattern: a 4-digit FOD1P code"))
                else:
                    try:
                        number = parse_number(value)
                        if kind == "int" and number is not None:
                            if number != int(number):
                                raise ValueError(f"{value!r} is not a whole number")
                            number = int(number)
                        out[fname] = number
                    except ValueError as exc:
                        problems.append((column, "number", f"{src} row {n}: column {column!r} value {value!r} breaks rule number: {exc}"))
            if not problems and out["acs_major_code"] in seen:
                problems.append(("Major_code", "duplicate_key", f"{src} row {n}: column 'Major_code' value {out['acs_major_code']!r} breaks rule duplicate_key"))
            if problems:
                quarantine.append(quarantine_row(src, digest, n, NAME, problems, raw))
                continue
            seen.add(out["acs_major_code"])
            grad, nongrad = out["grad_median_usd"], out["nongrad_median_usd"]
            out["grad_premium"] = premium(grad, nongrad)
            out["grad_premium_usd"] = grad - nongrad if grad is not None and nongrad is not None else None
            rows.append({**out, "survey_name": "ACS 1-year PUMS, 2010-2012 pooled (people aged 25+)",
                         "survey_year_start": int(config.get("survey_year_start", 2010)),
                         "survey_year_end": int(config.get("survey_year_end", 2012)),
                         "dollar_year": config.get("dollar_year"), "snapshot_id": snap_id})
    return {
        PREMIUM_TABLE: typed_frame(PREMIUM_TABLE, rows),
        RAW_TABLE: typed_frame(RAW_TABLE, raws),
        "_quarantine": typed_frame("core_ingest__quarantine", quarantine),
    }


SOURCE = register(Source(
    name=NAME,
    title="FiveThirtyEight, The Economic Guide To Picking A College Major: graduate vs non-graduate earnings by major",
    publisher="FiveThirtyEight (data: U.S. Census Bureau, American Community Survey 2010-2012 PUMS)",
    licence="CC BY 4.0: attribute FiveThirtyEight (https://github.com/fivethirtyeight/data, college-majors)",
    url="https://github.com/fivethirtyeight/data/tree/master/college-majors",
    transform=transform,
))
