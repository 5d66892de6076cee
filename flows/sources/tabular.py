"""Helpers the public connectors share to build their frames.

Owns: turning rows (dicts) into frames with exactly a registered table's columns and dtypes,
the classification of publishers' suppression / missing tokens and raw-table rows (all text as
JSON, with snapshot lineage). Lineage ids, file hashes and quarantine rows are in
``flows.sources.lineage``. Knows no source's format.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Iterable

import pandas as pd

import schemas  # noqa: F401  (fills the registries)
from schemas.model import TABLES

_DTYPES = {"string": "object", "integer": "Int64", "number": "float64", "boolean": "boolean",
           "date": "datetime64[ns]", "datetime": "datetime64[ns]"}

#: Tokens that mean "withheld for privacy" (College Scorecard PrivacySuppressed / PS since 2024).
SUPPRESSED_TOKENS = frozenset({"privacysuppressed", "ps"})
#: Tokens that mean "not available / not applicable".
MISSING_TOKENS = frozenset({"", "null", "na", "n/a", "none", "-", "nan"})
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def typed_frame(table_name: str, rows: Iterable[dict]) -> pd.DataFrame:
    """A frame with exactly the table's columns (in its order) and their pandas dtypes."""
    table = TABLES[table_name]
    df = pd.DataFrame(list(rows), columns=list(table.fields))
    for f in table.field_objects():
        dtype = _DTYPES[f.type]
        if dtype == "object":
            df[f.name] = df[f.name].astype(object).where(df[f.name].notna(), None)
        else:
            df[f.name] = df[f.name].astype(dtype)
    return df


class ValueProblem(ValueError):
    """A value that is neither a number nor a known suppression / missing token."""


def classify_token(value: Any) -> tuple[float | None, str, str | None]:
    """(number or None, value_status, suppression_code) for one published cell.

    Numbers -> released; PrivacySuppressed / PS -> suppressed; NULL / NA / blank / JSON null ->
    not_available. The code is the token verbatim (None for a blank; "null" for a JSON null).
    Anything else raises ``ValueProblem``.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, "not_available", "null"
    if isinstance(value, bool):
        raise ValueProblem(f"boolean {value!r} where a number was expected")
    if isinstance(value, (int, float)):
        return float(value), "released", None
    text = str(value).strip()
    low = text.lower()
    if low in SUPPRESSED_TOKENS:
        return None, "suppressed", text
    if low in MISSING_TOKENS:
        return None, "not_available", text or None
    cleaned = text.replace(",", "")
    if _NUMBER.match(cleaned):
        return float(cleaned), "released", None
    raise ValueProblem(f"{text!r} is neither a number nor a known suppression/missing code")


def to_text(value: Any) -> str | None:
    """A raw value as text (None stays None), for raw tables."""
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return str(value)


def raw_row(snapshot_id: str, source_file: str, row_number: int, values: dict) -> dict:
    return {
        "snapshot_id": snapshot_id,
        "source_file": source_file,
        "source_row_number": row_number,
        "raw_values_json": json.dumps({k: to_text(v) for k, v in values.items()}, ensure_ascii=False),
    }
