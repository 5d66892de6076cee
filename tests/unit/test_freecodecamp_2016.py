"""freeCodeCamp 2016 survey connector against the real bundled file."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

import schemas  # noqa: F401
from flows.sources import SOURCES, freecodecamp_2016 as fcc
from flows.sources.snapshot_files import sha256_file
from schemas.checks import RULES
from schemas.generate import pandera_model
from schemas.model import FIELDS

ROOT = Path(__file__).resolve().parents[2]
SNAP = ROOT / "data" / "raw" / "freecodecamp_2016" / "2026-11-21T000000Z-bundled"
SHARED = ROOT.parent / "shared" / "data" / "public" / "freecodecamp_2016_new_coder_survey" / "new_coder_survey_2016_part1.csv"
FILE = SNAP / "new_coder_survey_2016_part1.csv"


@pytest.fixture(scope="module")
def frames():
    return fcc.transform(SNAP, {})


@pytest.fixture(scope="module")
def rows():
    with open(FILE, newline="", encoding="utf-8") as fh:
        r = csv.reader(fh)
        header = next(r)
        return header, list(r)


def test_bundle_is_unchanged_and_carries_the_licence():
    manifest = json.loads((SNAP / "manifest.json").read_text())
    assert manifest["kind"] == "bundled" and "ODbL" in manifest["licence"]
    for e in manifest["files"]:
        assert sha256_file(SNAP / e["name"]) == e["sha256"]
    readme = (SNAP / "README.md").read_text()
    assert "Open Database License" in readme and "freeCodeCamp" in readme and "CodeNewbie" in readme
    if SHARED.exists():
        assert sha256_file(SHARED) == sha256_file(FILE)


def test_every_frame_validates(frames):
    for name, df in frames.items():
        pandera_model("core_ingest__quarantine" if name == "_quarantine" else name).validate(df, lazy=True)
    out = frames["core_outcomes__graduate_outcomes"]
    for rule in ("salary_only_when_employed", "role_required_when_employed", "cohort_matches_graduation_date"):
        assert RULES[rule][0](out).all(), rule
    progs = frames["core_programs__programs"]
    assert RULES["programs_in_person_has_location"][0](progs).all()


def test_raw_table_has_every_response(frames, rows):
    header, data = rows
    raw = frames["raw_freecodecamp_2016__responses"]
    assert len(data) == 15653 == len(raw)
    assert raw["fcc_response_id"].tolist() == [r[0] for r in data]
    assert raw["source_row_number"].tolist() == list(range(1, 15654))


def test_finished_bootcamp_counts_and_job_share_from_the_file(frames, rows):
    header, data = rows
    a, f, j = (header.index(h) for h in ("Have you attended a full-time coding bootcamp?", "Have you finished yet?",
                                         "Were you able to get a full time developer job afterward?"))
    finished = [r for r in data if r[a] == "1" and r[f] == "1"]
    assert len(finished) == 645
    out, q = frames["core_outcomes__graduate_outcomes"], frames["_quarantine"]
    # conservation over the in-scope rows
    assert len(out) + len(q) == len(finished)
    assert set(out.source_row_number) | set(q.source_row_number) == {i for i, r in enumerate(data, 1) if r[a] == "1" and r[f] == "1"}
    # full-time job share computed independently with pandas over the loaded rows
    pdf = pd.read_csv(FILE, dtype=str, keep_default_na=False)
    loaded = pdf.iloc[[n - 1 for n in out.source_row_number]]
    col = "Were you able to get a full time developer job afterward?"
    assert (out.outcome_status == "employed_full_time_in_field").sum() == (loaded[col] == "1").sum() == 354
    assert (out.outcome_status == "seeking_employment").sum() == (loaded[col] == "0").sum()
    assert (out.outcome_status == "unknown").sum() == (loaded[col] == "").sum()
    # over all finishers (the survey's own figure: 371 of 637 who answered)
    ans = [r[j] for r in finished if r[j] != ""]
    assert ans.count("1") == 371 and len(ans) == 637


def test_record_mapping(frames, rows):
    header, data = rows
    out = frames["core_outcomes__graduate_outcomes"]
    r = out.iloc[0]
    src = data[int(r.source_row_number) - 1]
    assert r.record_id == f"fcc2016-{src[0]}" and pd.isna(r.person_key)
    assert r.source_kind == "public_dataset" and r.verification_level == "self_reported"
    assert r.collected_date == pd.Timestamp(src[header.index("Submit Date (UTC)")]).normalize()
    months = float(src[header.index("How many months ago?")])
    assert abs((r.collected_date - r.graduation_date).days - months * 30.4375) <= 1
    assert set(out.data_origin) == {"freecodecamp_2016"}
    job = out[out.outcome_status == "employed_full_time_in_field"]
    assert set(job.role_category) == {"software_engineer"} and job.is_in_field.all()
    assert set(job.cirr_category) == {"1A"} and set(job.nace_category) == {"employed_full_time"}
    seek = out[out.outcome_status == "seeking_employment"]
    assert set(seek.cirr_category) == {"3A"} and seek.is_in_field.isna().all() and seek.base_salary.isna().all()


def test_implausible_salaries_are_flagged_never_loaded(frames, rows):
    header, data = rows
    out, flags = frames["core_outcomes__graduate_outcomes"], frames["core_freecodecamp_2016__salary_flags"]
    lo, hi = FIELDS["base_salary"].min, FIELDS["base_salary"].max
    assert out.base_salary.dropna().between(lo, hi).all()
    s = header.index("How much was your salary?")
    bad = {f"fcc2016-{data[n - 1][0]}" for n in out.source_row_number
           if data[n - 1][s] != "" and not lo <= float(data[n - 1][s]) <= hi}
    assert bad and bad == set(flags.record_id)
    assert set(flags.flag_rule) == {"salary_outside_base_salary_range"}
    flagged = out[out.record_id.isin(bad)]
    assert flagged.base_salary.isna().all() and len(flagged) == len(bad)  # record kept, salary null
    assert "0" in set(flags.fcc_bootcamp_post_salary)
    assert "breaks rule salary_outside_base_salary_range" in flags.flag_message.iloc[0]


def test_quarantine_rules(frames):
    q = frames["_quarantine"]
    rules = "; ".join(q.failed_rules)
    for rule in ("bootcamp_name_missing", "not_a_bootcamp", "months_ago_missing", "graduation_before_bootcamps_existed"):
        assert rule in rules
    assert q.failure_messages.str.contains(r"new_coder_survey_2016_part1\.csv row \d+: column").all()
    assert q.raw_values_json.map(lambda s: "Which one?" in json.loads(s)).all()


def test_programs_one_per_named_bootcamp(frames):
    progs, out = frames["core_programs__programs"], frames["core_outcomes__graduate_outcomes"]
    assert progs.program_id.is_unique and set(progs.program_id) == set(out.program_id)
    ga = progs[progs.program_id == "fcc-general-assembly"].iloc[0]
    assert ga.institution_name == "General Assembly" and ga.pathway == "bootcamp" and ga.pacing == "full_time"
    assert pd.isna(ga.tuition_fees_usd) and pd.isna(ga.duration_months) and pd.isna(ga.modality)
    assert (out.program_id == "fcc-general-assembly").sum() == 78


def test_name_normalisation():
    assert fcc.program_slug("  General   Assembly ") == fcc.program_slug("general assembly") == "fcc-general-assembly"
    assert fcc.program_slug("Academia de Código") == "fcc-academia-de-codigo"
    assert fcc.program_slug("New York Code + Design Academy") == "fcc-new-york-code-design-academy"


def test_registered():
    s = SOURCES["freecodecamp_2016"]
    assert s.fetch is None and "ODbL" in s.licence
