"""Census PSEO (Post-Secondary Employment Outcomes) earnings: extract and transform.

Owns reading PSEO earnings from a snapshot folder -- the bundled CSV copy
(``pseoe_all.csv`` + ``label_institution.csv``) or an API answer
(``https://api.census.gov/data/timeseries/pseo/earnings``, a JSON array of arrays whose
first row is the header) -- into ``raw_census_pseo__earnings`` (every row as read) and rows of
the shared ``core_public__program_earnings`` (data_origin ``census_pseo``). ``fetch`` only
asks the API and returns the answers; it never writes files (``flows/snapshots.py`` does).

The bundled file has 13,413 data rows (47 institutions in CO, TX, MI, WI). With the default
scope (CIP families 11, 14, 26, 27, 30 and their 4/6-digit children, every degree level)
2,414 of them are kept, and each kept row becomes three core rows (1, 5 and 10 years after
graduation): 7,242 rows of ``core_public__program_earnings``. Rows of other CIP families,
the all-CIP aggregates and rows by employment geography/industry other than national / all
industries stay in the raw table only.

Repairs of the bundled copy (it passed through a spreadsheet, see its README):
- ``institution`` lost its leading zeros and its 2-digit branch: 3658 is 00365800. Codes of
  up to 6 digits are restored as ``zfill(6) + "00"``; 7-8 digit codes as ``zfill(8)``.
- ``degree_level`` 7 is 07 (``zfill(2)``), mapped to the ``credential_level`` vocabulary.
- ``cipcode``: "11.XX" is the 2-digit family 11 (cip_code ``11``); at cip_level 4 "9.01" is
  09.01, "45.1" is 45.10 and "51" is 51.00 (dot form kept); at cip_level 6 the part after the
  dot is right-padded to 4 digits.

Status flags per measure: 1 released, 5 suppressed, -1 not available. A row whose earnings
status is not 1 loads with null earnings (never 0), ``value_status`` suppressed /
not_available and the publisher's token in ``suppression_code``. The graduate count has its
own flag; a withheld count with released earnings loads as a null count with its token.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd

from flows.http import FetchError, ResponseFormatError
from flows.settings import relative
from flows.sources import FetchedFile, HttpClient, Source, register
from flows.sources.public_programs import CIP2_TITLES, cell_row, in_program_scope, outcome_row
from flows.sources.tabular import typed_frame
from flows.sources.snapshot_files import SnapshotError, files_config, read_manifest, snapshot_file
from flows.sources.lineage import problem, quarantine_frame, quarantine_row, snapshot_id
from schemas.tables.census_pseo import PSEO_COLUMNS, RAW_FIELDS

SOURCE = "census_pseo"
FILE_KIND = "census_pseo_earnings"
YEARS = (1, 5, 10)
CELLS_TABLE = "core_public__program_cells"
OUTCOMES_TABLE = "core_public__program_outcomes"

#: PSEO degree_level (2 digits) -> credential_level vocabulary (schemas/tables/public.py).
DEGREE_LEVELS = {
    "01": "undergraduate_certificate",  # certificate < 1 year
    "02": "undergraduate_certificate",  # certificate 1-2 years
    "03": "associate",
    "04": "undergraduate_certificate",  # certificate 2-4 years
    "05": "bachelors",
    "06": "post_baccalaureate_certificate",
    "07": "masters",
    "08": "post_masters_certificate",
    "17": "doctoral",  # research / scholarship
    "18": "first_professional",  # professional practice
    "19": "other_doctoral",
}
STATUS = {"1": "released", "5": "suppressed", "-1": "not_available"}

#: Columns the transform needs (the rest of PSEO_COLUMNS are kept in the raw table when present).
REQUIRED_COLUMNS = ("institution", "degree_level", "cipcode", "grad_cohort") + tuple(
    f"{y}_{m}" for y in ("y1", "y5", "y10") for m in ("p25_earnings", "p50_earnings", "p75_earnings", "grads_earn")
) + tuple(f"status_{y}_{m}" for y in ("y1", "y5", "y10") for m in ("earnings", "grads_earn"))


# --- repairs ---------------------------------------------------------------------------

def restore_institution(raw: str) -> str:
    """8-digit PSEO institution code from a possibly zero-stripped one (3658 -> 00365800)."""
    text = str(raw).strip()
    if not text.isdigit() or len(text) > 8:
        raise ValueError(f"institution code {raw!r} is not 1-8 digits")
    return text.zfill(6) + "00" if len(text) <= 6 else text.zfill(8)


def restore_degree_level(raw: str) -> str:
    text = str(raw).strip()
    if not text.isdigit() or len(text) > 2:
        raise ValueError(f"degree_level {raw!r} is not 1-2 digits")
    return text.zfill(2)


def restore_cip(raw: str, cip_level: str = "") -> str | None:
    """CIP code in the project's form (``11``, ``11.07``, ``11.0701``); None for the all-CIP aggregate."""
    text = str(raw).strip()
    level = str(cip_level).strip().upper()
    if level == "A" or text in ("", "0"):
        return None
    m = re.fullmatch(r"(\d{1,2})\.XX", text, flags=re.IGNORECASE)
    if m:
        return m.group(1).zfill(2)
    m = re.fullmatch(r"(\d{1,2})(?:\.(\d{1,4}))?", text)
    if not m:
        raise ValueError(f"cipcode {raw!r} is not a CIP code")
    family, detail = m.group(1).zfill(2), m.group(2)
    if level == "2" or (detail is None and level not in ("4", "6")):
        if detail is not None:
            raise ValueError(f"cipcode {raw!r} has digits after the dot at cip_level 2")
        return family
    width = 4 if level == "6" or (detail is not None and len(detail) > 2) else 2
    return f"{family}.{(detail or '').ljust(width, '0')}"


