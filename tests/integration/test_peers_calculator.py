"""The report set's "people like me" calculator (static/peers.js) against `outcomes roi` (flows.stats.peers).

The same profiles go to the Python ranking on a warehouse and to the JavaScript (under node, requiring
static/peers.js and the generated assets/peers-data.js of the same warehouse): same programs, same order,
every number equal to 1e-9 relative. The distribution function and the peer table builder are checked on
hand-made fixtures with known quartiles.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from schemas.generate import ddl

from tests.stats_helpers import make_core, program, publish_peers, record

from flows.config import load_assumptions
from flows.reports.peers_page import peer_data, peer_data_js
from flows.stats.peers import (PEER_TABLE, peer_groups_frame, rank_programs_for_person, roi_records,
                               share_at_least)

A = load_assumptions()
PEERS_JS = Path(__file__).resolve().parents[2] / "flows" / "reports" / "static" / "peers.js"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed: the JavaScript mirror cannot be run")

PUBLIC_ID = "ipeds-999001-1107-masters"
PROFILES = [
    {},
    {"prior_degree": "bachelors", "prior_field": "computer_science", "years_experience": 2.0, "prior_salary": 60_000.0},
    {"prior_degree": "masters", "part_time": True, "loan_rate": 0.05},
    {"max_tuition": 20_000.0},
    {"prior_degree": "doctorate", "prior_field": "humanities_arts", "years_experience": 30.0},  # no peers: levels fall back
    {"prior_degree": "bachelors", "prior_field": "business", "years_experience": 4.0},
    {"prior_degree": "bachelors", "prior_field": "business", "years_experience": 8.0, "prior_salary": 0.0},  # band unpublished
]

RUNNER = r"""
const peers = require(process.argv[2]);
const data = require(process.argv[3]);
const profiles = JSON.parse(require("fs").readFileSync(0, "utf8"));
const u = peers.unpack(data);
const out = profiles.map(p => peers.rank_rows(u.programs, u.peers, p, u.assumptions));
process.stdout.write(JSON.stringify(out));
"""


def run_js(data: dict, profiles: list[dict], tmp: Path) -> list[list[dict]]:
    (tmp / "peers-data.js").write_text(peer_data_js(data), encoding="utf-8")
    (tmp / "run.js").write_text(RUNNER, encoding="utf-8")
    proc = subprocess.run([NODE, str(tmp / "run.js"), str(PEERS_JS), str(tmp / "peers-data.js")], input=json.dumps(profiles),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def add_public_program(path: Path) -> None:
    con = duckdb.connect(str(path))
    try:
        public_row(con)
    finally:
        con.close()


@pytest.fixture(scope="module")
def warehouse(report_env, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("peers-wh") / "outcomes.duckdb"
    shutil.copyfile(report_env["warehouse"], path)
    add_public_program(path)
    return path


def small_world() -> duckdb.DuckDBPyConnection:
    """Programs that exercise every branch of the formulas: a US master's with background levels, a part-time
    online bootcamp, a GB master's (no loan rate), a funded PhD (stipend, tuition waived), a program too small to
    publish, and a real public program with published quartiles."""
    rng = np.random.default_rng(7)
    recs, i = [], 0

    def add(pid, n, degree, field, years, share_in_field=0.7, base=80_000):
        nonlocal i
        for _ in range(n):
            status = "employed_full_time_in_field" if rng.random() < share_in_field else rng.choice(
                ["seeking_employment", "unknown", "employed_full_time_out_of_field", "excluded"])
            salary = float(round(base + rng.normal(0, 15_000), -2)) if status.endswith("in_field") and rng.random() < 0.9 else None
            recs.append(record(i, pid, str(status), days=30 if "employed" in status else None, salary=salary,
                               prior=50_000, prior_degree=degree, prior_field=field, years=years))
            i += 1
    add("a", 40, "bachelors", "computer_science", 1.0, base=95_000)
    add("a", 25, "bachelors", "business", 4.0, base=85_000)
    add("a", 12, "masters", "engineering", 8.0, base=110_000)
    add("b", 30, "bachelors", "computer_science", 2.0, 0.6, base=70_000)
    add("b", 14, "associate", "other", 12.0, 0.5, base=60_000)
    add("gb", 24, "bachelors", "computer_science", 2.0, base=75_000)
    add("phd", 18, "masters", "math_statistics", 1.0, 0.9, base=140_000)
    add("tiny", 5, "bachelors", "computer_science", 2.0)
    programs = [program("a", pathway="masters", months=18.0, tuition=42_000.0),
                program("b", pathway="bootcamp", modality="online", pacing="part_time", months=9.0, tuition=14_000.0),
                program("gb", pathway="masters", months=12.0, tuition=30_000.0) | dict(state_code=None, country_code="GB"),
                program("phd", pathway="phd", months=60.0, tuition=0.0),
                program("tiny", months=6.0, tuition=9_000.0)]
    con = publish_peers(make_core(programs, recs), A)
    con.execute(ddl("out_roi__public_program_costs"))
    public_row(con)
    return con


def public_row(con) -> None:
    """A real public program with published earnings: its core row, its cost row and its all_completers peer row."""
    con.execute("""INSERT INTO core_programs__programs BY NAME SELECT ? AS program_id, 'Computer Science (CIP 11.07, Master''s degree)'
                   AS program_name, 'Institution 01 University' AS institution_name, 'masters' AS pathway,
                   'public_records' AS data_origin, 'CO' AS state_code, 'US' AS country_code""", [PUBLIC_ID])
    con.execute("""INSERT INTO out_roi__public_program_costs BY NAME SELECT ? AS program_id, 'masters' AS credential_level,
                   '11' AS cip_family, 'assumed: fixture' AS tuition_basis, 2.0 AS study_years, 24000.0 AS tuition_total_usd,
                   'fixture' AS assumptions_note""", [PUBLIC_ID])
    con.execute(f"""INSERT INTO {PEER_TABLE} BY NAME SELECT ? AS program_id, 'all_completers' AS similarity_level,
                   'any' AS degree_group, 'any' AS peer_prior_field, 'any' AS experience_band,
                   'public_records' AS data_origin_class, 41 AS peer_group_size, 41 AS peers_salary_reported_count,
                   61000.0 AS peer_salary_p25_usd, 78000.0 AS median_peer_salary_usd, 97500.0 AS peer_salary_p75_usd,
                   'Census PSEO earnings 1 year after graduation, graduates 2016-2018' AS peer_basis,
                   false AS is_suppressed""", [PUBLIC_ID])


def compare(con, tmp_path) -> set:
    data = peer_data(con, A)
    python = [roi_records(rank_programs_for_person(con, dict(p), A)) for p in PROFILES]
    js = run_js(data, PROFILES, tmp_path)
    levels_used = set()
    for profile, py_rows, js_rows in zip(PROFILES, python, js):
        assert [r["program_id"] for r in py_rows] == [r["program_id"] for r in js_rows], profile
        assert py_rows, profile
        for py, jr in zip(py_rows, js_rows):
            for key, value in py.items():
                assert key in jr, (profile, key)
                _same(value, jr[key], (profile, py["program_id"], key))
            levels_used.add(py["similarity_level"])
    assert {r["program_id"] for r in python[0]} > {r["program_id"] for r in python[3]}  # max tuition filters
    assert all(r["pacing"] in ("part_time", "self_paced") for r in python[2])
    pub = next(r for r in python[0] if r["program_id"] == PUBLIC_ID)
    assert pub["similarity_level"] == "all_completers" and pub["in_field_share"] == 1.0
    return levels_used


@needs_node
def test_javascript_ranking_equals_outcomes_roi_on_every_branch(tmp_path):
    con = small_world()
    levels = compare(con, tmp_path)
    assert {"degree_field_experience", "degree_field", "program", "all_completers", None} <= levels
    rows = {r["program_id"]: r for r in roi_records(rank_programs_for_person(con, dict(PROFILES[1]), A))}
    assert rows["gb"]["loan_rate"] is None and rows["phd"]["tuition_waived"] and rows["tiny"]["is_suppressed"]


def _same(py, js, where):
    if py is None or (isinstance(py, float) and math.isnan(py)):
        assert js is None, where
    elif isinstance(py, bool) or isinstance(py, str):
        assert py == js, where
    elif isinstance(py, (int, float)):
        assert js is not None and math.isclose(float(py), float(js), rel_tol=1e-9, abs_tol=1e-9), (where, py, js)
    else:
        assert py == js, where


@needs_node
def test_javascript_ranking_equals_outcomes_roi(warehouse, tmp_path):
    """The report_env synthetic warehouse (a refresh of the generated sample) with a real public program added."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        levels = compare(con, tmp_path)
    finally:
        con.close()
    assert "all_completers" in levels and None in levels


