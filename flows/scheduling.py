"""Scheduling helpers for ``outcomes serve`` and ``prefect.yaml``: cron checks and run parameters.

Owns what a scheduled refresh is given: explicit, absolute paths (a scheduled run starts in
another process, maybe another working directory) and a wait for a refresh already running
(a scheduled run that collides with a manual one waits instead of failing). Never starts Prefect.
"""

from __future__ import annotations

from pathlib import Path

from flows import settings

DEFAULT_CRON = "0 6 * * 1"  # Mondays 06:00
DEFAULT_TIMEZONE = "UTC"


def validate_cron(cron: str) -> str:
    """Raise ValueError with a readable message unless ``cron`` is a 5-field cron expression."""
    from pydantic import ValidationError
    from prefect.client.schemas.schedules import CronSchedule

    if len(cron.split()) != 5:
        raise ValueError(f"cron {cron!r} must have 5 fields: minute hour day-of-month month day-of-week "
                         f"(e.g. {DEFAULT_CRON!r})")
    try:
        CronSchedule(cron=cron, timezone=DEFAULT_TIMEZONE)
    except ValidationError as exc:
        raise ValueError(f"invalid cron {cron!r}: {exc.errors()[0]['msg']}") from None
    return cron


def deployment_parameters(curated: Path | None, warehouse: Path | None, assumptions: Path | None,
                          wait_seconds: float, offline: bool = False) -> dict:
    """Parameters of the refresh deployment: absolute paths, resolved now."""
    params = {
        "curated_folder": str(Path(curated or settings.curated_dir()).resolve()),
        "warehouse_path": str(Path(warehouse or settings.warehouse_path()).resolve()),
        "wait_seconds": float(wait_seconds),
        "offline": bool(offline),
    }
    if assumptions:
        params["assumptions_file"] = str(Path(assumptions).resolve())
    return params
