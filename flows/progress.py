"""Progress of a refresh, per stage, for a person watching a terminal.

Owns only the display: the flow announces stages (``stage``) and steps within a stage
(``advance``); what is shown depends on the reporter installed by the caller. The default
reporter shows nothing, so the flow behaves the same under Prefect workers, cron, CI and
tests. The CLI installs ``RichReporter`` (a progress bar on stderr) only when stderr is a
terminal and ``--quiet`` is not given. Logging stays with Prefect's logger; this is not a log.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import Iterator


class Reporter:
    """Shows nothing. Subclasses draw."""

    def start_stage(self, name: str, total: int | None) -> None: ...

    def advance(self, steps: int = 1) -> None: ...

    def end_stage(self, name: str, seconds: float, ok: bool) -> None: ...

    def close(self) -> None: ...


class RichReporter(Reporter):
    """One progress line per stage on stderr: a bar when the stage has a known number of steps."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.console = Console(stderr=True)
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description:<28}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(), console=self.console, transient=False)
        self.progress.start()
        self.task = None

    def start_stage(self, name: str, total: int | None) -> None:
        self.task = self.progress.add_task(name, total=total)

    def advance(self, steps: int = 1) -> None:
        if self.task is not None:
            self.progress.advance(self.task, steps)

    def end_stage(self, name: str, seconds: float, ok: bool) -> None:
        if self.task is not None:
            task = self.progress.tasks[-1]
            total = task.total if task.total is not None else 1
            self.progress.update(self.task, total=total, completed=total,
                                 description=name if ok else f"{name} (failed)")
            self.task = None

    def close(self) -> None:
        self.progress.stop()


_reporter: Reporter = Reporter()


def install(reporter: Reporter | None) -> Reporter:
    """Use ``reporter`` for the stages that follow (None: show nothing). Returns the previous one."""
    global _reporter
    previous, _reporter = _reporter, reporter or Reporter()
    return previous


def terminal_reporter(quiet: bool = False, stream=None) -> Reporter:
    """A RichReporter when ``stream`` (stderr) is an interactive terminal and not quiet, else silent."""
    stream = stream or sys.stderr
    if quiet or not getattr(stream, "isatty", lambda: False)():
        return Reporter()
    return RichReporter()


@contextmanager
def stage(name: str, total: int | None = None) -> Iterator[None]:
    """Announce a stage of the refresh; ``total`` steps when known (``advance`` counts them)."""
    started = time.monotonic()
    _reporter.start_stage(name, total)
    ok = False
    try:
        yield
        ok = True
    finally:
        _reporter.end_stage(name, time.monotonic() - started, ok)


def advance(steps: int = 1) -> None:
    _reporter.advance(steps)
