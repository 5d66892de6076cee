"""flows.snapshots: atomic snapshots with manifests, newest snapshot, extract with fallbacks."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from flows import http, snapshots
from flows.snapshots import extract, newest_snapshot, save_snapshot, snapshot_age_days, verify_snapshot
from flows.sources import FetchedFile, Source

SECRET = "sk-SNAP-93c1d0aa77"
T1 = datetime(2026, 11, 21, 5, 15, 0, tzinfo=timezone.utc)
T2 = datetime(2026, 11, 22, 6, 0, 0, tzinfo=timezone.utc)


def files(n=2):
    return [FetchedFile(name=f"page-{i:04d}.json", content=f'{{"page": {i}}}'.encode(),
                        url=f"https://api.example.gov/v1/x?page={i}&api_key={SECRET}",
                        params={"page": i, "api_key": SECRET}, status=200) for i in range(1, n + 1)]


def test_save_snapshot_writes_files_and_manifest(tmp_path):
    http.register_secret(SECRET)
    snap = save_snapshot(tmp_path, "demo", files(), fetched_at=T1)
    assert snap == tmp_path / "demo" / "2026-11-21T051500Z"
    manifest = json.loads((snap / "manifest.json").read_text())
    assert manifest["source"] == "demo" and manifest["fetched_at"] == "2026-11-21T05:15:00Z"
    assert manifest["kind"] == "fetched"
    first = manifest["files"][0]
    content = (snap / "page-0001.json").read_bytes()
    assert first == {"name": "page-0001.json", "url": "https://api.example.gov/v1/x?page=1",
                     "params": {"page": 1}, "status": 200, "bytes": len(content),
                     "sha256": hashlib.sha256(content).hexdigest(), "kind": "fetched"}
    assert SECRET not in (snap / "manifest.json").read_text()
    assert verify_snapshot(snap) == []
    assert [p.name for p in (tmp_path / "demo").iterdir()] == [snap.name]  # no temporary folder left


def test_verify_snapshot_detects_changed_and_missing_files(tmp_path):
    snap = save_snapshot(tmp_path, "demo", files(), fetched_at=T1)
    (snap / "page-0001.json").write_bytes(b'{"page": 9}')
    (snap / "page-0002.json").unlink()
    problems = verify_snapshot(snap)
    assert any("page-0001.json: sha256" in p for p in problems)
    assert any("page-0002.json: missing" in p for p in problems)


def test_failed_write_leaves_no_folder(tmp_path):
    bad = files(1) + [FetchedFile(name="page-0002.json", content=None, url="u", params={}, status=200)]
    with pytest.raises(TypeError):
        save_snapshot(tmp_path, "demo", bad, fetched_at=T1)
    assert list((tmp_path / "demo").iterdir()) == []
    assert newest_snapshot(tmp_path, "demo") is None


def test_failed_rename_leaves_no_folder(tmp_path, monkeypatch):
    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(snapshots.os, "rename", boom)
    with pytest.raises(OSError):
        save_snapshot(tmp_path, "demo", files(), fetched_at=T1)
    assert list((tmp_path / "demo").iterdir()) == []


def test_same_second_snapshots_are_both_kept(tmp_path):
    a = save_snapshot(tmp_path, "demo", files(), fetched_at=T1)
    b = save_snapshot(tmp_path, "demo", files(), fetched_at=T1)
    assert a != b and b.name == "2026-11-21T051500Z-2"


def test_newest_snapshot_ignores_incomplete_folders(tmp_path):
    old = save_snapshot(tmp_path, "demo", files(), fetched_at=T1)
    new = save_snapshot(tmp_path, "demo", files(), fetched_at=T2)
    (tmp_path / "demo" / "2030-01-01T000000Z").mkdir()  # no manifest: a partial copy
    (tmp_path / "demo" / ".tmp-2031-01-01T000000Z-abcd").mkdir()
    assert newest_snapshot(tmp_path, "demo") == new
    assert snapshots.list_snapshots(tmp_path, "demo") == [old, new]
    assert newest_snapshot(tmp_path, "nothing") is None


def test_snapshot_age_days(tmp_path):
    snap = save_snapshot(tmp_path, "demo", files(), fetched_at=T1)
    assert snapshot_age_days(snap, now=datetime(2026, 12, 1, 5, 15, tzinfo=timezone.utc)) == pytest.approx(10.0)


def test_invalid_names_rejected(tmp_path):
    with pytest.raises(ValueError):
        save_snapshot(tmp_path, "demo", [FetchedFile("../x", b"", "u", {}, 200)])
    with pytest.raises(ValueError):
        save_snapshot(tmp_path, "demo", [FetchedFile("manifest.json", b"", "u", {}, 200)])


def _source(fetch):
    return Source(name="demo", title="Demo", publisher="Nobody", licence="none", url="https://example.gov",
                  transform=lambda d, c: {}, fetch=fetch)


def test_extract_fresh_when_fetch_succeeds(tmp_path):
    res = extract(_source(lambda client, config: files()), tmp_path, client=object(), config={}, offline=False)
    assert res.status == "fresh" and res.snapshot_dir == newest_snapshot(tmp_path, "demo")


def test_extract_offline_uses_newest_snapshot_as_stale(tmp_path):
    snap = save_snapshot(tmp_path, "demo", files(), fetched_at=T1)
    called = []
    res = extract(_source(lambda c, cfg: called.append(1) or files()), tmp_path, client=object(), config={}, offline=True)
    assert res.status == "stale" and res.snapshot_dir == snap and not called
    assert "offline" in res.message


def test_extract_falls_back_when_fetch_fails(tmp_path):
    http.register_secret(SECRET)
    snap = save_snapshot(tmp_path, "demo", files(), fetched_at=T1)

    def failing(client, config):
        raise http.FetchError(f"GET https://x?api_key={SECRET} failed after 5 attempts: HTTP 500", status=500)

    res = extract(_source(failing), tmp_path, client=object(), config={}, offline=False)
    assert res.status == "stale" and res.snapshot_dir == snap
    assert "HTTP 500" in res.message and SECRET not in res.message
    assert snapshots.list_snapshots(tmp_path, "demo") == [snap]


def test_extract_missing_when_no_snapshot(tmp_path):
    def failing(client, config):
        raise http.FetchError("boom")

    res = extract(_source(failing), tmp_path, client=object(), config={}, offline=False)
    assert res.status == "missing" and res.snapshot_dir is None and "boom" in res.message
    res = extract(_source(None), tmp_path, client=None, config={}, offline=True)
    assert res.status == "missing"


def test_extract_file_only_source_uses_its_snapshot(tmp_path):
    snap = save_snapshot(tmp_path, "demo", files(), fetched_at=T1, kind="bundled")
    res = extract(_source(None), tmp_path, client=None, config={}, offline=False)
    assert res.status == "fresh" and res.snapshot_dir == snap


def test_snapshot_local_files(tmp_path):
    f = tmp_path / "data.csv"
    f.write_text("a,b\n1,2\n")
    snap = snapshots.snapshot_local_files(tmp_path / "raw", "demo", [f], url="https://example.gov/d", fetched_at=T1)
    m = snapshots.read_manifest(snap)
    assert m["kind"] == "bundled" and m["files"][0]["status"] is None and m["files"][0]["bytes"] == 8
    assert verify_snapshot(snap) == []
