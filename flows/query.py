"""Researcher access to the published warehouse: read-only SQL, table listings, exports.

Owns every read a person makes through the ``outcomes`` command line (``sql``, ``tables``,
``describe``, ``export``). It never writes the warehouse and never takes the refresh lock:
it opens the published file read-only, so it works while a refresh builds the next
snapshot (the refresh writes a private file and swaps it in atomically).

Safety of ``outcomes sql``, in three layers:

1. the connection is read-only (DuckDB refuses every write to the warehouse);
2. external access is disabled on it (``enable_external_access=false``): the query cannot
   read or write other files (``read_csv('/etc/passwd')``, ``COPY ... TO``), ``ATTACH``
   other databases, or ``INSTALL``/``LOAD`` extensions;
3. before anything runs, every statement is parsed and must be a query (SELECT / WITH /
   FROM / DESCRIBE / SHOW / SUMMARIZE / EXPLAIN); anything else fails with ``ReadOnlyViolation``
   naming the statement, and nothing is executed.

CSV output (``sql --format csv`` and ``export --format csv``) neutralises spreadsheet formula
injection: a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is written with a leading single quote (``'=HYPERLINK(...)``), as OWASP recommends. Numbers,
dates and booleans are never changed; Parquet and JSON are written as they are.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from flows import settings
from schemas import FIELDS, TABLES
from schemas.model import LAYERS, USAGE_WARNINGS

FORMATS = ("table", "csv", "json", "parquet")
EXPORT_FORMATS = ("parquet", "csv")
ALLOWED_STATEMENTS = {"SELECT", "EXPLAIN"}  # DESCRIBE, SHOW, SUMMARIZE, FROM-first parse as SELECT
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class ReadOnlyViolation(ValueError):
    """A statement that could change something was given to a read-only command."""


class UnknownTable(KeyError):
    def __str__(self) -> str:  # KeyError quotes its message; show it plainly
        return str(self.args[0])


@dataclass
class Result:
    """A query's result: column names, DuckDB types and rows (Python values)."""

    columns: list[str]
    types: list[str]
    rows: list[tuple]


# --------------------------------------------------------------------------- connections


def connect(path: Path | None = None, external_access: bool = False) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse, external file access off by default.

    Each call opens the file anew and sees the snapshot published at that moment; a
    connection kept open keeps seeing its own snapshot even after a refresh. Close it.
    """
    path = Path(path) if path else settings.warehouse_path()
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `outcomes refresh` (or `make run`) first")
    config = {} if external_access else {"enable_external_access": False}
    return duckdb.connect(str(path), read_only=True, config=config)


def check_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    """Split ``sql`` into statements; raise ReadOnlyViolation unless every one is a query."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise ValueError(f"SQL does not parse: {exc}") from None
    if not statements:
        raise ValueError("no SQL statement given")
    out = []
    for i, st in enumerate(statements, 1):
        kind = st.type.name
        if kind not in ALLOWED_STATEMENTS:
            text = " ".join(st.query.split())[:80]
            raise ReadOnlyViolation(
                f"statement {i} is {kind} ({text!r}): the warehouse is read-only here; only queries "
                "(SELECT, WITH, FROM, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN) are allowed. Nothing was run. "
                "The warehouse is rebuilt only by `outcomes refresh`.")
        out.append(st.query)
    return out


def run_sql(sql: str, path: Path | None = None) -> Result:
    """Run read-only SQL (one or more queries; the last one's result is returned)."""
    con = connect(path)
    try:
        statements = check_read_only(con, sql)
        for stmt in statements[:-1]:
            con.execute(stmt).fetchall()
        cur = con.execute(statements[-1])
        columns = [d[0] for d in cur.description]
        types = [str(d[1]) for d in cur.description]
        rows = cur.fetchall()
        return Result(columns, types, rows)
    finally:
        con.close()


# --------------------------------------------------------------------------- formatting


