"""Disclosure: each quantity published once, the attacks that undid the old suppression, and the audit.

Plain functions on hand-built cells (no DuckDB, no Prefect): ``flows.stats.audit``.
"""

from itertools import combinations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import schemas  # noqa: F401
from flows.config import check_assumptions, load_assumptions
from flows.stats import audit as au
from schemas.model import TABLES
from schemas.tables.stats import RATES, cirr_col, nace_col
from schemas.vocab import OUTCOME_STATUSES

K, WIDTH = 10, 5
PLACEMENT_COUNTS = [c for c in TABLES["out_outcomes__program_placement"].fields if c in au.FORMS]


def published(statuses: dict, sub: dict | None = None) -> dict:
    """Every placement count and rate of a cell with these status counts (nothing withheld)."""
    x = np.zeros(len(au.ATOMS))
    for s, n in statuses.items():
        x[au.ATOMS.index(s)] = n
    in_field = sum(n for s, n in statuses.items() if OUTCOME_STATUSES[s][3] is True)
    sub = sub or {"in_field_90d": in_field, "in_field_180d": in_field, "days_known": in_field,
                  "salary_reported": in_field, "uplift_known": 0}
    for s, n in sub.items():
        x[au.ATOMS.index(s)] = n
    values = {c: int(au.FORMS[c] @ x) for c in PLACEMENT_COUNTS + ["salary_reported_count"]}
    for name, (num, den, _) in RATES.items():
        values[f"{name}_rate"] = values[num] / values[den] if values[den] else None
    return values


def primary(values: dict, k: int = K) -> dict:
    """The threshold rule: a cell under k publishes nothing; counts 1..k-1 are withheld."""
    if values["graduates"] < k:
        return {c: None for c in values}
    return {c: (None if c in au.FORMS and v is not None and 0 < v < k else v) for c, v in values.items()}


def test_each_quantity_is_published_once():
    for name, t in TABLES.items():
        if t.access != "public":
            continue
        counts = [c for c in t.fields if c in au.FORMS]
        for a, b in combinations(counts, 2):
            assert not np.array_equal(au.FORMS[a], au.FORMS[b]), (name, a, b)
    placement = TABLES["out_outcomes__program_placement"].fields
    for gone in ("graduates_excluded", "continuing_education_count", nace_col("no_information"),
                 nace_col("seeking_employment"), nace_col("self_employed"), "stats_grouping", "cell_key"):
        assert gone not in placement
    assert "graduates" not in TABLES["out_outcomes__program_salary"].fields  # one place: placement
    assert TABLES["core_outcomes__graduate_outcomes"].access == "restricted"


def _cells(**named):
    return {cid: au.Cell(cid, dict(v)) for cid, v in named.items()}


def test_duplicated_columns_recovery_is_caught_then_protected():
    # The old tables published the excluded count twice: withheld under one name, published under the other.
    v = primary(published({"employed_full_time_in_field": 14, "excluded": 3, "seeking_employment": 10}))
    v["graduates_excluded"] = 3
    cells = {("program", "p"): au.Cell(("program", "p"), v)}
    res = au.audit(cells, [], WIDTH)
    assert not res.passed and any(e[2] == cirr_col("excluded") and e[3] == 0 for e in res.exposed)


def test_knowledge_rate_beside_a_withheld_count_is_caught_and_withheld():
    v = published({"employed_full_time_in_field": 6, "unknown": 12, "seeking_employment": 2})
    v["graduates_known_outcome"] = None  # withheld (8 < k), but the rate stayed: 0.4 x 20 = 8
    cells = {("program", "p"): au.Cell(("program", "p"), v)}
    assert not au.audit(cells, [], WIDTH).passed
    au.protect(cells, [], WIDTH)
    assert cells[("program", "p")].values["knowledge_rate"] is None
    assert au.audit(cells, [], WIDTH).passed


