"""Disclosure audit (and the suppression step it drives): integer programs over published cells.

Owns the attacker's model of the public tables and its two uses:

- ``audit(...)``: for every public cell with withheld counts, the integer program of everything
  published about the cell and its relatives gives each withheld count's feasible range (HiGHS
  through ``highspy``: one model per group, re-solved per objective; min and max subject to every
  published count, total and subtotal as an equality, every published rate as bounds, and
  non-negativity). A range narrower than the protection
  width is an *exposure*; the audit fails when there is one.
- ``protect(...)``: the last step of suppression: while a relation group has an exposure, withhold
  one more published count of the group (the least useful first: categories before rate
  numerators before cell sizes; the smallest value first) and solve again, to a fixed point.

The model (docs/METHODOLOGY.md, "Disclosure audit"): each cell (a placement row and the salary
row of the same key, a program x prior degree row of the reports, a program x role count) is a
vector of unknown non-negative integers, its *atoms*: the number of its graduates in each outcome
status (the CIRR and NACE categories are sums of statuses, schemas/vocab.py), plus seven nested
sub-counts (in field by day 90 <= by day 180 <= in field; known start day <= in field; salary
reported <= in field; uplift known <= salary reported; censored at day 90 / 180 <= graduates outside
the exclusions who are not in field). Every published count of the cell is a sum
of atoms. Relations (``Relation``) say that the atoms of some cells add up to the atoms of others
(cohorts to their year, years to their program, programs to their pathway x modality x pacing cell,
prior degrees to their program, program roles to their role, and the grand totals of programs,
pathway cells and prior backgrounds); each relation with its cells is one *group*, solved alone.
"""

from __future__ import annotations

import time
from fractions import Fraction
from dataclasses import dataclass, field
from typing import Iterable

import numpy as np
import pandas as pd
import highspy
from scipy.sparse import coo_matrix

from flows.config import load_config
from schemas.tables.stats import CIRR_CATEGORIES, NACE_CATEGORIES, RATES, category_statuses, cirr_col, nace_col
from schemas.vocab import CAREER_OUTCOME_NACE, OUTCOME_STATUSES

STATUSES = tuple(OUTCOME_STATUSES)
SUBCOUNTS = ("in_field_90d", "in_field_180d", "days_known", "salary_reported", "uplift_known", "censored_90d",
             "censored_180d", "salary_180d")
ATOMS = STATUSES + SUBCOUNTS
_IDX = {a: i for i, a in enumerate(ATOMS)}
IN_FIELD = tuple(s for s, v in OUTCOME_STATUSES.items() if v[3] is True)


def _form(atoms: Iterable[str]) -> np.ndarray:
    v = np.zeros(len(ATOMS))
    for a in atoms:
        v[_IDX[a]] = 1.0
    return v


_CIRR_DEN = _form(s for s in STATUSES if OUTCOME_STATUSES[s][1] != "excluded")
#: Every count a public table can carry, as a sum of atoms.
FORMS: dict[str, np.ndarray] = {
    "graduates": _form(STATUSES),
    "graduates_known_outcome": _form(s for s in STATUSES if s != "unknown"),
    "cirr_denominator": _CIRR_DEN,
    "employed_in_field_count": _form(IN_FIELD),
    "employed_in_field_90d_count": _form(["in_field_90d"]),
    "employed_in_field_180d_count": _form(["in_field_180d"]),
    "employed_in_field_90d_denominator": _CIRR_DEN - _form(["censored_90d"]),
    "employed_in_field_180d_denominator": _CIRR_DEN - _form(["censored_180d"]),
    "career_outcomes_count": _form(s for s in STATUSES if OUTCOME_STATUSES[s][2] in CAREER_OUTCOME_NACE),
    "career_outcomes_denominator": _form(s for s in STATUSES if s != "unknown" and OUTCOME_STATUSES[s][2] != "not_seeking"),
    "days_to_job_start_count": _form(["days_known"]),
    "salary_reported_count": _form(["salary_reported"]),
    "salary_uplift_count": _form(["uplift_known"]),
    **{cirr_col(c): _form(category_statuses("cirr", c)) for c in CIRR_CATEGORIES},
    **{nace_col(c): _form(category_statuses("nace", c)) for c in NACE_CATEGORIES},
    # names earlier versions of the tables published (kept so the audit can check an old warehouse)
    "graduates_excluded": _form(category_statuses("cirr", "excluded")),
    "continuing_education_count": _form(category_statuses("nace", "continuing_education")),
    # the peer table (out_peers__program_peer_groups): a peer group is a cell; its counts are these forms
    "peer_group_size": _CIRR_DEN,
    "peers_in_field_count": _form(["in_field_180d"]),
    "peers_salary_reported_count": _form(["salary_180d"]),
    "peers_outcome_unknown_count": _form(["unknown"]),
}
#: Published ratios: column -> (numerator count, denominator count).
RATIOS: dict[str, tuple[str, str]] = {f"{n}_rate": (num, den) for n, (num, den, _) in RATES.items()}
RATIOS["salary_reported_share"] = ("salary_reported_count", "employed_in_field_count")
RATIOS["knowledge_rate"] = ("graduates_known_outcome", "graduates")
#: Order in which ``protect`` withholds a further count (earlier = withheld first).
_PRIORITY = {**{c: 0 for c in FORMS if c.startswith(("cirr_", "nace_"))},
             "career_outcomes_count": 1, "career_outcomes_denominator": 1, "days_to_job_start_count": 1,
             "salary_uplift_count": 1, "employed_in_field_90d_count": 2, "graduates_known_outcome": 2,
             "employed_in_field_180d_count": 3, "employed_in_field_count": 3,
             "employed_in_field_90d_denominator": 3, "employed_in_field_180d_denominator": 3, "salary_reported_count": 3,
             "cirr_denominator": 4, "graduates": 5,
             "peers_outcome_unknown_count": 1, "peers_in_field_count": 2, "peers_salary_reported_count": 2,
             "peer_group_size": 3}
