"""BLS OEWS connector: series ids, batching, API status, value codes, bundled snapshot (no network)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx
import pandas as pd
import pytest

from flows import http
from flows.settings import PROJECT_ROOT
from flows.snapshots import extract, newest_snapshot, read_manifest, save_snapshot, verify_snapshot
from flows.sources import SOURCES
from flows.sources import bls_oews as bls
from flows.sources.config import source_config
from schemas.generate import pandera_model

FIX = Path(__file__).parent / "fixtures" / "public_api"
SECRET = "bls-TEST-0e4d6a9f51"
CONFIG = source_config("bls_oews")
BUNDLED = PROJECT_ROOT / "data" / "raw" / "bls_oews" / "2024-05-01T000000Z-transcribed"


def validate(frames):
    for name, df in frames.items():
        pandera_model("core_ingest__quarantine" if name == "_quarantine" else name).validate(df, lazy=True)


def client(handler, **kw):
    return http.RetryingClient(transport=httpx.MockTransport(handler), sleep=lambda s: None,
                               rng=lambda a, b: 0.0, **kw)


def echo_handler(bodies):
    """Answers every POST with REQUEST_SUCCEEDED and one data point per requested series."""
    def handler(request):
        body = json.loads(request.content)
        bodies.append(body)
        series = [{"seriesID": s, "data": [{"year": body["endyear"], "period": "A01", "periodName": "Annual",
                                            "value": "100000", "footnotes": [{}]}]} for s in body["seriesid"]]
        return httpx.Response(200, json={"status": "REQUEST_SUCCEEDED", "responseTime": 50, "message": [],
                                         "Results": {"series": series}})
    return handler


def test_registered_source():
    s = SOURCES["bls_oews"]
    assert s.api_key_env == "BLS_API_KEY" and s.publisher == "U.S. Bureau of Labor Statistics"


def test_series_id_matches_published_example():
    assert bls.series_id("15-2051", "13") == "OEUN000000000000015205113"
    assert bls.series_id("15-1252", "04", "CA") == "OEUS060000000000015125204"
    with pytest.raises(ValueError):
        bls.series_id("15-2051", "99")
    with pytest.raises(ValueError):
        bls.series_id("152051", "13")
    with pytest.raises(ValueError):
        bls.series_id("15-2051", "13", "XX")


def test_default_config_series():
    ids = bls.series_ids(CONFIG)
    socs = bls.soc_codes(CONFIG)
    assert socs == ["15-2051", "15-1243", "15-1252", "15-1221", "15-2041"]
    assert len(ids) == len(set(ids)) == 5 * (1 + len(CONFIG["states"])) * 6
    assert all(len(s) == 25 for s in ids)


def test_more_than_50_series_are_batched_with_key(monkeypatch, caplog):
    monkeypatch.setenv("BLS_API_KEY", SECRET)
    caplog.set_level(logging.DEBUG)
    bodies = []
    files = bls.fetch(client(echo_handler(bodies)), CONFIG)
    n = len(bls.series_ids(CONFIG))  # 210
    assert [len(b["seriesid"]) for b in bodies] == [50, 50, 50, 50, 10]
    assert sum(len(b["seriesid"]) for b in bodies) == n
    assert all(b["registrationkey"] == SECRET and b["startyear"] == "2022" and b["endyear"] == "2024" for b in bodies)
    assert len(files) == 5
    for f in files:
        assert "registrationkey" not in f.params and SECRET not in json.dumps(f.params)
    assert all(SECRET not in r.getMessage() for r in caplog.records)


def test_without_key_25_series_and_10_years_per_request(monkeypatch):
    monkeypatch.delenv("BLS_API_KEY", raising=False)
    bodies = []
    cfg = dict(CONFIG, start_year=2005, end_year=2024, states=["CA"], datatypes=["13"])
    bls.fetch(client(echo_handler(bodies)), cfg)
    assert all("registrationkey" not in b for b in bodies)
    assert all(len(b["seriesid"]) <= 25 for b in bodies)
    assert sorted({(b["startyear"], b["endyear"]) for b in bodies}) == [("2005", "2014"), ("2015", "2024")]
    assert len(bodies) == 2  # 10 series in one batch x 2 year windows


def test_request_not_processed_is_a_fetch_error(monkeypatch, tmp_path):
    monkeypatch.setenv("BLS_API_KEY", SECRET)

    def handler(request):
        return httpx.Response(200, content=(FIX / "bls_timeseries_not_processed.json").read_bytes())

    with pytest.raises(http.FetchError) as err:
        bls.fetch(client(handler), CONFIG)
    assert "REQUEST_NOT_PROCESSED" in str(err.value) and "daily threshold" in str(err.value)
    res = extract(bls.SOURCE, tmp_path, client(handler), CONFIG, offline=False)
    assert res.status == "missing" and "REQUEST_NOT_PROCESSED" in res.message and SECRET not in res.message


def test_values_dash_top_code_and_bad_value(tmp_path, monkeypatch):
    monkeypatch.setenv("BLS_API_KEY", SECRET)

    def handler(request):
        return httpx.Response(200, content=(FIX / "bls_timeseries_success.json").read_bytes())

    files = bls.fetch(client(handler), dict(CONFIG, states=[], role_soc={"data_scientist": ["15-2051"]},
                                            extra_soc_codes=[]))
    snap = save_snapshot(tmp_path, "bls_oews", files)
    frames = bls.transform(snap, CONFIG)
    validate(frames)
    w = frames[bls.WAGES_TABLE].set_index("series_id")
    assert len(w) == 4
    med = w.loc["OEUN000000000000015205113"]
    assert (med.wage_usd, med.value_status, med.wage_measure, med.area_type, med.reference_year) == \
        (112590.0, "released", "annual_median", "national", 2024)
    assert med.soc_title == "Data Scientists" and pd.isna(med.footnote_codes)
    top = w.loc["OEUN000000000000015205115"]
    assert top.value_status == "top_coded" and top.wage_usd == 239200 and top.wage_measure == "annual_p90"
    assert top.footnote_codes.startswith("5: This wage is equal to or greater than")
    dash = w.loc["OEUS060000000000015205113"]
    assert dash.value_status == "not_available" and pd.isna(dash.wage_usd) and dash.state_code == "CA"
    assert dash.area_type == "state" and "Wage estimate is not available" in dash.footnote_codes
    hash_ = w.loc["OEUS480000000000015122104"]
    assert hash_.value_status == "top_coded" and pd.isna(hash_.wage_usd) and hash_.state_code == "TX"
    q = frames["_quarantine"]
    assert len(q) == 1 and "value:number_or_code" in q.iloc[0].failed_rules and "'abc'" in q.iloc[0].failure_messages
    assert len(frames[bls.RAW_TABLE]) == 5  # read = loaded + quarantined
    assert SECRET not in (snap / "manifest.json").read_text()


def test_empty_data_arrays_give_empty_valid_tables(tmp_path, monkeypatch):
    monkeypatch.delenv("BLS_API_KEY", raising=False)

    def handler(request):
        return httpx.Response(200, content=(FIX / "bls_timeseries_empty.json").read_bytes())

    files = bls.fetch(client(handler), dict(CONFIG, states=[], datatypes=["13"], extra_soc_codes=[],
                                            role_soc={"data_scientist": ["15-2051"]}))
    frames = bls.transform(save_snapshot(tmp_path, "bls_oews", files), CONFIG)
    validate(frames)
    assert frames[bls.WAGES_TABLE].empty and frames[bls.RAW_TABLE].empty and frames["_quarantine"].empty
    assert len(frames[bls.CROSSWALK_TABLE]) == 6


def test_malformed_json_writes_no_snapshot(tmp_path, monkeypatch):
    monkeypatch.delenv("BLS_API_KEY", raising=False)
    res = extract(bls.SOURCE, tmp_path, client(lambda r: httpx.Response(200, text="Service Unavailable<html>")),
                  CONFIG, offline=False)
    assert res.status == "missing" and "not valid JSON" in res.message
    assert newest_snapshot(tmp_path, "bls_oews") is None


def test_repeated_503_falls_back_to_newest_snapshot(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("BLS_API_KEY", SECRET)
    caplog.set_level(logging.DEBUG)
    old = save_snapshot(tmp_path, "bls_oews", bls.fetch(client(echo_handler([])), CONFIG))
    bodies = []

    def handler(request):
        bodies.append(json.loads(request.content))
        return httpx.Response(503, headers={"Retry-After": "2"})

    c = client(handler, max_attempts=3)
    res = extract(bls.SOURCE, tmp_path, c, CONFIG, offline=False)
    assert res.status == "stale" and res.snapshot_dir == old and c.waits == [2.0, 2.0]
    assert bodies[0]["registrationkey"] == SECRET
    assert SECRET not in res.message and all(SECRET not in r.getMessage() for r in caplog.records)


def test_crosswalk_frame():
    cw = bls.crosswalk_frame(CONFIG)
    pandera_model(bls.CROSSWALK_TABLE).validate(cw, lazy=True)
    assert set(cw[cw.role_category == "data_engineer"].soc_code) == {"15-2051", "15-1243"}
    assert cw[cw.soc_code == "15-1221"].soc_title.iloc[0] == "Computer and Information Research Scientists"
    with pytest.raises(Exception):
        pandera_model(bls.CROSSWALK_TABLE).validate(bls.crosswalk_frame({"role_soc": {"astronaut": ["15-2051"]}}), lazy=True)


def test_bundled_transcribed_snapshot_holds_only_the_cited_figures():
    assert verify_snapshot(BUNDLED) == []
    m = read_manifest(BUNDLED)
    assert m["kind"] == "transcribed" and all(f["kind"] == "transcribed" for f in m["files"])
    assert (BUNDLED / "README.md").is_file()
    res = extract(bls.SOURCE, BUNDLED.parent.parent, None, CONFIG, offline=True)
    assert res.status == "stale" and res.snapshot_dir == BUNDLED
    frames = bls.transform(BUNDLED, CONFIG)
    validate(frames)
    w = frames[bls.WAGES_TABLE].set_index("series_id")
    assert len(w) == 3 and frames["_quarantine"].empty
    assert (w.loc["OEUN000000000000015205113", ["soc_code", "reference_year", "wage_measure", "wage_usd"]].tolist()
            == ["15-2051", 2022, "annual_median", 103500.0])
    assert (w.loc["OEUN000000000000015122113", ["soc_code", "reference_year", "wage_measure", "wage_usd"]].tolist()
            == ["15-1221", 2023, "annual_median", 145080.0])
    assert (w.loc["OEUN000000000000015125204", ["soc_code", "reference_year", "wage_measure", "wage_usd"]].tolist()
            == ["15-1252", 2022, "annual_mean", 132930.0])
    assert set(w.value_status) == {"released"} and set(w.area_type) == {"national"}
    assert w.snapshot_id.iloc[0] == "data/raw/bls_oews/2024-05-01T000000Z-transcribed"