def test_share_at_least_reads_the_quartiles():
    # F through (60k, .25), (80k, .5), (100k, .75): a linear ramp of slope .25 per 20k, extended.
    assert share_at_least(80_000, 60_000, 80_000, 100_000) == pytest.approx(0.5)
    assert share_at_least(70_000, 60_000, 80_000, 100_000) == pytest.approx(0.625)
    assert share_at_least(90_000, 60_000, 80_000, 100_000) == pytest.approx(0.375)
    assert share_at_least(40_000, 60_000, 80_000, 100_000) == pytest.approx(1.0)  # .25 - .25 = 0: everyone
    assert share_at_least(50_000, 60_000, 80_000, 100_000) == pytest.approx(0.875)
    assert share_at_least(110_000, 60_000, 80_000, 100_000) == pytest.approx(0.125)
    assert share_at_least(130_000, 60_000, 80_000, 100_000) == 0.0  # clipped
    # unequal segments: the end segments keep their own slopes
    assert share_at_least(50_000, 60_000, 70_000, 100_000) == pytest.approx(1 - (0.25 - 0.25 * 10_000 / 10_000))
    assert share_at_least(110_000, 60_000, 70_000, 100_000) == pytest.approx(1 - (0.75 + 0.25 * 10_000 / 30_000))
    # degenerate quartiles
    assert share_at_least(70_000, 70_000, 70_000, 70_000) == 1.0 and share_at_least(70_001, 70_000, 70_000, 70_000) == 0.0
    assert share_at_least(70_000, 70_000, 70_000, 90_000) == pytest.approx(0.75)  # a salary equal to x counts
    assert share_at_least(60_000, 70_000, 70_000, 90_000) == pytest.approx(1 - (0.25 - 0.25 / 20_000 * 10_000))
    assert share_at_least(95_000, 70_000, 90_000, 90_000) == pytest.approx(1 - (0.75 + 0.25 / 20_000 * 5_000))
    assert share_at_least(80_000, None, 80_000, 100_000) is None
    with pytest.raises(ValueError):
        share_at_least(1, 3, 2, 1)


