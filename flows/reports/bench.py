"""Time ``build_reports`` on the bundled data: 5,000 program pages in one run (goal: under 60 s).

``bench_reports(n_programs=5000, warehouse=None, profile=False) -> dict`` builds a warehouse from the
bundled data (curated sample and every public source's bundled snapshot: over 13,000 real programs)
with ``outcomes refresh --offline`` in a child process (its own Prefect home, warehouse and reports
folder, so the project's data/warehouse and reports/ are untouched), or takes ``warehouse``, then
times ``build_reports(..., limit=n_programs)`` in this process: the first N programs by id, with the
index, its data file, the overview and every shared file. Prints pages, seconds and pages per second
beside the goal; ``profile`` also prints the top of a cProfile of the build. Asserts nothing.
Run: ``python -m flows.reports.bench [--programs N] [--warehouse PATH] [--profile]``.
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

GOAL_PAGES, GOAL_SECONDS = 5_000, 60.0


def build_warehouse(workdir: Path, n_programs: int | None = None, n_records: int | None = None) -> Path:
    """A warehouse of the bundled data; with ``n_programs`` / ``n_records``: of generated curated files instead."""
    curated_args: list[str] = []
    if n_programs is not None or n_records is not None:
        from devtools import synthetic

        curated = workdir / "curated"
        synthetic.generate(curated, n_records=n_records or 20000, n_programs=n_programs or 500, formats=("csv",))
        curated_args = ["--curated", str(curated)]
    wh = workdir / "warehouse" / "outcomes.duckdb"
    env = dict(os.environ, PREFECT_HOME=str(workdir / "prefect"), OUTCOMES_REPORTS_DIR=str(workdir / "flow-reports"),
               DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    (workdir / "prefect").mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "flows.cli", "refresh", "--offline", "--quiet", *curated_args, "--warehouse", str(wh)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=settings.PROJECT_ROOT, timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(f"refresh for the reports benchmark failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return wh


def _dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def bench_reports(n_programs: int = GOAL_PAGES, warehouse: Path | None = None, profile: bool = False,
                  workdir: Path | None = None) -> dict:
    from flows.reports import build_reports

    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        work = Path(workdir or tmp)
        wh = Path(warehouse) if warehouse else build_warehouse(work)
        out = work / "reports"
        prof = None
        if profile:
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
        t0 = time.perf_counter()
        result = build_reports(wh, out, limit=n_programs)
        seconds = time.perf_counter() - t0
        if prof is not None:
            import pstats

            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(18)
        pages_bytes = [p.stat().st_size for p in result.pages]
        sizes = {"reports_bytes": _dir_bytes(out), "index_bytes": (out / "index.html").stat().st_size,
                 "index_data_bytes": (out / "assets" / "programs-data.js").stat().st_size,
                 "mean_page_bytes": round(sum(pages_bytes) / len(pages_bytes)) if pages_bytes else None}
    rate = result.programs / seconds if seconds else None
    met = result.programs >= GOAL_PAGES and seconds < GOAL_SECONDS
    figures = {"programs": result.programs, "seconds": round(seconds, 3), "pages_per_second": round(rate, 1) if rate else None,
               "goal": f"{GOAL_PAGES:,} program pages in under {GOAL_SECONDS:.0f} s", "goal_met": met, **sizes}
    print(f"reports: {result.programs:,} program pages in {seconds:.1f} s ({figures['pages_per_second']} pages/s; "
          f"goal: {figures['goal']}: {'met' if met else 'NOT met'}); reports/ {sizes['reports_bytes'] / 2**20:.1f} MiB, "
          f"index.html {sizes['index_bytes'] / 1024:.1f} KiB, program list {sizes['index_data_bytes'] / 1024:.0f} KiB, "
          f"mean page {sizes['mean_page_bytes']:,} bytes", flush=True)
    return figures


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="Time the per-program reports.")
    parser.add_argument("--programs", type=int, default=GOAL_PAGES, help="program pages to build (the first N by id)")
    parser.add_argument("--warehouse", type=Path, help="an existing warehouse (default: build one from the bundled data)")
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile of the build")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = bench_reports(args.programs, args.warehouse, args.profile)
    if args.json:
        print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
