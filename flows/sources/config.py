"""Read ``flows/sources/sources.toml``: the settings of the public-source connectors.

Owns locating and merging that file (optionally overlaid by a user's file with the same keys).
A connector receives only its own section as a plain dict. Never writes configuration.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from flows.config import _merge

SOURCES_TOML = Path(__file__).resolve().parent / "sources.toml"


def load_sources_config(override: Path | None = None) -> dict:
    with open(SOURCES_TOML, "rb") as fh:
        data = tomllib.load(fh)
    if override:
        with open(override, "rb") as fh:
            data = _merge(data, tomllib.load(fh))
    return data


def source_config(name: str, override: Path | None = None) -> dict:
    """The ``[name]`` section (empty dict when the source has none)."""
    return load_sources_config(override).get(name, {})
