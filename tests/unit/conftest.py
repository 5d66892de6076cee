"""The unit tier's contract, enforced: pure functions only.

A unit test starts no process (no subprocess, no Prefect server or flow run, no browser) and opens no network
connection; one that tries fails at once with the rule, instead of making the tier slow or flaky. Tests that
need any of these belong in tests/integration (flows, warehouse and report builds) or tests/e2e (servers,
signals, concurrency, browsers).
"""

from __future__ import annotations

import socket
import subprocess

import pytest

RULE = "the unit tier runs pure functions only; move this test to tests/integration or tests/e2e"


class TierViolation(AssertionError):
    """A unit test reached for a process, a Prefect API or the network."""


def _no_process(self, args, *rest, **kw):
    raise TierViolation(f"a unit test started a process ({args!r}): {RULE}")


def _guard_connect(original):
    def connect(self, address, *args, **kw):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise TierViolation(f"a unit test opened a network connection to {address!r}: {RULE}")
        return original(self, address, *args, **kw)
    return connect


@pytest.fixture(scope="package", autouse=True)
def _pure_functions_only():
    """Active from before the tier's first fixture to after its last test (package scope), then undone."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(subprocess.Popen, "_execute_child", _no_process)
        mp.setattr(socket.socket, "connect", _guard_connect(socket.socket.connect))
        mp.setattr(socket.socket, "connect_ex", _guard_connect(socket.socket.connect_ex))
        yield


@pytest.fixture(scope="session")
def prefect_harness():
    raise TierViolation(f"a unit test asked for the Prefect harness: {RULE}")
