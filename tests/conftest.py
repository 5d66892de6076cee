"""Test-session set-up: offline Prefect in a temporary home, deterministic person keys.

The environment is fixed before any project module imports Prefect. Tests that run a
flow use the session-wide ``prefect_harness`` fixture (one temporary Prefect API for the
whole session); pure logic is tested through plain functions or ``task.fn``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_HOME = tempfile.mkdtemp(prefix="outcomes-prefect-home-")
os.environ["PREFECT_HOME"] = _HOME
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")  # a loaded machine is slow
os.environ["OUTCOMES_PERSON_KEY"] = "test-person-key-not-secret"
os.environ["OUTCOMES_REPORTS_DIR"] = tempfile.mkdtemp(prefix="outcomes-reports-")  # never the repo's reports/

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield
