"""Raw snapshots: every fetch stored unchanged under ``data/raw/<source>/<fetched-at>/``.

Owns the snapshot folder layout, its ``manifest.json``, choosing the newest snapshot and the
extract step of the refresh (fetch and save, or fall back to the newest snapshot). It must not
parse any source's content (connectors do) nor touch the warehouse.

Layout::

    data/raw/<source>/2026-11-21T051500Z/
        manifest.json          {"source", "fetched_at", "kind", "files": [{name, url, params,
                                status, bytes, sha256, kind}]}
        page-0001.json ...     the answers, byte for byte

``kind`` is ``fetched`` (written by ``save_snapshot``), ``bundled`` (a real public file shipped
with the project) or ``transcribed`` (published figures typed in from a cited publication).
A snapshot is written into a hidden temporary sibling folder and renamed into place in one
step, so a failed fetch or write never leaves a partial snapshot: a folder without
``manifest.json`` (or starting with ``.``) is ignored.

URLs and parameters in a manifest are redacted by ``flows.http`` (no API key), whatever the
connector passed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from flows.settings import relative
from flows.http import redact, redact_params, redact_url
from flows.sources import FetchedFile, HttpClient, Source, SourceError
from flows.sources.lineage import sha256_file

logger = logging.getLogger("outcomes.snapshots")

MANIFEST = "manifest.json"
FOLDER_TIME_FORMAT = "%Y-%m-%dT%H%M%SZ"
KINDS = ("fetched", "bundled", "transcribed")


class SnapshotError(SourceError, ValueError):
    """A snapshot is unreadable or does not match its manifest (missing manifest or file, hash mismatch,
    bad header). One class for the snapshot store and every connector: a kind of ``SourceError``."""


def _utc(dt: datetime | None) -> datetime:
    dt = dt or datetime.now(timezone.utc)
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def _iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def _safe_name(name: str) -> str:
    if not name or name in (".", "..", MANIFEST) or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"invalid snapshot file name {name!r}")
    return name


def save_snapshot(raw_root: Path, source: str, files: list[FetchedFile],
                  fetched_at: datetime | None = None, kind: str = "fetched") -> Path:
    """Store ``files`` unchanged with a manifest; return the snapshot folder.

    Everything is written to a temporary sibling folder first and renamed atomically, so an
    exception at any point leaves nothing behind.
    """
    if kind not in KINDS:
        raise ValueError(f"snapshot kind must be one of {KINDS}, not {kind!r}")
    if not files:
        raise ValueError(f"{source}: no files to snapshot")
    names = [_safe_name(f.name) for f in files]
    if len(set(names)) != len(names):
        raise ValueError(f"{source}: duplicate file names in snapshot: {sorted(names)}")
    when = _utc(fetched_at)
    base = Path(raw_root) / source
    base.mkdir(parents=True, exist_ok=True)
    tmp = base / f".tmp-{when.strftime(FOLDER_TIME_FORMAT)}-{secrets.token_hex(4)}"
    tmp.mkdir()
    try:
        entries = []
        for f in files:
            (tmp / f.name).write_bytes(f.content)
            entries.append({
                "name": f.name,
                "url": redact_url(f.url),
                "params": redact_params(f.params),
                "status": f.status,
                "bytes": len(f.content),
                "sha256": hashlib.sha256(f.content).hexdigest(),
                "kind": kind,
            })
        manifest = {"source": source, "fetched_at": _iso(when), "kind": kind, "files": entries}
        text = redact(json.dumps(manifest, indent=2, sort_keys=False))
        (tmp / MANIFEST).write_text(text + "\n", encoding="utf-8")
        final = base / when.strftime(FOLDER_TIME_FORMAT)
        n = 1
        while final.exists():  # two fetches in the same second: keep both
            n += 1
            final = base / f"{when.strftime(FOLDER_TIME_FORMAT)}-{n}"
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    logger.info("%s: saved snapshot %s (%d files)", source, final.name, len(files))
    return final


def read_manifest(snapshot_dir: Path) -> dict:
    """A snapshot's manifest, checked to name its source, fetch time and files."""
    path = Path(snapshot_dir) / MANIFEST
    if not path.is_file():
        raise SnapshotError(f"{relative(path)}: snapshot manifest missing")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"{relative(path)}: unreadable manifest ({exc})") from None
    if not isinstance(manifest, dict):
        raise SnapshotError(f"{relative(path)}: manifest is not a JSON object")
    for key in ("source", "fetched_at", "files"):
        if key not in manifest:
            raise SnapshotError(f"{relative(path)}: manifest lacks the key {key!r}")
    return manifest


