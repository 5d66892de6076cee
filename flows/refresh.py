"""The ``refresh`` flow: the table of contents of the job.

Each task wraps plain functions from ``flows.curated`` (read and validate curated files)
and ``flows.warehouse`` (load, build, publish). Only I/O against the network retries, in one
place: the HTTP client (``flows.http``); no task retries.

Personal data never reaches Prefect: one task per curated file reads, validates and loads it
(the frames of raw rows live and die inside that task), tasks take paths and ids and return
counts, no task persists its result or takes a cache, and what they log names files, counts
and rules, never a value of a personal-data column. ``flows.preflight`` holds the rules that
refuse to publish a warehouse that silently lost data.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import duckdb
import httpx
import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows import curated, preflight, progress, settings, snapshots, warehouse
from flows.config import load_assumptions
from flows.http import FetchError, RetryingClient, short_url
from flows.sources import Source, SourceError, load_connectors
from flows.sources.config import source_config
from flows.sources.lineage import sha256_file
from flows.stats import build_out_tables
from flows.stats.peers import write_public_peer_groups
from flows.stats.report_tables import build_report_tables
from flows.stats.answers import build_answer_tables


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
    not_refreshed: dict[str, str] = field(default_factory=dict)  # online sources whose fetch failed: reason
    #: Inputs whose rows this run changed in the build file: curated files read, rejected or removed,
    #: public sources and crosswalks loaded. Empty: the core and out tables may be kept as they are.
    changed_inputs: list[str] = field(default_factory=list)
    build_fingerprint: str = ""
    #: The snapshot whose core and out tables this run kept (nothing changed), else None.
    kept_snapshot: str | None = None

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the build file for one task (never shared across tasks)."""
        con = duckdb.connect(str(self.build))
        try:
            yield con
        finally:
            con.close()


#: Every task: no cache key and no stored result (inputs are paths and ids; results are counts).
PRIVATE = {"cache_policy": NO_CACHE, "persist_result": False}


@task(**PRIVATE)
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
            ctx.changed_inputs.append(gone)
            if gone not in skipped:
                ctx.actions[gone] = "removed"
        warehouse.record_skipped(con, ctx.run_id, found.skipped, ctx.started_at, set(known))
    changed = [f for f in files if known.get(f.source_file) != f.sha256]
    get_run_logger().info("%d curated files, %d new or changed, %d skipped", len(files), len(changed),
                          len(found.skipped))
    return changed


#: Rejection reasons whose whole text is safe to log (they quote the project's own column names and
#: rules only); any other reason may quote a cell or a header line and is logged by its kind alone.
_SAFE_REJECTIONS = ("missing required column(s):", "wrong encoding:", "unreadable: the file is empty",
                    "could not be read:", "the first row does not look like a header:")


def loggable_rejection(reason: str) -> str:
    """A rejection reason fit for Prefect's log: whole when it cannot quote the file, else its kind."""
    if reason.startswith(_SAFE_REJECTIONS) or (reason.startswith("column '") and reason.endswith("as a whole")):
        return reason
    kind = reason.split(":", 1)[0]
    return f"{kind} (details in core_ingest__files.rejection_reason)"


@task(**PRIVATE)
def ingest_curated_file(ctx: RunContext, f: curated.InputFile) -> dict:
    """Read, validate and load one curated file; return its counts.

    The file's rows (names, e-mails, URLs before scrubbing) exist only inside this task: it
    takes a path and returns counts. A failure of the reading code itself rejects the file
    (the run goes on) with the exception's type only, since its text may quote a cell.
    """
    with ctx.connect() as con:
        try:  # a large file streams: each batch is read, validated and loaded before the next is read
            loaded = warehouse.load_curated_file(con, curated.read_parts(f, ctx.assumptions), ctx.run_id,
                                                 ctx.started_at)
        except Exception as exc:  # noqa: BLE001 - one bad file never fails the whole run
            empty = pd.DataFrame()
            loaded = warehouse.load_curated_file(con, curated.FileResult(f, empty, empty, empty, restart=True, rejection=(
                f"could not be read: {type(exc).__name__} (run `outcomes validate {f.source_file}` for details)")),
                ctx.run_id, ctx.started_at)
    ctx.actions[f.source_file] = "rejected" if loaded.rejection else "read"
    ctx.changed_inputs.append(f.source_file)
    counts = {"source_file": f.source_file, "rows_read": loaded.rows_read, "rows_valid": loaded.rows_valid,
              "rows_quarantined": loaded.rows_quarantined, "rejected": loaded.rejection is not None}
    log = get_run_logger()
    if loaded.rejection:
        log.warning("%s rejected: %s", f.source_file, loggable_rejection(loaded.rejection))
    else:
        log.info("%s: %d rows, %d valid, %d quarantined", f.source_file, counts["rows_read"], counts["rows_valid"],
                 counts["rows_quarantined"])
    return counts


