"""College Scorecard field of study: program-level earnings and debt (U.S. Department of Education).

Owns the College Scorecard connector: ``fetch`` (the JSON API, paged) and ``transform``
(API pages or the bulk CSV found in a snapshot -> tables). It must not open the warehouse.

Where the data comes from (checked against the API's documented and observed shape):

- API: ``GET https://api.data.gov/ed/collegescorecard/v1/schools`` (there is no separate
  ``fields_of_study`` endpoint in v1). Field-of-study records are an array nested in each
  institution record, ``latest.programs.cip_4_digit[]``, one element per 4-digit CIP x
  credential level with ``code`` ("1107"), ``title``, ``unit_id``, ``ope6_id``,
  ``credential.{level,title}``, ``earnings.{1_yr,4_yr,5_yr}.overall_median_earnings`` and
  ``...working_not_enrolled.overall_count`` (older vintages ``earnings.highest.{1_yr,2_yr}``),
  ``debt.staff_grad_plus.all.eval_inst.{median,count}``. We filter with
  ``latest.programs.cip_4_digit.code=<comma-separated codes>`` (exact codes, so family 11 is
  listed code by code in ``sources.toml``); a filtered query returns only the matching array
  elements. Paging: ``page`` (from 0) and ``per_page`` (at most 100); the answer is
  ``{"metadata": {"total", "page", "per_page"}, "results": [...]}``. Key: the ``api_key``
  query parameter, from ``SCORECARD_API_KEY`` or ``DATA_GOV_API_KEY``. Each page is stored
  unchanged as ``page-NNNN.json``. The API returns suppressed cells as JSON null (it cannot
  tell suppressed from missing): they load as ``not_available`` with code ``null``.
- Bulk CSV: ``Most-Recent-Cohorts-Field-of-Study.csv`` (or the zip it is published in) put into
  a snapshot (``flows.snapshots.snapshot_local_files``). Columns UNITID, OPEID6, INSTNM,
  CONTROL, CIPCODE (4 digits, no dot), CIPDESC, CREDLEV, CREDDESC, EARN_MDN_1YR,
  EARN_COUNT_WNE_1YR, EARN_MDN_4YR, EARN_MDN_5YR, ... (older vintages EARN_MDN_HI_1YR / _2YR),
  DEBT_ALL_STGP_EVAL_MDN / _N. "PrivacySuppressed" / "PS" -> suppressed; "NULL" / "NA" /
  blank -> not_available; both null with the code kept verbatim, never zero, never rejected.

Rows whose CIP is outside the configured families are not read. A row that cannot be keyed
(no 6-digit UNITID, unknown CREDLEV) or holds a value that is neither a number nor a known code
goes to quarantine (``_quarantine``) with file, row, column, value and rule.

Graduation cohorts: the file does not say which award years a measure pools (the data
dictionary's FieldOfStudy_Cohort_Map does, per vintage), so ``grad_cohort`` is
``most_recent`` unless ``cohort_labels`` in ``sources.toml`` names them.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import re
import zipfile
from pathlib import Path
from typing import Any, Iterator

import pandas as pd

from flows import http
from flows.snapshots import snapshot_files
from flows.sources import FetchedFile, HttpClient, Source, register
from flows.sources.tabular import (ValueProblem, classify_token, file_sha256, quarantine_row, raw_row,
                                   snapshot_id_of, source_file_of, typed_frame)

logger = logging.getLogger("outcomes.sources.college_scorecard")

NAME = "college_scorecard"
EARNINGS_TABLE = "core_public__program_earnings"
DEBT_TABLE = "core_college_scorecard__program_debt"
RAW_TABLE = "raw_college_scorecard__field_of_study"

API_FIELDS = "id,ope6_id,school.name,school.state,latest.programs.cip_4_digit"

#: Scorecard CREDLEV -> credential_level vocabulary.
CREDLEV = {
    "1": "undergraduate_certificate", "2": "associate", "3": "bachelors",
    "4": "post_baccalaureate_certificate", "5": "masters", "6": "doctoral",
    "7": "first_professional", "8": "graduate_certificate",
}

#: years after graduation -> candidate (median column, count column), first present wins.
MEASURES = [
    (1, [("EARN_MDN_1YR", "EARN_COUNT_WNE_1YR"), ("EARN_MDN_HI_1YR", "EARN_COUNT_WNE_HI_1YR")]),
    (2, [("EARN_MDN_HI_2YR", "EARN_COUNT_WNE_HI_2YR")]),
    (4, [("EARN_MDN_4YR", "EARN_COUNT_WNE_4YR")]),
    (5, [("EARN_MDN_5YR", "EARN_COUNT_WNE_5YR")]),
]
DEBT = ("DEBT_ALL_STGP_EVAL_MDN", "DEBT_ALL_STGP_EVAL_N")

#: CSV column -> path inside an API program element.
API_PATHS = {
    "CIPCODE": "code", "CIPDESC": "title", "CREDLEV": "credential.level", "CREDDESC": "credential.title",
    "UNITID": "unit_id", "OPEID6": "ope6_id",
    "EARN_MDN_1YR": "earnings.1_yr.overall_median_earnings",
    "EARN_COUNT_WNE_1YR": "earnings.1_yr.working_not_enrolled.overall_count",
    "EARN_MDN_4YR": "earnings.4_yr.overall_median_earnings",
    "EARN_COUNT_WNE_4YR": "earnings.4_yr.working_not_enrolled.overall_count",
    "EARN_MDN_5YR": "earnings.5_yr.overall_median_earnings",
    "EARN_COUNT_WNE_5YR": "earnings.5_yr.working_not_enrolled.overall_count",
    "EARN_MDN_HI_1YR": "earnings.highest.1_yr.overall_median_earnings",
    "EARN_COUNT_WNE_HI_1YR": "earnings.highest.1_yr.working_not_enrolled.overall_count",
    "EARN_MDN_HI_2YR": "earnings.highest.2_yr.overall_median_earnings",
    "EARN_COUNT_WNE_HI_2YR": "earnings.highest.2_yr.working_not_enrolled.overall_count",
    "DEBT_ALL_STGP_EVAL_MDN": "debt.staff_grad_plus.all.eval_inst.median",
    "DEBT_ALL_STGP_EVAL_N": "debt.staff_grad_plus.all.eval_inst.count",
}
_MISSING = object()


# --- configuration ---------------------------------------------------------------------------

def _family_digits(family: str) -> str:
    digits = family.replace(".", "").strip()
    if not re.fullmatch(r"\d{2}(\d{2})?", digits):
        raise ValueError(f"college_scorecard.cip_families: {family!r} is not a 2-digit family or 4-digit series (e.g. '11', '27.05')")
    return digits


def cip_families(config: dict) -> tuple[str, ...]:
    return tuple(_family_digits(f) for f in config.get("cip_families", ["11", "27.05", "30.70", "30.08"]))


def normalise_cip4(value: Any) -> str | None:
    """'1107', '11.07', 1107 -> '1107'; a code that lost its leading zero ('107') is padded."""
    if value is None:
        return None
    text = str(value).strip().replace(".", "")
    if not text.isdigit() or not 3 <= len(text) <= 4:
        return None
    return text.zfill(4)


def in_families(cip4: str | None, families: tuple[str, ...]) -> bool:
    return cip4 is not None and any(cip4.startswith(f) for f in families)


# --- extract -----------------------------------------------------------------------------------

def fetch(client: HttpClient, config: dict) -> list[FetchedFile]:
    """All pages of the API answer for the configured CIP codes, stored unchanged."""
    key = http.api_key(*http.SCORECARD_KEY_ENV)
    if not key:
        raise http.FetchError("College Scorecard API needs a key: set SCORECARD_API_KEY (or DATA_GOV_API_KEY); "
                              "get one at https://api.data.gov/signup/")
    families = cip_families(config)
    codes = [normalise_cip4(c) for c in config.get("api_cip4_codes", [])]
    bad = [c for c, n in zip(config.get("api_cip4_codes", []), codes) if not in_families(n, families)]
    if bad or not codes:
        raise ValueError(f"college_scorecard.api_cip4_codes must be 4-digit codes inside cip_families {families}; bad: {bad}")
    url = config.get("api_url", "https://api.data.gov/ed/collegescorecard/v1/schools")
    per_page = int(config.get("per_page", 100))
    max_pages = int(config.get("max_pages", 500))
    files: list[FetchedFile] = []
    page = 0
    while True:
        params = {"latest.programs.cip_4_digit.code": ",".join(codes), "fields": API_FIELDS,
                  "per_page": per_page, "page": page}
        response = client.request("GET", url, params={**params, "api_key": key})
        body = http.parse_json(response, f"College Scorecard page {page}")
        meta = body.get("metadata") if isinstance(body, dict) else None
        results = body.get("results") if isinstance(body, dict) else None
        if not isinstance(meta, dict) or not isinstance(results, list) or not isinstance(meta.get("total"), int):
            detail = body.get("error") if isinstance(body, dict) else None
            raise http.ResponseFormatError(
                f"College Scorecard page {page} from {http.redact_url(response.request.url)}: expected "
                f"{{'metadata': {{'total': int, ...}}, 'results': [...]}}" + (f"; error: {detail}" if detail else ""),
                url=str(response.request.url), status=response.status_code)
        files.append(FetchedFile(name=f"page-{page + 1:04d}.json", content=response.content, url=url,
                                 params=params, status=response.status_code))
        total = meta["total"]
        pages_needed = max(1, math.ceil(total / per_page))
        page += 1
        if page >= pages_needed or not results:
            break
        if page >= max_pages:
            raise http.FetchError(f"College Scorecard: {total} records need {pages_needed} pages, more than "
                                  f"max_pages={max_pages}; raise max_pages in sources.toml")
    logger.info("college_scorecard: fetched %d pages", len(files))
    return files


# --- reading snapshot files into CSV-named records --------------------------------------------------

def _get(obj: Any, dotted: str) -> Any:
    """obj[dotted] (flat keys, as the API answers with ``fields=``) or the nested path; _MISSING if absent."""
    if isinstance(obj, dict) and dotted in obj:
        return obj[dotted]
    cur = obj
    for part in dotted.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return _MISSING
        cur = cur[part]
    return cur


def _api_records(path: Path) -> Iterator[tuple[int, dict]]:
    try:
        body = json.loads(path.read_bytes())
    except ValueError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(body, dict) or not isinstance(body.get("results"), list):
        raise ValueError(f"{path}: expected a College Scorecard API page with a 'results' array")
    n = 0
    for school in body["results"]:
        programs = _get(school, "latest.programs.cip_4_digit")
        if programs is _MISSING or programs is None:
            continue
        if not isinstance(programs, list):
            raise ValueError(f"{path}: latest.programs.cip_4_digit of school {school.get('id')} is not an array")
        for program in programs:
            n += 1
            rec: dict = {}
            for col, p in API_PATHS.items():
                v = _get(program, p)
                if v is not _MISSING:
                    rec[col] = v
            if rec.get("UNITID") in (None, ""):
                rec["UNITID"] = school.get("id")
            if rec.get("OPEID6") in (None, ""):
                rec["OPEID6"] = school.get("ope6_id")
            name = _get(program, "school.name")
            if name is _MISSING or name is None:
                name = _get(school, "school.name")
            rec["INSTNM"] = None if name is _MISSING else name
            state = _get(school, "school.state")
            if state is not _MISSING:
                rec["STABBR"] = state
            yield n, rec


def _csv_text_streams(path: Path) -> Iterator[tuple[str, io.TextIOBase]]:
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as zf:
            for member in zf.namelist():
                if member.lower().endswith(".csv") and "field-of-study" in member.lower().replace("_", "-"):
                    with zf.open(member) as raw:
                        yield member, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    else:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            yield path.name, fh


def _csv_records(path: Path, families: tuple[str, ...]) -> Iterator[tuple[int, dict]]:
    for member, fh in _csv_text_streams(path):
        reader = csv.DictReader(fh)
        missing = {"UNITID", "CIPCODE", "CREDLEV"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}{'!' + member if member != path.name else ''}: not a Field-of-Study file, "
                             f"missing column(s) {sorted(missing)}")
        for i, row in enumerate(reader, start=1):
            if in_families(normalise_cip4(row.get("CIPCODE")), families):
                yield i, row


# --- transform -------------------------------------------------------------------------------

def _label(config: dict, years: int) -> str:
    labels = config.get("cohort_labels") or {}
    return str(labels.get(str(years)) or labels.get(years) or "most_recent")


def _count(value: Any, column: str) -> int | None:
    number, status, _ = classify_token(value)
    if number is None:
        return None
    if number < 0 or number != int(number):
        raise ValueProblem(f"{column}: count {value!r} is not a non-negative whole number")
    return int(number)


def transform(snapshot_dir: Path, config: dict) -> dict[str, pd.DataFrame]:
    """Snapshot (API pages and/or bulk CSV) -> earnings rows, debt rows, raw rows, quarantine."""
    snapshot_dir = Path(snapshot_dir)
    families = cip_families(config)
    snap_id = snapshot_id_of(snapshot_dir)
    earnings: dict[tuple, dict] = {}
    debts: dict[tuple, dict] = {}
    raws: list[dict] = []
    quarantine: list[dict] = []
    duplicates = 0
    for entry in snapshot_files(snapshot_dir):
        path = entry["path"]
        suffix = path.suffix.lower()
        if suffix == ".json":
            records = _api_records(path)
        elif suffix in (".csv", ".zip"):
            records = _csv_records(path, families)
        else:
            continue
        src = source_file_of(path)
        for row_number, rec in records:
            cip4 = normalise_cip4(rec.get("CIPCODE"))
            if not in_families(cip4, families):
                continue
            raws.append(raw_row(snap_id, src, row_number, rec))
            problems: list[tuple[str, str, str]] = []
            where = f"{src} row {row_number}"
            unitid = str(rec.get("UNITID") if rec.get("UNITID") is not None else "").strip()
            if not re.fullmatch(r"\d{6}", unitid):
                problems.append(("UNITID", "pattern", f"{where}, column UNITID: {unitid!r} is not a 6-digit IPEDS UNITID"))
            credlev = str(rec.get("CREDLEV") if rec.get("CREDLEV") is not None else "").strip()
            if credlev.endswith(".0"):
                credlev = credlev[:-2]
            if credlev not in CREDLEV:
                problems.append(("CREDLEV", "vocabulary", f"{where}, column CREDLEV: {credlev!r} is not one of 1-8"))
            opeid = str(rec.get("OPEID6") or "").strip()
            opeid6 = opeid.zfill(6) if opeid.isdigit() and len(opeid) <= 6 else None
            state = rec.get("STABBR")
            state = state if isinstance(state, str) and re.fullmatch(r"[A-Z]{2}", state) else None
            name = rec.get("INSTNM")
            new_earn, new_debt = [], []
            for years, candidates in MEASURES:
                cols = next(((m, c) for m, c in candidates if m in rec), None)
                if cols is None:
                    continue
                mcol, ccol = cols
                try:
                    value, status, code = classify_token(rec.get(mcol))
                    if value is not None and value < 0:
                        raise ValueProblem(f"{value:g} is negative")
                    count = _count(rec.get(ccol), ccol) if ccol in rec else None
                except ValueProblem as exc:
                    problems.append((mcol, "number_or_code", f"{where}, column {mcol}/{ccol}: {exc}"))
                    continue
                new_earn.append({
                    "data_origin": NAME, "institution_id": unitid, "institution_name": name,
                    "state_code": state, "cip_code": f"{cip4[:2]}.{cip4[2:]}",
                    "credential_level": CREDLEV.get(credlev), "credential_level_code": credlev,
                    "grad_cohort": _label(config, years), "years_after_graduation": years,
                    "earnings_p25_usd": None, "earnings_median_usd": value, "earnings_p75_usd": None,
                    "earnings_count": count, "value_status": status, "suppression_code": code,
                    "snapshot_id": snap_id,
                })
            if DEBT[0] in rec:
                try:
                    value, status, code = classify_token(rec.get(DEBT[0]))
                    if value is not None and value < 0:
                        raise ValueProblem(f"{value:g} is negative")
                    count = _count(rec.get(DEBT[1]), DEBT[1]) if DEBT[1] in rec else None
                    new_debt.append({
                        "institution_id": unitid, "opeid6": opeid6, "institution_name": name,
                        "cip_code": f"{cip4[:2]}.{cip4[2:]}", "credential_level": CREDLEV.get(credlev),
                        "credential_level_code": credlev, "debt_median_usd": value, "debt_count": count,
                        "value_status": status, "suppression_code": code, "snapshot_id": snap_id,
                    })
                except ValueProblem as exc:
                    problems.append((DEBT[0], "number_or_code", f"{where}, column {DEBT[0]}/{DEBT[1]}: {exc}"))
            keys_e = [(r["institution_id"], r["cip_code"], r["credential_level_code"], r["grad_cohort"],
                       r["years_after_graduation"]) for r in new_earn]
            keys_d = [(r["institution_id"], r["cip_code"], r["credential_level_code"]) for r in new_debt]
            if not problems:
                clash = [k for k, r in zip(keys_e, new_earn) if k in earnings and earnings[k] != r]
                clash += [k for k, r in zip(keys_d, new_debt) if k in debts and debts[k] != r]
                if clash:
                    problems.append(("UNITID,CIPCODE,CREDLEV", "duplicate_key",
                                     f"{where}: UNITID {unitid}, CIPCODE {cip4}, CREDLEV {credlev} already read "
                                     f"with different values"))
            if problems:
                quarantine.append(quarantine_row(src, file_sha256(path, entry), row_number, NAME, problems, rec))
                continue
            if any(k in earnings for k in keys_e) or any(k in debts for k in keys_d):
                duplicates += 1  # identical repeat of a row already read (e.g. a distance-education twin)
            earnings.update(zip(keys_e, new_earn))
            debts.update(zip(keys_d, new_debt))
    if duplicates:
        logger.info("college_scorecard: %d rows repeated an identical row and were merged", duplicates)
    return {
        EARNINGS_TABLE: typed_frame(EARNINGS_TABLE, earnings.values()),
        DEBT_TABLE: typed_frame(DEBT_TABLE, debts.values()),
        RAW_TABLE: typed_frame(RAW_TABLE, raws),
        "_quarantine": typed_frame("core_ingest__quarantine", quarantine),
    }


SOURCE = register(Source(
    name=NAME,
    title="College Scorecard: field of study (earnings and debt by institution x CIP x credential level)",
    publisher="U.S. Department of Education",
    licence="Public domain (work of the U.S. federal government); cite the College Scorecard",
    url="https://collegescorecard.ed.gov/data/",
    transform=transform,
    fetch=fetch,
    api_key_env="SCORECARD_API_KEY",
))
