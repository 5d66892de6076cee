"""BLS OEWS: occupation wages for this field's roles, national and by state (U.S. Bureau of Labor Statistics).

Owns the BLS OEWS connector: ``fetch`` (public API v2) and ``transform`` (stored answers ->
``core_bls_oews__wages``, ``core_bls_oews__role_soc_crosswalk``, ``raw_bls_oews__series_data``).
It must not open the warehouse. The whole May release (every area and measure of SOC 15-xxxx,
national figures of every occupation) is the file source ``bls_oews_release``.

API: ``POST https://api.bls.gov/publicAPI/v2/timeseries/data/`` with the JSON body
``{"seriesid": [...], "startyear": "2024", "endyear": "2025", "registrationkey": "..."}``
(the key, from ``BLS_API_KEY``, is omitted when absent). The API serves only the latest OEWS
release, so the fetch asks for the two years before the current one (``request_years``): the
latest release is May of one of them whatever the month (a release comes out in the spring of
the following year). ``start_year`` / ``end_year`` in the settings override the window. With a
key a request holds at most 50 series and 20 years; without one, 25 series and 10 years: the
fetch batches series and splits the year range accordingly, one stored file per request
(``batch-NNNN.json``, unchanged). The answer is ``{"status": "REQUEST_SUCCEEDED", "message":
[...], "Results": {"series": [{"seriesID": ..., "data": [{"year", "period", "periodName",
"value", "footnotes": [{"code", "text"}]}]}]}}``; any other status (e.g. REQUEST_NOT_PROCESSED
when the daily quota is spent) is a fetch error carrying the API's messages.

The bundled snapshot holds the same series in BLS's flat-file shape (CSV ``series_id, year,
period, value, footnote_codes``, footnote codes without text): the transform reads both.

Series ids (25 characters): ``OEU`` + area type (N national, S state) + 7-digit area (0000000
national; state FIPS + 00000) + 000000 (all industries) + 6-digit SOC + 2-digit datatype (04
annual mean, 11-15 annual p10/p25/median/p75/p90). Occupations: the configurable role -> SOC
crosswalk ``[bls_oews.role_soc]`` plus ``extra_soc_codes``.

Values (``classify_wage``): numbers are wages in USD. A top-coded cell (footnote 5, "equal to or
greater than $115.00 per hour or $239,200 per year", published as "-"; or the value "#") is
``top_coded`` and its ``wage_usd`` is the cap read from the footnote (the true wage is at least
that; null when no cap is given). Footnote 8 ("Estimate not released") is ``not_released`` with a
null wage. Other "-", "*", "**" and blanks are ``not_available`` with a null wage.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import logging
import re
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from flows import http
from flows.snapshots import SnapshotError, snapshot_files
from flows.sources import FetchedFile, HttpClient, Source, register
from flows.sources.tabular import ValueProblem, classify_token, raw_row, typed_frame
from flows.sources.lineage import file_sha256, quarantine_row, snapshot_id, source_file_of

logger = logging.getLogger("outcomes.sources.bls_oews")

NAME = "bls_oews"
WAGES_TABLE = "core_bls_oews__wages"
CROSSWALK_TABLE = "core_bls_oews__role_soc_crosswalk"
RAW_TABLE = "raw_bls_oews__series_data"
API_URL = "https://api.bls.gov/publicAPI/v2/timeseries/data/"

#: (series per request, years per request) with and without a registration key.
LIMITS_WITH_KEY = (50, 20)
LIMITS_WITHOUT_KEY = (25, 10)

DATATYPES = {"04": "annual_mean", "11": "annual_p10", "12": "annual_p25", "13": "annual_median",
             "14": "annual_p75", "15": "annual_p90"}

#: USPS state code -> FIPS code (50 states, DC, Guam, Puerto Rico, U.S. Virgin Islands: the OEWS "states").
STATE_FIPS = {
    "AL": "01", "AK": "02", "AZ": "04", "AR": "05", "CA": "06", "CO": "08", "CT": "09", "DE": "10",
    "DC": "11", "FL": "12", "GA": "13", "HI": "15", "ID": "16", "IL": "17", "IN": "18", "IA": "19",
    "KS": "20", "KY": "21", "LA": "22", "ME": "23", "MD": "24", "MA": "25", "MI": "26", "MN": "27",
    "MS": "28", "MO": "29", "MT": "30", "NE": "31", "NV": "32", "NH": "33", "NJ": "34", "NM": "35",
    "NY": "36", "NC": "37", "ND": "38", "OH": "39", "OK": "40", "OR": "41", "PA": "42", "RI": "44",
    "SC": "45", "SD": "46", "TN": "47", "TX": "48", "UT": "49", "VT": "50", "VA": "51", "WA": "53",
    "WV": "54", "WI": "55", "WY": "56", "GU": "66", "PR": "72", "VI": "78",
}
FIPS_STATE = {v: k for k, v in STATE_FIPS.items()}

SERIES_RE = re.compile(r"^OEU([NS])(\d{7})(\d{6})(\d{2})(\d{4})(\d{2})$")
TOP_CODE_RE = re.compile(r"equal to or greater than|top.?coded", re.IGNORECASE)
NOT_RELEASED_RE = re.compile(r"not released", re.IGNORECASE)
NOT_AVAILABLE_TOKENS = {"-", "*", "**", "(8)", "(5)"}
#: The OEWS footnote code table (oe.footnote of the May 2025 release), for files that carry codes only.
FOOTNOTES = {
    "1": "Estimates for detailed occupations do not sum to the totals because the totals include occupations "
         "not shown separately. Estimates do not include self-employed workers.",
    "2": "Annual wages have been calculated by multiplying the hourly wages by 2,080 hours; for occupations "
         "where hourly wages are not published, annual wages were taken directly from the reported survey data.",
    "3": "The relative standard error (RSE) is a measure of the reliability of a survey statistic. The smaller "
         "the relative standard error, the more precise the estimate.",
    "4": "Wages for some occupations that do not generally work year-round, full time, are reported either as "
         "hourly wages or annual salaries depending on how they are typically paid.",
    "5": "This wage is equal to or greater than $115.00 per hour or $239,200 per year.",
    "8": "Estimate not released.",
}
TOP_CODED_FOOTNOTE, NOT_RELEASED_FOOTNOTE = "5", "8"
_CAP_ANNUAL_RE = re.compile(r"\$([\d,]+(?:\.\d+)?) per year", re.IGNORECASE)
_CAP_HOURLY_RE = re.compile(r"\$([\d,]+(?:\.\d+)?)(?: per hour|/hour)", re.IGNORECASE)
#: Columns of the flat-file (bundled) form of the series data.
FLAT_COLUMNS = ("series_id", "year", "period", "value", "footnote_codes")


# --- configuration ----------------------------------------------------------------------------

def _soc(code: str) -> str:
    if not re.fullmatch(r"\d{2}-\d{4}", str(code)):
        raise ValueError(f"bls_oews: {code!r} is not a SOC code like 15-2051")
    return str(code)


def soc_codes(config: dict) -> list[str]:
    """Every SOC code to fetch: the crosswalk's and the extra ones, in first-seen order."""
    codes: dict[str, None] = {}
    for socs in (config.get("role_soc") or {}).values():
        for c in socs:
            codes[_soc(c)] = None
    for c in config.get("extra_soc_codes") or []:
        codes[_soc(c)] = None
    return list(codes)


