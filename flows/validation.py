"""``outcomes validate``: every problem of some curated files, without touching the warehouse.

Owns the dry run: each file's own rules (``flows.curated.read_file``) and then the rules
across files (``flows.warehouse.build_core``: duplicate records and people, unknown
programs) in a throw-away in-memory DuckDB, so a file is judged exactly as a refresh
would judge it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from flows import curated, warehouse
from flows.config import load_assumptions


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    problems: int = 0


def validate_paths(paths: list[Path], programs_folder: Path) -> Report:
    report = Report()
    assumptions = load_assumptions()
    key = b"validate-only: keys are compared, never shown or stored"
    given = []
    for path in paths:
        if not path.is_file():
            report.lines.append(f"{path}: file rejected: no such file")
            report.problems += 1
        elif path.suffix.lower() not in curated.FORMATS:
            report.lines.append(f"{path}: file rejected: unsupported format {path.suffix!r} (use .csv, .xlsx or .jsonl)")
            report.problems += 1
        else:
            given.append(curated.input_file(path, curated.file_kind(path) or "outcome_records"))
    reference = []
    if not any(f.kind == "programs" for f in given):
        # Program ids are known from the curated programs files unless the files to check bring their own.
        reference = [f for f in curated.discover(programs_folder) if f.kind == "programs"]

    con = duckdb.connect()
    try:
        warehouse.ensure_tables(con)
        now = datetime.now(timezone.utc)
        results = {}
        for f in given + reference:
            result = curated.read_file(f, assumptions, key=key)
            warehouse.load_curated_file(con, result, "validate", now)
            if f in given:
                results[f.source_file] = result
        warehouse.build_core(con)
        cross = con.execute("""SELECT source_file, failure_messages FROM core_ingest__quarantine
                               WHERE quarantine_stage = 'build' ORDER BY source_file, source_row_number""").fetchall()
    finally:
        con.close()
    cross_by_file: dict[str, list[str]] = {}
    for source_file, msgs in cross:
        cross_by_file.setdefault(source_file, []).extend(msgs.split(" | "))
    for f in given:
        result = results[f.source_file]
        found = curated.problems(result) + cross_by_file.get(f.source_file, [])
        report.lines.extend(found)
        report.problems += len(found)
        if not found:
            report.lines.append(f"{f.source_file}: ok ({result.rows_read} rows, {f.kind.replace('_', ' ')})")
    return report
