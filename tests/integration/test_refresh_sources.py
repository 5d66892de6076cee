"""The refresh flow fetching a public source online (through httpx.MockTransport, never the network)."""

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
SECRET = "bls-secret-key-0123456789"


def bls_handler(calls):
    """BLS API v2 in its real shape: one 2024 annual data point per requested series."""
    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        calls.append(body)
        series = [{"seriesID": s, "data": [{"year": "2024", "period": "A01", "periodName": "Annual",
                                            "value": "112590", "footnotes": [{}]}]} for s in body["seriesid"]]
        return httpx.Response(200, json={"status": "REQUEST_SUCCEEDED", "responseTime": 30, "message": [],
                                         "Results": {"series": series}})
    return handler


def failing_handler(calls):
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(500, text="Internal Server Error")
    return handler


@pytest.fixture
def env(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(PROJECT_ROOT / "data" / "raw" / "bls_oews", raw / "bls_oews")
    monkeypatch.setenv("OUTCOMES_RAW_DIR", str(raw))
    monkeypatch.setenv("BLS_API_KEY", SECRET)
    return raw, make_curated(tmp_path / "curated", n=12), tmp_path / "wh" / "outcomes.duckdb"


def _artifact(flow_run_id, key: str) -> str:
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

    async def read():
        async with get_client() as client:
            return await client.read_artifacts(artifact_filter=ArtifactFilter(
                flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]), key=ArtifactFilterKey(any_=[key])))

    [artifact] = asyncio.run(read())
    return artifact.data


def use_transport(monkeypatch, handler):
    monkeypatch.setattr(refresh_module, "make_client", lambda: http.RetryingClient(
        transport=httpx.MockTransport(handler), sleep=lambda s: None, rng=lambda a, b: 0.0, max_attempts=3))


def test_online_fetch_then_failure_falls_back_to_the_new_snapshot(env, monkeypatch, caplog):
    raw, curated, wh = env
    calls = []
    use_transport(monkeypatch, bls_handler(calls))
    summary = refresh(curated_folder=str(curated), warehouse_path=str(wh), sources=["bls_oews"])
    assert summary["sources"] == {"bls_oews": "fresh"} and calls
    assert all(c["registrationkey"] == SECRET for c in calls), "the key is sent to the API"
    snapshots = sorted(p.name for p in (raw / "bls_oews").iterdir())
    assert len(snapshots) == 2, "the fetch is stored as a new snapshot beside the bundled one"
    with duckdb.connect(str(wh), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM core_bls_oews__wages WHERE reference_year = 2024 "
                           "AND wage_usd = 112590").fetchall()[0][0] > 0
        assert con.execute("SELECT source_status FROM core_ingest__sources").fetchall() == [("fresh",)]

    failures = []
    use_transport(monkeypatch, failing_handler(failures))
    state = refresh(curated_folder=str(curated), warehouse_path=str(wh), sources=["bls_oews"], return_state=True)
    summary = state.result()
    assert summary["sources"] == {"bls_oews": "stale"}
    assert len(failures) == 3, "bounded attempts"
    # Completed, but not in silence: the summary, the log and an artifact say what was not refreshed.
    assert state.is_completed()
    assert summary["run_warnings"][0].startswith("no public source could be refreshed (1 tried)")
    assert summary["run_warnings"][1].startswith("bls_oews not refreshed, kept its snapshot (")
    assert "HTTP 500" in summary["run_warnings"][1] and "registrationkey" not in summary["run_warnings"][1]
    assert any("bls_oews not refreshed" in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)
    artifact = _artifact(state.state_details.flow_run_id, "refresh-warnings")
    assert "no public source could be refreshed" in artifact and SECRET not in artifact
    assert sorted(p.name for p in (raw / "bls_oews").iterdir()) == snapshots, "a failed fetch leaves no snapshot"
    with duckdb.connect(str(wh), read_only=True) as con:
        [(status, snap, message)] = con.execute(
            "SELECT source_status, snapshot_id, ingest_message FROM core_ingest__sources").fetchall()
        assert status == "stale" and snap == snapshots[-1] and "fetch failed" in message
        # the tables still hold the last good snapshot's rows (never half-loaded)
        assert con.execute("SELECT count(*) FROM core_bls_oews__wages WHERE wage_usd = 112590").fetchall()[0][0] > 0
        stored = "\n".join(str(r) for r in con.execute(
            "SELECT ingest_message FROM core_ingest__sources UNION ALL SELECT ingest_message FROM core_ingest__log"
        ).fetchall())
    for path in (raw / "bls_oews").rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(errors="ignore"), path
    assert SECRET not in stored
    assert SECRET not in caplog.text