#: Minimum cell size when none is given: [suppression] min_cell_size of the bundled assumptions.
DEFAULT_SMALL = load_config().suppression.min_cell_size
#: Rate bounds: a published rate r of a withheld numerator gives r*den - tol <= num <= r*den + tol.
RATE_TOLERANCE = 1e-6
#: Upper bound of every atom in the integer program (no real cell comes near it).
UNBOUNDED = 10**8
#: Largest denominator a published rate is read back with (a cell's size is far below it).
MAX_DENOMINATOR = 10**7
#: Time limit of one solve; a solve that reaches it leaves its count "unproven" (protected further).
SOLVE_SECONDS = 20.0
#: Joint solves (maximise and minimise many withheld counts at once, random directions after the first)
#: before counts are solved one by one; they stop early after two rounds that certify nothing new.
JOINT_ROUNDS = 40
#: An integer point's components and constraints are checked to this tolerance (counts are integers).
INTEGRAL_TOLERANCE = 1e-9
#: Feasible points a group keeps between its protection rounds (witnesses for the next round's ranges).
MAX_SEEDS = 256


@dataclass
class Cell:
    """One public cell: the published values of its counts and ratios (None = withheld)."""

    cell_id: tuple
    values: dict = field(default_factory=dict)

    def withheld(self) -> list[str]:
        return [c for c in self.values if c in FORMS and self.values[c] is None]


@dataclass(frozen=True)
class Relation:
    """sum of atoms over ``left`` == (or <=) sum over ``right``, for the atoms in ``atoms``."""

    name: str
    left: tuple
    right: tuple
    atoms: tuple = ATOMS
    sense: str = "=="


def within_cell_rows(n_atoms: int = len(ATOMS)) -> list[tuple[np.ndarray, float, float]]:
    """Nested sub-counts of one cell: each (coefficients, lower, upper) over the cell's atoms."""
    if_form = FORMS["employed_in_field_count"]
    rows = []
    for small, big in (("in_field_90d", "in_field_180d"), ("uplift_known", "salary_reported")):
        v = _form([small]) - _form([big])
        rows.append(v)
    for small in ("in_field_180d", "days_known", "salary_reported"):
        rows.append(_form([small]) - if_form)
    for big in ("in_field_180d", "salary_reported"):  # in field by day 180 with a salary
        rows.append(_form(["salary_180d"]) - _form([big]))
    for small in ("censored_90d", "censored_180d"):  # censored: outside the exclusions, not in field
        rows.append(_form([small]) - (_CIRR_DEN - if_form))
    return [(v, -np.inf, 0.0) for v in rows]


def _to_int(v) -> float | None:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return None
    return float(v)


def rate_row(num_form: np.ndarray, den_form: np.ndarray, r: float) -> tuple[np.ndarray, float, float]:
    """A published rate as a constraint on its cell's atoms.

    A rate is published unrounded (``num / den``): its exact fraction p / q (q up to ``MAX_DENOMINATOR``)
    gives the integer equality q * num - p * den = 0, which an integer program handles exactly. A rate that
    is no such fraction (rounded by hand) bounds num / den within ``RATE_TOLERANCE``."""
    f = Fraction(r).limit_denominator(MAX_DENOMINATOR)
    if abs(f.numerator / f.denominator - r) <= 1e-12:
        return f.denominator * num_form - f.numerator * den_form, 0.0, 0.0
    return num_form - r * den_form, -RATE_TOLERANCE, RATE_TOLERANCE


