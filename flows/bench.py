"""``make bench``: time a full refresh of N generated records against two baselines.

Prints, from one run (ratios matter more than seconds on a shared machine):
- the full refresh (``outcomes refresh`` in a fresh process, Prefect included): seconds,
  rows per second, peak memory (max RSS of that process);
- Prefect's own start-up cost (a trivial flow in a fresh process), shown separately;
- DuckDB alone loading the same CSV (``CREATE TABLE ... AS SELECT * FROM read_csv(...)``);
- a plain pandas + Pandera script reading and validating the same CSV with the same model;
- the ratios of the refresh (without Prefect start-up) to each baseline;
- the time to write 5,000 program pages of a warehouse of the bundled data (goal: under 60 s);
- Prefect's orchestration cost of a small refresh (``--small-records``), measured twice: with the
  refresh's temporary server, and against a running server (``prefect server start``, what
  ``make server`` runs, started on a free port by the bench and stopped with its whole process
  group). Goal: under 3 s against a running server. The run is split into Prefect's parts
  (import, server start or nothing, flow-run start, per-task orchestration, flow-run end, server
  stop) and ours (imports of the project, the tasks' work, the flow body's own code) by timing
  ``Flow.__call__``/``Task.__call__`` against the functions they wrap (``PROBE``).

``--orchestration-only`` measures the last item alone (about two minutes). Nothing here is a test:
timings are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from flows import prefect_server, settings

#: Prefect's orchestration of a small refresh against a running server should stay under this.
ORCHESTRATION_GOAL_SECONDS = 3.0

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


#: Run in a fresh process by ``orchestration_probe``: the ``outcomes refresh`` command itself, with
#: Prefect's entry points and our functions timed, so that the run's wall time splits into our work
#: and Prefect's orchestration. ``Flow.__call__``/``Task.__call__`` are wrapped at class level
#: (everything Prefect does around a call), ``Flow.fn``/``Task.fn`` per object (our code). Prefect
#: is imported where the command imports it: inside ``_prefect_api``, once PREFECT_API_URL is set
#: (Prefect reads its settings when imported). Prints one JSON line on stderr: ``time.monotonic()``
#: stamps (CLOCK_MONOTONIC, comparable with the parent's) and sums.
PROBE = """
import contextlib, functools, json, sys, time
stamps = {"start": time.monotonic()}
from flows import cli, prefect_server
stamps["cli_imported"] = time.monotonic()
sums = {"task_calls_seconds": 0.0, "task_fn_seconds": 0.0, "task_runs": 0}

def timed(fn, before=None, after=None, total=None, count=None):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        t0 = time.monotonic()
        if before:
            stamps[before] = t0
        try:
            return fn(*args, **kwargs)
        finally:
            t1 = time.monotonic()
            if after:
                stamps[after] = t1
            if total:
                sums[total] += t1 - t0
            if count:
                sums[count] += 1
    return wrapper

prefect_server.start = timed(prefect_server.start, "server_start", "server_ready")
prefect_api = cli._prefect_api

@contextlib.contextmanager
def timed_prefect_api(*args, **kwargs):
    with prefect_api(*args, **kwargs):
        stamps["api_ready"] = time.monotonic()
        sums["prefect_imported_before_api"] = "prefect" in sys.modules
        import prefect
        stamps["prefect_imported"] = time.monotonic()
        from prefect import Flow, Task
        import flows.refresh as R
        stamps["project_imported"] = time.monotonic()
        Flow.__call__ = timed(Flow.__call__, "flow_call", "flow_return")
        Task.__call__ = timed(Task.__call__, total="task_calls_seconds", count="task_runs")
        for obj in list(vars(R).values()):
            if isinstance(obj, Task):
                obj.fn = timed(obj.fn, total="task_fn_seconds")
        R.refresh.fn = timed(R.refresh.fn, "flow_body_start", "flow_body_end")
        try:
            yield
        finally:
            stamps["api_closing"] = time.monotonic()

cli._prefect_api = timed_prefect_api
try:
    code = cli.app(sys.argv[1:], standalone_mode=False)
finally:
    stamps["command_end"] = time.monotonic()
    print(json.dumps({"stamps": stamps, "sums": sums}), file=sys.stderr, flush=True)
sys.exit(code or 0)
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


#: Researcher queries on the out and core tables should each answer under this on the 1M-record warehouse.
QUERY_GOAL_SECONDS = 0.050
#: A refresh with nothing changed should do under this much work on the 1M-record warehouse.
UNCHANGED_GOAL_SECONDS = 2.0


