"""The tiers' rules hold: a unit test cannot start a process or reach the network, and each test knows its tier."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT, tier_of
from tests.unit.conftest import TierViolation


def test_a_unit_test_cannot_start_a_process():
    with pytest.raises(TierViolation, match="started a process"):
        subprocess.run([sys.executable, "-c", "pass"], check=False)


def test_a_unit_test_cannot_open_a_network_connection():
    with pytest.raises(TierViolation, match="network connection"):
        socket.create_connection(("127.0.0.1", 9), timeout=1)


def test_local_socket_pairs_still_work():
    a, b = socket.socketpair()
    with a, b:
        a.sendall(b"x")
        assert b.recv(1) == b"x"


def test_tier_of_a_path_is_its_first_folder_under_tests():
    tests = PROJECT_ROOT / "tests"
    assert tier_of(tests / "unit" / "test_x.py") == "unit"
    assert tier_of(tests / "integration" / "test_x.py") == "integration"
    assert tier_of(tests / "e2e" / "test_x.py") == "e2e"
    assert tier_of(tests / "helpers.py") is None
    assert tier_of(PROJECT_ROOT / "flows" / "unit" / "x.py") is None


def test_this_test_is_marked_unit(request):
    assert request.node.get_closest_marker("unit") is not None
    assert request.node.get_closest_marker("e2e") is None