def _fetched_at(snapshot_dir: Path) -> datetime:
    manifest = read_manifest(snapshot_dir)
    try:
        return datetime.strptime(manifest["fetched_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    except (KeyError, TypeError, ValueError):
        raise SnapshotError(f"{snapshot_dir / MANIFEST}: fetched_at missing or not YYYY-MM-DDTHH:MM:SSZ") from None


def list_snapshots(raw_root: Path, source: str) -> list[Path]:
    """Complete snapshots of ``source`` (folders with a readable manifest), oldest first."""
    base = Path(raw_root) / source
    if not base.is_dir():
        return []
    found = []
    for d in base.iterdir():
        if not d.is_dir() or d.name.startswith(".") or not (d / MANIFEST).is_file():
            continue
        try:
            found.append((_fetched_at(d), d.name, d))
        except SnapshotError as exc:
            logger.warning("%s: ignoring snapshot %s: %s", source, d.name, exc)
    return [d for _, _, d in sorted(found)]


def newest_snapshot(raw_root: Path, source: str) -> Path | None:
    snaps = list_snapshots(raw_root, source)
    return snaps[-1] if snaps else None


def snapshot_age_days(snapshot_dir: Path, now: datetime | None = None) -> float:
    """Days between the snapshot's fetched_at and ``now``."""
    return (_utc(now) - _fetched_at(snapshot_dir)).total_seconds() / 86400.0


def verify_snapshot(snapshot_dir: Path) -> list[str]:
    """Problems found comparing the snapshot's files to its manifest (empty list: all good)."""
    snapshot_dir = Path(snapshot_dir)
    problems = []
    manifest = read_manifest(snapshot_dir)
    for entry in manifest.get("files", []):
        path = snapshot_dir / entry["name"]
        if not path.is_file():
            problems.append(f"{path}: missing")
            continue
        size = path.stat().st_size
        if size != entry.get("bytes"):
            problems.append(f"{path}: {size} bytes, manifest says {entry.get('bytes')}")
        digest = sha256_file(path)
        if digest != entry.get("sha256"):
            problems.append(f"{path}: sha256 {digest}, manifest says {entry.get('sha256')}")
    return problems


def snapshot_files(snapshot_dir: Path) -> list[dict]:
    """The manifest's file entries, each with ``path`` (the file) added."""
    snapshot_dir = Path(snapshot_dir)
    return [dict(e, path=snapshot_dir / e["name"]) for e in read_manifest(snapshot_dir).get("files", [])]


@dataclass(frozen=True)
class ExtractResult:
    snapshot_dir: Path | None
    status: Literal["fresh", "stale", "missing"]
    message: str


def fallback(source: Source, raw_root: Path, reason: str) -> ExtractResult:
    """The newest snapshot of ``source`` (``stale``), or none (``missing``), with ``reason`` in the message."""
    snap = newest_snapshot(raw_root, source.name)
    if snap is None:
        return ExtractResult(None, "missing", redact(f"{source.name}: {reason}; no snapshot under "
                                                     f"{Path(raw_root) / source.name}: source skipped"))
    age = snapshot_age_days(snap)
    return ExtractResult(snap, "stale", redact(f"{source.name}: {reason}; using snapshot {snap.name} "
                                               f"({age:.0f} days old)"))


def extract(source: Source, raw_root: Path, client: HttpClient | None, config: dict,
            offline: bool) -> ExtractResult:
    """Fetch ``source`` into a new snapshot, or fall back to its newest snapshot.

    - file-only source (no ``fetch``): its newest (bundled) snapshot, status ``fresh``;
    - ``offline`` or no client: newest snapshot, status ``stale``;
    - fetch fails (any ``SourceError``: ``FetchError`` after the client's retries, an answer not
      in the documented shape, no API key): newest snapshot, status ``stale``, the reason in
      ``message`` (redacted);
    - no snapshot at all: status ``missing``, ``snapshot_dir`` None (the run goes on without it).
    """
    raw_root = Path(raw_root)
    if source.fetch is None:
        snap = newest_snapshot(raw_root, source.name)
        if snap is None:
            return ExtractResult(None, "missing", f"{source.name}: no snapshot under {raw_root / source.name}: source skipped")
        return ExtractResult(snap, "fresh", f"{source.name}: file source, snapshot {snap.name}")
    if offline or client is None:
        return fallback(source, raw_root, "offline")
    try:
        files = source.fetch(client, config)
        snap = save_snapshot(raw_root, source.name, files)
    except SourceError as exc:
        logger.warning("%s: fetch failed: %s", source.name, redact(exc))
        return fallback(source, raw_root, f"fetch failed: {exc}")
    return ExtractResult(snap, "fresh", f"{source.name}: fetched {len(files)} files into {snap.name}")


#: Prefix of a snapshot folder set aside because it could not be read (ignored like any hidden folder).
REJECTED_PREFIX = ".rejected-"


def set_aside(snapshot_dir: Path, reason: str) -> Path:
    """Rename an unreadable snapshot to ``.rejected-<name>`` (kept for inspection, never chosen again).

    The reason goes into ``rejected.txt`` beside its files. Returns the new folder.
    """
    snapshot_dir = Path(snapshot_dir)
    target = snapshot_dir.with_name(REJECTED_PREFIX + snapshot_dir.name)
    n = 1
    while target.exists():
        n += 1
        target = snapshot_dir.with_name(f"{REJECTED_PREFIX}{snapshot_dir.name}-{n}")
    os.rename(snapshot_dir, target)
    (target / "rejected.txt").write_text(redact(reason) + "\n", encoding="utf-8")
    logger.warning("%s: snapshot %s set aside as %s: %s", snapshot_dir.parent.name, snapshot_dir.name,
                   target.name, redact(reason))
    return target


def snapshot_local_files(raw_root: Path, source: str, paths: list[Path], url: str,
                         kind: str = "bundled", fetched_at: datetime | None = None) -> Path:
    """Store files the user downloaded by hand (e.g. the College Scorecard bulk CSV) as a snapshot.

    ``url`` is where they were downloaded from; ``status`` is null in the manifest (no HTTP answer
    was seen by the pipeline).
    """
    files = [FetchedFile(name=Path(p).name, content=Path(p).read_bytes(), url=url, params={}, status=None)
             for p in paths]
    return save_snapshot(raw_root, source, files, fetched_at=fetched_at, kind=kind)
