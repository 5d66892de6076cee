"""The refresh flow end to end under Prefect's test harness, on small curated folders."""

from __future__ import annotations

import duckdb
import pytest

import schemas
from flows import warehouse
from flows.refresh import refresh
from tests.helpers import PROGRAMS, make_curated, record, write_csv

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _run(tmp_path, folder):
    return refresh(curated_folder=str(folder), warehouse_path=str(tmp_path / "wh" / "outcomes.duckdb"),
                   offline=True, sources=[])


def _con(tmp_path):
    return duckdb.connect(str(tmp_path / "wh" / "outcomes.duckdb"), read_only=True)


def _q(con, sql):
    return con.execute(sql).fetchall()


@pytest.fixture
def folder(tmp_path):
    extra = [
        record(900, record_id="r00001"),                      # duplicate record id
        record(901, email="person2@example.org", program_id="bc-beta",
               verification_level="inferred"),              # same person + program as r00002, weaker evidence
        record(902, program_id="no-such-program"),            # unknown program
        record(903, base_salary="-10"),                       # row rule
    ]
    return make_curated(tmp_path / "curated", n=40, extra=extra)


def test_end_to_end_conservation_dedup_and_quarantine(tmp_path, folder):
    summary = _run(tmp_path, folder)
    assert summary["rows_read"] == 2 + 44
    assert summary["rows_read"] == summary["rows_loaded"] + summary["rows_quarantined"]
    assert (summary["programs_count"], summary["rows_loaded"]) == (2, 2 + 40)
    with _con(tmp_path) as con:
        for f, read, loaded, quarantined in _q(con, "SELECT source_file, rows_read, rows_loaded, rows_quarantined FROM core_ingest__files"):
            assert read == loaded + quarantined, f
        # the ingest log of the run says the same, per file
        assert _q(con, "SELECT count(*) FROM core_ingest__log WHERE rows_read <> rows_loaded + rows_quarantined") == [(0,)]
        rules = dict(_q(con, "SELECT failed_rules, quarantine_stage FROM core_ingest__quarantine"))
        assert rules == {"record_id:duplicate_record": "build", "person_key:duplicate_person": "build",
                         "program_id:unknown_program": "build", "base_salary:min": "validate"}
        msg = _q(con, "SELECT failure_messages FROM core_ingest__quarantine WHERE failed_rules LIKE 'person%'")[0][0]
        assert "kept as record 'r00002" in msg or "kept as record r00002" in msg
        n_records = _q(con, "SELECT count(*), count(DISTINCT record_id) FROM core_outcomes__graduate_outcomes")[0]
        assert n_records == (40, 40)
        summary_rows = _q(con, "SELECT count(*) FROM core_warehouse__snapshot")
        assert summary_rows == [(1,)]


def test_warehouse_tables_match_the_metadata(tmp_path, folder):
    _run(tmp_path, folder)
    with _con(tmp_path) as con:
        for name, table in schemas.TABLES.items():
            cols = [r[0] for r in _q(con, f"SELECT column_name FROM duckdb_columns() WHERE table_name = '{name}' ORDER BY column_index")]
            assert cols == list(table.fields), name


def test_no_personal_data_in_any_table(tmp_path, folder):
    _run(tmp_path, folder)
    with _con(tmp_path) as con:
        text_cols = _q(con, "SELECT table_name, column_name FROM duckdb_columns() WHERE data_type = 'VARCHAR' AND NOT internal")
        for table, col in text_cols:
            hits = _q(con, f"""SELECT count(*) FROM {table} WHERE {col} ILIKE '%@example.org%'
                               OR {col} ILIKE '%Test Person%' OR {col} ILIKE '%example.org/p/%'
                               OR {col} ILIKE '%linkedin.com/in/%'""")
            assert hits == [(0,)], f"PII in {table}.{col}"


def _content(con):
    out = {}
    for name, t in schemas.TABLES.items():
        if "run_specific" in t.warnings:
            continue
        out[name] = con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall()
    return out


def test_rerun_is_idempotent_and_skips_unchanged_files(tmp_path, folder):
    _run(tmp_path, folder)
    with _con(tmp_path) as con:
        first = _content(con)
    summary = _run(tmp_path, folder)
    assert summary["files_read"] == 0
    with _con(tmp_path) as con:
        assert _content(con) == first
        actions = _q(con, f"SELECT DISTINCT ingest_action FROM core_ingest__log WHERE run_id = '{summary['run_id']}'")
        assert actions == [("skipped_unchanged",)]
        assert _q(con, "SELECT count(*) FROM core_ingest__runs") == [(2,)]


def test_changed_removed_and_rejected_files(tmp_path, folder):
    _run(tmp_path, folder)
    write_csv(folder / "records_b.csv", [record(i) for i in range(100, 110)])
    summary = _run(tmp_path, folder)
    assert summary["files_read"] == 1 and summary["rows_loaded"] == 2 + 40 + 10
    (folder / "records_b.csv").unlink()
    write_csv(folder / "records_c.csv", [record(200)], columns=[c for c in record(1) if c != "program_id"])
    summary = _run(tmp_path, folder)
    assert summary["files_rejected"] == 1 and summary["rows_loaded"] == 2 + 40
    with _con(tmp_path) as con:
        log = dict(_q(con, f"SELECT source_file, ingest_action FROM core_ingest__log WHERE run_id = '{summary['run_id']}'"))
        assert sorted(log.values()) == ["rejected", "removed", "skipped_unchanged", "skipped_unchanged"]
        reason = _q(con, "SELECT rejection_reason FROM core_ingest__files WHERE ingest_action = 'rejected'")[0][0]
        assert reason.startswith("missing required column(s): program_id")
        assert _q(con, "SELECT count(*) FROM core_outcomes__graduate_outcomes WHERE record_id LIKE 'r001%'") == [(0,)]


def test_a_second_refresh_is_refused_while_one_holds_the_lock(tmp_path, folder):
    published = tmp_path / "wh" / "outcomes.duckdb"
    with warehouse.refresh_lock(published):
        with pytest.raises(warehouse.RefreshLocked, match="another refresh is running"):
            _run(tmp_path, folder)
    _run(tmp_path, folder)  # and once released, it goes through


def test_programs_changes_re_evaluate_unknown_programs(tmp_path, folder):
    _run(tmp_path, folder)
    write_csv(folder / "programs.csv", PROGRAMS + [{**PROGRAMS[1], "program_id": "no-such-program"}])
    summary = _run(tmp_path, folder)
    assert summary["rows_loaded"] == 3 + 41
    assert summary["rows_read"] == summary["rows_loaded"] + summary["rows_quarantined"]


def test_a_failed_run_is_failed_in_prefect_with_its_reason(tmp_path, folder):
    import asyncio

    from prefect.client.orchestration import get_client

    bad = tmp_path / "bad.toml"
    bad.write_text("[suppression\nmin_cell_size = 10\n")  # not TOML
    state = refresh(curated_folder=str(folder), warehouse_path=str(tmp_path / "wh" / "outcomes.duckdb"),
                    assumptions_file=str(bad), offline=True, sources=[], return_state=True)
    assert state.is_failed()

    async def read():
        async with get_client() as client:
            return await client.read_flow_run(state.state_details.flow_run_id)

    run = asyncio.run(read())
    assert run.state.is_failed() and "TOMLDecodeError" in run.state.message, run.state.message
    assert not (tmp_path / "wh" / "outcomes.duckdb").exists(), "nothing was published"
    assert not list((tmp_path / "wh").glob(".build-*")), "no build file is left behind"
