"""Lineage and quarantine helpers, written once for every connector and the snapshot store.

Owns: a file's SHA-256, a snapshot's lineage id and a source file's name as stored in tables
(paths relative to the project root), the (column, rule, message) problem triple whose message
names file, row, column, value and rule, and the rows and frame of ``core_ingest__quarantine``
a connector returns under ``"_quarantine"``. Knows no source's format.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd

from flows.settings import relative
from flows.sources.tabular import to_text, typed_frame

QUARANTINE_TABLE = "core_ingest__quarantine"


def sha256_file(path: Path) -> str:
    """The hex SHA-256 of a file's bytes, read in 1 MiB chunks (memory stays bounded)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_sha256(path: Path, manifest_entry: dict | None = None) -> str:
    """The SHA-256 a snapshot's manifest records for the file, else the file's own."""
    if manifest_entry and manifest_entry.get("sha256"):
        return manifest_entry["sha256"]
    return sha256_file(path)


def snapshot_id(snapshot_dir: Path) -> str:
    """The lineage id of a snapshot folder: its path relative to the project root."""
    return relative(Path(snapshot_dir))


def source_file_of(path: Path) -> str:
    """A source file's name as tables store it: its path relative to the project root."""
    return relative(Path(path))


def problem(source_file: str, row_number: int, column: str, value: Any, rule: str,
            explanation: str) -> tuple[str, str, str]:
    """A (column, rule, message) triple whose message names file, row, column, value and rule."""
    return (column, rule, f"{source_file} row {row_number}: column {column!r} value {value!r} breaks "
                          f"rule {rule}: {explanation}")


def quarantine_row(source_file: str, sha256: str, row_number: int, file_kind: str,
                   problems: list[tuple[str, str, str]], values: dict, stage: str = "validate") -> dict:
    """One ``core_ingest__quarantine`` row; ``problems`` are (column, rule, message) triples.

    ``values`` are the row as read, stored as text (JSON, keys sorted). ``run_id`` is left null for
    the loader to fill.
    """
    return {
        "source_file": source_file,
        "source_sha256": sha256,
        "source_row_number": row_number,
        "file_kind": file_kind,
        "quarantine_stage": stage,
        "failed_rules": "; ".join(f"{c}:{r}" for c, r, _ in problems),
        "failure_messages": " | ".join(m for _, _, m in problems),
        "raw_values_json": json.dumps({k: to_text(v) for k, v in values.items()}, ensure_ascii=False,
                                      sort_keys=True),
        "run_id": None,
    }


def quarantine_frame(rows: list[dict]) -> pd.DataFrame:
    """Quarantine rows as a frame with exactly ``core_ingest__quarantine``'s columns and dtypes."""
    return typed_frame(QUARANTINE_TABLE, rows)
