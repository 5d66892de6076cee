"""A malformed answer from a public API: the refresh falls back to the last good snapshot and says why."""

from __future__ import annotations

import json
import shutil

import duckdb
import httpx
import pytest

from flows import http, refresh as refresh_module
from flows.refresh import refresh
from tests.conftest import PROJECT_ROOT
from tests.helpers import make_curated

pytestmark = pytest.mark.usefixtures("prefect_harness")

#: The Census Data API's PSEO answer in its real shape (a JSON array of arrays, header first), cut
#: off in the middle of the first data row, as a dropped connection or a proxy's limit leaves it.
HEADER = ["INSTITUTION", "DEGREE_LEVEL", "CIP_LEVEL", "CIPCODE", "GRAD_COHORT", "GRAD_COHORT_YEARS",
          "Y1_P25_EARNINGS", "Y1_P50_EARNINGS", "Y1_P75_EARNINGS", "Y1_GRADS_EARN",
          "STATUS_Y1_EARNINGS", "STATUS_Y1_GRADS_EARN", "us"]
TRUNCATED = (json.dumps([HEADER, ["00365800", "07", "2", "11", "0000", "5", "63005", "99325", "132076", "556",
                                  "1", "1", "1"]]).encode())[:-40]


def test_malformed_api_answer_falls_back_to_the_last_good_snapshot(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    for folder in ("census_pseo", "reference"):
        shutil.copytree(PROJECT_ROOT / "data" / "raw" / folder, raw / folder)
    monkeypatch.setenv("OUTCOMES_RAW_DIR", str(raw))
    before = sorted(p.name for p in (raw / "census_pseo").iterdir())
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, content=TRUNCATED, headers={"Content-Type": "application/json"})

    monkeypatch.setattr(refresh_module, "make_client", lambda: http.RetryingClient(
        transport=httpx.MockTransport(handler), sleep=lambda s: None, rng=lambda a, b: 0.0))
    wh = tmp_path / "wh" / "outcomes.duckdb"
    state = refresh(curated_folder=str(make_curated(tmp_path / "curated", n=6)), warehouse_path=str(wh),
                    sources=["census_pseo"], return_state=True)

    assert state.is_completed(), "a malformed answer never fails the whole refresh"
    summary = state.result()
    assert summary["sources"] == {"census_pseo": "bundled"}, "the bundled snapshot is the last good one"
    assert len(requests) == 1, "an answer that arrived is not asked again (no task-level retries)"
    assert requests[0].url.host == "api.census.gov"
    assert sorted(p.name for p in (raw / "census_pseo").iterdir()) == before, "a bad answer never becomes a snapshot"
    [warning] = [w for w in summary["run_warnings"] if w.startswith("census_pseo not refreshed")]
    assert "not valid JSON" in warning
    with duckdb.connect(str(wh), read_only=True) as con:
        [(status, snap, message)] = con.execute(
            "SELECT source_status, snapshot_id, ingest_message FROM core_ingest__sources").fetchall()
        rows = con.execute("SELECT count(*) FROM core_public__program_earnings "
                           "WHERE data_origin = 'census_pseo'").fetchall()[0][0]
    assert (status, snap) == ("bundled", before[-1])
    assert message.startswith("census_pseo: fetch failed: ") and "not valid JSON" in message
    assert "using snapshot " + before[-1] in message
    assert rows == 7242, "the last good snapshot's rows are loaded"


def test_a_fetched_snapshot_that_cannot_be_read_is_set_aside_and_the_last_good_one_loaded(tmp_path, monkeypatch):
    from datetime import datetime, timezone

    from prefect import flow

    from flows import snapshots, warehouse
    from flows.refresh import RunContext, load_source
    from flows.sources import FetchedFile, census_pseo

    raw = tmp_path / "raw"
    for folder in ("census_pseo", "reference"):
        shutil.copytree(PROJECT_ROOT / "data" / "raw" / folder, raw / folder)
    monkeypatch.setenv("OUTCOMES_RAW_DIR", str(raw))
    [bundled] = [p.name for p in (raw / "census_pseo").iterdir()]
    # Stored by an earlier version that did not check the answer: the API left out most variables.
    answer = json.dumps([["INSTITUTION", "DEGREE_LEVEL"], ["00365800", "07"]]).encode()
    bad = snapshots.save_snapshot(raw, "census_pseo", [FetchedFile(
        "pseo-earnings.json", answer, "https://api.census.gov/data/timeseries/pseo/earnings", {}, 200)])
    build = tmp_path / "build.duckdb"
    with duckdb.connect(str(build)) as con:
        warehouse.ensure_tables(con)
    ctx = RunContext("run-1", datetime.now(timezone.utc), tmp_path / "published.duckdb", build, {})

    @flow
    def load_one() -> None:
        load_source(ctx, census_pseo.SOURCE_DEF, snapshots.ExtractResult(bad, "fresh", "census_pseo: fetched"))

    load_one()

    assert ctx.sources == {"census_pseo": "bundled"}
    assert "lacks the variables" in ctx.not_refreshed["census_pseo"]
    folders = sorted(p.name for p in (raw / "census_pseo").iterdir())
    assert folders == [".rejected-" + bad.name, bundled], "set aside, never chosen again"
    assert "lacks the variables" in (raw / "census_pseo" / folders[0] / "rejected.txt").read_text()
    with duckdb.connect(str(build), read_only=True) as con:
        [(status, snap, message)] = con.execute(
            "SELECT source_status, snapshot_id, ingest_message FROM core_ingest__sources").fetchall()
        rows = con.execute("SELECT count(*) FROM core_public__program_earnings").fetchall()[0][0]
    assert (status, snap) == ("bundled", bundled) and rows == 7242
    assert f"fetched snapshot {bad.name} unreadable" in message and f"using snapshot {bundled}" in message
