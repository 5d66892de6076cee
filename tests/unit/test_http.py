"""flows.http: retries, back-off, Retry-After, timeouts, User-Agent and key redaction (no network)."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import httpx
import pytest

from flows import http

SECRET = "sk-TEST-4f9a1c2e7b"


def client_for(handler, **kw) -> tuple[http.RetryingClient, list[float]]:
    waits: list[float] = []
    c = http.RetryingClient(transport=httpx.MockTransport(handler), sleep=waits.append,
                            rng=lambda a, b: 0.0, **kw)
    return c, waits


def test_success_sends_user_agent_and_params():
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    c, waits = client_for(handler)
    r = c.request("GET", "https://api.example.gov/data", params={"page": 0})
    assert r.json() == {"ok": True}
    assert waits == []
    ua = seen[0].headers["User-Agent"]
    assert ua.startswith("alumni-outcomes/") and "research data pipeline" in ua
    assert seen[0].url.params["page"] == "0"


def test_429_with_retry_after_seconds_then_success():
    calls = []

    def handler(request):
        calls.append(1)
        if len(calls) == 1:
            return httpx.Response(429, headers={"Retry-After": "7"})
        return httpx.Response(200, json={})

    c, waits = client_for(handler)
    assert c.request("GET", "https://api.example.gov/x").status_code == 200
    assert waits == [7.0]
    assert len(calls) == 2


def test_retry_after_is_capped_and_accepts_http_dates():
    now = datetime(2026, 11, 21, 5, 15, tzinfo=timezone.utc)
    assert http.parse_retry_after("Sat, 21 Nov 2026 05:15:30 GMT", now=now) == 30.0
    assert http.parse_retry_after("Sat, 21 Nov 2026 05:00:00 GMT", now=now) == 0.0
    assert http.parse_retry_after("soon") is None
    responses = iter([httpx.Response(503, headers={"Retry-After": "3600"}), httpx.Response(200)])
    c, waits = client_for(lambda r: next(responses), retry_after_cap=45.0)
    c.request("GET", "https://api.example.gov/x")
    assert waits == [45.0]


def test_repeated_500_backs_off_exponentially_then_raises_fetch_error():
    calls = []

    def handler(request):
        calls.append(1)
        return httpx.Response(500)

    c, waits = client_for(handler, max_attempts=4, backoff_base=1.0)
    with pytest.raises(http.FetchError) as err:
        c.request("GET", "https://api.example.gov/x")
    assert len(calls) == 4
    assert waits == [1.0, 2.0, 4.0]
    e = err.value
    assert e.status == 500 and e.attempts == 4
    assert "after 4 attempts" in str(e) and "HTTP 500" in str(e) and "api.example.gov/x" in str(e)


def test_jitter_is_added_and_bounded():
    c = http.RetryingClient(transport=httpx.MockTransport(lambda r: httpx.Response(502)), max_attempts=3,
                            sleep=lambda s: None, backoff_base=2.0, jitter=0.5, rng=lambda a, b: b)
    with pytest.raises(http.FetchError):
        c.request("GET", "https://api.example.gov/x")
    assert c.waits == [2.5, 4.5]


def test_timeout_is_retried_then_reported():
    def handler(request):
        raise httpx.ReadTimeout("timed out", request=request)

    c, waits = client_for(handler, max_attempts=3)
    with pytest.raises(http.FetchError) as err:
        c.request("GET", "https://api.example.gov/slow")
    assert "ReadTimeout" in str(err.value)
    assert err.value.status is None
    assert len(waits) == 2


def test_connection_error_then_success():
    calls = []

    def handler(request):
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, json={"x": 1})

    c, waits = client_for(handler)
    assert c.request("GET", "https://api.example.gov/x").json() == {"x": 1}
    assert waits == [1.0]


def test_client_error_is_not_retried():
    calls = []

    def handler(request):
        calls.append(1)
        return httpx.Response(404)

    c, waits = client_for(handler)
    with pytest.raises(http.FetchError) as err:
        c.request("GET", "https://api.example.gov/missing")
    assert len(calls) == 1 and waits == [] and err.value.status == 404


def test_api_key_never_in_errors_logs_or_reprs(monkeypatch, caplog):
    monkeypatch.setenv("SCORECARD_API_KEY", SECRET)
    key = http.api_key(*http.SCORECARD_KEY_ENV)
    assert key == SECRET
    seen = []

    def handler(request):
        seen.append(str(request.url))
        if len(seen) == 1:
            raise httpx.ConnectError(f"failed for {request.url}", request=request)
        return httpx.Response(500, text=f"echo {request.url}")

    c, _ = client_for(handler, max_attempts=3)
    caplog.set_level(logging.DEBUG)  # root: httpx logs full URLs too
    with pytest.raises(http.FetchError) as err:
        c.request("GET", "https://api.data.gov/ed/collegescorecard/v1/schools", params={"api_key": key, "page": 0})
    assert SECRET in seen[0]  # the key was sent ...
    e = err.value
    for text in (str(e), repr(e), e.url, e.reason or "", repr(c)):
        assert SECRET not in text
    assert caplog.records, "the client logs its attempts"
    for rec in caplog.records:
        assert SECRET not in rec.getMessage()
    assert any(rec.name == "httpx" for rec in caplog.records)
    assert "page=0" in e.url


def test_missing_key_reads_as_none(monkeypatch):
    monkeypatch.delenv("BLS_API_KEY", raising=False)
    assert http.api_key(*http.BLS_KEY_ENV) is None


def test_redaction_helpers(monkeypatch):
    monkeypatch.setenv("DATA_GOV_API_KEY", SECRET + "x")
    monkeypatch.delenv("SCORECARD_API_KEY", raising=False)
    key = http.api_key(*http.SCORECARD_KEY_ENV)
    assert http.redact_url(f"https://h/p?a=1&api_key={key}&b=2") == "https://h/p?a=1&b=2"
    assert http.redact_params({"registrationkey": key, "seriesid": ["A"], "q": f"x{key}"}) == {"seriesid": ["A"], "q": "x***"}
    assert http.redact(f"token {key} here") == "token *** here"


def test_malformed_json_is_a_clear_format_error():
    c, _ = client_for(lambda r: httpx.Response(200, text="<html>oops"))
    r = c.request("GET", "https://api.example.gov/x")
    with pytest.raises(http.ResponseFormatError) as err:
        http.parse_json(r, "page 3")
    assert "page 3" in str(err.value) and "not valid JSON" in str(err.value) and "<html>" in str(err.value)
