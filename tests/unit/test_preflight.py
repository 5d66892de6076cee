"""Refusals that keep a refresh from silently losing data, and the source-name check (no Prefect)."""

from __future__ import annotations

import duckdb
import pytest

from flows import preflight, warehouse
from tests.helpers import make_curated


def test_missing_folder_is_refused_unless_allowed(tmp_path):
    with pytest.raises(preflight.RefusedToPublish, match="does not exist: nothing published.*--allow-empty"):
        preflight.check_curated_folder(tmp_path / "nonexistent")
    assert preflight.check_curated_folder(tmp_path / "nonexistent", allow_empty=True) == []


def test_empty_or_unreadable_folder_is_refused(tmp_path):
    folder = tmp_path / "curated"
    folder.mkdir()
    (folder / "TEMPLATE.csv").write_text("record_id\n")
    (folder / "README.md").write_text("notes\n")
    with pytest.raises(preflight.RefusedToPublish, match="no curated file"):
        preflight.check_curated_folder(folder)
    (folder / "records.csv").write_text("")
    with pytest.raises(preflight.RefusedToPublish, match="1 curated file.*none readable"):
        preflight.check_curated_folder(folder)
    assert [p.name for p in preflight.check_curated_folder(folder, allow_empty=True)] == ["records.csv"]
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(preflight.RefusedToPublish, match="is not a folder"):
        preflight.check_curated_folder(tmp_path / "a-file")


def test_a_folder_with_curated_files_passes(tmp_path):
    names = [p.name for p in preflight.check_curated_folder(make_curated(tmp_path / "c", n=3))]
    assert names == ["programs.csv", "records_a.csv"]


def test_dropping_every_program_or_rejecting_every_file_is_refused(tmp_path):
    before = {"programs": 5, "records": 40, "files": 2, "readable_files": 2}
    gone = {"programs": 0, "records": 0, "files": 1, "readable_files": 1}
    with pytest.raises(preflight.RefusedToPublish, match="remove all 5 curated programs"):
        preflight.check_nothing_lost(before, gone, tmp_path)
    rejected = {"programs": 0, "records": 0, "files": 2, "readable_files": 0}
    with pytest.raises(preflight.RefusedToPublish, match="every curated file .* was rejected"):
        preflight.check_nothing_lost({**before, "programs": 0}, rejected, tmp_path)
    preflight.check_nothing_lost(before, gone, tmp_path, allow_empty=True)
    preflight.check_nothing_lost(before, {**before, "programs": 4}, tmp_path)  # fewer programs is a normal edit
    preflight.check_nothing_lost({**before, "programs": 0}, {**gone, "programs": 0}, tmp_path)  # never had any


def test_curated_state_counts_an_empty_warehouse(tmp_path):
    build = warehouse.prepare_build(tmp_path / "wh.duckdb", "run")
    with duckdb.connect(str(build)) as con:
        assert preflight.curated_state(con) == {"programs": 0, "records": 0, "files": 0, "readable_files": 0}


def test_unknown_source_names_every_known_one():
    with pytest.raises(preflight.UnknownSource) as err:
        preflight.check_sources(["no_such_source", "bls_oews"])
    text = str(err.value)
    assert "\n" not in text and text.startswith("unknown source(s) no_such_source; known: ")
    assert "bls_oews" in text and "census_pseo" in text
    preflight.check_sources(None)
    preflight.check_sources(["bls_oews"])
