"""Generate Pandera models, DuckDB DDL and the data dictionary from the metadata.

Owns every artefact derived from ``schemas.model`` registries. Nothing here defines a
field or a table; change ``schemas/fields.py`` or ``schemas/tables/`` instead and run
``outcomes docs`` to regenerate ``docs/data_dictionary.md``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

import schemas
from schemas.checks import RULES
from schemas.model import ACCESS, DUCKDB_TYPES, FIELDS, LAYERS, TABLES, USAGE_WARNINGS, VOCABULARIES, Field, Table

PANDAS_TYPES = {
    "string": str,
    "integer": pd.Int64Dtype,
    "number": float,
    "boolean": pd.BooleanDtype,
    "date": pa.DateTime,
    "datetime": pa.DateTime,
}


def _field_kwargs(f: Field, nullable: bool) -> dict:
    kw: dict = {"nullable": nullable}
    if f.vocabulary:
        kw["isin"] = VOCABULARIES[f.vocabulary].values
    if f.min is not None:
        kw["ge"] = f.min
    if f.max is not None:
        kw["le"] = f.max
    if f.pattern:
        kw["str_matches"] = f.pattern
    return kw


def _rule_check(rule_name: str):
    fn, _ = RULES[rule_name]

    def check(cls, df: pd.DataFrame) -> pd.Series:  # noqa: ARG001 (pandera passes the class)
        return fn(df)

    check.__name__ = rule_name
    return pa.dataframe_check(check, name=rule_name)


def build_model(name: str, fields: Iterable[str], not_null: Iterable[str] = (),
                unique: Iterable[str] = (), rules: Iterable[str] = (), strict: bool = True,
                text_only: Iterable[str] = ()) -> type[pa.DataFrameModel]:
    """A Pandera DataFrameModel for the given fields, built from their metadata.

    ``text_only`` columns are checked as text without their value constraints (raw tables).
    """
    fields = list(fields)
    not_null = set(not_null)
    text_only = set(text_only)
    annotations = {}
    attrs: dict = {}
    for fname in fields:
        f = FIELDS[fname]
        if fname in text_only:
            annotations[fname] = Series[str]
            attrs[fname] = pa.Field(nullable=fname not in not_null)
            continue
        annotations[fname] = Series[PANDAS_TYPES[f.type]]
        attrs[fname] = pa.Field(**_field_kwargs(f, nullable=fname not in not_null))
    for rule in rules:
        attrs[f"_rule_{rule}"] = _rule_check(rule)
    config = {"coerce": True, "strict": strict, "name": name}
    if unique:
        config["unique"] = list(unique)
    attrs["__annotations__"] = annotations
    attrs["Config"] = type("Config", (), config)
    attrs["__doc__"] = f"Pandera model generated from schemas metadata for {name}."
    cls_name = "".join(p.title() for p in name.replace("__", "_").split("_") if p) + "Model"
    return type(cls_name, (pa.DataFrameModel,), attrs)


@lru_cache(maxsize=None)
def pandera_model(table_name: str) -> type[pa.DataFrameModel]:
    """The Pandera model of a registered table (typed columns, keys, ranges, enums, rules)."""
    t = TABLES[table_name]
    text_only = [n for n in t.fields if t.column_type(n) != FIELDS[n].type]
    return build_model(t.name, t.fields, t.not_null, t.primary_key, t.checks, text_only=text_only)


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def column_comment(f: Field) -> str:
    bits = [f.description]
    if f.unit:
        bits.append(f"Unit: {f.unit}.")
    c = f.constraint_text()
    if c:
        bits.append(f"Constraint: {c}.")
    return " ".join(bits)


def table_comment(t: Table) -> str:
    bits = [t.description]
    if t.grain:
        bits.append(f"Grain: {t.grain}")
    bits.append(f"Access: {t.access}.")
    if t.primary_key:
        bits.append(f"Key: {', '.join(t.primary_key)}.")
    for w in t.warnings:
        bits.append(f"Warning ({w}): {USAGE_WARNINGS[w]}")
    return " ".join(bits)


def ddl(table_name: str, name: str | None = None) -> str:
    """CREATE TABLE plus COMMENT ON statements for one table (optionally under another name)."""
    t = TABLES[table_name]
    target = name or t.name
    cols = []
    for f in t.field_objects():
        null = " NOT NULL" if f.name in t.not_null else ""
        cols.append(f"    {f.name} {DUCKDB_TYPES[t.column_type(f.name)]}{null}")
    if t.primary_key and t.layer != "raw":
        cols.append(f"    PRIMARY KEY ({', '.join(t.primary_key)})")
    stmts = [f"CREATE TABLE {target} (\n" + ",\n".join(cols) + "\n);"]
    stmts.append(f"COMMENT ON TABLE {target} IS {_sql_str(table_comment(t))};")
    for f in t.field_objects():
        stmts.append(f"COMMENT ON COLUMN {target}.{f.name} IS {_sql_str(column_comment(f))};")
    return "\n".join(stmts)


def all_ddl() -> str:
    return "\n\n".join(ddl(n) for n in TABLES)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def data_dictionary() -> str:
    """The researcher-facing data dictionary (Markdown)."""
    out = [
        "# Data dictionary",
        "",
        "Generated from `schemas/` by `outcomes docs`; do not edit by hand (a test fails when it is stale).",
        "",
        "The warehouse is `data/warehouse/outcomes.duckdb`. Tables are named by layer:",
        "",
    ]
    for layer, desc in LAYERS.items():
        out.append(f"- `{layer}_*`: {desc}.")
    out += ["", "## Access", "", "| access | meaning |", "|---|---|"]
    out += [f"| `{k}` | {_md_escape(v)} |" for k, v in ACCESS.items()]
    out += ["", "`outcomes export --public` writes only the public tables.", ""]
    out += ["## Usage warnings", "", "| warning | meaning |", "|---|---|"]
    out += [f"| `{k}` | {_md_escape(v)} |" for k, v in USAGE_WARNINGS.items()]
    out += ["", "## Vocabularies", ""]
    for v in VOCABULARIES.values():
        out += [f"### `{v.name}`", "", _md_escape(v.description), ""]
        head = ["code", "meaning"] + [f"{std.upper()}" for std in v.mappings]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "---|" * len(head))
        for code, meaning in v.codes.items():
            row = [f"`{code}`", _md_escape(meaning)] + [f"`{m[code]}`" for m in v.mappings.values()]
            out.append("| " + " | ".join(row) + " |")
        out.append("")
    out += _template_section()
    out += ["## Tables", ""]
    for t in sorted(TABLES.values(), key=lambda t: (list(LAYERS).index(t.layer), t.name)):
        out += [f"### `{t.name}`", "", _md_escape(t.description), ""]
        out.append(f"- Layer: `{t.layer}`")
        out.append(f"- Access: `{t.access}`")
        if t.grain:
            out.append(f"- Grain: {t.grain}")
        if t.primary_key:
            out.append(f"- Primary key: {', '.join(f'`{k}`' for k in t.primary_key)}")
        if t.warnings:
            out.append("- Usage warnings: " + ", ".join(f"`{w}`" for w in t.warnings))
        if t.checks:
            out.append("- Row rules: " + "; ".join(f"`{c}` ({RULES[c][1]})" for c in t.checks))
        out += ["", "| column | type | unit | not null | constraints | description |", "|---|---|---|---|---|---|"]
        for f in t.field_objects():
            out.append(
                f"| `{f.name}` | {DUCKDB_TYPES[t.column_type(f.name)]} | {f.unit or ''} | {'yes' if f.name in t.not_null else ''} | "
                f"{_md_escape(f.constraint_text())} | {_md_escape(f.description)} |"
            )
        out.append("")
    return "\n".join(out)


TEMPLATE_EXAMPLES = {
    "programs": {
        "program_id": "msds-example-university", "institution_name": "Example University",
        "program_name": "MS in Data Science", "pathway": "masters", "field_of_study": "data science",
        "cip_code": "30.7001", "modality": "in_person", "pacing": "full_time", "duration_months": "18",
        "tuition_fees_usd": "58000", "city": "Austin", "state_code": "TX", "country_code": "US",
        "program_url": "https://example.edu/msds", "program_source": "program web page, 2025-09-01",
    },
    "outcome_records": {
        "record_id": "example-0001", "program_id": "msds-example-university", "full_name": "Jane Example",
        "email": "jane@example.org", "profile_url": "https://example.org/in/jane", "graduation_date": "2024-05-15",
        "cohort": "2024H1", "prior_degree": "bachelors", "prior_field": "engineering", "prior_role": "Process engineer",
        "prior_salary": "68000", "years_experience": "3", "outcome_status": "employed_full_time_in_field",
        "in_field": "true", "role_category": "data_scientist", "employer_name": "Example Corp",
        "job_start_date": "2024-07-08", "base_salary": "112000", "salary_currency": "USD",
        "source_kind": "graduate_survey", "evidence_url": "https://example.org/in/jane",
        "collected_date": "2024-11-30", "verification_level": "self_reported",
    },
}


def _template_specs():
    from schemas.tables import curated as c
    return {
        "programs": ("TEMPLATE_programs.csv", c.INPUT_PROGRAMS, c.REQUIRED_PROGRAMS),
        "outcome_records": ("TEMPLATE.csv", c.INPUT_OUTCOME_RECORDS, c.REQUIRED_OUTCOME_RECORDS),
    }


def _template_section() -> list[str]:
    out = ["## Curated input templates", "",
           "Researchers curate two kinds of file in `data/raw/curated/` (CSV, XLSX or JSON Lines, UTF-8): "
           "programs files (name starting `programs` or ending `_programs`; template `TEMPLATE_programs.csv`) "
           "and outcome-record files (any other name; template `TEMPLATE.csv`). Column names are "
           "case-insensitive; blank cells are missing values; dates are `YYYY-MM-DD`; booleans `true`/`false`. "
           "Unknown columns are ignored (and noted in the ingest log). PII columns are read only to derive "
           "`person_key` (keyed hash) and `evidence_domain`, and are never stored.", ""]
    for kind, (fname, cols, req) in _template_specs().items():
        out += [f"### `{fname}` ({kind.replace('_', ' ')})", "", "| column | required | type | constraints | description |",
                "|---|---|---|---|---|"]
        for c in cols:
            f = FIELDS[c]
            desc = ("**PII, never stored.** " if f.pii else "") + f.description
            out.append(f"| `{c}` | {'yes' if c in req else ''} | {f.type} | {_md_escape(f.constraint_text())} | {_md_escape(desc)} |")
        out.append("")
    return out


def write_template(folder: Path | None = None) -> Path:
    """Write the curated templates (header plus one example row) from the metadata."""
    import csv

    folder = folder or Path(__file__).resolve().parent.parent / "data" / "raw" / "curated"
    folder.mkdir(parents=True, exist_ok=True)
    for kind, (fname, cols, _) in _template_specs().items():
        with open(folder / fname, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(cols)
            w.writerow([TEMPLATE_EXAMPLES[kind][c] for c in cols])
    return folder / "TEMPLATE.csv"


DICTIONARY_PATH = Path(__file__).resolve().parent.parent / "docs" / "data_dictionary.md"


def write_data_dictionary(path: Path = DICTIONARY_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data_dictionary(), encoding="utf-8")
    return path


__all__ = ["build_model", "pandera_model", "ddl", "all_ddl", "data_dictionary", "write_data_dictionary", "write_template", "schemas"]
