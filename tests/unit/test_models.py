"""The named SQL model runner (flows/models.py): model files, data tests, code tables."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from flows import models
from flows.models import DataTest, DataTestError, Model, parse_test
from schemas.generate import ddl
from schemas.tables.codes import code_table_frames


def test_every_model_file_of_every_layer_exists_with_header_grain_and_tests():
    for layer, names in models.LAYERS.items():
        assert len(set(names)) == len(names), f"layer {layer} lists a model twice"
        for name in names:
            m = models.load_model(layer, name)
            assert m.sql.startswith(f"-- {name}"), f"{layer}/{name}.sql must open by naming the table it builds"
            assert "Grain:" in m.description and "Parameters:" in m.description, name
            assert m.tests, f"{layer}/{name}.sql declares no data test"


@pytest.mark.parametrize("line, expected", [
    ("-- test: unique(a, b)", DataTest("unique", ("a", "b"))),
    ("-- test: not_null(a) where kind = 'x'", DataTest("not_null", ("a",), None, "kind = 'x'")),
    ("-- test: accepted_values(s, core_codes__outcome_status)", DataTest("accepted_values", ("s",), "core_codes__outcome_status")),
    ("-- test: relationships(p, t.p)", DataTest("relationships", ("p",), "t.p")),
])
def test_parse_test(line, expected):
    assert parse_test(line) == expected


@pytest.mark.parametrize("line", ["-- test: distinct(a)", "-- test: unique()", "-- test: relationships(p, t)",
                                  "-- test: accepted_values(a)"])
def test_malformed_data_test_is_refused_naming_the_model(line):
    with pytest.raises(ValueError, match="model m1"):
        parse_test(line, "m1")


@pytest.fixture()
def con():
    c = duckdb.connect()
    c.execute("CREATE TABLE parent(id VARCHAR)")
    c.execute("INSERT INTO parent VALUES ('p1'), ('p2')")
    c.execute("CREATE TABLE child(id VARCHAR, parent_id VARCHAR, outcome_status VARCHAR, kind VARCHAR)")
    c.execute("""INSERT INTO child VALUES ('a', 'p1', 'unknown', 'x'), ('a', 'p9', 'no_such_status', 'y'),
                                         ('b', NULL, NULL, 'x'), ('c', 'p9', 'unknown', 'x')""")
    models.write_code_tables(c)
    yield c
    c.close()


@pytest.mark.parametrize("test, count", [
    (DataTest("unique", ("id",)), 1),
    (DataTest("unique", ("id",), None, "kind = 'x'"), 0),
    (DataTest("not_null", ("parent_id", "outcome_status")), 1),
    (DataTest("accepted_values", ("outcome_status",), "core_codes__outcome_status"), 1),
    (DataTest("relationships", ("parent_id",), "parent.id"), 2),
    (DataTest("relationships", ("parent_id",), "parent.id", "kind = 'x'"), 1),
])
def test_offending_rows_counts_what_each_test_forbids(con, test, count):
    assert models.offending_rows(con, "child", test) == count


def test_failing_data_test_names_model_table_column_and_count(con):
    model = Model("child", "core", "-- child", (DataTest("unique", ("id",)),
                                              DataTest("relationships", ("parent_id",), "parent.id")))
    with pytest.raises(DataTestError) as err:
        models.run_tests(con, model)
    text = str(err.value)
    assert "model core/child" in text
    assert "column id: unique(id) failed: 1 duplicated keys" in text
    assert "column parent_id: relationships(parent_id, parent.id) failed: 2 rows" in text


def test_passing_data_tests_raise_nothing(con):
    models.run_tests(con, Model("parent", "core", "-- parent", (DataTest("unique", ("id",)), DataTest("not_null", ("id",)))))


def test_code_tables_are_written_whole_and_rewriting_them_changes_nothing(con):
    before = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in code_table_frames()}
    models.write_code_tables(con)
    after = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in code_table_frames()}
    assert before == after
    for table, df in code_table_frames().items():
        assert len(before[table]) == len(df) > 0, table


def test_missing_code_tables_are_readable_on_a_read_only_warehouse(tmp_path):
    path = tmp_path / "w.duckdb"
    w = duckdb.connect(str(path))
    w.execute(ddl("core_programs__programs"))
    w.close()
    ro = duckdb.connect(str(path), read_only=True)
    try:
        models.ensure_code_tables(ro)
        rank = ro.execute("SELECT verification_rank FROM core_codes__verification_level "
                          "WHERE verification_level = 'documented'").fetchall()
        assert rank == [(0,)]
    finally:
        ro.close()


def test_run_time_code_tables_are_named_as_such(con):
    with pytest.raises(ValueError, match="_codes__"):
        models.register_code_frame(con, "baselines", pd.DataFrame({"a": [1]}))
    name = models.register_code_frame(con, "_codes__x", pd.DataFrame({"a": [1]}))
    assert con.execute(f"SELECT a FROM {name}").fetchall() == [(1,)]
