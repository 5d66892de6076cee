"""Test-session set-up: offline Prefect in a temporary home, deterministic person keys.

The environment is fixed before any project module imports Prefect. Tests that run a
flow use the session-wide ``prefect_harness`` fixture (one temporary Prefect API for the
whole session); pure logic is tested through plain functions or ``task.fn``.

Every default output path (warehouse, reports, secrets) points into a temporary folder, and
the session fails if the checkout's ``data/`` or ``reports/`` changed in any way while it ran
(``tests/checkout_guard.py``).
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
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")  # a loaded machine is slow
os.environ["OUTCOMES_PERSON_KEY"] = "test-person-key-not-secret"
os.environ["OUTCOMES_REPORTS_DIR"] = tempfile.mkdtemp(prefix="outcomes-reports-")  # never the repo's reports/
os.environ["OUTCOMES_WAREHOUSE"] = str(Path(tempfile.mkdtemp(prefix="outcomes-warehouse-")) / "outcomes.duckdb")
os.environ["OUTCOMES_SECRETS_DIR"] = tempfile.mkdtemp(prefix="outcomes-secrets-")

PROJECT_ROOT = Path(__file__).resolve().parent.parent

_CHECKOUT: dict = {}


def pytest_sessionstart(session):
    from tests.checkout_guard import snapshot

    _CHECKOUT["before"] = snapshot(PROJECT_ROOT)


def pytest_sessionfinish(session, exitstatus):
    """Fail the session when the checkout's data/ or reports/ changed (tests use temporary folders only)."""
    from tests.checkout_guard import differences, snapshot

    if "before" not in _CHECKOUT:
        return
    changed = differences(_CHECKOUT["before"], snapshot(PROJECT_ROOT))
    if changed:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        text = "the test session changed the checkout's data/ or reports/:\n  " + "\n  ".join(changed)
        if reporter is not None:
            reporter.write_sep("=", "checkout changed", red=True)
            reporter.write_line(text)
        else:
            print(text)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    # The same start-up allowance as a refresh (a loaded machine can take minutes).
    with prefect_test_harness(server_startup_timeout=int(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"])):
        yield
