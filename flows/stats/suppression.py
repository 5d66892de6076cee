"""Small-cell suppression (primary and complementary) and the low-coverage flag.

Owns the privacy rules of every out table (docs/METHODOLOGY.md, "Suppression"). Works on
one pandas frame of cells at a time; loops over groups of cells, never over records.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd


def min_cell_size(assumptions: dict) -> int:
    """``[suppression] min_cell_size`` (k; its rule is checked when the assumptions are loaded)."""
    return int(assumptions["suppression"]["min_cell_size"])


def low_knowledge_rate(assumptions: dict) -> float:
    return float(assumptions["suppression"]["low_knowledge_rate"])


def primary_suppression(counts: pd.Series, k: int, what: str = "graduates") -> tuple[pd.Series, pd.Series]:
    """Cells with fewer than k individuals (count < k, including 0) are suppressed.

    Returns (is_suppressed, suppression_reason). The reason names the rule, not the count
    (publishing '7 < 10' would leak the count): 'primary: fewer than k=10 graduates'.
    """
    c = pd.to_numeric(counts, errors="coerce").fillna(0)
    flag = c < k
    reason = pd.Series(np.where(flag, f"primary: fewer than k={k} {what}", None), index=counts.index, dtype="object")
    return flag.astype(bool), reason


def complementary_suppression(cells: pd.DataFrame, parent_cols: Sequence[str], count_col: str,
                              flag_col: str = "is_suppressed", reason_col: str = "suppression_reason",
                              k: int | None = None) -> pd.DataFrame:
    """Suppress extra siblings so no suppressed count is recoverable by subtraction.

    Siblings are the cells that share ``parent_cols`` (their counts add up to the parent's
    total, which is published elsewhere or derivable). In a sibling group where exactly one
    cell with a positive count is suppressed, the smallest published sibling (ties broken by
    row order, i.e. deterministically by the frame's sort) is suppressed too, with reason
    'complementary: ...'. Repeats until no group has exactly one suppressed cell. With an
    empty ``parent_cols`` all rows are one group (the grand total). Returns a copy.
    """
    out = cells.copy()
    if out.empty:
        return out
    keys = list(parent_cols)
    # Positions of each sibling group, in row order (numpy per group: no pandas indexing in the loop).
    groups = (list(out.groupby(keys, dropna=False, sort=False).indices.values()) if keys
              else [np.arange(len(out))])
    counts = pd.to_numeric(out[count_col], errors="coerce").fillna(0).to_numpy(dtype=float)
    flags = out[flag_col].astype(bool).to_numpy().copy()
    added = np.zeros(len(out), dtype=bool)
    for positions in groups:
        pos = np.asarray(positions)
        c = counts[pos]
        positive = c > 0
        while True:
            f = flags[pos]
            published = ~f & positive
            if np.count_nonzero(f & positive) != 1 or not published.any():
                break
            candidates = np.flatnonzero(published)
            target = pos[candidates[np.argmin(c[candidates])]]  # smallest; ties: first in row order
            flags[target] = True
            added[target] = True
    out[flag_col] = flags
    if added.any():
        parent = "the same " + " x ".join(keys) if keys else "the grand total"
        reasons = out[reason_col].astype(object).to_numpy().copy()
        reasons[added] = f"complementary: protects a suppressed sibling cell within {parent}"
        out[reason_col] = reasons
    return out


def cascade_suppression(cells: pd.DataFrame, parent_cols: Sequence[str], suppressed_parents: set,
                        flag_col: str = "is_suppressed", reason_col: str = "suppression_reason") -> pd.DataFrame:
    """Suppress every cell whose parent cell (its values of ``parent_cols``) is suppressed.

    Otherwise a suppressed parent's count would be the sum of its published children.
    """
    out = cells.copy()
    if out.empty or not parent_cols or not suppressed_parents:
        return out
    keys = pd.Series(list(zip(*(out[c] for c in parent_cols))), index=out.index)
    hit = keys.map(lambda t: tuple(None if pd.isna(v) else v for v in t) in suppressed_parents).astype(bool)
    hit &= ~out[flag_col].astype(bool)
    out.loc[hit, flag_col] = True
    out.loc[hit, reason_col] = "complementary: its parent cell (" + " x ".join(parent_cols) + ") is suppressed"
    return out


def suppressed_keys(cells: pd.DataFrame, cols: Sequence[str], flag_col: str = "is_suppressed") -> set:
    """The key tuples (over ``cols``) of the suppressed cells, for ``cascade_suppression``."""
    s = cells[cells[flag_col].astype(bool)]
    return {tuple(None if pd.isna(v) else v for v in t) for t in zip(*(s[c] for c in cols))}


def low_coverage(knowledge_rate, threshold: float = 0.65):
    """NACE: a knowledge rate under 65% carries a warning. Unknown rate (no graduates) -> False."""
    r = pd.Series(knowledge_rate, dtype="float64")
    return (r < threshold).fillna(False).astype(bool)