def query_timings(warehouse: Path, folder: Path | None = None, repeats: int = 5) -> dict[str, float]:
    """Median seconds of each researcher query of ``docs/queries`` on a read-only warehouse (after one
    warm-up run, as a researcher's session would be warm)."""
    import duckdb

    folder = folder or settings.PROJECT_ROOT / "docs" / "queries"
    con = duckdb.connect(str(warehouse), read_only=True)
    out = {}
    try:
        for q in sorted(folder.glob("*.sql")):
            sql = q.read_text()
            con.execute(sql).fetchall()
            times = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                con.execute(sql).fetchall()
                times.append(time.perf_counter() - t0)
            out[q.stem] = sorted(times)[len(times) // 2]
    finally:
        con.close()
    return out


def unchanged_refresh(cmd: list[str], env: dict) -> dict:
    """The same refresh again with nothing changed: wall seconds of the process, and the flow's own work."""
    wall, _, out = run_measured(cmd, env)
    summary = json.loads(out[out.index("{"):])
    return {"wall_seconds": wall, "flow_seconds": summary.get("flow_seconds"),
            "tables_kept": summary.get("tables_kept"), "reports_kept": summary.get("reports_kept")}


def scaling_note(workdir: Path, records: int, refresh_s: float) -> str | None:
    """Time per record against the 1M-record run stored by an earlier bench in ``workdir``."""
    base = workdir / "figures-1000000.json"
    if records == 1_000_000 or not base.exists():
        return None
    ref = json.loads(base.read_text())
    ratio = refresh_s / ref["refresh_without_prefect_startup_seconds"]
    return (f"{records:,} / 1,000,000 records: time ratio {ratio:.2f} for a size ratio {records / 1_000_000:g} "
            f"(linear: {records / 1_000_000:g})")


#: Run in a fresh process by ``curated_ingest``: one curated file read, validated and loaded into an
#: empty warehouse file exactly as the refresh's ingest task does it (batch by batch), nothing else.
INGEST = """
import json, resource, sys, time
from datetime import datetime, timezone
from pathlib import Path
t0 = time.perf_counter()
import duckdb
from flows import curated, warehouse
from flows.config import load_assumptions
path, db = Path(sys.argv[1]), sys.argv[2]
con = duckdb.connect(db)
warehouse.ensure_tables(con)
t1 = time.perf_counter()
f = curated.input_file(path, curated.kind_by_name(path))
loaded = warehouse.load_curated_file(con, curated.read_parts(f, load_assumptions()), "bench", datetime.now(timezone.utc))
con.close()
t2 = time.perf_counter()
print(json.dumps({"seconds": t2 - t1, "imports_seconds": t1 - t0, "rows_read": loaded.rows_read,
                  "rows_valid": loaded.rows_valid, "rows_quarantined": loaded.rows_quarantined,
                  "rejection": loaded.rejection}))
"""


def curated_ingest(csv_path: Path, env: dict) -> dict:
    """The curated ingest alone (hash, read, type, check, scrub, quarantine, load) of one file, in a fresh
    process: seconds (imports apart), rows per second and the process's peak memory."""
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        cmd = [sys.executable, "-c", INGEST, str(csv_path), str(Path(tmp) / "ingest.duckdb")]
        _, peak, out = run_measured(cmd, env)
    figures = json.loads(out.strip().splitlines()[-1])
    if figures["rejection"]:
        raise RuntimeError(f"the bench's curated file was rejected: {figures['rejection']}")
    figures["rows_per_second"] = round(figures["rows_read"] / max(figures["seconds"], 1e-9))
    figures["peak_memory_mib"] = round(peak / 2**20)
    return figures


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


@contextmanager
def running_server(home: Path, timeout: float = 120.0) -> Iterator[str]:
    """``prefect server start`` (as ``make server``, UI off) on a free port; yields its API URL.

    The server runs in its own process group (and dies with the bench, even killed: Linux
    parent-death signal); on exit the whole group gets SIGTERM, then SIGKILL after 15 s, and
    ``RuntimeError`` is raised if any process of the group is still alive after that.
    """
    port = prefect_server._free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    home.mkdir(parents=True, exist_ok=True)
    env = _child_env({"PREFECT_HOME": str(home), "PREFECT_SERVER_UI_ENABLED": "false"})
    env.pop("PREFECT_API_URL", None)
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "prefect"), "server", "start", "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdin=subprocess.DEVNULL, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True,
                            preexec_fn=prefect_server._die_with(os.getpid()))
    try:
        started = time.monotonic()
        while (problem := prefect_server.server_answers(api_url, timeout=2.0)) is not None:
            if proc.poll() is not None or time.monotonic() - started > timeout:
                log.seek(0)
                tail = log.read().decode("utf-8", "replace").strip().splitlines()[-3:]
                raise RuntimeError(f"the bench's Prefect server on port {port} did not start ({problem}): "
                                   + " | ".join(tail))
            time.sleep(0.2)
        yield api_url
    finally:
        _stop_group(proc)
        log.close()


