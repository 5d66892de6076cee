"""Census PSEO connector: the bundled real file, repairs, suppression, the API shape (no network)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import httpx
import pandas as pd
import pytest

import schemas  # noqa: F401
from flows.sources import SOURCES, SourceError, census_pseo as pseo
from flows.sources.snapshot_files import sha256_file
from schemas.generate import pandera_model

ROOT = Path(__file__).resolve().parents[2]
SNAP = ROOT / "data" / "raw" / "census_pseo" / "2026-11-21T000000Z-bundled"
SHARED = ROOT.parent / "shared" / "data" / "public" / "census_pseo" / "pseoe_all.csv"  # the original, when beside the repo
FAMILIES = {"11", "14", "26", "27", "30"}


@pytest.fixture(scope="module")
def frames():
    return pseo.transform(SNAP, {})


@pytest.fixture(scope="module")
def file_rows():
    with open(SNAP / "pseoe_all.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_bundled_copy_is_unchanged_and_described():
    manifest = json.loads((SNAP / "manifest.json").read_text())
    assert manifest["kind"] == "bundled" and manifest["source"] == "census_pseo"
    for entry in manifest["files"]:
        assert sha256_file(SNAP / entry["name"]) == entry["sha256"]
        assert (SNAP / entry["name"]).stat().st_size == entry["bytes"]
    if SHARED.exists():
        assert sha256_file(SHARED) == sha256_file(SNAP / "pseoe_all.csv")


def test_every_frame_validates(frames):
    assert {"raw_census_pseo__earnings", "core_public__program_earnings", "_quarantine"} <= set(frames)
    for name, df in frames.items():
        pandera_model("core_ingest__quarantine" if name == "_quarantine" else name).validate(df, lazy=True)


def test_counts_against_the_file(frames, file_rows):
    assert len(file_rows) == 13413
    assert len(frames["raw_census_pseo__earnings"]) == len(file_rows)
    in_scope = [r for r in file_rows if r["cipcode"] != "0" and r["cipcode"].split(".")[0].zfill(2) in FAMILIES]
    core = frames["core_public__program_earnings"]
    assert len(core) == 3 * len(in_scope) == 7242
    assert len(frames["_quarantine"]) == 0
    assert set(core["data_origin"]) == {"census_pseo"}


def test_ut_austin_masters_cip11_values_from_the_file(frames, file_rows):
    src = [r for r in file_rows if r["institution"] == "3658" and r["degree_level"] == "7"
           and r["cipcode"] == "11.XX" and r["grad_cohort"] == "0"]
    assert len(src) == 1
    core = frames["core_public__program_earnings"]
    row = core[(core.institution_id == "00365800") & (core.credential_level_code == "07") & (core.cip_code == "11")
               & (core.grad_cohort == "all") & (core.years_after_graduation == 1)]
    assert len(row) == 1
    r = row.iloc[0]
    assert r.earnings_median_usd == float(src[0]["y1_p50_earnings"]) == 99325
    assert r.earnings_p25_usd == float(src[0]["y1_p25_earnings"])
    assert r.earnings_count == int(src[0]["y1_grads_earn"])
    assert r.credential_level == "masters" and r.value_status == "released" and pd.isna(r.suppression_code)
    assert r.institution_name == "UNIVERSITY OF TEXAS-AUSTIN" and r.state_code == "TX"


def test_suppressed_and_not_available_are_null_with_flags_never_zero(frames, file_rows):
    core = frames["core_public__program_earnings"]
    withheld = core[core.value_status != "released"]
    assert len(withheld) > 0
    for col in ("earnings_p25_usd", "earnings_median_usd", "earnings_p75_usd", "earnings_count"):
        assert withheld[col].isna().all()
    assert set(withheld.loc[withheld.value_status == "suppressed", "suppression_code"]) == {"5"}
    assert set(withheld.loc[withheld.value_status == "not_available", "suppression_code"]) == {"-1"}
    # the raw file's own count of suppressed year-1 cells in scope equals the core's
    n5 = sum(1 for r in file_rows if r["cipcode"] != "0" and r["cipcode"].split(".")[0].zfill(2) in FAMILIES
             and r["status_y1_earnings"] == "5")
    assert ((core.years_after_graduation == 1) & (core.value_status == "suppressed")).sum() == n5
    assert not (core[["earnings_p25_usd", "earnings_median_usd", "earnings_p75_usd"]] == 0).any().any()


@pytest.mark.parametrize("raw,level,expected", [
    ("11.XX", "4", "11"), ("9.XX", "4", "09"), ("9.01", "4", "09.01"), ("45.1", "4", "45.10"),
    ("51", "4", "51.00"), ("11.0701", "6", "11.0701"), ("11.07", "6", "11.0700"), ("11", "2", "11"),
    ("0", "A", None),
])
def test_cip_restoration(raw, level, expected):
    assert pseo.restore_cip(raw, level) == expected


def test_leading_zero_restoration():
    assert pseo.restore_institution("3658") == "00365800"
    assert pseo.restore_institution("00365800") == "00365800"
    assert pseo.restore_institution("22769") == "02276900"
    assert pseo.restore_degree_level("7") == "07" and pseo.restore_degree_level("17") == "17"
    with pytest.raises(ValueError):
        pseo.restore_institution("36A8")
    assert pseo.cohort_label("2001", "5") == "2001-2005" and pseo.cohort_label("0", "5") == "all"


def test_kept_codes_are_text_with_zeros(frames):
    core = frames["core_public__program_earnings"]
    assert core.institution_id.str.fullmatch(r"\d{8}").all()
    assert core.credential_level_code.str.fullmatch(r"\d{2}").all()
    assert {c[:2] for c in core.cip_code} <= FAMILIES
    raw = frames["raw_census_pseo__earnings"]
    assert raw.loc[raw.source_row_number == 1, "pseoe_institution"].item() == "1345"  # as read


# --- API (MockTransport) -----------------------------------------------------------------

HEADER = ["INSTITUTION", "DEGREE_LEVEL", "CIP_LEVEL", "CIPCODE", "GRAD_COHORT", "GRAD_COHORT_YEARS",
          "Y1_P25_EARNINGS", "Y1_P50_EARNINGS", "Y1_P75_EARNINGS", "Y1_GRADS_EARN",
          "Y5_P25_EARNINGS", "Y5_P50_EARNINGS", "Y5_P75_EARNINGS", "Y5_GRADS_EARN",
          "Y10_P25_EARNINGS", "Y10_P50_EARNINGS", "Y10_P75_EARNINGS", "Y10_GRADS_EARN",
          "STATUS_Y1_EARNINGS", "STATUS_Y1_GRADS_EARN", "STATUS_Y5_EARNINGS", "STATUS_Y5_GRADS_EARN",
          "STATUS_Y10_EARNINGS", "STATUS_Y10_GRADS_EARN", "us"]
API_BODY = [HEADER,
            ["00365800", "07", "2", "11", "0000", "5", "63005", "99325", "132076", "556", "106117", "135778",
             "186343", "375", None, None, None, None, "1", "1", "1", "1", "5", "5", "1"],
            ["00365800", "05", "4", "11.07", "2011", "3", "40000", "60000", "80000", "300", None, None, None,
             None, None, None, None, None, "1", "1", "-1", "-1", "-1", "-1", "1"],
            ["00365800", "05", "4", "52.02", "2011", "3", "1", "2", "3", "4", None, None, None, None, None,
             None, None, None, "1", "1", "-1", "-1", "-1", "-1", "1"]]
LABELS = "\ufeffinstitution,label,city,institution_state,inst_level,statefips\n003658,UNIVERSITY OF TEXAS-AUSTIN,AUSTIN,TX,I,48\n"


class Adapter:
    """The HttpClient protocol over an httpx.Client with a MockTransport."""

    def __init__(self, handler):
        self.client = httpx.Client(transport=httpx.MockTransport(handler))
        self.calls = []

    def request(self, method, url, *, params=None, json=None):
        self.calls.append((method, url, params))
        return self.client.request(method, url, params=params, json=json)


def _handler(body: bytes, status: int = 200):
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.host == "lehd.ces.census.gov":
            return httpx.Response(200, content=LABELS.encode("utf-8"))
        return httpx.Response(status, content=body)
    return handle


def _snapshot(tmp_path: Path, files) -> Path:
    snap = tmp_path / "census_pseo" / "20260101T000000Z"
    snap.mkdir(parents=True)
    entries = []
    for f in files:
        (snap / f.name).write_bytes(f.content)
        entries.append({"name": f.name, "sha256": sha256_file(snap / f.name), "bytes": len(f.content)})
    (snap / "manifest.json").write_text(json.dumps({"source": "census_pseo", "fetched_at": "2026-01-01T00:00:00Z",
                                                    "files": entries}))
    return snap


def test_api_success_roundtrip(tmp_path):
    client = Adapter(_handler(json.dumps(API_BODY).encode()))
    files = pseo.fetch(client, {})
    assert [f.name for f in files] == ["pseo-earnings.json", "label_institution.csv"]
    method, url, params = client.calls[0]
    assert url == "https://api.census.gov/data/timeseries/pseo/earnings"
    assert "Y1_P50_EARNINGS" in params["get"] and params["for"] == "us:1"
    out = pseo.transform(_snapshot(tmp_path, files), {})
    core = out["core_public__program_earnings"]
    pandera_model("core_public__program_earnings").validate(core, lazy=True)
    pandera_model("raw_census_pseo__earnings").validate(out["raw_census_pseo__earnings"], lazy=True)
    assert len(out["raw_census_pseo__earnings"]) == 3
    assert len(core) == 6  # CIP 52 is out of scope
    m = core[(core.cip_code == "11") & (core.years_after_graduation == 10)].iloc[0]
    assert m.value_status == "suppressed" and pd.isna(m.earnings_median_usd) and m.suppression_code == "5"
    b = core[(core.cip_code == "11.07") & (core.years_after_graduation == 1)].iloc[0]
    assert b.earnings_median_usd == 60000 and b.grad_cohort == "2011-2013" and b.institution_name == "UNIVERSITY OF TEXAS-AUSTIN"


def test_api_empty_results(tmp_path):
    for body, status in ((b"", 204), (json.dumps([HEADER]).encode(), 200)):
        files = pseo.fetch(Adapter(_handler(body, status)), {})
        out = pseo.transform(_snapshot(tmp_path / str(status), files), {})
        assert len(out["core_public__program_earnings"]) == 0
        pandera_model("core_public__program_earnings").validate(out["core_public__program_earnings"], lazy=True)


def test_api_malformed_json_is_a_clear_error():
    with pytest.raises(SourceError, match="not valid JSON"):
        pseo.fetch(Adapter(_handler(b'[["INSTITUTION","DEGREE_LEVEL"],["0036')), {})
    with pytest.raises(SourceError, match="array of arrays"):
        pseo.fetch(Adapter(_handler(b'{"error": "unknown variable"}')), {})
    with pytest.raises(SourceError, match="data row 1 has 2 values"):
        pseo.parse_api_json(json.dumps([HEADER, ["1", "2"]]).encode(), "test")
    with pytest.raises(SourceError, match="HTTP 400"):
        pseo.fetch(Adapter(_handler(b"error: unknown variable 'FOO'", 400)), {})


def test_unknown_status_code_goes_to_quarantine(tmp_path):
    body = [HEADER, API_BODY[1][:18] + ["7", "1", "1", "1", "1", "1", "1"]]
    files = pseo.fetch(Adapter(_handler(json.dumps(body).encode())), {})
    out = pseo.transform(_snapshot(tmp_path, files), {})
    assert len(out["core_public__program_earnings"]) == 0
    q = out["_quarantine"]
    assert q.failed_rules.item() == "status_y1_earnings:status_code_unknown"
    assert "row 1" in q.failure_messages.item() and "'7'" in q.failure_messages.item()
    pandera_model("core_ingest__quarantine").validate(q, lazy=True)


def test_registered():
    s = SOURCES["census_pseo"]
    assert s.fetch is pseo.fetch and s.publisher.startswith("U.S. Census") and s.licence and s.url


def test_program_rows_use_per_horizon_ipeds_status_of_newer_releases():
    from flows.sources import census_pseo as cp
    rec = {"status_ipeds_count": "", "status_y1_ipeds_count": "1", "status_y5_ipeds_count": "5"}
    assert cp.ipeds_status(rec, 1) == "1" and cp.ipeds_status(rec, 5) == "5" and cp.ipeds_status(rec, 10) == ""
    assert cp.ipeds_status({"status_ipeds_count": "3"}, 5) == "3"  # older releases: one flag


def test_program_outcomes_from_a_real_extract(tmp_path):
    """Institution 1370, master's, 2-digit CIP 11: p25/median/p75 with status flags; completers flag 3 -> NULL."""
    import json
    from pathlib import Path as P

    from flows.sources import census_pseo as cp
    from flows.sources.snapshot_files import sha256_file
    fx = P(__file__).resolve().parents[1] / "fixtures" / "public_crosswalk"
    for src, name in ((fx / "pseoe_extract.csv", "pseoe_all.csv"), (fx / "label_institution_extract.csv", "label_institution.csv")):
        (tmp_path / name).write_bytes(src.read_bytes())
    files = [{"name": n, "bytes": (tmp_path / n).stat().st_size, "sha256": sha256_file(tmp_path / n)}
             for n in ("pseoe_all.csv", "label_institution.csv")]
    (tmp_path / "manifest.json").write_text(json.dumps({"source": "census_pseo", "kind": "bundled", "snapshot_id": "x",
                                                        "fetched_at": "2026-11-21T00:00:00Z", "files": files}))
    out = cp.transform(tmp_path)
    o = out["core_public__program_outcomes"].set_index(["institution_id", "cip_code", "credential_level_code",
                                                         "grad_cohort", "measure", "years_after_graduation"])
    assert o.loc[("00137000", "11", "07", "all", "earnings_median", 1), "value"] == 82368
    assert o.loc[("00137000", "11", "07", "2001-2005", "earnings_p75", 10), "value"] == 186587
    gone = o.loc[("00137000", "11", "07", "2006-2010", "earnings_median", 10)]
    assert pd.isna(gone.value) and gone.value_status == "not_available" and gone.suppression_code == "-1"
    sup = o.loc[("00137000", "11.07", "05", "2001-2003", "earnings_median", 1)]
    assert pd.isna(sup.value) and sup.value_status == "suppressed" and sup.suppression_code == "5"
    c = o.loc[("00137000", "11.07", "05", "all", "completers", 1)]
    assert c.value == 853 and c.value_status == "released"
    c3 = o.loc[("00137000", "11", "07", "all", "completers", 1)]
    assert pd.isna(c3.value) and c3.suppression_code == "3"
    cells = out["core_public__program_cells"].set_index(["institution_id", "cip_code", "credential_level_code"])
    assert cells.loc[("00137000", "11", "07"), "opeid6"] == "001370"
