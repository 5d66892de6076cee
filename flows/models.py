"""Named SQL models: run the ``.sql`` files of ``flows/sql/<layer>/`` in order, then their data tests.

Owns the model runner and the code tables' filling. A model is one ``.sql`` file named after the table
it builds (``flows/sql/core/core_programs__programs.sql``): a header comment saying what it builds,
its grain and its parameters, then one or more statements (a pipeline of named CTEs). Its data tests
are declared in the header, one per line, and run right after the model::

    -- test: unique(col[, col...])                       no two rows share the key
    -- test: not_null(col[, col...])                     no NULL in any of the columns
    -- test: accepted_values(col, core_codes__<vocab>)   every non-NULL value is a code of the code table
    -- test: relationships(col, <table>.<col>)           every non-NULL value exists in the other table

Any test may end with ``where <predicate>`` to test only the rows the model owns. A failing test raises
``DataTestError`` naming the model, table, column(s) and offending count. The order of the models is
the explicit list of each layer below (``LAYERS``): one place, read top to bottom.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from schemas.generate import ddl
from schemas.tables.codes import code_table_frames

SQL_DIR = Path(__file__).resolve().parent / "sql"

#: Models of each layer, in the order they run (file stems under flows/sql/<layer>/).
LAYERS: dict[str, tuple[str, ...]] = {
    # Cross-file rules over the staged curated rows, then the core tables and the file counts they give.
    "core": ("_build_failures", "core_ingest__quarantine", "core_programs__programs",
             "core_outcomes__graduate_outcomes", "core_ingest__files"),
}

TEST_KINDS = ("unique", "not_null", "accepted_values", "relationships")
_TEST_LINE = re.compile(r"^--\s*test:\s*(?P<kind>\w+)\((?P<args>[^)]*)\)\s*(?:where\s+(?P<where>.+))?$")


class DataTestError(RuntimeError):
    """A model's data test found offending rows."""


@dataclass(frozen=True)
class DataTest:
    kind: str
    columns: tuple[str, ...]
    reference: str | None = None  # accepted_values: code table; relationships: table.column
    where: str | None = None

    def describe(self) -> str:
        args = ", ".join(self.columns + ((self.reference,) if self.reference else ()))
        return f"{self.kind}({args})" + (f" where {self.where}" if self.where else "")


@dataclass(frozen=True)
class Model:
    name: str  # the table it builds (the file stem)
    layer: str
    sql: str
    tests: tuple[DataTest, ...]

    @property
    def table(self) -> str:
        return self.name

    @property
    def description(self) -> str:
        """The header comment: what the model builds, its grain and parameters (test lines excluded)."""
        lines = []
        for line in self.sql.splitlines():
            if not line.startswith("--"):
                break
            if not _TEST_LINE.match(line.strip()):
                lines.append(line[2:].strip())
        return " ".join(lines)


def parse_test(line: str, model: str = "?") -> DataTest:
    """One ``-- test: kind(args) [where predicate]`` line; ValueError naming the model when malformed."""
    m = _TEST_LINE.match(line.strip())
    if not m or m["kind"] not in TEST_KINDS:
        raise ValueError(f"model {model}: malformed data test {line.strip()!r} "
                         f"(expected -- test: {{{'|'.join(TEST_KINDS)}}}(columns) [where predicate])")
    args = tuple(a.strip() for a in m["args"].split(",") if a.strip())
    where = m["where"].strip() if m["where"] else None
    if m["kind"] in ("accepted_values", "relationships"):
        if len(args) != 2 or (m["kind"] == "relationships" and "." not in args[1]):
            raise ValueError(f"model {model}: {m['kind']} takes a column and "
                             f"{'a code table' if m['kind'] == 'accepted_values' else 'a table.column'}: {line.strip()!r}")
        return DataTest(m["kind"], args[:1], args[1], where)
    if not args:
        raise ValueError(f"model {model}: {m['kind']} needs at least one column: {line.strip()!r}")
    return DataTest(m["kind"], args, None, where)


