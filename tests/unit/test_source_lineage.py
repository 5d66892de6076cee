"""Lineage and quarantine helpers of the connectors: written once, in flows/sources/lineage.py."""

from __future__ import annotations

import ast
import hashlib
import json
from pathlib import Path

from flows.settings import PROJECT_ROOT
from flows.sources import lineage
from schemas.generate import pandera_model

SOURCES_DIR = Path(lineage.__file__).resolve().parent


def test_each_helper_is_defined_once_in_the_connector_package():
    helpers = {"sha256_file", "file_sha256", "snapshot_id", "snapshot_id_of", "source_file_of", "problem",
               "quarantine_row", "quarantine_frame"}
    found: dict[str, list[str]] = {}
    for path in sorted(SOURCES_DIR.glob("*.py")) + [SOURCES_DIR.parent / "snapshots.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name in helpers:
                found.setdefault(node.name, []).append(path.name)
    assert found and all(files == ["lineage.py"] for files in found.values()), found


def test_sha256_file_streams_and_matches_hashlib(tmp_path):
    path = tmp_path / "big.bin"
    data = bytes(range(256)) * 9000  # 2.3 MB: more than one read chunk
    path.write_bytes(data)
    assert lineage.sha256_file(path) == hashlib.sha256(data).hexdigest()
    assert lineage.file_sha256(path, {"sha256": "abc"}) == "abc"
    assert lineage.file_sha256(path, {}) == hashlib.sha256(data).hexdigest()


def test_quarantine_rows_keep_values_as_text_and_name_file_row_column_value_and_rule():
    p = lineage.problem("data/raw/x/s/f.csv", 7, "wage", "12,5x", "number", "not a number")
    assert p[2] == "data/raw/x/s/f.csv row 7: column 'wage' value '12,5x' breaks rule number: not a number"
    row = lineage.quarantine_row("data/raw/x/s/f.csv", "ab" * 32, 7, "x", [p, ("year", "range", "too old")],
                                 {"year": 1890, "wage": "12,5x", "notes": None, "codes": [1, 2]}, stage="build")
    assert row["failed_rules"] == "wage:number; year:range"
    assert row["failure_messages"].endswith(" | too old") and row["quarantine_stage"] == "build"
    assert row["raw_values_json"] == '{"codes": "[1, 2]", "notes": null, "wage": "12,5x", "year": "1890"}'
    assert json.loads(row["raw_values_json"])["year"] == "1890", "raw values are text, as in raw tables"
    frame = lineage.quarantine_frame([row])
    pandera_model("core_ingest__quarantine").validate(frame, lazy=True)
    assert str(frame["source_row_number"].dtype) == "Int64" and len(lineage.quarantine_frame([])) == 0


def test_lineage_ids_are_paths_relative_to_the_project():
    snap = PROJECT_ROOT / "data" / "raw" / "census_pseo" / "2026-11-21T000000Z-bundled"
    assert lineage.snapshot_id(snap) == "data/raw/census_pseo/2026-11-21T000000Z-bundled"
    assert lineage.source_file_of(snap / "pseoe_all.csv") == "data/raw/census_pseo/2026-11-21T000000Z-bundled/pseoe_all.csv"
