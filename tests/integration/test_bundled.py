"""Data tests on the warehouse built from the bundled data, exactly as `make run` builds it (offline)."""

from __future__ import annotations

import duckdb
import pytest

import schemas
from flows.config import load_assumptions
from flows.refresh import refresh
from devtools.synthetic import MISTAKES

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.slow]

MISTAKES_FILE = "data/raw/curated/synthetic_mistakes_outcome_records.csv"
#: The quarantine rule this pipeline reports for each documented mistake (row -> rule).
EXPECTED_RULES = {
    3: "graduation_date:type_date", 5: "graduation_date:type_date", 7: "base_salary:min",
    9: "outcome_status:enum", 11: "record_id:duplicate_record", 15: "program_id:unknown_program",
    17: "salary_currency:enum", 19: "job_start_date:job_start_not_after_collection",
    21: "cohort:cohort_matches_graduation_date", 23: "role_category:enum",
    25: "in_field:in_field_matches_status", 27: "outcome_status:required",
    29: "base_salary:salary_only_when_employed",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("bundled") / "outcomes.duckdb"
    summary = refresh(warehouse_path=str(path), offline=True)
    con = duckdb.connect(str(path), read_only=True)
    summary["_path"] = path
    yield summary, con
    con.close()


def test_rerun_on_the_same_inputs_changes_no_table(built):
    """Everything but the run-history tables is identical after a second refresh (sources included)."""
    summary, con = built
    second = refresh(warehouse_path=str(summary["_path"]), offline=True)
    assert second["files_read"] == 0 and second["warehouse_snapshot_id"] == summary["warehouse_snapshot_id"]
    with duckdb.connect(str(summary["_path"]), read_only=True) as new:
        for name, table in schemas.TABLES.items():
            if "run_specific" in table.warnings:
                continue
            sql = f"SELECT * FROM {name} ORDER BY ALL"
            assert con.execute(sql).fetchall() == new.execute(sql).fetchall(), name


def q(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def test_curated_conservation_and_every_documented_mistake(built):
    summary, con = built
    assert summary["rows_read"] == summary["rows_loaded"] + summary["rows_quarantined"] == 5268
    assert summary["files_rejected"] == 0
    rules = dict(q(con, "SELECT source_row_number, failed_rules FROM core_ingest__quarantine WHERE source_file = ?",
                   MISTAKES_FILE))
    assert {m["row"] for m in MISTAKES} - {13} == set(EXPECTED_RULES)
    for row, rule in EXPECTED_RULES.items():
        assert rules[row] == rule, (row, rules.get(row))
    # Row 13 repeats a person of the main file: the better-evidenced record is kept, the other quarantined.
    dup = q(con, "SELECT count(*) FROM core_ingest__quarantine WHERE failed_rules = 'person_key:duplicate_person'")[0][0]
    assert dup >= 1
    assert len(rules) == 14 or dup > 0


def test_every_log_row_conserves_rows(built):
    _, con = built
    assert q(con, """SELECT source_file FROM core_ingest__log
                     WHERE rows_read IS NOT NULL AND rows_read <> rows_loaded + rows_quarantined""") == []
    logged = dict(q(con, "SELECT file_kind, rows_read FROM core_ingest__log WHERE file_format = 'snapshot'"))
    assert logged["census_pseo"] == 13413 and logged["freecodecamp_2016"] == 15653


def test_public_sources_loaded_from_bundled_snapshots(built):
    summary, con = built
    assert summary["sources"] == {"bls_oews": "bundled", "bls_oews_release": "bundled", "census_pseo": "bundled",
                                  "college_scorecard": "bundled", "colorado_roi": "bundled", "fivethirtyeight": "bundled",
                                  "freecodecamp_2016": "bundled", "kaggle_2017": "bundled", "nsf_ncses": "bundled",
                                  "outcome_reports": "bundled", "program_links": "fresh"}
    assert q(con, "SELECT count(*) FROM core_public__program_earnings WHERE data_origin = 'census_pseo'") == [(7242,)]
    assert q(con, "SELECT count(*) FROM core_outcomes__graduate_outcomes WHERE data_origin = 'freecodecamp_2016'") == [(610,)]
    # BLS OEWS May 2025, data scientists, national annual median (oews_may2025_national_all_occupations.csv).
    assert q(con, "SELECT wage_usd FROM core_bls_oews__wages WHERE series_id = 'OEUN000000000000015205113'") == [(120230.0,)]
    assert q(con, """SELECT oews_value FROM core_bls_oews_release__estimates WHERE soc_code = '15-2051'
                     AND oews_area_type = 'national' AND oews_measure = 'annual_median'""") == [(120230.0,)]
    # Suppressed public values are NULL with a flag, never zero.
    assert q(con, """SELECT count(*) FROM core_public__program_earnings
                     WHERE value_status <> 'released' AND earnings_median_usd IS NOT NULL""") == [(0,)]
    assert q(con, "SELECT count(*) FROM core_public__program_earnings WHERE earnings_median_usd = 0") == [(0,)]


def test_linked_program_shows_public_earnings_beside_its_statistics(built):
    _, con = built
    rows = q(con, """SELECT is_suppressed, graduates, median_base_salary_usd, earnings_median_usd, ratio_to_public_median
                     FROM out_benchmarks__program_public_earnings
                     WHERE program_id = 'mscs-ml-front-range' AND data_origin = 'census_pseo'
                       AND years_after_graduation = 1 AND value_status = 'released'""")
    assert rows, "the linked program has released PSEO earnings beside its own figures"
    suppressed, graduates, median, public, ratio = rows[0]
    assert public > 0  # the public figure is shown whatever the program's own disclosure protection withholds
    if not suppressed:
        assert (graduates is None or graduates >= 10) and ratio == pytest.approx(median / public, rel=1e-6)
    else:
        assert median is None and ratio is None


def test_no_published_cell_below_k(built):
    _, con = built
    k = load_assumptions()["suppression"]["min_cell_size"]
    for table, n, figure in (("out_outcomes__program_placement", "graduates", "employed_in_field_180d_rate"),
                             ("out_outcomes__program_year_placement", "graduates", "employed_in_field_180d_rate"),
                             ("out_outcomes__program_year_salary", "salary_reported_count", "median_base_salary_usd"),
                             ("out_outcomes__program_salary", "salary_reported_count", "median_base_salary_usd")):
        assert q(con, f"SELECT count(*) FROM {table} WHERE NOT is_suppressed AND {n} < ?", k) == [(0,)], table
        assert q(con, f"""SELECT count(*) FROM {table}
                          WHERE is_suppressed AND ({n} IS NOT NULL OR {figure} IS NOT NULL)""") == [(0,)], table
        assert q(con, f"SELECT count(*) FROM {table} WHERE is_suppressed AND suppression_reason IS NULL") == [(0,)]


def test_every_table_is_populated(built):
    _, con = built
    empty = {t for t in schemas.TABLES if q(con, f"SELECT count(*) FROM {t}") == [(0,)]}
    # The bundled per-program cost override file holds only its header (no program overridden).
    assert empty == {"core_public__program_cost_overrides"}


def test_public_programs_from_bundled_sources(built):
    _, con = built
    assert q(con, "SELECT count(*) FROM core_programs__programs WHERE data_origin = 'public_records'") == [(13331,)]
    assert q(con, "SELECT count(*) FROM core_public__program_outcomes WHERE program_id IS NULL") == [(0,)]
    # golden: University of Colorado Boulder, CIP 11.07 master's, Scorecard 1-year median (2018 dollars)
    assert q(con, """SELECT value, value_count FROM core_public__program_outcomes
                     WHERE program_id = 'ipeds-126614-1107-masters' AND data_origin = 'college_scorecard'
                       AND measure = 'earnings_median' AND years_after_graduation = 1""") == [(91100.0, 23)]


def test_no_personal_data_reaches_any_table(built):
    _, con = built
    for table, col in q(con, "SELECT table_name, column_name FROM duckdb_columns() WHERE data_type = 'VARCHAR' AND NOT internal"):
        hits = q(con, f"""SELECT count(*) FROM {table} WHERE {col} ILIKE '%@example.org%'
                          OR {col} ILIKE '%Synthetic Person%' OR {col} ILIKE '%example.org/profiles/%'
                          OR {col} ILIKE '%linkedin.com/in/%'""")
        assert hits == [(0,)], f"PII in {table}.{col}"


def test_reports_are_published_as_prefect_artifacts(built):
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    summary, _ = built

    async def read():
        async with get_client() as client:
            return await client.read_artifacts(artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=["outcome-reports-index", "outcome-reports"])))

    artifacts = asyncio.run(read())  # every version (other tests' flow runs publish under the same keys)
    assert {a.key for a in artifacts} == {"outcome-reports-index", "outcome-reports"}
    assert summary["report_pages"] == 13470
    # The summary names the page count and lists pages (the first 1,000 in id order, then a count).
    listed = [str(a.data) for a in artifacts if a.key == "outcome-reports"]
    assert any("Outcome reports (13470 programs)" in d and "apprenticeship-da-riverbend" in d and "12470 more" in d
               for d in listed)


def test_disclosure_audit_of_the_bundled_warehouse_finds_nothing(built, tmp_path):
    """The refresh's own audit row and an independent `outcomes audit-disclosure` run over the published tables:
    every withheld count of every public cell has a feasible range at least the protection width wide."""
    import json
    import shutil

    from typer.testing import CliRunner

    from flows.cli import app

    summary, con = built
    (row,) = con.execute("SELECT audit_scope, withheld_counts_checked, exposed_values, min_protection_width, "
                         "protection_width, audit_passed FROM out_disclosure__audit_runs").fetchall()
    scope, checked, exposed, min_width, width, passed = row
    assert scope == "all" and checked > 1000 and exposed == 0 and passed
    assert min_width >= width == load_assumptions()["suppression"]["protection_width"]
    # A copy: this module keeps the warehouse open read-only, and DuckDB allows one configuration per file.
    copy = tmp_path / "audited.duckdb"
    shutil.copyfile(summary["_path"], copy)
    result = CliRunner().invoke(app, ["audit-disclosure", "--warehouse", str(copy), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["exposed_values"] == 0 and out["withheld_counts_checked"] == checked