def cohort_label(grad_cohort: str, years: str) -> str:
    """'2001' pooled over 5 years -> '2001-2005'; cohort 0 (all cohorts pooled) -> 'all'."""
    start = int(str(grad_cohort).strip() or 0)
    if start == 0:
        return "all"
    n = int(str(years).strip()) if str(years).strip().isdigit() else 1
    return str(start) if n <= 1 else f"{start}-{start + n - 1}"


# --- reading ---------------------------------------------------------------------------

def read_earnings_csv(path: Path) -> pd.DataFrame:
    """The earnings CSV as text, lower-case publisher column names, header checked."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.columns = [c.strip().lower() for c in df.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise SnapshotError(f"{relative(path)}: PSEO earnings file lacks columns {missing}")
    return df


def parse_api_json(content: bytes, where: str) -> pd.DataFrame:
    """Rows of a PSEO API answer (JSON array of arrays, header first) as text, lower-case names.

    An empty body (the API answers 204 No Content when nothing matches) or a header-only array
    gives zero rows. Anything else that is not that shape raises ``ResponseFormatError`` (a
    ``SourceError``).
    """
    if not content.strip():
        return pd.DataFrame(columns=list(PSEO_COLUMNS), dtype=str)
    try:
        data = json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ResponseFormatError(f"{where}: answer is not valid JSON ({exc}); it starts with {content[:80]!r}") from exc
    if not isinstance(data, list) or not data or not all(isinstance(r, list) for r in data):
        raise ResponseFormatError(f"{where}: expected a JSON array of arrays with a header row, got {str(data)[:80]!r}")
    header = data[0]
    if not all(isinstance(h, str) for h in header):
        raise ResponseFormatError(f"{where}: first row is not a header of names: {header[:5]!r}")
    names = [h.strip().lower() for h in header]
    for i, row in enumerate(data[1:], start=1):
        if len(row) != len(names):
            raise ResponseFormatError(f"{where}: data row {i} has {len(row)} values, the header has {len(names)}")
    rows = [["" if v is None else str(v) for v in r] for r in data[1:]]
    df = pd.DataFrame(rows, columns=names, dtype=str)
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise ResponseFormatError(f"{where}: answer lacks the variables {[c.upper() for c in missing]}")
    return df


def read_labels(path: Path) -> dict[str, tuple[str | None, str | None]]:
    """8-digit institution code -> (name, state) from label_institution.csv (UTF-8 with BOM)."""
    lab = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    out: dict[str, tuple[str | None, str | None]] = {}
    for code, name, state in zip(lab["institution"], lab["label"], lab.get("institution_state", "")):
        code = code.strip()
        if not code.isdigit():
            continue
        key = code.zfill(8) if len(code) > 6 else code.zfill(6) + "00"
        st = state.strip().upper()
        out[key] = (name.strip() or None, st if re.fullmatch(r"[A-Z]{2}", st) else None)
    return out


# --- transform -------------------------------------------------------------------------

def _number(text: str) -> float | None:
    t = str(text).strip().replace(",", "")
    if t == "":
        return None
    return float(t)


def transform_frame(df: pd.DataFrame, *, source_file: str, sha256: str, snap_id: str,
                    labels: dict, cip_families: list[str], dollar_year: int | None = None) -> dict[str, pd.DataFrame]:
    """Raw + core + quarantine frames from one file's rows (text, lower-case PSEO names)."""
    df = df.reset_index(drop=True)
    raw = pd.DataFrame({f"pseoe_{c}": (df[c] if c in df.columns else pd.Series([None] * len(df), dtype=object))
                        for c in PSEO_COLUMNS})
    raw = raw.astype(object).where(raw.notna(), None)
    raw["source_file"] = source_file
    raw["source_sha256"] = sha256
    raw["source_row_number"] = pd.array(range(1, len(df) + 1), dtype="Int64")
    raw["snapshot_id"] = snap_id
    raw = raw[list(RAW_FIELDS) + ["source_file", "source_sha256", "source_row_number", "snapshot_id"]]

    families = {str(f).zfill(2) for f in cip_families}
    core_rows: list[dict] = []
    quarantine: list[dict] = []
    for i, rec in enumerate(df.to_dict("records"), start=1):
        rec = {k: ("" if v is None else str(v).strip()) for k, v in rec.items()}
        if rec.get("geo_level", "N") not in ("N", "") or rec.get("ind_level", "A") not in ("A", ""):
            continue  # employment by state or industry: not this table's grain
        problems = []
        try:
            cip = restore_cip(rec["cipcode"], rec.get("cip_level", ""))
        except ValueError as exc:
            problems.append(problem(source_file, i, "cipcode", rec["cipcode"], "cip_code_unreadable", str(exc)))
            cip = None
        if not problems and (cip is None or cip[:2] not in families):
            continue  # out of scope (other CIP family or all-CIP aggregate)
        try:
            inst = restore_institution(rec["institution"])
        except ValueError as exc:
            problems.append(problem(source_file, i, "institution", rec["institution"], "institution_code_unreadable", str(exc)))
        try:
            level = restore_degree_level(rec["degree_level"])
            if level not in DEGREE_LEVELS:
                problems.append(problem(source_file, i, "degree_level", rec["degree_level"], "degree_level_unknown",
                                        f"not one of the PSEO degree levels {sorted(DEGREE_LEVELS)}"))
        except ValueError as exc:
            problems.append(problem(source_file, i, "degree_level", rec["degree_level"], "degree_level_unknown", str(exc)))
        try:
            cohort = cohort_label(rec["grad_cohort"], rec.get("grad_cohort_years", ""))
        except ValueError as exc:
            problems.append(problem(source_file, i, "grad_cohort", rec["grad_cohort"], "grad_cohort_unreadable", str(exc)))
        rows = []
        for y in YEARS:
            st_e, st_c = rec[f"status_y{y}_earnings"], rec[f"status_y{y}_grads_earn"]
            for col, st in ((f"status_y{y}_earnings", st_e), (f"status_y{y}_grads_earn", st_c)):
                if st not in STATUS:
                    problems.append(problem(source_file, i, col, st, "status_code_unknown",
                                            "PSEO status flags are 1 released, 5 suppressed, -1 not available"))
            if problems:
                continue
            values = {}
            if st_e == "1":
                for p, out in (("p25", "earnings_p25_usd"), ("p50", "earnings_median_usd"), ("p75", "earnings_p75_usd")):
                    col = f"y{y}_{p}_earnings"
                    try:
                        v = _number(rec[col])
                    except ValueError:
                        v = None
                    if v is None or v < 0:
                        problems.append(problem(source_file, i, col, rec[col], "released_value_not_number",
                                                "status 1 (released) needs a non-negative number"))
                    values[out] = v
            count = None
            if st_c == "1":
                col = f"y{y}_grads_earn"
                try:
                    count = _number(rec[col])
                except ValueError:
                    count = None
                if count is None or count < 0 or count != int(count):
                    problems.append(problem(source_file, i, col, rec[col], "released_value_not_number",
                                            "status 1 (released) needs a whole non-negative count"))
            token = st_e if st_e != "1" else (st_c if st_c != "1" else None)
            rows.append({
                "years_after_graduation": y,
                "earnings_p25_usd": values.get("earnings_p25_usd"),
                "earnings_median_usd": values.get("earnings_median_usd"),
                "earnings_p75_usd": values.get("earnings_p75_usd"),
                "earnings_count": None if count is None else int(count),
                "value_status": STATUS[st_e],
                "suppression_code": token,
            })
        if problems:
            quarantine.append(quarantine_row(source_file, sha256, i, FILE_KIND, problems, rec))
            continue
        name, state = labels.get(inst, (None, None))
        for r in rows:
            core_rows.append({
                "data_origin": SOURCE, "institution_id": inst, "institution_name": name, "state_code": state,
                "cip_code": cip, "credential_level": DEGREE_LEVELS[level], "credential_level_code": level,
                "grad_cohort": cohort, "snapshot_id": snap_id, "_row": i, **r,
            })

    core = pd.DataFrame(core_rows, columns=[
        "data_origin", "institution_id", "institution_name", "state_code", "cip_code", "credential_level",
        "credential_level_code", "grad_cohort", "years_after_graduation", "earnings_p25_usd",
        "earnings_median_usd", "earnings_p75_usd", "earnings_count", "value_status", "suppression_code",
        "snapshot_id", "_row"])
    key = ["institution_id", "cip_code", "credential_level_code", "grad_cohort", "years_after_graduation"]
    dup = core.duplicated(key, keep="first")
    if dup.any():
        first_rows = core.loc[~dup].set_index(key)["_row"]
        for row_no, grp in core.loc[dup].groupby("_row"):
            first = int(first_rows.loc[tuple(grp.iloc[0][key])])
            rec = {k: ("" if v is None else str(v)) for k, v in df.iloc[int(row_no) - 1].items()}
            quarantine.append(quarantine_row(source_file, sha256, int(row_no), FILE_KIND, [problem(
                source_file, int(row_no), "institution+degree_level+cipcode+grad_cohort",
                "/".join(str(grp.iloc[0][k]) for k in key[:4]), "duplicate_key",
                f"same cell as row {first}, which is kept")], rec, stage="build"))
        core = core.loc[~dup]
    cells, outcomes = program_rows(core, df, source_file=source_file, snap_id=snap_id, dollar_year=dollar_year)
    core = core.drop(columns="_row").reset_index(drop=True)
    for col in ("years_after_graduation", "earnings_count"):
        core[col] = core[col].astype("Int64")
    for col in ("earnings_p25_usd", "earnings_median_usd", "earnings_p75_usd"):
        core[col] = core[col].astype("float64")
    return {"raw_census_pseo__earnings": raw, "core_public__program_earnings": core,
            CELLS_TABLE: typed_frame(CELLS_TABLE, cells), OUTCOMES_TABLE: typed_frame(OUTCOMES_TABLE, outcomes),
            "_quarantine": quarantine_frame(quarantine)}


