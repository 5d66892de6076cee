"""The ``refresh`` flow: the table of contents of the job.

Each task wraps plain functions from ``flows.curated`` (read and validate curated files)
and ``flows.warehouse`` (load, build, publish). Only I/O against the network retries.
Tasks take no cache (their inputs are frames and connections, not cacheable values).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import duckdb
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows import curated, progress, settings, snapshots, warehouse
from flows.config import load_assumptions
from flows.http import RetryingClient
from flows.sources import Source, load_connectors
from flows.sources.config import source_config
from flows.stats import build_out_tables
from flows.stats.report_tables import build_report_tables


class ReportsFailed(RuntimeError):
    """The warehouse was published; only the reports step failed (the flow run fails with this reason)."""


@dataclass
class RunContext:
    run_id: str
    started_at: datetime
    published: Path
    build: Path
    assumptions: dict
    actions: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the build file for one task (never shared across tasks)."""
        con = duckdb.connect(str(self.build))
        try:
            yield con
        finally:
            con.close()


@task(cache_policy=NO_CACHE)
def discover_inputs(ctx: RunContext, folder: Path) -> list[curated.InputFile]:
    """List curated files with their content hash; decide which changed since the last run.

    Every other path under the folder is logged as skipped, with its reason."""
    found = curated.scan(folder)
    files = found.files
    with ctx.connect() as con:
        known = warehouse.known_files(con)
        current = {f.source_file for f in files}
        skipped = {s.source_file for s in found.skipped}
        for gone in sorted(set(known) - current):
            warehouse.delete_file_rows(con, gone)
            if gone not in skipped:
                ctx.actions[gone] = "removed"
        warehouse.record_skipped(con, ctx.run_id, found.skipped, ctx.started_at, set(known))
    changed = [f for f in files if known.get(f.source_file) != f.sha256]
    get_run_logger().info("%d curated files, %d new or changed, %d skipped", len(files), len(changed),
                          len(found.skipped))
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
    with ctx.connect() as con:
        warehouse.load_curated_file(con, result, ctx.run_id, ctx.started_at)
    ctx.actions[result.file.source_file] = "rejected" if result.rejection else "read"


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[10, 60])
def extract_source(ctx: RunContext, source: Source, client: RetryingClient | None) -> snapshots.ExtractResult:
    """Fetch a public source into a new raw snapshot, or fall back to its newest snapshot (I/O: retries)."""
    result = snapshots.extract(source, settings.raw_dir(), client, source_config(source.name), offline=client is None)
    get_run_logger().info("%s: %s", source.name, result.message)
    return result


@task(cache_policy=NO_CACHE)
def load_source(ctx: RunContext, source: Source, extracted: snapshots.ExtractResult) -> None:
    """Transform a snapshot into validated tables and replace that source's rows in one transaction."""
    snap = extracted.snapshot_dir
    manifest = snapshots.read_manifest(snap) if snap else {}
    status = extracted.status
    if snap is not None and manifest.get("kind") in ("bundled", "transcribed") and (status == "stale" or source.fetch is None):
        status = manifest["kind"]  # a shipped snapshot, not one this project fetched
    fetched_at = manifest.get("fetched_at")
    fetched_at = datetime.strptime(fetched_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc) if fetched_at else None
    with ctx.connect() as con:
        counts = inputs = None
        message = extracted.message
        if snap is not None and warehouse.previous_source_snapshot(con, source.name) != snap.name:
            problems = snapshots.verify_snapshot(snap)
            if problems:
                raise snapshots.SnapshotError(f"{source.name}: snapshot {snap} does not match its manifest: {problems}")
            frames = source.transform(snap, source_config(source.name))
            counts = warehouse.load_source_frames(con, source.name, frames, ctx.run_id)
            inputs = [{"source_file": settings.relative(snap / f["name"]), "source_sha256": f["sha256"],
                       "file_bytes": f["bytes"]} for f in snapshots.snapshot_files(snap)]
        elif snap is not None:
            message += "; unchanged since the last run, tables kept"
        warehouse.record_source(con, source.name, status, snap, fetched_at, message, ctx.run_id,
                                ctx.started_at, counts, inputs)
    ctx.sources[source.name] = status


@task(cache_policy=NO_CACHE)
def load_program_links(ctx: RunContext, source: Source) -> None:
    """The curated crosswalk from programs to public identifiers (data/raw/links)."""
    folder = settings.raw_dir() / "links"
    files = sorted(folder.glob("*.csv"))
    with ctx.connect() as con:
        if not files:
            warehouse.record_source(con, source.name, "missing", None, None, f"{source.name}: no crosswalk in {folder}",
                                    ctx.run_id, ctx.started_at, None, None)
            ctx.sources[source.name] = "missing"
            return
        frames = source.transform(folder, source_config(source.name))
        counts = warehouse.load_source_frames(con, source.name, frames, ctx.run_id)
        inputs = [{"source_file": settings.relative(p), "source_sha256": curated.sha256_file(p),
                   "file_bytes": p.stat().st_size} for p in files]
        warehouse.record_source(con, source.name, "fresh", None, None, f"{source.name}: curated crosswalk",
                                ctx.run_id, ctx.started_at, counts, inputs)
    ctx.sources[source.name] = "fresh"