def _stop_group(proc: subprocess.Popen, timeout: float = 15.0) -> None:
    """SIGTERM the process group of ``proc`` (a session leader), SIGKILL what is left; check none is."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            continue
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _group_alive(proc.pid):
            time.sleep(0.1)
        if not _group_alive(proc.pid):
            break
    proc.wait()
    if _group_alive(proc.pid):
        raise RuntimeError(f"processes of the bench's Prefect server (process group {proc.pid}) survived SIGKILL")


def _group_alive(pgid: int) -> bool:
    """Whether a process of group ``pgid`` still runs (zombies, dead and waiting to be reaped, do not count)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if not Path("/proc").is_dir():
        return True
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, _ppid, pgrp = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, IndexError, ValueError):
            continue  # the process ended while being read
        if int(pgrp) == pgid and state != "Z":
            return True
    return False


TRIVIAL_FLOW_PARTS = """
import json, time
t0 = time.perf_counter()
from prefect import flow
t1 = time.perf_counter()
body = []
@flow
def noop():
    body.append(time.perf_counter())
noop()
t2 = time.perf_counter()
print(json.dumps({"total": t2 - t0, "import": t1 - t0, "flow_run_start": body[0] - t1, "flow_run_end": t2 - body[0]}))
"""


def trivial_flow(env: dict) -> dict:
    """Fresh process, import Prefect and run a flow that does nothing: seconds to its return, in parts."""
    _, _, out = run_measured([sys.executable, "-c", TRIVIAL_FLOW_PARTS], env)
    return json.loads(out.strip().splitlines()[-1])


def orchestration_probe(curated: Path, env: dict) -> dict:
    """``outcomes refresh --offline`` of ``curated`` in a fresh process (``PROBE``): where its time goes.

    Prefect's parts: import, temporary server start and stop (none with PREFECT_API_URL), flow-run
    start (from the flow call to its body), per-task orchestration (``Task.__call__`` minus the task
    function), flow-run end (body returned to call returned). Ours: interpreter start and CLI
    imports, project imports, the tasks' work, the flow body's code outside tasks. Process exit
    (interpreter shutdown, Prefect's and our modules) is shown apart, attributed to neither.
    """
    with tempfile.TemporaryDirectory(prefix="bench-wh-") as wh:
        cmd = [sys.executable, "-c", PROBE, "refresh", "--offline", "--quiet", "--json", "--curated", str(curated),
               "--warehouse", str(Path(wh) / "outcomes.duckdb")]
        t0 = time.monotonic()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        wall = time.monotonic() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"the probed refresh failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    probe = json.loads(proc.stderr.strip().splitlines()[-1])
    at = {k: v - t0 for k, v in probe["stamps"].items()}
    sums = probe["sums"]
    if sums["prefect_imported_before_api"]:
        raise RuntimeError("Prefect was imported before the refresh set PREFECT_API_URL: it would start a second "
                           "temporary server of its own")
    server_start = at["server_ready"] - at["server_start"] if "server_start" in at else 0.0
    prefect = {
        "prefect_import": at["prefect_imported"] - at["api_ready"],
        "temporary_server_start": server_start,
        "flow_run_start": at["flow_body_start"] - at["flow_call"],
        "task_orchestration": sums["task_calls_seconds"] - sums["task_fn_seconds"],
        "flow_run_end": at["flow_return"] - at["flow_body_end"],
        "temporary_server_stop": at["command_end"] - at["api_closing"],
    }
    ours = {
        "interpreter_and_cli": at["api_ready"] - server_start,
        "project_import": at["project_imported"] - at["prefect_imported"],
        "tasks_work": sums["task_fn_seconds"],
        "flow_body_outside_tasks": at["flow_body_end"] - at["flow_body_start"] - sums["task_calls_seconds"],
    }
    exit_s = wall - at["command_end"]
    return {
        "wall": wall,
        "task_runs": sums["task_runs"],
        "prefect": prefect,
        "ours": ours,
        "process_exit": exit_s,
        "orchestration": sum(prefect.values()),
        "refresh_minus_tasks_work": wall - ours["tasks_work"],
        "unaccounted": wall - sum(prefect.values()) - sum(ours.values()) - exit_s,
    }


