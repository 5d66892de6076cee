"""Paths, environment defaults and run identifiers.

Owns where things live (project root, raw data, warehouse, reports) and the offline
defaults for Prefect. Importing this module never starts Prefect. ``apply_env_defaults``
must run before ``prefect`` is imported (the CLI and the test suite call it first).
"""

from __future__ import annotations

import os
import secrets
from datetime import datetime, timezone
from pathlib import Path

#: Default start-up timeout of Prefect's temporary server (seconds); the user's setting wins.
EPHEMERAL_STARTUP_TIMEOUT_SECONDS = 120

PROJECT_ROOT = Path(os.environ.get("OUTCOMES_ROOT", Path(__file__).resolve().parent.parent))


def raw_dir() -> Path:
    return Path(os.environ.get("OUTCOMES_RAW_DIR", PROJECT_ROOT / "data" / "raw"))


def curated_dir() -> Path:
    return raw_dir() / "curated"


def warehouse_path() -> Path:
    return Path(os.environ.get("OUTCOMES_WAREHOUSE", PROJECT_ROOT / "data" / "warehouse" / "outcomes.duckdb"))


def reports_dir() -> Path:
    return Path(os.environ.get("OUTCOMES_REPORTS_DIR", PROJECT_ROOT / "reports"))


def secrets_dir() -> Path:
    return Path(os.environ.get("OUTCOMES_SECRETS_DIR", PROJECT_ROOT / ".secrets"))


def apply_env_defaults() -> None:
    """Offline, project-local Prefect unless the user configured otherwise.

    - no telemetry (DO_NOT_TRACK, PREFECT_SERVER_ANALYTICS_ENABLED);
    - a temporary server that may take up to two minutes to start (a loaded machine);
    - Prefect state in ``.prefect/`` of the project unless PREFECT_HOME or PREFECT_API_URL is set.
    """
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY", "false")
    # Prefect's temporary server takes 8-13 s to start on an idle machine; its 20 s default
    # fails a run on a loaded one.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(EPHEMERAL_STARTUP_TIMEOUT_SECONDS))
    if "PREFECT_HOME" not in os.environ and "PREFECT_API_URL" not in os.environ:
        home = PROJECT_ROOT / ".prefect"
        home.mkdir(exist_ok=True)
        os.environ["PREFECT_HOME"] = str(home)
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")


def new_run_id(now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def relative(path: Path) -> str:
    """Path relative to the project root when inside it (stable lineage), else absolute."""
    path = Path(path).resolve()
    try:
        return path.relative_to(PROJECT_ROOT.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
