"""Public sources: the contract every connector follows, and the registry.

Owns the ``Source`` interface. Each connector lives in ``flows/sources/<name>.py`` and
keeps *extract* (fetch over HTTP into a raw snapshot, or locate a bundled file) apart
from *transform* (snapshot files -> tables validated by the Pandera models generated
from ``schemas``). The refresh flow calls, per source:

    files = source.fetch(client, config)      # online: list[FetchedFile], may raise
    snapshot_dir = save_snapshot(...)          # flows/snapshots.py stores them unchanged + manifest
    # or, offline / after a failed fetch: newest snapshot under data/raw/<name>/
    frames = source.transform(snapshot_dir, config)      # {table_name: DataFrame}

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
from typing import Any, Callable, Optional, Protocol

import httpx
import pandas as pd

@dataclass(frozen=True)
class FetchedFile:
    """One HTTP answer to store unchanged in a raw snapshot."""

    name: str  # file name inside the snapshot folder, e.g. "page-0001.json"
    content: bytes
    url: str  # without any API key
    params: dict  # query / body parameters, without any API key
    status: int


class HttpClient(Protocol):
    """What a connector's fetch may use: flows.http's retrying client, or a test double."""

    def request(self, method: str, url: str, *, params: dict | None = None,
                json: Any = None) -> httpx.Response: ...


#: fetch(client, config) -> files to snapshot. ``config`` is the source's section of the settings.
FetchFn = Callable[[HttpClient, dict], list[FetchedFile]]
#: transform(snapshot_dir, config) -> {table_name: frame}. The optional key "_quarantine" holds rows
#: for core_ingest__quarantine (rows read = rows loaded + rows quarantined, per source file).
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


#: Connector modules, imported on demand (each registers its Source when imported).
CONNECTORS = ("census_pseo", "college_scorecard", "bls_oews", "outcome_reports", "freecodecamp_2016", "program_links")
CONNECTORS += ("bls_oews_release", "nsf_ncses", "fivethirtyeight", "kaggle_2017")
CONNECTORS += ("colorado_roi",)


def load_connectors() -> dict[str, Source]:
    """Import every connector module and return the registry."""
    import importlib

    for module in CONNECTORS:
        importlib.import_module(f"flows.sources.{module}")
    return SOURCES
