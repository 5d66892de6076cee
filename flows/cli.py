"""The ``outcomes`` command line (Typer).

Owns argument parsing and printing only; every command calls plain functions or the
Prefect flow. Environment defaults (offline Prefect, project-local state) are applied
before Prefect is imported.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from flows import settings

settings.apply_env_defaults()

app = typer.Typer(help="alumni-outcomes: graduate outcomes, salaries, costs and payback.", no_args_is_help=True,
                  add_completion=False)


def _print_summary(summary: dict) -> None:
    typer.echo("Refresh finished")
    typer.echo(f"  run id              {summary['run_id']}")
    typer.echo(f"  warehouse           {summary['warehouse']} (snapshot {summary['warehouse_snapshot_id']})")
    typer.echo(f"  files               {summary['files_seen']} seen, {summary['files_read']} read, "
               f"{summary['files_rejected']} rejected")
    typer.echo(f"  rows                {summary['rows_read']} read = {summary['rows_loaded']} loaded + "
               f"{summary['rows_quarantined']} quarantined")
    typer.echo(f"  programs, cohorts   {summary['programs_count']} programs, {summary['cohorts_count']} program cohorts")
    typer.echo("  public sources      " + ", ".join(f"{k} ({v})" for k, v in summary.get("sources", {}).items()))
    typer.echo(f"  elapsed             {summary['elapsed_seconds']:.1f} s")
    if summary["rows_quarantined"]:
        typer.echo("  quarantined rows:   outcomes sql \"SELECT source_file, source_row_number, failed_rules "
                   "FROM core_ingest__quarantine\"")


@app.command()
def refresh(
    curated: Optional[Path] = typer.Option(None, help="Folder of curated files (default data/raw/curated)."),
    warehouse: Optional[Path] = typer.Option(None, help="Warehouse file (default data/warehouse/outcomes.duckdb)."),
    assumptions: Optional[Path] = typer.Option(None, help="TOML file overriding flows/assumptions.toml."),
    wait: float = typer.Option(0.0, help="Seconds to wait for a running refresh before giving up."),
    offline: bool = typer.Option(False, "--offline", help="No network: every public source uses its newest snapshot."),
    source: Optional[List[str]] = typer.Option(None, "--source", help="Refresh only this public source (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Ingest curated files and public sources, validate, load and publish the warehouse."""
    from flows.refresh import refresh as refresh_flow
    from flows.warehouse import RefreshLocked

    try:
        summary = refresh_flow(curated_folder=str(curated) if curated else None,
                               warehouse_path=str(warehouse) if warehouse else None,
                               assumptions_file=str(assumptions) if assumptions else None, wait_seconds=wait,
                               offline=offline, sources=list(source) if source else None)
    except RefreshLocked as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(3)
    if as_json:
        typer.echo(json.dumps(summary, default=str, indent=2))
    else:
        _print_summary(summary)


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

    report = validation.validate_paths(files, programs or settings.curated_dir())
    for line in report.lines:
        typer.echo(line)
    if report.problems:
        typer.echo(f"{report.problems} problem(s) in {len(files)} file(s)", err=True)
        raise typer.Exit(1)


@app.command()
def docs() -> None:
    """Regenerate docs/data_dictionary.md (and the curated template) from schemas/."""
    from schemas.generate import write_data_dictionary, write_template

    typer.echo(f"wrote {write_data_dictionary()}")
    typer.echo(f"wrote {write_template()}")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
