"""The ``outcomes roi`` command function (the lead registers it on the Typer app in flows/cli.py).

Owns argument handling and printing only; the ranking is ``flows.stats.peers``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import duckdb
import typer

from flows.config import load_assumptions
from flows.settings import warehouse_path
from flows.stats.peers import format_roi_table, rank_programs_for_person, roi_records


def roi(
    prior_degree: Optional[str] = typer.Option(None, help="Highest degree before the program (e.g. bachelors)."),
    prior_field: Optional[str] = typer.Option(None, help="Field of that degree (e.g. business)."),
    prior_salary: Optional[float] = typer.Option(None, help="Your current annual salary in USD (else a baseline by degree)."),
    years_experience: Optional[float] = typer.Option(None, help="Years of full-time work experience."),
    part_time: bool = typer.Option(False, "--part-time", help="Study part-time while working (part-time/self-paced programs only, no forgone earnings)."),
    max_tuition: Optional[float] = typer.Option(None, help="Leave out programs whose tuition and fees exceed this (USD)."),
    loan_rate: Optional[float] = typer.Option(None, help="Annual loan interest rate as a ratio (default [roi] loan_rate)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (a list of objects) instead of a table."),
    assumptions: Optional[Path] = typer.Option(None, help="TOML file overriding flows/assumptions.toml."),
    warehouse: Optional[Path] = typer.Option(None, help="Warehouse file (default data/warehouse/outcomes.duckdb)."),
) -> None:
    """Rank programs for someone with your background by expected payback and NPV."""
    path = warehouse or warehouse_path()
    if not Path(path).exists():
        typer.echo(f"No warehouse at {path}: run `outcomes refresh` first.", err=True)
        raise typer.Exit(1)
    profile = dict(prior_degree=prior_degree, prior_field=prior_field, prior_salary=prior_salary,
                   years_experience=years_experience, part_time=part_time, max_tuition=max_tuition, loan_rate=loan_rate)
    con = duckdb.connect(str(path), read_only=True)
    try:
        df = rank_programs_for_person(con, profile, load_assumptions(assumptions))
    finally:
        con.close()
    typer.echo(json.dumps(roi_records(df), indent=2) if as_json else format_roi_table(df))
