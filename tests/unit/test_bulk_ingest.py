"""Curated CSV files read in batches: the same rows, messages and quarantine as one whole read."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import duckdb
import pandas as pd
import pytest

from flows import curated, warehouse
from flows.config import load_assumptions
from tests.helpers import record, write_csv

ASSUMPTIONS = load_assumptions()
KEY = b"unit-test-key"
NOW = datetime(2025, 1, 2, tzinfo=timezone.utc)

# Rows that break a rule of each kind: type, range, vocabulary, row rule, control character, quoted new line.
BAD = {
    7: {"base_salary": "-5000"},
    60: {"graduation_date": "2023-02-30"},
    61: {"outcome_status": "hired"},
    133: {"employer_name": "Acme\u202e"},
    134: {"cohort": "2023H2"},
    200: {"base_salary": "110k", "prior_salary": "60k"},
}


def _rows(n: int = 240) -> list[dict]:
    rows = [record(i, **BAD.get(i, {})) for i in range(1, n + 1)]
    rows[9]["employer_name"] = "Acme\nLabs"  # a quoted new line: one value, one row
    return rows


def _parts(f: curated.InputFile, block_bytes: int) -> list[curated.FileResult]:
    return list(curated.read_parts(f, ASSUMPTIONS, KEY, block_bytes=block_bytes, stream_min_bytes=0))


def _joined(parts: list[curated.FileResult], attr: str) -> pd.DataFrame:
    frames = [getattr(p, attr) for p in parts if len(getattr(p, attr))]
    return pd.concat(frames).reset_index(drop=True)


def test_streamed_batches_give_the_rows_and_quarantine_of_a_whole_read(tmp_path):
    path = write_csv(tmp_path / "records.csv", _rows())
    [f] = curated.discover(tmp_path)
    whole = curated.read_file(f, ASSUMPTIONS, key=KEY)
    parts = _parts(f, block_bytes=4096)
    assert sum(1 for p in parts if len(p.raw)) > 5, "the file was read in several batches"
    assert not any(p.restart for p in parts) and parts[-1].last and not any(p.last for p in parts[:-1])
    assert parts[-1].file.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    pd.testing.assert_frame_equal(_joined(parts, "raw"), whole.raw.reset_index(drop=True))
    pd.testing.assert_frame_equal(_joined(parts, "valid"), whole.valid)
    pd.testing.assert_frame_equal(_joined(parts, "quarantine"), whole.quarantine)
    q = whole.quarantine.set_index("source_row_number")
    assert sorted(q.index) == sorted(BAD)
    assert q.at[200, "failed_rules"] == "prior_salary:type_number; base_salary:type_number"  # column order
    assert "records.csv row 133: column 'employer_name' value 'Acme\\u202e' breaks rule control_characters" \
        in q.at[133, "failure_messages"]
    assert "\\u202e" in q.at[133, "raw_values_json"] and "\u202e" not in q.at[133, "raw_values_json"]
    assert whole.valid.loc[whole.valid["record_id"] == "r00010", "employer_name"].item() == "Acme\nLabs"
    assert len(whole.raw) == 240 == len(whole.valid) + len(whole.quarantine)


def test_loading_batches_conserves_rows_and_records_the_hash_parsed(tmp_path):
    path = write_csv(tmp_path / "records.csv", _rows())
    [f] = curated.discover(tmp_path)
    stale = curated.InputFile(f.path, f.source_file, f.kind, f.file_format, "0" * 64, f.bytes)  # changed since
    con = duckdb.connect()
    warehouse.ensure_tables(con)
    loaded = warehouse.load_curated_file(con, curated.read_parts(stale, ASSUMPTIONS, KEY, block_bytes=4096,
                                                                 stream_min_bytes=0), "run", NOW)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert (loaded.rows_read, loaded.rows_valid, loaded.rows_quarantined) == (240, 240 - len(BAD), len(BAD))
    assert "the file changed after discovery" in loaded.message
    for table in ("raw_curated__outcome_records", "_core_curated__outcome_records_staged", "core_ingest__quarantine",
                  "core_ingest__files"):
        assert con.execute(f"SELECT DISTINCT source_sha256 FROM {table}").fetchall() == [(sha,)], table
    assert con.execute("SELECT rows_read, rows_quarantined FROM core_ingest__files").fetchall() == [(240, len(BAD))]
    assert con.execute("SELECT count(*), min(source_row_number), max(source_row_number) "
                       "FROM raw_curated__outcome_records").fetchall() == [(240, 1, 240)]


def test_a_ragged_row_late_in_a_streamed_file_restarts_it_with_the_exact_reader(tmp_path):
    rows = _rows()
    path = write_csv(tmp_path / "records.csv", rows)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[230] += ",surplus"  # data row 229 (row 9 holds a quoted new line) gets one field too many
    path.write_text("\n".join(lines), encoding="utf-8")
    [f] = curated.discover(tmp_path)
    parts = _parts(f, block_bytes=4096)
    assert any(len(p.raw) for p in parts[:-1]) and parts[-1].restart, "batches were read, then forgotten"
    con = duckdb.connect()
    warehouse.ensure_tables(con)
    loaded = warehouse.load_curated_file(con, iter(parts), "run", NOW)
    assert (loaded.rows_read, loaded.rows_quarantined) == (240, len(BAD) + 1)
    [(rules, msg)] = con.execute("SELECT failed_rules, failure_messages FROM core_ingest__quarantine "
                                 "WHERE source_row_number = 229").fetchall()
    assert rules == "csv_shape" and "records.csv row 229: the row has 24 fields but the header has 23" in msg


def test_a_streamed_file_with_a_wrong_header_is_rejected_with_all_its_rows_counted(tmp_path):
    path = write_csv(tmp_path / "records.csv", _rows(),
                     columns=[c for c in curated.SPECS["outcome_records"].columns if c != "graduation_date"])
    [f] = curated.discover(tmp_path)
    parts = _parts(f, block_bytes=4096)
    assert len(parts) == 1 and parts[0].restart and parts[0].rows_rejected == 240
    assert parts[0].rejection.startswith("missing required column(s): graduation_date")
    assert parts[0].file.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


CELLS = ["85000", "85,000.50", "-1.5e3", ".5", "1,00", "１１００００", "٦٠٠٠٠", "2023-05-15", "2023-5-15",
         "x2023-05-15", "2023-05-15x", "plain text", "tab\there", "new\nline", "", None,
         *[f"a{chr(cp)}b" for cp in [*range(0x00, 0x20), 0x7f, 0x85, 0xa0, 0x200b, 0x200e, 0x200f,
                                       *range(0x202a, 0x202f), *range(0x2066, 0x206a), 0x061c, 0x2028]]]


@pytest.mark.parametrize("dtype", [object, "str"])
def test_arrow_regular_expressions_agree_with_pythons(dtype):
    s = pd.Series(CELLS, dtype=dtype)
    for pattern, re2, search in ((curated._NUMBER, curated._NUMBER.pattern, False),
                                 (curated._DATE, curated._DATE.pattern, False),
                                 (curated._CONTROL_RE, curated.CONTROL_CHARACTERS_RE2, True)):
        expected = [isinstance(v, str) and bool((pattern.search if search else pattern.match)(v)) for v in CELLS]
        assert curated.regex_mask(s, re2).tolist() == expected, pattern.pattern


def test_validate_lists_each_files_problems_read_in_parts(tmp_path):
    from flows.validation import validate_paths
    from tests.helpers import PROGRAMS

    write_csv(tmp_path / "programs" / "programs.csv", PROGRAMS)
    bad = write_csv(tmp_path / "records.csv", [record(1), record(2, base_salary="-5000"), record(3)])
    headerless = tmp_path / "headerless.csv"
    headerless.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    report = validate_paths([bad, headerless], tmp_path / "programs")
    assert report.problems == 2
    assert any(line.endswith("records.csv row 2: column 'base_salary' value '-5000' breaks rule min: "
                             "between 1000 and 2e+06") for line in report.lines)
    assert any("headerless.csv: file rejected: the first row does not look like a header" in line
               for line in report.lines)



def test_quoted_new_lines_anywhere_in_a_streamed_file_are_values_not_rows(tmp_path):
    rows = _rows()
    for i in range(0, 240, 7):  # values with new lines and separators, across batch boundaries
        rows[i]["employer_name"] = "Acme\n,Labs,\n" if i % 2 else "\n,\n"
    path = write_csv(tmp_path / "records.csv", rows)
    [f] = curated.discover(tmp_path)
    for block in (1024, 3000, 4096, 10_000):
        parts = _parts(f, block_bytes=block)
        assert not any(p.restart for p in parts), "Arrow's reader read it (no fall-back to the exact reader)"
        valid = _joined(parts, "valid").set_index("record_id")
        assert (valid.at["r00001", "employer_name"], valid.at["r00008", "employer_name"]) == (",", "Acme\n,Labs,")
        # The same rows as the exact reader (Python's csv module, the whole file at once).
        exact = curated._read_whole(f, None, ASSUMPTIONS, KEY)
        pd.testing.assert_frame_equal(_joined(parts, "raw"), exact.raw.reset_index(drop=True), check_dtype=False)
