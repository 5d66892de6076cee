"""Rates, Wilson intervals, quantiles and the order-statistic interval for the median.

Owns the interval and quantile definitions that every out table uses (docs/METHODOLOGY.md,
"Statistics"). Pure functions on numbers and arrays: no DuckDB, no pandas frames, no I/O.
Everything is deterministic (no resampling).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

#: Two-sided 95% normal quantile (the Wilson interval at the default confidence).
Z95 = 1.959963984540054


def z_for(confidence: float = 0.95) -> float:
    """The two-sided standard normal quantile of ``confidence``: Φ⁻¹(1 - (1 - confidence)/2).

    0.95 gives 1.959964, 0.99 gives 2.575829. Raises ValueError outside (0, 1).
    """
    c = float(confidence)
    if not 0.0 < c < 1.0:
        raise ValueError(f"confidence = {confidence!r} must be in (0, 1)")
    from statistics import NormalDist
    return NormalDist().inv_cdf(1.0 - (1.0 - c) / 2.0)


def rate(numerator, denominator):
    """numerator / denominator, or NaN where the denominator is 0 (vectorised)."""
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return out if out.ndim else float(out)


def wilson_interval(successes, n, z: float | None = None, *, confidence: float | None = None):
    """Wilson score interval for a binomial proportion (vectorised).

    The level is ``confidence`` (two-sided, e.g. 0.99) or the normal quantile ``z``; neither: 95%.

    lower, upper = (p + z²/2n ∓ z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), with p = successes/n.
    Returns NaN bounds where n is 0. Raises ValueError when successes < 0 or successes > n.
    """
    if z is not None and confidence is not None:
        raise ValueError("wilson_interval: give z or confidence, not both")
    z = Z95 if z is None and confidence is None else (z if z is not None else z_for(confidence))
    k = np.asarray(successes, dtype=float)
    m = np.asarray(n, dtype=float)
    if np.any(k < 0) or np.any(m < 0) or np.any(k > m):
        raise ValueError(f"wilson_interval: need 0 <= successes <= n, got successes={successes!r}, n={n!r}")
    safe = np.where(m > 0, m, 1.0)
    p = k / safe
    z2 = z * z
    denom = 1.0 + z2 / safe
    centre = p + z2 / (2 * safe)
    half = z * np.sqrt(p * (1 - p) / safe + z2 / (4 * safe * safe))
    lo = np.where(m > 0, np.clip((centre - half) / denom, 0.0, 1.0), np.nan)
    hi = np.where(m > 0, np.clip((centre + half) / denom, 0.0, 1.0), np.nan)
    # Guard floating error at the edges so the interval always contains p.
    lo = np.where(m > 0, np.minimum(lo, p), np.nan)
    hi = np.where(m > 0, np.maximum(hi, p), np.nan)
    if lo.ndim == 0:
        return float(lo), float(hi)
    return lo, hi


def quantiles(values, probs=(0.25, 0.5, 0.75)) -> tuple[float, ...]:
    """Quantiles by linear interpolation between order statistics (Hyndman & Fan type 7).

    With the n values sorted x(1) <= ... <= x(n), quantile p is at position h = (n-1)p + 1:
    x(floor h) + (h - floor h)(x(floor h + 1) - x(floor h)). This is DuckDB's
    ``quantile_cont``, numpy's default and R's default, so SQL and Python agree. The median of
    an even n is the mean of the two middle values; of an odd n the middle value. NaN for
    an empty input. Missing values (NaN) are dropped first.
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return tuple(float("nan") for _ in probs)
    return tuple(float(v) for v in np.quantile(x, probs, method="linear"))


def median(values) -> float:
    return quantiles(values, (0.5,))[0]


def _binom_half_cdf(n: int) -> np.ndarray:
    """P(B <= j) for j = 0..n, B ~ Binomial(n, 1/2), computed in log space (exact to float)."""
    # log C(n, j) = sum_{i=1..j} log((n - i + 1) / i): a cumulative sum, no factorials.
    i = np.arange(1, n + 1, dtype=float)
    logc = np.concatenate([[0.0], np.cumsum(np.log(n - i + 1) - np.log(i))])
    logpmf = logc - n * math.log(2.0)
    return np.cumsum(np.exp(logpmf))


@lru_cache(maxsize=4096)
def median_ci_ranks(n: int, confidence: float = 0.95) -> tuple[int, int] | None:
    """1-based ranks (l, u) of the distribution-free confidence interval for the median.

    The interval [x(l), x(u)] with u = n - l + 1 covers the population median with
    probability 1 - 2·P(B <= l - 1), B ~ Binomial(n, 1/2), whatever the distribution
    (continuous). l is the largest rank with P(B <= l - 1) <= (1 - confidence)/2, so the
    coverage is at least ``confidence``. For n <= 5 even [x(1), x(n)] covers less than
    95% (1 - 2/2^n = 93.75% at n=5): no interval exists and the function returns None.
    Example: n=10 gives ranks (2, 9), coverage 97.9%.
    """
    if n < 1:
        return None
    alpha2 = (1.0 - confidence) / 2.0
    cdf = _binom_half_cdf(n)
    ok = np.nonzero(cdf <= alpha2 + 1e-12)[0]  # j = l - 1 values that qualify
    if ok.size == 0:
        return None
    l = int(ok[-1]) + 1
    return l, n - l + 1


def median_ci(values, confidence: float = 0.95) -> tuple[float, float]:
    """Order-statistic confidence interval for the median; (nan, nan) when n <= 5."""
    x = np.sort(np.asarray(values, dtype=float))
    x = x[~np.isnan(x)]
    ranks = median_ci_ranks(int(x.size), confidence)
    if ranks is None:
        return float("nan"), float("nan")
    l, u = ranks
    return float(x[l - 1]), float(x[u - 1])