class GroupModel:
    """The integer program of one relation group: its cells' atoms, published values and relations."""

    def __init__(self, cells: list[Cell], relations: list[Relation], time_limit: float = SOLVE_SECONDS):
        self.cells = cells
        self.time_limit = time_limit
        self.pos = {c.cell_id: i for i, c in enumerate(cells)}
        na = len(ATOMS)
        self.n = n = len(cells) * na
        forms, offs, lo, hi = [], [], [], []
        within = within_cell_rows()
        for i, c in enumerate(cells):
            off = i * na
            for v, l, h in within:
                forms.append(v); offs.append(off); lo.append(l); hi.append(h)
            for col, val in c.values.items():
                val = _to_int(val)
                if col in FORMS and val is not None:
                    forms.append(FORMS[col]); offs.append(off); lo.append(val); hi.append(val)
            for col, (num, den) in RATIOS.items():
                r = _to_int(c.values.get(col))
                if r is None:
                    continue
                v, l, h = rate_row(FORMS[num], FORMS[den], r)
                forms.append(v); offs.append(off); lo.append(l); hi.append(h)
        rr, cc, vv = [], [], []
        for k, (v, off) in enumerate(zip(forms, offs)):
            nz = np.flatnonzero(v)
            rr.extend([k] * len(nz)); cc.extend(off + nz); vv.extend(v[nz])
        k = len(forms)
        for rel in relations:
            for a in rel.atoms:
                j = _IDX[a]
                for cid in rel.left:
                    rr.append(k); cc.append(self.pos[cid] * na + j); vv.append(1.0)
                for cid in rel.right:
                    rr.append(k); cc.append(self.pos[cid] * na + j); vv.append(-1.0)
                lo.append(-np.inf if rel.sense == "<=" else 0.0); hi.append(0.0)
                k += 1
        self.A = coo_matrix((vv, (rr, cc)), shape=(k, n)).tocsc()
        self.row_lower = np.array(lo, dtype=float)
        self.row_upper = np.array(hi, dtype=float)
        self._solvers: dict[bool, highspy.Highs] = {}  # relaxed? -> the program loaded once, solved per objective

    def _solver(self, relaxed: bool) -> highspy.Highs:
        """The program in a HiGHS instance (built once per group; each solve only changes the objective)."""
        h = self._solvers.get(relaxed)
        if h is None:
            lp = highspy.HighsLp()
            lp.num_col_, lp.num_row_ = self.n, self.A.shape[0]
            lp.col_cost_ = np.zeros(self.n)
            # A finite bound keeps every program bounded: a count nothing published limits reaches it (fully protected).
            lp.col_lower_, lp.col_upper_ = np.zeros(self.n), np.full(self.n, float(UNBOUNDED))
            lp.row_lower_ = np.where(np.isinf(self.row_lower), -highspy.kHighsInf, self.row_lower)
            lp.row_upper_ = self.row_upper
            m = lp.a_matrix_
            m.format_, m.num_col_, m.num_row_ = highspy.MatrixFormat.kColwise, self.n, self.A.shape[0]
            m.start_, m.index_, m.value_ = self.A.indptr, self.A.indices, self.A.data
            if not relaxed:
                lp.integrality_ = [highspy.HighsVarType.kInteger] * self.n
            h = highspy.Highs()
            h.setOptionValue("output_flag", False)
            h.setOptionValue("time_limit", float(self.time_limit))
            h.passModel(lp)
            self._solvers[relaxed] = h
        return h

    def objective(self, targets: list[tuple[tuple, str]]) -> np.ndarray:
        c = np.zeros(self.n)
        na = len(ATOMS)
        for cell_id, col in targets:
            off = self.pos[cell_id] * na
            c[off:off + na] += FORMS[col]
        return c

    def solve(self, c: np.ndarray, relaxed: bool = False) -> tuple[np.ndarray | None, bool]:
        """(a feasible point or None, proven optimal?). A solve that reaches the time limit returns the
        best feasible point it found (still a valid witness of what the published values allow)."""
        h = self._solver(relaxed)
        h.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), np.asarray(c, dtype=float))
        h.run()
        status = h.getModelStatus()
        if status in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kModelError):
            # infeasible: the published values contradict each other
            raise RuntimeError(f"disclosure audit: the published values of {[x.cell_id for x in self.cells][:3]}... "
                               f"are inconsistent ({h.modelStatusToString(status)})")
        if status != highspy.HighsModelStatus.kOptimal and h.getInfo().primal_solution_status != 2:  # no feasible point
            return None, False
        x = np.array(h.getSolution().col_value)
        return (x if relaxed else np.round(x)), status == highspy.HighsModelStatus.kOptimal

    def integral(self, x: np.ndarray | None) -> np.ndarray | None:
        """``x`` rounded when it is an integer point of the program (every constraint checked), else None.

        A linear relaxation's optimum is often integral (sums of counts): then it is a feasible integer
        point, and when it is optimal for the relaxation it is optimal for the integer program too."""
        if x is None:
            return None
        r = np.round(x)
        if np.abs(x - r).max(initial=0.0) > INTEGRAL_TOLERANCE or r.min(initial=0.0) < 0 or r.max(initial=0.0) > UNBOUNDED:
            return None
        ax = self.A @ r
        if np.any(ax < self.row_lower - INTEGRAL_TOLERANCE) or np.any(ax > self.row_upper + INTEGRAL_TOLERANCE):
            return None
        return r

    def point(self, c: np.ndarray) -> np.ndarray | None:
        """A feasible integer point minimising ``c`` as far as the solver got: the linear relaxation's optimum
        when it is integral, else the integer program's (a witness: only its feasibility matters)."""
        x = self.integral(self.solve(c, relaxed=True)[0])
        return x if x is not None else self.solve(c)[0]

    def bound(self, c: np.ndarray, lp: tuple[np.ndarray | None, bool]) -> tuple[np.ndarray | None, bool]:
        """(minimiser, proven optimal?) of ``c`` over the integer points, given the relaxation's (optimum, optimal?):
        an optimal integral relaxation optimum is the integer optimum (no integer solve)."""
        x = self.integral(lp[0]) if lp[1] else None
        return (x, True) if x is not None else self.solve(c)

    def value(self, x: np.ndarray, target: tuple[tuple, str]) -> float:
        return float(self.objective([target]) @ x)

    def feasible_range(self, cell_id: tuple, col: str) -> tuple[int, int]:
        """Exact (min, max) of one count; raises when the solver cannot prove it in time."""
        c = self.objective([(cell_id, col)])
        (lo_x, lo_ok), (hi_x, hi_ok) = (self.bound(c, self.solve(c, relaxed=True)),
                                        self.bound(-c, self.solve(-c, relaxed=True)))
        if not (lo_ok and hi_ok):
            raise TimeoutError(f"disclosure audit: no proof within {self.time_limit} s for {col} of {cell_id}")
        return round(self.value(lo_x, (cell_id, col))), round(self.value(hi_x, (cell_id, col)))

    def widths(self, targets: list[tuple[tuple, str]], width: int, seeds: list | None = None) -> dict:
        """Feasible-range width of each target: target -> (width, status).

        status "certified": two feasible integer points differ by at least ``width`` on the count (found
        while maximising / minimising many targets together: few solves for a whole group); "exact": the
        range was solved alone to optimality; "exposed-lp": even the linear relaxation's range is narrower
        than ``width`` (so is the integer range, which lies inside it); "unproven": the solver could not
        decide within its time limit (treated as exposed).

        ``seeds``: integer points feasible for this model (found for the same cells when they published
        more: withholding only removes constraints, so they stay feasible). They are witnesses before
        any solve, and every point found here is appended to the list (the most recent ``MAX_SEEDS``)."""
        out: dict = {}
        T = np.vstack([self.objective([t]) for t in targets])  # one row per target: its count as a sum of atoms
        lo_v = np.full(len(targets), np.inf)
        hi_v = np.full(len(targets), -np.inf)
        if seeds:
            V = T @ np.column_stack(seeds)
            lo_v, hi_v = V.min(axis=1), V.max(axis=1)

        def witness(x):
            if x is not None:
                v = T @ x
                np.minimum(lo_v, v, out=lo_v)
                np.maximum(hi_v, v, out=hi_v)
                if seeds is not None:
                    seeds.append(x)
                    del seeds[:-MAX_SEEDS]

        todo = np.arange(len(targets))
        rng = np.random.default_rng(len(targets))
        idle = 0
        for k in range(JOINT_ROUNDS):  # joint rounds, each on the still uncertified ones only
            if not len(todo) or idle >= 2:
                break
            # all together first, then random signs and weights: other corners of the feasible set
            weights = np.ones(len(todo)) if k == 0 else rng.choice([-1.0, 1.0], len(todo)) * rng.uniform(1, 2, len(todo))
            c = weights @ T[todo]
            witness(self.point(-c)); witness(self.point(c))
            before = len(todo)
            todo = todo[hi_v[todo] - lo_v[todo] < width]
            idle = idle + 1 if len(todo) == before else 0
        for i in set(range(len(targets))) - set(todo.tolist()):
            out[targets[i]] = (round(hi_v[i] - lo_v[i]), "certified", lo_v[i])
        for i in todo:
            t, c = targets[i], T[i]
            if hi_v[i] - lo_v[i] >= width:  # certified meanwhile by another count's witnesses
                out[t] = (round(hi_v[i] - lo_v[i]), "certified", lo_v[i])
                continue
            lp_min, lp_max = self.solve(c, relaxed=True), self.solve(-c, relaxed=True)
            lp_lo, lp_hi = lp_min[0], lp_max[0]
            if lp_lo is not None and lp_hi is not None and c @ lp_hi - c @ lp_lo < width - 1e-6:
                out[t] = (max(0, int(np.floor(c @ lp_hi + 1e-6) - np.ceil(c @ lp_lo - 1e-6))), "exposed-lp",
                          float(np.ceil(c @ lp_lo - 1e-6)))
                continue
            (lo_x, lo_ok), (hi_x, hi_ok) = self.bound(c, lp_min), self.bound(-c, lp_max)
            witness(lo_x); witness(hi_x)
            w = hi_v[i] - lo_v[i]
            w = round(w) if np.isfinite(w) else 0
            status = "exact" if (lo_ok and hi_ok) else ("certified" if w >= width else "unproven")
            out[t] = (w, status, lo_v[i] if status == "exact" else -np.inf)
        return out


