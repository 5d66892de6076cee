"""The DuckDB warehouse: build in a private file, load, build core tables, publish atomically.

Owns every write to the warehouse. A refresh never writes the published file
(``data/warehouse/outcomes.duckdb``): it copies it to a private build file (to keep the
state that lets unchanged inputs be skipped), works there, checkpoints and closes it,
then ``os.replace``-s it over the published path. Readers holding the old file keep
reading the old snapshot; new readers see the new one; nobody sees a lock or a mix. A
lock file serialises refreshes. A killed refresh leaves only a stale build file, which
the next refresh deletes.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd

from flows import models
from schemas import TABLES
from schemas.generate import all_ddl, ddl, pandera_model

BUILD_PREFIX = ".build-"

#: Fault-injection points for the publication tests (``OUTCOMES_TEST_PAUSE_AT``): the refresh
#: writes ``OUTCOMES_TEST_PAUSE_FILE`` and sleeps there so a test can SIGKILL it at a known moment.
PAUSE_POINTS = ("prepare", "load", "statistics", "before_swap", "after_swap")


class RefreshLocked(RuntimeError):
    """Another refresh holds the warehouse lock."""


def schema_fingerprint() -> str:
    return hashlib.sha256(all_ddl().encode()).hexdigest()


#: What the build fingerprint covers: every file of the pipeline's code, templates and SQL.
_CODE_SUFFIXES = (".py", ".sql", ".toml", ".j2", ".js", ".css", ".html", ".json")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over the path and bytes of every code file under flows/ and schemas/ (sorted)."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for folder in ("flows", "schemas"):
        for p in sorted((root / folder).rglob("*")):
            if p.suffix in _CODE_SUFFIXES and p.is_file() and "__pycache__" not in p.parts:
                h.update(f"{p.relative_to(root).as_posix()}\0".encode())
                h.update(p.read_bytes())
    return h.hexdigest()


def build_fingerprint(assumptions: dict) -> str:
    """SHA-256 of what turns inputs into core and out tables: the code and the checked assumptions."""
    canonical = json.dumps(assumptions, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(f"{code_fingerprint()}\0{canonical}".encode()).hexdigest()


def reusable_build(con: duckdb.DuckDBPyConnection, fingerprint: str) -> str | None:
    """The snapshot id of the warehouse a build file was copied from, when its core and out tables were
    built by the same code and assumptions (``fingerprint``); else None."""
    rows = con.execute("SELECT warehouse_snapshot_id, build_fingerprint FROM core_warehouse__snapshot").fetchall()
    return rows[0][0] if rows and rows[0][1] == fingerprint else None


def code_version() -> str:
    try:
        return importlib_metadata.version("alumni-outcomes")
    except importlib_metadata.PackageNotFoundError:  # running from a source tree without install
        return "0+unknown"


# --------------------------------------------------------------------------- lifecycle


@contextmanager
def refresh_lock(published: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Exclusive lock beside the warehouse; waits up to ``wait_seconds`` then raises RefreshLocked."""
    published.parent.mkdir(parents=True, exist_ok=True)
    path = published.with_name(published.name + ".lock")
    fh = open(path, "a+")
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                fh.seek(0)
                holder = fh.read().strip() or "unknown"
                fh.close()
                raise RefreshLocked(
                    f"another refresh is running on {published} ({holder}); wait for it or pass --wait SECONDS"
                ) from None
            time.sleep(0.2)
    try:
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {datetime.now(timezone.utc):%Y-%m-%dT%H:%M:%SZ}")
        fh.flush()
        yield
    finally:
        fh.seek(0)
        fh.truncate()
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def pause_point(name: str) -> None:
    """Test hook: when ``$OUTCOMES_TEST_PAUSE_AT`` names this point, signal and sleep (to be killed).

    A no-op unless the variable is set; production runs never set it.
    """
    if name not in PAUSE_POINTS:
        raise ValueError(f"unknown pause point {name!r}; known: {', '.join(PAUSE_POINTS)}")
    wanted = os.environ.get("OUTCOMES_TEST_PAUSE_AT", "")
    if name not in wanted.split(","):
        return
    marker = os.environ.get("OUTCOMES_TEST_PAUSE_FILE")
    if marker:
        Path(marker).write_text(f"{name} {os.getpid()}")
    time.sleep(float(os.environ.get("OUTCOMES_TEST_PAUSE_SECONDS", "120")))


