"""Load the assumptions file (``flows/assumptions.toml``), optionally overlaid by the user's.

Owns reading configuration and checking its types and ranges (``check_assumptions``); never
writes it. Values are plain dicts so that pure functions can take just the section they need.
"""

from __future__ import annotations

import tomllib
from copy import deepcopy
from pathlib import Path

#: The employed-in-field windows (days) the statistics tables publish; the only accepted [stats] windows_days.
PUBLISHED_WINDOWS = (90, 180)

DEFAULT_ASSUMPTIONS = Path(__file__).resolve().parent / "assumptions.toml"


def _merge(base: dict, extra: dict) -> dict:
    out = deepcopy(base)
    for k, v in extra.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


class AssumptionError(ValueError):
    """An assumption with the wrong type or out of range; the message names the key, value and rule."""


def _number(data: dict, path: str, lo: float, hi: float, *, lo_open: bool = False, hi_open: bool = False,
            required: bool = False) -> None:
    node = data
    keys = path.split(".")
    for key in keys[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            break
    value = node.get(keys[-1]) if isinstance(node, dict) else None
    if value is None:
        if required:
            raise AssumptionError(f"assumptions: {path} is missing")
        return
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    ok = ok and (lo < value if lo_open else lo <= value) and (value < hi if hi_open else value <= hi)
    if not ok:
        lo_s, hi_s = ("(" if lo_open else "[") + f"{lo:g}", f"{hi:g}" + (")" if hi_open else "]")
        raise AssumptionError(f"assumptions: {path} = {value!r} must be a number in {lo_s}, {hi_s}")


def _boolean(data: dict, section: dict, path: str, key: str) -> None:
    if key in section and not isinstance(section[key], bool):
        raise AssumptionError(f"assumptions: {path}.{key} = {section[key]!r} must be true or false")


def check_assumptions(data: dict) -> dict:
    """Types and ranges of the ROI, "people like me" and plausibility settings; raises AssumptionError."""
    inf = float("inf")
    _number(data, "stats.confidence", 0, 1, lo_open=True, hi_open=True)
    _number(data, "stats.unknown_start_max_share", 0, 1)
    windows = data.get("stats", {}).get("windows_days", list(PUBLISHED_WINDOWS))
    if not (isinstance(windows, list) and windows == list(PUBLISHED_WINDOWS)):
        raise AssumptionError(
            f"assumptions: stats.windows_days = {windows!r} is not supported: the out tables publish the windows "
            f"{list(PUBLISHED_WINDOWS)} only (columns employed_in_field_90d_* and employed_in_field_180d_*); "
            "other windows would be written under those names")
    roi = data.get("roi", {})
    _number(data, "roi.loan_rate", 0, 1, hi_open=True)
    _number(data, "roi.discount_rate", 0, 1, hi_open=True)
    for code, cfg in (roi.get("countries") or {}).items():
        if not (isinstance(code, str) and len(code) == 2 and code.isalpha() and code.isupper()):
            raise AssumptionError(f"assumptions: roi.countries.{code} must be an ISO 3166-1 alpha-2 code (e.g. GB)")
        _number(data, f"roi.countries.{code}.loan_rate", 0, 1, hi_open=True)
        _boolean(data, cfg, f"roi.countries.{code}", "bls_benchmark")
    for pathway, cfg in (roi.get("pathway_funding") or {}).items():
        _number(data, f"roi.pathway_funding.{pathway}.stipend_usd_per_year", 0, inf)
        _boolean(data, cfg, f"roi.pathway_funding.{pathway}", "tuition_waived")
    _number(data, "salary_plausibility.max_base_salary_usd", 0, inf, lo_open=True)
    for origin in (data.get("salary_plausibility", {}).get("max_base_salary_usd_by_origin") or {}):
        _number(data, f"salary_plausibility.max_base_salary_usd_by_origin.{origin}", 0, inf, lo_open=True)
    _number(data, "peers.max_years_experience", 0, inf, lo_open=True)
    return data


def load_assumptions(override: Path | None = None) -> dict:
    """The default assumptions overlaid by ``override``; checked (AssumptionError names the bad key)."""
    with open(DEFAULT_ASSUMPTIONS, "rb") as fh:
        data = tomllib.load(fh)
    if override:
        with open(override, "rb") as fh:
            data = _merge(data, tomllib.load(fh))
    return check_assumptions(data)
