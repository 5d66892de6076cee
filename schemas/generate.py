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
from schemas.model import FIELDS, LAYERS, TABLES, USAGE_WARNINGS, VOCABULARIES, Field, Table

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
                unique: Iterable[str] = (), rules: Iterable[str] = (), strict: bool = True) -> type[pa.DataFrameModel]:
    """A Pandera DataFrameModel for the given fields, built from their metadata."""
    fields = list(fields)
    not_null = set(not_null)
    annotations = {}
    attrs: dict = {}
    for fname in fields:
        f = FIELDS[fname]
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
    return build_model(t.name, t.fields, t.not_null, t.primary_key, t.checks)


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
        cols.append(f"    {f.name} {f.duckdb_type}{null}")
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
    out += ["", "## Usage warnings", "", "| warning | meaning |", "|---|---|"]
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
    out += ["## Tables", ""]
    for t in sorted(TABLES.values(), key=lambda t: (list(LAYERS).index(t.layer), t.name)):
        out += [f"### `{t.name}`", "", _md_escape(t.description), ""]
        out.append(f"- Layer: `{t.layer}`")
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
                f"| `{f.name}` | {f.duckdb_type} | {f.unit or ''} | {'yes' if f.name in t.not_null else ''} | "
                f"{_md_escape(f.constraint_text())} | {_md_escape(f.description)} |"
            )
        out.append("")
    return "\n".join(out)


DICTIONARY_PATH = Path(__file__).resolve().parent.parent / "docs" / "data_dictionary.md"


def write_data_dictionary(path: Path = DICTIONARY_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data_dictionary(), encoding="utf-8")
    return path


__all__ = ["build_model", "pandera_model", "ddl", "all_ddl", "data_dictionary", "write_data_dictionary", "schemas"]
