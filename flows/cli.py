"""The ``outcomes`` command line (Typer).

Owns argument parsing and printing only; every command calls plain functions or the
Prefect flow. Environment defaults (offline Prefect, project-local state) are applied
before Prefect is imported.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional

import typer

from flows import settings

_USER_LOG_LEVEL = os.environ.get("PREFECT_LOGGING_LEVEL")  # before the defaults: did the user choose one?
settings.apply_env_defaults()

app = typer.Typer(help="alumni-outcomes: graduate outcomes, salaries, costs and payback.", no_args_is_help=True,
                  add_completion=False)


def _print_summary(summary: dict) -> None:
    typer.echo("Refresh finished")
    typer.echo(f"  run id              {summary['run_id']}")
    typer.echo(f"  warehouse           {summary['warehouse']} (snapshot {summary['warehouse_snapshot_id']})")
    typer.echo(f"  files               {summary['files_seen']} seen, {summary['files_read']} read, "
               f"{summary['files_rejected']} rejected, {summary.get('files_skipped', 0)} skipped")
    if summary.get("skipped"):
        typer.echo("  skipped files       " + ", ".join(f"{n} {reason.replace('_', ' ')}"
                                                       for reason, n in summary["skipped"].items())
                   + " (outcomes sql \"SELECT source_file, skip_reason, ingest_message FROM core_ingest__log "
                   "WHERE ingest_action = 'skipped'\")")
    typer.echo(f"  rows                {summary['rows_read']} read = {summary['rows_loaded']} loaded + "
               f"{summary['rows_quarantined']} quarantined"
               + (f" ({summary['rows_rejected']} more in rejected files, not read)" if summary.get("rows_rejected") else ""))
    typer.echo(f"  programs, cohorts   {summary['programs_count']} programs, {summary['cohorts_count']} program cohorts")
    ages = summary.get("source_age_days", {})

    def _source(name: str, status: str) -> str:
        age = ages.get(name)
        return f"{name} ({status}" + (f", {age:.0f} days old)" if age is not None else ")")

    typer.echo("  public sources      " + ", ".join(_source(k, v) for k, v in summary.get("sources", {}).items()))
    if summary.get("reports"):
        kept = ", unchanged: kept" if summary.get("reports_kept") else ""
        typer.echo(f"  reports             {summary['reports']} ({summary['report_pages']} program pages{kept})")
    if summary.get("tables_kept"):
        typer.echo("  core and out tables nothing changed (inputs, code, assumptions): kept as published")
    typer.echo(f"  elapsed             {summary['elapsed_seconds']:.1f} s")
    if summary["rows_quarantined"]:
        typer.echo("  quarantined rows:   outcomes sql \"SELECT source_file, source_row_number, failed_rules "
                   "FROM core_ingest__quarantine\"")


@app.command()
def refresh(
    curated: Optional[Path] = typer.Option(None, help="Folder of curated files (default data/raw/curated)."),
    warehouse: Optional[Path] = typer.Option(None, help="Warehouse file (default data/warehouse/outcomes.duckdb)."),
    assumptions: Optional[Path] = typer.Option(None, help="TOML file overriding flows/assumptions.toml."),
    wait: float = typer.Option(0.0, help="Seconds to wait for a running refresh before giving up (exit 3)."),
    offline: bool = typer.Option(False, "--offline", help="No network: every public source uses its newest snapshot."),
    source: Optional[List[str]] = typer.Option(None, "--source", help="Refresh only this public source (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON on stdout (for cron and CI)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only errors (and the JSON summary with --json)."),
    allow_empty: bool = typer.Option(False, "--allow-empty", help="Publish even when the curated folder is missing "
                                     "or empty, or every curated program would be removed (refused otherwise)."),
) -> None:
    """Ingest curated files and public sources, validate, load and publish the warehouse.

    Exit codes: 0 published; 1 the refresh failed or was refused (the published warehouse and
    reports are unchanged); 3 another refresh holds the lock (see --wait).
    """
    from flows import preflight, progress
    from flows.warehouse import RefreshLocked, lock_holder

    published = warehouse or settings.warehouse_path()
    holder = lock_holder(published)
    if holder and wait <= 0:  # fast, clear answer before starting Prefect; the flow's lock stays authoritative
        typer.echo(f"error: another refresh is running on {published} ({holder}); "
                   "wait for it or pass --wait SECONDS", err=True)
        raise typer.Exit(3)
    try:  # the flow checks again (authoritative); here the answer comes before Prefect's start-up
        preflight.check_sources(list(source) if source else None)
        preflight.check_curated_folder(curated or settings.curated_dir(), allow_empty)
    except (preflight.RefusedToPublish, preflight.UnknownSource) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1)
    if quiet:
        os.environ["PREFECT_LOGGING_LEVEL"] = "ERROR"
    with _prefect_api(tip=not (quiet or as_json)):
        from flows.refresh import ReportsFailed, refresh as refresh_flow

        previous = progress.install(progress.terminal_reporter(quiet=quiet))
        try:
            summary = refresh_flow(curated_folder=str(curated) if curated else None,
                                   warehouse_path=str(warehouse) if warehouse else None,
                                   assumptions_file=str(assumptions) if assumptions else None, wait_seconds=wait,
                                   offline=offline, sources=list(source) if source else None,
                                   allow_empty=allow_empty)
        except RefreshLocked as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(3)
        except (ReportsFailed, preflight.RefusedToPublish, preflight.UnknownSource) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1)
        except Exception as exc:
            typer.echo(f"error: refresh failed, the published warehouse is unchanged: {type(exc).__name__}: {exc}",
                       err=True)
            raise typer.Exit(1)
        except BaseException as exc:  # SIGTERM (ours, or Prefect's TerminationSignal) and Ctrl-C: one line
            if isinstance(exc, KeyboardInterrupt):
                typer.echo("error: refresh interrupted (a warehouse is published only as a whole)", err=True)
                raise typer.Exit(130)
            if isinstance(exc, _Terminated) or type(exc).__name__ == "TerminationSignal":
                typer.echo("error: refresh stopped by SIGTERM (a warehouse is published only as a whole)", err=True)
                raise typer.Exit(143)
            raise
        finally:
            progress.install(previous).close()
    if as_json:
        typer.echo(json.dumps(summary, default=str, indent=2))
    elif not quiet:
        _print_summary(summary)
    if not quiet:
        for line in summary.get("run_warnings") or []:
            typer.echo(f"warning: {line}", err=True)


class _Terminated(SystemExit):
    """SIGTERM, turned into an exception so that clean-up (build file, temporary server) runs."""


def _on_sigterm(signum, frame) -> None:
    raise _Terminated(128 + signum)


@contextmanager
def _prefect_api(tip: bool) -> Iterator[None]:
    """The Prefect API of one refresh: PREFECT_API_URL when set, else a private temporary server.

    The private server is this process's child and dies with it, even when this process is
    killed (``flows.prefect_server``); SIGTERM stops the refresh through its clean-up path.
    """
    import signal

    from flows import prefect_server

    previous_handler = signal.signal(signal.SIGTERM, _on_sigterm)
    server = None
    try:
        if not os.environ.get("PREFECT_API_URL"):
            timeout = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS",
                                           settings.EPHEMERAL_STARTUP_TIMEOUT_SECONDS))
            try:
                server = prefect_server.start(timeout)
            except prefect_server.ServerStartError as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(1)
            os.environ["PREFECT_API_URL"] = server.api_url
            if tip:
                typer.echo(f"tip: `make server` and PREFECT_API_URL=http://127.0.0.1:4200/api make refreshes start "
                           f"{server.startup_seconds:.0f} s faster (Prefect's temporary server took that long)",
                           err=True)
        yield
    finally:
        if server is not None:
            server.stop()
            os.environ.pop("PREFECT_API_URL", None)
        signal.signal(signal.SIGTERM, previous_handler)


@app.command()
def validate(
    files: List[Path] = typer.Argument(..., help="Curated files (CSV, XLSX, JSON Lines)."),
    programs: Optional[Path] = typer.Option(None, help="Folder whose programs files define known program ids "
                                            "(default data/raw/curated) when FILES include none."),
) -> None:
    """Check curated files without loading anything; print every problem. Exit 1 if any.

    Runs each file's row rules, then the rules across files (duplicate records and people,
    unknown programs) in a throw-away in-memory database.
    """
    from flows import validation

    try:
        report = validation.validate_paths(files, programs or settings.curated_dir())
    except Exception as exc:  # noqa: BLE001 -- a message, not a traceback (its text may quote a file's cells)
        typer.echo(f"error: validation could not finish: {type(exc).__name__}", err=True)
        raise typer.Exit(2)
    for line in report.lines:
        typer.echo(line)
    if report.problems:
        typer.echo(f"{report.problems} problem(s) in {len(files)} file(s)", err=True)
        raise typer.Exit(1)


@app.command()
def docs() -> None:
    """Regenerate docs/data_dictionary.md (and the curated template) from schemas/, docs/configuration.md from flows/config.py."""
    from flows.config import write_reference
    from schemas.generate import write_data_dictionary, write_template

    typer.echo(f"wrote {write_data_dictionary()}")
    typer.echo(f"wrote {write_template()}")
    typer.echo(f"wrote {write_reference()}")


# --------------------------------------------------------------------------- researcher access


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _emit(result, fmt: str, output: Optional[Path]) -> None:
    from flows import query as q

    text = {"table": q.format_table, "csv": q.format_csv, "json": q.format_json}[fmt](result)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {len(result.rows)} rows to {output}", err=True)
    else:
        typer.echo(text, nl=False)


@app.command()
def sql(
    query: Optional[str] = typer.Argument(None, help="SQL to run (read-only)."),
    file: Optional[Path] = typer.Option(None, "--file", "-f", help="Read the SQL from this file."),
    fmt: str = typer.Option("table", "--format", help="table | csv | json | parquet (parquet needs --output)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the result to this file."),
    warehouse: Optional[Path] = typer.Option(None, help="Warehouse file (default data/warehouse/outcomes.duckdb)."),
) -> None:
    """Run a read-only SQL query on the published warehouse (never blocks or is blocked by a refresh).

    Writes (INSERT, UPDATE, DELETE, CREATE, DROP, ATTACH, COPY, INSTALL, LOAD, SET, ...) and reading
    other files are refused. CSV output prefixes a quote to text cells starting with = + - @.
    """
    import duckdb

    from flows import query as q

    if fmt not in q.FORMATS:
        _fail(f"unknown format {fmt!r}; use one of {', '.join(q.FORMATS)}")
    if (query is None) == (file is None):
        _fail("give either a query or --file FILE (not both)")
    if file is not None:
        if not file.is_file():
            _fail(f"no such SQL file: {file}")
        query = file.read_text(encoding="utf-8")
    if fmt == "parquet" and output is None:
        _fail("--format parquet writes a binary file: give --output FILE.parquet")
    try:
        if fmt == "parquet":
            n = q.write_parquet(query, output, warehouse)
            typer.echo(f"wrote {n} rows to {output}", err=True)
        else:
            _emit(q.run_sql(query, warehouse), fmt, output)
    except q.ReadOnlyViolation as exc:
        _fail(str(exc))
    except FileNotFoundError as exc:
        _fail(str(exc))
    except (ValueError, duckdb.Error) as exc:
        _fail(str(exc).strip())


@app.command()
def tables(
    all_tables: bool = typer.Option(False, "--all", help="Include intermediate tables (names starting with _)."),
    fmt: str = typer.Option("table", "--format", help="table | csv | json."),
    warehouse: Optional[Path] = typer.Option(None, help="Warehouse file (default data/warehouse/outcomes.duckdb)."),
) -> None:
    """List the published tables with their layer, row count and description."""
    from flows import query as q

    if fmt not in ("table", "csv", "json"):
        _fail(f"unknown format {fmt!r}; use table, csv or json")
    try:
        _emit(q.published_tables(warehouse, include_intermediate=all_tables), fmt, None)
    except FileNotFoundError as exc:
        _fail(str(exc))


@app.command()
def describe(
    table: str = typer.Argument(..., help="Table name (see `outcomes tables`)."),
    fmt: str = typer.Option("table", "--format", help="table | csv | json."),
    warehouse: Optional[Path] = typer.Option(None, help="Warehouse file (default data/warehouse/outcomes.duckdb)."),
) -> None:
    """Show a table's description, grain, key, warnings and columns (type, unit, description)."""
    from flows import query as q

    if fmt not in ("table", "csv", "json"):
        _fail(f"unknown format {fmt!r}; use table, csv or json")
    try:
        header, result = q.describe_table(table, warehouse)
    except q.UnknownTable as exc:
        _fail(str(exc))
    if fmt == "table":
        typer.echo(header)
    _emit(result, fmt, None)