def orchestration(workdir: Path, records: int, programs: int) -> dict:
    """The small refresh probed with its temporary server, then against a running server; trivial flows too."""
    from devtools import synthetic

    curated = workdir / f"small-{records}" / "curated"
    if not (curated / "synthetic_programs.csv").exists():
        synthetic.generate(curated, n_records=records, n_programs=programs, formats=("csv",))
    figures: dict = {"small_refresh_records": records}
    with tempfile.TemporaryDirectory(prefix="bench-orchestration-") as tmp:
        tmp = Path(tmp)

        def env(name: str, api_url: str | None = None) -> dict:
            extra = {"PREFECT_HOME": str(tmp / name / "prefect"), "OUTCOMES_RAW_DIR": str(tmp / name / "raw"),
                     "OUTCOMES_REPORTS_DIR": str(tmp / name / "reports")}
            for folder in extra.values():
                Path(folder).mkdir(parents=True, exist_ok=True)
            e = _child_env(extra)
            e.pop("PREFECT_API_URL", None)
            if api_url:
                e["PREFECT_API_URL"] = api_url
            return e

        figures["temporary_server"] = orchestration_probe(curated, env("temporary"))
        with running_server(tmp / "server") as api_url:
            orchestration_probe(curated, env("warm-up", api_url))  # the server's first flow run (its caches)
            figures["running_server"] = orchestration_probe(curated, env("running", api_url))
            figures["trivial_flow_running_server"] = trivial_flow(env("trivial", api_url))
        figures["running_server_stopped_cleanly"] = True  # running_server raises otherwise
    return figures


