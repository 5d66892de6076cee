"""Checks that stop a refresh before it could silently lose data or waste a Prefect start-up.

Owns the rules a refresh must pass to publish, written once and used twice: by the CLI before
Prefect starts (fast, one clear line) and by the flow itself (authoritative: a scheduled run or
a direct call of the flow never went through the CLI). Plain functions; never starts Prefect.

- the curated folder exists and holds at least one readable curated file;
- after loading, at least one curated file was readable (not every file rejected);
- a refresh never drops every curated program the published warehouse holds;
- every ``--source`` name is a known public source.

``allow_empty`` (``--allow-empty``) waives the first three for the rare intended case (e.g.
withdrawing every curated record on purpose).
"""

from __future__ import annotations

import os
from pathlib import Path

ALLOW_EMPTY_HINT = "pass --allow-empty (flow parameter allow_empty=True) if that is intended"


class RefusedToPublish(RuntimeError):
    """The refresh would publish a warehouse that silently lost data; nothing is published."""


class UnknownSource(ValueError):
    """A ``--source`` name that no connector answers to."""


def curated_files(folder: Path) -> list[Path]:
    """Files under ``folder`` that are curated inputs by their name (templates and READMEs excluded)."""
    from flows.curated import file_kind

    return sorted(p for p in Path(folder).rglob("*") if p.is_file() and file_kind(p) is not None)


def check_curated_folder(folder: Path, allow_empty: bool = False) -> list[Path]:
    """The curated files of ``folder``; RefusedToPublish when it is missing or holds none readable."""
    folder = Path(folder)
    if not folder.exists():
        if allow_empty:
            return []
        raise RefusedToPublish(f"curated folder {folder} does not exist: nothing published (check the path, or "
                               f"{ALLOW_EMPTY_HINT})")
    if not folder.is_dir():
        raise RefusedToPublish(f"curated folder {folder} is not a folder: nothing published")
    files = curated_files(folder)
    readable = [p for p in files if p.stat().st_size > 0 and os.access(p, os.R_OK)]
    if not readable and not allow_empty:
        what = (f"{len(files)} curated file(s), none readable (empty or no read permission)" if files
                else "no curated file (.csv, .xlsx or .jsonl; TEMPLATE* and README* are skipped)")
        raise RefusedToPublish(f"curated folder {folder} holds {what}: nothing published, every curated program "
                               f"would be removed ({ALLOW_EMPTY_HINT})")
    return files


def curated_state(con) -> dict[str, int]:
    """What the curated data of a warehouse (or build file) amounts to: programs, records, readable files."""
    programs, records = con.execute(
        "SELECT (SELECT count(*) FROM core_programs__programs WHERE data_origin = 'curated'), "
        "(SELECT count(*) FROM core_outcomes__graduate_outcomes WHERE data_origin = 'curated')").fetchall()[0]
    files, readable = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE ingest_action <> 'rejected') FROM core_ingest__files "
        "WHERE file_kind IN ('programs', 'outcome_records')").fetchall()[0]
    return {"programs": int(programs), "records": int(records), "files": int(files), "readable_files": int(readable)}


def check_nothing_lost(before: dict[str, int], after: dict[str, int], folder: Path, allow_empty: bool = False) -> None:
    """RefusedToPublish when every curated file was rejected or every published curated program would go."""
    if allow_empty:
        return
    if after["files"] and not after["readable_files"]:
        raise RefusedToPublish(f"every curated file in {folder} was rejected ({after['files']} file(s)): nothing "
                               f"published (see `outcomes validate`; {ALLOW_EMPTY_HINT})")
    if before["programs"] and not after["programs"]:
        raise RefusedToPublish(f"this refresh would remove all {before['programs']} curated programs the published "
                               f"warehouse holds (curated folder {folder}): nothing published ({ALLOW_EMPTY_HINT})")


def check_sources(names: list[str] | None, known: list[str] | None = None) -> None:
    """UnknownSource naming the unknown names and every known one (one line)."""
    if not names:
        return
    if known is None:
        from flows.sources import load_connectors

        known = list(load_connectors())
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise UnknownSource(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
