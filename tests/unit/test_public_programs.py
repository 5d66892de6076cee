"""Public programs: crosswalk, program identity across sources, CIP-2 links, constant dollars, golden figures.

Built from small extracts of the real files (tests/fixtures/public_*/README.md): no network, no
checkout data. Golden figures were read by hand from the publishers' files:
- College Scorecard FieldOfStudyData1516_1617_PP, UNITID 126614 (University of Colorado Boulder),
  CIP 1107, CREDLEV 5: P_MD_EARN_WNE 91100 with P_EARNINGSCOUNT 23 (AY2014-15 + AY2015-16 completers,
  2018 dollars per the data dictionary's cohort map); CREDLEV 3: 70100 (113).
- Census PSEO pseoe_all.csv, institution 1370 (00137000), degree_level 7, cipcode 11.XX, cohort 0:
  y1_p50_earnings 82368 (299 graduates); degree_level 5, cipcode 11.07, cohort 0: 61537 (602).
- Colorado ROI 2019, Year1 sheet, EntityId 0532, CIPCode 1107, DegreeLevelId 31: 81250.79 (186 with wages).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from flows.snapshots import snapshot_local_files
from flows.sources import census_pseo, colorado_roi, program_links, public_crosswalk, public_programs
from flows.sources import college_scorecard as cs
from flows.sources.config import source_config
from flows.warehouse import ensure_tables, load_source_frames
from schemas.generate import pandera_model

FIX = Path(__file__).resolve().parents[1] / "fixtures"
SC = FIX / "public_scorecard"
CO = FIX / "public_colorado"
XW = FIX / "public_crosswalk"
CPI_2018, CPI_2023 = 251.107, 304.702


def _validate(frames):
    for name, df in frames.items():
        pandera_model("core_ingest__quarantine" if name == "_quarantine" else name).validate(df, lazy=True)


@pytest.fixture(scope="module")
def crosswalk_rows():
    return public_crosswalk.propose(
        public_crosswalk.read_pseo_institutions(XW / "pseoe_extract.csv", XW / "label_institution_extract.csv"),
        public_crosswalk.read_colorado_institutions(CO / "ROI2019_extract.xlsx"),
        public_crosswalk.read_scorecard_institutions(SC / "MERGED2023_24_PP_slim_extract.csv"))


# --- crosswalk --------------------------------------------------------------------------------

def test_crosswalk_known_pairs_and_methods(crosswalk_rows):
    by = {(r["crosswalk_source"], r["source_institution_id"]): r for r in crosswalk_rows}
    boulder = by[("census_pseo", "00137000")]
    assert (boulder["unitid"], boulder["match_method"]) == ("126614", "opeid8_exact")
    assert by[("colorado_roi", "0532")]["unitid"] == "126614"
    assert by[("colorado_roi", "0532")]["match_method"] == "name_state_exact"
    pikes = by[("colorado_roi", "0509")]  # renamed: Pikes Peak Community College -> Pikes Peak State College
    assert (pikes["unitid"], pikes["match_method"]) == ("127820", "name_state_reviewed") and pikes["review_note"]
    hsc = by[("colorado_roi", "6057")]  # reported inside UC Denver's UNITID by IPEDS: kept apart
    assert hsc["match_method"] == "unmatched" and hsc["unitid"] == "" and "0533" in hsc["review_note"]
    tyler = by[("census_pseo", "04243900")]
    assert tyler["match_method"] == "unmatched"


def test_crosswalk_is_one_to_one(crosswalk_rows):
    targets = [(r["crosswalk_source"], r["unitid"]) for r in crosswalk_rows if r["unitid"]]
    assert len(targets) == len(set(targets))
    bad = [dict(crosswalk_rows[0]), dict(crosswalk_rows[0], source_institution_id="99999900")]
    with pytest.raises(ValueError, match="target of"):
        public_crosswalk.check_one_to_one(bad)


def test_normalise_name():
    assert public_crosswalk.normalise_name("The University of Texas at Austin") == "university of texas at austin"
    assert (public_crosswalk.normalise_name("Colorado State University - Pueblo")
            == public_crosswalk.normalise_name("Colorado State University Pueblo"))
    assert public_crosswalk.normalise_name("Alabama A & M University") == "alabama a and m university"


def test_crosswalk_file_rules_quarantine_bad_rows(tmp_path, crosswalk_rows):
    rows = [dict(r) for r in crosswalk_rows]
    rows.append(dict(rows[0]))                                          # same code twice
    rows.append(dict(rows[1], source_institution_id="77777700"))        # second code -> same UNITID
    rows.append(dict(rows[2], source_institution_id="0999", unitid="12345", match_method="name_state_exact"))
    path = tmp_path / "public_institution_crosswalk.csv"
    public_crosswalk.write(rows, path)
    out = program_links.read_institution_crosswalk(path)
    _validate(out)
    q = out["_quarantine"]
    assert len(out[program_links.CROSSWALK_TABLE]) + len(q) == len(rows)
    rules = " ".join(q.failed_rules)
    assert "duplicate_code" in rules and "one_to_one" in rules and "unitid:pattern" in rules


# --- warehouse: program identity, links, constant dollars, golden figures ----------------------

@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, crosswalk_rows):
    tmp = tmp_path_factory.mktemp("public_programs")
    links = tmp / "links"
    links.mkdir()
    (links / "program_public_ids.csv").write_text(
        "program_id,unitid,opeid6,pseo_institution_id,cip_code,credential_level,pseo_degree_level,link_note\n",
        encoding="utf-8")
    public_crosswalk.write(crosswalk_rows, links / "public_institution_crosswalk.csv")
    sc_snap = snapshot_local_files(tmp / "raw", "college_scorecard",
                                   [SC / "FieldOfStudyData1415_1516_PP_extract.csv",
                                    SC / "FieldOfStudyData1516_1617_PP_extract.csv",
                                    SC / "MERGED2023_24_PP_slim_extract.csv",
                                    SC / "CollegeScorecardDataDictionary_extract.xlsx"], url="u")
    pseo_dir = tmp / "pseo"
    pseo_dir.mkdir()
    for src, name in ((XW / "pseoe_extract.csv", "pseoe_all.csv"), (XW / "label_institution_extract.csv", "label_institution.csv")):
        (pseo_dir / name).write_bytes(src.read_bytes())
    co_dir = tmp / "co"
    co_dir.mkdir()
    (co_dir / "ROI2019_Earnings_1_5_10_CIP4_Suppressed.xlsx").write_bytes((CO / "ROI2019_extract.xlsx").read_bytes())
    from flows.sources.snapshot_files import sha256_file
    for d in (pseo_dir, co_dir):
        files = [{"name": p.name, "bytes": p.stat().st_size, "sha256": sha256_file(p)} for p in sorted(d.iterdir())]
        (d / "manifest.json").write_text(json.dumps({"source": d.name, "kind": "bundled", "snapshot_id": d.name,
                                                      "fetched_at": "2026-11-21T00:00:00Z", "files": files}))
    cpi = tmp / "cpi_u_annual.csv"
    cpi.write_text("# BLS CUUR0000SA0 annual averages\nyear,cpi_u_annual_average,series_id\n"
                   f"2018,{CPI_2018},CUUR0000SA0\n2023,{CPI_2023},CUUR0000SA0\n", encoding="utf-8")
    con = duckdb.connect(str(tmp / "w.duckdb"))
    ensure_tables(con)
    frames = {
        "program_links": program_links.transform(links),
        "college_scorecard": cs.transform(sc_snap, source_config("college_scorecard")),
        "census_pseo": census_pseo.transform(pseo_dir),
        "colorado_roi": colorado_roi.transform(co_dir),
    }
    for name, fr in frames.items():
        load_source_frames(con, name, fr, "run-test")
    cfg = {"cpi_file": str(cpi), "constant_dollar_year": 2023}
    public_programs.build(con, cfg)
    public_programs.build(con, cfg)  # idempotent
    yield con, frames
    con.close()


def q(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def test_one_real_program_seen_by_three_sources_is_one_program(warehouse):
    con, _ = warehouse
    pid = "ipeds-126614-1107-bachelors"
    assert q(con, "SELECT public_sources, pathway, state_code FROM core_public__programs WHERE program_id = ?", pid) == [
        ("census_pseo; college_scorecard; colorado_roi", "bachelors", "CO")]
    assert q(con, "SELECT count(*), any_value(data_origin) FROM core_programs__programs WHERE program_id = ?", pid) == [
        (1, "public_records")]
    origins = q(con, """SELECT DISTINCT data_origin FROM core_public__program_outcomes
                        WHERE program_id = ? AND measure = 'earnings_median' ORDER BY 1""", pid)
    assert origins == [("census_pseo",), ("college_scorecard",), ("colorado_roi",)]
    # programs of core_programs__programs are unique and every outcome row has a program
    assert q(con, "SELECT count(*) FROM core_public__program_outcomes WHERE program_id IS NULL") == [(0,)]


def test_golden_figures(warehouse):
    con, _ = warehouse

    def fig(pid, origin, years, cohort):
        return q(con, """SELECT value, value_count, dollar_year, value_constant_dollars FROM core_public__program_outcomes
                         WHERE program_id = ? AND data_origin = ? AND measure = 'earnings_median'
                           AND years_after_graduation = ? AND grad_cohort = ?""", pid, origin, years, cohort)[0]

    value, n, year, constant = fig("ipeds-126614-1107-masters", "college_scorecard", 1, "AY2014-15, AY2015-16")
    assert (value, n, year) == (91100.0, 23, 2018)
    assert constant == pytest.approx(round(91100 * CPI_2023 / CPI_2018, 2))
    assert fig("ipeds-126614-1107-bachelors", "college_scorecard", 1, "AY2014-15, AY2015-16")[:2] == (70100.0, 113)
    assert fig("ipeds-126614-11-masters", "census_pseo", 1, "all")[:2] == (82368.0, 299)
    assert fig("ipeds-126614-1107-bachelors", "census_pseo", 1, "all")[:2] == (61537.0, 602)
    assert fig("ipeds-126614-1107-masters", "colorado_roi", 1, "2004-2017")[:2] == (81250.79, 186)


def test_pseo_two_digit_program_is_linked_not_merged(warehouse):
    con, _ = warehouse
    assert q(con, "SELECT cip_code, cip_title FROM core_public__programs WHERE program_id = 'ipeds-126614-11-masters'") == [
        ("11", "Computer and Information Sciences and Support Services")]
    assert q(con, "SELECT linked_program_id FROM core_public__program_cip_links WHERE program_id = 'ipeds-126614-11-masters'") == [
        ("ipeds-126614-1107-masters",)]


def test_cohorts_and_trajectory_flags(warehouse):
    con, _ = warehouse
    co = dict(q(con, """SELECT years_after_graduation, grad_cohort FROM core_public__program_outcomes
                        WHERE program_id = 'ipeds-126614-1107-masters' AND data_origin = 'colorado_roi'
                          AND measure = 'earnings_median'"""))
    assert co == {1: "2004-2017", 5: "2002-2012", 10: "2004-2008"}
    assert q(con, """SELECT DISTINCT cohorts_differ_across_horizons FROM core_public__program_outcomes
                     WHERE data_origin = 'colorado_roi'""") == [(True,)]
    assert q(con, """SELECT DISTINCT cohorts_differ_across_horizons FROM core_public__program_outcomes
                     WHERE data_origin = 'census_pseo' AND grad_cohort = '2001-2005'""") == [(False,)]


def test_withheld_values_are_null_with_reason_never_zero(warehouse):
    con, _ = warehouse
    assert q(con, """SELECT count(*) FROM core_public__program_outcomes
                     WHERE value_status <> 'released' AND (value IS NOT NULL OR suppression_reason IS NULL)""") == [(0,)]
    assert q(con, "SELECT count(*) FROM core_public__program_outcomes WHERE value = 0 AND value_unit LIKE 'usd%'") == [(0,)]
    codes = {r[0] for r in q(con, "SELECT DISTINCT suppression_code FROM core_public__program_outcomes WHERE value_status = 'suppressed'")}
    assert {"PrivacySuppressed", "Insufficient Data"} <= codes


def test_unmatched_institution_keeps_its_own_code(tmp_path, crosswalk_rows):
    links = tmp_path / "links"
    links.mkdir()
    (links / "program_public_ids.csv").write_text(
        "program_id,unitid,opeid6,pseo_institution_id,cip_code,credential_level,pseo_degree_level,link_note\n")
    public_crosswalk.write(crosswalk_rows, links / "public_institution_crosswalk.csv")
    cpi = tmp_path / "cpi.csv"
    cpi.write_text(f"year,cpi_u_annual_average,series_id\n2018,{CPI_2018},CUUR0000SA0\n2023,{CPI_2023},CUUR0000SA0\n")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_tables(con)
    load_source_frames(con, "program_links", program_links.transform(links), "r")
    cell = public_programs.cell_row(data_origin="colorado_roi", institution_id="6057", cip_code="11.07",
                                    credential_level_code="31", credential_level="masters", snapshot_id="s",
                                    colorado_entity_id="6057", institution_name="University of Colorado - Health Sciences Center",
                                    state_code="CO")
    from flows.sources.tabular import typed_frame
    load_source_frames(con, "colorado_roi", {"core_public__program_cells": typed_frame("core_public__program_cells", [cell])}, "r")
    public_programs.build(con, {"cpi_file": str(cpi), "constant_dollar_year": 2023})
    assert q(con, "SELECT program_id, unitid FROM core_public__programs") == [("co-6057-1107-masters", None)]
    con.close()


def test_no_public_program_has_synthetic_rows(warehouse):
    con, _ = warehouse
    assert q(con, """SELECT count(*) FROM core_programs__programs p JOIN core_public__programs USING (program_id)
                     WHERE p.data_origin <> 'public_records'""") == [(0,)]
    assert q(con, "SELECT count(*) FROM core_public__program_outcomes WHERE data_origin NOT IN "
                  "('college_scorecard', 'census_pseo', 'colorado_roi')") == [(0,)]


def test_cpi_file_rules(tmp_path):
    bad = tmp_path / "cpi.csv"
    bad.write_text("year,cpi_u_annual_average,series_id\n2018,abc,CUUR0000SA0\n", encoding="utf-8")
    with pytest.raises(Exception, match="data row 1"):
        public_programs.read_cpi(bad)
    with pytest.raises(Exception, match="missing"):
        public_programs.read_cpi(tmp_path / "none.csv")


def test_program_scope_and_ids():
    assert public_programs.in_program_scope("11.07") and public_programs.in_program_scope("30.70")
    assert public_programs.in_program_scope("11") and public_programs.in_program_scope("27")
    assert not public_programs.in_program_scope("30") and not public_programs.in_program_scope("27.01")
    assert public_programs.program_id("11.07", "masters", unitid="126614") == "ipeds-126614-1107-masters"
    assert public_programs.program_id("11", "masters", pseo_institution_id="00137000") == "pseo-00137000-11-masters"
    info = public_programs.parse_cohort_text("Treasury AY2014-15, AY2015-16 pooled earnings cohort measured in "
                                             "CY2016, CY2017, inflation adjusted to 2018 dollars")
    assert info == {"grad_cohort": "AY2014-15, AY2015-16", "cohort_first_year": 2015, "cohort_last_year": 2016,
                    "measurement_period": "CY2016, CY2017", "dollar_year": 2018}


def test_public_programs_are_linked_to_their_own_cells(warehouse):
    con, _ = warehouse
    rows = q(con, """SELECT unitid, pseo_institution_id, cip_code, credential_level, pseo_degree_level, source_file
                     FROM core_links__program_public_ids WHERE program_id = 'ipeds-126614-1107-bachelors'""")
    assert rows == [("126614", "00137000", "11.07", "bachelors", "05", None)]
    # built twice: one derived link per program, none for programs without a UNITID or PSEO code
    assert q(con, "SELECT count(*) - count(DISTINCT program_id) FROM core_links__program_public_ids") == [(0,)]
    assert q(con, "SELECT count(*) FROM core_links__program_public_ids WHERE program_id LIKE 'co-%'") == [(0,)]