def neutralise(value):
    """Prefix a quote to a text value a spreadsheet would run as a formula; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, float):
        return "NaN" if math.isnan(value) else f"{value:,.6g}" if abs(value) >= 1e15 else f"{value:.6g}"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value)


def _numeric(type_name: str) -> bool:
    t = type_name.upper()
    return any(k in t for k in ("INT", "DOUBLE", "FLOAT", "DECIMAL", "REAL", "NUMERIC", "HUGEINT"))


def format_table(result: Result, max_width: int = 60) -> str:
    """An aligned plain-text table (numbers right-aligned), with a row count."""
    def clip(s: str) -> str:
        s = s.replace("\n", "\\n").replace("\t", " ")
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    cells = [[clip(_cell(v)) for v in row] for row in result.rows]
    widths = [len(c) for c in result.columns]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row)]
    right = [_numeric(t) for t in result.types]

    def line(values):
        return "  ".join(v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right)).rstrip()

    out = [line(result.columns), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in cells]
    n = len(result.rows)
    out.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(out) + "\n"


def format_csv(result: Result) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(result.columns)
    for row in result.rows:
        w.writerow(["" if v is None else neutralise(v) if isinstance(v, str) else
                    v.isoformat() if isinstance(v, (date, datetime)) else v for v in row])
    return buf.getvalue()


def _json_value(v):
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def format_json(result: Result) -> str:
    records = [{c: _json_value(v) for c, v in zip(result.columns, row)} for row in result.rows]
    return json.dumps(records, indent=2, default=str) + "\n"


def write_parquet(sql: str, output: Path, path: Path | None = None) -> int:
    """Run read-only SQL and write its result as Parquet (types kept); return the row count.

    The query runs on the locked-down connection; its result is handed, as a frame, to a
    private in-memory DuckDB that writes the file, casting each column back to the query's
    own type (DATE, DECIMAL, ... survive the trip).
    """
    con = connect(path)
    try:
        statements = check_read_only(con, sql)
        for stmt in statements[:-1]:
            con.execute(stmt).fetchall()
        cur = con.execute(statements[-1])
        types = [str(d[1]) for d in cur.description]
        frame = cur.df()
    finally:
        con.close()
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    writer = duckdb.connect()
    try:
        writer.register("_result", frame)
        select = ", ".join(f'CAST("{c.replace(chr(34), chr(34) * 2)}" AS {t}) AS "{c.replace(chr(34), chr(34) * 2)}"'
                           for c, t in zip(frame.columns, types))
        writer.execute(f"COPY (SELECT {select} FROM _result) TO ? (FORMAT parquet)", [str(output)])
    finally:
        writer.close()
    return len(frame)


# --------------------------------------------------------------------------- tables and columns


def published_tables(path: Path | None = None, include_intermediate: bool = False) -> Result:
    """Tables in the published warehouse: name, layer, rows, description (from the metadata)."""
    con = connect(path)
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name").fetchall()]
        rows = []
        for name in names:
            if name.startswith("_") and not include_intermediate:
                continue
            meta = TABLES.get(name)
            count = con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0]
            layer = meta.layer if meta else name.lstrip("_").split("_", 1)[0]
            rows.append((name, layer, count, meta.description if meta else "(not in the metadata)"))
    finally:
        con.close()
    return Result(["table_name", "layer", "row_count", "description"], ["VARCHAR", "VARCHAR", "BIGINT", "VARCHAR"],
                  rows)


def describe_table(table: str, path: Path | None = None) -> tuple[str, Result]:
    """A table's header text (description, grain, key, warnings) and its columns with metadata."""
    if table not in TABLES:
        close = difflib.get_close_matches(table, list(TABLES), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `outcomes tables` lists them"
        raise UnknownTable(f"unknown table {table!r}{hint}")
    meta = TABLES[table]
    actual: dict[str, str] = {}
    if path is None or Path(path).exists():
        try:
            con = connect(path)
        except FileNotFoundError:
            con = None
        if con is not None:
            try:
                actual = dict(con.execute(
                    "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?",
                    [table]).fetchall())
            finally:
                con.close()
    rows = []
    for name in meta.fields:
        f = FIELDS[name]
        from schemas.model import DUCKDB_TYPES
        rows.append((name, actual.get(name, DUCKDB_TYPES[meta.column_type(name)]), f.unit or "",
                     "yes" if name in meta.not_null else "", f.description, f.constraint_text()))
    header = [f"{table}  ({meta.layer}: {LAYERS[meta.layer]})", meta.description]
    if meta.grain:
        header.append(f"Grain: {meta.grain}")
    if meta.primary_key:
        header.append(f"Primary key: {', '.join(meta.primary_key)}")
    for w in meta.warnings:
        header.append(f"Warning ({w}): {USAGE_WARNINGS[w]}")
    return "\n".join(header) + "\n", Result(
        ["column_name", "type", "unit", "required", "description", "constraints"],
        ["VARCHAR"] * 6, rows)


# --------------------------------------------------------------------------- export


def _text_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, bool]]:
    return [(c, t == "VARCHAR") for c, t in con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table]).fetchall()]


def public_tables(names) -> list[str]:
    """The tables of ``names`` that are public (``access = public`` in schemas/; docs/METHODOLOGY.md, "Disclosure")."""
    from schemas.model import TABLES

    return [n for n in names if n in TABLES and TABLES[n].access == "public"]


def export(directory: Path, fmt: str = "parquet", path: Path | None = None,
           include_intermediate: bool = False, public_only: bool = False) -> dict[str, int]:
    """Write every published table (``public_only``: every public table) to ``directory/<table>.<fmt>``;
    return rows written per table.

    CSV: header row, empty cell for NULL, ISO dates; text cells neutralised against formula
    injection (see the module docstring). Parquet keeps DuckDB's types.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    con = connect(path, external_access=True)  # our own fixed statements only: no user SQL here
    written = {}
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name").fetchall()]
        if public_only:
            names = public_tables(names)
        for name in names:
            if name.startswith("_") and not include_intermediate:
                continue
            target = directory / f"{name}.{fmt}"
            if fmt == "parquet":
                con.execute(f'COPY "{name}" TO ? (FORMAT parquet)', [str(target)])
            else:
                cols = []
                for col, is_text in _text_columns(con, name):
                    q = '"' + col.replace('"', '""') + '"'
                    cols.append(f"CASE WHEN regexp_matches({q}, '^[=+\\-@\\t\\r]') THEN '''' || {q} ELSE {q} END AS {q}"
                                if is_text else q)
                con.execute(f'COPY (SELECT {", ".join(cols)} FROM "{name}") TO ? (FORMAT csv, HEADER true)',
                            [str(target)])
            written[name] = con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0]
    finally:
        con.close()
    return written