@dataclass
class AuditResult:
    groups_checked: int = 0
    cells_checked: int = 0
    withheld_values: int = 0
    exposed: list = field(default_factory=list)  # (relation, cell_id, column, width)
    bounds: list = field(default_factory=list)  # (width lower bound, status) of every value checked
    min_width: int | None = None
    seconds: float = 0.0
    scope: str = "all"

    @property
    def passed(self) -> bool:
        return not self.exposed


def group_key(cells: list[Cell], relations: list[Relation], width: int, small: int) -> tuple:
    """Everything a group's ranges depend on, cell ids replaced by positions: two groups with equal keys are
    the same integer program with the same targets in the same order (so the same ranges)."""
    pos = {c.cell_id: i for i, c in enumerate(cells)}
    return (width, small,
            tuple(tuple((k, None if _to_int(v) is None else float(v)) for k, v in c.values.items()) for c in cells),
            tuple((r.sense, r.atoms, tuple(pos[i] for i in r.left), tuple(pos[i] for i in r.right)) for r in relations))


def group_exposures(cells: list[Cell], relations: list[Relation], width: int, result: AuditResult | None = None,
                    checked: set | None = None, small: int = DEFAULT_SMALL, cache: dict | None = None,
                    seeds: list | None = None) -> list:
    """Withheld counts of a group whose feasible range is narrower than ``width``: (cell, column, width).

    ``cache`` (key -> ranges) holds the ranges of groups solved before (``group_key``): a group equal to
    one of them is not solved again. ``seeds``: feasible points of the group kept between calls
    (``GroupModel.widths``)."""
    targets = [(c.cell_id, col) for c in cells for col in c.withheld()]
    if not targets:
        return []
    key = group_key(cells, relations, width, small) if cache is not None else None
    if key is not None and key in cache:
        widths = {targets[i]: v for i, v in cache[key]}
    else:
        # Zeros rule: a count that a published zero of its parent sets to zero is not an exposure (not solved).
        zeros = [t for t in targets if zero_by_published_parent(t, cells, relations)]
        solve = [t for t in targets if t not in set(zeros)]
        widths = GroupModel(cells, relations).widths(solve, width, seeds) if solve else {}
        widths.update({t: (width, "zero-parent", 0.0) for t in zeros})
        if key is not None:
            index = {t: i for i, t in enumerate(targets)}
            cache[key] = [(index[t], v) for t, v in widths.items()]
    if result is not None:
        for c in cells:
            if c.withheld() and c.cell_id not in checked:
                checked.add(c.cell_id)
                result.cells_checked += 1
        result.withheld_values += len(targets)
        result.bounds.extend(widths.values())
    # Exposed: pinned within fewer than ``width`` values where it could be a small count (below ``small``,
    # the minimum cell size). A count known to be at least ``small`` is one the threshold rule would
    # publish (a complementary count withheld only to protect others).
    return [(cid, col, w) for (cid, col), (w, status, lower) in widths.items()
            if (w < width or status == "unproven") and lower < small]


def zero_by_published_parent(target: tuple[tuple, str], cells: list[Cell], relations: list[Relation]) -> bool:
    """True when a relation puts the target's cell opposite cells that all publish the same count as 0.

    The sum over them is 0, so the withheld count is 0 too. That is the zeros rule of a published cell
    (docs/METHODOLOGY.md): the parent publishes "none of these (at least k) graduates", which says the
    same of every part of it and singles no one out; a source that never records a status (a survey
    that asked no such question) publishes such zeros for every program."""
    cid, col = target
    atoms = {ATOMS[j] for j in np.flatnonzero(FORMS[col])}
    by_id = {c.cell_id: c for c in cells}
    for rel in relations:
        if not atoms <= set(rel.atoms):
            continue
        if cid in rel.left:
            other = rel.right
        elif cid in rel.right and rel.sense == "==":
            other = rel.left
        else:
            continue
        if other and all(_to_int(by_id[o].values.get(col)) == 0 for o in other):
            return True
    return False


def groups_of(cells: dict[tuple, Cell], relations: list[Relation]) -> list[tuple[list[Cell], list[Relation]]]:
    """One group per relation (its cells), plus one per cell that is in no relation."""
    groups, seen = [], set()
    for rel in relations:
        ids = list(dict.fromkeys(rel.left + rel.right))
        seen.update(ids)
        groups.append(([cells[i] for i in ids], [rel]))
    for cid, c in cells.items():
        if cid not in seen:
            groups.append(([c], []))
    return groups


def audit(cells: dict[tuple, Cell], relations: list[Relation], width: int, sample: int | None = None, small: int = DEFAULT_SMALL,
          seed: int = 0, cache: dict | None = None) -> AuditResult:
    """Feasible range of every withheld count in every group (or a random sample of ``sample`` groups).

    ``cache``: ranges of groups already solved (``group_exposures``), e.g. by ``protect`` on the same values:
    a group whose published values differ from every cached one in anything is solved."""
    t0 = time.perf_counter()
    groups = [g for g in groups_of(cells, relations) if any(c.withheld() for c in g[0])]
    res = AuditResult(scope="all")
    if sample is not None and len(groups) > sample:
        rng = np.random.default_rng(seed)
        groups = [groups[i] for i in sorted(rng.choice(len(groups), sample, replace=False))]
        res.scope = "sample"
    checked: set = set()
    for g_cells, g_rels in groups:
        res.groups_checked += 1
        for cid, col, w in group_exposures(g_cells, g_rels, width, result=res, checked=checked, small=small, cache=cache):
            res.exposed.append((g_rels[0].name if g_rels else "cell", cid, col, w))
    # The smallest width: exact where a value was solved alone; a certified lower bound >= width otherwise.
    # over the counts that could be small (a count known to be at least ``small`` needs no protection)
    res.min_width = min((w for w, _, lower in res.bounds if lower < small), default=None)
    res.seconds = time.perf_counter() - t0
    return res


