"""College Scorecard connector: API paging, CSV, suppression codes, failures, key hygiene (no network)."""

from __future__ import annotations

import json
import logging
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pandas as pd
import pytest

from flows import http
from flows.snapshots import extract, newest_snapshot, save_snapshot, snapshot_local_files
from flows.sources import SOURCES
from flows.sources import college_scorecard as cs
from flows.sources.config import source_config
from schemas.generate import pandera_model

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "public_api"
SECRET = "sk-SCORE-5d1e0b8c42"
CONFIG = source_config("college_scorecard")


def validate(frames):
    for name, df in frames.items():
        table = "core_ingest__quarantine" if name == "_quarantine" else name
        pandera_model(table).validate(df, lazy=True)


def page_handler(requests, pages=None):
    pages = pages or [FIX / f"scorecard_schools_page{i}.json" for i in range(3)]

    def handler(request):
        requests.append(request)
        return httpx.Response(200, content=pages[int(request.url.params["page"])].read_bytes(),
                              headers={"Content-Type": "application/json"})
    return handler


def client(handler, **kw):
    return http.RetryingClient(transport=httpx.MockTransport(handler), sleep=lambda s: None,
                               rng=lambda a, b: 0.0, **kw)


@pytest.fixture
def key(monkeypatch):
    monkeypatch.setenv("SCORECARD_API_KEY", SECRET)
    return SECRET


def test_registered_source():
    s = SOURCES["college_scorecard"]
    assert s.api_key_env == "SCORECARD_API_KEY" and s.fetch is cs.fetch and "Public domain" in s.licence


def test_config_defaults():
    assert cs.cip_families(CONFIG) == ("11", "2705", "3070", "3008")
    assert all(cs.in_families(c, cs.cip_families(CONFIG)) for c in CONFIG["api_cip4_codes"])


def test_paging_fetches_three_pages(key):
    requests = []
    files = cs.fetch(client(page_handler(requests)), dict(CONFIG, per_page=2))
    assert [f.name for f in files] == ["page-0001.json", "page-0002.json", "page-0003.json"]
    assert [r.url.params["page"] for r in requests] == ["0", "1", "2"]
    q = requests[0].url.params
    assert q["api_key"] == SECRET and q["per_page"] == "2"
    assert q["latest.programs.cip_4_digit.code"].split(",")[:2] == ["1101", "1102"]
    for f in files:
        assert "api_key" not in f.params and SECRET not in f.url and SECRET not in json.dumps(f.params)


def test_api_pages_to_tables(key, tmp_path):
    files = cs.fetch(client(page_handler([])), dict(CONFIG, per_page=2))
    snap = save_snapshot(tmp_path, "college_scorecard", files)
    frames = cs.transform(snap, CONFIG)
    validate(frames)
    e = frames[cs.EARNINGS_TABLE]
    # 6 programs x (1 and 4 years, both present in the API element)
    assert len(e) == 12
    row = e[(e.institution_id == "100001") & (e.cip_code == "11.07") & (e.years_after_graduation == 1)].iloc[0]
    assert row.earnings_median_usd == 71000 and row.earnings_count == 120 and row.value_status == "released"
    assert row.credential_level == "bachelors" and row.credential_level_code == "3" and row.state_code == "CO"
    assert row.data_origin == "college_scorecard" and row.grad_cohort == "most_recent"
    ds = e[e.cip_code == "30.70"]
    assert set(ds.value_status) == {"not_available"} and ds.earnings_median_usd.isna().all()
    assert set(ds.suppression_code) == {"null"}
    assert set(e.credential_level) == {"bachelors", "masters", "undergraduate_certificate", "doctoral", "graduate_certificate"}
    d = frames[cs.DEBT_TABLE]
    assert d.set_index("institution_id").loc["100003", "debt_median_usd"] == 0  # a published 0 stays 0
    assert len(frames[cs.RAW_TABLE]) == 6 and frames["_quarantine"].empty
    assert SECRET not in (snap / "manifest.json").read_text()


