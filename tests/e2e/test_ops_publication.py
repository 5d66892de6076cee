"""Safe publication: SIGKILL at any stage leaves the published warehouse intact; refreshes exclude each other."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from tests.e2e.conftest import refresh_ok, run_refresh
from flows import warehouse as wh
from tests.e2e.ops_support import ROOT, cli, subprocess_env, write_dataset
from tests.e2e.test_ops_query import fingerprint


def snapshot_id(path: Path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT warehouse_snapshot_id FROM core_warehouse__snapshot").fetchall()[0][0]
    finally:
        con.close()


@pytest.fixture
def published(tmp_path, prefect_api):
    """A published warehouse from data set A and a different data set B to refresh with."""
    a = write_dataset(tmp_path / "a", records_per_program=20, seed=1)
    b = write_dataset(tmp_path / "b", records_per_program=25, seed=2, extra_programs=3)
    warehouse = tmp_path / "wh" / "outcomes.duckdb"
    summary = refresh_ok(tmp_path, prefect_api, a, warehouse)
    return tmp_path, warehouse, b, summary


#: Bounds that only stop a hung test; every wait ends as soon as its event happens (a loaded machine is slow).
PATIENCE = 900.0


def opened_by(pid: int, path: Path) -> bool:
    """True when process ``pid`` has ``path`` open (Linux /proc)."""
    target = str(path.resolve())
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(fd) == target:
                return True
        except OSError:
            continue
    return False


def kill_at(tmp: Path, warehouse: Path, curated: Path, api: str, point: str) -> None:
    """Start a refresh, wait until it sleeps at ``point``, SIGKILL it."""
    marker = tmp / f"paused-{point}"
    env = subprocess_env(tmp, warehouse, PREFECT_API_URL=api, OUTCOMES_TEST_PAUSE_AT=point,
                         OUTCOMES_TEST_PAUSE_FILE=str(marker))
    proc = subprocess.Popen(cli("refresh", "--curated", str(curated), "--json"), cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + PATIENCE
        while not marker.exists():
            assert proc.poll() is None, proc.stderr.read().decode()[-3000:]
            assert time.monotonic() < deadline, f"refresh never reached pause point {point}"
            time.sleep(0.1)
        assert marker.read_text().startswith(point)
        assert list(warehouse.parent.glob(".build-*")), "the refresh works in a private build file"
        assert wh.lock_holder(warehouse), "the refresh holds the lock while it runs"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(60)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(60)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.slow
def test_sigkill_leaves_published_warehouse_untouched(published, prefect_api):
    """Killed while copying, during load, during statistics, just before the swap: the old warehouse stays.

    Each killed refresh starts after the previous one was killed (so each also shows that a
    refresh starts cleanly after a kill); a normal refresh then publishes.
    """
    tmp, warehouse, b, first = published
    before = fingerprint(warehouse)
    for point in ("prepare", "load", "statistics", "before_swap"):
        kill_at(tmp, warehouse, b, prefect_api, point)
        # The published warehouse opens read-only and is byte-for-byte and table-for-table the old one.
        assert fingerprint(warehouse) == before, point
        assert snapshot_id(warehouse) == first["warehouse_snapshot_id"]
        assert wh.lock_holder(warehouse) is None, "the kernel released the killed refresh's lock"
    # The next refresh succeeds, removes the leftover build file and publishes B.
    second = refresh_ok(tmp, prefect_api, b, warehouse)
    assert second["warehouse_snapshot_id"] != first["warehouse_snapshot_id"]
    assert snapshot_id(warehouse) == second["warehouse_snapshot_id"]
    assert second["programs_count"] == 11
    assert not list(warehouse.parent.glob(".build-*"))
    assert not warehouse.with_name(warehouse.name + ".wal").exists()


@pytest.mark.slow
def test_kill_after_swap_publishes_new_warehouse_whole(published, prefect_api):
    """Killed between the rename and the WAL clean-up: the new warehouse is already whole and queryable."""
    tmp, warehouse, b, first = published
    marker = tmp / "paused"
    env = subprocess_env(tmp, warehouse, PREFECT_API_URL=prefect_api, OUTCOMES_TEST_PAUSE_AT="after_swap",
                         OUTCOMES_TEST_PAUSE_FILE=str(marker))
    proc = subprocess.Popen(cli("refresh", "--curated", str(b)), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + PATIENCE
        while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        assert marker.exists()
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(60)
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM core_programs__programs").fetchall()[0][0] == 11
    con.close()
    refresh_ok(tmp, prefect_api, b, warehouse)


@pytest.mark.slow
def test_failed_refresh_leaves_published_warehouse(published, prefect_api):
    tmp, warehouse, _, first = published
    before = fingerprint(warehouse)
    bad_assumptions = tmp / "bad.toml"
    bad_assumptions.write_text("this is = not [valid toml\n")
    done = run_refresh(tmp, prefect_api, tmp / "a", warehouse, "--assumptions", str(bad_assumptions))
    assert done.returncode == 1
    assert "published warehouse is unchanged" in done.stderr
    assert fingerprint(warehouse) == before
    assert not list(warehouse.parent.glob(".build-*"))


def test_second_refresh_exits_clearly_when_locked(tmp_path):
    warehouse = tmp_path / "wh" / "outcomes.duckdb"
    env = subprocess_env(tmp_path, warehouse, PREFECT_API_URL="http://127.0.0.1:9/api")  # never reached
    with wh.refresh_lock(warehouse):
        assert "pid" in wh.lock_holder(warehouse)
        done = subprocess.run(cli("refresh", "--curated", str(tmp_path)), cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=PATIENCE)
        assert done.returncode == 3
        assert "another refresh is running" in done.stderr and "--wait" in done.stderr
        assert f"pid {os.getpid()}" in done.stderr
        with pytest.raises(wh.RefreshLocked, match="another refresh is running"):
            with wh.refresh_lock(warehouse, wait_seconds=0.5):
                pass
    assert wh.lock_holder(warehouse) is None
    assert not warehouse.exists()


@pytest.mark.slow
def test_second_refresh_waits_with_wait(published, prefect_api):
    tmp, warehouse, b, first = published
    env = subprocess_env(tmp, warehouse, PREFECT_API_URL=prefect_api)
    with wh.refresh_lock(warehouse):
        proc = subprocess.Popen(cli("refresh", "--curated", str(b), "--wait", str(PATIENCE), "--json"), cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lock = warehouse.with_name(warehouse.name + ".lock")
        deadline = time.monotonic() + PATIENCE
        while True:  # until the refresh keeps the lock file open (a glance at the holder's name opens it briefly)
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the refresh never waited on the lock"
            if opened_by(proc.pid, lock):
                time.sleep(1.0)
                if opened_by(proc.pid, lock):
                    break
            time.sleep(0.1)
        assert snapshot_id(warehouse) == first["warehouse_snapshot_id"]
    out, err = proc.communicate(timeout=2 * PATIENCE)
    assert proc.returncode == 0, err[-3000:]
    assert snapshot_id(warehouse) == json.loads(out)["warehouse_snapshot_id"] != first["warehouse_snapshot_id"]


def test_pause_point_is_inert_unless_named(monkeypatch, tmp_path):
    monkeypatch.setenv("OUTCOMES_TEST_PAUSE_AT", "load")
    monkeypatch.setenv("OUTCOMES_TEST_PAUSE_FILE", str(tmp_path / "m"))
    started = time.monotonic()
    wh.pause_point("before_swap")
    assert time.monotonic() - started < 10 and not (tmp_path / "m").exists()  # a named point would sleep 120 s
    with pytest.raises(ValueError, match="unknown pause point"):
        wh.pause_point("nowhere")