def _candidates(group_cells: list[Cell], cell_id: tuple, col: str, within: bool) -> list[tuple[tuple, str]]:
    """Published counts that share unknowns with the exposed count, least useful and smallest first.

    ``within``: the count is pinned by its own cell's figures: the cell's own counts first. Otherwise
    the relation pins it: the same count of its relatives first (the classic complementary cell),
    then the relatives' other counts, then the cell's own."""
    target = FORMS[col].copy()
    for small, bigs in _NESTED.items():  # a sub-count is bounded by the counts it nests in
        if target[_IDX[small]]:
            for b in bigs:
                target[_IDX[b]] = 1.0
    cands, rest = [], []
    for c in group_cells:
        for other, val in c.values.items():
            v = _to_int(val)
            if other not in FORMS or v is None:
                continue
            if not np.any(FORMS[other] * target):  # shares no unknown with the exposed count: tried last
                own = c.cell_id == cell_id
                rest.append((0 if own == within else 1, _IMPORTANCE.get(c.cell_id[0], 2), v == 0, _PRIORITY.get(other, 3),
                             v, str(c.cell_id), other, c.cell_id))
                continue
            own = c.cell_id == cell_id
            rank = (0 if own else 1) if within else (2 if own else (0 if other == col else 1))
            cands.append((rank, _IMPORTANCE.get(c.cell_id[0], 2), v == 0, _PRIORITY.get(other, 3), v, str(c.cell_id),
                          other, c.cell_id))
    cands.sort()
    # A count can also be pinned from below by the sub-counts nested in it (or through a published rate):
    # when nothing overlapping is left, any published count of the group, own cell first when pinned within.
    return [(cid, other) for *_, other, cid in cands + sorted(rest)]


#: Which cells give up a count first when a relation pins a withheld one: cross-program aggregates
#: before a program's cohorts, years, prior degrees and roles, and those before the program itself
#: (what a reader of a program page needs most).
_IMPORTANCE = {"pathway_modality_pacing": 0, "prior_background": 0, "role": 0, "program_cohort": 1, "program_peer": 1,
               "program_year": 2, "program_prior": 2, "program_role": 2, "program_prior_rest": 2, "program": 3}

_NESTED = {"in_field_90d": ("in_field_180d",) + IN_FIELD, "in_field_180d": IN_FIELD, "days_known": IN_FIELD,
           "salary_reported": IN_FIELD, "uplift_known": ("salary_reported",) + IN_FIELD,
           "salary_180d": ("in_field_180d", "salary_reported") + IN_FIELD,
           **{c: tuple(s for s in STATUSES if OUTCOME_STATUSES[s][1] != "excluded" and s not in IN_FIELD)
              for c in ("censored_90d", "censored_180d")}}


def withhold(cell: Cell, col: str) -> None:
    """Withhold a count and every ratio that uses it. A peer group's counts go together: a peer row with one
    count withheld is suppressed whole (its figures rest on all of them)."""
    if cell.cell_id[0] == "program_peer" and col in PEER_COUNTS:
        for other in PEER_COUNTS:
            if other in cell.values:
                cell.values[other] = None
    cell.values[col] = None
    for r, (num, den) in RATIOS.items():
        if r in cell.values and col in (num, den):
            cell.values[r] = None


def _protect_group(g_cells: list[Cell], g_rels: list[Relation], cells: dict[tuple, Cell], width: int,
                   added: set, small: int = DEFAULT_SMALL, cache: dict | None = None, seeds: list | None = None) -> bool:
    """Withhold further counts of one group until none of its withheld counts is pinned; True if it withheld any.

    ``cache`` and ``seeds`` as in ``group_exposures`` (the seeds stay feasible: this only withholds)."""
    changed = False
    while True:
        exp = group_exposures(g_cells, g_rels, width, small=small, cache=cache, seeds=seeds)
        if not exp:
            return changed
        # One further count per exposed count and round (then solve again): few rounds per group.
        progressed = False
        for cid, col, _ in exp:
            lo, hi = _own_range(cells[cid], col, cache) if g_rels else (0, 0)
            cands = _candidates(g_cells, cid, col, within=hi - lo < width)
            if not cands:  # an earlier count of this round may have protected it: solve again first
                continue
            target, other = cands[0]
            withhold(cells[target], other)
            added.add((target, other))
            progressed = changed = True
        if not progressed:
            cid, col, _ = exp[0]
            raise RuntimeError(f"suppression: nothing left to withhold to protect {col} of {cid}")


def _own_range(cell: Cell, col: str, cache: dict | None) -> tuple[int, int]:
    """Feasible range of a withheld count given its own cell's published figures only (cached by those figures)."""
    if cache is None:
        return GroupModel([cell], []).feasible_range(cell.cell_id, col)
    key = ("own", col, group_key([cell], [], 0, 0))
    if key not in cache:
        cache[key] = GroupModel([cell], []).feasible_range(cell.cell_id, col)
    return cache[key]