def test_cirr_minus_nace_subtraction_is_caught_then_protected():
    # CIRR 2B (3) withheld; NACE military (0), employed full time and part time published, 2A published:
    # 2B = NACE employed full-time + part-time + military - (1A + 1B + 1C + 1E + 2A).
    v = primary(published({"employed_full_time_in_field": 15, "employed_full_time_out_of_field": 3,
                           "seeking_employment": 12, "unknown": 10}))
    assert v[cirr_col("2B")] is None
    cells = {("program", "p"): au.Cell(("program", "p"), v)}
    res = au.audit(cells, [], WIDTH)
    assert not res.passed
    au.protect(cells, [], WIDTH)
    res = au.audit(cells, [], WIDTH)
    assert res.passed and res.min_width >= WIDTH


def test_pathway_cell_minus_its_published_programs_is_caught_then_protected():
    # A pathway x modality x pacing cell of four programs, one suppressed (7 graduates, 3 in field).
    programs = {"a": (10, 6), "b": (12, 8), "c": (11, 5), "small": (7, 3)}
    cells = {}
    total = {"employed_full_time_in_field": 0, "seeking_employment": 0}
    for pid, (n, inf) in programs.items():
        s = {"employed_full_time_in_field": inf, "seeking_employment": n - inf}
        for key in total:
            total[key] += s[key]
        vals = published(s)
        cells[("program", pid)] = au.Cell(("program", pid), primary(vals) if pid == "small" else
                                          {c: v for c, v in vals.items() if c in ("graduates", "employed_in_field_count")})
    cells[("pmp", "bootcamp")] = au.Cell(("pmp", "bootcamp"), {c: v for c, v in published(total).items()
                                                                if c in ("graduates", "employed_in_field_count")})
    rel = [au.Relation("programs within a pathway cell", (("pmp", "bootcamp"),), tuple(c for c in cells if c[0] == "program"))]
    res = au.audit(cells, rel, WIDTH)
    assert not res.passed
    exposed = {(e[1], e[2]) for e in res.exposed}
    assert (("program", "small"), "graduates") in exposed and (("program", "small"), "employed_in_field_count") in exposed
    au.protect(cells, rel, WIDTH)
    assert au.audit(cells, rel, WIDTH).passed
    # the protection withheld the graduates of a published sibling program, not only the suppressed one's
    assert any(cells[("program", p)].values["graduates"] is None for p in ("a", "b", "c"))


def test_width_is_exact_when_solved_alone():
    v = primary(published({"employed_full_time_in_field": 12, "seeking_employment": 2, "unknown": 2}))
    model = au.GroupModel([au.Cell(("p",), v)], [])
    lo, hi = model.feasible_range(("p",), cirr_col("3A"))
    # 3A and 4 are withheld; graduates, 1A and known (14) are published: 3A = 14 - 12 exactly
    assert lo == hi == 2


STATUS_POOL = ("employed_full_time_in_field", "employed_full_time_out_of_field", "seeking_employment",
               "continuing_education", "not_seeking", "unknown", "excluded", "military_service")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.tuples(st.sampled_from(STATUS_POOL), st.integers(0, 9)), min_size=1, max_size=5),
                min_size=2, max_size=4))
def test_property_random_small_programs_pass_the_audit_after_suppression(programs):
    """Random small programs of one pathway cell: the threshold rule, then protect: the audit passes."""
    cells = {}
    total: dict = {}
    for i, recs in enumerate(programs):
        s: dict = {}
        for status, n in recs:
            s[status] = s.get(status, 0) + n
            total[status] = total.get(status, 0) + n
        if sum(s.values()) == 0:
            s["unknown"] = 1
            total["unknown"] = total.get("unknown", 0) + 1
        cells[("program", i)] = au.Cell(("program", i), primary(published(s)))
    cells[("pmp",)] = au.Cell(("pmp",), primary(published(total)))
    rel = [au.Relation("programs within a pathway cell", (("pmp",),), tuple(c for c in cells if c[0] == "program"))]
    au.protect(cells, rel, WIDTH)
    res = au.audit(cells, rel, WIDTH)
    assert res.passed, res.exposed[:3]


def test_protection_width_setting():
    a = load_assumptions()
    assert au.protection_width(a) == au.DEFAULT_PROTECTION_WIDTH == a["suppression"]["protection_width"]
    with pytest.raises(ValueError):
        check_assumptions({**a, "suppression": {**a["suppression"], "protection_width": 0}})