@task(cache_policy=NO_CACHE)
def build_core_tables(ctx: RunContext) -> None:
    with ctx.connect() as con:
        warehouse.build_core(con)


@task(cache_policy=NO_CACHE)
def build_statistics(ctx: RunContext) -> list[str]:
    """Every out table: placement, salaries, benchmarks, costs and ROI (flows.stats)."""
    with ctx.connect() as con:
        return build_out_tables(con, ctx.assumptions) + build_report_tables(con, ctx.assumptions)


@task(cache_policy=NO_CACHE)
def record_and_publish(ctx: RunContext) -> dict:
    with ctx.connect() as con:
        summary = warehouse.record_run(con, ctx.run_id, ctx.started_at, ctx.actions, "succeeded", ctx.started_at)
        summary["warehouse_snapshot_id"] = warehouse.record_snapshot(con, ctx.run_id)
        freshness = warehouse.source_freshness(con, ctx.started_at)
    warehouse.publish(ctx.build, ctx.published)
    summary["warehouse"] = str(ctx.published)
    summary["sources"] = {name: status for name, (status, _) in freshness.items()}
    summary["source_age_days"] = {name: age for name, (_, age) in freshness.items()}
    return summary


@task(cache_policy=NO_CACHE)
def write_reports(ctx: RunContext) -> dict:
    """Per-program reports from the just-published warehouse (read-only), published as artifacts."""
    from flows.reports import build_reports, publish_artifacts

    result = build_reports(ctx.published, settings.reports_dir())
    publish_artifacts(result)
    return {"reports": str(result.index), "report_pages": result.programs}


@contextmanager
def _no_client() -> Iterator[None]:
    yield None


def make_client() -> RetryingClient:
    """The HTTP client of a run (tests replace this with one over httpx.MockTransport)."""
    return RetryingClient()


@flow(name="refresh", log_prints=True)
def refresh(curated_folder: str | None = None, warehouse_path: str | None = None,
            assumptions_file: str | None = None, wait_seconds: float = 0.0, offline: bool = False,
            sources: list[str] | None = None) -> dict:
    """Curated files and public sources -> validation -> DuckDB warehouse -> statistics, published atomically.

    ``sources``: names of the public sources to refresh (default all); the others keep what the
    published warehouse holds. ``offline``: no network; every source uses its newest snapshot.
    """
    registry = load_connectors()
    unknown = sorted(set(sources or []) - set(registry))
    if unknown:
        raise ValueError(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(sorted(registry))}")
    selected = [registry[n] for n in sorted(registry) if sources is None or n in sources]
    published = Path(warehouse_path) if warehouse_path else settings.warehouse_path()
    folder = Path(curated_folder) if curated_folder else settings.curated_dir()
    with warehouse.refresh_lock(published, wait_seconds):
        run_id = settings.new_run_id()
        assumptions = load_assumptions(Path(assumptions_file) if assumptions_file else None)  # fail before building
        build = warehouse.prepare_build(published, run_id)
        ctx = RunContext(run_id, datetime.now(timezone.utc), published, build, assumptions)
        try:
            with progress.stage("Discover curated files"):
                changed = discover_inputs(ctx, folder)
            with progress.stage("Read, validate and load", total=len(changed)):
                for f in changed:
                    load_curated(ctx, read_and_validate(ctx, f))
                    warehouse.pause_point("load")  # test hook: mid-load, after the first file
                    progress.advance()
            with progress.stage("Public sources", total=len(selected)):
                with (make_client() if not offline else _no_client()) as client:
                    for source in selected:
                        if source.name == "program_links":
                            load_program_links(ctx, source)
                        else:
                            load_source(ctx, source, extract_source(ctx, source, client))
                        progress.advance()
            with progress.stage("Build core tables"):
                build_core_tables(ctx)
            with progress.stage("Statistics"):
                warehouse.pause_point("statistics")  # keep at the start of the statistics stage
                build_statistics(ctx)
            with progress.stage("Record and publish"):
                summary = record_and_publish(ctx)
            with progress.stage("Reports"):  # after publishing: reports read the published warehouse and its snapshot id
                try:
                    summary.update(write_reports(ctx))
                except Exception as exc:
                    raise ReportsFailed(f"the warehouse was published (snapshot {summary['warehouse_snapshot_id']}) "
                                        f"but writing the reports failed: {type(exc).__name__}: {exc}") from exc
            get_run_logger().info("published %s (snapshot %s)", summary["warehouse"], summary["warehouse_snapshot_id"])
            return summary
        finally:
            warehouse.discard(build)  # no-op after a successful publish (the file was moved)
