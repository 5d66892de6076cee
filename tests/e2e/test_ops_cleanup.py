"""A refresh's own temporary Prefect server ends with it however it ends; the next run removes leftovers.

These refreshes run without PREFECT_API_URL, as a user's first `outcomes refresh` does: the CLI
starts a private Prefect server as its child. SIGKILL (no clean-up code runs) and SIGTERM (clean-up
runs) at pause points of flows/warehouse.py must leave no server process or listening port behind,
and the published warehouse as it was.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from flows import warehouse as wh
from tests.e2e.ops_support import ROOT, cli, subprocess_env, write_dataset
from tests.e2e.test_ops_publication import snapshot_id
from tests.e2e.test_ops_query import fingerprint


def children(pid: int) -> dict[int, str]:
    """Live child processes of ``pid``: {pid: command line}."""
    out = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                out[int(stat.parent.name)] = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be collected


def listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def private_server(refresh_pid: int) -> tuple[int, int]:
    [(pid, cmd)] = [(p, c) for p, c in children(refresh_pid).items() if "uvicorn" in c]
    args = cmd.split()
    return pid, int(args[args.index("--port") + 1])


def run(tmp: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(cli("refresh", *args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


@pytest.mark.slow
def test_killed_refresh_leaves_no_server_and_next_run_cleans_up(tmp_path):
    a = write_dataset(tmp_path / "a", records_per_program=10, seed=1)
    b = write_dataset(tmp_path / "b", records_per_program=12, seed=2, extra_programs=2)
    warehouse = tmp_path / "wh" / "outcomes.duckdb"
    env = subprocess_env(tmp_path, warehouse)  # no PREFECT_API_URL: each refresh starts its own server
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "600"  # the first start creates Prefect's database
    assert "PREFECT_API_URL" not in env
    done = run(tmp_path, env, "--curated", str(a), "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    first = json.loads(done.stdout)
    assert "tip:" not in done.stderr, "no tip with --json"
    before = fingerprint(warehouse)

    for point, sig in (("prepare", signal.SIGKILL), ("statistics", signal.SIGTERM), ("before_swap", signal.SIGKILL)):
        marker = tmp_path / f"paused-{point}"
        proc = subprocess.Popen(cli("refresh", "--curated", str(b)), cwd=ROOT,
                                env={**env, "OUTCOMES_TEST_PAUSE_AT": point, "OUTCOMES_TEST_PAUSE_FILE": str(marker)},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            deadline = time.monotonic() + 600
            while not marker.exists():
                assert proc.poll() is None, proc.stderr.read().decode()[-3000:]
                assert time.monotonic() < deadline, f"refresh never reached pause point {point}"
                time.sleep(0.2)
            server_pid, port = private_server(proc.pid)
            assert listening(port)
            os.kill(proc.pid, sig)
            proc.wait(60)
        finally:
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(60)
            err = proc.stderr.read().decode()
            proc.stdout.close()
            proc.stderr.close()
        assert proc.returncode in (-sig, 128 + sig), (point, proc.returncode, err[-2000:])
        deadline = time.monotonic() + 300
        while (alive(server_pid) or listening(port)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not alive(server_pid), f"{point}: the refresh's Prefect server outlived it"
        assert not listening(port), f"{point}: port {port} still listens"
        assert fingerprint(warehouse) == before, point
        assert snapshot_id(warehouse) == first["warehouse_snapshot_id"]
        assert wh.lock_holder(warehouse) is None
        if sig == signal.SIGTERM:
            assert "Traceback" not in err, err[-2000:]
            assert not list(warehouse.parent.glob(".build-*")), "SIGTERM runs the clean-up: no build file left"

    # Leftovers of a report writer killed mid-way (a process id that no longer runs).
    reports = Path(env["OUTCOMES_REPORTS_DIR"])
    dead = 2 ** 22 + 12345  # above the kernel's pid range: never a running process
    for name in (f".reports.tmp-{dead}-x1", f".reports.old-{dead}-1"):
        (reports.parent / name).mkdir(parents=True)
        (reports.parent / name / "index.html").write_text("half")
    done = run(tmp_path, env, "--curated", str(b), "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    second = json.loads(done.stdout)
    assert snapshot_id(warehouse) == second["warehouse_snapshot_id"] != first["warehouse_snapshot_id"]
    assert not list(warehouse.parent.glob(".build-*")), "the next run removed the killed runs' build files"
    assert sorted(p.name for p in reports.parent.glob(".reports.*")) == [], "and the report leftovers"
    assert (reports / "index.html").exists()