def lock_holder(published: Path) -> str | None:
    """Who holds the refresh lock (e.g. ``pid 123 since ...``), or None when nobody does. Never blocks."""
    path = published.with_name(published.name + ".lock")
    if not path.exists():
        return None
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            return fh.read().strip() or "unknown"
        fcntl.flock(fh, fcntl.LOCK_UN)
    return None


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_db(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def prepare_build(published: Path, run_id: str) -> Path:
    """A private build file: a copy of the published warehouse when its schema is current, else empty.

    Call with the refresh lock held: any other build file is then a leftover of a killed
    refresh and is deleted.
    """
    folder = published.parent
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(f"{BUILD_PREFIX}*"):
        stale.unlink(missing_ok=True)
    build = folder / f"{BUILD_PREFIX}{run_id}.duckdb"
    if published.exists():
        shutil.copyfile(published, build)
        pause_point("prepare")
        try:
            con = duckdb.connect(str(build))
            try:
                rows = con.execute("SELECT schema_fingerprint FROM core_warehouse__snapshot").fetchall()
                row = rows[0] if rows else None
            finally:
                con.close()
            if not row or row[0] != schema_fingerprint():
                _remove_db(build)  # the metadata changed: rebuild everything from the inputs
        except duckdb.Error:
            _remove_db(build)
    con = duckdb.connect(str(build))
    try:
        ensure_tables(con)
    finally:
        con.close()
    return build


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create every registered table that is missing, and refill the code tables from schemas/vocab.py."""
    existing = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    for name in TABLES:
        if name not in existing:
            con.execute(ddl(name))
    models.write_code_tables(con)


def publish(build: Path, published: Path) -> None:
    """Atomically replace the published warehouse by the finished build file.

    Every connection to ``build`` in this process must be closed first (DuckDB caches open
    databases by path). Order matters for a kill at any moment: the build file is complete
    and on disk (checkpointed, no WAL, fsynced) before the rename; the rename is atomic, so
    the published path names either the old file or the new one, never a partial file.
    A WAL beside the published path can only belong to the old file (a build never ships
    one): it is removed before the rename and again after, so it is never replayed into the
    new file.
    """
    con = duckdb.connect(str(build))
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()
    wal = build.with_name(build.name + ".wal")
    if wal.exists():  # a checkpointed, closed database has no WAL; never ship one
        raise RuntimeError(f"build file {build} still has a write-ahead log after checkpoint")
    _fsync_path(build)
    published_wal = published.with_name(published.name + ".wal")
    pause_point("before_swap")
    published_wal.unlink(missing_ok=True)
    os.replace(build, published)
    _fsync_path(published.parent)  # make the rename itself durable
    pause_point("after_swap")
    published_wal.unlink(missing_ok=True)


def discard(build: Path) -> None:
    _remove_db(build)


# --------------------------------------------------------------------------- loading helpers


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame, constants: dict | None = None) -> int:
    """Insert the table's columns of ``df`` (missing ones as NULL) into ``table``, set-wise.

    ``constants`` (column -> value) fill columns that are the same on every row (lineage).
    """
    if df is None or len(df) == 0:
        return 0
    if constants:  # as columns of the frame: twice as fast to insert as bound parameters (measured)
        df = df.assign(**{c: v for c, v in constants.items() if c in TABLES[table].fields})
    cols = [f for f in TABLES[table].fields if f in df.columns]
    view = f"_frame_{table}"
    con.register(view, df[cols])
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM {view}")
    finally:
        con.unregister(view)
    return len(df)


def delete_file_rows(con: duckdb.DuckDBPyConnection, source_file: str) -> None:
    """Forget everything a curated file contributed (it changed or disappeared)."""
    for table in ("raw_curated__programs", "raw_curated__outcome_records", "_core_curated__programs_staged",
                  "_core_curated__outcome_records_staged", "core_ingest__quarantine", "core_ingest__files"):
        con.execute(f"DELETE FROM {table} WHERE source_file = ?", [source_file])


def known_files(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("SELECT source_file, source_sha256 FROM core_ingest__files").fetchall())


_CURATED_TABLES = {
    "programs": ("raw_curated__programs", "_core_curated__programs_staged"),
    "outcome_records": ("raw_curated__outcome_records", "_core_curated__outcome_records_staged"),
}


@dataclass
class LoadedFile:
    """What loading one curated file stored: its state row's figures (no row of the file)."""

    file: object  # curated.InputFile as parsed
    rows_read: int
    rows_valid: int
    rows_quarantined: int
    rejection: str | None
    message: str


def load_curated_file(con: duckdb.DuckDBPyConnection, result, run_id: str, loaded_at: datetime) -> LoadedFile:
    """Store one read curated file: raw rows, valid staged rows, validation quarantine, file state.

    ``result`` is a ``curated.FileResult`` or the parts of one (``curated.read_parts``): each part's
    rows are inserted as they come, so a large file is never held whole. Lineage and the file state
    carry the hash of the bytes that were parsed (known at the last part: rows stored before with
    the hash taken at discovery are corrected), so the recorded hash always matches the rows. A
    rejected file stores no row: rows_read = 0 and its data rows are stated in rows_rejected.
    """
    parts = (result,) if hasattr(result, "raw") else result
    last = None
    read = valid = quarantined = 0
    sha_used: set[str] = set()
    for part in parts:
        f = part.file
        if last is None or part.restart:
            delete_file_rows(con, f.source_file)
            read = valid = quarantined = 0
            sha_used.clear()
        last = part
        if part.rejection is not None:
            continue
        lineage = {"source_file": f.source_file, "source_sha256": f.sha256}
        raw_table, staged = _CURATED_TABLES[f.kind]
        if len(part.raw):
            sha_used.add(f.sha256)
            read += insert_frame(con, raw_table, part.raw, {**lineage, "run_id": run_id, "loaded_at": loaded_at})
        valid += insert_frame(con, staged, part.valid, lineage)
        quarantined += insert_frame(con, "core_ingest__quarantine", part.quarantine,
                                    {**lineage, "file_kind": f.kind, "run_id": run_id})
    f = last.file
    if last.rejection is not None:
        delete_file_rows(con, f.source_file)  # rows of parts read before the file was rejected
        read = valid = quarantined = 0
    elif sha_used - {f.sha256}:
        for table in (*_CURATED_TABLES[f.kind], "core_ingest__quarantine"):
            con.execute(f"UPDATE {table} SET source_sha256 = ? WHERE source_file = ?", [f.sha256, f.source_file])
    state = pd.DataFrame([{
        "source_file": f.source_file, "source_sha256": f.sha256, "file_kind": f.kind, "file_format": f.file_format,
        "file_bytes": f.bytes, "ingest_action": "rejected" if last.rejection else "read",
        "rows_read": read, "rows_loaded": 0, "rows_quarantined": quarantined,
        "rows_rejected": last.rows_rejected if last.rejection else None,
        "rejection_reason": last.rejection, "ingest_message": last.message or None, "run_id": run_id,
    }])
    insert_frame(con, "core_ingest__files", state)
    return LoadedFile(f, read, valid, quarantined, last.rejection, last.message)


def record_skipped(con: duckdb.DuckDBPyConnection, run_id: str, skipped, loaded_at: datetime,
                   previously_loaded: set[str] = frozenset()) -> int:
    """One ingest-log row per file discovery skipped (``curated.SkippedFile``): action 'skipped' and why.

    A skipped path whose rows an earlier run loaded has lost them (the caller deletes them); the
    message says so. Returns the number of rows written.
    """
    rows = [{
        "run_id": run_id, "source_file": s.source_file, "file_format": s.path.suffix.lower().lstrip(".") or None,
        "ingest_action": "skipped", "skip_reason": s.reason,
        "rows_read": 0, "rows_loaded": 0, "rows_quarantined": 0,
        "ingest_message": s.message + ("; its rows from an earlier run were removed"
                                       if s.source_file in previously_loaded else ""),
        "loaded_at": loaded_at} for s in skipped]
    con.execute("DELETE FROM core_ingest__log WHERE run_id = ? AND ingest_action = 'skipped'", [run_id])
    return insert_frame(con, "core_ingest__log", pd.DataFrame(rows))


# --------------------------------------------------------------------------- core build (SQL models)


def build_core(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Rebuild the curated rows of the core tables from the staged rows (idempotent); seconds per model.

    The SQL is the ``core`` layer of named models (``flows/sql/core/*.sql``, run in the order of
    ``flows.models.LAYERS``): cross-file rules, build-stage quarantine, curated programs and outcome
    records, file counts; each model's data tests run after it.
    """
    models.write_code_tables(con)  # the rules join them: always the codes of this version of schemas/
    timings = models.run_layer(con, "core")
    # Public programs: the cells of program-level public sources become programs (flows/sources/public_programs.py).
    from flows.sources import public_programs
    public_programs.build(con)
    return timings


# --------------------------------------------------------------------------- public sources


def load_source_frames(con: duckdb.DuckDBPyConnection, source: str, frames: dict[str, pd.DataFrame],
                       run_id: str) -> dict[str, int]:
    """Validate a source's frames with their Pandera models and replace that source's rows.

    Tables with a ``data_origin`` column are shared: only rows of this origin are replaced.
    Other tables belong to the source whole. All in one transaction: never half-loaded. Frames
    that break their model raise ``SourceError`` (the publisher's data, not the code, is at fault:
    the refresh falls back to the source's last good snapshot).
    """
    import pandera.errors

    from flows.sources import SourceError

    counts: dict[str, int] = {}
    validated = {}
    for table, df in frames.items():
        if table == "_quarantine":
            continue
        if table not in TABLES:
            raise KeyError(f"source {source}: unknown table {table}")
        try:
            validated[table] = pandera_model(table).validate(df, lazy=True)
        except pandera.errors.SchemaErrors as exc:
            cases = exc.failure_cases
            first = "; ".join(f"column {c!r} check {k!r} value {str(v)!r}" for c, k, v in
                              cases[["column", "check", "failure_case"]].head(3).itertuples(index=False))
            raise SourceError(f"source {source}: {len(cases)} value(s) of {table} break its schema ({first})") from None
    con.execute("BEGIN TRANSACTION")
    try:
        for table, df in validated.items():
            if "data_origin" in TABLES[table].fields:
                con.execute(f"DELETE FROM {table} WHERE data_origin = ?", [source])
            else:
                con.execute(f"DELETE FROM {table}")
            counts[table] = insert_frame(con, table, df)
        con.execute("DELETE FROM core_ingest__quarantine WHERE file_kind = ?", [source])
        q = frames.get("_quarantine")
        if q is not None and len(q):
            counts["_quarantine"] = insert_frame(con, "core_ingest__quarantine",
                                                 q.assign(file_kind=source, run_id=run_id))
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return counts


# --------------------------------------------------------------------------- run records


def record_run(con: duckdb.DuckDBPyConnection, run_id: str, started_at: datetime, actions: dict[str, str],
               status: str, loaded_at: datetime) -> dict:
    """Write this run's ingest log and run row; return the summary figures.

    Files skipped at discovery are already in the log (``record_skipped``); the summary counts them
    by reason (``skipped``).
    """
    files = con.execute("SELECT * FROM core_ingest__files ORDER BY source_file").df()
    log = files.copy()
    log["run_id"] = run_id
    log["ingest_action"] = [actions.get(f, "skipped_unchanged") for f in log["source_file"]]
    log["loaded_at"] = loaded_at
    logged = {r[0] for r in con.execute("SELECT source_file FROM core_ingest__log WHERE run_id = ?", [run_id]).fetchall()}
    for removed, action in actions.items():
        if action == "removed" and removed not in logged:
            log = pd.concat([log, pd.DataFrame([{"source_file": removed, "ingest_action": "removed", "run_id": run_id,
                                                 "rows_read": 0, "rows_loaded": 0, "rows_quarantined": 0,
                                                 "loaded_at": loaded_at}])], ignore_index=True)
    insert_frame(con, "core_ingest__log", log[~log["source_file"].isin(logged)])
    skipped = dict(con.execute("""SELECT skip_reason, count(*) FROM core_ingest__log
                                  WHERE run_id = ? AND ingest_action = 'skipped'
                                  GROUP BY skip_reason ORDER BY skip_reason""", [run_id]).fetchall())
    finished = datetime.now(timezone.utc)
    programs, cohorts = con.execute(
        "SELECT (SELECT count(*) FROM core_programs__programs), "
        "(SELECT count(DISTINCT (program_id, cohort)) FROM core_outcomes__graduate_outcomes)").fetchall()[0]
    summary = {
        "run_id": run_id, "started_at": started_at, "finished_at": finished,
        "elapsed_seconds": round((finished - started_at).total_seconds(), 3), "run_status": status,
        "files_seen": len(files), "files_read": sum(1 for a in actions.values() if a in ("read", "rejected")),
        "files_rejected": int((files["ingest_action"] == "rejected").sum()),
        "files_skipped": int(sum(skipped.values())), "skipped": {k: int(v) for k, v in skipped.items()},
        "rows_read": int(files["rows_read"].sum()), "rows_loaded": int(files["rows_loaded"].sum()),
        "rows_quarantined": int(files["rows_quarantined"].sum()),
        "rows_rejected": int(files["rows_rejected"].fillna(0).sum()),
        "programs_count": int(programs), "cohorts_count": int(cohorts),
    }
    insert_frame(con, "core_ingest__runs", pd.DataFrame([summary]))
    return summary


def previous_source_snapshot(con: duckdb.DuckDBPyConnection, source: str) -> str | None:
    rows = con.execute("SELECT snapshot_id FROM core_ingest__sources WHERE data_origin = ?", [source]).fetchall()
    return rows[0][0] if rows else None


def same_inputs(con: duckdb.DuckDBPyConnection, source: str, inputs: list[dict]) -> bool:
    """Whether the warehouse was built from exactly these input files (path and SHA-256) of ``source``."""
    held = con.execute("SELECT source_file, source_sha256 FROM core_warehouse__inputs WHERE data_origin = ?",
                       [source]).fetchall()
    return bool(inputs) and sorted(held) == sorted((i["source_file"], i["source_sha256"]) for i in inputs)


def record_source(con: duckdb.DuckDBPyConnection, source: str, status: str, snapshot_dir: Path | None,
                  fetched_at: datetime | None, message: str, run_id: str, loaded_at: datetime,
                  counts: dict[str, int] | None, inputs: list[dict] | None, unchanged: bool = False) -> None:
    """A source's freshness row, its ingest-log row and (when loaded) its input files.

    ``unchanged``: the source's inputs are those the warehouse holds (its tables were kept)."""
    snapshot_id = snapshot_dir.name if snapshot_dir else None
    age = round((loaded_at - fetched_at).total_seconds() / 86400, 2) if fetched_at else None
    con.execute("DELETE FROM core_ingest__sources WHERE data_origin = ?", [source])
    insert_frame(con, "core_ingest__sources", pd.DataFrame([{
        "data_origin": source, "source_status": status, "snapshot_id": snapshot_id, "fetched_at": fetched_at,
        "snapshot_age_days": max(age, 0.0) if age is not None else None, "ingest_message": message, "run_id": run_id}]))
    raw_rows = sum(n for t, n in (counts or {}).items() if t.startswith("raw_"))
    quarantined = (counts or {}).get("_quarantine", 0)
    where = f"data/raw/{source}/{snapshot_id}" if snapshot_id else f"data/raw/{source}"
    insert_frame(con, "core_ingest__log", pd.DataFrame([{
        "run_id": run_id, "source_file": where, "file_kind": source, "file_format": "snapshot",
        "ingest_action": "read" if counts is not None else ("skipped_unchanged" if snapshot_id or unchanged else "missing"),
        "rows_read": raw_rows if counts is not None else None,
        "rows_loaded": raw_rows - quarantined if counts is not None else None,
        "rows_quarantined": quarantined if counts is not None else None,
        "ingest_message": message, "loaded_at": loaded_at}]))
    if inputs is not None:
        con.execute("DELETE FROM core_warehouse__inputs WHERE data_origin = ?", [source])
        insert_frame(con, "core_warehouse__inputs", pd.DataFrame(inputs).assign(data_origin=source, snapshot_id=snapshot_id))


def source_freshness(con: duckdb.DuckDBPyConnection, now: datetime) -> dict[str, tuple[str, float | None]]:
    """Every public source's status and the age of its snapshot at ``now`` (sources not refreshed this
    run keep their status, and their age is brought up to date)."""
    con.execute("""UPDATE core_ingest__sources
                   SET snapshot_age_days = round(greatest(0, epoch(?::TIMESTAMP - fetched_at) / 86400), 2)
                   WHERE fetched_at IS NOT NULL""", [now.replace(tzinfo=None)])
    rows = con.execute("SELECT data_origin, source_status, snapshot_age_days FROM core_ingest__sources "
                       "ORDER BY data_origin").fetchall()
    return {name: (status, age) for name, status, age in rows}


def record_snapshot(con: duckdb.DuckDBPyConnection, run_id: str, fingerprint: str | None = None) -> str:
    """Record every input and the warehouse's content id; return the id."""
    con.execute("DELETE FROM core_warehouse__inputs WHERE data_origin = 'curated'")
    con.execute("""INSERT INTO core_warehouse__inputs
                   SELECT source_file, source_sha256, file_bytes, 'curated', NULL FROM core_ingest__files""")
    inputs = con.execute("SELECT source_file, source_sha256 FROM core_warehouse__inputs ORDER BY source_file").fetchall()
    h = hashlib.sha256(schema_fingerprint().encode())
    for path, sha in inputs:
        h.update(f"{path}\0{sha}\n".encode())
    snapshot_id = h.hexdigest()[:16]
    con.execute("DELETE FROM core_warehouse__snapshot")
    insert_frame(con, "core_warehouse__snapshot", pd.DataFrame([{
        "warehouse_snapshot_id": snapshot_id, "run_id": run_id, "built_at": datetime.now(timezone.utc),
        "schema_fingerprint": schema_fingerprint(), "code_version": code_version(), "build_fingerprint": fingerprint,
        "inputs_count": len(inputs),
    }]))
    return snapshot_id
