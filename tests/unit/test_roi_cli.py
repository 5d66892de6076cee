"""`outcomes roi` through typer's CliRunner (no Prefect): every bad input is one line, exit code 2."""

import json

import pytest
import typer
from typer.testing import CliRunner

from tests.stats_helpers import make_core, program, publish_peers, record

from flows.config import load_assumptions
from flows.stats.cli_roi import parse_loan_rate, roi, suggest

APP = typer.Typer()
APP.command()(roi)


def _invoke(args):
    return CliRunner().invoke(APP, args)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """A warehouse file with one US program (12 in field of 15) and one GB program."""
    path = tmp_path_factory.mktemp("roi") / "w.duckdb"
    recs = [record(i, "us", "employed_full_time_in_field", days=20, salary=90_000 + 1000 * i, prior=50_000)
            for i in range(12)]
    recs += [record(100 + i, "us", "seeking_employment", prior=50_000) for i in range(3)]
    recs += [record(200 + i, "gb", "employed_full_time_in_field", days=20, salary=80_000 + 1000 * i, prior=50_000)
             for i in range(12)]
    gb = program("gb", pathway="masters", months=12.0, tuition=30_000.0) | dict(state_code=None, country_code="GB")
    mem = publish_peers(make_core([program("us"), gb], recs), load_assumptions())
    mem.execute(f"ATTACH '{path}' AS w")
    for t in ("core_programs__programs", "out_peers__program_peer_groups"):  # the published tables only
        mem.execute(f"CREATE TABLE w.{t} AS SELECT * FROM {t}")
    mem.execute("DETACH w")
    mem.close()
    return path


@pytest.mark.parametrize("args, needle", [
    (["--prior-degree", "bachelor"], "did you mean 'bachelors'?"),
    (["--prior-degree", "phd"], "--prior-degree 'phd' is not a known value"),
    (["--prior-field", "cs"], "did you mean 'computer_science'?"),
    (["--prior-field", "maths"], "did you mean 'math_statistics'?"),
    (["--prior-salary", "-5"], "--prior-salary -5 is out of range: a salary is 0 to 1,000,000 USD a year"),
    (["--prior-salary", "1800000"], "out of range"),
    (["--prior-salary", "lots"], "--prior-salary 'lots' is not a number"),
    (["--prior-salary", "nan"], "out of range"),
    (["--years-experience", "-1"], "years of experience are 0 to 60"),
    (["--years-experience", "61"], "years of experience are 0 to 60"),
    (["--years-experience", "ten"], "is not a number"),
    (["--max-tuition", "-100"], "a tuition limit is 0 USD or more"),
    (["--loan-rate", "7"], "would be 700% a year: give the rate as a fraction (0.07 for 7%) or with a percent sign (7%)"),
    (["--loan-rate", "1"], "would be 100% a year"),
    (["--loan-rate", "-0.01"], "a rate must be 0 or more"),
    (["--loan-rate", "seven"], "is not a number"),
    (["--loan-rate", "150%"], "would be 150% a year"),
])
def test_bad_input_is_one_line_exit_2(args, needle, warehouse):
    res = _invoke(args + ["--warehouse", str(warehouse)])
    assert res.exit_code == 2, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and needle in lines[0], res.stderr
    assert "Traceback" not in res.output and res.stdout == ""


def test_bad_assumptions_file_is_one_line_exit_2(tmp_path, warehouse):
    res = _invoke(["--assumptions", str(tmp_path / "missing.toml"), "--warehouse", str(warehouse)])
    assert res.exit_code == 2 and res.stderr.strip().count("\n") == 0 and "no such file" in res.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text("[roi.countries.GB]\nloan_rate = 7\n")
    res = _invoke(["--assumptions", str(bad), "--warehouse", str(warehouse)])
    assert res.exit_code == 2 and "roi.countries.GB.loan_rate = 7 must be a number in [0, 1)" in res.stderr
    broken = tmp_path / "broken.toml"
    broken.write_text("[stats\n")
    res = _invoke(["--assumptions", str(broken), "--warehouse", str(warehouse)])
    assert res.exit_code == 2 and "not valid TOML" in res.stderr and res.stderr.strip().count("\n") == 0


def test_percent_loan_rate_is_accepted_and_used(warehouse):
    res = _invoke(["--prior-degree", "bachelors", "--prior-salary", "50,000", "--loan-rate", "7%", "--json",
                   "--warehouse", str(warehouse)])
    assert res.exit_code == 0, res.output
    rows = {r["program_id"]: r for r in json.loads(res.stdout)}
    assert rows["us"]["loan_rate"] == pytest.approx(0.07) and rows["gb"]["loan_rate"] == pytest.approx(0.07)
    same = _invoke(["--prior-degree", "bachelors", "--prior-salary", "50000", "--loan-rate", "0.07", "--json",
                    "--warehouse", str(warehouse)])
    assert json.loads(same.stdout) == json.loads(res.stdout)


def test_json_fields_and_country_loan_rate(warehouse):
    res = _invoke(["--prior-degree", "bachelors", "--prior-field", "business", "--prior-salary", "50000",
                   "--years-experience", "3", "--json", "--warehouse", str(warehouse)])
    assert res.exit_code == 0, res.output
    rows = {r["program_id"]: r for r in json.loads(res.stdout)}
    us, gb = rows["us"], rows["gb"]
    for key in ("p_payback_within_3y", "p_payback_within_3y_lower", "p_payback_within_3y_upper",
                "p_payback_within_10y", "peer_group_size", "peers_salary_reported_count", "confidence"):
        assert key in us
    assert us["peer_group_size"] == 15 and us["peers_salary_reported_count"] == 12
    assert us["p_payback_within_3y_lower"] <= us["p_payback_within_3y"] <= us["p_payback_within_3y_upper"]
    assert us["loan_rate"] == pytest.approx(0.0808) and us["loan_rate_note"] is None
    # GB: no configured loan rate, so no interest: total = tuition + a year of forgone earnings.
    assert gb["loan_rate"] is None and gb["loan_rate_note"] == "no loan rate for this country (GB)"
    assert gb["total_cost_usd"] == pytest.approx(30_000 + 50_000)


def test_table_has_named_columns_and_legend(warehouse):
    res = _invoke(["--prior-degree", "bachelors", "--warehouse", str(warehouse)])
    assert res.exit_code == 0, res.output
    assert "P<=3y" not in res.stdout and "within 3y" in res.stdout and "95% interval" in res.stdout
    assert "peers        the program's graduates" in res.stdout and "Wilson interval" in res.stdout
    assert "no loan rate for this country (GB), so no loan interest counted" in res.stdout


def test_help_explains_every_column():
    res = _invoke(["--help"])
    assert res.exit_code == 0
    text = " ".join(res.stdout.split())
    for key in ("p_payback_within_N y:", "peer_group_size:", "loan_rate_note:", "similarity_level:"):
        assert key.replace("N y", "Ny") in text


def test_missing_warehouse_exits_1(tmp_path):
    res = _invoke(["--warehouse", str(tmp_path / "none.duckdb")])
    assert res.exit_code == 1 and "run `outcomes refresh` first" in res.stderr


def test_suggestions_and_loan_rate_parser():
    assert suggest("bachelor", ["bachelors", "masters"]) == "bachelors"
    assert suggest("cs", ["computer_science", "engineering"]) == "computer_science"
    assert suggest("xyz", ["computer_science", "engineering"]) is None
    assert parse_loan_rate("7%") == pytest.approx(0.07) and parse_loan_rate("0.0808") == pytest.approx(0.0808)
    assert parse_loan_rate(None) is None and parse_loan_rate("0") == 0.0
