"""Curated input files: discover, read, remove personal data, type and validate.

Owns everything between a researcher's file (CSV, XLSX or JSON Lines in
``data/raw/curated/``) and two frames: the rows that passed (typed, with derived
columns, ready for the warehouse) and the rows that did not (with every rule they broke).
It never opens the warehouse. Names, e-mails and URLs are read only to derive
``person_key`` / ``evidence_domain`` / ``evidence_kind`` and are dropped here, before
anything is stored; no message quotes them.

Discovery (``scan``) accounts for every file under the folder: a ``.csv``/``.xlsx``/``.jsonl``
file is read; anything else (other extensions, ``TEMPLATE*`` and ``README*`` files, office lock
files, unreadable files, broken or looping links) is listed as skipped with its reason.
Reading (``read_parts``; ``read_file`` gathers its parts) reads the file's bytes once, hashes
and parses those same bytes, decides the file's kind by its header (outcome records or
programs; the name decides only when the header says neither) and never raises: any problem
of one file becomes that file's rejection or its rows' quarantine. A CSV file streams: Arrow's
reader parses it block by block, and each batch of rows is typed, checked, scrubbed and
quarantined before the next is parsed; a file Arrow's reader refuses (ragged rows, invalid
UTF-8) is read again by the exact reader, Python's ``csv`` module, which explains each problem.
"""

from __future__ import annotations

import csv
import dataclasses
import errno
import hashlib
import hmac
import io
import json
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pacompute
import pyarrow.csv as pacsv

from flows import settings
from flows.sources.lineage import sha256_file
from schemas import FIELDS
from schemas.checks import RULE_COLUMNS, RULES, cohort_of
from schemas.fields import DATE_MAX, DATE_MIN
from schemas.generate import build_model
from schemas.tables.curated import (
    INPUT_OUTCOME_RECORDS,
    INPUT_PROGRAMS,
    PII_COLUMNS,
    PII_DERIVED,
    REQUIRED_OUTCOME_RECORDS,
    REQUIRED_PROGRAMS,
)
from schemas.vocab import EVIDENCE_DOMAINS, OUTCOME_STATUSES, PERSONAL_SITE_SUFFIXES

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl"}
PERSON_KEY_ENV = "OUTCOMES_PERSON_KEY"
TEMPLATES = {"outcome_records": "data/raw/curated/TEMPLATE.csv", "programs": "data/raw/curated/TEMPLATE_programs.csv"}
#: Allow-listed evidence domains whose two-letter regional hosts (``uk.linkedin.com``) are the same site.
REGIONAL_EVIDENCE_DOMAINS = ("linkedin.com",)


class FileRejected(Exception):
    """A whole-file problem: the file is rejected with this message, the run goes on.

    Messages never quote a cell of the file (a header-less file's first row is data).
    """


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
         "role_required_when_employed", "job_start_within_window", "job_start_not_after_collection",
         "collected_not_before_graduation", "collected_not_in_future"),
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


@dataclass(frozen=True)
class SkippedFile:
    """A path under the curated folder that is not read, and why (``schemas.vocab.SKIP_REASONS``)."""

    path: Path
    source_file: str
    reason: str
    message: str


@dataclass
class Discovery:
    files: list[InputFile]
    skipped: list[SkippedFile]


@dataclass
class FileResult:
    """What reading one file produced.

    ``file`` is the version that was parsed: its ``sha256`` is the hash of the parsed bytes
    (which may differ from the hash taken at discovery when the file changed in between) and
    its ``kind`` is decided by the header. A rejected file has ``rows_read`` 0 and states its
    data rows in ``rows_rejected`` (None when it could not be parsed into rows).
    """

    file: InputFile
    raw: pd.DataFrame  # every row as read (text, PII removed), with source_row_number
    valid: pd.DataFrame  # typed rows that passed, with derived columns
    quarantine: pd.DataFrame  # one row per failed row: source_row_number, failed_rules, failure_messages
    message: str = ""
    rejection: str | None = None
    rows_rejected: int | None = None
    restart: bool = False  # a part of ``read_parts``: forget the parts before this one
    last: bool = True  # a part of ``read_parts``: the file's state (hash, notes, rejection) is final

    @property
    def rows_read(self) -> int:
        return 0 if self.rejection else len(self.raw)


# --------------------------------------------------------------------------- discovery


def kind_by_name(path: Path) -> str:
    stem = path.stem.lower()
    return "programs" if stem.startswith("programs") or stem.endswith("_programs") else "outcome_records"


def file_kind(path: Path) -> str | None:
    """The kind a file's name suggests, or None when discovery skips it (the header decides when read)."""
    name = path.name.lower()
    if name.startswith(("template", "readme", "~$")) or path.suffix.lower() not in FORMATS:
        return None
    return kind_by_name(path)


