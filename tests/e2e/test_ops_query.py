"""Researcher access: read-only SQL, formats, tables/describe, export round-trip, example queries."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows import query as q
from flows.cli import app
from tests.e2e.ops_support import ROOT
from schemas import TABLES

QUERIES = sorted((ROOT / "docs" / "queries").glob("*.sql"))
runner = CliRunner()


def fingerprint(path: Path) -> dict:
    """Every table's row count and content hash, plus the file's own hash."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        out = {n: con.execute(f"SELECT count(*), md5(coalesce(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR), '')) "
                              f"FROM {n} t").fetchall()[0] for n in names}
    finally:
        con.close()
    out["_file_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def sql_cli(warehouse: Path, *args: str):
    return runner.invoke(app, ["sql", *args, "--warehouse", str(warehouse)])


WRITES = [
    "INSERT INTO core_programs__programs (program_id) VALUES ('x')",
    "UPDATE core_programs__programs SET tuition_fees_usd = 0",
    "DELETE FROM core_outcomes__graduate_outcomes",
    "CREATE TABLE evil AS SELECT 1",
    "CREATE TEMP TABLE scratch AS SELECT 1",
    "DROP TABLE core_programs__programs",
    "ALTER TABLE core_programs__programs ADD COLUMN x INTEGER",
    "ATTACH '/tmp/other.duckdb' AS other",
    "COPY core_programs__programs TO '/tmp/ops-leak.csv'",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET threads = 1",
    "SELECT 1; DELETE FROM core_programs__programs",
    "CHECKPOINT",
]


@pytest.mark.parametrize("statement", WRITES)
def test_sql_refuses_writes_and_changes_nothing(built_warehouse, statement):
    warehouse, _ = built_warehouse
    before = fingerprint(warehouse)
    result = sql_cli(warehouse, statement)
    assert result.exit_code == 2
    assert "read-only" in result.output and "Nothing was run" in result.output
    assert fingerprint(warehouse) == before
    assert not Path("/tmp/ops-leak.csv").exists()


def test_sql_cannot_read_other_files(built_warehouse, tmp_path):
    warehouse, _ = built_warehouse
    secret = tmp_path / "secret.csv"
    secret.write_text("a,b\n1,2\n")
    result = sql_cli(warehouse, f"SELECT * FROM read_csv('{secret}')")
    assert result.exit_code == 2
    assert "disabled by configuration" in result.output
    with pytest.raises(duckdb.Error):
        q.run_sql(f"SELECT * FROM '{secret}'", warehouse)


def test_sql_formats(built_warehouse, tmp_path):
    warehouse, _ = built_warehouse
    sql = ("SELECT program_id, pathway, tuition_fees_usd, duration_months FROM core_programs__programs "
           "ORDER BY program_id")
    con = duckdb.connect(str(warehouse), read_only=True)
    expected = con.execute(sql).fetchall()
    con.close()
    assert len(expected) == 8

    table = sql_cli(warehouse, sql)
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[0].split() == ["program_id", "pathway", "tuition_fees_usd", "duration_months"]
    assert lines[-1] == "(8 rows)"
    body = lines[2:-1]
    assert len(body) == 8 and len({len(line) for line in body}) == 1  # aligned (numbers right-aligned at the end)
    assert body[0].split()[0] == expected[0][0]

    out = sql_cli(warehouse, sql, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out.output)))
    assert rows[0] == ["program_id", "pathway", "tuition_fees_usd", "duration_months"]
    assert [(r[0], r[1], float(r[2]), float(r[3])) for r in rows[1:]] == [(a, b, float(c), float(d)) for a, b, c, d in expected]

    out = sql_cli(warehouse, sql, "--format", "json")
    records = json.loads(out.output)
    assert [tuple(r.values()) for r in records] == [tuple(e) for e in expected]

    target = tmp_path / "out" / "programs.parquet"
    out = sql_cli(warehouse, sql, "--format", "parquet", "--output", str(target))
    assert out.exit_code == 0, out.output
    m = duckdb.connect()
    assert m.execute(f"SELECT * FROM read_parquet('{target}')").fetchall() == expected
    types = dict(m.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('{target}'))")
                 .fetchall())
    con = duckdb.connect(str(warehouse), read_only=True)
    source_types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {sql})").fetchall())
    con.close()
    assert types == source_types

    out = sql_cli(warehouse, sql, "--format", "parquet")
    assert out.exit_code == 2 and "--output" in out.output

    qfile = tmp_path / "q.sql"
    qfile.write_text("-- a comment\n" + sql + ";\n")
    out = runner.invoke(app, ["sql", "-f", str(qfile), "--format", "csv", "--warehouse", str(warehouse),
                              "--output", str(tmp_path / "o.csv")])
    assert out.exit_code == 0
    assert list(csv.reader(open(tmp_path / "o.csv")))[1][0] == expected[0][0]


def test_sql_dates_and_nulls_in_parquet(built_warehouse, tmp_path):
    warehouse, _ = built_warehouse
    sql = "SELECT record_id, graduation_date, base_salary_usd, is_in_field FROM core_outcomes__graduate_outcomes"
    n = q.write_parquet(sql, tmp_path / "o.parquet", warehouse)
    m = duckdb.connect()
    back = m.execute(f"SELECT * FROM read_parquet('{tmp_path / 'o.parquet'}') ORDER BY record_id").fetchall()
    con = duckdb.connect(str(warehouse), read_only=True)
    original = con.execute(sql + " ORDER BY record_id").fetchall()
    con.close()
    assert n == len(original) and back == original
    assert any(r[2] is None for r in back)  # NULL salaries stay NULL, never 0


