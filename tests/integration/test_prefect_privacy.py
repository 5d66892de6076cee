"""Graduates' names, e-mails and profile URLs never reach Prefect: not its database, not a log line.

Runs the refresh flow under the session's Prefect test harness over curated files whose
personal-data cells carry unique markers (valid rows, a quarantined row, a rejected file, and a
file whose reading code fails with a marker in its exception), then scans every text and blob
cell of every table of the harness's SQLite database (logs, flow and task runs and their
states, artifacts, events, ...) and every log record emitted during the run.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

import pytest

from flows import curated
from flows.refresh import refresh
from tests.helpers import make_curated, record, write_csv  # noqa: F401

pytestmark = pytest.mark.usefixtures("prefect_harness")

MARK = "qvzx7"  # not in any word, path or identifier of the project or of this test's folders


def marked(i: int, **over) -> dict:
    return record(i, full_name=f"Ada {MARK}name{i} Lovelace", email=f"{MARK}.mail{i}@alumni.example",
                  profile_url=f"https://profiles.example/in/{MARK}url{i}",
                  evidence_url=f"https://evidence.example/{MARK}proof{i}?token=abc", **over)


def markers() -> list[str]:
    return [MARK, MARK.upper()]


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, rec: logging.LogRecord) -> None:
        text = rec.getMessage()
        if rec.exc_info:
            text += "\n" + logging.Formatter().formatException(rec.exc_info)
        self.lines.append(f"{rec.name}: {text}")


def database_path() -> Path:
    from prefect.settings import get_current_settings

    url = get_current_settings().server.database.connection_url.get_secret_value()
    assert url.startswith("sqlite+aiosqlite:///"), url
    return Path(url.removeprefix("sqlite+aiosqlite:///"))


def cells_with(path: Path, needles: list[str]) -> list[str]:
    """``table.column`` of every text or blob cell holding a needle (case-insensitive)."""
    hits, scanned = [], 0
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
            for row in con.execute(f'SELECT * FROM "{table}"'):
                for col, value in zip(cols, row):
                    if isinstance(value, bytes):
                        value = value.decode("latin-1")
                    if isinstance(value, str):
                        scanned += 1
                        low = value.lower()
                        if any(n.lower() in low for n in needles):
                            hits.append(f"{table}.{col}: {value[:200]}")
    finally:
        con.close()
    assert scanned > 100, "the scan read Prefect's database"
    return hits


def test_no_personal_data_in_prefect_database_or_logs(tmp_path, monkeypatch):
    from prefect.logging.handlers import APILogHandler

    folder = make_curated(tmp_path / "curated", n=8, extra=[marked(20, base_salary="-10")])  # one quarantined row
    write_csv(folder / "records_a.csv", [marked(i) for i in range(1, 9)] + [marked(20, base_salary="-10")])
    write_csv(folder / "headerless.csv", [marked(30)], columns=None)  # rewritten below without its header
    lines = (folder / "headerless.csv").read_text().splitlines()
    (folder / "headerless.csv").write_text("\n".join(lines[1:] * 3) + "\n")  # rejected: no header row
    write_csv(folder / "records_boom.csv", [marked(40)])
    real_read = curated.read_parts

    def read_parts(f, assumptions, key=None):
        if f.path.name == "records_boom.csv":  # the reading code fails, quoting a cell
            raise ValueError(f"cannot parse {MARK}.mail40@alumni.example in row 1")
        yield from real_read(f, assumptions, key)

    monkeypatch.setattr(curated, "read_parts", read_parts)

    capture = Capture()
    watched = [logging.getLogger(n) for n in ("prefect", "outcomes", "flows")]
    levels = [lg.level for lg in watched]
    for lg in watched:  # every record these loggers emit, whatever the configured levels
        lg.addHandler(capture)
        lg.setLevel(logging.DEBUG)
    try:
        summary = refresh(curated_folder=str(folder), warehouse_path=str(tmp_path / "wh" / "outcomes.duckdb"),
                          offline=True, sources=[])
        APILogHandler().flush()  # send the queued log lines to the API now
    finally:
        for lg, level in zip(watched, levels):
            lg.removeHandler(capture)
            lg.setLevel(level)

    # The run did what the markers were meant to exercise.
    assert summary["files_rejected"] == 2 and summary["rows_quarantined"] >= 1 and summary["rows_loaded"] >= 8
    assert any("records_boom.csv rejected: could not be read: ValueError" in line for line in capture.lines)
    assert any("headerless.csv rejected: the first row does not look like a header: " in line for line in capture.lines)
    assert len(capture.lines) > 10, "the run logged at DEBUG"

    leaked_logs = [line for line in capture.lines if any(m.lower() in line.lower() for m in markers())]
    assert leaked_logs == []

    db = database_path()
    deadline = time.monotonic() + 300  # logs and events reach the database asynchronously
    while True:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            logged = con.execute("SELECT count(*) FROM log WHERE message LIKE '%records_boom.csv rejected%'").fetchall()
        finally:
            con.close()
        if logged[0][0] or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert logged[0][0], "the run's log lines reached Prefect's database (the scan below is meaningful)"
    assert cells_with(db, markers()) == []