@needs_node
def test_javascript_distribution_function_matches(tmp_path):
    cases = [(x, 60_000, 80_000, 100_000) for x in (30_000, 50_000, 60_000, 70_000, 80_000, 99_999, 100_000, 120_000)]
    cases += [(70_000, 70_000, 70_000, 70_000), (70_001, 70_000, 70_000, 70_000), (60_000, 70_000, 70_000, 90_000),
              (95_000, 70_000, 90_000, 90_000)]
    script = tmp_path / "s.js"
    script.write_text("const p = require(process.argv[2]); const c = JSON.parse(process.argv[3]);"
                      "process.stdout.write(JSON.stringify(c.map(a => p.share_at_least(...a))));")
    proc = subprocess.run([NODE, str(script), str(PEERS_JS), json.dumps(cases)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == pytest.approx([share_at_least(*c) for c in cases], rel=1e-12)


def test_peer_table_builder_on_known_quartiles():
    """20 bachelors/business peers with 3-5 years (12 in field with salaries 60k..115k by 5k, 3 unknown, 5 seeking),
    3 more with 8 years (in field, 200k), 2 excluded: groups, counts and quartiles as computed by hand."""
    recs = [record(i, "p", "employed_full_time_in_field", days=30, salary=60_000 + 5_000 * i, prior=50_000)
            for i in range(12)]
    recs += [record(20 + i, "p", "unknown", prior=50_000) for i in range(3)]
    recs += [record(30 + i, "p", "seeking_employment", prior=50_000) for i in range(5)]
    recs += [record(40 + i, "p", "employed_full_time_in_field", days=30, salary=200_000, years=8.0) for i in range(3)]
    recs += [record(50 + i, "p", "excluded") for i in range(2)]
    con = make_core([program("p", months=12.0, tuition=20_000.0)], recs)
    df = peer_groups_frame(con, A).set_index(["similarity_level", "degree_group", "peer_prior_field", "experience_band"])
    band = df.loc[("degree_field_experience", "bachelors", "business", "3-5")]
    sal = np.array([60_000 + 5_000 * i for i in range(12)], dtype=float)
    assert (band.peer_group_size, band.peers_in_field_count, band.peers_salary_reported_count) == (20, 12, 12)
    assert pd.isna(band.peers_outcome_unknown_count)  # 3 < k: withheld
    assert band.peer_salary_p25_usd == pytest.approx(60_000 + 5_000 * 11 * 0.25)  # quantile_cont: position 2.75
    assert band.median_peer_salary_usd == pytest.approx(87_500) and band.peer_salary_p75_usd == pytest.approx(60_000 + 5_000 * 8.25)
    assert band.mean_peer_salary_usd == pytest.approx(sal.mean()) and not band.is_suppressed
    small = df.loc[("degree_field_experience", "bachelors", "business", "6-10")]
    assert bool(small.is_suppressed) and small.suppression_reason == "primary: fewer than k=10 peers"
    assert pd.isna(small.peer_group_size)
    whole = df.loc[("program", "any", "any", "any")]
    assert whole.peer_group_size == 23 and whole.peers_salary_reported_count == 15  # excluded left out
    assert whole.median_peer_salary_usd == pytest.approx(np.percentile(np.r_[sal, [200_000] * 3], 50))
    assert set(df.index.get_level_values(0)) == {"degree_field_experience", "degree_field", "degree", "program"}


def test_ranking_uses_the_published_row_and_falls_back():
    """The 3-5 band is published, the 6-10 band is not: someone with 8 years falls back to degree + field."""
    recs = [record(i, "p", "employed_full_time_in_field", days=30, salary=60_000 + 5_000 * i, prior=50_000)
            for i in range(12)]
    recs += [record(40 + i, "p", "employed_full_time_in_field", days=30, salary=200_000, years=8.0) for i in range(3)]
    con = publish_peers(make_core([program("p", months=12.0, tuition=20_000.0)], recs), A)
    person = dict(prior_degree="bachelors", prior_field="business", prior_salary=50_000)
    r4 = rank_programs_for_person(con, {**person, "years_experience": 4}, A).iloc[0]
    r8 = rank_programs_for_person(con, {**person, "years_experience": 8}, A).iloc[0]
    assert r4.similarity_level == "degree_field_experience" and r4.peer_group_size == 12
    assert r8.similarity_level == "degree_field" and r8.peer_group_size == 15
    sal = np.r_[[60_000 + 5_000 * i for i in range(12)], [200_000] * 3]
    assert r8.expected_salary_usd == pytest.approx(sal.mean())  # q = 1: every peer in field
