"""Helpers shared by the file-based connectors: a snapshot's files, bundled snapshots, config.

Owns finding one file of a snapshot folder and checking it against ``manifest.json``, writing
the manifest of a *bundled* snapshot (real public files copied unchanged into
``data/raw/<source>/<snapshot-id>/``) and reading a source's section of
``flows/sources/sources.toml`` (lineage ids, hashes and quarantine rows: ``flows.sources.lineage``). It never fetches over HTTP (``flows/http.py``) and never
stores fetched answers (``flows/snapshots.py`` does).
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from flows.snapshots import SnapshotError, read_manifest  # noqa: F401  (one manifest reader for all)
from flows.settings import relative
from flows.sources.config import load_sources_config
from flows.sources.lineage import sha256_file


def files_config(source: str, override: dict | None = None) -> dict:
    """The source's section of ``flows/sources/sources.toml``, overlaid by ``override`` (the flow's config)."""
    return {**load_sources_config().get(source, {}), **(override or {})}


def snapshot_file(snapshot_dir: Path, name: str, verify: bool = True) -> tuple[Path, str]:
    """Path and sha256 of one file of a snapshot; checks it is listed and unchanged."""
    snapshot_dir = Path(snapshot_dir)
    manifest = read_manifest(snapshot_dir)
    entry = next((f for f in manifest["files"] if f.get("name") == name), None)
    path = snapshot_dir / name
    if entry is None:
        raise SnapshotError(f"{relative(snapshot_dir)}: manifest lists no file named {name!r}")
    if not path.is_file():
        raise SnapshotError(f"{relative(path)}: listed in the manifest but missing")
    digest = sha256_file(path)
    if verify and entry.get("sha256") and entry["sha256"] != digest:
        raise SnapshotError(f"{relative(path)}: sha256 {digest} differs from the manifest's {entry['sha256']} "
                            "(a snapshot file must stay unchanged)")
    return path, digest


def write_bundled_snapshot(source: str, files: Iterable[Path], dest_root: Path, snapshot: str, *,
                           title: str, publisher: str, licence: str, origin: str, notes: str = "",
                           extra: dict | None = None) -> Path:
    """Copy real public files unchanged into ``dest_root/<source>/<snapshot>/`` and write the manifest.

    The manifest says ``"kind": "bundled"`` and records, per file, the original name, bytes
    and sha256, plus the publisher, licence and where the copy came from.
    """
    folder = Path(dest_root) / source / snapshot
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for src in files:
        src = Path(src)
        target = folder / src.name
        shutil.copyfile(src, target)
        entries.append({"name": src.name, "bytes": target.stat().st_size, "sha256": sha256_file(target),
                        "original_name": src.name})
    manifest = {
        "source": source,
        "kind": "bundled",
        "snapshot_id": snapshot,
        "fetched_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "title": title,
        "publisher": publisher,
        "licence": licence,
        "origin": origin,
        "notes": notes,
        "files": entries,
        **(extra or {}),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder
