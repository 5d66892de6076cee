"""The bench stops the Prefect server it starts with its whole process group: nothing is left behind.

Plain processes stand in for the server's group (a leader with a child of its own); no timing is
asserted (performance is measured by ``make bench`` only).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from flows import bench

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")

# A leader that starts a child in the same group, reports the child's pid, then waits.
LEADER = """
import subprocess, sys, time
{setup}
child = subprocess.Popen([sys.executable, "-c", "{setup_inline}import time; time.sleep(120)"])
print(child.pid, flush=True)
time.sleep(120)
"""


def _start_group(ignore_sigterm: bool) -> tuple[subprocess.Popen, int]:
    setup = "import signal; signal.signal(signal.SIGTERM, signal.SIG_IGN)" if ignore_sigterm else ""
    code = LEADER.format(setup=setup, setup_inline=setup + "; " if setup else "")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, start_new_session=True)
    child = int(proc.stdout.readline())
    return proc, child


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A zombie of an exited child of the (now dead) leader is reaped by init; give it a moment.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1].startswith("Z")
    except FileNotFoundError:
        return True


@pytest.mark.parametrize("ignore_sigterm", [False, True], ids=["sigterm", "sigkill-after-timeout"])
def test_stop_group_leaves_no_process_of_the_group(ignore_sigterm):
    proc, child = _start_group(ignore_sigterm)
    try:
        assert bench._group_alive(proc.pid) and not _gone(child)
        bench._stop_group(proc, timeout=1.0)
        deadline = time.monotonic() + 60
        while not _gone(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.returncode is not None
        assert _gone(child), "the leader's child survived"
        assert not bench._group_alive(proc.pid)
    finally:
        for pid in (proc.pid, child):
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
        proc.stdout.close()


def test_stop_group_is_idempotent_on_an_exited_group():
    proc = subprocess.Popen([sys.executable, "-c", "pass"], start_new_session=True)
    proc.wait()
    bench._stop_group(proc, timeout=1.0)
    assert not bench._group_alive(proc.pid)