def test_empty_results_give_empty_valid_tables(key, tmp_path):
    files = cs.fetch(client(page_handler([], [FIX / "scorecard_schools_empty.json"])), CONFIG)
    assert len(files) == 1
    frames = cs.transform(save_snapshot(tmp_path, "college_scorecard", files), CONFIG)
    validate(frames)
    assert all(df.empty for df in frames.values())
    assert list(frames[cs.EARNINGS_TABLE].columns) == list(pandera_model(cs.EARNINGS_TABLE).to_schema().columns)


def test_csv_suppression_codes_load_as_nulls_with_flags(tmp_path):
    snap = snapshot_local_files(tmp_path, "college_scorecard", [FIX / "scorecard_field_of_study_sample.csv"],
                                url="https://collegescorecard.ed.gov/data/")
    frames = cs.transform(snap, CONFIG)
    validate(frames)
    e = frames[cs.EARNINGS_TABLE].set_index(["institution_id", "cip_code", "years_after_graduation"])
    assert (e.loc[("100001", "11.07", 5)][["value_status", "suppression_code"]].tolist()
            == ["suppressed", "PrivacySuppressed"])
    assert pd.isna(e.loc[("100001", "11.07", 5), "earnings_median_usd"])
    assert e.loc[("100001", "30.70", 1), "suppression_code"] == "PS"
    assert e.loc[("100001", "30.70", 1), "value_status"] == "suppressed"
    assert pd.isna(e.loc[("100001", "30.70", 1), "earnings_count"])
    assert e.loc[("100001", "30.70", 4), "suppression_code"] == "NULL"
    assert e.loc[("100001", "30.70", 5), "suppression_code"] == "NA"
    assert e.loc[("100001", "30.70", 5), "value_status"] == "not_available"
    blank = e.loc[("100002", "11.01", 4)]
    assert blank.value_status == "not_available" and blank.suppression_code is None
    assert e.loc[("100006", "11.10", 1), "credential_level"] == "associate"
    # never a zero for a withheld value
    withheld = frames[cs.EARNINGS_TABLE].query("value_status != 'released'")
    assert withheld.earnings_median_usd.isna().all() and len(withheld) == 12
    # out-of-family CIP 52.02 is not read; UNITID 'NA' and 'sixty thousand' are quarantined, with reasons
    assert "52.02" not in set(frames[cs.EARNINGS_TABLE].cip_code)
    q = frames["_quarantine"].set_index("source_row_number")
    assert sorted(q.index) == [7, 8]
    assert "UNITID:pattern" in q.loc[7, "failed_rules"] and "'NA'" in q.loc[7, "failure_messages"]
    assert "row 8" in q.loc[8, "failure_messages"] and "sixty thousand" in q.loc[8, "failure_messages"]
    assert q.loc[8, "source_file"].endswith("scorecard_field_of_study_sample.csv")
    assert len(frames[cs.RAW_TABLE]) == 8  # rows read in the families = loaded rows + quarantined rows
    debt = frames[cs.DEBT_TABLE].set_index(["institution_id", "cip_code"])
    assert debt.loc[("100001", "30.70"), "value_status"] == "suppressed"
    assert debt.loc[("100003", "27.05"), "debt_median_usd"] == 0.0
    assert debt.loc[("100001", "11.07"), "opeid6"] == "010000"


def test_zipped_csv(tmp_path):
    z = tmp_path / "Most-Recent-Cohorts-Field-of-Study_04172025.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(FIX / "scorecard_field_of_study_sample.csv", "Most-Recent-Cohorts-Field-of-Study.csv")
    snap = snapshot_local_files(tmp_path / "raw", "college_scorecard", [z], url="https://collegescorecard.ed.gov/data/")
    frames = cs.transform(snap, CONFIG)
    validate(frames)
    assert len(frames[cs.RAW_TABLE]) == 8


def test_cohort_labels_from_config(tmp_path):
    snap = snapshot_local_files(tmp_path, "college_scorecard", [FIX / "scorecard_field_of_study_sample.csv"], url="u")
    frames = cs.transform(snap, dict(CONFIG, cohort_labels={"1": "AY2018-19, AY2019-20"}))
    e = frames[cs.EARNINGS_TABLE]
    assert set(e[e.years_after_graduation == 1].grad_cohort) == {"AY2018-19, AY2019-20"}
    assert set(e[e.years_after_graduation == 4].grad_cohort) == {"most_recent"}


