"""The metadata is the single source of truth: generated artefacts agree with it."""

from __future__ import annotations

import csv

import duckdb
import pytest

import schemas
from schemas.generate import all_ddl, data_dictionary, pandera_model, DICTIONARY_PATH, _template_specs
from schemas.vocab import CIRR_CATEGORIES, NACE_CATEGORIES, OUTCOME_STATUSES
from tests.conftest import PROJECT_ROOT


def test_committed_data_dictionary_is_current():
    assert DICTIONARY_PATH.read_text(encoding="utf-8") == data_dictionary(), (
        "docs/data_dictionary.md is stale: run `outcomes docs`"
    )


def test_committed_templates_match_metadata():
    for fname, cols, _ in _template_specs().values():
        with open(PROJECT_ROOT / "data" / "raw" / "curated" / fname, newline="", encoding="utf-8") as fh:
            assert next(csv.reader(fh)) == list(cols)


def test_ddl_creates_every_table_with_comments():
    con = duckdb.connect()
    con.execute(all_ddl())
    names = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert names == set(schemas.TABLES)
    missing = con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal AND (comment IS NULL OR comment = '')").fetchall()
    assert missing == []
    uncommented = con.execute("SELECT table_name FROM duckdb_tables() WHERE comment IS NULL").fetchall()
    assert uncommented == []


@pytest.mark.parametrize("table", sorted(schemas.TABLES))
def test_every_table_has_a_pandera_model(table):
    model = pandera_model(table)
    assert list(model.to_schema().columns) == list(schemas.TABLES[table].fields)


def test_outcome_status_maps_to_exactly_one_category_of_each_standard_and_covers_them():
    vocab = schemas.VOCABULARIES["outcome_status"]
    cirr, nace = vocab.mappings["cirr"], vocab.mappings["nace"]
    assert set(cirr) == set(nace) == set(OUTCOME_STATUSES)
    assert set(cirr.values()) == set(CIRR_CATEGORIES), "every CIRR category must be reachable"
    assert set(nace.values()) == set(NACE_CATEGORIES), "every NACE category must be reachable"
    assert "| `employed_full_time_in_field` |" in data_dictionary()


def test_no_pii_field_in_any_table():
    for t in schemas.TABLES.values():
        pii = [f.name for f in t.field_objects() if f.pii]
        assert pii == [], f"{t.name} carries PII fields {pii}"


def test_every_table_is_named_by_layer():
    for name, t in schemas.TABLES.items():
        assert t.layer in ("raw", "core", "out"), name
        assert "__" in name, name
