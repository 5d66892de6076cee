"""The connector contract: one error type, one retry layer, generic fallback (no Prefect, no network)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import httpx
import pytest

from flows import http, snapshots, warehouse
from flows.sources import FetchedFile, SourceError, census_pseo, load_connectors
from flows.sources.contract import Connector

HEADER = ["INSTITUTION", "DEGREE_LEVEL", "CIP_LEVEL", "CIPCODE", "GRAD_COHORT", "GRAD_COHORT_YEARS"]


def counting_client(handler, requests: list, **kw) -> http.RetryingClient:
    def transport(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return handler(request)
    return http.RetryingClient(transport=httpx.MockTransport(transport), sleep=lambda s: None, **kw)


def test_every_failure_of_a_source_is_a_source_error():
    for kind in (http.FetchError, http.ResponseFormatError, snapshots.SnapshotError):
        assert issubclass(kind, SourceError), kind
    assert issubclass(snapshots.SnapshotError, ValueError), "callers catching ValueError still do"


def test_every_registered_connector_follows_the_contract():
    registry = load_connectors()
    assert len(registry) >= 11
    for name, source in registry.items():
        assert isinstance(source, Connector), name
        assert callable(source.transform) and (source.fetch is None or callable(source.fetch)), name


def test_a_failing_url_is_asked_exactly_the_configured_attempts_with_bounded_waits():
    requests: list = []
    client = counting_client(lambda r: httpx.Response(503), requests, rng=lambda a, b: b)
    with pytest.raises(http.FetchError, match="failed after 5 attempts: HTTP 503") as err:
        client.request("GET", "https://api.census.gov/data/timeseries/pseo/earnings")
    assert len(requests) == client.max_attempts == 5, "one retry layer: 5 requests, not 5 x 3"
    assert err.value.attempts == 5 and err.value.status == 503
    assert client.waits == [1.25, 2.25, 4.25, 8.25], "exponential back-off plus at most the jitter"

    requests.clear()
    capped = counting_client(lambda r: httpx.Response(503), requests, max_attempts=8, backoff_max=5.0,
                             jitter=0.0, rng=lambda a, b: b)
    with pytest.raises(http.FetchError):
        capped.request("GET", "https://example.org/x")
    assert len(requests) == 8 and max(capped.waits) == 5.0 and len(capped.waits) == 7


def test_retry_after_cannot_make_a_run_wait_unbounded():
    requests: list = []
    client = counting_client(lambda r: httpx.Response(429, headers={"Retry-After": "86400"}), requests,
                             max_attempts=3, retry_after_cap=30.0)
    with pytest.raises(http.FetchError, match="HTTP 429"):
        client.request("GET", "https://example.org/x")
    assert len(requests) == 3 and client.waits == [30.0, 30.0]


def test_refresh_tasks_do_not_retry_on_top_of_the_client():
    from flows import refresh

    for task in (refresh.extract_source, refresh.load_source):
        assert task.retries == 0, task.name


def _bundled(raw_root: Path) -> Path:
    return snapshots.save_snapshot(raw_root, "census_pseo", [FetchedFile("pseoe_all.csv", b"institution\n", "", {}, None)],
                                   kind="bundled")


@pytest.mark.parametrize("body, status, why", [
    (json.dumps([HEADER, ["00365800", "07", "2", "11"]]).encode()[:-9], 200, "not valid JSON"),
    (json.dumps({"error": "error: unknown variable 'FOO'"}).encode(), 200, "array of arrays"),
    (b"error: unknown variable 'FOO'", 400, "HTTP 400"),
])
def test_a_malformed_answer_falls_back_to_the_newest_snapshot(tmp_path, body, status, why):
    good = _bundled(tmp_path)
    requests: list = []
    client = counting_client(lambda r: httpx.Response(status, content=body), requests)
    result = snapshots.extract(census_pseo.SOURCE_DEF, tmp_path, client, {}, offline=False)
    assert result.status == "stale" and result.snapshot_dir == good
    assert why in result.message and result.message.startswith("census_pseo: fetch failed: ")
    assert len(requests) == 1, "a 200 or 400 answer is not asked again"
    assert snapshots.list_snapshots(tmp_path, "census_pseo") == [good], "a bad answer never becomes a snapshot"


def test_an_unreadable_fetched_snapshot_is_set_aside_with_its_reason(tmp_path):
    good = _bundled(tmp_path)
    bad = snapshots.save_snapshot(tmp_path, "census_pseo", [FetchedFile("pseo-earnings.json", b"[]", "", {}, 200)])
    assert snapshots.newest_snapshot(tmp_path, "census_pseo") == bad
    moved = snapshots.set_aside(bad, "pseo-earnings.json: answer lacks the variables ['INSTITUTION']")
    assert moved.name == ".rejected-" + bad.name and not bad.exists()
    assert "lacks the variables" in (moved / "rejected.txt").read_text()
    assert snapshots.list_snapshots(tmp_path, "census_pseo") == [good]
    fallback = snapshots.fallback(census_pseo.SOURCE_DEF, tmp_path, "fetched snapshot unreadable")
    assert fallback.status == "stale" and fallback.snapshot_dir == good


def test_rows_that_break_a_tables_schema_are_a_source_error_and_nothing_is_loaded():
    frames = census_pseo.transform(Path(__file__).resolve().parents[2] / "data" / "raw" / "census_pseo"
                                   / "2026-11-21T000000Z-bundled", {})
    table = "core_public__program_earnings"
    bad = frames[table].copy()
    bad.loc[0, "years_after_graduation"] = -4
    con = duckdb.connect()
    warehouse.ensure_tables(con)
    with pytest.raises(SourceError, match=r"census_pseo: 1 value\(s\) of core_public__program_earnings break "
                                          r"its schema \(column 'years_after_graduation' .* value '-4'\)"):
        warehouse.load_source_frames(con, "census_pseo", {**frames, table: bad}, "run-1")
    assert con.execute(f"SELECT count(*) FROM {table}").fetchall() == [(0,)]


def test_the_run_client_takes_its_retry_policy_from_the_http_section():
    from flows import refresh
    from flows.sources.config import source_config

    policy = source_config("http")
    assert policy["max_attempts"] == 5 and policy["retry_after_cap"] <= 120
    with refresh.make_client() as client:
        assert (client.max_attempts, client.backoff_base, client.backoff_max, client.jitter, client.retry_after_cap) == (
            policy["max_attempts"], policy["backoff_base"], policy["backoff_max"], policy["jitter"],
            policy["retry_after_cap"])
    worst = sum(min(policy["backoff_max"], policy["backoff_base"] * 2 ** k) + policy["jitter"]
                for k in range(policy["max_attempts"] - 1))
    assert worst < 60, "a URL that never answers costs under a minute of waiting"