def series_id(soc: str, datatype: str, state: str | None = None) -> str:
    """The OEWS series id of a SOC code, datatype and (optional) state."""
    if datatype not in DATATYPES:
        raise ValueError(f"bls_oews: datatype {datatype!r} is not one of {sorted(DATATYPES)}")
    if state is None:
        area = "N0000000"
    else:
        if state not in STATE_FIPS:
            raise ValueError(f"bls_oews.states: {state!r} is not a USPS state code")
        area = "S" + STATE_FIPS[state] + "00000"
    return f"OEU{area}000000{_soc(soc).replace('-', '')}{datatype}"


def series_ids(config: dict) -> list[str]:
    areas: list[str | None] = [None] + list(config.get("states") or [])
    datatypes = [str(d).zfill(2) for d in (config.get("datatypes") or list(DATATYPES))]
    return [series_id(soc, dt, area) for soc in soc_codes(config) for area in areas for dt in datatypes]


def _batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def request_years(config: dict, today: date | None = None) -> tuple[int, int]:
    """Years to ask the API for: ``start_year``/``end_year`` when both are set, else the two years
    before ``today``'s (the API serves only the latest release, May of one of them)."""
    if config.get("start_year") is not None and config.get("end_year") is not None:
        return int(config["start_year"]), int(config["end_year"])
    year = (today or date.today()).year
    back = int(config.get("latest_release_years_back", 2))
    if back < 1:
        raise ValueError(f"bls_oews.latest_release_years_back must be at least 1, not {back}")
    return year - back, year - 1


