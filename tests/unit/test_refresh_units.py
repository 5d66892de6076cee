"""Plain functions of the refresh and its operations: no Prefect run, no network."""

from __future__ import annotations

import os

import httpx
import pytest

from flows import http
from flows.refresh import RunClient, loggable_rejection, run_warnings, warnings_markdown
from flows.reports.build import remove_leftovers


def test_short_url_is_host_and_path_only():
    long = "https://api.census.gov/data/timeseries/pseo/earnings?get=" + ",".join(f"Y{i}_P50" for i in range(90)) \
        + "&for=state:08&key=SECRET123"
    assert len(long) > 600
    assert http.short_url(long) == "api.census.gov/data/timeseries/pseo/earnings?..."
    assert http.short_url("https://h.example/" + "p" * 200).endswith("...")
    assert len(http.short_url("https://h.example/" + "p" * 200)) == http.SHORT_URL_MAX


def test_client_logs_and_errors_carry_the_short_url(caplog):
    client = http.RetryingClient(transport=httpx.MockTransport(lambda r: httpx.Response(503)),
                                 sleep=lambda s: None, rng=lambda a, b: 0.0, max_attempts=2)
    params = {"get": ",".join(f"COLUMN_{i}" for i in range(80)), "api_key": "k" * 30}
    with pytest.raises(http.FetchError) as err:
        client.request("GET", "https://api.example.gov/v1/data", params=params)
    assert "api.example.gov/v1/data?..." in str(err.value) and "COLUMN_1" not in str(err.value)
    assert "COLUMN_1" in err.value.url and "k" * 30 not in err.value.url, "the attribute keeps the whole URL"
    assert caplog.records and all(len(r.getMessage()) < 200 for r in caplog.records if r.name == "outcomes.http")


def _transport(calls, exc_text):
    def handler(request):
        calls.append(str(request.url))
        raise httpx.ConnectError(exc_text, request=request)
    return httpx.MockTransport(handler)


def test_no_network_stops_later_fetches_at_once():
    calls = []
    dns = "[Errno -3] Temporary failure in name resolution"
    client = RunClient(http.RetryingClient(transport=_transport(calls, dns), sleep=lambda s: None, max_attempts=3))
    with pytest.raises(http.FetchError):
        client.request("GET", "https://a.example/x")
    assert len(calls) == 3
    with pytest.raises(http.FetchError, match="not attempted: no network earlier in this run"):
        client.request("GET", "https://b.example/y")
    assert len(calls) == 3, "no request was sent"


def test_a_dead_host_is_not_asked_again_but_others_are():
    calls = []
    client = RunClient(http.RetryingClient(transport=_transport(calls, "[Errno 111] Connection refused"),
                                           sleep=lambda s: None, max_attempts=2))
    for _ in range(2):
        with pytest.raises(http.FetchError):
            client.request("GET", "https://a.example/x")
    assert len(calls) == 2, "the second request to the same host was not sent"
    with pytest.raises(http.FetchError):
        client.request("GET", "https://b.example/y")
    assert len(calls) == 4


def test_run_warnings_name_each_source_with_age_and_reason():
    lines = run_warnings({"bls_oews": "fetch failed: GET api.bls.gov/x failed after 5 attempts: HTTP 500",
                          "college_scorecard": "fetch failed: no API key"},
                         ["bls_oews", "census_pseo", "college_scorecard"], {"bls_oews": 934.4, "census_pseo": 1.0})
    assert lines == ["bls_oews not refreshed, kept its snapshot (934 days old): fetch failed: GET api.bls.gov/x "
                     "failed after 5 attempts: HTTP 500",
                     "college_scorecard not refreshed, no snapshot (missing): fetch failed: no API key"]
    every = run_warnings({"bls_oews": "x"}, ["bls_oews"], {"bls_oews": 3.0})
    assert every[0].startswith("no public source could be refreshed (1 tried)")
    assert run_warnings({}, ["bls_oews"], {}) == [] and run_warnings({}, [], {}) == []
    assert "bls\\_oews" in warnings_markdown(lines)


def test_rejection_reasons_that_may_quote_the_file_are_logged_by_kind():
    assert loggable_rejection("missing required column(s): program_id (see data/raw/curated/TEMPLATE.csv)") \
        .startswith("missing required column(s): program_id")
    assert loggable_rejection("duplicate column(s) in header: jane@example.org") == \
        "duplicate column(s) in header (details in core_ingest__files.rejection_reason)"
    assert "Jane" not in loggable_rejection("unreadable CSV file: Expected 3 fields, saw: Jane Doe,x")


def test_report_leftovers_of_dead_writers_are_removed_live_ones_kept(tmp_path):
    out = tmp_path / "reports"
    dead = 2 ** 22 + 4321
    for name in (f".reports.tmp-{dead}-ab", f".reports.old-{dead}-1", ".reports.tmp-legacy",
                 f".reports.tmp-{os.getpid()}-cd", ".other.tmp-1"):
        (tmp_path / name).mkdir()
    removed = sorted(p.name for p in remove_leftovers(out))
    assert removed == [f".reports.old-{dead}-1", f".reports.tmp-{dead}-ab", ".reports.tmp-legacy"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.tmp-1", f".reports.tmp-{os.getpid()}-cd"]


def test_the_prefect_database_scan_finds_a_marker_anywhere(tmp_path):
    """The privacy test's scan is not vacuous: text and blob cells of any table are read."""
    import sqlite3

    from tests.integration.test_prefect_privacy import MARK, cells_with

    db = tmp_path / "p.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE log (message TEXT, extra BLOB)")
    con.executemany("INSERT INTO log VALUES (?, ?)", [(f"line {i}", b"x") for i in range(120)])
    con.execute("CREATE TABLE artifact (data BLOB)")
    con.execute("INSERT INTO artifact VALUES (?)", [f"prefix {MARK.upper()}.mail@x".encode()])
    con.commit()
    con.close()
    assert cells_with(db, [MARK]) == [f"artifact.data: prefix {MARK.upper()}.mail@x"]
