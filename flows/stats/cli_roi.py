"""The ``outcomes roi`` command function (registered on the Typer app in flows/cli.py).

Owns argument checking and printing only; the ranking is ``flows.stats.peers``. Every input is
checked before the warehouse is opened: degrees and fields against the vocabularies of
``schemas/vocab.py`` (with a "did you mean"), salaries against [0, the plausibility bound of
``[salary_plausibility]``], years of experience against [0, ``[peers] max_years_experience``], the
loan rate as a fraction below 1 (or a percentage written with its sign, "7%"). A bad input prints
one line to stderr and exits with code 2; a missing warehouse exits with code 1.
"""

from __future__ import annotations

import difflib
import json
import math
import tomllib
from pathlib import Path
from typing import Optional

import duckdb
import typer

from flows.config import AssumptionError, load_assumptions
from flows.settings import warehouse_path
from flows.stats import roi as roi_fn
from flows.stats.peers import PEER_TABLE, field_docs, format_roi_table, rank_programs_for_person, roi_records
from schemas.model import VOCABULARIES

DEGREES = tuple(VOCABULARIES["prior_degree"].codes)
FIELDS_OF_STUDY = tuple(VOCABULARIES["prior_field"].codes)


class InputError(ValueError):
    """A command-line value that breaks a rule; its message is one line naming the option, value and rule."""


