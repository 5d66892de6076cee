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
from flows.snapshots import SnapshotError, snapshot_files
from flows.sources import FetchedFile, HttpClient, Source, register
from flows.sources.public_programs import cell_row, in_program_scope, outcome_row, parse_cohort_text
from flows.sources.tabular import ValueProblem, classify_token, raw_row, typed_frame
from flows.sources.lineage import file_sha256, quarantine_row, snapshot_id, source_file_of

logger = logging.getLogger("outcomes.sources.college_scorecard")

NAME = "college_scorecard"
EARNINGS_TABLE = "core_public__program_earnings"
DEBT_TABLE = "core_college_scorecard__program_debt"
RAW_TABLE = "raw_college_scorecard__field_of_study"
CELLS_TABLE = "core_public__program_cells"
OUTCOMES_TABLE = "core_public__program_outcomes"

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
    (3, [("EARN_NE_MDN_3YR", "EARN_COUNT_NE_3YR")]),
    (4, [("EARN_MDN_4YR", "EARN_COUNT_WNE_4YR")]),
    (5, [("EARN_MDN_5YR", "EARN_COUNT_WNE_5YR")]),
]
DEBT = ("DEBT_ALL_STGP_EVAL_MDN", "DEBT_ALL_STGP_EVAL_N")
PAYMENT = "DEBT_ALL_STGP_EVAL_MDN10YRPAY"

#: Older field-of-study layout (files FieldOfStudyData1415_1516_PP, ..._1516_1617_PP): every column is
#: prefixed ``P_`` and some have older names. Older name -> current name (Scorecard data dictionary,
#: sheet FieldOfStudy_Data_Dictionary, and the API dictionary data.yaml, which maps the API's
#: ``programs.cip_4_digit.*`` fields to ``P_``-prefixed columns). Evidence for the earnings pair: the
#: cohort map gives EARN_MDN_HI_1YR no cohort ("NA") in the 1415_1516 file and a cohort in the
#: 1516_1617 file, exactly where P_MD_EARN_WNE is all NULL / published. P_COUNT, P_DEBTMEAN and
#: P_TITLEIVCOUNT keep their names (raw table only).
OLD_LAYOUT = {
    "P_MD_EARN_WNE": "EARN_MDN_HI_1YR", "P_EARNINGSCOUNT": "EARN_COUNT_WNE_HI_1YR",
    "P_DEBTMEDIAN": "DEBT_ALL_STGP_EVAL_MDN", "P_DEBTPAYMENT10YR": "DEBT_ALL_STGP_EVAL_MDN10YRPAY",
}
#: Columns kept under their ``P_`` name (their current-layout meaning is not settled by the dictionaries).
OLD_KEEP = {"P_COUNT", "P_DEBTMEAN", "P_TITLEIVCOUNT"}

#: Scorecard CONTROL codes of the current layout (text in the older one).
CONTROL = {"1": "Public", "2": "Private, nonprofit", "3": "Private, for-profit", "4": "Foreign"}

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
        raise SnapshotError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(body, dict) or not isinstance(body.get("results"), list):
        raise SnapshotError(f"{path}: expected a College Scorecard API page with a 'results' array")
    n = 0
    for school in body["results"]:
        programs = _get(school, "latest.programs.cip_4_digit")
        if programs is _MISSING or programs is None:
            continue
        if not isinstance(programs, list):
            raise SnapshotError(f"{path}: latest.programs.cip_4_digit of school {school.get('id')} is not an array")
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


def current_name(column: str) -> str:
    """Current-layout name of a column of either layout (P_UNITID -> UNITID, P_MD_EARN_WNE -> EARN_MDN_HI_1YR)."""
    column = column.strip()
    if column in OLD_LAYOUT:
        return OLD_LAYOUT[column]
    if column.startswith("P_") and column not in OLD_KEEP:
        return column[2:]
    return column