def protect(cells: dict[tuple, Cell], relations: list[Relation], width: int, max_rounds: int = 50,
            small: int = DEFAULT_SMALL, cache: dict | None = None) -> set:
    """Withhold further counts until no group has an exposure (a fixed point); returns the withheld (cell, column).

    First each cell alone (its own published figures), then every relation group, in rounds until a
    round withholds nothing. Withholding only removes constraints, so a cell protected alone stays
    protected, and a group protected in an earlier round is checked again only to see its relatives'
    new withholdings did not break the fixed point (they cannot narrow a range: they widen them).

    ``cache`` (a dict, filled here): the ranges of every group solved, by the group's whole integer program
    (``group_key``); ``audit`` given the same dict solves only the groups whose values differ from them."""
    added: set = set()
    if cache is None:
        cache = {}
    # A ratio whose numerator or denominator is withheld is withheld too (ratio x published part = the other).
    for cid, cell in cells.items():
        for r, (num, den) in RATIOS.items():
            if cell.values.get(r) is not None and (cell.values.get(num, 0) is None or cell.values.get(den, 0) is None):
                cell.values[r] = None
                added.add((cid, r))
    # Cells with the same published values get the same withholdings: solve each pattern once.
    done: dict[tuple, list[str]] = {}
    for cid, cell in cells.items():
        if not cell.withheld():
            continue
        key = tuple(sorted((k, None if v is None else float(v)) for k, v in cell.values.items()))
        if key not in done:
            before = {k for k, v in cell.values.items() if v is None}
            _protect_group([cell], [], cells, width, set(), small, cache)
            done[key] = [k for k, v in cell.values.items() if v is None and k not in before]
        for col in done[key]:
            withhold(cell, col)
            added.add((cid, col))
    groups = [g for g in groups_of(cells, relations) if g[1]]
    checked: dict[int, tuple] = {}  # group -> the withheld counts of its cells when it was last found protected
    seeds: dict[int, list] = {}  # group -> feasible points found for it (still feasible after further withholdings)
    for _ in range(max_rounds):
        changed = False
        for i, (g_cells, g_rels) in enumerate(groups):
            state = tuple(len(c.withheld()) for c in g_cells)
            if not any(state) or checked.get(i) == state:  # unchanged since found protected: still protected
                continue
            changed |= _protect_group(g_cells, g_rels, cells, width, added, small, cache, seeds.setdefault(i, []))
            checked[i] = tuple(len(c.withheld()) for c in g_cells)
        if not changed:
            return added
    raise RuntimeError("suppression: no fixed point within the round limit")


# --------------------------------------------------------------------------- the public tables as cells

#: Tables of per-program x prior-degree and per-program x role counts (reports and benchmarks).
PRIOR_TABLE = "out_reports__program_prior_background"
#: The "people like me" peer table: per program x similarity level x degree group x prior field x experience band.
PEER_TABLE = "out_peers__program_peer_groups"
PEER_COUNTS = ("peer_group_size", "peers_in_field_count", "peers_salary_reported_count", "peers_outcome_unknown_count")
PEER_KEYS = ("program_id", "similarity_level", "degree_group", "peer_prior_field", "experience_band")
ROLE_WAGES_TABLE = "out_benchmarks__program_role_wages"
#: Per-program tables that repeat program counts beside other figures: a withheld repeated count
#: suppresses the row's record-level figures (the public columns stay).
PROGRAM_COPIES = {
    "out_roi__program_costs": ("graduates", "salary_reported_count", "median_base_salary_usd", "employed_in_field_180d_rate",
                               "living_relocation_usd", "forgone_earnings_usd", "financed_usd", "loan_interest_usd",
                               "monthly_loan_payment_usd", "total_cost_usd", "counterfactual_salary_usd",
                               "prior_salary_known_share", "expected_salary_usd", "annual_gain_usd", "payback_years",
                               "payback_years_p25_salary", "payback_years_p75_salary", "npv_10y_usd", "npv_20y_usd", "debt_to_earnings_ratio", "loan_payment_salary_share"),
    "out_benchmarks__program_public_earnings": ("graduates", "employed_in_field_180d_rate", "salary_reported_count",
                                                "median_base_salary_usd", "ratio_to_public_median"),
}


def _records(df: pd.DataFrame, cols) -> list[dict]:
    """The rows of ``df`` as dicts of the columns ``cols`` it has (only those: a table's other columns are not boxed)."""
    return df[[c for c in dict.fromkeys(cols) if c in df.columns]].to_dict("records")


def _key(row, dims) -> tuple:
    return tuple(row[d] for d in dims)