def _read_bytes(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def input_file(path: Path, kind: str) -> InputFile:
    """One file to read, with its lineage path, format and content hash (raises OSError when unreadable)."""
    return InputFile(path, source_path(path), kind, FORMATS[path.suffix.lower()], sha256_file(path),
                     path.stat().st_size)


def source_path(path: Path) -> str:
    """Lineage path of a file: relative to the project root when inside it. The file itself is not
    resolved: a link keeps its own name (and a broken or looping link can be named at all)."""
    path = Path(path)
    parent = settings.relative(path.parent)
    return path.name if parent == "." else f"{parent}/{path.name}"


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "unreadable: permission denied"
    if isinstance(exc, FileNotFoundError):
        return "unreadable: the file disappeared"
    return f"unreadable: {exc.strerror or type(exc).__name__}"


def _walk(root: Path, skip) -> list[Path]:
    """Regular files under ``root`` (following links to folders once), sorted by path; the rest to ``skip``."""
    files: list[Path] = []
    visited: dict[tuple[int, int], Path] = {}

    def visit(folder: Path) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            skip(folder, "unreadable", _os_reason(exc) + " (folder: its files cannot be listed)")
            return
        for e in entries:
            p = Path(e.path)
            try:
                st = os.stat(p)  # follows links
            except OSError as exc:
                if e.is_symlink() and exc.errno == errno.ELOOP:
                    skip(p, "symlink_loop", "symbolic link loop: the link points (through links) to itself")
                elif e.is_symlink() and isinstance(exc, FileNotFoundError):
                    skip(p, "dangling_symlink", "dangling symbolic link: its target does not exist")
                else:
                    skip(p, "unreadable", _os_reason(exc))
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in visited:
                    skip(p, "directory_loop", "linked folder already listed as "
                         f"{source_path(visited[key])}: its files are read once")
                    continue
                visited[key] = p
                visit(p)
            elif stat.S_ISREG(st.st_mode):
                files.append(p)
            else:
                skip(p, "not_a_regular_file", "not a regular file (device, pipe or socket)")

    root = Path(root)
    if not root.is_dir():
        return files
    st = os.stat(root)
    visited[(st.st_dev, st.st_ino)] = root
    visit(root)
    return files


def _count_data_rows(path: Path) -> int | None:
    """Data rows a skipped template/readme file holds (None when it cannot be parsed)."""
    try:
        tables, _ = _parse(_read_bytes(path), FORMATS[path.suffix.lower()])
        return sum(len(t.body) for t in tables)
    except Exception:  # noqa: BLE001 (a skipped file only gets a note)
        return None


def scan(folder: Path) -> Discovery:
    """Every file under ``folder`` (recursively, sorted): the ones to read, with their content hash,
    and the ones skipped, with their reason. Never raises for a bad file."""
    skipped: list[SkippedFile] = []

    def skip(p: Path, reason: str, message: str) -> None:
        skipped.append(SkippedFile(p, source_path(p), reason, message))

    files = []
    for p in _walk(Path(folder), skip):
        name, suffix = p.name.lower(), p.suffix.lower()
        if name.startswith("~$"):
            skip(p, "office_lock_file", "lock file of an open workbook: not read")
            continue
        if name.startswith(("template", "readme")):
            reason = "template" if name.startswith("template") else "readme"
            n = _count_data_rows(p) if suffix in FORMATS else None
            note = (f"; it holds {n} data row(s), which are NOT loaded: rename the file (not TEMPLATE*/README*) "
                    "to load them") if n else ""
            skip(p, reason, f"{reason} file: not read{note}")
            continue
        if suffix not in FORMATS:
            skip(p, "unsupported_extension",
                 f"unsupported extension {suffix or '(none)'!r}: only .csv, .xlsx and .jsonl files are read")
            continue
        try:
            files.append(input_file(p, kind_by_name(p)))
        except OSError as exc:
            skip(p, "unreadable", _os_reason(exc))
    return Discovery(files, sorted(skipped, key=lambda s: s.source_file))


def discover(folder: Path) -> list[InputFile]:
    """The curated files to read under ``folder`` (see ``scan`` for the skipped ones)."""
    return scan(folder).files


# --------------------------------------------------------------------------- parsing bytes into text tables


@dataclass
class _Table:
    """One parsed table (a CSV/JSONL file or one worksheet): header cells and body cells as text."""

    header: list[str]
    body: pd.DataFrame  # columns 0..n-1, cells str or None
    row_numbers: np.ndarray  # source_row_number of each body row
    labels: list[str] | None = None  # per body row: "sheet 'S' row 3" (workbooks only)
    row_problems: dict[int, tuple[str, str]] = field(default_factory=dict)  # body position -> (rule, text)
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)


_BOM = b"\xef\xbb\xbf"


def _filled(s: pd.Series) -> pd.Series:
    """True where a cell holds something other than blanks."""
    return s.fillna("").astype("str").str.strip() != ""


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRejected(f"wrong encoding: the file is not UTF-8 ({exc.reason} at byte {exc.start})") from None


def _parse(data: bytes, fmt: str, exact: bool = False) -> tuple[list[_Table], list[str]]:
    """Text tables of a file's bytes, and notes. Raises FileRejected for whole-file problems.

    ``exact``: a CSV file goes straight to the exact reader (the fast one already refused it)."""
    if fmt == "csv" and exact:
        data = data[len(_BOM):] if data.startswith(_BOM) else data
        if not data.strip():
            raise FileRejected("unreadable: the file is empty (no header row)")
        return [_parse_csv_exact(_decode(data))], []
    if fmt == "csv":
        return [_parse_csv(data)], []
    if fmt == "jsonl":
        return [_parse_jsonl(data)], []
    return _parse_xlsx(data)


def _parse_csv(data: bytes) -> _Table:
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    if not data.strip():
        raise FileRejected("unreadable: the file is empty (no header row)")
    try:  # Arrow's multi-threaded parser: several times faster on large files; strict about shape and UTF-8
        df = pd.read_csv(io.BytesIO(data), header=None, dtype=str, keep_default_na=False, engine="pyarrow")
        header = [str(c) for c in df.iloc[0].tolist()]
        body = df.iloc[1:].reset_index(drop=True)
        body.columns = range(body.shape[1])
        return _trim_blank_header_tail(_Table(header, body, np.arange(1, len(body) + 1, dtype="int64")))
    except Exception:  # noqa: BLE001 -- its messages quote rows: never shown; the exact reader below explains
        pass
    return _parse_csv_exact(_decode(data))


