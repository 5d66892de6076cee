"""Curated input files: discover, read, remove personal data, type and validate.

Owns everything between a researcher's file (CSV, XLSX or JSON Lines in
``data/raw/curated/``) and two frames: the rows that passed (typed, with derived
columns, ready for the warehouse) and the rows that did not (with every rule they broke).
It never opens the warehouse. Names, e-mails and URLs are read only to derive
``person_key`` / ``evidence_domain`` and are dropped here, before anything is stored.

File kinds by name: ``programs*.*`` and ``*_programs.*`` hold programs; ``TEMPLATE*`` and
``README*`` are skipped; every other ``.csv``/``.xlsx``/``.jsonl`` holds outcome records.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pandas as pd
import pandera.pandas as pa

from flows import settings
from schemas import FIELDS
from schemas.checks import RULE_COLUMNS, RULES
from schemas.generate import build_model
from schemas.tables.curated import (
    INPUT_OUTCOME_RECORDS,
    INPUT_PROGRAMS,
    PII_COLUMNS,
    REQUIRED_OUTCOME_RECORDS,
    REQUIRED_PROGRAMS,
)
from schemas.vocab import OUTCOME_STATUSES

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl"}
PERSON_KEY_ENV = "OUTCOMES_PERSON_KEY"


class FileRejected(Exception):
    """A whole-file problem: the file is skipped with this message, the run goes on."""


@dataclass(frozen=True)
class Spec:
    kind: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    rules: tuple[str, ...]


SPECS = {
    "programs": Spec("programs", INPUT_PROGRAMS, REQUIRED_PROGRAMS, ("programs_in_person_has_location",)),
    "outcome_records": Spec(
        "outcome_records",
        INPUT_OUTCOME_RECORDS,
        REQUIRED_OUTCOME_RECORDS,
        ("cohort_matches_graduation_date", "in_field_matches_status", "salary_only_when_employed",
         "role_required_when_employed", "job_start_within_window", "job_start_not_after_collection"),
    ),
}


@dataclass(frozen=True)
class InputFile:
    path: Path
    source_file: str  # relative to the project root
    kind: str
    file_format: str
    sha256: str
    bytes: int


@dataclass
class FileResult:
    """What reading one file produced."""

    file: InputFile
    raw: pd.DataFrame  # every row as read (text, PII removed), with source_row_number
    valid: pd.DataFrame  # typed rows that passed, with derived columns
    quarantine: pd.DataFrame  # one row per failed row: source_row_number, failed_rules, failure_messages
    message: str = ""
    rejection: str | None = None

    @property
    def rows_read(self) -> int:
        return len(self.raw)


# --------------------------------------------------------------------------- discovery


def file_kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.startswith(("template", "readme")) or path.suffix.lower() not in FORMATS:
        return None
    stem = path.stem.lower()
    if stem.startswith("programs") or stem.endswith("_programs"):
        return "programs"
    return "outcome_records"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def input_file(path: Path, kind: str) -> InputFile:
    """One file to read, with its lineage path, format and content hash."""
    return InputFile(path, settings.relative(path), kind, FORMATS[path.suffix.lower()], sha256_file(path),
                     path.stat().st_size)


def discover(folder: Path) -> list[InputFile]:
    """Every curated input file under ``folder`` (recursively), sorted, with its content hash."""
    paths = sorted(p for p in Path(folder).rglob("*") if p.is_file())
    return [input_file(p, file_kind(p)) for p in paths if file_kind(p) is not None]


# --------------------------------------------------------------------------- reading


def _read_text_table(path: Path, fmt: str) -> tuple[pd.DataFrame, dict[int, str]]:
    """All cells as text (None for blank). Returns the frame and row-level parse errors."""
    bad_lines: dict[int, str] = {}
    try:
        if fmt == "csv":
            try:  # Arrow's multi-threaded parser: several times faster on large files
                df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", engine="pyarrow")
            except (UnicodeDecodeError, pd.errors.EmptyDataError):
                raise
            except Exception:  # Arrow is stricter (e.g. short rows): the C parser reads what it can
                df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        elif fmt == "xlsx":
            df = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
            # Excel stores dates as datetimes: keep their ISO date form.
            df = df.apply(lambda s: s.str.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", r"\1", regex=True))
        else:
            rows = []
            with open(path, encoding="utf-8") as fh:
                for n, line in enumerate(fh, start=1):
                    if not line.strip():
                        continue
                    try:
                        obj = json.loads(line)
                        if not isinstance(obj, dict):
                            raise ValueError("not a JSON object")
                    except ValueError as exc:
                        bad_lines[n] = f"{exc}"
                        obj = {}
                    rows.append({**{k: _json_text(v) for k, v in obj.items()}, "__line": n})
            df = pd.DataFrame(rows)
    except UnicodeDecodeError as exc:
        raise FileRejected(f"wrong encoding: the file is not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, OSError, KeyError) as exc:
        if isinstance(exc, pd.errors.EmptyDataError):
            raise FileRejected("unreadable: the file is empty (no header row)") from exc
        raise FileRejected(f"unreadable {fmt.upper()} file: {exc}") from exc
    except Exception as exc:  # openpyxl raises its own types for corrupt workbooks
        raise FileRejected(f"unreadable {fmt.upper()} file: {type(exc).__name__}: {exc}") from exc
    return df, bad_lines


def _json_text(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        return json.dumps(v)
    return str(v)


def _normalise_headers(df: pd.DataFrame, spec: Spec) -> tuple[pd.DataFrame, str]:
    cols = [str(c).strip().lower() for c in df.columns]
    # pandas renames a repeated header "x" to "x.1": report it as the duplicate it is.
    mangled = {re.sub(r"\.\d+$", "", c) for c in cols if re.search(r"\.\d+$", c)}
    dupes = sorted({c for c in cols if cols.count(c) > 1 and c != "__line"} | (mangled & set(cols)))
    if dupes:
        raise FileRejected(f"duplicate column(s) in header: {', '.join(dupes)}")
    df.columns = cols
    missing = [c for c in spec.required if c not in cols]
    if missing:
        raise FileRejected(f"missing required column(s): {', '.join(missing)} (see data/raw/curated/TEMPLATE.csv)")
    extra = [c for c in cols if c not in spec.columns and c not in ("__line", "source_row_number")]
    for c in spec.columns:
        if c not in df.columns:
            df[c] = None
    note = f"ignored unknown column(s): {', '.join(extra)}" if extra else ""
    return df, note


# --------------------------------------------------------------------------- personal data


def person_hmac_key() -> bytes:
    """The key for person_key: $OUTCOMES_PERSON_KEY, else a git-ignored key file made on first use."""
    env = os.environ.get(PERSON_KEY_ENV)
    if env:
        return env.encode()
    path = settings.secrets_dir() / "person_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def _norm_url(u: pd.Series) -> pd.Series:
    u = u.str.strip().str.lower().str.replace(r"^https?://", "", regex=True)
    return u.str.replace(r"^www\.", "", regex=True).str.rstrip("/")


def person_keys(df: pd.DataFrame, key: bytes) -> pd.Series:
    """HMAC-SHA256 of the e-mail, else the profile URL, else name + program + graduation date."""
    email = df["email"].str.strip().str.lower()
    ident = ("email:" + email).where(email.notna() & (email != ""))
    # Normalise the fall-back identifiers only where they are needed (most rows carry an e-mail).
    need = ident.isna()
    if need.any():
        url = _norm_url(df.loc[need, "profile_url"])
        ident[need] = ("url:" + url).where(url.notna() & (url != ""))
    need = ident.isna()
    if need.any():
        sub = df.loc[need]
        name = sub["full_name"].str.strip().str.lower().str.replace(r"\s+", " ", regex=True)
        by_name = ("name:" + name + "|" + sub["program_id"].fillna("").str.strip() + "|"
                   + sub["graduation_date"].fillna("").str.strip())
        ident[need] = by_name.where(name.notna() & (name != ""))
    keyed = hmac.new(key, digestmod=hashlib.sha256)  # copy() reuses the keyed state: no re-keying per row

    def one(s) -> str | None:
        if not isinstance(s, str):
            return None
        h = keyed.copy()
        h.update(s.encode())
        return h.hexdigest()[:32]

    return pd.Series([one(s) for s in ident.to_numpy(dtype=object)], index=df.index, dtype=object)


_HOST = r"^(?:[A-Za-z][A-Za-z0-9+.-]*:)?//(?:[^@/\s]*@)?([^/:?#\s]+)|^([^/:?#\s@]+\.[^/:?#\s@]+)"


def domains(urls: pd.Series) -> pd.Series:
    """Host name of each URL, lower case, without a leading www. (vectorised)."""
    parts = urls.astype("string").str.strip().str.extract(_HOST)
    host = parts[0].fillna(parts[1]).str.lower().str.replace(r"^www\.", "", regex=True)
    return host.astype(object).where(host.notna(), None)


def scrub_pii(df: pd.DataFrame, key: bytes) -> pd.DataFrame:
    """Replace name / e-mail / URLs by person_key and evidence_domain; the PII columns are dropped."""
    out = df.copy()
    out["person_key"] = person_keys(out, key)
    out["evidence_domain"] = domains(out["evidence_url"])
    return out.drop(columns=list(PII_COLUMNS))


# --------------------------------------------------------------------------- typing and validation

_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+-]?\.\d+$|^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")


def _type_column(raw: pd.Series, ftype: str) -> tuple[pd.Series, pd.Series, str]:
    """Typed column, mask of cells that failed to parse, and the rule text."""
    present = raw.notna()
    if ftype == "string":
        return raw.astype("str").where(present, None), pd.Series(False, index=raw.index), ""
    if ftype in ("number", "integer"):
        text = raw.where(present)
        ok_form = text.str.match(_NUMBER).fillna(False).astype(bool)
        vals = pd.to_numeric(text.where(ok_form).str.replace(",", "", regex=False), errors="coerce")
        if ftype == "integer":
            whole = vals.isna() | (vals == np.floor(vals))
            bad = present & (~ok_form | ~whole)
            return vals.where(~bad).astype("Int64"), bad, "type_integer: a whole number"
        bad = present & ~ok_form
        return vals.astype(float), bad, "type_number: a number such as 85000 or 85,000.50"
    if ftype == "boolean":
        low = raw.str.lower()
        vals = pd.Series(pd.NA, index=raw.index, dtype="boolean")
        vals[low.isin(_TRUE).fillna(False).astype(bool)] = True
        vals[low.isin(_FALSE).fillna(False).astype(bool)] = False
        bad = present & vals.isna()
        return vals, bad, "type_boolean: true or false"
    if ftype == "date":
        vals = pd.to_datetime(raw.where(present), format="%Y-%m-%d", errors="coerce")
        bad = present & vals.isna()
        return vals, bad, "type_date: a real calendar date written YYYY-MM-DD"
    raise ValueError(ftype)


def _rule_of(check: str) -> str:
    check = str(check)
    for prefix, name in (("isin", "enum"), ("greater_than_or_equal_to", "min"), ("less_than_or_equal_to", "max"),
                         ("str_matches", "pattern"), ("not_nullable", "required"), ("coerce_dtype", "type"),
                         ("field_uniqueness", "unique"), ("multiple_fields_uniqueness", "unique")):
        if check.startswith(prefix):
            return name
    return check


def _rule_text(column: str, rule: str) -> str:
    f = FIELDS.get(column)
    if rule == "required":
        return "required: a value must be given"
    if f is not None and rule in ("enum", "min", "max", "pattern"):
        return f"{rule}: {f.constraint_text()}"
    if rule in RULES:
        return RULES[rule][1]
    return rule


def _shown(v) -> str:
    return "(blank)" if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA else repr(str(v))


def validate_frame(text: pd.DataFrame, spec: Spec, source_file: str) -> tuple[pd.DataFrame, dict[int, list[tuple[str, str, str]]]]:
    """Type the text frame and validate it with the Pandera model generated from the metadata.

    Returns the typed frame and, per failing frame index, a list of (column, rule, message).
    """
    failures: dict[int, list[tuple[str, str, str]]] = {}

    def fail(idx, column, rule, value, text_rule):
        msg = f"{source_file} row {int(text.at[idx, 'source_row_number'])}: column '{column}' value {_shown(value)} breaks rule {text_rule}"
        failures.setdefault(idx, []).append((column, rule, msg))

    columns = [c for c in spec.columns if c not in PII_COLUMNS]
    typed = pd.DataFrame(index=text.index)
    type_failed: set[tuple[int, str]] = set()
    for col in columns:
        vals, bad, rule_text = _type_column(text[col], FIELDS[col].type)
        typed[col] = vals
        for idx in bad[bad].index:
            fail(idx, col, rule_text.split(":")[0], text.at[idx, col], rule_text)
            type_failed.add((idx, col))

    model = build_model(f"input_{spec.kind}", columns, spec.required, (), spec.rules, strict=True)
    try:
        model.validate(typed, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        whole = fc[fc["index"].isna()]
        if len(whole):
            # Whole-column problems (e.g. a dtype that cannot be coerced): the file cannot be trusted.
            first = whole.iloc[0]
            raise FileRejected(f"column '{first['column']}' fails {first['check']} as a whole") from exc
        for row in fc.itertuples(index=False):
            idx = int(row.index)
            check = str(row.check)
            if row.column is None or row.schema_context == "DataFrameSchema":
                rule = check
                cols = RULE_COLUMNS.get(rule, (None,))
                col = cols[0]
                if any((idx, c) in type_failed for c in cols):
                    continue  # the parse error already explains it
                shown = "; ".join(f"{c}={_shown(text.at[idx, c])}" for c in cols if c)
                msg = f"{source_file} row {int(text.at[idx, 'source_row_number'])}: columns {', '.join(c for c in cols if c)} ({shown}) break rule {rule}: {RULES[rule][1]}"
                entry = (col, rule, msg)
                if entry not in failures.get(idx, []):
                    failures.setdefault(idx, []).append(entry)
                continue
            col = str(row.column)
            if (idx, col) in type_failed:
                continue
            rule = _rule_of(check)
            fail(idx, col, rule, text.at[idx, col], _rule_text(col, rule))
    return typed, failures


# --------------------------------------------------------------------------- derived columns

_STATUS = pd.DataFrame(
    [(k, v[1], v[2], v[3]) for k, v in OUTCOME_STATUSES.items()],
    columns=["outcome_status", "cirr_category", "nace_category", "is_in_field"],
)


def derive_outcome_columns(typed: pd.DataFrame, usd_per_unit: dict[str, float]) -> pd.DataFrame:
    """Cohort, years, CIRR/NACE categories, in-field flag, days to job, salaries in USD."""
    out = typed.copy()
    grad = pd.to_datetime(out["graduation_date"])
    year = grad.dt.year.astype("Int64")
    half = np.where(grad.dt.month > 6, "H2", "H1")
    out["cohort"] = out["cohort"].fillna(year.astype("string") + pd.Series(half, index=out.index))
    out["graduation_year"] = year
    out["class_year"] = (year + (grad.dt.month >= 7).astype("Int64")).astype("Int64")
    status = out["outcome_status"]
    mapping = _STATUS.set_index("outcome_status")
    out["cirr_category"] = status.map(mapping["cirr_category"])
    out["nace_category"] = status.map(mapping["nace_category"])
    out["is_in_field"] = status.map(mapping["is_in_field"]).astype("boolean")
    out["days_to_job_start"] = (pd.to_datetime(out["job_start_date"]) - grad).dt.days.astype("Int64")
    out["salary_currency"] = out["salary_currency"].fillna("USD")
    rate = out["salary_currency"].map(usd_per_unit).astype(float)
    out["base_salary_usd"] = (out["base_salary"] * rate).round(2)
    out["prior_salary_usd"] = (out["prior_salary"] * rate).round(2)
    return out.drop(columns=["in_field"])


# --------------------------------------------------------------------------- one file, end to end


def read_file(f: InputFile, assumptions: dict, key: bytes | None = None) -> FileResult:
    """Read, scrub, type and validate one curated file. Whole-file problems -> ``rejection``."""
    spec = SPECS[f.kind]
    empty = pd.DataFrame()
    try:
        df, bad_lines = _read_text_table(f.path, f.file_format)
        if "__line" in df.columns:
            df["source_row_number"] = df.pop("__line").astype("int64")
        else:
            df["source_row_number"] = np.arange(1, len(df) + 1, dtype="int64")
        df, note = _normalise_headers(df, spec)
    except FileRejected as exc:
        return FileResult(f, empty, empty, empty, rejection=str(exc))

    # Blank cells are missing values; surrounding white space is not data.
    cols = list(spec.columns)
    # Text columns stay Arrow-backed strings (missing = NaN): vectorised string work, zero-copy loads.
    text = pd.DataFrame(index=df.index)
    for c in cols:
        col = df[c].astype("str").str.strip()
        text[c] = col.where(col != "")
    text["source_row_number"] = df["source_row_number"].to_numpy()
    if spec.kind == "outcome_records":
        text = scrub_pii(text, key if key is not None else person_hmac_key())
    raw = text.copy()

    try:
        typed, failures = validate_frame(text, spec, f.source_file)
    except FileRejected as exc:
        return FileResult(f, raw, empty, empty, rejection=str(exc))
    for line, err in bad_lines.items():
        # A line that is not JSON has no values to judge: its only problem is the syntax.
        for i in text.index[text["source_row_number"] == line]:
            failures[i] = [(None, "json_syntax", f"{f.source_file} row {line}: not a JSON object ({err})")]

    bad_idx = sorted(failures)
    keep = ~text.index.isin(bad_idx)
    valid = typed[keep].copy()
    valid["source_row_number"] = text.loc[keep, "source_row_number"].astype("int64")
    if spec.kind == "outcome_records":
        valid["person_key"] = text.loc[keep, "person_key"]
        valid["evidence_domain"] = text.loc[keep, "evidence_domain"]
        valid = derive_outcome_columns(valid, assumptions["currency"]["usd_per_unit"])
    quarantine = quarantine_rows(raw, failures, "validate")
    return FileResult(f, raw, valid.reset_index(drop=True), quarantine, message=note)


def quarantine_rows(raw: pd.DataFrame, failures: dict[int, list[tuple[str | None, str, str]]], stage: str) -> pd.DataFrame:
    """One quarantine row per failing row: its raw values and every rule it broke."""
    records = []
    value_cols = [c for c in raw.columns if c != "source_row_number"]
    for idx in sorted(failures):
        items = failures[idx]
        row = raw.loc[idx]
        records.append({
            "source_row_number": int(row["source_row_number"]),
            "quarantine_stage": stage,
            "failed_rules": "; ".join(dict.fromkeys(f"{c}:{r}" if c else r for c, r, _ in items)),
            "failure_messages": " | ".join(m for _, _, m in items),
            "raw_values_json": json.dumps({c: (None if pd.isna(row[c]) else row[c]) for c in value_cols},
                                          ensure_ascii=False, default=str),
        })
    return pd.DataFrame(records, columns=["source_row_number", "quarantine_stage", "failed_rules",
                                          "failure_messages", "raw_values_json"])


def problems(result: FileResult) -> list[str]:
    """Human-readable problems of one file, for ``outcomes validate``."""
    if result.rejection:
        return [f"{result.file.source_file}: file rejected: {result.rejection}"]
    out = []
    for msgs in result.quarantine["failure_messages"]:
        out.extend(msgs.split(" | "))
    return out


__all__ = ["discover", "read_file", "problems", "InputFile", "FileResult", "FileRejected", "person_hmac_key",
           "scrub_pii", "validate_frame", "derive_outcome_columns", "quarantine_rows", "SPECS", "field"]
