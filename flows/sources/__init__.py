"""Public sources: the registry of connectors and the ``Source`` record each one registers.

The contract every connector follows -- ``fetch`` (optional) returns the publisher's answers
unchanged, ``transform`` turns a snapshot folder into raw frames; one error type,
``SourceError``; validation, quarantine and loading done once, generically -- is written down
in ``flows/sources/contract.py``. The refresh flow calls, per source:

    result = flows.snapshots.extract(source, raw_root, client, config, offline)
        # source.fetch(client, config) -> files, stored unchanged as a dated snapshot;
        # offline, file-only or after a SourceError: the newest snapshot under data/raw/<name>/
    frames = source.transform(result.snapshot_dir, config)        # {table_name: DataFrame}
    flows.warehouse.load_source_frames(con, source.name, frames, run_id)

Frames for shared tables carry their own ``data_origin`` (the source name); the loader
replaces only the rows of that origin.

A connector module must not open the warehouse, print, retry, or read environment variables
other than its API key (through ``flows.http``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import pandas as pd

from flows.sources.contract import Connector, HttpClient, SourceError

__all__ = ["Connector", "FetchedFile", "HttpClient", "Source", "SourceError", "SOURCES", "register",
           "load_connectors"]


@dataclass(frozen=True)
class FetchedFile:
    """One HTTP answer to store unchanged in a raw snapshot."""

    name: str  # file name inside the snapshot folder, e.g. "page-0001.json"
    content: bytes
    url: str  # without any API key
    params: dict  # query / body parameters, without any API key
    status: int


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
