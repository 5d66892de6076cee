"""Disclosure audit: the same answers with fewer and cheaper solves.

Plain functions on hand-built cells (no DuckDB, no Prefect): ``flows.stats.audit``'s group cache (a group
equal to one solved before is not solved again), the feasible points a group keeps between protection
rounds, and the HiGHS model re-solved per objective.
"""

import numpy as np
import pytest

import schemas  # noqa: F401
from flows.stats import audit as au
from schemas.tables.stats import cirr_col
from schemas.vocab import OUTCOME_STATUSES

K, WIDTH = 10, 5


def published(statuses: dict) -> dict:
    """Every count of a cell with these status counts (in field = every sub-count of in field)."""
    x = np.zeros(len(au.ATOMS))
    for s, n in statuses.items():
        x[au.ATOMS.index(s)] = n
    in_field = sum(n for s, n in statuses.items() if OUTCOME_STATUSES[s][3] is True)
    for s in ("in_field_90d", "in_field_180d", "days_known", "salary_reported"):
        x[au.ATOMS.index(s)] = in_field
    cols = ["graduates", "graduates_known_outcome", "cirr_denominator", "employed_in_field_count",
            cirr_col("1A"), cirr_col("3A"), cirr_col("4")]
    return {c: int(au.FORMS[c] @ x) for c in cols}


def pathway(prefix: str, small_in_field: int = 3) -> tuple[dict, list]:
    """A pathway cell of four programs, one of them small (withheld by the threshold rule)."""
    programs = {"a": (10, 6), "b": (12, 8), "c": (11, 5), "small": (7, small_in_field)}
    cells, total = {}, {"employed_full_time_in_field": 0, "seeking_employment": 0}
    for pid, (n, inf) in programs.items():
        s = {"employed_full_time_in_field": inf, "seeking_employment": n - inf}
        for key in total:
            total[key] += s[key]
        v = published(s)
        if pid == "small":
            v = {c: None for c in v}
        cells[("program", prefix + pid)] = au.Cell(("program", prefix + pid), v)
    top = ("pathway_modality_pacing", prefix)
    cells[top] = au.Cell(top, published(total))
    rel = au.Relation("programs within a pathway cell", (top,), tuple(c for c in cells if c[0] == "program"))
    return cells, [rel]


@pytest.fixture
def solves(monkeypatch):
    """Counts the solver calls of every GroupModel."""
    n = {"solves": 0}
    real = au.GroupModel.solve

    def counted(self, c, relaxed=False):
        n["solves"] += 1
        return real(self, c, relaxed)

    monkeypatch.setattr(au.GroupModel, "solve", counted)
    return n


def test_an_equal_group_is_answered_from_the_cache_without_solving(solves):
    cells, rels = pathway("x")
    cache: dict = {}
    first = au.group_exposures(list(cells.values()), rels, WIDTH, small=K, cache=cache)
    assert first and solves["solves"] > 0  # the small program is pinned by its pathway cell
    # another pathway with the same published values (other ids): the same program, answered by the cache
    other, other_rels = pathway("y")
    before = solves["solves"]
    again = au.group_exposures(list(other.values()), other_rels, WIDTH, small=K, cache=cache)
    assert solves["solves"] == before
    assert [(cid[1][1:], col, w) for cid, col, w in again] == [(cid[1][1:], col, w) for cid, col, w in first]
    # the same answer as without a cache
    assert au.group_exposures(list(other.values()), other_rels, WIDTH, small=K) == again


def test_a_group_differing_in_one_published_value_is_solved(solves):
    cache: dict = {}
    cells, rels = pathway("x", small_in_field=3)
    au.group_exposures(list(cells.values()), rels, WIDTH, small=K, cache=cache)
    other, other_rels = pathway("y", small_in_field=2)  # one count differs (the cell total with it)
    before = solves["solves"]
    au.group_exposures(list(other.values()), other_rels, WIDTH, small=K, cache=cache)
    assert solves["solves"] > before
    assert au.group_key(list(cells.values()), rels, WIDTH, K) != au.group_key(list(other.values()), other_rels, WIDTH, K)
    # the protection width and the minimum cell size are part of the key
    assert au.group_key(list(cells.values()), rels, WIDTH, K) != au.group_key(list(cells.values()), rels, WIDTH + 1, K)
    assert au.group_key(list(cells.values()), rels, WIDTH, K) != au.group_key(list(cells.values()), rels, WIDTH, K + 1)


def test_protect_fills_the_cache_and_the_audit_of_the_same_values_solves_nothing(solves):
    cells, rels = pathway("x")
    cache: dict = {}
    au.protect(cells, rels, WIDTH, small=K, cache=cache)
    assert cache
    before = solves["solves"]
    res = au.audit(cells, rels, WIDTH, small=K, cache=cache)
    assert res.passed and solves["solves"] == before
    # the uncached audit agrees
    fresh = au.audit(cells, rels, WIDTH, small=K)
    assert fresh.passed and fresh.withheld_values == res.withheld_values and fresh.min_width == res.min_width


def test_values_published_again_after_protection_are_caught_with_the_cache():
    cells, rels = pathway("x")
    original = {cid: dict(c.values) for cid, c in cells.items()}
    cache: dict = {}
    added = au.protect(cells, rels, WIDTH, small=K, cache=cache)
    # the counts protect withheld are published after all (a lost write-back): the state it started from
    assert added
    for cid, col in added:
        cells[cid].values[col] = original[cid][col]
    res = au.audit(cells, rels, WIDTH, small=K, cache=cache)
    assert not res.passed  # the cache holds this state's ranges as solved (exposed), not the protected state's
    fresh = au.audit(cells, rels, WIDTH, small=K)
    assert sorted(res.exposed, key=str) == sorted(fresh.exposed, key=str)


