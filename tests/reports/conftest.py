"""A small generated warehouse for the report tests (built once per session, in a child process).

The first generated program is renamed to hostile text so every test also exercises escaping.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from devtools import synthetic
from flows.reports import build_reports
from flows.reports.bench import build_warehouse

EVIL_NAME = "<script>alert(1)</script>"
EVIL_INSTITUTION = '"><img src=x onerror=alert(1)>'


@pytest.fixture(scope="session")
def report_env(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("reports-wh")
    curated = work / "curated"
    synthetic.generate(curated, n_records=900, formats=("csv",))
    programs_csv = curated / "synthetic_programs.csv"
    df = pd.read_csv(programs_csv, dtype=str, keep_default_na=False)
    evil_id = df.loc[0, "program_id"]
    df.loc[0, "program_name"] = EVIL_NAME
    df.loc[0, "institution_name"] = EVIL_INSTITUTION
    df.to_csv(programs_csv, index=False)
    # build_warehouse regenerates nothing when the files exist: call its refresh part on our folder
    wh = _refresh(work, curated)
    out = work / "reports"
    result = build_reports(wh, out)
    return {"warehouse": wh, "out": out, "result": result, "evil_id": evil_id, "curated": curated}


def _refresh(work: Path, curated: Path) -> Path:
    import os
    import subprocess
    import sys

    from flows import settings

    wh = work / "warehouse" / "outcomes.duckdb"
    (work / "prefect").mkdir(exist_ok=True)
    env = dict(os.environ, PREFECT_HOME=str(work / "prefect"), OUTCOMES_REPORTS_DIR=str(work / "flow-reports"))
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.run([sys.executable, "-m", "flows.cli", "refresh", "--offline", "--quiet", "--curated", str(curated),
                           "--warehouse", str(wh)], env=env, capture_output=True, text=True,
                          cwd=settings.PROJECT_ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return wh


__all__ = ["EVIL_NAME", "EVIL_INSTITUTION", "build_warehouse"]


@pytest.fixture(scope="module")
def browser():
    """One headless chromium per test module (tests/reports/browser.py; skipped without it).

    Module-wide, not session-wide: while Playwright's sync API runs, its event loop is the thread's
    running loop, so Prefect's own ``asyncio.run`` in later tests would fail."""
    from tests.reports.browser import launch

    pw, chromium = launch()
    yield chromium
    chromium.close()
    pw.stop()
