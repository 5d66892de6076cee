"""The ``refresh`` flow: the table of contents of the job.

Each task wraps plain functions from ``flows.curated`` (read and validate curated files)
and ``flows.warehouse`` (load, build, publish). Only I/O against the network retries.
Tasks take no cache (their inputs are frames and connections, not cacheable values).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows import curated, progress, settings, warehouse
from flows.config import load_assumptions


@dataclass
class RunContext:
    run_id: str
    started_at: datetime
    published: Path
    build: Path
    con: duckdb.DuckDBPyConnection
    assumptions: dict
    actions: dict[str, str] = field(default_factory=dict)


@task(cache_policy=NO_CACHE)
def discover_inputs(ctx: RunContext, folder: Path) -> list[curated.InputFile]:
    """List curated files with their content hash; decide which changed since the last run."""
    files = curated.discover(folder)
    known = warehouse.known_files(ctx.con)
    current = {f.source_file for f in files}
    for gone in sorted(set(known) - current):
        warehouse.delete_file_rows(ctx.con, gone)
        ctx.actions[gone] = "removed"
    changed = [f for f in files if known.get(f.source_file) != f.sha256]
    get_run_logger().info("%d curated files, %d new or changed", len(files), len(changed))
    return changed


@task(cache_policy=NO_CACHE)
def read_and_validate(ctx: RunContext, f: curated.InputFile) -> curated.FileResult:
    result = curated.read_file(f, ctx.assumptions)
    log = get_run_logger()
    if result.rejection:
        log.warning("%s rejected: %s", f.source_file, result.rejection)
    else:
        log.info("%s: %d rows, %d valid, %d quarantined", f.source_file, result.rows_read, len(result.valid),
                 len(result.quarantine))
    return result


@task(cache_policy=NO_CACHE)
def load_curated(ctx: RunContext, result: curated.FileResult) -> None:
    warehouse.load_curated_file(ctx.con, result, ctx.run_id, ctx.started_at)
    ctx.actions[result.file.source_file] = "rejected" if result.rejection else "read"


@task(cache_policy=NO_CACHE)
def build_core_tables(ctx: RunContext) -> None:
    warehouse.build_core(ctx.con)


@task(cache_policy=NO_CACHE)
def record_and_publish(ctx: RunContext) -> dict:
    summary = warehouse.record_run(ctx.con, ctx.run_id, ctx.started_at, ctx.actions, "succeeded", ctx.started_at)
    summary["warehouse_snapshot_id"] = warehouse.record_snapshot(ctx.con, ctx.run_id)
    ctx.con.close()
    warehouse.publish(ctx.build, ctx.published)
    summary["warehouse"] = str(ctx.published)
    return summary


@flow(name="refresh", log_prints=True)
def refresh(curated_folder: str | None = None, warehouse_path: str | None = None,
            assumptions_file: str | None = None, wait_seconds: float = 0.0) -> dict:
    """Curated files -> validation -> DuckDB warehouse -> statistics, published atomically."""
    published = Path(warehouse_path) if warehouse_path else settings.warehouse_path()
    folder = Path(curated_folder) if curated_folder else settings.curated_dir()
    with warehouse.refresh_lock(published, wait_seconds):
        run_id = settings.new_run_id()
        assumptions = load_assumptions(Path(assumptions_file) if assumptions_file else None)  # fail before building
        build = warehouse.prepare_build(published, run_id)
        ctx = RunContext(run_id, datetime.now(timezone.utc), published, build, duckdb.connect(str(build)),
                         assumptions)
        try:
            with progress.stage("Discover curated files"):
                changed = discover_inputs(ctx, folder)
            with progress.stage("Read, validate and load", total=len(changed)):
                for f in changed:
                    load_curated(ctx, read_and_validate(ctx, f))
                    warehouse.pause_point("load")  # test hook: mid-load, after the first file
                    progress.advance()
            with progress.stage("Build core tables"):
                build_core_tables(ctx)
            with progress.stage("Statistics"):
                warehouse.pause_point("statistics")  # keep at the start of the statistics stage
            with progress.stage("Record and publish"):
                summary = record_and_publish(ctx)
            get_run_logger().info("published %s (snapshot %s)", summary["warehouse"], summary["warehouse_snapshot_id"])
            return summary
        finally:
            try:
                ctx.con.close()
            except duckdb.Error:
                pass
            warehouse.discard(build)  # no-op after a successful publish (the file was moved)
