"""Public sources: the contract every connector follows, and the registry.

Owns the ``Source`` interface. Each connector lives in ``flows/sources/<name>.py`` and
keeps *extract* (fetch over HTTP into a raw snapshot, or locate a bundled file) apart
from *transform* (snapshot files -> tables validated by the Pandera models generated
from ``schemas``). The refresh flow calls, per source:

    snapshot_dir = source.fetch(client, snapshot_root)      # online, may raise
    # or, offline / after a failed fetch: newest snapshot under data/raw/<name>/
    frames = source.transform(snapshot_dir, assumptions)      # {table_name: DataFrame}

and then validates every frame with ``schemas.generate.pandera_model(table_name)`` and
replaces those tables' rows in one transaction. Frames for the shared tables
``core_programs__programs`` and ``core_outcomes__graduate_outcomes`` carry their own
``data_origin`` (the source name); the loader replaces only the rows of that origin.

A connector module must not open the warehouse, print, or read environment variables
other than its API key (through ``flows.http``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import pandas as pd

FetchFn = Callable[..., Path]
TransformFn = Callable[[Path, dict], dict[str, pd.DataFrame]]


@dataclass(frozen=True)
class Source:
    name: str  # folder under data/raw/ and value of data_origin
    title: str
    publisher: str
    licence: str
    url: str
    transform: TransformFn
    fetch: Optional[FetchFn] = None  # None: file-only source (bundled snapshot / curated template)
    api_key_env: Optional[str] = None  # name of the environment variable holding the key, if any


SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    SOURCES[source.name] = source
    return source
