"""The connector contract: what every public source provides, and the one error it raises.

A connector is a module of ``flows/sources`` that registers one ``Source`` (``flows.sources``)
made of two plain functions:

- ``fetch(client, config) -> list[FetchedFile]`` (optional: ``None`` for a source read from a
  bundled or hand-downloaded snapshot). It asks the publisher through ``client`` (the one
  retrying HTTP client of ``flows.http``) and returns the answers unchanged; it checks each
  answer's documented shape so that a bad answer never becomes a snapshot. It never retries
  (the client does), never writes files (``flows.snapshots.extract`` stores the answers in a
  dated snapshot folder with its manifest) and never falls back (``extract`` does).
- ``transform(snapshot_dir, config) -> {table_name: frame}``: the snapshot's files as raw and
  typed frames of tables registered in ``schemas``, plus ``"_quarantine"`` (rows of
  ``core_ingest__quarantine``, built with ``flows.sources.lineage.quarantine_row``) for the rows
  it could not read, so that rows read = rows loaded + rows quarantined, per file.

Everything else is generic and done once: ``flows.snapshots.extract`` (fetch, store, or fall back
to the newest snapshot), ``flows.warehouse.load_source_frames`` (Pandera validation from
``schemas``, quarantine, replacing the source's rows in one transaction) and the refresh tasks.

Every failure a connector meets with the publisher's data -- a transport failure, an HTTP error,
an answer not in the documented shape, a snapshot file that cannot be read -- is a ``SourceError``
(``flows.http.FetchError`` and ``ResponseFormatError``, ``flows.snapshots.SnapshotError`` are
kinds of it). The refresh catches exactly this type: a fetch that fails falls back to the newest
good snapshot, and a fetched snapshot that cannot be transformed is set aside and the newest
good one is used instead, with the reason recorded in ``core_ingest__sources``. A bad
configuration (a SOC code that is not one, an unknown layout) is a plain ``ValueError``: it is
the project's mistake, not the publisher's, and it stops the run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Optional, Protocol, runtime_checkable

import httpx
import pandas as pd


class SourceError(RuntimeError):
    """A public source's data could not be fetched or read (transport, answer or file).

    The message names the source, file or URL (never an API key) and what is wrong.
    """


class HttpClient(Protocol):
    """What a connector's fetch may use: flows.http's retrying client, or a test double."""

    def request(self, method: str, url: str, *, params: dict | None = None,
                json: Any = None) -> httpx.Response: ...


@runtime_checkable
class Connector(Protocol):
    """The shape of every public source (``flows.sources.Source`` is its one implementation)."""

    name: str
    fetch: Optional[Callable[[HttpClient, dict], list]]

    def transform(self, snapshot_dir: Path, config: dict) -> dict[str, pd.DataFrame]: ...