@task(**PRIVATE)
def curated_state(ctx: RunContext) -> dict[str, int]:
    """Curated programs, records and files of the build file (counts only)."""
    with ctx.connect() as con:
        return preflight.curated_state(con)


@task(**PRIVATE)
def extract_source(ctx: RunContext, source: Source, client: "RunClient | None") -> snapshots.ExtractResult:
    """Fetch a public source into a new raw snapshot, or fall back to its newest snapshot.

    The HTTP client is the run's one retry layer: this task does not retry (a retried task would
    multiply the client's attempts), and a fetch that fails for good (any ``SourceError``) falls back.
    """
    result = snapshots.extract(source, settings.raw_dir(), client, source_config(source.name), offline=client is None)
    log = get_run_logger()
    if client is not None and source.fetch is not None and result.status != "fresh":
        ctx.not_refreshed[source.name] = _reason(result.message, source.name)
        log.warning("%s", result.message)
    else:
        log.info("%s", result.message)
    return result


def _reason(message: str, name: str) -> str:
    """The reason part of a fallback message (``<name>: fetch failed: ...; using snapshot ...``)."""
    text = message.removeprefix(f"{name}: ")
    return text.split("; using snapshot")[0].split("; no snapshot under")[0]


@task(**PRIVATE)
def load_source(ctx: RunContext, source: Source, extracted: snapshots.ExtractResult) -> None:
    """Transform a snapshot into validated tables and replace that source's rows in one transaction.

    A snapshot fetched in this run that cannot be read (any ``SourceError``: files that do not match
    the manifest, an answer the transform or the table's Pandera model rejects) is set aside
    (``.rejected-<name>``) and the newest good snapshot is loaded instead, the reason recorded.
    """
    try:
        _load_snapshot(ctx, source, extracted)
    except SourceError as exc:
        if extracted.status != "fresh" or source.fetch is None or extracted.snapshot_dir is None:
            raise
        reason = f"fetched snapshot {extracted.snapshot_dir.name} unreadable: {exc}"
        snapshots.set_aside(extracted.snapshot_dir, reason)
        fallback = snapshots.fallback(source, settings.raw_dir(), reason)
        ctx.not_refreshed[source.name] = _reason(fallback.message, source.name)
        get_run_logger().warning("%s", fallback.message)
        _load_snapshot(ctx, source, fallback)


def _load_snapshot(ctx: RunContext, source: Source, extracted: snapshots.ExtractResult) -> None:
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
            ctx.changed_inputs.append(source.name)
        elif snap is not None:
            message += "; unchanged since the last run, tables kept"
        warehouse.record_source(con, source.name, status, snap, fetched_at, message, ctx.run_id,
                                ctx.started_at, counts, inputs)
    ctx.sources[source.name] = status


@task(**PRIVATE)
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
        inputs = [{"source_file": settings.relative(p), "source_sha256": sha256_file(p),
                   "file_bytes": p.stat().st_size} for p in files]
        if warehouse.same_inputs(con, source.name, inputs):
            warehouse.record_source(con, source.name, "fresh", None, None,
                                    f"{source.name}: curated crosswalk; unchanged since the last run, tables kept",
                                    ctx.run_id, ctx.started_at, None, None, unchanged=True)
            ctx.sources[source.name] = "fresh"
            return
        frames = source.transform(folder, source_config(source.name))
        counts = warehouse.load_source_frames(con, source.name, frames, ctx.run_id)
        warehouse.record_source(con, source.name, "fresh", None, None, f"{source.name}: curated crosswalk",
                                ctx.run_id, ctx.started_at, counts, inputs)
        ctx.changed_inputs.append(source.name)
    ctx.sources[source.name] = "fresh"


@task(**PRIVATE)
def keep_unchanged_tables(ctx: RunContext) -> str | None:
    """When no input changed and the code and assumptions are those that built the published warehouse,
    its core and out tables stand as they are: return its snapshot id (None: rebuild them)."""
    if ctx.changed_inputs:
        return None
    with ctx.connect() as con:
        kept = warehouse.reusable_build(con, ctx.build_fingerprint)
    if kept:
        get_run_logger().info("nothing changed since warehouse snapshot %s: core and out tables kept", kept)
    ctx.kept_snapshot = kept
    return kept


@task(**PRIVATE)
def build_core_tables(ctx: RunContext) -> None:
    with ctx.connect() as con:
        warehouse.build_core(con)


