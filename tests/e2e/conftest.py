"""Fixtures for the operations tests: one real local Prefect server per session, seeded data sets.

Subprocess refreshes talk to the session's server (PREFECT_API_URL) instead of each starting
a temporary one: that keeps a refresh at about 3 s and leaves no orphan server behind when a
test SIGKILLs a refresh.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.ops_support import ROOT, bundled_raw_copy, cli, subprocess_env, write_dataset


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_prefect_server(home: Path, timeout: float = 300.0) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = subprocess_env(home.parent)
    env["PREFECT_HOME"] = str(home)
    home.mkdir(parents=True, exist_ok=True)
    log = open(home / "server.log", "w")
    proc = subprocess.Popen([str(Path(sys.executable).with_name("prefect")), "server", "start", "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"prefect server exited early: {(home / 'server.log').read_text()[-2000:]}")
        try:
            if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                return proc, api
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    stop_process(proc)
    raise RuntimeError(f"prefect server did not answer on {api} within {timeout} s")


def stop_process(proc: subprocess.Popen) -> None:
    """Stop a process we started, and its process group (its own children), by id."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, 15)
        except ProcessLookupError:
            pass
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait(10)


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-server") / "home"
    proc, api = start_prefect_server(home)
    try:
        yield api
    finally:
        stop_process(proc)


def run_refresh(tmp: Path, api: str, curated: Path, warehouse: Path, *args: str, timeout: float = 900,
                **env_extra: str) -> subprocess.CompletedProcess:
    env = subprocess_env(tmp, warehouse, PREFECT_API_URL=api, **env_extra)
    return subprocess.run(cli("refresh", "--curated", str(curated), "--json", *args), cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def refresh_ok(tmp: Path, api: str, curated: Path, warehouse: Path, *args: str, timeout: float = 900,
               **env_extra: str) -> dict:
    done = run_refresh(tmp, api, curated, warehouse, *args, timeout=timeout, **env_extra)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def built_warehouse(tmp_path_factory, prefect_api):
    """A warehouse built by `outcomes refresh` from the seeded data set (shared by a module)."""
    tmp = tmp_path_factory.mktemp("built")
    curated = write_dataset(tmp / "curated")
    warehouse = tmp / "warehouse" / "outcomes.duckdb"
    summary = refresh_ok(tmp, prefect_api, curated, warehouse)
    return warehouse, summary


@pytest.fixture(scope="module")
def bundled_warehouse(tmp_path_factory, prefect_api):
    """A warehouse built offline from the bundled data (curated sample and public snapshots), as `make run` does."""
    tmp = tmp_path_factory.mktemp("bundled")
    raw = bundled_raw_copy(tmp / "raw")
    warehouse = tmp / "warehouse" / "outcomes.duckdb"
    # The bundled data's refresh includes the disclosure step's integer programs (about 100 s alone).
    summary = refresh_ok(tmp, prefect_api, raw / "curated", warehouse, OUTCOMES_RAW_DIR=str(raw),
                         OUTCOMES_REPORTS_DIR=str(tmp / "reports"), timeout=1200)
    return warehouse, summary
