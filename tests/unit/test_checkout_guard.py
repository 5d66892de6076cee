"""The session guard that proves tests leave the checkout's data/ and reports/ unchanged."""

from __future__ import annotations

import os
import time

from tests.checkout_guard import differences, snapshot


def _tree(root):
    (root / "data" / "warehouse").mkdir(parents=True)
    (root / "data" / "raw").mkdir(parents=True)
    (root / "data" / "raw" / "a.csv").write_text("x\n1\n")
    return root


def _later(path):
    """Move a path's modification time on, as a later write would (coarse file-system clocks)."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))


def test_unchanged_tree_has_no_differences(tmp_path):
    root = _tree(tmp_path)
    assert differences(snapshot(root), snapshot(root)) == []
    assert snapshot(root)["reports"] == ("absent",), "a clean clone has no reports/ yet"


def test_a_file_written_then_deleted_is_caught(tmp_path):
    root = _tree(tmp_path)
    before = snapshot(root)
    scratch = root / "data" / "warehouse" / "outcomes.duckdb"
    scratch.write_bytes(b"x")
    scratch.unlink()
    _later(root / "data" / "warehouse")
    assert differences(before, snapshot(root)) == ["entries added or removed in data/warehouse/"]


def test_rewritten_same_content_and_new_folder_are_caught(tmp_path):
    root = _tree(tmp_path)
    before = snapshot(root)
    target = root / "data" / "raw" / "a.csv"
    target.write_text("x\n1\n")
    _later(target)
    (root / "reports").mkdir()
    changes = differences(before, snapshot(root))
    assert "modified data/raw/a.csv" in changes and "created reports/" in changes


def test_a_real_write_moves_the_folder_time(tmp_path):
    """The premise of the write-and-delete check, on this machine's file system."""
    root = _tree(tmp_path)
    folder = root / "data" / "warehouse"
    before = folder.stat().st_mtime_ns
    time.sleep(0.02)
    (folder / "x").write_text("x")
    (folder / "x").unlink()
    assert folder.stat().st_mtime_ns != before