def _csv_records(path: Path, families: tuple[str, ...]) -> Iterator[tuple[int, dict]]:
    for member, fh in _csv_text_streams(path):
        reader = csv.DictReader(fh)
        if reader.fieldnames and "P_UNITID" in reader.fieldnames:  # older P_ layout
            reader.fieldnames = [current_name(c) for c in reader.fieldnames]
        missing = {"UNITID", "CIPCODE", "CREDLEV"} - set(reader.fieldnames or [])
        if missing:
            raise SnapshotError(f"{path}{'!' + member if member != path.name else ''}: not a Field-of-Study file, "
                             f"missing column(s) {sorted(missing)}")
        for i, row in enumerate(reader, start=1):
            if in_families(normalise_cip4(row.get("CIPCODE")), families):
                yield i, row


# --- transform -------------------------------------------------------------------------------

def _label(config: dict, years: int) -> str:
    labels = config.get("cohort_labels") or {}
    return str(labels.get(str(years)) or labels.get(years) or "most_recent")


def _fallback_label(config: dict, years: int, vintage: str) -> str:
    """Cohort label without the data dictionary: the configured label of the most recent file, or the
    vintage's own name ('FieldOfStudyData1516_1617') so that two vintages never share a label."""
    return _label(config, years) if vintage == "FieldOfStudyMostRecent" else vintage


def _count(value: Any, column: str) -> int | None:
    number, status, _ = classify_token(value)
    if number is None:
        return None
    if number < 0 or number != int(number):
        raise ValueProblem(f"{column}: count {value!r} is not a non-negative whole number")
    return int(number)


# --- vintages, cohort map, institution file -------------------------------------------------

_VINTAGE = re.compile(r"FieldOfStudyData(\d{4}_\d{4})", re.IGNORECASE)
DICTIONARY_GLOB = "CollegeScorecardDataDictionary*.xlsx"
COHORT_SHEET = "FieldOfStudy_Cohort_Map"
SUPPRESSION_RULE = ("withheld by the publisher for privacy (College Scorecard suppresses cells with too few "
                    "students behind them)")


def vintage_of(file_name: str) -> str:
    """'FieldOfStudyData1516_1617_PP.csv' -> 'FieldOfStudyData1516_1617'; most-recent files -> 'FieldOfStudyMostRecent'."""
    m = _VINTAGE.search(file_name)
    return f"FieldOfStudyData{m.group(1)}" if m else "FieldOfStudyMostRecent"


def is_institution_file(path: Path) -> bool:
    """The institution-level file (MERGED<year>_PP*.csv) sits beside the field-of-study files in a snapshot."""
    return path.name.upper().startswith("MERGED")


def load_cohort_map(snapshot_dir: Path) -> dict[tuple[str, str], str]:
    """(variable, vintage) -> the cohort text of the data dictionary's FieldOfStudy_Cohort_Map sheet
    ('NA' cells left out: the vintage does not publish that measure). Empty without a dictionary."""
    import openpyxl

    books = sorted(Path(snapshot_dir).glob(DICTIONARY_GLOB))
    if not books:
        return {}
    wb = openpyxl.load_workbook(books[-1], read_only=True)
    try:
        if COHORT_SHEET not in wb.sheetnames:
            raise SnapshotError(f"{source_file_of(books[-1])}: no sheet {COHORT_SHEET!r}")
        rows = wb[COHORT_SHEET].iter_rows(values_only=True)
        header = [str(h or "").replace(" datafile", "").strip() for h in next(rows)]
        out = {}
        for row in rows:
            if not row or not row[0]:
                continue
            for vintage, text in zip(header[1:], row[1:]):
                if vintage and text and str(text).strip() != "NA":
                    out[(str(row[0]).strip(), vintage)] = str(text).strip()
        return out
    finally:
        wb.close()


def load_institutions(snapshot_dir: Path) -> dict[str, dict]:
    """UNITID -> row of the institution file (state, control), when the snapshot has one."""
    out: dict[str, dict] = {}
    for path in sorted(Path(snapshot_dir).glob("*.csv")):
        if is_institution_file(path):
            with open(path, encoding="utf-8-sig", newline="") as fh:
                for row in csv.DictReader(fh):
                    out[row["UNITID"].strip()] = row
    return out


