"""Test-session set-up: offline Prefect in a temporary home, deterministic person keys, the three tiers.

Tests live in three tiers, run in this order by ``make test`` (``make test-fast`` runs the first alone):
``tests/unit`` (pure functions: no process, no Prefect, no network, enforced by tests/unit/conftest.py),
``tests/integration`` (flow runs on the session's Prefect harness, warehouse and report builds) and
``tests/e2e`` (servers, signals, concurrency, scheduling, browsers). Each test is marked with its tier
(``-m unit``, ``-m "not e2e"``) and the session ends with each tier's time.

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
from hypothesis import settings as hypothesis_settings

_HOME = tempfile.mkdtemp(prefix="outcomes-prefect-home-")
os.environ["PREFECT_HOME"] = _HOME
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# A loaded machine (two suites side by side on two cores) starts Prefect's server slowly: at least 300 s,
# whatever a lower value set outside (the Makefile's default for refreshes is lower).
_STARTUP = os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "")
os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = str(max(300, int(_STARTUP) if _STARTUP.isdigit() else 0))
os.environ["OUTCOMES_PERSON_KEY"] = "test-person-key-not-secret"
os.environ["OUTCOMES_REPORTS_DIR"] = tempfile.mkdtemp(prefix="outcomes-reports-")  # never the repo's reports/
os.environ["OUTCOMES_WAREHOUSE"] = str(Path(tempfile.mkdtemp(prefix="outcomes-warehouse-")) / "outcomes.duckdb")
os.environ["OUTCOMES_SECRETS_DIR"] = tempfile.mkdtemp(prefix="outcomes-secrets-")

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Property tests: no per-example time limit (Hypothesis' default 200 ms fails examples on a loaded machine).
hypothesis_settings.register_profile("outcomes", deadline=None)
hypothesis_settings.load_profile("outcomes")

#: The report fixtures every tier shares (the fixture warehouse and report sets, the browser).
pytest_plugins = ["tests.report_fixtures"]

_CHECKOUT: dict = {}
TIERS = ("unit", "integration", "e2e")
#: Per tier: seconds spent in set-up, call and teardown, and the number of tests run.
_TIER_TIME: dict[str, list] = {}


def tier_of(path: Path) -> str | None:
    """The tier of a test file (the first folder under tests/), or None outside the tiers."""
    try:
        parts = Path(path).resolve().relative_to(PROJECT_ROOT / "tests").parts
    except ValueError:
        return None
    return parts[0] if len(parts) > 1 and parts[0] in TIERS else None


def pytest_collection_modifyitems(config, items):
    for item in items:
        tier = tier_of(item.path)
        if tier is not None:
            item.add_marker(tier)


def pytest_runtest_logreport(report):
    tier = tier_of(PROJECT_ROOT / report.nodeid.split("::")[0])
    if tier is None:
        return
    row = _TIER_TIME.setdefault(tier, [0.0, 0])
    row[0] += report.duration
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        row[1] += 1


def pytest_terminal_summary(terminalreporter):
    if not _TIER_TIME:
        return
    terminalreporter.write_sep("-", "time per tier (set-up + call + teardown)")
    for tier in TIERS:
        if tier in _TIER_TIME:
            seconds, n = _TIER_TIME[tier]
            terminalreporter.write_line(f"{tier:<12} {n:>5} tests {seconds:>8.1f} s")


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
