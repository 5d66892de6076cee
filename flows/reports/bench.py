"""Time ``build_reports`` on a generated warehouse of ~500 programs (goal: under 30 s).

``bench_reports(n_programs=500, n_records=20000) -> dict`` generates curated files with
``flows.synthetic.generate``, builds a warehouse with ``outcomes refresh --offline`` in a child
process (its own Prefect home and reports folder, so the project's reports/ is untouched), then
times ``build_reports`` in this process. Prints seconds and pages per second; asserts nothing.
Run: ``python -m flows.reports.bench [--programs N] [--records N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from flows import settings


def build_warehouse(workdir: Path, n_programs: int, n_records: int) -> Path:
    from flows import synthetic

    curated = workdir / "curated"
    synthetic.generate(curated, n_records=n_records, n_programs=n_programs, formats=("csv",))
    wh = workdir / "warehouse" / "outcomes.duckdb"
    env = dict(os.environ, PREFECT_HOME=str(workdir / "prefect"), OUTCOMES_REPORTS_DIR=str(workdir / "flow-reports"),
               DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    (workdir / "prefect").mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "flows.cli", "refresh", "--offline", "--quiet", "--curated", str(curated),
           "--warehouse", str(wh)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=settings.PROJECT_ROOT, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"refresh for the reports benchmark failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return wh


def bench_reports(n_programs: int = 500, n_records: int = 20000, workdir: Path | None = None) -> dict:
    from flows.reports import build_reports

    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        work = Path(workdir or tmp)
        wh = build_warehouse(work, n_programs, n_records)
        t0 = time.perf_counter()
        result = build_reports(wh, work / "reports")
        seconds = time.perf_counter() - t0
    figures = {"programs": result.programs, "records": n_records, "seconds": round(seconds, 3),
               "pages_per_second": round(result.programs / seconds, 1) if seconds else None,
               "under_30_seconds": seconds < 30}
    print(f"reports: {result.programs} program pages in {seconds:.2f} s ({figures['pages_per_second']} pages/s)", flush=True)
    return figures


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="Time the per-program reports.")
    parser.add_argument("--programs", type=int, default=500)
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = bench_reports(args.programs, args.records)
    if args.json:
        print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