def _year_windows(start: int, end: int, span: int) -> list[tuple[int, int]]:
    if end < start:
        raise ValueError(f"bls_oews: end_year {end} is before start_year {start}")
    return [(y, min(end, y + span - 1)) for y in range(start, end + 1, span)]


# --- extract -------------------------------------------------------------------------------------

def fetch(client: HttpClient, config: dict, today: date | None = None) -> list[FetchedFile]:
    """POST the series in batches (50 with a key, 25 without) for the latest release's years
    (``request_years``) and keep every answer unchanged."""
    key = http.api_key(*http.BLS_KEY_ENV)
    per_request, years_per_request = LIMITS_WITH_KEY if key else LIMITS_WITHOUT_KEY
    url = config.get("api_url", API_URL)
    ids = series_ids(config)
    if not ids:
        raise ValueError("bls_oews: no series to fetch (role_soc and extra_soc_codes are empty)")
    windows = _year_windows(*request_years(config, today), years_per_request)
    files: list[FetchedFile] = []
    for batch in _batches(ids, per_request):
        for start, end in windows:
            body = {"seriesid": batch, "startyear": str(start), "endyear": str(end)}
            response = client.request("POST", url, json={**body, "registrationkey": key} if key else body)
            answer = http.parse_json(response, f"BLS batch {len(files) + 1}")
            status = answer.get("status") if isinstance(answer, dict) else None
            if status != "REQUEST_SUCCEEDED":
                messages = answer.get("message") if isinstance(answer, dict) else None
                raise http.FetchError(f"BLS API answered status {status!r} for batch {len(files) + 1}: "
                                      f"{'; '.join(map(str, messages or [])) or 'no message'}",
                                      url=url, status=response.status_code, reason=str(status))
            if not isinstance(answer.get("Results"), dict) or not isinstance(answer["Results"].get("series"), list):
                raise http.ResponseFormatError(f"BLS batch {len(files) + 1}: no Results.series array in the answer",
                                               url=url, status=response.status_code)
            for m in answer.get("message") or []:
                logger.info("bls_oews: API message: %s", http.redact(m))
            files.append(FetchedFile(name=f"batch-{len(files) + 1:04d}.json", content=response.content,
                                     url=url, params=body, status=response.status_code))
    logger.info("bls_oews: fetched %d series in %d requests", len(ids), len(files))
    return files


# --- transform -----------------------------------------------------------------------------------

def _footnotes(footnotes: Any) -> str | None:
    parts = []
    for fn in footnotes or []:
        if not isinstance(fn, dict):
            continue
        code, text = (fn.get("code") or "").strip(), (fn.get("text") or "").strip()
        if code or text:
            parts.append(f"{code}: {text}" if code and text else code or text)
    return "; ".join(parts) or None


@functools.lru_cache(maxsize=256)
def footnote_text(codes: str | None) -> str | None:
    """Footnote codes of a flat file ("5" or "4,8") -> "5: text; 8: text" as the API words them."""
    parts = [c.strip() for c in re.split(r"[,;\s]+", codes or "") if c.strip()]
    return "; ".join(f"{c}: {FOOTNOTES[c]}" if c in FOOTNOTES else c for c in parts) or None


