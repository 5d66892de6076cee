"""Load the assumptions file (``flows/assumptions.toml``), optionally overlaid by the user's.

Owns reading configuration; never writes it. Values are plain dicts so that pure
functions can take just the section they need.
"""

from __future__ import annotations

import tomllib
from copy import deepcopy
from pathlib import Path

DEFAULT_ASSUMPTIONS = Path(__file__).resolve().parent / "assumptions.toml"


def _merge(base: dict, extra: dict) -> dict:
    out = deepcopy(base)
    for k, v in extra.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def load_assumptions(override: Path | None = None) -> dict:
    with open(DEFAULT_ASSUMPTIONS, "rb") as fh:
        data = tomllib.load(fh)
    if override:
        with open(override, "rb") as fh:
            data = _merge(data, tomllib.load(fh))
    return data
