"""Reading and validating curated files: every rule gives its own quarantine reason."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from flows import curated
from flows.config import load_assumptions
from tests.helpers import PROGRAMS, record, write_csv

ASSUMPTIONS = load_assumptions()
KEY = b"unit-test-key"


def _read(path):
    [f] = [f for f in curated.discover(path.parent) if f.path == path]
    return curated.read_file(f, ASSUMPTIONS, key=KEY)


RECORD_CASES = [
    ({"graduation_date": "2023-02-30"}, "graduation_date:type_date"),
    ({"graduation_date": "31/12/2023"}, "graduation_date:type_date"),
    ({"base_salary": "-5000"}, "base_salary:min"),
    ({"base_salary": "5000000"}, "base_salary:max"),
    ({"base_salary": "110k"}, "base_salary:type_number"),
    ({"prior_salary": "60k"}, "prior_salary:type_number"),
    ({"years_experience": "-1"}, "years_experience:min"),
    ({"outcome_status": "employed"}, "outcome_status:enum"),
    ({"outcome_status": ""}, "outcome_status:required"),
    ({"role_category": "wizard"}, "role_category:enum"),
    ({"prior_degree": "phd"}, "prior_degree:enum"),
    ({"prior_field": "astrology"}, "prior_field:enum"),
    ({"salary_currency": "XYZ"}, "salary_currency:enum"),
    ({"source_kind": ""}, "source_kind:required"),
    ({"verification_level": "trusted"}, "verification_level:enum"),
    ({"collected_date": ""}, "collected_date:required"),
    ({"record_id": "bad id!"}, "record_id:pattern"),
    ({"cohort": "2023-H1"}, "cohort:pattern"),
    ({"cohort": "2023H2"}, "cohort:cohort_matches_graduation_date"),
    ({"in_field": "maybe"}, "in_field:type_boolean"),
    ({"in_field": "false"}, "in_field:in_field_matches_status"),
    ({"outcome_status": "seeking_employment", "role_category": "", "in_field": ""},
     "base_salary:salary_only_when_employed"),
    ({"role_category": ""}, "role_category:role_required_when_employed"),
    ({"job_start_date": "2021-01-01"}, "job_start_date:job_start_within_window"),
    ({"job_start_date": "2024-06-01"}, "job_start_date:job_start_not_after_collection"),
]


@pytest.mark.parametrize("override,expected_rule", RECORD_CASES, ids=[c[1] for c in RECORD_CASES])
def test_each_record_rule_quarantines_with_its_reason(tmp_path, override, expected_rule):
    path = write_csv(tmp_path / "records.csv", [record(1), record(2, **override), record(3)])
    result = _read(path)
    assert result.rejection is None
    assert len(result.valid) == 2 and len(result.quarantine) == 1
    q = result.quarantine.iloc[0]
    assert q["source_row_number"] == 2
    assert q["failed_rules"] == expected_rule
    column = expected_rule.split(":")[0]
    assert f"{path.relative_to(path.anchor).as_posix()}" in q["failure_messages"] or str(path) in q["failure_messages"]
    assert "row 2" in q["failure_messages"] and column in q["failure_messages"]
    raw = json.loads(q["raw_values_json"])
    assert raw["record_id"] == override.get("record_id", "r00002")
    assert not {"full_name", "email", "profile_url", "evidence_url"} & set(raw), "PII must not reach quarantine"


def test_message_names_file_row_column_value_and_rule(tmp_path):
    path = write_csv(tmp_path / "records.csv", [record(1, base_salary="-5000")])
    [msg] = curated.problems(_read(path))
    assert msg.endswith("row 1: column 'base_salary' value '-5000' breaks rule min: between 1000 and 2e+06")


def test_every_broken_rule_of_a_row_is_listed(tmp_path):
    path = write_csv(tmp_path / "records.csv", [record(1, base_salary="-1", outcome_status="x", graduation_date="2023-13-01")])
    q = _read(path).quarantine.iloc[0]
    assert set(q["failed_rules"].split("; ")) == {"base_salary:min", "outcome_status:enum", "graduation_date:type_date"}


PROGRAM_CASES = [
    ({"pathway": "college"}, "pathway:enum"),
    ({"tuition_fees_usd": "-1"}, "tuition_fees_usd:min"),
    ({"duration_months": "0"}, "duration_months:min"),
    ({"cip_code": "11-07"}, "cip_code:pattern"),
    ({"state_code": "Texas"}, "state_code:pattern"),
    ({"modality": "in_person", "city": "", "state_code": "", "country_code": ""},
     "modality:programs_in_person_has_location"),
    ({"institution_name": ""}, "institution_name:required"),
]


@pytest.mark.parametrize("override,expected_rule", PROGRAM_CASES, ids=[c[1] for c in PROGRAM_CASES])
def test_each_program_rule(tmp_path, override, expected_rule):
    path = write_csv(tmp_path / "programs.csv", [PROGRAMS[0], {**PROGRAMS[1], **override}])
    result = _read(path)
    assert result.file.kind == "programs"
    assert list(result.quarantine["failed_rules"]) == [expected_rule]


def test_typed_and_derived_columns(tmp_path):
    path = write_csv(tmp_path / "records.csv", [
        record(1, graduation_date="2023-08-20", job_start_date="2023-08-01", salary_currency="EUR",
               base_salary="50,000", collected_date="2024-02-01", in_field="")])
    row = _read(path).valid.iloc[0]
    assert row["cohort"] == "2023H2" and row["graduation_year"] == 2023 and row["class_year"] == 2024
    assert row["cirr_category"] == "1A" and row["nace_category"] == "employed_full_time" and bool(row["is_in_field"])
    assert row["days_to_job_start"] == -19
    assert row["base_salary_usd"] == pytest.approx(50000 * ASSUMPTIONS["currency"]["usd_per_unit"]["EUR"])
    assert row["evidence_domain"] == "linkedin.com"


def test_person_key_is_keyed_and_pii_is_dropped(tmp_path):
    path = write_csv(tmp_path / "records.csv", [record(1), record(2, email="PERSON1@example.org ")])
    f = curated.discover(tmp_path)[0]
    a = curated.read_file(f, ASSUMPTIONS, key=b"one")
    b = curated.read_file(f, ASSUMPTIONS, key=b"two")
    assert a.valid["person_key"].iloc[0] == a.valid["person_key"].iloc[1], "same e-mail, normalised, same key"
    assert a.valid["person_key"].iloc[0] != b.valid["person_key"].iloc[0], "the key changes the hash"
    for frame in (a.raw, a.valid):
        assert not {"full_name", "email", "profile_url", "evidence_url"} & set(frame.columns)
        text = frame.astype(str).to_string()
        assert "example.org" not in text and "Test Person" not in text


def test_person_key_falls_back_to_profile_then_name(tmp_path):
    df = pd.DataFrame({"email": [None, None, None], "profile_url": ["https://www.x.org/a/", "http://x.org/a", None],
                       "full_name": [None, None, "Ann  Lee"], "program_id": ["p", "p", "p"],
                       "graduation_date": ["2023-01-01"] * 3})
    keys = curated.person_keys(df, KEY)
    assert keys[0] == keys[1] and keys[2] is not None and keys[2] != keys[0]


# ------------------------------------------------------------------ whole-file problems


def test_missing_required_column_rejects_file(tmp_path):
    path = write_csv(tmp_path / "records.csv", [record(1)], columns=[c for c in record(1) if c != "outcome_status"])
    result = _read(path)
    assert result.rejection == "missing required column(s): outcome_status (see data/raw/curated/TEMPLATE.csv)"
    assert "rejected" in curated.problems(result)[0]


def test_wrong_encoding_rejects_file(tmp_path):
    path = tmp_path / "records.csv"
    write_csv(path, [record(1, employer_name="Café")])
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    assert _read(path).rejection.startswith("wrong encoding: the file is not UTF-8")


def test_empty_file_and_corrupt_workbook_are_rejected(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "broken.xlsx").write_bytes(b"this is not a zip file")
    results = {f.path.name: curated.read_file(f, ASSUMPTIONS, key=KEY) for f in curated.discover(tmp_path)}
    assert results["empty.csv"].rejection.startswith("unreadable")
    assert results["broken.xlsx"].rejection.startswith("unreadable XLSX")


def test_duplicate_header_rejects_file(tmp_path):
    path = tmp_path / "records.csv"
    path.write_text("record_id,record_id,program_id\n1,2,3\n")
    assert _read(path).rejection.startswith("duplicate column(s) in header: record_id")


def test_unknown_columns_are_noted_not_fatal(tmp_path):
    rows = [{**record(1), "notes": "hello"}]
    path = write_csv(tmp_path / "records.csv", rows, columns=list(rows[0]))
    result = _read(path)
    assert result.message == "ignored unknown column(s): notes" and len(result.valid) == 1


# ------------------------------------------------------------------ formats


def test_xlsx_and_jsonl_read_like_csv(tmp_path):
    rows = [record(1), record(2, base_salary="-3")]
    pd.DataFrame(rows).to_excel(tmp_path / "records.xlsx", index=False)
    with open(tmp_path / "records.jsonl", "w") as fh:
        for r in rows:
            fh.write(json.dumps({k: (v if v != "" else None) for k, v in r.items()}) + "\n")
        fh.write("{not json\n")
    got = {f.file_format: curated.read_file(f, ASSUMPTIONS, key=KEY) for f in curated.discover(tmp_path)}
    for fmt in ("xlsx", "jsonl"):
        assert len(got[fmt].valid) == 1
        assert got[fmt].valid["graduation_date"].iloc[0] == pd.Timestamp("2023-05-15")
    assert list(got["xlsx"].quarantine["failed_rules"]) == ["base_salary:min"]
    assert list(got["jsonl"].quarantine["failed_rules"]) == ["base_salary:min", "json_syntax"]
    assert got["jsonl"].rows_read == 3


def test_discovery_skips_templates_and_readmes_and_sorts(tmp_path):
    for name in ("TEMPLATE.csv", "README.md", "b.csv", "a_programs.csv", "notes.txt"):
        (tmp_path / name).write_text("x\n")
    assert [(f.path.name, f.kind) for f in curated.discover(tmp_path)] == [
        ("a_programs.csv", "programs"), ("b.csv", "outcome_records")]
    skipped = {s.path.name: s.reason for s in curated.scan(tmp_path).skipped}
    assert skipped == {"TEMPLATE.csv": "template", "README.md": "readme", "notes.txt": "unsupported_extension"}


def test_the_templates_pass_validate(tmp_path):
    from flows.validation import validate_paths
    from schemas.generate import write_template

    write_template(tmp_path)
    report = validate_paths([tmp_path / "TEMPLATE.csv"], tmp_path / "no-programs-here")
    assert report.problems == 0, report.lines
    assert report.lines[0].endswith("ok (1 rows, outcome records)")