@task(**PRIVATE)
def check_nothing_lost(ctx: RunContext, before: dict[str, int], folder: Path, allow_empty: bool) -> dict[str, int]:
    """Refuse to publish when every curated file was rejected or every published curated program would go."""
    with ctx.connect() as con:
        after = preflight.curated_state(con)
    preflight.check_nothing_lost(before, after, folder, allow_empty)
    return after


@task(**PRIVATE)
def build_statistics(ctx: RunContext) -> list[str]:
    """Every out table: placement, salaries, benchmarks, costs and ROI, real programs' answers (flows.stats)."""
    with ctx.connect() as con:
        return (build_out_tables(con, ctx.assumptions) + build_report_tables(con, ctx.assumptions)
                + build_answer_tables(con, ctx.assumptions) + write_public_peer_groups(con, ctx.assumptions))


@task(**PRIVATE)
def record_and_publish(ctx: RunContext) -> dict:
    with ctx.connect() as con:
        summary = warehouse.record_run(con, ctx.run_id, ctx.started_at, ctx.actions, "succeeded", ctx.started_at)
        summary["warehouse_snapshot_id"] = warehouse.record_snapshot(con, ctx.run_id, ctx.build_fingerprint)
        freshness = warehouse.source_freshness(con, ctx.started_at)
    warehouse.publish(ctx.build, ctx.published)
    summary["warehouse"] = str(ctx.published)
    summary["sources"] = {name: status for name, (status, _) in freshness.items()}
    summary["source_age_days"] = {name: age for name, (_, age) in freshness.items()}
    return summary


def run_warnings(not_refreshed: dict[str, str], attempted: list[str], ages: dict[str, float | None]) -> list[str]:
    """One line per public source this online run failed to refresh, with its age and reason.

    ``attempted``: the sources the run tried to fetch. When none of them could be refreshed, the
    first line says so: the run published old public data only.
    """
    lines = []
    if attempted and set(attempted) <= set(not_refreshed):
        lines.append(f"no public source could be refreshed ({len(attempted)} tried): the warehouse holds older "
                     "snapshots only")
    for name in sorted(not_refreshed):
        age = ages.get(name)
        kept = f"kept its snapshot ({age:.0f} days old)" if age is not None else "no snapshot (missing)"
        lines.append(f"{name} not refreshed, {kept}: {not_refreshed[name]}")
    return lines


def warnings_markdown(lines: list[str]) -> str:
    def md(text: str) -> str:
        return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>" else ch for ch in text)
    return "\n".join(["# Run warnings", "", *(f"- {md(line)}" for line in lines)])


@task(**PRIVATE)
def report_warnings(ctx: RunContext, summary: dict, attempted: list[str]) -> list[str]:
    """Stale or missing public sources of an online run: a warning log line and a markdown artifact."""
    from prefect.artifacts import create_markdown_artifact

    lines = run_warnings(ctx.not_refreshed, attempted, summary.get("source_age_days", {}))
    log = get_run_logger()
    for line in lines:
        log.warning("%s", line)
    if lines:
        create_markdown_artifact(key="refresh-warnings", markdown=warnings_markdown(lines),
                                 description=f"Run {ctx.run_id}: public sources not refreshed")
    return lines


@task(**PRIVATE)
def write_reports(ctx: RunContext) -> dict:
    """Per-program reports from the just-published warehouse (read-only), published as artifacts."""
    from flows.reports import build_reports, publish_artifacts
    from flows.reports.build import current_report_set

    out_dir = settings.reports_dir()
    snapshot = {"warehouse_snapshot_id": ctx.kept_snapshot, "build_fingerprint": ctx.build_fingerprint}
    if ctx.kept_snapshot and current_report_set(out_dir, snapshot):
        get_run_logger().info("reports of snapshot %s are current: kept", ctx.kept_snapshot)
        return {"reports": str(out_dir / "index.html"), "report_pages": sum(1 for _ in (out_dir / "programs").glob("*.html")),
                "reports_kept": True}
    result = build_reports(ctx.published, out_dir)
    publish_artifacts(result)
    return {"reports": str(result.index), "report_pages": result.programs}


@contextmanager
def _no_client() -> Iterator[None]:
    yield None


def make_client() -> RetryingClient:
    """The HTTP client of a run, its retries as ``[http]`` of flows/sources/sources.toml says (tests
    replace this with one over httpx.MockTransport)."""
    return RetryingClient(**source_config("http"))


#: Transport errors that mean the machine has no network at all (not one host down).
_NO_NETWORK = ("name resolution", "name or service not known", "network is unreachable",
               "no address associated", "nodename nor servname")