def build_cells(frames: dict[str, pd.DataFrame], programs: pd.DataFrame) -> tuple[dict[tuple, Cell], list[Relation], dict]:
    """Cells and relations of the public count tables in ``frames`` (table -> frame).

    ``programs`` maps program_id to pathway, modality and pacing (public program facts). Returns
    (cells, relations, where) with ``where[(cell_id, column)]`` = [(table, row index), ...] for writing back.
    """
    from schemas.tables.stats import GROUPINGS, placement_table, salary_table

    cells: dict[tuple, Cell] = {}
    where: dict[tuple, list] = {}

    def put(cid, table, idx, row, cols):
        c = cells.setdefault(cid, Cell(cid))
        for col in cols:
            if col in FORMS or col in RATIOS:
                v = row[col]
                v = None if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA else v
                if col not in c.values or c.values[col] is None:
                    c.values[col] = v
                where.setdefault((cid, col), []).append((table, idx))

    for grain, (dims, _) in GROUPINGS.items():
        for table in (placement_table(grain), salary_table(grain)):
            df = frames.get(table)
            if df is None:
                continue
            cols = [c for c in df.columns if c in FORMS or c in RATIOS]
            for idx, row in zip(df.index, _records(df, list(dims) + cols)):
                put((grain,) + _key(row, dims), table, idx, row, cols)
    for table in PROGRAM_COPIES:
        df = frames.get(table)
        if df is None:
            continue
        for idx, row in zip(df.index, _records(df, ("program_id", "graduates", "salary_reported_count",
                                                   "employed_in_field_180d_rate"))):
            if ("program", row["program_id"]) not in cells:  # a program without graduate records: nothing withheld
                continue
            put(("program", row["program_id"]), table, idx, row,
                [c for c in ("graduates", "salary_reported_count", "employed_in_field_180d_rate") if c in df.columns])
    relations: list[Relation] = []

    def rel(name, left, right, atoms=ATOMS, sense="=="):
        left = tuple(c for c in left if c in cells)
        right = tuple(c for c in right if c in cells)
        if left and right:
            relations.append(Relation(name, left, right, tuple(atoms), sense))

    # Cells by kind and by the key their relatives share, each list in the order of ``cells`` (which fixes
    # the order of a group's cells, hence of its counts: built in one pass, not one scan per relation).
    by_kind: dict[str, list] = {}
    for c in cells:
        by_kind.setdefault(c[0], []).append(c)
    by = lambda g: by_kind.get(g, [])  # noqa: E731

    def index(kind: str, key) -> dict:
        out: dict = {}
        for c in by(kind):
            out.setdefault(key(c), []).append(c)
        return out

    cohorts = index("program_cohort", lambda c: c[1:3])
    for cid in by("program_year"):
        rel("cohorts within a program year", (cid,), tuple(cohorts.get(cid[1:3], ())))
    years = index("program_year", lambda c: c[1])
    for cid in by("program"):
        rel("years within a program", (cid,), tuple(years.get(cid[1], ())))
    # Cross-program cells are keyed by evidence class first: ("pathway_modality_pacing", class, pathway, modality, pacing).
    class_of = dict(zip(programs["program_id"], programs["data_origin_class"])) if "data_origin_class" in programs else {}
    cell_of = {r.program_id: ("pathway_modality_pacing", class_of.get(r.program_id), r.pathway, r.modality, r.pacing)
               for r in programs.itertuples()}
    in_cell = index("program", lambda c: cell_of.get(c[1]))
    for cid in by("pathway_modality_pacing"):
        rel("programs within a pathway x modality x pacing cell", (cid,), tuple(in_cell.get(cid, ())))
    # Prior backgrounds are keyed by evidence class: ("prior_background", class, degree, field).
    for cls in sorted({c[1] for c in by("prior_background")}, key=str):
        rel("programs and prior backgrounds of an evidence class add up to its graduates",
            tuple(c for c in by("program") if class_of.get(c[1]) == cls),
            tuple(c for c in by("prior_background") if c[1] == cls))
    # per program x prior degree ("graduates like you"): degrees within a program, programs within a degree
    pb = frames.get(PRIOR_TABLE)
    if pb is not None:
        pp_cols = [c for c in pb.columns if c in FORMS or c in RATIOS]
        prior_of: dict = {}  # program -> its program x prior degree cells; prior degree -> its cells
        degree_cells: dict = {}
        for idx, row in zip(pb.index, _records(pb, ["program_id", "prior_degree"] + pp_cols)):
            cid = ("program_prior", row["program_id"], row["prior_degree"])
            if cid not in cells:
                prior_of.setdefault(cid[1], []).append(cid)
                degree_cells.setdefault(cid[2], []).append(cid)
            put(cid, PRIOR_TABLE, idx, row, pp_cols)
        for pid in pb["program_id"].unique():
            rest = ("program_prior_rest", pid)  # degrees not published (unknown): no published value
            cells.setdefault(rest, Cell(rest))
            kids = tuple(prior_of.get(pid, ())) + (rest,)
            rel("prior degrees within a program", (("program", pid),), kids)
        for cls in sorted({c[1] for c in by("prior_background")}, key=str):
            for deg in pb["prior_degree"].unique():
                rel("programs within a prior degree", tuple(c for c in degree_cells.get(deg, ()) if class_of.get(c[1]) == cls),
                    tuple(c for c in by("prior_background") if c[1] == cls and c[2] == deg))
    # per program x role: salary reporters (one count per program x role, repeated per SOC code)
    rw = frames.get(ROLE_WAGES_TABLE)
    if rw is not None:
        for idx, row in zip(rw.index, _records(rw, ("program_id", "role_category", "salary_reported_count"))):
            put(("program_role", row["program_id"], row["role_category"]), ROLE_WAGES_TABLE, idx, row,
                ["salary_reported_count"])
        pr = [c for c in cells if c[0] == "program_role"]
        role_cells: dict = {}
        roles_of: dict = {}
        for c in pr:
            role_cells.setdefault((c[2], class_of.get(c[1])), []).append(c)
            roles_of.setdefault(c[1], []).append(c)
        for cid in by("role"):
            rel("programs within a role", (cid,), tuple(role_cells.get((cid[2], cid[1]), ())), atoms=("salary_reported",))
        for pid in {c[1] for c in pr}:
            rel("roles within a program", tuple(roles_of[pid]), (("program", pid),), atoms=("salary_reported",), sense="<=")
    _peer_cells(frames.get(PEER_TABLE), cells, put, rel, programs.attrs.get("degree_groups"))
    return cells, relations, where


def _peer_cells(pg: pd.DataFrame | None, cells: dict, put, rel, degree_groups: dict | None) -> None:
    """The peer table's cells and relations. A peer group is a cell ("program_peer", program, level, degree group,
    field, band) whose population is the program's graduates with those keys (CIRR excluded included, as atoms);
    the program-level group equals the program cell (every atom). Relations: a degree-level group equals the sum of the
    program x prior-degree cells of its degrees (every atom); the field-level groups of a degree group sum to at
    most it, and the band-level groups of a (degree, field) to at most theirs. Rows of real public programs
    (all_completers, published earnings) are already public: not cells."""
    if pg is None or pg.empty:
        return
    groups = {}
    for idx, row in zip(pg.index, _records(pg, ("similarity_level",) + PEER_KEYS + PEER_COUNTS)):
        level = row["similarity_level"]
        if level == "all_completers":
            continue
        cid = ("program_peer",) + tuple(row[k] for k in PEER_KEYS)
        put(cid, PEER_TABLE, idx, row, PEER_COUNTS)
        groups.setdefault(level, []).append(cid)
    for cid in groups.get("program", []):  # the program-level group is the program's graduates: the program cell
        cells.setdefault(("program", cid[1]), Cell(("program", cid[1])))
        rel("the program-level peer group is the program", (cid,), (("program", cid[1]),))
    if degree_groups is None:  # programs read without assumptions: the configured groups
        from flows.config import load_assumptions

        degree_groups = load_assumptions()["peers"]["degree_groups"]
    degree_of = dict(degree_groups)

    def index(items, key) -> dict:  # each list in the order of ``items``
        out: dict = {}
        for c in items:
            out.setdefault(key(c), []).append(c)
        return out

    prior = index((c for c in cells if c[0] == "program_prior"), lambda c: (c[1], degree_of.get(c[2])))
    for cid in groups.get("degree", []):
        rel("prior degrees within a peer degree group", (cid,), tuple(prior.get((cid[1], cid[3]), ())))
    degrees = index(groups.get("degree", []), lambda c: c[1])
    for pid in {c[1] for c in groups.get("degree", [])}:  # unknown prior degrees are in no degree group: <=
        rel("peer degree groups within a program", tuple(degrees[pid]), (("program", pid),), sense="<=")
    fields = index(groups.get("degree_field", []), lambda c: (c[1], c[3]))
    for cid in groups.get("degree", []):
        rel("peer fields within a degree group", tuple(fields.get((cid[1], cid[3]), ())), (cid,), sense="<=")
    bands = index(groups.get("degree_field_experience", []), lambda c: (c[1], c[3:5]))
    for cid in groups.get("degree_field", []):
        rel("peer experience bands within a degree group and field", tuple(bands.get((cid[1], cid[3:5]), ())), (cid,),
            sense="<=")