def test_seeds_from_a_more_published_state_certify_and_give_the_same_exposures(solves):
    cells, rels = pathway("x")
    seeds: list = []
    g = list(cells.values())
    first = au.group_exposures(g, rels, WIDTH, small=K, seeds=seeds)
    assert seeds and all(np.array_equal(s, np.round(s)) for s in seeds)  # integer points
    model = au.GroupModel(g, rels)
    for s in seeds:  # every kept point satisfies the program (the published values, relations, sub-counts)
        ax = model.A @ s
        assert np.all(ax >= model.row_lower - 1e-6) and np.all(ax <= model.row_upper + 1e-6)
    # withhold a further count (constraints only go): the kept points still certify, with fewer solves
    au.withhold(cells[("program", "xa")], "graduates")
    n0 = solves["solves"]
    plain = au.group_exposures(g, rels, WIDTH, small=K)
    n_plain = solves["solves"] - n0
    n0 = solves["solves"]
    seeded = au.group_exposures(g, rels, WIDTH, small=K, seeds=seeds)
    assert solves["solves"] - n0 <= n_plain
    assert {(c, col) for c, col, _ in seeded} == {(c, col) for c, col, _ in plain}
    assert first  # the first state was exposed (the small program against its pathway cell)


def test_seeds_are_bounded():
    cells, rels = pathway("x")
    seeds = [np.zeros(len(cells) * len(au.ATOMS))] * au.MAX_SEEDS  # the zero point is no witness of this group
    model = au.GroupModel(list(cells.values()), rels)
    targets = [(c.cell_id, col) for c in cells.values() for col in c.withheld()]
    model.widths(targets, WIDTH, seeds)
    assert len(seeds) == au.MAX_SEEDS


def test_one_model_solved_for_many_objectives_matches_fresh_models():
    cells, rels = pathway("x")
    g = list(cells.values())
    model = au.GroupModel(g, rels)
    targets = [(c.cell_id, col) for c in g for col in c.withheld()]
    for t in targets:  # min and max of each count on the shared model == on a model built for it alone
        c = model.objective([t])
        assert model.value(model.solve(c)[0], t) == au.GroupModel(g, rels).value(au.GroupModel(g, rels).solve(c)[0], t)
        assert model.value(model.solve(-c)[0], t) == au.GroupModel(g, rels).value(au.GroupModel(g, rels).solve(-c)[0], t)
    # the small program's graduates: 40 - (10 + 12 + 11) = 7 exactly
    assert model.feasible_range(("program", "xsmall"), "graduates") == (7, 7)
    x, ok = model.solve(model.objective([(("program", "xsmall"), "graduates")]), relaxed=True)
    assert ok and model.value(x, (("program", "xsmall"), "graduates")) == pytest.approx(7)


def test_inconsistent_published_values_raise():
    cells, rels = pathway("x")
    cells[("program", "xa")].values["graduates"] = 99  # more than the pathway cell's total
    with pytest.raises(RuntimeError, match="inconsistent"):
        au.GroupModel(list(cells.values()), rels).solve(np.ones(len(cells) * len(au.ATOMS)))


def test_only_integer_points_that_satisfy_every_constraint_are_taken_from_the_relaxation():
    cells, rels = pathway("x")
    model = au.GroupModel(list(cells.values()), rels)
    c = model.objective([(("program", "xsmall"), "graduates")])
    x, ok = model.solve(c, relaxed=True)
    r = model.integral(x)
    assert ok and r is not None and np.array_equal(r, np.round(x))
    assert model.integral(x + 0.5) is None  # not integral
    moved = r.copy()
    moved[0] += 1  # integral, but the published counts of its cell no longer add up
    assert model.integral(moved) is None
    assert model.integral(None) is None
    # an exact range from the relaxation equals the integer program's
    lo_lp, lo_ok = model.bound(c, (x, ok))
    lo_mip, mip_ok = model.solve(c)
    assert lo_ok and mip_ok and model.value(lo_lp, (("program", "xsmall"), "graduates")) == \
        model.value(lo_mip, (("program", "xsmall"), "graduates"))


def test_a_fractional_relaxation_falls_back_to_the_integer_program():
    # graduates 7 with a published rate 1/2 of in-field over graduates: the relaxation allows 3.5 in field
    v = {"graduates": 7, "employed_in_field_count": None, "cirr_denominator": 7, "graduates_known_outcome": 7}
    cell = au.Cell(("p",), v)
    model = au.GroupModel([cell], [])
    c = model.objective([(("p",), "employed_in_field_count")])
    model.row_lower = np.append(model.row_lower, 3.5)  # in field >= 3.5 (a bound no integer point meets exactly)
    model.row_upper = np.append(model.row_upper, np.inf)
    from scipy.sparse import vstack
    model.A = vstack([model.A, c]).tocsc()
    x, ok = model.solve(c, relaxed=True)
    assert ok and model.value(x, (("p",), "employed_in_field_count")) == pytest.approx(3.5)
    assert model.integral(x) is None
    y, y_ok = model.bound(c, (x, ok))
    assert y_ok and model.value(y, (("p",), "employed_in_field_count")) == 4
    assert model.value(model.point(c), (("p",), "employed_in_field_count")) == 4