def _footnote_codes(footnotes: str | None) -> set[str]:
    return {m.group(1) for m in re.finditer(r"(?:^|; )(\d+)(?::|$|;)", footnotes or "")}


def top_code_cap(footnotes: str | None, hourly: bool = False) -> float | None:
    """The cap a top-coding footnote states (annual by default, hourly on request), or None."""
    m = (_CAP_HOURLY_RE if hourly else _CAP_ANNUAL_RE).search(footnotes or "")
    return float(m.group(1).replace(",", "")) if m else None


def classify_wage(value: Any, footnotes: str | None, hourly: bool = False) -> tuple[float | None, str, str | None]:
    """(wage or None, value_status, code) for one OEWS value with its footnote text.

    Top-coded (footnote 5, its wording, or "#"): ``top_coded`` with the stated cap as the wage (the
    number itself when one is given). Footnote 8: ``not_released``, null. "-" and the like:
    ``not_available``, null. The code is the token or footnote code behind a non-released status.
    """
    text = "" if value is None else str(value).strip()
    codes = _footnote_codes(footnotes)
    top = TOP_CODED_FOOTNOTE in codes or bool(footnotes and TOP_CODE_RE.search(footnotes))
    if text.startswith("#"):
        number = text.lstrip("#").replace(",", "").strip()
        wage = float(number) if number.replace(".", "", 1).isdigit() else top_code_cap(footnotes, hourly)
        return wage, "top_coded", "#"
    if top and (text in NOT_AVAILABLE_TOKENS or not text):
        return top_code_cap(footnotes, hourly), "top_coded", TOP_CODED_FOOTNOTE
    if NOT_RELEASED_FOOTNOTE in codes or bool(footnotes and NOT_RELEASED_RE.search(footnotes)):
        if text in NOT_AVAILABLE_TOKENS or not text:
            return None, "not_released", NOT_RELEASED_FOOTNOTE
    if text in NOT_AVAILABLE_TOKENS:
        return None, "not_available", text
    wage, status, code = classify_token(text)
    if status == "released" and top:
        return wage, "top_coded", TOP_CODED_FOOTNOTE
    return wage, status, code


def _read_points(path: Path) -> list[tuple[str, dict, str | None]]:
    """(seriesID, data point, footnote text) of one stored file: an API v2 answer (.json) or the flat file (.csv)."""
    if path.suffix.lower() == ".csv":
        text = path.read_text(encoding="utf-8-sig")
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in FLAT_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SnapshotError(f"{path}: not a BLS flat file: columns {missing} missing (header {reader.fieldnames})")
        return [(row["series_id"].strip(), {k: row[k] for k in FLAT_COLUMNS if k != "series_id"},
                 footnote_text(row.get("footnote_codes"))) for row in reader]
    try:
        body = json.loads(path.read_bytes())
    except ValueError as exc:
        raise SnapshotError(f"{path}: not valid JSON ({exc})") from None
    body = body if isinstance(body, dict) else {}
    results = body.get("Results")
    series_list = results.get("series") if isinstance(results, dict) else None
    if body.get("status") != "REQUEST_SUCCEEDED" or not isinstance(series_list, list):
        raise SnapshotError(f"{path}: not a successful BLS API v2 answer (status {body.get('status')!r}, "
                         f"Results.series {'present' if isinstance(series_list, list) else 'missing'})")
    return [(str(series.get("seriesID", "")), point, _footnotes(point.get("footnotes")))
            for series in series_list for point in series.get("data") or []]