def _trim_blank_header_tail(t: _Table) -> _Table:
    """A header ending with separators (``a,b,``) names no column there: drop blank trailing columns."""
    while t.header and not t.header[-1].strip() and t.body.shape[1] == len(t.header):
        last = t.body.columns[-1]
        if _filled(t.body[last]).any():
            break
        t.body = t.body.drop(columns=[last])
        t.header = t.header[:-1]
    return t


def _parse_csv_exact(text: str) -> _Table:
    """Python's csv reader, row by row: the shape of every row is checked against the header.

    A row with extra *empty* fields at its end (a trailing comma) is read without them; a row with
    any other number of fields is quarantined by rule ``csv_shape`` (its values would be shifted
    into the wrong columns) and none of its values is kept.
    """
    try:
        rows = [r for r in csv.reader(io.StringIO(text, newline="")) if r]
    except csv.Error as exc:
        raise FileRejected(f"unreadable CSV file: {str(exc).split(':')[0]}") from None
    if not rows:
        raise FileRejected("unreadable: the file is empty (no header row)")
    header = rows[0]
    while header and not header[-1].strip():
        header = header[:-1]
    n = len(header)
    if n == 0:
        raise FileRejected("unreadable: the header row is blank")
    cells, problems, trailing = [], {}, 0
    for i, r in enumerate(rows[1:]):
        if len(r) > n and not any(c.strip() for c in r[n:]):
            r = r[:n]
            trailing += 1
        if len(r) != n:
            problems[i] = ("csv_shape", f"the row has {len(r)} fields but the header has {n}: its values "
                           "cannot be matched to columns (none is read)")
            r = [None] * n
        cells.append(r)
    body = pd.DataFrame(cells, columns=range(n), dtype=object) if cells else pd.DataFrame(columns=range(n))
    notes = [f"{trailing} row(s) end with extra empty field(s) (trailing separators): ignored"] if trailing else []
    return _Table(header, body, np.arange(1, len(cells) + 1, dtype="int64"), row_problems=problems, notes=notes)


def _json_text(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        return json.dumps(v)
    return str(v)


def _parse_jsonl(data: bytes) -> _Table:
    text = _decode(data)
    records, numbers, problems = [], [], {}
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            reason = str(exc).split(":")[0] if not isinstance(exc, json.JSONDecodeError) else exc.msg
            problems[len(records)] = ("json_syntax", f"not a JSON object ({reason})")
            obj = {}
        records.append({str(k): _json_text(v) for k, v in obj.items()})
        numbers.append(n)
    if not records:
        raise FileRejected("unreadable: the file is empty (no JSON object)")
    header = list(dict.fromkeys(k for r in records for k in r))
    body = pd.DataFrame([[r.get(k) for k in header] for r in records], columns=range(len(header)), dtype=object)
    return _Table(header, body, np.asarray(numbers, dtype="int64"), row_problems=problems)


_EXCEL_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", re.ASCII)


def _parse_xlsx(data: bytes) -> tuple[list[_Table], list[str]]:
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=str, keep_default_na=False,
                               engine="openpyxl")
    except Exception as exc:  # noqa: BLE001 -- openpyxl raises its own types for corrupt workbooks
        raise FileRejected(f"unreadable XLSX file: {type(exc).__name__}") from None
    tables, notes = [], []
    for name, df in sheets.items():
        df = df.apply(lambda s: s.astype("str").str.replace(_EXCEL_DATE, r"\1", regex=True))
        filled = df.apply(_filled).any(axis=1)
        if not filled.any():
            continue  # an empty sheet
        first = int(np.argmax(filled.to_numpy()))
        header = [str(c) for c in df.iloc[first].tolist()]
        body = df.iloc[first + 1:]
        positions = np.arange(1, len(body) + 1, dtype="int64")
        keep = filled.iloc[first + 1:].to_numpy()
        body = body[keep].reset_index(drop=True)
        body.columns = range(body.shape[1])
        tables.append(_Table(header, body, positions[keep], sheet=str(name)))
    if not tables:
        raise FileRejected("unreadable XLSX file: every sheet is empty")
    return tables, notes


# --------------------------------------------------------------------------- headers


_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,63}$", re.ASCII)
_KNOWN_COLUMNS = set(INPUT_PROGRAMS) | set(INPUT_OUTCOME_RECORDS)


def _norm_col(c) -> str:
    name = str(c).replace("\ufeff", "").strip().lower()
    return "" if re.fullmatch(r"unnamed: \d+", name) else name


def _header_kind(header: list[str]) -> str | None:
    names = {_norm_col(c) for c in header}
    for kind in ("outcome_records", "programs"):
        if all(c in names for c in SPECS[kind].required):
            return kind
    return None


def _duplicates(names: list[str]) -> str | None:
    """A message naming the repeated column names (only names of known columns are quoted)."""
    seen: dict[str, int] = {}
    for n in names:
        if n:
            seen[n] = seen.get(n, 0) + 1
    dupes = [n for n, k in seen.items() if k > 1]
    if not dupes:
        return None
    shown = sorted(n for n in dupes if n in _KNOWN_COLUMNS)
    others = len(dupes) - len(shown)
    parts = ([", ".join(shown)] if shown else []) + ([f"{others} other repeated name(s)"] if others else [])
    return "duplicate column(s) in header: " + " and ".join(parts)


def _header_problem(header: list[str], spec: Spec) -> str:
    """Why a header is not a template header, without quoting any cell that is not a column name."""
    names = [n for n in (_norm_col(c) for c in header) if n]
    unknown = [n for n in names if n not in _KNOWN_COLUMNS]
    if not names or len(unknown) * 2 >= len(names):
        return (f"the first row does not look like a header: {len(unknown)} of its {len(names)} cells are not "
                f"column names (see {TEMPLATES[spec.kind]})")
    dupes = _duplicates(names)
    if dupes:
        return dupes
    missing = [c for c in spec.required if c not in names]
    return f"missing required column(s): {', '.join(missing)} (see {TEMPLATES[spec.kind]})"