def test_csv_output_neutralises_formulas(built_warehouse):
    warehouse, _ = built_warehouse
    out = sql_cli(warehouse, "SELECT employer_name FROM core_outcomes__graduate_outcomes "
                             "WHERE employer_name LIKE '=%' LIMIT 1", "--format", "csv")
    assert out.output.splitlines()[1].startswith("\"'=HYPERLINK")
    assert q.neutralise("-5") == "'-5" and q.neutralise("@x") == "'@x" and q.neutralise("\tx") == "'\tx"
    assert q.neutralise("ok") == "ok" and q.neutralise(-5) == -5


def test_tables_and_describe(built_warehouse):
    warehouse, _ = built_warehouse
    out = runner.invoke(app, ["tables", "--warehouse", str(warehouse), "--format", "json"])
    assert out.exit_code == 0
    listed = {r["table_name"]: r for r in json.loads(out.output)}
    assert listed["core_outcomes__graduate_outcomes"]["row_count"] == 240
    assert listed["core_outcomes__graduate_outcomes"]["layer"] == "core"
    assert listed["core_programs__programs"]["description"] == TABLES["core_programs__programs"].description
    assert not any(name.startswith("_") for name in listed)
    out = runner.invoke(app, ["tables", "--all", "--warehouse", str(warehouse)])
    assert "_core_curated__outcome_records_staged" in out.output

    out = runner.invoke(app, ["describe", "core_programs__programs", "--warehouse", str(warehouse)])
    assert out.exit_code == 0
    assert "Primary key: program_id" in out.output
    line = next(x for x in out.output.splitlines() if x.startswith("tuition_fees_usd"))
    assert "DOUBLE" in line and "USD" in line
    out = runner.invoke(app, ["describe", "core_program", "--warehouse", str(warehouse)])
    assert out.exit_code == 2 and "did you mean" in out.output
    assert "core_programs__programs" in out.output.split("did you mean", 1)[1]


def _table_rows(con, table):
    return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


def test_export_parquet_round_trip(built_warehouse, tmp_path):
    warehouse, _ = built_warehouse
    out = runner.invoke(app, ["export", str(tmp_path / "pq"), "--format", "parquet", "--warehouse", str(warehouse)])
    assert out.exit_code == 0, out.output
    con = duckdb.connect(str(warehouse), read_only=True)
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE table_name NOT LIKE '\\_%' "
                                        "ESCAPE '\\' ORDER BY 1").fetchall()]
    assert sorted(p.stem for p in (tmp_path / "pq").glob("*.parquet")) == tables
    for t in tables:
        back = con.execute(f"SELECT * FROM read_parquet('{tmp_path / 'pq' / (t + '.parquet')}') ORDER BY ALL").fetchall()
        assert back == _table_rows(con, t), t
    con.close()


def test_export_csv_round_trip(built_warehouse, tmp_path):
    warehouse, _ = built_warehouse
    written = q.export(tmp_path / "csv", "csv", warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    neutralised = 0
    for t, n in written.items():
        cols = con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
                           "ORDER BY ordinal_position", [t]).fetchall()
        spec = "{" + ", ".join(f"'{c}': '{ty}'" for c, ty in cols) + "}"
        text = [c for c, ty in cols if ty == "VARCHAR"]
        undo = ", ".join(
            (f"CASE WHEN regexp_matches({c}, '^''[=+\\-@\\t\\r]') THEN {c}[2:] ELSE {c} END AS {c}" if c in text else c)
            for c, _ in cols)
        path = tmp_path / "csv" / f"{t}.csv"
        back = con.execute(f"SELECT {undo} FROM read_csv('{path}', header = true, columns = {spec}) ORDER BY ALL"
                           ).fetchall()
        assert len(back) == n
        assert back == _table_rows(con, t), t
        neutralised += path.read_text().count("'=HYPERLINK")
    con.close()
    assert neutralised >= 2  # raw and core outcome tables both carry the formula-looking employer name


def test_export_public_writes_only_public_tables(built_warehouse, tmp_path):
    """The public export holds no record-level table: only tables whose metadata says public."""
    from schemas.model import TABLES

    warehouse, _ = built_warehouse
    out = runner.invoke(app, ["export", str(tmp_path / "pub"), "--public", "--warehouse", str(warehouse)])
    assert out.exit_code == 0, out.output
    names = sorted(p.stem for p in (tmp_path / "pub").glob("*.parquet"))
    assert names and all(TABLES[n].access == "public" for n in names)
    assert "core_outcomes__graduate_outcomes" not in names and not any(n.startswith("raw_") for n in names)
    assert "out_outcomes__program_placement" in names
    assert runner.invoke(app, ["export", str(tmp_path / "x"), "--public", "--all", "--warehouse", str(warehouse)]).exit_code == 2


@pytest.mark.parametrize("path", QUERIES, ids=[p.name for p in QUERIES])
def test_example_query(bundled_warehouse, path):
    """Every example query answers its question on the bundled data."""
    warehouse, _ = bundled_warehouse
    text = path.read_text()
    assert re.search(r"^-- Question: .+", text, re.M), "every example query states its question"
    expected = [c.strip() for c in re.search(r"^-- columns: (.+)$", text, re.M).group(1).split(",")]
    result = q.run_sql(text, warehouse)
    assert result.columns == expected
    assert result.rows, f"{path.name} returned no rows on the test data set"


def test_at_least_eight_example_queries():
    assert len(QUERIES) >= 8
