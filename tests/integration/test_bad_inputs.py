"""A corpus of bad curated inputs: each case has its expected outcome, and nothing is ever lost.

Every case writes one file (the *target*) into a curated folder beside a valid programs file,
then checks the target's outcome: accepted (N rows loaded), quarantined (exact set of rules),
rejected (reason) or skipped (reason code). For every case, conservation is checked through
``read_file`` (rows read = valid + quarantined) and through the warehouse functions on an
in-memory DuckDB (``core_ingest__files`` and ``core_ingest__log``), every path under the folder
must have a log row, and the PII markers written into the files must appear nowhere: no message,
quarantine row, frame or warehouse table. To add a case, append a ``Case`` to ``CASES``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd
import pytest

from flows import curated, warehouse
from flows.config import load_assumptions
from schemas.tables.curated import INPUT_OUTCOME_RECORDS, INPUT_PROGRAMS
from tests.helpers import PROGRAMS, record, write_csv
from tests.unit.test_curated import PROGRAM_CASES, RECORD_CASES

ASSUMPTIONS = load_assumptions()
KEY = b"bad-inputs-test-key"
NOW = datetime(2026, 1, 2, tzinfo=timezone.utc)
RUN = "run-bad-inputs"

# --------------------------------------------------------------------------- PII markers

MARKERS = ("Zelda Markerperson", "pii-marker.test", "zelda-marker")


def person(i: int, **over) -> dict:
    """A valid record whose name, e-mail and URLs carry the PII markers."""
    return record(i, **{"full_name": f"Zelda Markerperson {i}", "email": f"zelda{i}@pii-marker.test",
                        "profile_url": f"https://pii-marker.test/in/zelda-{i}",
                        "evidence_url": f"https://zelda-marker-{i}.github.io/cv", **over})


def rows3(**over) -> list[dict]:
    """Three valid records; ``over`` changes the second one."""
    return [person(1), person(2, **over), person(3)]


def csv_text(rows: list[dict], columns=INPUT_OUTCOME_RECORDS) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def jsonl_text(rows: list[dict]) -> str:
    return "".join(json.dumps({k: (v if v != "" else None) for k, v in r.items()}) + "\n" for r in rows)


def xlsx(path: Path, sheets: dict[str, pd.DataFrame | None]) -> None:
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, df in sheets.items():
            (df if df is not None else pd.DataFrame()).to_excel(xw, sheet_name=name, index=False)


# --------------------------------------------------------------------------- the corpus


@dataclass
class Case:
    id: str
    target: str  # file name under the curated folder
    build: Callable[[Path], None]  # writes the target
    outcome: str  # accepted | quarantined | rejected | skipped
    rules: set[str] = field(default_factory=set)  # quarantined: every failed_rules value of the file
    reason: str = ""  # rejected: text in the rejection; skipped: the skip_reason code
    loaded: int | None = None  # rows that reach the core table (accepted/quarantined)
    message: str = ""  # text expected in the file's ingest message / quarantine messages
    check: Callable[[curated.FileResult], None] | None = None  # extra assertions on the read result


def _w(text: str | bytes, name: str = "records.csv"):
    def build(folder: Path) -> None:
        p = folder / name
        p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return build


def _csv(rows, name="records.csv", columns=INPUT_OUTCOME_RECORDS):
    return _w(csv_text(rows, columns), name)


def _trailing_comma(extra_last: str = "") -> Callable[[Path], None]:
    lines = csv_text(rows3()).splitlines()
    body = [lines[0]] + [ln + "," for ln in lines[1:]]
    if extra_last:
        body[2] = body[2] + extra_last
    return _w("\n".join(body) + "\n")


def _headerless(folder: Path) -> None:
    (folder / "records.csv").write_text("\n".join(csv_text(rows3()).splitlines()[1:]) + "\n", encoding="utf-8")


def _sheets(sheets: dict[str, list[dict] | None | str]):
    def build(folder: Path) -> None:
        frames = {}
        for name, rows in sheets.items():
            if rows == "notes":
                frames[name] = pd.DataFrame({"comment": ["collected by hand", "ask Zelda Markerperson"]})
            else:
                frames[name] = pd.DataFrame(rows, columns=list(INPUT_OUTCOME_RECORDS)) if rows else None
        xlsx(folder / "records.xlsx", frames)
    return build


def _bom_xlsx(folder: Path) -> None:
    df = pd.DataFrame(rows3(), columns=list(INPUT_OUTCOME_RECORDS)).rename(columns={"record_id": "\ufeffrecord_id"})
    xlsx(folder / "records.xlsx", {"Sheet1": df})


def _symlink(target: str, name: str = "link.csv"):
    def build(folder: Path) -> None:
        os.symlink(target, folder / name)
    return build


def _symlink_loop(folder: Path) -> None:
    os.symlink(folder / "loop_b.csv", folder / "loop_a.csv")
    os.symlink(folder / "loop_a.csv", folder / "loop_b.csv")


def _directory_loop(folder: Path) -> None:
    (folder / "sub").mkdir()
    os.symlink(folder, folder / "sub" / "back")


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "pipe.csv")


def _no_domain(result: curated.FileResult) -> None:
    assert result.valid["evidence_domain"].isna().all()
    assert set(result.valid["evidence_kind"]) == {"personal_site"}


def _columns_not_shifted(result: curated.FileResult) -> None:
    assert list(result.valid["program_id"]) == ["msds-alpha", "bc-beta", "msds-alpha"]
    assert list(result.valid["verification_level"]) == ["self_reported"] * 3


def _escaped(result: curated.FileResult) -> None:
    raw = result.quarantine["raw_values_json"].iloc[0]
    assert "\u202e" not in raw and "\x00" not in raw and ("\\u202e" in raw or "\\u0000" in raw)


def _sheet_named(result: curated.FileResult) -> None:
    assert "records.xlsx sheet 'Sheet2' row 2" in result.quarantine["failure_messages"].iloc[0]


FULL_WIDTH = "１１００００"
ARABIC_INDIC = "٦٠٠٠٠"

CASES = [
    # formats that are fine
    Case("valid_csv", "records.csv", _csv(rows3()), "accepted", loaded=3, check=_no_domain),
    Case("valid_jsonl", "records.jsonl", _w(jsonl_text(rows3()), "records.jsonl"), "accepted", loaded=3),
    Case("valid_xlsx", "records.xlsx", _sheets({"Sheet1": rows3()}), "accepted", loaded=3),
    Case("header_only", "records.csv", _w(csv_text([])), "accepted", loaded=0),
    # byte-order marks are ignored in every format
    Case("bom_csv", "records.csv", _w(b"\xef\xbb\xbf" + csv_text(rows3()).encode()), "accepted", loaded=3),
    Case("bom_jsonl_keeps_first_record", "records.jsonl", _w(b"\xef\xbb\xbf" + jsonl_text(rows3()).encode(),
                                                             "records.jsonl"), "accepted", loaded=3),
    Case("bom_xlsx_header", "records.xlsx", _bom_xlsx, "accepted", loaded=3),
    # workbooks: every sheet with the template header, empty sheets ignored, others noted or rejected
    Case("xlsx_two_sheets", "records.xlsx", _sheets({"Sheet1": [person(1), person(2)],
                                                     "Sheet2": [person(3), person(4, base_salary="-1")]}),
         "quarantined", {"base_salary:min"}, loaded=3, check=_sheet_named),
    Case("xlsx_data_on_second_sheet", "records.xlsx", _sheets({"Empty": None, "Data": rows3()}), "accepted", loaded=3),
    Case("xlsx_notes_sheet_is_noted", "records.xlsx", _sheets({"Sheet1": rows3(), "Notes": "notes"}), "accepted",
         loaded=3, message="sheet 'Notes' not read (2 row(s))"),
    Case("xlsx_no_sheet_with_header", "records.xlsx", _sheets({"Notes": "notes", "More": "notes"}), "rejected",
         reason="no sheet has the template header (all required columns): sheet 'Notes'"),
    Case("xlsx_corrupt", "records.xlsx", _w(b"PK\x03\x04 not really a zip", "records.xlsx"), "rejected",
         reason="unreadable XLSX file"),
    # whole-file problems
    Case("empty_file", "records.csv", _w(""), "rejected", reason="the file is empty"),
    Case("wrong_encoding", "records.csv", _w(csv_text(rows3(employer_name="Café")).encode("latin-1")), "rejected",
         reason="wrong encoding: the file is not UTF-8"),
    Case("missing_required_column", "records.csv",
         _csv(rows3(), columns=[c for c in INPUT_OUTCOME_RECORDS if c != "outcome_status"]), "rejected",
         reason="missing required column(s): outcome_status"),
    Case("duplicate_header", "records.csv", _w("record_id,record_id,program_id\n1,2,3\n"), "rejected",
         reason="duplicate column(s) in header: record_id"),
    Case("headerless_csv", "records.csv", _headerless, "rejected",
         reason="the first row does not look like a header: "),
    Case("unknown_column_names_hidden_when_not_names", "records.csv",
         _csv([{**r, "notes": "x", "Zelda Markerperson": "y"} for r in rows3()],
              columns=list(INPUT_OUTCOME_RECORDS) + ["notes", "Zelda Markerperson"]),
         "accepted", loaded=3, message="ignored unknown column(s): notes, 1 more whose names are not shown"),
    # the shape of CSV rows
    Case("trailing_comma_rows", "records.csv", _trailing_comma(), "accepted", loaded=3,
         message="3 row(s) end with extra empty field(s)", check=_columns_not_shifted),
    Case("extra_field_with_data", "records.csv", _trailing_comma("Zelda Markerperson"), "quarantined",
         {"csv_shape"}, loaded=2, message="the row has 24 fields but the header has 23"),
    Case("short_row", "records.csv", _w(csv_text(rows3()).replace(",Acme,", ",", 1)), "quarantined", {"csv_shape"},
         loaded=2),
    Case("json_syntax", "records.jsonl", _w(jsonl_text(rows3()) + "{not json\n[1, 2]\n", "records.jsonl"),
         "quarantined", {"json_syntax"}, loaded=3),
    # dates: plausible range, pandas' limits, collection
    Case("date_1900", "records.csv", _csv(rows3(graduation_date="1900-05-15", job_start_date="")), "quarantined",
         {"graduation_date:date_range"}, loaded=2),
    Case("date_2150", "records.csv", _csv(rows3(job_start_date="2150-01-01")), "quarantined",
         {"job_start_date:date_range"}, loaded=2),
    Case("date_after_pandas_limit", "records.csv", _csv(rows3(collected_date="2300-01-01")), "quarantined",
         {"collected_date:date_range"}, loaded=2),
    Case("date_year_one", "records.csv", _csv(rows3(graduation_date="0001-01-01")), "quarantined",
         {"graduation_date:date_range"}, loaded=2),
    Case("collected_before_graduation", "records.csv",
         _csv(rows3(collected_date="2023-03-01", job_start_date="2023-02-01")), "quarantined",
         {"collected_date:collected_not_before_graduation"}, loaded=2),
    Case("collected_in_future", "records.csv", _csv(rows3(collected_date="2099-01-01")), "quarantined",
         {"collected_date:collected_not_in_future"}, loaded=2),
    # text and digits
    Case("nul_byte", "records.csv", _csv(rows3(employer_name="Ac\x00me")), "quarantined",
         {"employer_name:control_characters"}, loaded=2, check=_escaped),
    Case("right_to_left_override", "records.csv", _csv(rows3(prior_role="Analyst \u202egnp.exe")), "quarantined",
         {"prior_role:control_characters"}, loaded=2, check=_escaped),
    Case("full_width_digits", "records.csv", _csv(rows3(base_salary=FULL_WIDTH)), "quarantined",
         {"base_salary:type_number"}, loaded=2),
    Case("arabic_indic_digits", "records.csv", _csv(rows3(prior_salary=ARABIC_INDIC)), "quarantined",
         {"prior_salary:type_number"}, loaded=2),
    Case("full_width_cohort", "records.csv", _csv(rows3(cohort="２０２３H1")), "quarantined",
         {"cohort:cohort_matches_graduation_date; cohort:pattern"}, loaded=2),
    # file kinds
    Case("programs_file_by_header", "catalogue.csv",
         _csv([{**p, "program_id": p["program_id"] + "-2"} for p in PROGRAMS], "catalogue.csv", INPUT_PROGRAMS), "accepted",
         loaded=2, message="read as programs (its header)"),
    # skipped files: every one in the log with its reason
    Case("tsv", "records.tsv", _w(csv_text(rows3()).replace(",", "\t"), "records.tsv"), "skipped",
         reason="unsupported_extension"),
    Case("xls", "records.xls", _w(b"\xd0\xcf\x11\xe0 old excel", "records.xls"), "skipped", reason="unsupported_extension"),
    Case("json", "records.json", _w(json.dumps(rows3()), "records.json"), "skipped", reason="unsupported_extension"),
    Case("txt", "notes.txt", _w("Zelda Markerperson called", "notes.txt"), "skipped", reason="unsupported_extension"),
    Case("template_with_data", "template_2024.csv", _csv(rows3(), "template_2024.csv"), "skipped", reason="template",
         message="it holds 3 data row(s), which are NOT loaded"),
    Case("readme_with_data", "README.csv", _csv(rows3(), "README.csv"), "skipped", reason="readme",
         message="it holds 3 data row(s)"),
    Case("office_lock_file", "~$records.xlsx", _w(b"lock", "~$records.xlsx"), "skipped", reason="office_lock_file"),
    Case("dangling_symlink", "link.csv", _symlink("/nonexistent/records.csv"), "skipped", reason="dangling_symlink"),
    Case("symlink_loop", "loop_a.csv", _symlink_loop, "skipped", reason="symlink_loop"),
    Case("directory_loop", "sub/back", _directory_loop, "skipped", reason="directory_loop"),
    Case("fifo", "pipe.csv", _fifo, "skipped", reason="not_a_regular_file"),
]

# Every existing row rule, with the PII markers in the file.
CASES += [Case(f"rule_{rule}", "records.csv", _csv(rows3(**over)), "quarantined", {rule}, loaded=2)
          for over, rule in RECORD_CASES]
CASES += [Case(f"programs_rule_{rule}", "more_programs.csv",
               _csv([{**PROGRAMS[0], "program_id": "p-one"}, {**PROGRAMS[1], "program_id": "p-two", **over}],
                    "more_programs.csv", INPUT_PROGRAMS), "quarantined", {rule}, loaded=1)
          for over, rule in PROGRAM_CASES]


# --------------------------------------------------------------------------- running a case


def _folder(tmp_path: Path, case: Case) -> Path:
    folder = tmp_path / "curated"
    folder.mkdir()
    case.build(folder)
    return folder


def _every_path(folder: Path) -> set[str]:
    """Every file, link and unreadable entry under the folder, without following links."""
    out = set()
    for root, dirs, files in os.walk(folder):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            out.add(curated.source_path(Path(root) / name))
    return out


@pytest.fixture(scope="module")
def programs_result(tmp_path_factory) -> curated.FileResult:
    """The reference programs file, read once (outside the cases' folders)."""
    path = write_csv(tmp_path_factory.mktemp("reference") / "programs.csv", PROGRAMS)
    return curated.read_file(curated.input_file(path, "programs"), ASSUMPTIONS, key=KEY)


@pytest.fixture(scope="module")
def shared_con():
    con = duckdb.connect()
    warehouse.ensure_tables(con)
    yield con
    con.close()


def _empty(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    for (table,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall():
        con.execute(f"DELETE FROM {table}")
    return con


def _load(folder: Path, programs: curated.FileResult | None = None, con: duckdb.DuckDBPyConnection | None = None):
    found = curated.scan(folder)
    if con is None:
        con = duckdb.connect()
        warehouse.ensure_tables(con)
    warehouse.record_skipped(con, RUN, found.skipped, NOW)
    results, actions = {}, {}
    if programs is not None:
        warehouse.load_curated_file(con, programs, RUN, NOW)
        actions[programs.file.source_file] = "read"
    for f in found.files:
        result = curated.read_file(f, ASSUMPTIONS, key=KEY)
        results[f.path.name] = result
        warehouse.load_curated_file(con, result, RUN, NOW)
        actions[f.source_file] = "rejected" if result.rejection else "read"
    warehouse.build_core(con)
    summary = warehouse.record_run(con, RUN, NOW, actions, "succeeded", NOW)
    return con, found, results, summary


def _all_text(con: duckdb.DuckDBPyConnection) -> str:
    """Every text cell of every non-empty table, as one string."""
    cols: dict[str, list[str]] = {}
    for table, col in con.execute("SELECT table_name, column_name FROM duckdb_columns() "
                                  "WHERE data_type = 'VARCHAR' AND NOT internal").fetchall():
        cols.setdefault(table, []).append(col)
    parts = []
    for table, names in cols.items():
        expr = " || chr(10) || ".join(f"coalesce({c}, '')" for c in names)
        parts += [v[0] for v in con.execute(f"SELECT {expr} FROM {table}").fetchall()]
    return "\n".join(parts)


def _assert_no_pii(*texts: str) -> None:
    for text in texts:
        for marker in MARKERS:
            assert marker.lower() not in text.lower(), f"PII marker {marker!r} leaked"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(tmp_path, case, programs_result, shared_con):
    folder = _folder(tmp_path, case)
    con, found, results, summary = _load(folder, programs_result, _empty(shared_con))
    target = curated.source_path(folder / case.target)
    log = con.execute("SELECT source_file, ingest_action, skip_reason, rows_read, rows_loaded, rows_quarantined, "
                      "rows_rejected, rejection_reason, ingest_message FROM core_ingest__log WHERE run_id = ?",
                      [RUN]).df().set_index("source_file")

    # every input is accounted for, and conservation holds for every file
    assert _every_path(folder) <= set(log.index), "a path under the curated folder has no ingest-log row"
    assert (log["rows_read"] == log["rows_loaded"] + log["rows_quarantined"]).all()
    files = con.execute("SELECT source_file, rows_read, rows_loaded, rows_quarantined FROM core_ingest__files").df()
    assert (files["rows_read"] == files["rows_loaded"] + files["rows_quarantined"]).all()
    assert summary["rows_read"] == summary["rows_loaded"] + summary["rows_quarantined"]
    for result in results.values():
        if result.rejection:
            assert result.rows_read == 0 and len(result.valid) == 0 and len(result.quarantine) == 0
        else:
            assert result.rows_read == len(result.valid) + len(result.quarantine)

    row = log.loc[target]
    if case.outcome == "skipped":
        assert (row["ingest_action"], row["skip_reason"]) == ("skipped", case.reason)
        assert summary["skipped"].get(case.reason, 0) >= 1 and summary["files_skipped"] >= 1
        assert case.message in row["ingest_message"]
    else:
        result = results[Path(case.target).name]
        assert result.file.sha256 == hashlib.sha256((folder / case.target).read_bytes()).hexdigest()
        if case.outcome == "rejected":
            assert row["ingest_action"] == "rejected"
            assert case.reason in result.rejection and result.rejection == row["rejection_reason"]
        else:
            assert row["ingest_action"] == "read" and result.rejection is None, result.rejection
            got = set(result.quarantine["failed_rules"])
            assert got == case.rules
            assert row["rows_loaded"] == case.loaded
            if case.message:
                assert case.message in " ".join([result.message] + list(result.quarantine["failure_messages"]))
            if case.check:
                case.check(result)
    _assert_no_pii(_all_text(con), *(r.raw.to_string() + r.valid.to_string() + r.quarantine.to_string()
                                     + (r.rejection or "") + r.message for r in results.values()))


# --------------------------------------------------------------------------- one version per file


def test_a_file_edited_during_the_run_is_recorded_as_the_version_read(tmp_path):
    folder = tmp_path / "curated"
    write_csv(folder / "programs.csv", PROGRAMS)
    path = write_csv(folder / "records.csv", [person(i) for i in (1, 2, 3)])
    old = path.read_bytes()
    con = duckdb.connect()
    warehouse.ensure_tables(con)

    def refresh_once(edit=None) -> list[curated.InputFile]:
        files = curated.discover(folder)
        known = warehouse.known_files(con)
        changed = [f for f in files if known.get(f.source_file) != f.sha256]
        if edit:
            edit()  # the file changes between discovery and reading
        for f in changed:
            warehouse.load_curated_file(con, curated.read_file(f, ASSUMPTIONS, key=KEY), RUN, NOW)
        warehouse.build_core(con)
        return changed

    refresh_once(edit=lambda: write_csv(path, [person(i) for i in range(1, 6)]))
    new_sha = hashlib.sha256(path.read_bytes()).hexdigest()
    sha, rows, loaded, message = con.execute("""SELECT source_sha256, rows_read, rows_loaded, ingest_message
        FROM core_ingest__files WHERE source_file LIKE '%records.csv'""").fetchall()[0]
    assert (sha, rows, loaded) == (new_sha, 5, 5), "the recorded hash is the hash of the rows loaded"
    assert "changed after discovery" in message
    assert con.execute("SELECT DISTINCT source_sha256 FROM raw_curated__outcome_records").fetchall() == [(new_sha,)]

    path.write_bytes(old)  # the user restores the old version: the next run must re-read it
    changed = refresh_once()
    assert [f.path.name for f in changed] == ["records.csv"]
    old_sha = hashlib.sha256(old).hexdigest()
    assert con.execute("SELECT source_sha256, rows_read, rows_loaded FROM core_ingest__files "
                       "WHERE source_file LIKE '%records.csv'").fetchall() == [(old_sha, 3, 3)]
    assert con.execute("SELECT count(*) FROM core_outcomes__graduate_outcomes").fetchall() == [(3,)]
    con.close()


# --------------------------------------------------------------------------- unreadable files


def _deny(monkeypatch, path: Path) -> None:
    """Make ``path`` unreadable: chmod 000, or (as root, who reads anything) refuse it in the readers."""
    path.chmod(0)
    if os.geteuid() != 0:
        return
    real_sha, real_read = curated.sha256_file, curated._read_bytes

    def deny(fn):
        def wrapped(p, *a):
            if Path(p) == path:
                raise PermissionError(13, "Permission denied", str(p))
            return fn(p, *a)
        return wrapped

    monkeypatch.setattr(curated, "sha256_file", deny(real_sha))
    monkeypatch.setattr(curated, "_read_bytes", deny(real_read))


def test_unreadable_file_is_skipped_at_discovery_and_logged(tmp_path, monkeypatch):
    folder = tmp_path / "curated"
    write_csv(folder / "programs.csv", PROGRAMS)
    path = write_csv(folder / "records.csv", rows3())
    _deny(monkeypatch, path)
    con, found, results, summary = _load(folder)
    [skipped] = found.skipped
    assert (skipped.path, skipped.reason, skipped.message) == (path, "unreadable", "unreadable: permission denied")
    assert summary["skipped"] == {"unreadable": 1}
    assert con.execute("SELECT ingest_action, skip_reason FROM core_ingest__log WHERE source_file = ?",
                       [curated.source_path(path)]).fetchall() == [("skipped", "unreadable")]
    path.chmod(0o644)


def test_file_made_unreadable_after_discovery_is_rejected_not_raised(tmp_path, monkeypatch):
    folder = tmp_path / "curated"
    path = write_csv(folder / "records.csv", rows3())
    [f] = curated.discover(folder)
    _deny(monkeypatch, path)
    result = curated.read_file(f, ASSUMPTIONS, key=KEY)
    assert result.rejection == "unreadable: permission denied" and result.rows_read == 0
    path.chmod(0o644)


def test_read_file_never_raises(tmp_path, monkeypatch):
    path = write_csv(tmp_path / "records.csv", rows3())
    [f] = curated.discover(tmp_path)

    def boom(*a, **k):
        raise RuntimeError("Zelda Markerperson")  # an exception whose text quotes a cell

    monkeypatch.setattr(curated, "scrub_pii", boom)
    result = curated.read_file(f, ASSUMPTIONS, key=KEY)
    assert result.rejection == "unexpected error while reading the file (RuntimeError); nothing of it was loaded"
    assert path.exists()


def test_previously_loaded_file_that_becomes_unreadable_loses_its_rows(tmp_path, monkeypatch):
    folder = tmp_path / "curated"
    write_csv(folder / "programs.csv", PROGRAMS)
    path = write_csv(folder / "records.csv", rows3())
    con = duckdb.connect()
    warehouse.ensure_tables(con)
    for f in curated.discover(folder):
        warehouse.load_curated_file(con, curated.read_file(f, ASSUMPTIONS, key=KEY), "first", NOW)
    known = set(warehouse.known_files(con))
    _deny(monkeypatch, path)
    found = curated.scan(folder)
    for gone in known - {f.source_file for f in found.files}:
        warehouse.delete_file_rows(con, gone)
    warehouse.record_skipped(con, RUN, found.skipped, NOW, known)
    warehouse.build_core(con)
    summary = warehouse.record_run(con, RUN, NOW, {}, "succeeded", NOW)
    assert summary["files_skipped"] == 1 and summary["rows_read"] == 2
    [(action, message)] = con.execute("SELECT ingest_action, ingest_message FROM core_ingest__log "
                                      "WHERE run_id = ? AND source_file LIKE '%records.csv'", [RUN]).fetchall()
    assert action == "skipped" and message.endswith("its rows from an earlier run were removed")
    path.chmod(0o644)
    con.close()


# --------------------------------------------------------------------------- evidence domains


@pytest.mark.parametrize("url,domain,kind", [
    ("https://www.linkedin.com/in/jane-q-doe", "linkedin.com", "professional_profile"),
    ("https://uk.linkedin.com/in/jane", "linkedin.com", "professional_profile"),
    ("https://github.com/janeqdoe", "github.com", "code_host"),
    ("https://jane-q-doe.github.io/", None, "personal_site"),
    ("jane.substack.com/p/new-job", None, "personal_site"),
    ("https://janedoe.dev/cv", None, "other"),
    ("https://careers.example-employer.com/team", None, "other"),
    ("https://www.nytimes.com/2024/01/01/tech/hire.html", "nytimes.com", "news"),
    ("not a url", None, "other"),
    ("", None, None),
    (None, None, None),
])
def test_evidence_domain_is_kept_only_for_allow_listed_organisations(url, domain, kind):
    dom, knd = curated.evidence(pd.Series([url], dtype=object))
    assert (dom.iloc[0], knd.iloc[0]) == (domain, kind)


# --------------------------------------------------------------------------- summary printing


def test_summary_prints_skipped_files_by_reason(tmp_path, capsys):
    from flows.cli import _print_summary

    folder = tmp_path / "curated"
    write_csv(folder / "programs.csv", PROGRAMS)
    (folder / "notes.txt").write_text("x")
    (folder / "README.md").write_text("x")
    con, _, _, summary = _load(folder)
    summary.update(warehouse="w.duckdb", warehouse_snapshot_id="abc", sources={})
    _print_summary(summary)
    out = capsys.readouterr().out
    assert "1 read, 0 rejected, 2 skipped" in out
    assert "1 readme, 1 unsupported extension" in out
    con.close()


# --------------------------------------------------------------------------- a row that passes reading passes every later model

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st  # noqa: E402

from schemas import VOCABULARIES  # noqa: E402
from schemas.generate import pandera_model  # noqa: E402

_DATES = st.one_of(st.dates().map(lambda d: d.isoformat()),  # years 1-9999
                   st.sampled_from(["1949-12-31", "1950-01-01", "2099-12-31", "2100-07-01", "2262-04-12",
                                    "2023-02-30", "２０２３-01-01", ""]))
_NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr), st.integers(-10**12, 10**12).map(str),
                     st.sampled_from(["1e400", "-0", "1,000", "１０００", "٦٠٠٠٠", "", "85,000.50"]))


def _vocab(name: str):
    return st.one_of(st.sampled_from(VOCABULARIES[name].values), st.sampled_from(["", "other ", "X"]))


_FIELDS = {
    "program_id": st.sampled_from(["msds-alpha", "bc-beta"]),
    "graduation_date": _DATES, "job_start_date": _DATES, "collected_date": _DATES,
    "cohort": st.one_of(st.just(""), st.from_regex(r"\A[0-9]{4}H[12]\Z")),
    "prior_degree": _vocab("prior_degree"), "prior_field": _vocab("prior_field"),
    "prior_salary": _NUMBERS, "years_experience": _NUMBERS, "base_salary": _NUMBERS,
    "outcome_status": _vocab("outcome_status"), "role_category": _vocab("role_category"),
    "in_field": st.sampled_from(["", "true", "false", "yes", "maybe"]),
    "salary_currency": _vocab("currency"), "source_kind": _vocab("source_kind"),
    "verification_level": _vocab("verification_level"),
    "employer_name": st.text(max_size=8), "prior_role": st.text(max_size=8),
    "evidence_url": st.sampled_from(["", "https://jane.github.io", "https://linkedin.com/in/x", "mailto:x@y.z"]),
}
# Each row changes a few fields of a valid record, so that many rows still pass and reach the models.
_RECORD = st.lists(st.sampled_from(sorted(_FIELDS)), max_size=4, unique=True).flatmap(
    lambda keys: st.fixed_dictionaries({k: _FIELDS[k] for k in keys}))


@hsettings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(_RECORD, min_size=1, max_size=6))
def test_every_row_that_passes_reading_passes_the_core_model(tmp_path_factory, overrides):
    folder = tmp_path_factory.mktemp("prop")
    rows = [record(0)] + [record(i + 1, **{k: v.replace("\r", " ").replace("\n", " ") for k, v in over.items()})
                          for i, over in enumerate(overrides)]
    path = write_csv(folder / "records.csv", rows)
    [f] = curated.discover(folder)
    result = curated.read_file(f, ASSUMPTIONS, key=KEY)
    assert result.rejection is None
    assert result.rows_read == len(rows) == len(result.valid) + len(result.quarantine)
    core = result.valid.assign(data_origin="curated", source_file=f.source_file, source_sha256=result.file.sha256)
    fields = list(schemas_tables()["core_outcomes__graduate_outcomes"].fields)
    pandera_model("core_outcomes__graduate_outcomes").validate(core[fields], lazy=True)
    staged = [c for c in schemas_tables()["_core_curated__outcome_records_staged"].fields]
    pandera_model("_core_curated__outcome_records_staged").validate(core[staged], lazy=True)
    assert len(result.valid) >= 1 and path.exists()


def schemas_tables():
    from schemas import TABLES
    return TABLES
