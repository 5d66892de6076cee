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
        if path.is_symlink() and not path.exists():
            report.lines.append(f"{path}: file rejected: dangling symbolic link (or a link loop)")
            report.problems += 1
        elif not path.is_file():
            report.lines.append(f"{path}: file rejected: no such file")
            report.problems += 1
        elif path.suffix.lower() not in curated.FORMATS:
            report.lines.append(f"{path}: file rejected: unsupported format {path.suffix!r} (use .csv, .xlsx or .jsonl)")
            report.problems += 1
        else:
            try:
                given.append(curated.input_file(path, curated.kind_by_name(path)))
            except OSError as exc:
                report.lines.append(f"{path}: file rejected: {curated._os_reason(exc)}")
                report.problems += 1
    con = duckdb.connect()
    try:
        warehouse.ensure_tables(con)
        now = datetime.now(timezone.utc)
        results: dict[str, warehouse.LoadedFile] = {}
        for f in given:  # one file at a time, in bounded parts: read, load, keep only what is reported
            results[f.source_file] = warehouse.load_curated_file(con, curated.read_parts(f, assumptions, key=key),
                                                                 "validate", now)
        own = con.execute("""SELECT source_file, failure_messages FROM core_ingest__quarantine
                             WHERE quarantine_stage = 'validate' ORDER BY source_file, source_row_number""").fetchall()
        if not any(r.file.kind == "programs" and not r.rejection for r in results.values()):
            # Program ids are known from the curated programs files unless the files to check bring their
            # own; a template is checked against the programs template beside it.
            reference = [f for f in curated.discover(programs_folder) if f.kind == "programs"]
            for f in given:
                template = f.path.with_name("TEMPLATE_programs.csv")
                if f.path.name.lower().startswith("template") and template.is_file() and template != f.path:
                    reference.append(curated.input_file(template, "programs"))
            for f in reference:
                warehouse.load_curated_file(con, curated.read_parts(f, assumptions, key=key), "validate", now)
        warehouse.build_core(con)
        cross = con.execute("""SELECT source_file, failure_messages FROM core_ingest__quarantine
                               WHERE quarantine_stage = 'build' ORDER BY source_file, source_row_number""").fetchall()
    finally:
        con.close()
    own_by_file: dict[str, list[str]] = {}
    for source_file, msgs in own:
        own_by_file.setdefault(source_file, []).extend(msgs.split(" | "))
    cross_by_file: dict[str, list[str]] = {}
    for source_file, msgs in cross:
        cross_by_file.setdefault(source_file, []).extend(msgs.split(" | "))
    for f in given:
        result = results[f.source_file]
        if result.rejection:
            found = [f"{f.source_file}: file rejected: {result.rejection}"]
        else:
            found = own_by_file.get(f.source_file, []) + cross_by_file.get(f.source_file, [])
        report.lines.extend(found)
        report.problems += len(found)
        if not found:
            note = f"; note: {result.message}" if result.message else ""
            report.lines.append(f"{f.source_file}: ok ({result.rows_read} rows, "
                                f"{result.file.kind.replace('_', ' ')}{note})")
    return report