def _apply_header(t: _Table, spec: Spec, unnamed_filled: set[int] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The table's body with the spec's columns (absent optional ones blank) and notes on ignored columns.

    ``unnamed_filled`` (a batch of a longer table): the positions of filled columns without a name
    are added to it, for one note on the whole table, instead of a note here."""
    names = [_norm_col(c) for c in t.header]
    dupes = _duplicates(names)
    if dupes:
        raise FileRejected(dupes)
    missing = [c for c in spec.required if c not in names]
    if missing:
        raise FileRejected(_header_problem(t.header, spec))
    position = {n: i for i, n in enumerate(names) if n}
    out = pd.DataFrame({c: (t.body[position[c]] if c in position and position[c] in t.body.columns else None)
                        for c in spec.columns}, index=t.body.index)
    notes = []
    extra = [n for n in names if n and n not in spec.columns]
    if extra:
        shown = [n for n in extra if _IDENTIFIER.match(n)]
        hidden = len(extra) - len(shown)
        notes.append("ignored unknown column(s): " + ", ".join(shown)
                     + (f"{', ' if shown else ''}{hidden} more whose names are not shown" if hidden else ""))
    unnamed = [i for i, n in enumerate(names) if not n and i in t.body.columns and _filled(t.body[i]).any()]
    if unnamed_filled is not None:
        unnamed_filled.update(unnamed)
    elif unnamed:
        notes.append(f"ignored {len(unnamed)} column(s) without a name in the header")
    return out, notes


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
    host = parts[0].fillna(parts[1]).str.lower().str.replace(r"^www\.", "", regex=True).str.rstrip(".")
    return host.astype(object).where(host.notna(), None)


def classify_host(host: str | None) -> tuple[str | None, str]:
    """(evidence_domain, evidence_kind) of a URL's host: the domain is kept only when allow-listed."""
    if not host:
        return None, "other"
    if host in EVIDENCE_DOMAINS:
        return host, EVIDENCE_DOMAINS[host]
    for domain in REGIONAL_EVIDENCE_DOMAINS:
        if re.fullmatch(r"[a-z]{2}\." + re.escape(domain), host):
            return domain, EVIDENCE_DOMAINS[domain]
    if any(host.endswith("." + suffix) for suffix in PERSONAL_SITE_SUFFIXES):
        return None, "personal_site"
    return None, "other"


def evidence(urls: pd.Series) -> tuple[pd.Series, pd.Series]:
    """evidence_domain (allow-listed organisation domains only) and evidence_kind of each evidence URL."""
    given = urls.notna() & (urls.fillna("").astype("str").str.strip() != "")
    hosts = domains(urls)
    classified = {h: classify_host(h) for h in pd.unique(hosts[given].astype(object))}
    dom = [classified[h][0] if g else None for h, g in zip(hosts.to_numpy(dtype=object), given.to_numpy())]
    kind = [classified[h][1] if g else None for h, g in zip(hosts.to_numpy(dtype=object), given.to_numpy())]
    return (pd.Series(dom, index=urls.index, dtype=object), pd.Series(kind, index=urls.index, dtype=object))


def scrub_pii(df: pd.DataFrame, key: bytes) -> pd.DataFrame:
    """Replace name / e-mail / URLs by person_key, evidence_domain and evidence_kind; the PII columns are dropped.

    Works in place on ``df`` (the caller's frame of text) and returns it.
    """
    df["person_key"] = person_keys(df, key)
    df["evidence_domain"], df["evidence_kind"] = evidence(df["evidence_url"])
    return df.drop(columns=list(PII_COLUMNS))


# --------------------------------------------------------------------------- typing and validation

_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}
# ASCII digits only: full-width or Arabic-Indic digits are not numbers here (they would load as blanks).
_NUMBER = re.compile(r"^[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?$|^[+-]?\.[0-9]+$"
                     r"|^[+-]?[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+$", re.ASCII)
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", re.ASCII)
#: NUL and other C0 controls (tab, new line and carriage return aside), DEL, and the bidirectional
#: controls (LRM, RLM, ALM, LRE..RLO, LRI..PDI): they hide or reorder text on report pages.
CONTROL_CHARACTERS = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]"
_CONTROL_RE = re.compile(CONTROL_CHARACTERS)
#: The same class in RE2's syntax (Arrow's regular expressions), for whole columns at once.
CONTROL_CHARACTERS_RE2 = (r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x{200e}\x{200f}\x{202a}-\x{202e}"
                          r"\x{2066}-\x{2069}\x{061c}]")


def regex_mask(s: pd.Series, pattern: str) -> pd.Series:
    """Where the cells of a text column contain ``pattern`` (RE2 syntax; anchor it with ^ and $ to
    match whole cells), computed by Arrow over the whole column; blank cells are False."""
    found = pacompute.match_substring_regex(pyarrow.array(s, type=pyarrow.string(), from_pandas=True), pattern)
    return pd.Series(found.fill_null(False).to_numpy(zero_copy_only=False), index=s.index, dtype=bool)
ROW_RULES = {  # rules of the reading step (the others are in schemas.checks and the fields' metadata)
    "type_number": "a number such as 85000 or 85,000.50 (ASCII digits)",
    "type_integer": "a whole number (ASCII digits)",
    "type_boolean": "true or false",
    "type_date": "a real calendar date written YYYY-MM-DD",
    "date_range": f"a date between {DATE_MIN} and {DATE_MAX}",
    "control_characters": "text must not contain NUL, control or bidirectional-override characters",
    "csv_shape": "every row has as many fields as the header",
    "json_syntax": "every line is a JSON object",
}


