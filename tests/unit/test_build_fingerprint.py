"""The build fingerprint: code and assumptions that turn inputs into core and out tables."""

from __future__ import annotations

import copy

from flows import warehouse
from flows.config import load_assumptions
from flows.reports.build import current_report_set, marker_text, MARKER


def test_fingerprint_follows_the_assumptions_not_their_order():
    a = load_assumptions()
    b = copy.deepcopy(a)
    assert warehouse.build_fingerprint(a) == warehouse.build_fingerprint(dict(reversed(list(b.items()))))
    b["stats"]["confidence"] = 0.9
    assert warehouse.build_fingerprint(a) != warehouse.build_fingerprint(b)


def test_fingerprint_follows_the_code(monkeypatch):
    a = load_assumptions()
    before = warehouse.build_fingerprint(a)
    monkeypatch.setattr(warehouse, "code_fingerprint", lambda: "0" * 64)
    assert warehouse.build_fingerprint(a) != before


def test_code_fingerprint_covers_sql_and_templates():
    assert len(warehouse.code_fingerprint()) == 64
    assert warehouse.code_fingerprint() == warehouse.code_fingerprint.__wrapped__()


def test_report_set_is_current_only_for_the_same_snapshot_and_build(tmp_path):
    snap = {"warehouse_snapshot_id": "abc", "build_fingerprint": "f1"}
    assert not current_report_set(tmp_path, snap)
    (tmp_path / MARKER).write_text(marker_text(snap))
    assert not current_report_set(tmp_path, snap)  # no index page
    (tmp_path / "index.html").write_text("<html></html>")
    assert current_report_set(tmp_path, snap)
    assert not current_report_set(tmp_path, {**snap, "build_fingerprint": "f2"})
    assert not current_report_set(tmp_path, {**snap, "warehouse_snapshot_id": "abd"})
