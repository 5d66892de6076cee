"""The typed assumptions (flows/config.py): loaded once, every default in one place, clear errors, documented."""

from __future__ import annotations

import re
import tomllib
from copy import deepcopy
from pathlib import Path

import pytest

from flows import config as C

ROOT = Path(__file__).resolve().parents[2]


def _bundled() -> dict:
    with open(C.DEFAULT_ASSUMPTIONS, "rb") as fh:
        return tomllib.load(fh)


def _leaves(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict) and v:
            out.update(_leaves(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def test_bundled_file_loads_unchanged_with_optional_keys_filled():
    raw, got = _bundled(), C.load_assumptions()
    leaves = _leaves(got)
    for key, value in _leaves(raw).items():  # every value of the file, as written (10 stays 10, not 10.0)
        assert leaves[key] == value and type(leaves[key]) is type(value), key
    # the keys the file leaves out come from the model, the one place their defaults are written
    assert got["roi"]["countries"]["US"]["loan_rate"] is None and got["peers"]["min_peers"] is None
    assert set(leaves) - set(_leaves(raw)) == {"roi.countries.US.loan_rate", "peers.min_peers"}


def test_typed_form_and_loaded_once():
    cfg = C.load_config()
    assert cfg is C.load_config()  # read and checked once per process
    assert cfg.suppression.min_cell_size == 10 and cfg.stats.confidence == 0.95
    assert cfg.roi.pathway_funding["phd"].tuition_waived is True
    with pytest.raises(Exception):
        cfg.suppression.min_cell_size = 3  # frozen
    a, b = C.load_assumptions(), C.load_assumptions()
    a["suppression"]["min_cell_size"] = 3  # callers get fresh copies: one caller cannot change another's
    assert b["suppression"]["min_cell_size"] == 10 == C.load_assumptions()["suppression"]["min_cell_size"]


def test_override_is_overlaid_and_reread_when_changed(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text("[suppression]\nmin_cell_size = 5\n[roi.countries.GB]\nloan_rate = 0.07\n")
    a = C.load_assumptions(f)
    assert a["suppression"]["min_cell_size"] == 5 and a["suppression"]["protection_width"] == 5
    assert a["roi"]["countries"]["GB"] == {"loan_rate": 0.07, "bls_benchmark": False}
    assert a["roi"]["countries"]["US"]["bls_benchmark"] is True
    f.write_text("[suppression]\nmin_cell_size = 12\n")
    assert C.load_assumptions(f)["suppression"]["min_cell_size"] == 12


@pytest.mark.parametrize("toml, message", [
    ("[roi.countries.GB]\nloan_rate = 7\n", "roi.countries.GB.loan_rate = 7 must be a number in [0, 1)"),
    ("[suppression]\nmin_cel_size = 7\n", "suppression.min_cel_size is not a known key"),
    ("[suppression]\nmin_cell_size = 2.5\n", "suppression.min_cell_size = 2.5 must be an integer in [1, inf)"),
    ("[suppression]\nmin_cell_size = true\n", "suppression.min_cell_size = True must be an integer in [1, inf)"),
    ("[stats]\nconfidence = 1.5\n", "stats.confidence = 1.5 must be a number in (0, 1)"),
    ("[stats]\nwindows_days = [90]\n", "stats.windows_days = [90] is not supported"),
    ("[roi.pathway_funding.phd]\ntuition_waived = 'yes'\n", "roi.pathway_funding.phd.tuition_waived = 'yes' must be true or false"),
    ("[roi.countries.gb]\nloan_rate = 0.05\n", "roi.countries.gb must be an ISO 3166-1 alpha-2 code"),
    ("[peers]\nlevels = 'program'\n", "peers.levels = 'program' must be a list"),
    ("[roi]\nforgone_share = 1\n", "roi.forgone_share = 1 must be a table"),
    ("[reports]\nsensitivity_loan_rates = [0.0, 1.5]\n", "reports.sensitivity_loan_rates.1 = 1.5 must be a number in [0, 1]"),
    ("[public_roi]\nstudy_years = { masters = 0 }\n", "public_roi.study_years.masters = 0 must be a number in (0, 10]"),
])
def test_bad_values_name_file_key_value_and_rule(tmp_path, toml, message):
    f = tmp_path / "bad.toml"
    f.write_text(toml)
    with pytest.raises(C.AssumptionError) as err:
        C.load_assumptions(f)
    text = str(err.value)
    assert message in text and str(f) in text and "\n" not in text


def test_missing_key_is_named():
    a = deepcopy(C.load_assumptions())
    del a["reports"]["synthetic_notice"]
    with pytest.raises(C.AssumptionError, match=r"reports\.synthetic_notice is missing"):
        C.check_assumptions(a)


def test_infinite_salary_bound_means_no_bound_but_infinite_term_is_refused():
    a = deepcopy(C.load_assumptions())
    a["salary_plausibility"]["max_base_salary_usd"] = float("inf")
    assert C.check_assumptions(a)["salary_plausibility"]["max_base_salary_usd"] == float("inf")
    a["roi"]["loan_term_years"] = float("inf")
    with pytest.raises(C.AssumptionError, match=r"roi.loan_term_years = inf must be a number in \(0, inf\)"):
        C.check_assumptions(a)


def test_check_section_checks_one_table():
    a = C.load_assumptions()
    assert C.check_section("public_roi", a["public_roi"]) == a["public_roi"]
    with pytest.raises(C.AssumptionError, match=r"public_roi\.selection_caveat = ' ' must be non-empty text"):
        C.check_section("public_roi", {**a["public_roi"], "selection_caveat": " "})


def test_key_reference_is_generated_and_current():
    rows = {key: (rule, default) for key, rule, default, _ in C.reference_rows()}
    assert rows["suppression.min_cell_size"] == ("an integer in [1, inf)", "required")
    assert rows["peers.min_peers"][1] == "unset" and rows["roi.pathway_funding.<key>.stipend_usd_per_year"][1] == "0.0"
    documented = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert documented == C.reference_markdown(), "docs/configuration.md is stale: run `outcomes docs`"
    for key in _leaves(_bundled()):  # every key of the bundled file is documented (itself or its table of names)
        generic = re.sub(r"^(roi\.(countries|pathway_funding))\.[^.]+\.", r"\1.<key>.", key)
        parts = generic.split(".")
        assert any(f"`{'.'.join(parts[:i])}`" in documented for i in range(len(parts), 1, -1)), key


#: Where the assumptions are read (the connectors read their own source configuration files).
READERS = ["flows/config.py", "flows/stats", "flows/reports", "flows/curated.py", "flows/validation.py", "flows/refresh.py",
           "flows/cli.py", "schemas"]
FALLBACK = re.compile(r'\b(assumptions|roi|peers_cfg|peers|stats|cfg|settings|by_origin|shares|suppression)\b'
                      r'(\[[^\]]+\])*\.get\(\s*"')


def test_no_assumption_is_read_with_a_fallback_value():
    hits, files = [], 0
    for entry in READERS:
        path = ROOT / entry
        for f in ([path] if path.is_file() else sorted(path.rglob("*.py"))):
            files += 1
            for n, line in enumerate(f.read_text().splitlines(), 1):
                if FALLBACK.search(line):
                    hits.append(f"{f.relative_to(ROOT)}:{n}: {line.strip()}")
    assert files > 20
    assert hits == [], "defaults belong in flows/assumptions.toml or flows/config.py:\n" + "\n".join(hits)


def test_the_fallback_pattern_catches_the_old_forms():
    for line in ('k = int(assumptions.get("suppression", {}).get("min_cell_size", 10))',
                 'thresholds = roi.get("payback_thresholds_years", [3, 5, 10])',
                 'x = assumptions["stats"].get("confidence", 0.95)'):
        assert FALLBACK.search(line), line
    assert not FALLBACK.search('cfg = roi["countries"].get(country)')