def _type_column(raw: pd.Series, ftype: str) -> tuple[pd.Series, list[tuple[pd.Series, str]]]:
    """Typed column and its parse failures: [(mask of failing cells, rule name)]."""
    present = raw.notna()
    none = pd.Series(False, index=raw.index)
    if ftype == "string":
        return raw.astype("str").where(present, None), []
    if ftype in ("number", "integer"):
        text = raw.where(present)
        ok_form = regex_mask(text, _NUMBER.pattern)
        vals = pd.to_numeric(text.where(ok_form).str.replace(",", "", regex=False), errors="coerce")
        if ftype == "integer":
            whole = vals.isna() | (vals == np.floor(vals))
            bad = present & (~ok_form | ~whole)
            return vals.where(~bad).astype("Int64"), [(bad, "type_integer")]
        bad = present & ~ok_form
        return vals.astype(float), [(bad, "type_number")]
    if ftype == "boolean":
        low = raw.str.lower()
        vals = pd.Series(pd.NA, index=raw.index, dtype="boolean")
        vals[low.isin(_TRUE).fillna(False).astype(bool)] = True
        vals[low.isin(_FALSE).fillna(False).astype(bool)] = False
        bad = present & vals.isna()
        return vals, [(bad, "type_boolean")]
    if ftype == "date":
        text = raw.where(present)
        ok_form = regex_mask(text, _DATE.pattern)
        # ISO dates compare as text: range first, so no date outside pandas' limits (1677-2262) is parsed.
        in_range = ok_form & (text >= DATE_MIN).fillna(False).astype(bool) & (text <= DATE_MAX).fillna(False).astype(bool)
        vals = pd.to_datetime(text.where(in_range), format="%Y-%m-%d", errors="coerce")
        out_of_range = ok_form & ~in_range
        bad = present & ~out_of_range & vals.isna()
        return vals, [(bad, "type_date"), (out_of_range, "date_range")]
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
    if rule in ROW_RULES:
        return f"{rule}: {ROW_RULES[rule]}"
    if rule in RULES:
        return RULES[rule][1]
    return rule


_SHOWN_MAX = 80


def _shown(v) -> str:
    """A cell for a message: quoted, control characters escaped (repr), long text cut."""
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return "(blank)"
    text = str(v)
    if len(text) > _SHOWN_MAX:
        text = text[:_SHOWN_MAX] + "..."
    return repr(text)


@lru_cache(maxsize=None)
def _input_model(kind: str) -> type[pa.DataFrameModel]:
    spec = SPECS[kind]
    columns = [c for c in spec.columns if c not in PII_COLUMNS]
    return build_model(f"input_{spec.kind}", columns, spec.required, (), spec.rules, strict=True)