def load_model(layer: str, name: str) -> Model:
    path = SQL_DIR / layer / f"{name}.sql"
    sql = path.read_text(encoding="utf-8")
    tests = tuple(parse_test(line, name) for line in sql.splitlines() if line.strip().startswith("-- test:"))
    return Model(name, layer, sql, tests)


def _code_key(code_table: str) -> str:
    from schemas.model import TABLES

    return TABLES[code_table].primary_key[0]


def offending_rows(con: duckdb.DuckDBPyConnection, table: str, test: DataTest) -> int:
    """How many rows (for unique: how many keys) of ``table`` break ``test``."""
    scope = f"({test.where})" if test.where else "TRUE"
    if test.kind == "unique":
        cols = ", ".join(test.columns)
        sql = f"SELECT count(*) FROM (SELECT {cols} FROM {table} WHERE {scope} GROUP BY {cols} HAVING count(*) > 1)"
    elif test.kind == "not_null":
        nulls = " OR ".join(f"{c} IS NULL" for c in test.columns)
        sql = f"SELECT count(*) FROM {table} WHERE {scope} AND ({nulls})"
    elif test.kind == "accepted_values":
        col, key = test.columns[0], _code_key(test.reference)
        sql = (f"SELECT count(*) FROM {table} t WHERE {scope} AND t.{col} IS NOT NULL "
               f"AND t.{col} NOT IN (SELECT {key} FROM {test.reference})")
    else:
        col = test.columns[0]
        ref_table, ref_col = test.reference.split(".", 1)
        sql = (f"SELECT count(*) FROM {table} t WHERE {scope} AND t.{col} IS NOT NULL "
               f"AND t.{col} NOT IN (SELECT {ref_col} FROM {ref_table} WHERE {ref_col} IS NOT NULL)")
    return int(con.execute(sql).fetchall()[0][0])


def run_tests(con: duckdb.DuckDBPyConnection, model: Model) -> None:
    """Every data test of ``model``; DataTestError listing each failing one (table, columns, count)."""
    failures = []
    for test in model.tests:
        n = offending_rows(con, model.table, test)
        if n:
            what = "duplicated keys" if test.kind == "unique" else "rows"
            failures.append(f"{model.table}: column {', '.join(test.columns)}: {test.describe()} failed: {n} {what}")
    if failures:
        raise DataTestError(f"model {model.layer}/{model.name}: " + "; ".join(failures))


def run_layer(con: duckdb.DuckDBPyConnection, layer: str) -> dict[str, float]:
    """Run every model of ``layer`` in order, each followed by its data tests; returns seconds per model."""
    timings = {}
    for name in LAYERS[layer]:
        model = load_model(layer, name)
        started = time.perf_counter()
        con.execute(model.sql)
        run_tests(con, model)
        timings[name] = round(time.perf_counter() - started, 4)
    return timings


# --------------------------------------------------------------------------- code tables


def write_code_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create (when missing) and refill every ``core_codes__*`` table from schemas/vocab.py."""
    existing = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    for table, df in code_table_frames().items():
        if table not in existing:
            con.execute(ddl(table))
        else:
            con.execute(f"DELETE FROM {table}")
        view = f"_codes_{table}"
        con.register(view, df)
        try:
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {view}")
        finally:
            con.unregister(view)


def ensure_code_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Make every code table readable on ``con``: a no-op when the warehouse has them (every build writes
    them); otherwise (a warehouse of the public tables only, an in-memory database of core tables) each
    missing one is registered as a view of its rows from schemas/vocab.py, which works on a read-only
    connection too."""
    existing = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    existing |= {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    for table, df in code_table_frames().items():
        if table not in existing:
            con.register(table, df)


def register_code_frame(con: duckdb.DuckDBPyConnection, name: str, df) -> str:
    """A code table built at run time from the configuration (e.g. the counterfactual baselines of
    [roi.baseline_salary_usd]) registered as the view ``name`` for SQL to join; returns ``name``.
    Works on a read-only connection; ``con.unregister(name)`` drops it."""
    if not name.startswith("_codes__"):
        raise ValueError(f"a run-time code table is named _codes__<what>, not {name!r}")
    con.register(name, df)
    return name