def test_normalise_cip4():
    assert cs.normalise_cip4("1107") == "1107" and cs.normalise_cip4("11.07") == "1107"
    assert cs.normalise_cip4(107) == "0107" and cs.normalise_cip4("11") is None and cs.normalise_cip4("abc") is None


def test_malformed_json_writes_no_snapshot_and_falls_back(key, tmp_path):
    def handler(request):
        return httpx.Response(200, text='{"metadata": {"total": 3, "page": 0')

    res = extract(cs.SOURCE, tmp_path, client(handler), CONFIG, offline=False)
    assert res.status == "missing" and "not valid JSON" in res.message and SECRET not in res.message
    assert not (tmp_path / "college_scorecard").exists() or not any((tmp_path / "college_scorecard").iterdir())


def test_error_envelope_is_a_clear_error(key, tmp_path):
    def handler(request):
        return httpx.Response(200, content=(FIX / "scorecard_error_invalid_key.json").read_bytes())

    with pytest.raises(http.ResponseFormatError) as err:
        cs.fetch(client(handler), CONFIG)
    assert "API_KEY_INVALID" in str(err.value) and SECRET not in str(err.value)


def test_repeated_500_falls_back_to_newest_snapshot_stale(key, tmp_path, caplog):
    old = save_snapshot(tmp_path, "college_scorecard", cs.fetch(client(page_handler([])), dict(CONFIG, per_page=2)),
                        fetched_at=datetime(2026, 1, 2, tzinfo=timezone.utc))
    calls = []

    def failing(request):
        calls.append(request)
        return httpx.Response(500)

    caplog.set_level(logging.DEBUG)
    res = extract(cs.SOURCE, tmp_path, client(failing, max_attempts=3), CONFIG, offline=False)
    assert len(calls) == 3 and SECRET in str(calls[0].url)
    assert res.status == "stale" and res.snapshot_dir == old and newest_snapshot(tmp_path, "college_scorecard") == old
    assert "HTTP 500" in res.message and "after 3 attempts" in res.message
    assert SECRET not in res.message
    assert caplog.records and all(SECRET not in r.getMessage() for r in caplog.records)
    for manifest in tmp_path.rglob("manifest.json"):
        assert SECRET not in manifest.read_text()


def test_timeout_falls_back(key, tmp_path):
    def handler(request):
        raise httpx.ReadTimeout("read timed out", request=request)

    res = extract(cs.SOURCE, tmp_path, client(handler, max_attempts=2), CONFIG, offline=False)
    assert res.status == "missing" and "ReadTimeout" in res.message


def test_missing_key_is_reported_not_raised(monkeypatch, tmp_path):
    monkeypatch.delenv("SCORECARD_API_KEY", raising=False)
    monkeypatch.delenv("DATA_GOV_API_KEY", raising=False)
    res = extract(cs.SOURCE, tmp_path, client(lambda r: httpx.Response(200)), CONFIG, offline=False)
    assert res.status == "missing" and "SCORECARD_API_KEY" in res.message


def test_bundled_snapshot_is_the_offline_fallback():
    from flows.settings import PROJECT_ROOT
    raw = PROJECT_ROOT / "data" / "raw"
    res = extract(cs.SOURCE, raw, None, CONFIG, offline=True)
    assert res.snapshot_dir is not None and res.snapshot_dir.name.endswith("-bundled")


# --- older P_ layout (real extracts, tests/fixtures/public_scorecard/) -------------------------------

SC = Path(__file__).resolve().parents[1] / "fixtures" / "public_scorecard"


def old_layout_frames(tmp_path, with_dictionary=True):
    files = [SC / "FieldOfStudyData1415_1516_PP_extract.csv", SC / "FieldOfStudyData1516_1617_PP_extract.csv",
             SC / "MERGED2023_24_PP_slim_extract.csv"]
    if with_dictionary:
        files.append(SC / "CollegeScorecardDataDictionary_extract.xlsx")
    snap = snapshot_local_files(tmp_path, "college_scorecard", files, url="https://collegescorecard.ed.gov/data/")
    frames = cs.transform(snap, CONFIG)
    validate(frames)
    return frames


