"""Scheduling helpers for ``outcomes serve`` and ``prefect.yaml``: cron checks and run parameters.

Owns what a scheduled refresh is given: explicit, absolute paths (a scheduled run starts in
another process, maybe another working directory) and a wait for a refresh already running
(a scheduled run that collides with a manual one waits instead of failing), offline unless asked
(``outcomes serve --online``), and the serving process itself (``serve_refresh``): it stops on
SIGTERM within ``SIGTERM_GRACE_SECONDS`` even when the Prefect server is gone. Importing this
module never starts Prefect.
"""

from __future__ import annotations

from pathlib import Path

from flows import settings

DEFAULT_CRON = "0 6 * * 1"  # Mondays 06:00
DEFAULT_TIMEZONE = "UTC"

#: After SIGTERM, seconds the runner gets to pause its schedule and stop before the process exits anyway.
SIGTERM_GRACE_SECONDS = 10.0


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
                          wait_seconds: float, offline: bool = True) -> dict:
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


def serve_refresh(name: str, cron: str, timezone: str, parameters: dict, paused: bool = False,
                  grace_seconds: float = SIGTERM_GRACE_SECONDS) -> None:
    """Register the refresh deployment with a cron schedule and run its scheduled runs until stopped.

    Like ``refresh.serve(...)``, with one difference: on SIGTERM the runner's graceful stop
    (pausing the schedule talks to the server) gets ``grace_seconds``, then the process exits
    with status 0 whatever the server does (a runner whose server died would otherwise retry
    for ever and ignore SIGTERM).
    """
    import os
    import threading

    from prefect.runner import Runner
    from prefect.schedules import Cron

    from flows.refresh import refresh

    class _Runner(Runner):
        def handle_sigterm(self, *args, **kwargs) -> None:
            timer = threading.Timer(grace_seconds, os._exit, args=(0,))
            timer.daemon = True
            timer.start()
            super().handle_sigterm(*args, **kwargs)

    runner = _Runner(name=name, pause_on_shutdown=True)
    runner.add_flow(refresh, name=name, schedules=[Cron(cron, timezone=timezone)], parameters=parameters,
                    paused=paused, description="Scheduled refresh of the alumni-outcomes warehouse.",
                    tags=["alumni-outcomes"])
    import asyncio

    try:
        asyncio.run(runner.start())
    except KeyboardInterrupt:
        pass
