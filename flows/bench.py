"""``make bench``: time a full refresh of N generated records against two baselines.

Prints, from one run (ratios matter more than seconds on a shared machine):
- the full refresh (``outcomes refresh`` in a fresh process, Prefect included): seconds,
  rows per second, peak memory (max RSS of that process);
- Prefect's own start-up cost (a trivial flow in a fresh process), shown separately;
- DuckDB alone loading the same CSV (``CREATE TABLE ... AS SELECT * FROM read_csv(...)``);
- a plain pandas + Pandera script reading and validating the same CSV with the same model;
- the ratios of the refresh (without Prefect start-up) to each baseline;
- the time to write 5,000 program pages of a warehouse of the bundled data (goal: under 60 s).

Nothing here is a test: timings are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from flows import settings

TRIVIAL_FLOW = """
import time
t0 = time.perf_counter()
from prefect import flow
@flow
def noop():
    return 1
noop()
print(time.perf_counter() - t0)
"""


def _child_env(extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.setdefault("DO_NOT_TRACK", "1")
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    env.setdefault("OUTCOMES_PERSON_KEY", "bench-person-key")
    env.update(extra or {})
    return env


def run_measured(cmd: list[str], env: dict) -> tuple[float, int, str]:
    """Run a command; return wall seconds, peak RSS in bytes (Linux ru_maxrss is KiB), stdout."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    # The child is reaped by communicate(); RUSAGE_CHILDREN holds the max over reaped children.
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak_kib * 1024, out


def duckdb_bare_load(csv_path: Path) -> float:
    import duckdb

    con = duckdb.connect()
    t0 = time.perf_counter()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{csv_path}', all_varchar = true)")
    n = con.execute("SELECT count(*) FROM t").fetchall()[0][0]
    elapsed = time.perf_counter() - t0
    con.close()
    assert n > 0
    return elapsed


def pandas_pandera_baseline(csv_path: Path) -> float:
    """What a plain script would do: read with pandas, validate with the generated Pandera model."""
    import pandas as pd
    import pandera.pandas as pa

    from flows.curated import SPECS
    from schemas import FIELDS
    from schemas.generate import build_model
    from schemas.tables.curated import PII_COLUMNS

    spec = SPECS["outcome_records"]
    cols = [c for c in spec.columns if c not in PII_COLUMNS]
    t0 = time.perf_counter()
    df = pd.read_csv(csv_path, dtype=str, keep_default_na=False, encoding="utf-8")
    df = df[cols].replace({"": None})
    for c in cols:
        t = FIELDS[c].type
        if t in ("number", "integer"):
            df[c] = pd.to_numeric(df[c], errors="coerce")
        elif t == "date":
            df[c] = pd.to_datetime(df[c], format="%Y-%m-%d", errors="coerce")
        elif t == "boolean":
            df[c] = df[c].str.lower().map({"true": True, "false": False}).astype("boolean")
    model = build_model("baseline", cols, spec.required, (), spec.rules)
    try:
        model.validate(df, lazy=True)
    except pa.errors.SchemaErrors:
        pass
    return time.perf_counter() - t0