@app.command()
def export(
    directory: Path = typer.Argument(..., help="Folder to write one file per table into."),
    fmt: str = typer.Option("parquet", "--format", help="parquet | csv."),
    all_tables: bool = typer.Option(False, "--all", help="Include intermediate tables (names starting with _)."),
    public: bool = typer.Option(False, "--public", help="Only the public tables (suppressed out_* tables; no record-level core_* or raw_* table)."),
    warehouse: Optional[Path] = typer.Option(None, help="Warehouse file (default data/warehouse/outcomes.duckdb)."),
) -> None:
    """Export every published table (for R, pandas, polars). CSV text cells starting with = + - @ get a leading '.

    Without --public the export holds restricted record-level tables: for the data steward and approved researchers only."""
    from flows import query as q

    if fmt not in q.EXPORT_FORMATS:
        _fail(f"unknown format {fmt!r}; use parquet or csv")
    if public and all_tables:
        _fail("--public and --all exclude each other (intermediate tables are not public)")
    try:
        written = q.export(directory, fmt, warehouse, include_intermediate=all_tables, public_only=public)
    except FileNotFoundError as exc:
        _fail(str(exc))
    for name, n in written.items():
        typer.echo(f"{directory / f'{name}.{fmt}'}  {n} rows")


@app.command("audit-disclosure")
def audit_disclosure(
    warehouse: Optional[Path] = typer.Option(None, help="Warehouse file (default data/warehouse/outcomes.duckdb)."),
    assumptions: Optional[Path] = typer.Option(None, help="TOML file overriding flows/assumptions.toml."),
    sample: Optional[int] = typer.Option(None, help="Check a random sample of this many relation groups (default: all)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Try to undo the suppression of the public tables (integer programming); exit 1 if any withheld count is pinned.

    For every public cell with withheld counts: the feasible range of each withheld count given everything published
    about the cell and its relatives; it must be at least [suppression] protection_width wide (docs/METHODOLOGY.md)."""
    import json as _json

    from flows import query as q
    from flows.config import load_assumptions
    from flows.stats import audit as au
    from flows.stats.suppression import min_cell_size

    a = load_assumptions(assumptions) if assumptions else load_assumptions()
    width = au.protection_width(a)
    try:
        con = q.connect(warehouse)
    except FileNotFoundError as exc:
        _fail(str(exc))
    try:
        frames, programs = au.read_public(con, assumptions=a)
    finally:
        con.close()
    res = au.audit_frames(frames, programs, width, small=min_cell_size(a), sample=sample)
    row = au.audit_row(res, width, min_cell_size(a)).iloc[0].to_dict()
    row["audited_at"] = str(row["audited_at"])
    row["exposed"] = [dict(relation=r, cell=list(map(str, c)), column=col, width=w) for r, c, col, w in res.exposed[:50]]
    if as_json:
        typer.echo(_json.dumps(row, indent=2, default=str))
    else:
        typer.echo(f"groups checked {res.groups_checked}, cells with withheld counts {res.cells_checked}, withheld counts "
                   f"{res.withheld_values}, minimum protection width {res.min_width} (required {width}), "
                   f"exposed {len(res.exposed)}: {'PASS' if res.passed else 'FAIL'}")
        for r in row["exposed"][:20]:
            typer.echo(f"  exposed: {r['column']} of {'/'.join(r['cell'])} (range width {r['width']}, via {r['relation']})")
    raise typer.Exit(0 if res.passed else 1)


# --------------------------------------------------------------------------- scheduling


@app.command()
def serve(
    cron: str = typer.Option("0 6 * * 1", help="Cron schedule (default: Mondays 06:00)."),
    timezone: str = typer.Option("UTC", "--timezone", help="IANA timezone of the cron schedule."),
    name: str = typer.Option("scheduled-refresh", help="Deployment name (shown in the Prefect UI)."),
    curated: Optional[Path] = typer.Option(None, help="Folder of curated files (default data/raw/curated)."),
    warehouse: Optional[Path] = typer.Option(None, help="Warehouse file (default data/warehouse/outcomes.duckdb)."),
    assumptions: Optional[Path] = typer.Option(None, help="TOML file overriding flows/assumptions.toml."),
    wait: float = typer.Option(900.0, help="Seconds a scheduled run waits for a refresh already running."),
    paused: bool = typer.Option(False, help="Register the schedule paused."),
    offline: bool = typer.Option(True, "--offline/--online", help="Scheduled runs use the newest snapshots "
                                 "(default) or fetch every public source (--online; needs the network)."),
) -> None:
    """Serve the refresh flow on a cron schedule against the Prefect server in PREFECT_API_URL.

    Runs until stopped (Ctrl-C or SIGTERM). Start a server first, e.g. `make server`, then
    `PREFECT_API_URL=http://127.0.0.1:4200/api outcomes serve`. Scheduled runs are offline
    unless --online is given.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from flows.scheduling import deployment_parameters, validate_cron

    api = os.environ.get("PREFECT_API_URL")
    if not api:
        _fail("PREFECT_API_URL is not set: `outcomes serve` needs a running Prefect server, because the temporary "
              "one dies with this process and takes the schedule with it. Start one (`make server`) and run "
              "`PREFECT_API_URL=http://127.0.0.1:4200/api outcomes serve`.")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        _fail(f"unknown timezone {timezone!r} (use an IANA name such as UTC or America/New_York)")
    try:
        validate_cron(cron)
    except ValueError as exc:
        _fail(str(exc))
    from flows.prefect_server import server_answers

    problem = server_answers(api)
    if problem:
        _fail(f"no Prefect server answers at {api} ({problem}): start one (`make server`) or fix PREFECT_API_URL")
    if _USER_LOG_LEVEL is None:
        os.environ["PREFECT_LOGGING_LEVEL"] = "INFO"  # the runs' logs are what the UI shows
    from flows.scheduling import serve_refresh

    params = deployment_parameters(curated, warehouse, assumptions, wait, offline)
    typer.echo(f"serving deployment refresh/{name}: cron {cron!r} ({timezone}), "
               f"{'offline' if offline else 'online'}, against {api}", err=True)
    try:
        serve_refresh(name, cron, timezone, params, paused)
    except Exception as exc:  # the server went away during registration: one line, not a traceback
        _fail(f"serving refresh/{name} failed: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}", code=1)


@app.command()
def report(
    warehouse: Optional[Path] = typer.Option(None, help="Warehouse file (default data/warehouse/outcomes.duckdb)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default reports/), replaced as a whole."),
) -> None:
    """Write reports/index.html, one page per program and its JSON, from the published warehouse."""
    from flows.reports import build_reports
    from flows.reports.data import ReportDataError

    try:
        result = build_reports(warehouse, out)
    except (FileNotFoundError, FileExistsError, ReportDataError) as exc:
        _fail(str(exc))
    typer.echo(f"{result.programs} program reports in {result.out_dir} ({result.seconds:.1f} s, "
               f"snapshot {result.warehouse_snapshot_id}); open {result.index}")


def _register_roi() -> None:
    from flows.stats.cli_roi import roi

    app.command("roi")(roi)


_register_roi()


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
