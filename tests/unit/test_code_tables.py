"""Code tables from schemas/vocab.py, and the definitions written once (in field, cohort)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

import schemas  # noqa: F401
from schemas.checks import cohort_of
from schemas.generate import pandera_model
from schemas.model import TABLES, VOCABULARIES
from schemas.tables.codes import CODE_TABLES, PREFIX, code_table_frames
from schemas.vocab import (CIRR_CATEGORIES, DATA_ORIGIN_CLASSES, OUTCOME_STATUSES, VERIFICATION_RANK, cirr_in_field,
                           in_field_of_status)

FRAMES = code_table_frames()


def test_every_code_table_is_declared_public_and_keyed_by_its_code():
    for table, df in FRAMES.items():
        t = TABLES[table]
        assert t.layer == "core" and t.access == "public"
        assert list(df.columns) == list(t.fields)
        assert df[t.primary_key[0]].is_unique


@pytest.mark.parametrize("table", sorted(FRAMES))
def test_every_code_table_passes_its_generated_model(table):
    pandera_model(table).validate(FRAMES[table], lazy=True)


def test_vocabulary_code_tables_hold_exactly_the_vocabulary():
    for vocab in CODE_TABLES:
        df = FRAMES[PREFIX + vocab]
        assert list(df[vocab]) == VOCABULARIES[vocab].values
        assert list(df["code_description"]) == list(VOCABULARIES[vocab].codes.values())


def test_outcome_status_table_carries_the_vocabulary_mappings():
    df = FRAMES[PREFIX + "outcome_status"].set_index("outcome_status")
    for status, (_, cirr, nace, in_field) in OUTCOME_STATUSES.items():
        assert df.at[status, "cirr_category"] == cirr and df.at[status, "nace_category"] == nace
        assert (pd.isna(df.at[status, "is_in_field"]) and in_field is None) or df.at[status, "is_in_field"] == in_field


def test_in_field_is_cirr_one_and_out_of_field_is_cirr_two():
    df = FRAMES[PREFIX + "cirr_category"].set_index("cirr_category")
    assert sorted(df.index[df["is_in_field"].fillna(False)]) == ["1A", "1B", "1C", "1D", "1E"]
    assert sorted(df.index[df["is_in_field"].eq(False).fillna(False)]) == ["2A", "2B"]
    assert sorted(df.index[df["is_employed"]]) == ["1A", "1B", "1C", "1D", "1E", "2A", "2B"]
    assert [c for c in CIRR_CATEGORIES if cirr_in_field(c) is None] == ["3A", "3B", "4", "excluded"]


def test_in_field_of_status():
    assert in_field_of_status("employed_full_time_in_field") is True
    assert in_field_of_status("military_service") is False
    assert in_field_of_status("seeking_employment") is None
    assert in_field_of_status("no_such_status") is None
    assert in_field_of_status(None) is None


def test_verification_ranks_and_origin_classes_come_from_the_vocabulary():
    ranks = FRAMES[PREFIX + "verification_level"].set_index("verification_level")["verification_rank"]
    assert ranks.to_dict() == VERIFICATION_RANK
    classes = FRAMES[PREFIX + "data_origin"]["data_origin_class"]
    assert set(classes) <= set(DATA_ORIGIN_CLASSES)
    assert list(FRAMES[PREFIX + "data_origin_class"]["data_origin_class"]) == list(DATA_ORIGIN_CLASSES)


@pytest.mark.parametrize("day, cohort", [(date(2023, 1, 1), "2023H1"), (date(2023, 6, 30), "2023H1"),
                                         (date(2023, 7, 1), "2023H2"), (date(2023, 12, 31), "2023H2")])
def test_cohort_is_the_half_year_of_graduation(day, cohort):
    assert cohort_of(day) == cohort
    assert cohort_of(pd.Timestamp(day)) == cohort


def test_cohort_of_a_series_keeps_missing_dates_missing():
    got = cohort_of(pd.Series(pd.to_datetime(["2024-06-30", None, "2024-07-01"])))
    assert got.iloc[0] == "2024H1" and pd.isna(got.iloc[1]) and got.iloc[2] == "2024H2"