class RunClient:
    """A run's HTTP client: after a request could not connect at all, later ones fail at once.

    A host that refused or timed out every attempt is not asked again in this run; a failure to
    resolve names or reach any network stops every later fetch. Without this, a run with no
    network spends the client's whole retry budget on every source, one after the other.
    """

    def __init__(self, client) -> None:
        self._client = client
        self.down_hosts: dict[str, str] = {}
        self.no_network: str | None = None

    def request(self, method: str, url: str, **kwargs):
        host = httpx.URL(url).host
        known = self.no_network or self.down_hosts.get(host)
        if known:
            raise FetchError(f"{method} {short_url(url)} not attempted: {known}", url=url)
        try:
            return self._client.request(method, url, **kwargs)
        except FetchError as exc:
            if exc.status is None and exc.reason:
                if any(s in exc.reason.lower() for s in _NO_NETWORK):
                    self.no_network = f"no network earlier in this run ({exc.reason})"
                else:
                    self.down_hosts[host] = f"{host} did not answer earlier in this run ({exc.reason})"
            raise

    def __repr__(self) -> str:
        return f"RunClient({self._client!r})"


@flow(name="refresh", log_prints=True, persist_result=False)
def refresh(curated_folder: str | None = None, warehouse_path: str | None = None,
            assumptions_file: str | None = None, wait_seconds: float = 0.0, offline: bool = False,
            sources: list[str] | None = None, allow_empty: bool = False) -> dict:
    """Curated files and public sources -> validation -> DuckDB warehouse -> statistics, published atomically.

    ``sources``: names of the public sources to refresh (default all); the others keep what the
    published warehouse holds. ``offline``: no network; every source uses its newest snapshot.
    ``allow_empty``: publish even when the curated folder is missing or empty, or when every
    curated program would be removed (refused otherwise: ``preflight.RefusedToPublish``).
    """
    t_flow = time.perf_counter()
    registry = load_connectors()
    preflight.check_sources(sources, list(registry))
    selected = [registry[n] for n in sorted(registry) if sources is None or n in sources]
    published = Path(warehouse_path) if warehouse_path else settings.warehouse_path()
    folder = Path(curated_folder) if curated_folder else settings.curated_dir()
    preflight.check_curated_folder(folder, allow_empty)
    with warehouse.refresh_lock(published, wait_seconds):
        run_id = settings.new_run_id()
        assumptions = load_assumptions(Path(assumptions_file) if assumptions_file else None)  # fail before building
        build = warehouse.prepare_build(published, run_id)
        ctx = RunContext(run_id, datetime.now(timezone.utc), published, build, assumptions,
                         build_fingerprint=warehouse.build_fingerprint(assumptions))
        try:
            with progress.stage("Discover curated files"):
                before = curated_state(ctx)  # what the published warehouse holds
                changed = discover_inputs(ctx, folder)
            with progress.stage("Read, validate and load", total=len(changed)):
                for f in changed:
                    ingest_curated_file(ctx, f)
                    warehouse.pause_point("load")  # test hook: mid-load, after the first file
                    progress.advance()
            attempted: list[str] = []
            with progress.stage("Public sources", total=len(selected)):
                with (make_client() if not offline else _no_client()) as http_client:
                    client = RunClient(http_client) if http_client is not None else None
                    for source in selected:
                        if source.name == "program_links":
                            load_program_links(ctx, source)
                        else:
                            if client is not None and source.fetch is not None:
                                attempted.append(source.name)
                            load_source(ctx, source, extract_source(ctx, source, client))
                        progress.advance()
            with progress.stage("Build core tables"):
                kept = keep_unchanged_tables(ctx)
                if kept is None:
                    build_core_tables(ctx)
                    check_nothing_lost(ctx, before, folder, allow_empty)
            with progress.stage("Statistics"):
                warehouse.pause_point("statistics")  # keep at the start of the statistics stage
                if kept is None:
                    build_statistics(ctx)
            with progress.stage("Record and publish"):
                summary = record_and_publish(ctx)
                summary["run_warnings"] = report_warnings(ctx, summary, attempted)
            with progress.stage("Reports"):  # after publishing: reports read the published warehouse and its snapshot id
                try:
                    summary.update(write_reports(ctx))
                except Exception as exc:
                    raise ReportsFailed(f"the warehouse was published (snapshot {summary['warehouse_snapshot_id']}) "
                                        f"but writing the reports failed: {type(exc).__name__}: {exc}") from exc
            summary["tables_kept"] = ctx.kept_snapshot is not None
            summary["flow_seconds"] = round(time.perf_counter() - t_flow, 3)
            get_run_logger().info("published %s (snapshot %s)", summary["warehouse"], summary["warehouse_snapshot_id"])
            return summary
        finally:
            warehouse.discard(build)  # no-op after a successful publish (the file was moved)