def print_orchestration(figures: dict) -> None:
    n = figures["small_refresh_records"]
    for key, label in (("temporary_server", "with its temporary server"), ("running_server", "against a running server")):
        f = figures[key]
        goal = f"(goal: < {ORCHESTRATION_GOAL_SECONDS:.0f} s)" if key == "running_server" else \
            "(no goal: `make server` removes the server start)"
        print(f"Prefect orchestration, refresh of {n:,} records {label}: {f['orchestration']:5.1f} s  {goal}")
        p, o = f["prefect"], f["ours"]
        print(f"  Prefect: import {p['prefect_import']:.1f}, server start {p['temporary_server_start']:.1f}, "
              f"flow-run start {p['flow_run_start']:.1f}, {f['task_runs']} task runs {p['task_orchestration']:.1f}, "
              f"flow-run end {p['flow_run_end']:.1f}, server stop {p['temporary_server_stop']:.1f} s")
        print(f"  ours:    interpreter + CLI {o['interpreter_and_cli']:.1f}, project imports {o['project_import']:.1f}, "
              f"tasks' work {o['tasks_work']:.1f}, flow body outside tasks {o['flow_body_outside_tasks']:.1f} s")
        print(f"  wall {f['wall']:.1f} s = refresh minus tasks' work {f['refresh_minus_tasks_work']:.1f} s + tasks' "
              f"work; process exit {f['process_exit']:.1f} s (interpreter shutdown, not attributed)")
    t = figures["trivial_flow_running_server"]
    print(f"trivial flow against a running server {t['total']:8.1f} s  (fresh process, import to return: import "
          f"{t['import']:.1f}, flow-run start {t['flow_run_start']:.1f}, flow-run end {t['flow_run_end']:.1f} s)")
    print("the bench's Prefect server stopped cleanly (no process left in its group)")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--programs", type=int, default=500)
    parser.add_argument("--workdir", type=Path, default=settings.PROJECT_ROOT / ".bench")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--report-programs", type=int, default=5000, help="program pages for the reports timing (0: skip)")
    parser.add_argument("--small-records", type=int, default=2_000,
                        help="records of the small refresh whose Prefect orchestration is measured")
    parser.add_argument("--orchestration-only", action="store_true",
                        help="measure only Prefect's orchestration of the small refresh")
    args = parser.parse_args(argv)

    if args.orchestration_only:
        figures = _rounded(orchestration(args.workdir, args.small_records, programs=50))
        if args.json:
            print(json.dumps(figures, indent=2))
        else:
            print_orchestration(figures)
        return figures

    from devtools import synthetic

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
    ingest = curated_ingest(records_csv, env)  # first: run_measured's peak is the max over reaped children
    prefect_s, _, out = run_measured([sys.executable, "-c", TRIVIAL_FLOW], env)
    prefect_startup = float(out.strip().splitlines()[-1])

    with tempfile.TemporaryDirectory(prefix="bench-wh-") as wh:
        cmd = [sys.executable, "-m", "flows.cli", "refresh", "--offline", "--quiet", "--curated", str(curated), "--json",
               "--warehouse", str(Path(wh) / "outcomes.duckdb")]
        refresh_s, peak_rss, out = run_measured(cmd, env)
        summary = json.loads(out[out.index("{"):])
        audit = disclosure_audit_row(Path(wh) / "outcomes.duckdb")
        unchanged = unchanged_refresh(cmd, env)
        queries = query_timings(Path(wh) / "outcomes.duckdb")

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
        "curated_ingest_seconds": round(ingest["seconds"], 2),
        "curated_ingest_rows_per_second": ingest["rows_per_second"],
        "curated_ingest_peak_memory_mib": ingest["peak_memory_mib"],
        "rows_loaded": summary["rows_loaded"],
        "rows_quarantined": summary["rows_quarantined"],
        "disclosure_audit_passed": audit.get("audit_passed"),
        "disclosure_audit_scope": audit.get("audit_scope"),
        "disclosure_cells_checked": audit.get("cells_checked"),
        "disclosure_withheld_counts": audit.get("withheld_counts_checked"),
        "disclosure_min_protection_width": audit.get("min_protection_width"),
        "disclosure_audit_seconds": audit.get("audit_seconds"),
        "unchanged_refresh_wall_seconds": round(unchanged["wall_seconds"], 2),
        "unchanged_refresh_flow_seconds": unchanged["flow_seconds"],
        "unchanged_refresh_kept_tables": unchanged["tables_kept"],
        "query_seconds": {k: round(v, 4) for k, v in queries.items()},
        "query_seconds_max": round(max(queries.values()), 4) if queries else None,
    }
    scaling = scaling_note(args.workdir, rows, work_s)
    (args.workdir / f"figures-{args.records}.json").write_text(json.dumps(figures, indent=2, default=str))
    if args.report_programs:
        from flows.reports.bench import bench_reports

        reports = bench_reports(n_programs=args.report_programs)
        figures["report_programs"] = reports["programs"]
        figures["report_seconds"] = reports["seconds"]
    figures["orchestration"] = _rounded(orchestration(args.workdir, args.small_records, programs=50))
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"full refresh of {rows:,} rows       {refresh_s:8.1f} s  ({figures['refresh_rows_per_second']:,} rows/s, "
              f"peak memory {figures['refresh_peak_memory_mib']:,} MiB)")
        print(f"  of which Prefect start-up       {prefect_startup:8.1f} s  (trivial flow in a fresh process)")
        print(f"curated ingest alone (records file) {ingest['seconds']:7.1f} s  ({ingest['rows_per_second']:,} rows/s, "
              f"peak memory {ingest['peak_memory_mib']:,} MiB; read, check, quarantine and load, batch by batch)")
        print(f"DuckDB bare load of the CSV        {bare_s:8.1f} s")
        print(f"plain pandas + Pandera script      {pandas_s:8.1f} s")
        print(f"ratio refresh (w/o Prefect start) / DuckDB load     {figures['ratio_refresh_to_duckdb_load']:6.1f}x  (goal: <= 3x)")
        print(f"ratio refresh (w/o Prefect start) / pandas+Pandera  {figures['ratio_refresh_to_pandas_pandera']:6.2f}x  (goal: <= 1x)")
        flow_s = unchanged["flow_seconds"]
        print(f"refresh with nothing changed: flow work {flow_s if flow_s is not None else float('nan'):5.2f} s "
              f"(goal: < {UNCHANGED_GOAL_SECONDS:g} s; tables kept: {unchanged['tables_kept']}, reports kept: "
              f"{unchanged['reports_kept']}), process wall {unchanged['wall_seconds']:.1f} s with Prefect start-up and imports")
        if queries:
            slowest = max(queries, key=queries.get)
            print(f"researcher queries (docs/queries, {len(queries)}): slowest {queries[slowest] * 1000:.1f} ms "
                  f"({slowest}), median {sorted(queries.values())[len(queries) // 2] * 1000:.1f} ms "
                  f"(goal: each < {QUERY_GOAL_SECONDS * 1000:.0f} ms)")
        if scaling:
            print(scaling)
        print(f"disclosure audit ({audit.get('audit_scope')}): {'pass' if audit.get('audit_passed') else 'FAIL'}, "
              f"{audit.get('cells_checked')} cells, {audit.get('withheld_counts_checked')} withheld counts, minimum "
              f"protection width {audit.get('min_protection_width')} (required {audit.get('protection_width')}), "
              f"{audit.get('audit_seconds')} s")
        print_orchestration(figures["orchestration"])
    return figures


def _rounded(value):
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


if __name__ == "__main__":
    main()
