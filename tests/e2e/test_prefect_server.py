"""The refresh's private Prefect server dies with the process that started it, even on SIGKILL (flows/prefect_server.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
import pytest


PARENT = r"""
import sys, time
from flows import prefect_server
server = prefect_server.start(timeout=float(sys.argv[1]))
print(server.process.pid, server.port, flush=True)
time.sleep(600)
"""


@pytest.mark.slow
def test_private_server_dies_with_its_parent_even_on_sigkill(tmp_path):
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "home")}
    env.pop("PREFECT_API_URL", None)
    parent = subprocess.Popen([sys.executable, "-c", PARENT, "600"], env=env, stdout=subprocess.PIPE, text=True)
    try:
        pid, port = map(int, parent.stdout.readline().split())
        assert httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=60).status_code == 200
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(60)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
            except OSError:
                break
            if state == "Z":
                break
            time.sleep(0.2)
        else:
            pytest.fail("the server outlived its parent")
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(10)