def disclosure_audit_row(warehouse: Path) -> dict:
    """The refresh's disclosure audit result (out_disclosure__audit_runs); read, not recomputed."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.execute("SELECT * FROM out_disclosure__audit_runs ORDER BY audited_at DESC LIMIT 1")
        cols = [d[0] for d in cur.description]
        row = cur.fetchall()
    finally:
        con.close()
    return dict(zip(cols, row[0])) if row else {}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--programs", type=int, default=500)
    parser.add_argument("--workdir", type=Path, default=settings.PROJECT_ROOT / ".bench")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--report-programs", type=int, default=5000, help="program pages for the reports timing (0: skip)")
    args = parser.parse_args(argv)

    from flows import synthetic

    data_dir = args.workdir / f"records-{args.records}"
    curated = data_dir / "curated"
    if not (curated / "synthetic_programs.csv").exists():
        t0 = time.perf_counter()
        synthetic.generate(curated, n_records=args.records, n_programs=args.programs, formats=("csv",))
        print(f"generated {args.records:,} records in {time.perf_counter() - t0:.1f} s -> {curated}", flush=True)
    [records_csv] = [p for p in curated.glob("synthetic_outcome_records*.csv")]

    # The curated pipeline alone: no public-source snapshots (an empty raw folder), no network.
    env = _child_env({"PREFECT_HOME": tempfile.mkdtemp(prefix="bench-prefect-"),
                      "OUTCOMES_RAW_DIR": tempfile.mkdtemp(prefix="bench-raw-"),
                      "OUTCOMES_REPORTS_DIR": tempfile.mkdtemp(prefix="bench-reports-")})
    prefect_s, _, out = run_measured([sys.executable, "-c", TRIVIAL_FLOW], env)
    prefect_startup = float(out.strip().splitlines()[-1])

    with tempfile.TemporaryDirectory(prefix="bench-wh-") as wh:
        cmd = [sys.executable, "-m", "flows.cli", "refresh", "--offline", "--quiet", "--curated", str(curated), "--json",
               "--warehouse", str(Path(wh) / "outcomes.duckdb")]
        refresh_s, peak_rss, out = run_measured(cmd, env)
        summary = json.loads(out[out.index("{"):])
        audit = disclosure_audit_row(Path(wh) / "outcomes.duckdb")

    bare_s = duckdb_bare_load(records_csv)
    pandas_s = pandas_pandera_baseline(records_csv)
    rows = summary["rows_read"]
    work_s = max(refresh_s - prefect_startup, 1e-9)
    figures = {
        "records": rows,
        "refresh_seconds": round(refresh_s, 2),
        "refresh_rows_per_second": round(rows / refresh_s),
        "refresh_peak_memory_mib": round(peak_rss / 2**20),
        "prefect_startup_seconds": round(prefect_startup, 2),
        "refresh_without_prefect_startup_seconds": round(work_s, 2),
        "duckdb_bare_load_seconds": round(bare_s, 2),
        "pandas_pandera_script_seconds": round(pandas_s, 2),
        "ratio_refresh_to_duckdb_load": round(work_s / bare_s, 1),
        "ratio_refresh_to_pandas_pandera": round(work_s / pandas_s, 2),
        "rows_loaded": summary["rows_loaded"],
        "rows_quarantined": summary["rows_quarantined"],
        "disclosure_audit_passed": audit.get("audit_passed"),
        "disclosure_audit_scope": audit.get("audit_scope"),
        "disclosure_cells_checked": audit.get("cells_checked"),
        "disclosure_withheld_counts": audit.get("withheld_counts_checked"),
        "disclosure_min_protection_width": audit.get("min_protection_width"),
        "disclosure_audit_seconds": audit.get("audit_seconds"),
    }
    if args.report_programs:
        from flows.reports.bench import bench_reports

        reports = bench_reports(n_programs=args.report_programs)
        figures["report_programs"] = reports["programs"]
        figures["report_seconds"] = reports["seconds"]
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"full refresh of {rows:,} rows       {refresh_s:8.1f} s  ({figures['refresh_rows_per_second']:,} rows/s, "
              f"peak memory {figures['refresh_peak_memory_mib']:,} MiB)")
        print(f"  of which Prefect start-up       {prefect_startup:8.1f} s  (trivial flow in a fresh process)")
        print(f"DuckDB bare load of the CSV        {bare_s:8.1f} s")
        print(f"plain pandas + Pandera script      {pandas_s:8.1f} s")
        print(f"ratio refresh (w/o Prefect start) / DuckDB load     {figures['ratio_refresh_to_duckdb_load']:6.1f}x  (goal: <= 3x)")
        print(f"ratio refresh (w/o Prefect start) / pandas+Pandera  {figures['ratio_refresh_to_pandas_pandera']:6.2f}x  (goal: <= 1x)")
        print(f"disclosure audit ({audit.get('audit_scope')}): {'pass' if audit.get('audit_passed') else 'FAIL'}, "
              f"{audit.get('cells_checked')} cells, {audit.get('withheld_counts_checked')} withheld counts, minimum "
              f"protection width {audit.get('min_protection_width')} (required {audit.get('protection_width')}), "
              f"{audit.get('audit_seconds')} s")
    return figures


if __name__ == "__main__":
    main()
