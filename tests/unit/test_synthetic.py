"""Tests of the seeded synthetic curated-data generator (devtools/synthetic.py)."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import schemas  # noqa: F401  (fills the registries)
from devtools import synthetic
from flows.curated import SPECS
from schemas.checks import RULES
from schemas.generate import build_model
from schemas.model import FIELDS, VOCABULARIES
from schemas.tables.curated import (
    INPUT_OUTCOME_RECORDS,
    INPUT_PROGRAMS,
    REQUIRED_OUTCOME_RECORDS,
    REQUIRED_PROGRAMS,
)

RECORD_RULES = list(SPECS["outcome_records"].rules)


def read_any(path: Path) -> pd.DataFrame:
    """A curated file as text, blanks as "" (CSV, JSON Lines or XLSX)."""
    if path.suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    if path.suffix == ".jsonl":
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        for r in rows:
            assert all(v is None or isinstance(v, str) for v in r.values()), r
        return pd.DataFrame(rows).fillna("")
    df = pd.read_excel(path, dtype=str, keep_default_na=False)
    return df


def typed(df: pd.DataFrame) -> pd.DataFrame:
    """Type a text frame by the field metadata; fail loudly on anything that does not parse."""
    out = {}
    for col in df.columns:
        text = df[col].astype(str)
        blank = text == ""
        kind = FIELDS[col].type
        if kind == "string":
            out[col] = text.mask(blank).astype("string")
        elif kind == "number":
            out[col] = pd.to_numeric(text.mask(blank), errors="raise").astype(float)
        elif kind == "date":
            out[col] = pd.to_datetime(text.mask(blank), format="%Y-%m-%d", errors="raise")
        elif kind == "boolean":
            assert set(text[~blank]) <= {"true", "false"}, col
            out[col] = text.map({"true": True, "false": False}).mask(blank).astype("boolean")
        else:  # pragma: no cover - no other input types
            raise AssertionError(kind)
    return pd.DataFrame(out)


def records_model():
    return build_model("synthetic_records", INPUT_OUTCOME_RECORDS, REQUIRED_OUTCOME_RECORDS,
                       ("record_id",), RECORD_RULES)


def programs_model():
    return build_model("synthetic_programs", INPUT_PROGRAMS, REQUIRED_PROGRAMS, ("program_id",),
                       ("programs_in_person_has_location",))


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("synthetic")
    paths = synthetic.generate(out)
    paths["mistakes"] = synthetic.write_mistakes_file(out, paths["programs"])
    return paths


@pytest.fixture(scope="module")
def records(sample) -> pd.DataFrame:
    frames = []
    for name, p in sample.items():
        if name.startswith("outcome_records"):
            df = read_any(p)
            assert list(df.columns) == list(INPUT_OUTCOME_RECORDS), p
            frames.append(df.assign(_file=p.name))
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def programs(sample) -> pd.DataFrame:
    df = read_any(sample["programs"])
    assert list(df.columns) == list(INPUT_PROGRAMS)
    return df


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_files_written_in_every_format(sample):
    suffixes = {p.suffix for p in sample.values()}
    assert suffixes == {".csv", ".jsonl", ".xlsx"}
    assert all(p.name.startswith("synthetic_") for p in sample.values())


def test_same_seed_same_bytes_other_seed_other_bytes(sample, tmp_path):
    again = synthetic.generate(tmp_path / "a")
    again["mistakes"] = synthetic.write_mistakes_file(tmp_path / "a", again["programs"])
    assert {k: sha(p) for k, p in again.items()} == {k: sha(p) for k, p in sample.items()}
    other = synthetic.generate(tmp_path / "b", seed=7)
    assert sha(other["outcome_records_2019_2022"]) != sha(sample["outcome_records_2019_2022"])


def test_programs_cover_every_vocabulary_value(programs):
    assert len(programs) >= 30
    # Bachelor's and associate degrees come from the public sources (real programs), not the demonstration.
    # 'unknown' is the out tables' code of a modality or pacing a program does not state: never an input value.
    public_only = {"pathway": {"bachelors", "associate"}, "modality": {"unknown"}, "pacing": {"unknown"}}
    for col in ("pathway", "modality", "pacing"):
        assert set(programs[col]) == set(VOCABULARIES[col].values) - public_only.get(col, set()), col
    assert {"GB", "DE", "CA", "IN"} <= set(programs["country_code"])
    pseo = programs[programs["state_code"].isin(["CO", "TX", "MI", "WI"])
                    & programs["pathway"].isin(["masters", "phd", "certificate"]) & (programs["cip_code"] != "")]
    assert len(pseo) >= 8
    assert programs["program_id"].is_unique


def test_programs_pass_field_rules(programs):
    programs_model().validate(typed(programs), lazy=True)
    tuition = programs["tuition_fees_usd"].astype(float)
    assert (tuition[programs["pathway"] == "phd"] == 0).all()
    months = programs["duration_months"].astype(float)
    assert months[programs["pathway"] == "bootcamp"].between(3, 6).all()


def test_records_volume_and_years(records):
    assert len(records) == 5200
    assert records["graduation_date"].str[:4].nunique() >= 5


def test_clean_records_pass_every_field_rule_and_row_rule(records):
    df = typed(records.drop(columns="_file"))
    records_model().validate(df, lazy=True)
    for name in RECORD_RULES:
        assert RULES[name][0](df).all(), name
    # Collection: 150-420 days after graduation, never after 2025-12-31.
    gap = (df["collected_date"] - df["graduation_date"]).dt.days
    assert gap.between(150, 420).all()
    assert (df["collected_date"] <= pd.Timestamp("2025-12-31")).all()


def test_record_program_ids_exist(records, programs):
    assert set(records["program_id"]) <= set(programs["program_id"])


def test_realistic_relationships(records):
    df = typed(records.drop(columns="_file"))
    # Some program-years with fewer than 10 graduates, some big ones.
    sizes = df.groupby(["program_id", df["graduation_date"].dt.year]).size()
    assert (sizes < 10).sum() >= 5 and sizes.max() >= 50
    # Knowledge rate differs by program; a few below 65%.
    known = (df["outcome_status"] != "unknown").groupby(df["program_id"]).mean()
    assert (known < 0.65).sum() >= 1 and (known > 0.8).sum() >= 5
    # Bootcamps have excluded graduates; PhDs do not continue to education.
    pw = df["program_id"].map(dict(zip(*[synthetic.build_programs(None, np.random.default_rng(0))[c]
                                        for c in ("program_id", "pathway")])))
    assert (df.loc[pw == "bootcamp", "outcome_status"] == "excluded").mean() > 0.01
    assert not (df.loc[pw == "phd", "outcome_status"] == "continuing_education").any()
    assert (df.loc[pw == "masters", "role_category"] == "phd_student").any()
    # Hired before graduating (at most 365 days) and some after 180 days.
    start = (df["job_start_date"] - df["graduation_date"]).dt.days.dropna()
    assert (start < 0).any() and (start > 180).any() and start.min() >= -365
    # Salaries: ML engineers out-earn "other" roles; prior salary missing for about 40%.
    usd = df[df["salary_currency"].fillna("USD") == "USD"]
    med = usd.groupby("role_category")["base_salary"].median()
    assert med["ml_engineer"] > med["other"] * 1.3
    assert 0.3 < df["prior_salary"].isna().mean() < 0.5
    employed = df["role_category"].notna() & (df["outcome_status"] != "continuing_education")
    assert df.loc[employed, "base_salary"].isna().mean() > 0.05


def test_pii_obviously_fake_and_duplicate_people_across_files(records):
    assert records["full_name"].str.startswith("Synthetic Person ").all()
    emails = records.loc[records["email"] != "", "email"]
    assert emails.str.fullmatch(r"grad\d{6}@example\.org").all()
    dup = records[records["email"] != ""].groupby("email")["_file"].agg(["size", "nunique"])
    twice = dup[dup["size"] > 1]
    assert len(twice) == 52 and (twice["nunique"] == 2).all()
    assert records["record_id"].is_unique


def test_csv_only_writes_one_file_and_scales(tmp_path):
    paths = synthetic.generate(tmp_path, n_records=20_000, formats=("csv",))
    assert set(paths) == {"programs", "outcome_records"}
    df = read_any(paths["outcome_records"])
    assert len(df) == 20_000 and df["record_id"].is_unique
    records_model().validate(typed(df), lazy=True)


def test_more_programs_than_the_list(tmp_path):
    paths = synthetic.generate(tmp_path, n_records=3000, n_programs=60, formats=("csv",))
    progs = read_any(paths["programs"])
    assert len(progs) == 60 and progs["program_id"].str.startswith("synthetic-program-").sum() == 60 - len(synthetic.PROGRAMS)
    programs_model().validate(typed(progs), lazy=True)
    df = read_any(paths["outcome_records"])
    assert set(df["program_id"]) <= set(progs["program_id"])
    records_model().validate(typed(df), lazy=True)


def test_cli_prints_paths(tmp_path, capsys):
    assert synthetic.main(["--records", "500", "--out", str(tmp_path), "--csv-only", "--with-mistakes"]) == 0
    printed = capsys.readouterr().out.split()
    assert [Path(p).name for p in printed] == ["synthetic_programs.csv", "synthetic_outcome_records.csv",
                                               synthetic.MISTAKES_FILE]


# --- the mistakes file -----------------------------------------------------------------------
def row_failures(df: pd.DataFrame) -> dict[int, set[str]]:
    """Data-row number -> rules broken by that row alone (field rules and schemas.checks)."""
    fails: dict[int, set[str]] = {i + 1: set() for i in range(len(df))}
    typed_cols = {}
    for col in df.columns:
        f = FIELDS[col]
        text = df[col]
        blank = text == ""
        if f.type == "date":
            parsed = pd.to_datetime(text.mask(blank), format="%Y-%m-%d", errors="coerce")
            for i in np.flatnonzero(~blank & parsed.isna()):
                fails[i + 1].add(f"{col}:date")
            typed_cols[col] = parsed
        elif f.type == "number":
            num = pd.to_numeric(text.mask(blank), errors="coerce")
            bad = (f.min is not None) & (num < (f.min if f.min is not None else 0))
            for i in np.flatnonzero(bad.fillna(False)):
                fails[i + 1].add(f"{col}:range")
            typed_cols[col] = num
        elif f.type == "boolean":
            typed_cols[col] = text.map({"true": True, "false": False}).astype("boolean")
        else:
            if f.vocabulary:
                for i in np.flatnonzero(~blank & ~text.isin(VOCABULARIES[f.vocabulary].values)):
                    fails[i + 1].add(f"{col}:vocabulary")
            typed_cols[col] = text.mask(blank)
        if col in REQUIRED_OUTCOME_RECORDS:
            for i in np.flatnonzero(blank):
                fails[i + 1].add(f"{col}:required")
    typed_df = pd.DataFrame(typed_cols)
    for name in RECORD_RULES:
        ok = RULES[name][0](typed_df)
        for i in np.flatnonzero(~ok.to_numpy()):
            fails[i + 1].add(name)
    for i in np.flatnonzero(df["record_id"].duplicated().to_numpy()):
        fails[i + 1].add("record_id:unique")
    return fails


def test_mistakes_file_has_each_documented_mistake_and_clean_rows(sample, programs, records):
    df = read_any(sample["mistakes"])
    assert list(df.columns) == list(INPUT_OUTCOME_RECORDS)
    assert 25 <= len(df) <= 35
    fails = row_failures(df)
    documented = {m["row"]: m for m in synthetic.MISTAKES}
    assert len(documented) == len(synthetic.MISTAKES) == 14
    assert len(df) - len(documented) > len(df) / 2  # most rows are clean
    main_emails = set(records.loc[~records["_file"].str.contains("mistakes"), "email"])
    for n, m in documented.items():
        value = df.at[n - 1, m["column"]]
        if m["rule"] == "person:duplicate":
            assert value == m["value"] and value in main_emails and fails[n] == set()
            assert df.at[n - 1, "record_id"] not in set(records["record_id"])
        elif m["rule"] == "program_id:exists":
            assert value not in set(programs["program_id"]) and fails[n] == set()
        else:
            assert value == m["value"], m
            assert fails[n] == {m["rule"]}, (m, fails[n])
    clean = [n for n in fails if n not in documented]
    assert all(fails[n] == set() for n in clean), {n: fails[n] for n in clean if fails[n]}
    assert set(df.loc[[n - 1 for n in clean], "program_id"]) <= set(programs["program_id"])
    # The clean rows pass the generated Pandera model too.
    records_model().validate(typed(df.iloc[[n - 1 for n in clean]]), lazy=True)


def test_mistakes_file_needs_main_file(tmp_path, sample):
    with pytest.raises(FileNotFoundError, match="synthetic_outcome_records"):
        synthetic.write_mistakes_file(tmp_path, sample["programs"])


def test_bundled_sample_is_what_the_generator_writes(tmp_path):
    """data/raw/curated/synthetic_* must be byte-identical to a fresh run with the defaults."""
    bundled = Path(__file__).resolve().parents[2] / "data" / "raw" / "curated"
    paths = synthetic.generate(tmp_path)
    paths["mistakes"] = synthetic.write_mistakes_file(tmp_path, paths["programs"])
    assert sorted(p.name for p in bundled.glob("synthetic_*")) == sorted(p.name for p in paths.values())
    for p in paths.values():
        stale = f"{p.name} is stale: run python -m devtools.synthetic --with-mistakes"
        if p.suffix == ".xlsx":  # deflate output may differ between zlib builds: compare cells
            pd.testing.assert_frame_equal(read_any(p), read_any(bundled / p.name), obj=stale)
        else:
            assert sha(p) == sha(bundled / p.name), stale