def write_back(cells: dict[tuple, Cell], where: dict, frames: dict[str, pd.DataFrame], withheld: set,
               reason: str) -> None:
    """Null in ``frames`` every value ``protect`` withheld (and the ratios it withheld with them).

    A count withheld in a table whose rows carry one count (prior degrees, roles) suppresses the row."""
    for cid, col in withheld:
        cell = cells[cid]
        for c, v in cell.values.items():
            if v is not None:
                continue
            for table, idx in where.get((cid, c), []):
                df = frames[table]
                if table in PROGRAM_COPIES and c in COUNT_COPIES:
                    # A withheld count quoted beside the row's figures: only the quote goes (the row's
                    # figures are computed from the rate and the salaries, not from the count).
                    df[c] = df[c].astype(object)
                    df.at[idx, c] = None
                elif table in PROGRAM_COPIES:
                    if not bool(df.at[idx, "is_suppressed"]):
                        df.at[idx, "is_suppressed"] = True
                        df.at[idx, "suppression_reason"] = reason
                    for other in PROGRAM_COPIES[table]:
                        df[other] = df[other].astype(object)
                        df.at[idx, other] = None
                elif table == PEER_TABLE:
                    if not bool(df.at[idx, "is_suppressed"]):
                        df.at[idx, "is_suppressed"] = True
                        df.at[idx, "suppression_reason"] = reason
                    for other in PEER_COUNTS + ("mean_peer_salary_usd", "peer_salary_p25_usd", "median_peer_salary_usd",
                                                "peer_salary_p75_usd"):
                        df[other] = df[other].astype(object)
                        df.at[idx, other] = None
                elif table in (PRIOR_TABLE, ROLE_WAGES_TABLE):
                    if not bool(df.at[idx, "is_suppressed"]):
                        df.at[idx, "is_suppressed"] = True
                        df.at[idx, "suppression_reason"] = reason
                    for other in df.columns:
                        if other not in ("program_id", "prior_degree", "role_category", "soc_code", "soc_title",
                                         "state_code", "is_suppressed", "suppression_reason") and not other.startswith("bls_"):
                            df[other] = df[other].astype(object)
                            df.at[idx, other] = None
                else:
                    df[c] = df[c].astype(object)
                    df.at[idx, c] = None
                    if c in RATIOS:
                        for b in (c + "_lower", c + "_upper"):
                            if b in df.columns:
                                df[b] = df[b].astype(object)
                                df.at[idx, b] = None


#: Counts a per-program table quotes as a label ("from n graduates"): withholding one nulls the quote only.
COUNT_COPIES = ("graduates", "salary_reported_count")


# --------------------------------------------------------------------------- the step the refresh runs

#: [suppression] protection_width of the bundled assumptions.
DEFAULT_PROTECTION_WIDTH = load_config().suppression.protection_width
#: Above this many relation groups the refresh's audit checks a random sample of groups (bench scale).
AUDIT_SAMPLE_ABOVE = 3000
PROTECT_REASON = "complementary: withheld so that no published figure pins a withheld count (disclosure audit)"


def protection_width(assumptions: dict) -> int:
    """``[suppression] protection_width`` (its rule is checked when the assumptions are loaded)."""
    return int(assumptions["suppression"]["protection_width"])


def public_count_tables() -> tuple[str, ...]:
    from schemas.tables.stats import GROUPINGS, placement_table, salary_table

    return (tuple(t for g in GROUPINGS for t in (placement_table(g), salary_table(g)))
            + (ROLE_WAGES_TABLE,) + tuple(PROGRAM_COPIES))


def read_public(con, extra: dict | None = None, assumptions: dict | None = None) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The public count tables of a warehouse (plus ``extra`` frames not written yet) and the program facts
    (with each program's evidence class, which the cross-program tables carry in their key)."""
    from flows.models import ensure_code_tables
    from flows.stats.build import origin_class_sql

    ensure_code_tables(con)
    have = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    frames = {t: con.execute(f"SELECT * FROM {t}").df() for t in public_count_tables() + (PRIOR_TABLE, PEER_TABLE) if t in have}
    frames.update(extra or {})
    cls = origin_class_sql(assumptions or {}, "data_origin")
    programs = con.execute(f"SELECT program_id, pathway, modality, pacing, {cls} AS data_origin_class "
                           "FROM core_programs__programs").df()
    if assumptions and "peers" in assumptions:  # the peer table's degree groups (for its relations)
        programs.attrs["degree_groups"] = dict(assumptions["peers"]["degree_groups"])
    return frames, programs


def protect_frames(frames: dict[str, pd.DataFrame], programs: pd.DataFrame, width: int, small: int = DEFAULT_SMALL,
                   cache: dict | None = None) -> set[str]:
    """Run ``protect`` over the frames in place; returns the tables it changed (``cache`` as in ``protect``).

    A peer row with one count withheld by this step is suppressed whole (``withhold``), inside the step's
    fixed point, so the audit sees what is published."""
    cells, rels, where = build_cells(frames, programs)
    added = protect(cells, rels, width, small=small, cache=cache)
    write_back(cells, where, frames, added, PROTECT_REASON)
    return {t for cid, col in added for c, v in cells[cid].values.items() if v is None for t, _ in where.get((cid, c), [])}


def audit_frames(frames: dict[str, pd.DataFrame], programs: pd.DataFrame, width: int, small: int = DEFAULT_SMALL,
                 sample: int | None = None, cache: dict | None = None) -> AuditResult:
    """Audit the public tables as written (cells rebuilt from the frames); ``cache`` as in ``audit``."""
    cells, rels, _ = build_cells(frames, programs)
    n_groups = len(groups_of(cells, rels))
    return audit(cells, rels, width, sample=sample if sample is not None and n_groups > sample else None, small=small,
                 cache=cache)


def audit_row(res: AuditResult, width: int, k: int) -> pd.DataFrame:
    from datetime import datetime, timezone

    return pd.DataFrame([dict(
        audited_at=datetime.now(timezone.utc).replace(tzinfo=None), audit_scope=res.scope,
        groups_checked=res.groups_checked, cells_checked=res.cells_checked, withheld_counts_checked=res.withheld_values,
        exposed_values=len(res.exposed), min_protection_width=res.min_width, protection_width=width,
        min_cell_size=k, audit_seconds=round(res.seconds, 3), audit_passed=res.passed)])