def transform(snapshot_dir: Path, config: dict) -> dict[str, pd.DataFrame]:
    """Stored API answers -> wages (one row per series x year), the crosswalk, raw rows, quarantine."""
    snapshot_dir = Path(snapshot_dir)
    snap_id = snapshot_id(snapshot_dir)
    titles = {str(k): v for k, v in (config.get("soc_titles") or {}).items()}
    wages: dict[tuple, dict] = {}
    raws: list[dict] = []
    quarantine: list[dict] = []
    for entry in snapshot_files(snapshot_dir):
        path = entry["path"]
        if path.suffix.lower() not in (".json", ".csv"):
            continue
        src = source_file_of(path)
        n = 0
        for sid, point, notes in _read_points(path):
            n += 1
            values = {"seriesID": sid, **{k: point.get(k) for k in point}}
            raws.append(raw_row(snap_id, src, n, values))
            where = f"{src} data point {n}"
            problems = []
            m = SERIES_RE.match(sid)
            if not m:
                problems.append(("seriesID", "pattern", f"{where}, seriesID {sid!r}: not a national or state OEWS series id"))
            else:
                area_kind, area, _industry, soc2, soc4, datatype = m.groups()
                state = None
                if area_kind == "S":
                    state = FIPS_STATE.get(area[:2])
                    if state is None or area[2:] != "00000":
                        problems.append(("seriesID", "area", f"{where}, seriesID {sid!r}: area {area} is not a state"))
                elif area != "0000000":
                    problems.append(("seriesID", "area", f"{where}, seriesID {sid!r}: national area must be 0000000"))
                if datatype not in DATATYPES:
                    problems.append(("seriesID", "datatype", f"{where}, seriesID {sid!r}: datatype {datatype} is not an annual wage (04, 11-15)"))
            period = str(point.get("period", ""))
            if period != "A01":
                problems.append(("period", "annual", f"{where}, period {period!r}: OEWS annual data have period A01"))
            year = str(point.get("year", ""))
            if not re.fullmatch(r"\d{4}", year):
                problems.append(("year", "pattern", f"{where}, year {year!r}: not a 4-digit year"))
            try:
                wage, status, code = classify_wage(point.get("value"), notes)
                if wage is not None and wage < 0:
                    raise ValueProblem(f"{wage:g} is negative")
            except ValueProblem as exc:
                problems.append(("value", "number_or_code", f"{where}, value: {exc}"))
            if not problems:
                key = (sid, int(year))
                soc = f"{soc2}-{soc4}"
                row = {"series_id": sid, "soc_code": soc, "soc_title": titles.get(soc),
                       "area_type": "national" if area_kind == "N" else "state", "state_code": state,
                       "reference_year": int(year), "wage_measure": DATATYPES[datatype], "wage_usd": wage,
                       "value_status": status, "footnote_codes": notes, "snapshot_id": snap_id}
                if key in wages and wages[key] != row:
                    problems.append(("seriesID,year", "duplicate_key", f"{where}: {sid} {year} already read with a different value"))
                else:
                    wages[key] = row
                    continue
            quarantine.append(quarantine_row(src, file_sha256(path, entry), n, NAME, problems, values))
    return {
        WAGES_TABLE: typed_frame(WAGES_TABLE, wages.values()),
        CROSSWALK_TABLE: crosswalk_frame(config),
        RAW_TABLE: typed_frame(RAW_TABLE, raws),
        "_quarantine": typed_frame("core_ingest__quarantine", quarantine),
    }


def crosswalk_frame(config: dict) -> pd.DataFrame:
    titles = {str(k): v for k, v in (config.get("soc_titles") or {}).items()}
    rows = [{"role_category": role, "soc_code": _soc(soc), "soc_title": titles.get(soc)}
            for role, socs in (config.get("role_soc") or {}).items() for soc in socs]
    return typed_frame(CROSSWALK_TABLE, rows)


SOURCE = register(Source(
    name=NAME,
    title="BLS Occupational Employment and Wage Statistics (OEWS): annual wages by occupation, national and state",
    publisher="U.S. Bureau of Labor Statistics",
    licence="Public domain (work of the U.S. federal government); cite the BLS OEWS program",
    url="https://www.bls.gov/oes/",
    transform=transform,
    fetch=fetch,
    api_key_env="BLS_API_KEY",
))