SUPPRESSION_REASON = {
    "suppressed": "status 5: withheld by the Census Bureau's confidentiality protection (too few graduates)",
    "not_available": "status -1: not available (the cohort is too recent for this horizon, or no data)",
}


def ipeds_status(rec: dict, years: int) -> str:
    """Status flag of the IPEDS completers count at a horizon: the newer per-horizon column
    (status_y1_ipeds_count ...) when present, else the older single status_ipeds_count."""
    per_horizon = str(rec.get(f"status_y{years}_ipeds_count") or "").strip()
    return per_horizon or str(rec.get("status_ipeds_count") or "").strip()


def program_rows(core: pd.DataFrame, df: pd.DataFrame, *, source_file: str, snap_id: str,
                 dollar_year: int | None) -> tuple[list[dict], list[dict]]:
    """Program cells and outcomes (earnings p25 / median / p75 and IPEDS completers per horizon) of the
    core rows whose CIP is in the public-program scope (flows/sources/public_programs.py)."""
    cells: dict[tuple, dict] = {}
    outcomes: list[dict] = []
    basis = f"assumed: {dollar_year} (sources.toml [census_pseo] dollar_year; see docs/METHODOLOGY.md)" if dollar_year else None
    for r in core.to_dict("records"):
        if not in_program_scope(r["cip_code"]):
            continue
        inst, cip, level = r["institution_id"], r["cip_code"], r["credential_level_code"]
        key = (inst, cip, level)
        if key not in cells:
            cells[key] = cell_row(data_origin=SOURCE, institution_id=inst, cip_code=cip, credential_level_code=level,
                                  credential_level=r["credential_level"], snapshot_id=snap_id, pseo_institution_id=inst,
                                  opeid6=inst[:6] if inst.endswith("00") else None,
                                  institution_name=r["institution_name"], state_code=r["state_code"],
                                  cip_title=CIP2_TITLES.get(cip) if len(cip) == 2 else None)
        cohort = r["grad_cohort"]
        years_span = [int(x) for x in cohort.split("-")] if cohort != "all" else []
        common = dict(data_origin=SOURCE, institution_id=inst, cip_code=cip, credential_level_code=level,
                      years=int(r["years_after_graduation"]), snapshot_id=snap_id, grad_cohort=cohort,
                      cohorts_differ=cohort == "all", cohort_first_year=min(years_span) if years_span else None,
                      cohort_last_year=max(years_span) if years_span else None, source_file=source_file,
                      source_row_number=int(r["_row"]))
        status = r["value_status"]
        code = r["suppression_code"] if status != "released" else None
        for measure, col in (("earnings_p25", "earnings_p25_usd"), ("earnings_median", "earnings_median_usd"),
                             ("earnings_p75", "earnings_p75_usd")):
            value = r[col]
            outcomes.append(outcome_row(
                measure=measure, value=None if pd.isna(value) else float(value), value_unit="usd_per_year",
                value_status=status, value_count=None if pd.isna(r["earnings_count"]) else int(r["earnings_count"]),
                dollar_year=dollar_year, dollar_year_basis=basis, suppression_code=code,
                suppression_reason=SUPPRESSION_REASON.get(status), **common))
        rec = {k: ("" if v is None else str(v).strip()) for k, v in df.iloc[int(r["_row"]) - 1].items()}
        y = int(r["years_after_graduation"])
        if f"y{y}_ipeds_count" in rec:
            st = ipeds_status(rec, y)
            cstatus = STATUS.get(st, "not_available")
            try:
                n = _number(rec[f"y{y}_ipeds_count"]) if cstatus == "released" else None
            except ValueError:
                n = None
            if cstatus == "released" and (n is None or n < 0 or n != int(n)):
                cstatus, n = "not_available", None
            outcomes.append(outcome_row(
                measure="completers", value=n, value_unit="count", value_status=cstatus,
                value_count=None if n is None else int(n), suppression_code=None if cstatus == "released" else (st or None),
                suppression_reason=(SUPPRESSION_REASON.get(cstatus) if st in STATUS else
                                    f"status flag {st or 'blank'}: count not published (flag not documented for this release)"),
                **common))
    return list(cells.values()), outcomes


