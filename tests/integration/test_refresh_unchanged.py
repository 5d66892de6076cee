"""A refresh with nothing changed keeps the core and out tables and the report set it already has."""

from __future__ import annotations

import duckdb
import pytest

import schemas
from flows import refresh as refresh_module
from flows import warehouse
from flows.refresh import refresh
from tests.helpers import make_curated, record, write_csv

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A curated folder, a private report folder, and a counter of statistics builds."""
    monkeypatch.setenv("OUTCOMES_REPORTS_DIR", str(tmp_path / "reports"))
    calls = []
    real = refresh_module.build_out_tables

    def counted(con, assumptions):
        calls.append(1)
        return real(con, assumptions)

    monkeypatch.setattr(refresh_module, "build_out_tables", counted)
    return make_curated(tmp_path / "curated", n=30), calls


def _run(tmp_path, folder, **kwargs):
    return refresh(curated_folder=str(folder), warehouse_path=str(tmp_path / "wh" / "outcomes.duckdb"),
                   offline=True, sources=[], **kwargs)


def _content(tmp_path):
    with duckdb.connect(str(tmp_path / "wh" / "outcomes.duckdb"), read_only=True) as con:
        return {name: con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall()
                for name, t in schemas.TABLES.items() if "run_specific" not in t.warnings}


def test_nothing_changed_keeps_tables_and_reports(tmp_path, env):
    folder, calls = env
    first = _run(tmp_path, folder)
    before = _content(tmp_path)
    index_mtime = (tmp_path / "reports" / "index.html").stat().st_mtime_ns
    second = _run(tmp_path, folder)
    assert len(calls) == 1, "the statistics were rebuilt although nothing changed"
    assert second["warehouse_snapshot_id"] == first["warehouse_snapshot_id"]
    assert second.get("reports_kept") is True and second["report_pages"] == first["report_pages"]
    assert (tmp_path / "reports" / "index.html").stat().st_mtime_ns == index_mtime
    assert _content(tmp_path) == before
    with duckdb.connect(str(tmp_path / "wh" / "outcomes.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM core_ingest__runs").fetchall() == [(2,)]
        assert con.execute("SELECT build_fingerprint FROM core_warehouse__snapshot").fetchall() == [
            (warehouse.build_fingerprint(refresh_module.load_assumptions()),)]


def test_a_changed_file_rebuilds(tmp_path, env):
    folder, calls = env
    _run(tmp_path, folder)
    write_csv(folder / "records_b.csv", [record(i) for i in range(100, 104)])
    summary = _run(tmp_path, folder)
    assert len(calls) == 2 and "reports_kept" not in summary
    assert summary["rows_loaded"] == 2 + 30 + 4


def test_a_removed_or_newly_skipped_file_rebuilds(tmp_path, env):
    folder, calls = env
    write_csv(folder / "records_b.csv", [record(i) for i in range(100, 104)])
    _run(tmp_path, folder)
    (folder / "records_b.csv").rename(folder / "TEMPLATE_records_b.csv")  # skipped now: its rows go
    summary = _run(tmp_path, folder)
    assert len(calls) == 2 and summary["rows_loaded"] == 2 + 30


def test_other_assumptions_or_code_rebuild(tmp_path, env, monkeypatch):
    folder, calls = env
    first = _run(tmp_path, folder)
    other = tmp_path / "assumptions.toml"
    other.write_text("[stats]\nconfidence = 0.9\n")
    second = _run(tmp_path, folder, assumptions_file=str(other))
    assert len(calls) == 2 and "reports_kept" not in second
    # same inputs, so the same content id; the build fingerprint tells the builds apart
    assert second["warehouse_snapshot_id"] == first["warehouse_snapshot_id"]
    monkeypatch.setattr(warehouse, "code_fingerprint", lambda: "another version of the code")
    _run(tmp_path, folder, assumptions_file=str(other))
    assert len(calls) == 3


def test_missing_reports_are_rebuilt_while_tables_are_kept(tmp_path, env):
    folder, calls = env
    _run(tmp_path, folder)
    (tmp_path / "reports" / "index.html").unlink()
    summary = _run(tmp_path, folder)
    assert len(calls) == 1 and "reports_kept" not in summary
    assert (tmp_path / "reports" / "index.html").is_file()