def _fail(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(2)


def _initials(code: str) -> str:
    return "".join(part[0] for part in code.split("_") if part)


def suggest(value: str, choices) -> str | None:
    """The closest choice to a mistyped value: difflib's best match, else a code whose initials it is,
    else a code with a word close to it ("maths" -> math_statistics), else a code it starts."""
    v = value.strip().lower().replace("-", "_").replace(" ", "_")
    close = difflib.get_close_matches(v, choices, n=1, cutoff=0.6)
    if close:
        return close[0]
    by_initials = [c for c in choices if _initials(c) == v.replace("_", "")]
    if len(by_initials) == 1:
        return by_initials[0]
    parts = {part: c for c in choices for part in c.split("_") if len(part) >= 3}
    close = difflib.get_close_matches(v, list(parts), n=1, cutoff=0.75)
    if close:
        return parts[close[0]]
    prefixed = [c for c in choices if c.startswith(v)] if len(v) >= 3 else []
    return prefixed[0] if len(prefixed) == 1 else None


def check_choice(option: str, value: str | None, choices) -> str | None:
    if value is None:
        return None
    if value in choices:
        return value
    hint = suggest(value, choices)
    did = f"did you mean '{hint}'? " if hint else ""
    raise InputError(f"{option} {value!r} is not a known value; {did}choose one of: {', '.join(choices)}")


def parse_number(option: str, value: str | None, lo: float, hi: float, unit: str, rule: str) -> float | None:
    """A number in [lo, hi]; "$62,000" and "62_000" are read as 62000."""
    if value is None:
        return None
    text = value.strip().replace(",", "").replace("_", "").lstrip("$")
    try:
        x = float(text)
    except ValueError:
        raise InputError(f"{option} {value!r} is not a number{unit and f' ({unit})'}") from None
    if not math.isfinite(x) or not lo <= x <= hi:
        raise InputError(f"{option} {value} is out of range: {rule}")
    return x


def parse_loan_rate(value: str | None) -> float | None:
    """An annual rate as a fraction (0.07) or a percentage written with its sign ("7%"); must be below 100%."""
    if value is None:
        return None
    text = value.strip()
    percent = text.endswith("%")
    try:
        x = float(text[:-1] if percent else text)
    except ValueError:
        raise InputError(f"--loan-rate {value!r} is not a number: give a fraction (0.07) or a percentage with its sign (7%)") from None
    if percent:
        x /= 100.0
    if not math.isfinite(x) or x < 0:
        raise InputError(f"--loan-rate {value} is out of range: a rate must be 0 or more")
    if x >= 1:
        raise InputError(f"--loan-rate {value} would be {100 * x:g}% a year: give the rate as a fraction "
                         f"({x / 100:g} for {x:g}%) or with a percent sign ({x:g}%)")
    return x


def check_profile(assumptions: dict, prior_degree, prior_field, prior_salary, years_experience, max_tuition,
                  loan_rate) -> dict:
    """The person's profile from raw option values, or InputError (one line) on the first bad value."""
    cap = roi_fn.max_base_salary_usd(assumptions)
    max_years = float(assumptions["peers"]["max_years_experience"])
    return dict(
        prior_degree=check_choice("--prior-degree", prior_degree, DEGREES),
        prior_field=check_choice("--prior-field", prior_field, FIELDS_OF_STUDY),
        prior_salary=parse_number("--prior-salary", prior_salary, 0, cap, "USD a year",
                                  f"a salary is 0 to {cap:,.0f} USD a year ([salary_plausibility] max_base_salary_usd)"),
        years_experience=parse_number("--years-experience", years_experience, 0, max_years, "years",
                                      f"years of experience are 0 to {max_years:g} ([peers] max_years_experience)"),
        max_tuition=parse_number("--max-tuition", max_tuition, 0, math.inf, "USD", "a tuition limit is 0 USD or more"),
        loan_rate=parse_loan_rate(loan_rate),
    )


def _help() -> str:
    lines = ["Rank programs for someone with your background by expected payback and NPV.",
             "",
             "Computed from the published peer table out_peers__program_peer_groups (no record-level data): "
             "peers are each program's graduates with your prior degree, field and experience (widened until a "
             "published group matches you), or a real public program's completers with published earnings. Payback "
             "probabilities read the peers' salary distribution from its published quartiles (an approximation) "
             "and carry a Wilson interval. Columns of the table and of --json (docs/METHODOLOGY.md, 'People like me'):", ""]
    for key, doc in field_docs(["N"]).items():
        lines += [f"{key}: {doc}", ""]
    lines.append("Bad input prints one line and exits with code 2; no warehouse exits with code 1.")
    return "\n".join(lines)


def roi(
    prior_degree: Optional[str] = typer.Option(None, help=f"Highest degree before the program: {', '.join(DEGREES)}."),
    prior_field: Optional[str] = typer.Option(None, help=f"Field of that degree: {', '.join(FIELDS_OF_STUDY)}."),
    prior_salary: Optional[str] = typer.Option(None, metavar="USD", help="Your current annual base salary in USD, 0 to the plausibility bound (default 1,000,000); else the baseline of your degree."),
    years_experience: Optional[str] = typer.Option(None, metavar="YEARS", help="Years of full-time work experience, 0 to 60."),
    part_time: bool = typer.Option(False, "--part-time", help="Study part-time while working (part-time/self-paced programs only, no forgone earnings)."),
    max_tuition: Optional[str] = typer.Option(None, metavar="USD", help="Leave out programs whose tuition and fees exceed this (USD)."),
    loan_rate: Optional[str] = typer.Option(None, metavar="RATE", help="Your annual loan interest rate as a fraction (0.07) or a percentage with its sign (7%); default: the configured rate of each program's country (none outside the US)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (a list of objects with the fields below) instead of a table."),
    assumptions: Optional[Path] = typer.Option(None, help="TOML file overriding flows/assumptions.toml."),
    warehouse: Optional[Path] = typer.Option(None, help="Warehouse file (default data/warehouse/outcomes.duckdb)."),
) -> None:
    try:
        settings = load_assumptions(assumptions)
    except FileNotFoundError:
        _fail(f"--assumptions {assumptions}: no such file")
    except tomllib.TOMLDecodeError as exc:
        _fail(f"--assumptions {assumptions}: not valid TOML ({exc})")
    except AssumptionError as exc:
        _fail(str(exc))
    try:
        profile = check_profile(settings, prior_degree, prior_field, prior_salary, years_experience, max_tuition, loan_rate)
    except InputError as exc:
        _fail(str(exc))
    profile["part_time"] = part_time
    path = warehouse or warehouse_path()
    if not Path(path).exists():
        typer.echo(f"No warehouse at {path}: run `outcomes refresh` first.", err=True)
        raise typer.Exit(1)
    con = duckdb.connect(str(path), read_only=True)
    try:
        if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [PEER_TABLE]).fetchone()[0]:
            typer.echo(f"The warehouse at {path} has no {PEER_TABLE} (built by an older version): run "
                       "`outcomes refresh` first.", err=True)
            raise typer.Exit(1)
        df = rank_programs_for_person(con, profile, settings)
    finally:
        con.close()
    typer.echo(json.dumps(roi_records(df), indent=2) if as_json else format_roi_table(df))


roi.__doc__ = _help()
