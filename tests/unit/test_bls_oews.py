"""BLS OEWS connector: series ids, batching, latest-year window, API status, value codes, bundled snapshot
(no network)."""

from __future__ import annotations

import csv
import json
import logging
from datetime import date
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

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "public_api"
SECRET = "bls-TEST-0e4d6a9f51"
CONFIG = source_config("bls_oews")
BUNDLED = PROJECT_ROOT / "data" / "raw" / "bls_oews" / "2026-09-26T000000Z-bundled"
TODAY = date(2026, 11, 21)


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
    files = bls.fetch(client(echo_handler(bodies)), CONFIG, today=TODAY)
    n = len(bls.series_ids(CONFIG))  # 210
    assert [len(b["seriesid"]) for b in bodies] == [50, 50, 50, 50, 10]
    assert sum(len(b["seriesid"]) for b in bodies) == n
    assert all(b["registrationkey"] == SECRET and b["startyear"] == "2024" and b["endyear"] == "2025" for b in bodies)
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


def test_request_years_follow_the_current_date():
    """The API serves only the latest release (May of Y, out in the spring of Y+1): ask for Y-2 .. Y-1."""
    assert "start_year" not in CONFIG and "end_year" not in CONFIG
    assert bls.request_years(CONFIG, date(2026, 11, 21)) == (2024, 2025)
    assert bls.request_years(CONFIG, date(2027, 1, 5)) == (2025, 2026)  # May 2026 not out yet: 2025 is served
    assert bls.request_years(dict(CONFIG, start_year=2019, end_year=2020), TODAY) == (2019, 2020)
    assert bls.request_years(dict(CONFIG, latest_release_years_back=1), TODAY) == (2025, 2025)
    with pytest.raises(ValueError):
        bls.request_years(dict(CONFIG, latest_release_years_back=0), TODAY)
    assert bls.request_years(CONFIG)[1] == date.today().year - 1


def test_latest_release_answer_top_coded_and_not_released(tmp_path, monkeypatch):
    """A real-shaped May 2025 answer: "-" with footnote 5 is top-coded at the cap, footnote 8 not released."""
    monkeypatch.delenv("BLS_API_KEY", raising=False)
    bodies = []

    def handler(request):
        bodies.append(json.loads(request.content))
        return httpx.Response(200, content=(FIX / "bls_timeseries_latest_2025.json").read_bytes())

    cfg = dict(CONFIG, states=[], datatypes=["13"], extra_soc_codes=[], role_soc={"data_scientist": ["15-2051"]})
    files = bls.fetch(client(handler), cfg, today=TODAY)
    assert [(b["startyear"], b["endyear"]) for b in bodies] == [("2024", "2025")]
    frames = bls.transform(save_snapshot(tmp_path, "bls_oews", files), CONFIG)
    validate(frames)
    w = frames[bls.WAGES_TABLE].set_index("series_id")
    assert w.loc["OEUN000000000000015205113", ["reference_year", "wage_usd", "value_status"]].tolist() == \
        [2025, 120230.0, "released"]
    top = w.loc["OEUS060000000000027202115"]
    assert (top.value_status, top.wage_usd, top.wage_measure, top.state_code) == ("top_coded", 239200.0, "annual_p90", "CA")
    nr = w.loc["OEUS020000000000015125213"]
    assert nr.value_status == "not_released" and pd.isna(nr.wage_usd) and nr.footnote_codes == "8: Estimate not released."


def test_classify_wage_codes():
    cap = "5: This wage is equal to or greater than $115.00 per hour or $239,200 per year."
    assert bls.classify_wage("-", cap) == (239200.0, "top_coded", "5")
    assert bls.classify_wage("-", cap, hourly=True) == (115.0, "top_coded", "5")
    assert bls.classify_wage("-", bls.footnote_text("5")) == (239200.0, "top_coded", "5")
    assert bls.classify_wage("-", bls.footnote_text("8")) == (None, "not_released", "8")
    assert bls.classify_wage("-", bls.footnote_text("4")) == (None, "not_available", "-")
    assert bls.classify_wage("-", None) == (None, "not_available", "-")
    assert bls.classify_wage("#", None) == (None, "top_coded", "#")
    assert bls.classify_wage("120230", None) == (120230.0, "released", None)
    assert bls.footnote_text("4,8") == f"4: {bls.FOOTNOTES['4']}; 8: Estimate not released."


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


def test_bundled_snapshot_is_the_may_2025_release_of_the_projects_series():
    """Golden figures read straight from the bundled flat file agree with the transform's wages."""
    assert verify_snapshot(BUNDLED) == []
    m = read_manifest(BUNDLED)
    assert m["kind"] == "bundled" and m["source"] == "bls_oews" and "Public domain" in m["licence"]
    res = extract(bls.SOURCE, BUNDLED.parent.parent, None, CONFIG, offline=True)
    assert res.status == "stale" and res.snapshot_dir == BUNDLED
    frames = bls.transform(BUNDLED, CONFIG)
    validate(frames)
    with open(BUNDLED / "oews_may2025_series_long_project_socs.csv", newline="") as fh:
        flat = {r["series_id"]: r for r in csv.DictReader(fh)}
    w = frames[bls.WAGES_TABLE].set_index("series_id")
    assert len(w) == len(flat) == len(frames[bls.RAW_TABLE]) == 1458 and frames["_quarantine"].empty
    assert flat["OEUN000000000000015205113"]["value"] == "120230"  # May 2025, data scientists, national median
    assert (w.loc["OEUN000000000000015205113", ["soc_code", "reference_year", "wage_measure", "wage_usd"]].tolist()
            == ["15-2051", 2025, "annual_median", 120230.0])
    assert w.loc["OEUN000000000000015125204", "wage_usd"] == float(flat["OEUN000000000000015125204"]["value"]) == 148100.0
    released = {k: float(r["value"]) for k, r in flat.items() if r["value"] != "-"}
    assert w[w.value_status == "released"].wage_usd.to_dict() == released
    nr = w[w.value_status == "not_released"]
    assert len(nr) == sum(r["footnote_codes"] == "8" for r in flat.values()) == 54 and nr.wage_usd.isna().all()
    assert set(w.reference_year) == {2025} and set(w.area_type) == {"national", "state"}
    assert {"PR", "DC", "CA"} <= set(w.state_code.dropna())
    assert w.snapshot_id.iloc[0] == "data/raw/bls_oews/2026-09-26T000000Z-bundled"