def test_current_names_of_old_columns():
    assert cs.current_name("P_UNITID") == "UNITID" and cs.current_name("P_CIPCODE") == "CIPCODE"
    assert cs.current_name("P_MD_EARN_WNE") == "EARN_MDN_HI_1YR"
    assert cs.current_name("P_DEBTPAYMENT10YR") == "DEBT_ALL_STGP_EVAL_MDN10YRPAY"
    assert cs.current_name("P_COUNT") == "P_COUNT" and cs.current_name("UNITID") == "UNITID"
    assert cs.vintage_of("FieldOfStudyData1516_1617_PP_cip11.csv") == "FieldOfStudyData1516_1617"
    assert cs.vintage_of("Most-Recent-Cohorts-Field-of-Study.csv") == "FieldOfStudyMostRecent"


def test_old_layout_with_cohort_map(tmp_path):
    frames = old_layout_frames(tmp_path)
    e = frames[cs.EARNINGS_TABLE].set_index(["institution_id", "cip_code", "credential_level_code"])
    # 1415_1516 publishes no earnings (cohort map: NA): only the 1516_1617 vintage's 1-year earnings load
    assert set(frames[cs.EARNINGS_TABLE].grad_cohort) == {"AY2014-15, AY2015-16"}
    m = e.loc[("126614", "11.07", "5")]
    assert (m.earnings_median_usd, m.earnings_count, m.years_after_graduation) == (91100.0, 23, 1)
    assert m.state_code == "CO"  # from the institution file: the old layout has no state
    assert e.loc[("126614", "11.07", "1"), "value_status"] == "suppressed"
    d = frames[cs.DEBT_TABLE].set_index(["institution_id", "cip_code", "credential_level_code", "grad_cohort"])
    b = d.loc[("126614", "11.07", "3", "AY2015-16, AY2016-17")]
    assert (b.debt_median_usd, b.debt_monthly_payment_usd) == (22500.0, 234.0)
    assert len(d.loc[("126614", "11.07", "3")]) == 2  # one row per debt cohort (file vintage)
    o = frames["core_public__program_outcomes"]
    earn = o[(o.measure == "earnings_median") & (o.institution_id == "126614") & (o.credential_level_code == "5")].iloc[0]
    assert (earn.dollar_year, earn.cohort_first_year, earn.cohort_last_year, earn.measurement_period) == (
        2018, 2015, 2016, "CY2016, CY2017")
    assert not earn.cohorts_differ_across_horizons
    pay = o[(o.measure == "debt_monthly_payment") & (o.institution_id == "126614") & (o.credential_level_code == "3")]
    assert sorted(pay.value) == [174.0, 234.0] and pay.dollar_year.isna().all()
    # the row without a UNITID is quarantined in each file, nothing lost
    q = frames["_quarantine"]
    assert len(q) == 2 and set(q.failed_rules) == {"UNITID:pattern"}
    assert len(frames[cs.RAW_TABLE]) == 14
    cells = frames["core_public__program_cells"].set_index(["institution_id", "cip_code", "credential_level_code"])
    assert cells.loc[("126614", "11.07", "5"), "institution_control"] == "Public"
    assert cells.loc[("100654", "11.01", "3"), "cip_title"] == "Computer and Information Sciences, General."


def test_old_layout_without_dictionary_keeps_every_measure_and_says_cohorts_unknown(tmp_path):
    frames = old_layout_frames(tmp_path, with_dictionary=False)
    assert set(frames[cs.EARNINGS_TABLE].grad_cohort) == {"FieldOfStudyData1415_1516", "FieldOfStudyData1516_1617"}
    assert len(frames["_quarantine"]) == 2
    o = frames["core_public__program_outcomes"]
    assert o.cohorts_differ_across_horizons.all() and o.dollar_year.isna().all()