def transform(snapshot_dir: Path, config: dict | None = None) -> dict[str, pd.DataFrame]:
    """Snapshot folder (bundled CSV or API JSON answers) -> raw, core and quarantine frames."""
    cfg = files_config(SOURCE, config)
    snapshot_dir = Path(snapshot_dir)
    manifest = read_manifest(snapshot_dir)
    names = [f["name"] for f in manifest["files"]]
    snap = snapshot_id(snapshot_dir)
    labels: dict = {}
    if cfg["labels_file"] in names:
        labels = read_labels(snapshot_file(snapshot_dir, cfg["labels_file"])[0])
    parts: list[tuple[pd.DataFrame, str, str]] = []
    if cfg["earnings_file"] in names:
        path, digest = snapshot_file(snapshot_dir, cfg["earnings_file"])
        parts.append((read_earnings_csv(path), relative(path), digest))
    for name in sorted(n for n in names if n.endswith(".json")):
        path, digest = snapshot_file(snapshot_dir, name)
        parts.append((parse_api_json(path.read_bytes(), relative(path)), relative(path), digest))
    if not parts:
        raise SnapshotError(f"{snap}: no PSEO earnings file ({cfg['earnings_file']} or *.json) in the manifest")
    outs = [transform_frame(df, source_file=sf, sha256=dg, snap_id=snap, labels=labels,
                            cip_families=cfg["cip_families"], dollar_year=cfg.get("dollar_year"))
            for df, sf, dg in parts]
    return {k: pd.concat([o[k] for o in outs], ignore_index=True) if len(outs) > 1 else outs[0][k]
            for k in outs[0]}