def validate_frame(text: pd.DataFrame, spec: Spec, source_file: str,
                   labels: pd.Series | None = None) -> tuple[pd.DataFrame, dict[int, list[tuple[str, str, str]]]]:
    """Type the text frame and validate it with the Pandera model generated from the metadata.

    Returns the typed frame and, per failing frame index, a list of (column, rule, message).
    ``labels`` (optional, by index) say where a row is, e.g. ``sheet 'S2' row 3``; else ``row N``.
    """
    failures: dict[int, list[tuple[str, str, str]]] = {}

    def where(idx) -> str:
        if labels is not None:
            return f"{source_file} {labels.at[idx]}"
        return f"{source_file} row {int(text.at[idx, 'source_row_number'])}"

    def fail(idx, column, rule, value, text_rule):
        msg = f"{where(idx)}: column '{column}' value {_shown(value)} breaks rule {text_rule}"
        failures.setdefault(idx, []).append((column, rule, msg))

    columns = [c for c in spec.columns if c not in PII_COLUMNS]
    typed = pd.DataFrame(index=text.index)
    type_failed: set[tuple[int, str]] = set()
    for col in columns:
        control = regex_mask(text[col], CONTROL_CHARACTERS_RE2)
        for idx in control[control].index:
            fail(idx, col, "control_characters", text.at[idx, col], _rule_text(col, "control_characters"))
            type_failed.add((idx, col))
        vals, checks = _type_column(text[col], FIELDS[col].type)
        typed[col] = vals
        for bad, rule in checks:
            for idx in bad[bad].index:
                if (idx, col) not in type_failed:
                    fail(idx, col, rule, text.at[idx, col], _rule_text(col, rule))
                    type_failed.add((idx, col))

    model = _input_model(spec.kind)
    try:
        model.validate(typed, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        whole = fc[fc["index"].isna()]
        if len(whole):
            # Whole-column problems cannot happen after the typing above; if one does, the file is not trusted.
            first = whole.iloc[0]
            raise FileRejected(f"column '{first['column']}' cannot be checked as a whole "
                               f"({_rule_of(first['check'])})") from None
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
                msg = (f"{where(idx)}: columns {', '.join(c for c in cols if c)} ({shown}) break rule {rule}: "
                       f"{RULES[rule][1]}")
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
    """Cohort, years, CIRR/NACE categories, in-field flag, days to job, salaries in USD (in place)."""
    out = typed
    grad = pd.to_datetime(out["graduation_date"])
    year = grad.dt.year.astype("Int64")
    out["cohort"] = out["cohort"].fillna(cohort_of(grad))
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
    """Read, scrub, type and validate one curated file, all of it in memory (``read_parts`` streams).

    Never raises: whole-file problems -> ``rejection``."""
    empty = pd.DataFrame()
    try:
        parts: list[FileResult] = []
        for part in read_parts(f, assumptions, key):
            if part.restart:
                parts = []
            parts.append(part)
        last = parts[-1]
        if last.rejection:
            return last
        checked = [p for p in parts if len(p.raw.columns)]  # parts with rows, or the header alone
        filled = [p for p in checked if len(p.raw)] or checked[:1]

        def joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
            return pd.concat(frames) if len(frames) > 1 else (frames[0] if frames else empty)

        valid = joined([p.valid for p in filled])
        return FileResult(last.file, joined([p.raw for p in filled]), valid.reset_index(drop=True),
                          joined([p.quarantine for p in filled]).reset_index(drop=True), message=last.message)
    except Exception as exc:  # noqa: BLE001 -- one bad file is a rejected file, never a failed run
        return _unexpected(f, exc)


def _unexpected(f: InputFile, exc: Exception) -> FileResult:
    # The exception's text may quote the file's cells: only its type is shown.
    empty = pd.DataFrame()
    return FileResult(f, empty, empty, empty, rejection=f"unexpected error while reading the file "
                      f"({type(exc).__name__}); nothing of it was loaded", restart=True)


#: CSV files up to this size are read into memory once (hashed and parsed from the same bytes);
#: larger ones stream from disk, hashed as they are parsed.
STREAM_MIN_BYTES = 64 << 20
#: Bytes of CSV per batch (about 110,000 rows of a typical outcome-records file): bounds a read's memory.
BLOCK_BYTES = 32 << 20


def read_parts(f: InputFile, assumptions: dict, key: bytes | None = None, *, block_bytes: int = BLOCK_BYTES,
               stream_min_bytes: int = STREAM_MIN_BYTES) -> Iterator[FileResult]:
    """Read one curated file in parts of bounded size; never raises.

    Each part holds the raw, valid and quarantined rows of one batch of the file (CSV files
    stream in batches of about ``block_bytes``; XLSX and JSON Lines files are one part). The
    last part (``last``) carries the file as parsed (its hash is the hash of the bytes parsed),
    the notes, and the rejection, if any (a rejection holds no rows). A part with ``restart`` set
    means: forget the rows of the parts before it (the file is read again by the exact
    reader, or it is rejected).
    """
    try:
        if f.file_format == "csv":
            yield from _csv_parts(f, assumptions, key, block_bytes, stream_min_bytes)
        else:
            yield _last(_read_whole(f, None, assumptions, key))
    except Exception as exc:  # noqa: BLE001 -- one bad file is a rejected file, never a failed run
        yield _unexpected(f, exc)


def _last(result: FileResult, restart: bool = False) -> FileResult:
    """A whole-file result as the one (last) part: a rejection always forgets the parts before it."""
    return dataclasses.replace(result, restart=restart or result.rejection is not None, last=True)


class _NotStreamable(Exception):
    """The fast reader cannot read this file as it is (shape, encoding, quoting): the exact reader will."""


class _HashingReader(io.RawIOBase):
    """A binary file that hashes every byte read from it (the hash of what was parsed)."""

    def __init__(self, fh):
        self.fh = fh
        self.sha = hashlib.sha256()
        self.bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.fh.readinto(buffer)
        if n:
            self.sha.update(memoryview(buffer)[:n])
            self.bytes += n
        return n


def _first_record_width(head: bytes) -> int:
    """Fields of the first record of a CSV file's first bytes (the header)."""
    if head.startswith(_BOM):
        head = head[len(_BOM):]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            raise _NotStreamable from None
        text = head[:exc.start].decode("utf-8")
    lines = io.StringIO(text, newline="")
    try:
        for row in csv.reader(lines):
            if row:
                if lines.tell() >= len(text) and len(head) >= _HEAD_BYTES:
                    raise _NotStreamable  # the header may go on beyond the sample
                return len(row)
    except csv.Error:
        raise _NotStreamable from None
    raise _NotStreamable


_HEAD_BYTES = 1 << 20


#: Bytes Arrow's reader parses at a time (measured: larger blocks parse several times slower).
_PARSE_BYTES = 4 << 20


def _csv_batches(stream, width: int, block_bytes: int) -> Iterator[pd.DataFrame]:
    """Batches of a CSV stream as text frames (columns 0..width-1, the header row first), by Arrow's reader.

    Strict: a row of another width, invalid UTF-8 or a broken quote raise ``_NotStreamable``. Quoted
    new lines are read as values (without ``newlines_in_values`` Arrow may cut a block inside a quoted
    value and, rarely, read shifted rows without an error). Blank lines are skipped (as the exact reader
    does). Parsed blocks are gathered into batches of about ``block_bytes`` of text.
    """
    names = [f"c{i}" for i in range(width)]
    try:
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(column_names=names, block_size=min(block_bytes, _PARSE_BYTES)),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types={c: pyarrow.string() for c in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
        pending, size = [], 0
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                batch = None
            if batch is not None:
                pending.append(batch)
                size += batch.nbytes
            if pending and (batch is None or size >= block_bytes):
                df = pyarrow.Table.from_batches(pending).to_pandas()
                df.columns = range(width)
                pending, size = [], 0
                yield df
            if batch is None:
                return
    except (pyarrow.ArrowInvalid, pyarrow.ArrowException):  # its messages quote rows: never shown
        raise _NotStreamable from None


def _csv_parts(f: InputFile, assumptions: dict, key: bytes | None, block_bytes: int,
               stream_min_bytes: int) -> Iterator[FileResult]:
    """A CSV file's parts by Arrow's reader (in bounded memory), or, if it refuses the file, by the exact
    reader (the whole file in memory, row by row: it explains every problem)."""
    empty = pd.DataFrame()
    try:
        if os.stat(f.path).st_size < stream_min_bytes:
            data = _read_bytes(f.path)
            stream, head, hashing = io.BytesIO(data), data[:_HEAD_BYTES], None
        else:
            data = None
            fh = open(f.path, "rb")
            head = fh.read(_HEAD_BYTES)
            fh.seek(0)
            stream = hashing = _HashingReader(fh)
    except OSError as exc:
        yield FileResult(f, empty, empty, empty, rejection=_os_reason(exc), restart=True)
        return
    yielded = False
    try:
        if data is not None:
            f, notes = _parsed_version(f, hashlib.sha256(data).hexdigest(), len(data))
        else:
            notes = []
        for part in _stream_csv(f, stream, head, assumptions, key, block_bytes, notes):
            if part.last and hashing is not None:
                for _ in iter(lambda: hashing.read(1 << 20), b""):
                    pass  # trailing bytes the reader did not need (white space): hashed too
                g, more = _parsed_version(part.file, hashing.sha.hexdigest(), hashing.bytes)
                message = "; ".join(dict.fromkeys([*more, *([part.message] if part.message else [])]))
                part = dataclasses.replace(part, file=g, message=message)
            yielded = True
            yield part
    except _NotStreamable:
        if data is None:
            try:
                data = _read_bytes(f.path)
            except OSError as exc:
                yield FileResult(f, empty, empty, empty, rejection=_os_reason(exc), restart=True)
                return
        yield _last(_read_whole(f, data, assumptions, key), restart=yielded)
    finally:
        if hashing is not None:
            hashing.fh.close()


def _parsed_version(f: InputFile, sha: str, size: int) -> tuple[InputFile, list[str]]:
    """The file as parsed (its hash and size), and a note when it changed after discovery."""
    notes = []
    if sha != f.sha256:
        notes.append(f"the file changed after discovery: the version read (SHA-256 {sha[:12]}...) is recorded")
    return dataclasses.replace(f, sha256=sha, bytes=size), notes


def _drain(batches: Iterator[pd.DataFrame], first: pd.DataFrame) -> int:
    """Data rows of a file that is rejected as a whole (they are counted, not read)."""
    return len(first) - 1 + sum(len(b) for b in batches)


def _stream_csv(f: InputFile, stream, head: bytes, assumptions: dict, key: bytes | None, block_bytes: int,
                notes: list[str]) -> Iterator[FileResult]:
    empty = pd.DataFrame()
    batches = _csv_batches(stream, _first_record_width(head), block_bytes)
    first = next(batches, None)
    if first is None:
        raise _NotStreamable  # nothing but blank lines: the exact reader says why
    header = [str(c) for c in first.iloc[0].tolist()]
    if not any(c.strip() for c in header):
        raise _NotStreamable  # a blank first line: the exact reader says why
    found = _header_kind(header)
    kind = found or f.kind
    if kind != f.kind:
        notes.append(f"read as {kind.replace('_', ' ')} (its header), although its name suggests "
                     f"{f.kind.replace('_', ' ')}")
        f = dataclasses.replace(f, kind=kind)
    spec = SPECS[kind]
    if not found:
        n = _drain(batches, first)
        yield FileResult(f, empty, empty, empty, rejection=_header_problem(header, spec), rows_rejected=n,
                         restart=True)
        return
    offset, unnamed = 0, set()
    body = first.iloc[1:]
    while body is not None:
        body = body.reset_index(drop=True)
        t = _Table(header, body, np.arange(offset + 1, offset + len(body) + 1, dtype="int64"))
        try:
            df, col_notes = _apply_header(t, spec, unnamed)
        except FileRejected as exc:
            n = _drain(batches, first)
            yield FileResult(f, empty, empty, empty, rejection=str(exc), rows_rejected=n, restart=True)
            return
        notes += col_notes
        df["source_row_number"] = t.row_numbers
        df.index = range(offset, offset + len(df))
        offset += len(df)
        try:
            raw, valid, quarantine = _check_rows(df, None, {}, spec, f, assumptions, key)
        except FileRejected as exc:
            n = _drain(batches, first)
            yield FileResult(f, empty, empty, empty, rejection=str(exc), rows_rejected=n, restart=True)
            return
        del df
        yield FileResult(f, raw, valid, quarantine, last=False)
        del raw, valid, quarantine
        body = next(batches, None)
    if unnamed:
        notes.append(f"ignored {len(unnamed)} column(s) without a name in the header")
    yield FileResult(f, empty, empty, empty, message="; ".join(dict.fromkeys(notes)))


def _read_whole(f: InputFile, data: bytes | None, assumptions: dict, key: bytes | None) -> FileResult:
    """The exact reader: the whole file in memory (XLSX, JSON Lines, CSV files the fast reader refuses)."""
    empty = pd.DataFrame()
    if data is None:
        try:
            data = _read_bytes(f.path)
        except OSError as exc:
            return FileResult(f, empty, empty, empty, rejection=_os_reason(exc))
    f, notes = _parsed_version(f, hashlib.sha256(data).hexdigest(), len(data))
    try:
        tables, parse_notes = _parse(data, f.file_format, exact=True)
    except FileRejected as exc:
        return FileResult(f, empty, empty, empty, rejection=str(exc))
    del data
    notes += parse_notes

    # The kind is the header's: outcome records or programs; the name decides only when neither fits.
    kinds = [_header_kind(t.header) for t in tables]
    kind = next((k for k in kinds if k), f.kind)
    if kind != f.kind:
        notes.append(f"read as {kind.replace('_', ' ')} (its header), although its name suggests "
                     f"{f.kind.replace('_', ' ')}")
        f = dataclasses.replace(f, kind=kind)
    spec = SPECS[kind]
    rows_in_file = sum(len(t.body) for t in tables)
    chosen = [t for t, k in zip(tables, kinds) if k == kind]
    if not chosen:
        if tables[0].sheet is None:
            reason = _header_problem(tables[0].header, spec)
        else:
            reason = "no sheet has the template header (all required columns): " + "; ".join(
                f"sheet '{t.sheet}': {_header_problem(t.header, spec)}" for t in tables)
        return FileResult(f, empty, empty, empty, rejection=reason, rows_rejected=rows_in_file)
    for t, k in zip(tables, kinds):
        if k != kind:
            what = f"it holds {k.replace('_', ' ')}" if k else _header_problem(t.header, spec)
            notes.append(f"sheet '{t.sheet}' not read ({len(t.body)} row(s)): {what}")

    frames, label_parts, problems, offset = [], [], {}, 0
    try:
        for t in chosen:
            body, col_notes = _apply_header(t, spec)
            notes += [f"sheet '{t.sheet}': {n}" if t.sheet else n for n in col_notes] + t.notes
            numbers = t.row_numbers + offset if t.sheet is not None else t.row_numbers
            body["source_row_number"] = numbers
            body.index = range(offset, offset + len(body))
            for pos, problem in t.row_problems.items():
                problems[offset + pos] = problem
            if t.sheet is not None:
                label_parts.append(pd.Series([f"sheet '{t.sheet}' row {n}" for n in t.row_numbers], index=body.index))
                offset = int(numbers.max()) if len(numbers) else offset
            else:
                offset += len(body)
            frames.append(body)
    except FileRejected as exc:
        return FileResult(f, empty, empty, empty, rejection=str(exc), rows_rejected=rows_in_file)
    df = pd.concat(frames) if len(frames) > 1 else frames[0]
    labels = pd.concat(label_parts) if label_parts else None
    del frames, tables
    try:
        raw, valid, quarantine = _check_rows(df, labels, problems, spec, f, assumptions, key)
    except FileRejected as exc:
        return FileResult(f, empty, empty, empty, rejection=str(exc), rows_rejected=len(df))
    return FileResult(f, raw, valid.reset_index(drop=True), quarantine, message="; ".join(dict.fromkeys(notes)))


def _check_rows(df: pd.DataFrame, labels: pd.Series | None, problems: dict[int, tuple[str, str]], spec: Spec,
                f: InputFile, assumptions: dict, key: bytes | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Raw (text, PII removed), valid (typed, derived) and quarantined rows of a frame of text.

    ``problems`` are rows the parser could not read (position -> (rule, text)): that is their only
    problem. Raises FileRejected when a column cannot be checked at all.
    """
    # Blank cells are missing values; surrounding white space is not data.
    text = pd.DataFrame(index=df.index)
    for c in spec.columns:
        col = df[c].astype("str").str.strip()
        text[c] = col.where(col != "")
    text["source_row_number"] = df["source_row_number"].to_numpy().astype("int64")
    del df
    if spec.kind == "outcome_records":
        text = scrub_pii(text, key if key is not None else person_hmac_key())

    typed, failures = validate_frame(text, spec, f.source_file, labels)
    for pos, (rule, why) in problems.items():
        # A row whose shape or syntax is broken has no values to judge: that is its only problem.
        where = f"{f.source_file} {labels.at[pos]}" if labels is not None else \
            f"{f.source_file} row {int(text.at[pos, 'source_row_number'])}"
        failures[pos] = [(None, rule, f"{where}: {why}")]

    keep = ~text.index.isin(list(failures))
    valid = typed[keep]
    valid.insert(len(valid.columns), "source_row_number", text.loc[keep, "source_row_number"].astype("int64"))
    del typed
    if spec.kind == "outcome_records":
        for c in PII_DERIVED:
            valid[c] = text.loc[keep, c]
        valid = derive_outcome_columns(valid, assumptions["currency"]["usd_per_unit"])
    raw = _safe_text(text, failures)
    return raw, valid, quarantine_rows(raw, failures, "validate")


_ESCAPES = {cp: f"\\u{cp:04x}" for cp in [*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f, 0x200e, 0x200f,
                                           *range(0x202a, 0x202f), *range(0x2066, 0x206a), 0x061c]}


def _escape_controls(s: str) -> str:
    return s.translate(_ESCAPES)


def _safe_text(text: pd.DataFrame, failures: dict) -> pd.DataFrame:
    """The raw rows for storage: control characters written as visible ``\\uXXXX`` escapes (only the
    rows quarantined for them can hold any)."""
    rows = [i for i, items in failures.items() if any(r == "control_characters" for _, r, _ in items)]
    if not rows:
        return text
    raw = text.copy()
    for c in raw.columns:
        if c == "source_row_number" or c in PII_DERIVED:
            continue
        raw.loc[rows, c] = raw.loc[rows, c].astype("str").str.translate(_ESCAPES)
    return raw


def quarantine_rows(raw: pd.DataFrame, failures: dict[int, list[tuple[str | None, str, str]]], stage: str) -> pd.DataFrame:
    """One quarantine row per failing row: its raw values (never PII) and every rule it broke."""
    records = []
    value_cols = [c for c in raw.columns if c != "source_row_number" and c not in PII_COLUMNS]
    for idx in sorted(failures):
        items = failures[idx]
        row = raw.loc[idx]
        values = {c: (None if pd.isna(row[c]) else row[c]) for c in value_cols}
        records.append({
            "source_row_number": int(row["source_row_number"]),
            "quarantine_stage": stage,
            "failed_rules": "; ".join(dict.fromkeys(f"{c}:{r}" if c else r for c, r, _ in items)),
            "failure_messages": " | ".join(m for _, _, m in items),
            "raw_values_json": _escape_controls(json.dumps(values, ensure_ascii=False, default=str)),
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


__all__ = ["scan", "discover", "read_file", "read_parts", "problems", "InputFile", "SkippedFile", "Discovery", "FileResult",
           "FileRejected", "person_hmac_key", "scrub_pii", "validate_frame", "derive_outcome_columns",
           "quarantine_rows", "classify_host", "SPECS", "ROW_RULES"]