def _outcome(unitid, cip, credlev, measure, years, value, unit, status, code, count, info, differ, column,
             snap_id, src, row_number) -> dict:
    dollar_year = info.get("dollar_year")
    return outcome_row(
        data_origin=NAME, institution_id=unitid, cip_code=cip, credential_level_code=credlev, measure=measure,
        years=years, value=value, value_unit=unit, value_status=status, snapshot_id=snap_id,
        grad_cohort=info["grad_cohort"], cohorts_differ=differ, value_count=count,
        cohort_first_year=info.get("cohort_first_year"), cohort_last_year=info.get("cohort_last_year"),
        measurement_period=info.get("measurement_period"), dollar_year=dollar_year,
        dollar_year_basis=(f"College Scorecard data dictionary, FieldOfStudy_Cohort_Map, {column}" if dollar_year else None),
        suppression_code=code, suppression_reason=SUPPRESSION_RULE if status == "suppressed" else None,
        source_file=src, source_row_number=row_number)


def transform(snapshot_dir: Path, config: dict) -> dict[str, pd.DataFrame]:
    """Snapshot (API pages and/or bulk CSV) -> earnings rows, debt rows, raw rows, quarantine."""
    snapshot_dir = Path(snapshot_dir)
    families = cip_families(config)
    snap_id = snapshot_id(snapshot_dir)
    earnings: dict[tuple, dict] = {}
    debts: dict[tuple, dict] = {}
    cells: dict[tuple, dict] = {}
    outcomes: dict[tuple, dict] = {}
    program_cfg = config.get("programs")
    cohort_map = load_cohort_map(snapshot_dir)
    institutions = load_institutions(snapshot_dir)
    raws: list[dict] = []
    quarantine: list[dict] = []
    duplicates = 0
    for entry in snapshot_files(snapshot_dir):
        path = entry["path"]
        suffix = path.suffix.lower()
        if suffix == ".json":
            records = _api_records(path)
        elif suffix in (".csv", ".zip") and not is_institution_file(path):
            records = _csv_records(path, families)
        else:
            continue
        src = source_file_of(path)
        vintage = vintage_of(path.name)
        cohorts = {col: parse_cohort_text(text) for (col, v), text in cohort_map.items() if v == vintage}
        # Without the data dictionary the cohorts are unknown: say they may differ.
        differ = (not cohort_map) or len({cohorts[m]["grad_cohort"] for _, cands in MEASURES
                                          for m, _ in cands if m in cohorts}) > 1
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
            if state is None and unitid in institutions:
                state = institutions[unitid]["STABBR"]
            control = rec.get("CONTROL")
            control = CONTROL.get(str(control).strip(), str(control).strip() or None) if control is not None else None
            if unitid in institutions and control is None:
                control = CONTROL.get(institutions[unitid].get("CONTROL", ""))
            cip = f"{cip4[:2]}.{cip4[2:]}"
            new_earn, new_debt, new_out = [], [], []
            for years, candidates in MEASURES:
                cols = next(((m, c) for m, c in candidates if m in rec), None)
                if cols is None:
                    continue
                mcol, ccol = cols
                if cohort_map and mcol not in cohorts:
                    continue  # the data dictionary says this vintage does not publish the measure
                try:
                    value, status, code = classify_token(rec.get(mcol))
                    if value is not None and value < 0:
                        raise ValueProblem(f"{value:g} is negative")
                    count = _count(rec.get(ccol), ccol) if ccol in rec else None
                except ValueProblem as exc:
                    problems.append((mcol, "number_or_code", f"{where}, column {mcol}/{ccol}: {exc}"))
                    continue
                info = cohorts.get(mcol) or {"grad_cohort": _fallback_label(config, years, vintage)}
                new_earn.append({
                    "data_origin": NAME, "institution_id": unitid, "institution_name": name,
                    "state_code": state, "cip_code": cip,
                    "credential_level": CREDLEV.get(credlev), "credential_level_code": credlev,
                    "grad_cohort": info["grad_cohort"], "years_after_graduation": years,
                    "earnings_p25_usd": None, "earnings_median_usd": value, "earnings_p75_usd": None,
                    "earnings_count": count, "value_status": status, "suppression_code": code,
                    "snapshot_id": snap_id,
                })
                new_out.append(_outcome(unitid, cip, credlev, "earnings_median", years, value, "usd_per_year",
                                        status, code, count, info, differ, mcol, snap_id, src, row_number))
            debt_info = cohorts.get(DEBT[0]) or {"grad_cohort": _fallback_label(config, 0, vintage)}
            if DEBT[0] in rec and (not cohort_map or DEBT[0] in cohorts):
                try:
                    value, status, code = classify_token(rec.get(DEBT[0]))
                    if value is not None and value < 0:
                        raise ValueProblem(f"{value:g} is negative")
                    count = _count(rec.get(DEBT[1]), DEBT[1]) if DEBT[1] in rec else None
                    payment, pstatus, pcode = classify_token(rec.get(PAYMENT)) if PAYMENT in rec else (None, None, None)
                    if payment is not None and payment < 0:
                        raise ValueProblem(f"{PAYMENT} {payment:g} is negative")
                    new_debt.append({
                        "institution_id": unitid, "opeid6": opeid6, "institution_name": name,
                        "cip_code": cip, "credential_level": CREDLEV.get(credlev),
                        "credential_level_code": credlev, "grad_cohort": debt_info["grad_cohort"],
                        "debt_median_usd": value, "debt_count": count,
                        "debt_monthly_payment_usd": payment, "value_status": status, "suppression_code": code,
                        "snapshot_id": snap_id,
                    })
                    new_out.append(_outcome(unitid, cip, credlev, "debt_median", 0, value, "usd", status, code, count,
                                            debt_info, differ, DEBT[0], snap_id, src, row_number))
                    if pstatus is not None:
                        new_out.append(_outcome(unitid, cip, credlev, "debt_monthly_payment", 0, payment, "usd_per_month",
                                                pstatus, pcode, count, debt_info, differ, PAYMENT, snap_id, src,
                                                row_number))
                except ValueProblem as exc:
                    problems.append((DEBT[0], "number_or_code", f"{where}, column {DEBT[0]}/{DEBT[1]}: {exc}"))
            keys_e = [(r["institution_id"], r["cip_code"], r["credential_level_code"], r["grad_cohort"],
                       r["years_after_graduation"]) for r in new_earn]
            keys_d = [(r["institution_id"], r["cip_code"], r["credential_level_code"], r["grad_cohort"]) for r in new_debt]
            keys_o = [(r["institution_id"], r["cip_code"], r["credential_level_code"], r["measure"],
                       r["years_after_graduation"], r["grad_cohort"]) for r in new_out]
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
            for k, r in zip(keys_o, new_out):
                outcomes.setdefault(k, r)
            if in_program_scope(cip, program_cfg):
                cells.setdefault((unitid, cip, credlev), cell_row(
                    data_origin=NAME, institution_id=unitid, cip_code=cip, credential_level_code=credlev,
                    credential_level=CREDLEV[credlev], snapshot_id=snap_id, unitid=unitid, opeid6=opeid6,
                    institution_name=name, state_code=state, institution_control=control,
                    cip_title=(str(rec.get("CIPDESC")).strip() or None) if rec.get("CIPDESC") is not None else None))
    if duplicates:
        logger.info("college_scorecard: %d rows repeated an identical row and were merged", duplicates)
    in_cells = {(c["institution_id"], c["cip_code"], c["credential_level_code"]) for c in cells.values()}
    return {
        EARNINGS_TABLE: typed_frame(EARNINGS_TABLE, earnings.values()),
        DEBT_TABLE: typed_frame(DEBT_TABLE, debts.values()),
        CELLS_TABLE: typed_frame(CELLS_TABLE, cells.values()),
        OUTCOMES_TABLE: typed_frame(OUTCOMES_TABLE, [r for r in outcomes.values()
                                                     if (r["institution_id"], r["cip_code"], r["credential_level_code"]) in in_cells]),
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