# --- fetch -----------------------------------------------------------------------------

def fetch(client: HttpClient, config: dict | None = None) -> list[FetchedFile]:
    """Ask the PSEO earnings API (and the institution labels file); return the answers unchanged.

    Raises ``FetchError`` on a non-200/204 status and ``ResponseFormatError`` on an answer that is
    not the documented JSON shape (both ``SourceError``), so that a bad answer never becomes a snapshot.
    """
    cfg = files_config(SOURCE, config)
    api = cfg["api"]
    url = api["url"]
    params = {"get": ",".join(api["variables"]), "for": api["for"], **dict(api.get("predicates", {}))}
    resp = client.request("GET", url, params=params)
    if resp.status_code not in (200, 204):
        raise FetchError(f"{url}: HTTP {resp.status_code}: {resp.text[:300]!r}", url=url, status=resp.status_code)
    parse_api_json(resp.content, url)  # validate the shape before it is stored
    files = [FetchedFile("pseo-earnings.json", resp.content, url, params, resp.status_code)]
    labels_url = api.get("labels_url")
    if labels_url:
        lab = client.request("GET", labels_url)
        if lab.status_code != 200:
            raise FetchError(f"{labels_url}: HTTP {lab.status_code}: {lab.text[:300]!r}", url=labels_url,
                             status=lab.status_code)
        head = next(csv.reader(io.StringIO(lab.content.decode("utf-8-sig", errors="replace"))), [])
        if "institution" not in head or "label" not in head:
            raise ResponseFormatError(f"{labels_url}: not a PSEO label file (header {head[:6]!r})", url=labels_url,
                                      status=lab.status_code)
        files.append(FetchedFile(cfg["labels_file"], lab.content, labels_url, {}, lab.status_code))
    return files


SOURCE_DEF = register(Source(
    name=SOURCE,
    title="Census PSEO earnings (Post-Secondary Employment Outcomes)",
    publisher="U.S. Census Bureau, LEHD program",
    licence="Public domain (U.S. federal government work)",
    url="https://lehd.ces.census.gov/data/pseo_experimental.html",
    transform=transform,
    fetch=fetch,
))
