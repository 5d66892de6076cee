"""Readers query in a loop while two refreshes run: no reader error, no mixed snapshot, no failed refresh."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import refresh_ok
from tests.e2e.ops_support import ROOT, cli, subprocess_env, write_dataset

# A reader process: a new read-only connection per query (to see new snapshots), one query
# reading the snapshot id and a count together; or, with "hold", one connection kept open. After each
# query it writes the snapshot id it saw to its progress file (<stop>.<pid>), so the test waits for
# events (every reader has read; a reader has seen a new snapshot) rather than for fixed times.
READER = r"""
import json, sys, time, duckdb
path, stop, seconds, mode = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
import os
deadline = time.monotonic() + seconds
seen, errors, queries = {}, [], 0
SQL = ("SELECT s.warehouse_snapshot_id, (SELECT count(*) FROM core_programs__programs), "
       "(SELECT count(*) FROM core_outcomes__graduate_outcomes) FROM core_warehouse__snapshot s")
held = duckdb.connect(path, read_only=True) if mode == "hold" else None
while time.monotonic() < deadline and not os.path.exists(stop):
    try:
        con = held or duckdb.connect(path, read_only=True)
        try:
            rows = con.execute(SQL).fetchall()
        finally:
            if held is None:
                con.close()
        assert len(rows) == 1, rows
        key = f"{rows[0][0]}|{rows[0][1]}|{rows[0][2]}"
        seen[key] = seen.get(key, 0) + 1
        queries += 1
        with open(f"{stop}.{os.getpid()}.tmp", "w") as fh:
            fh.write(str(rows[0][0]))
        os.replace(f"{stop}.{os.getpid()}.tmp", f"{stop}.{os.getpid()}")
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    time.sleep(0.03)
if held is not None:
    held.close()
print(json.dumps({"seen": seen, "errors": errors[:20], "queries": queries}))
"""
#: Bounds that only stop a hung test; every wait ends as soon as its event happens (a loaded machine is slow).
PATIENCE = 900.0


def last_seen(stop, reader: subprocess.Popen) -> str | None:
    """The snapshot id the reader saw last, or None before its first query."""
    try:
        return Path(f"{stop}.{reader.pid}").read_text()
    except FileNotFoundError:
        return None


def wait_until(condition, readers, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        for r in readers:
            assert r.poll() is None, f"a reader ended early: {r.communicate()[1][-3000:]}"
        assert time.monotonic() < deadline, f"waited {PATIENCE:.0f} s for {what}"
        time.sleep(0.1)


@pytest.mark.slow
def test_readers_never_fail_and_never_see_a_mix(tmp_path, prefect_api):
    a = write_dataset(tmp_path / "a", records_per_program=20, seed=1)
    b = write_dataset(tmp_path / "b", records_per_program=25, seed=2, extra_programs=3)
    c = write_dataset(tmp_path / "c", records_per_program=10, seed=3, extra_programs=6)
    warehouse = tmp_path / "wh" / "outcomes.duckdb"
    first = refresh_ok(tmp_path, prefect_api, a, warehouse)
    stop = tmp_path / "stop-readers"

    # Readers stop when both refreshes have ended (the stop file); the time given only bounds a hung test.
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(warehouse), str(stop), str(3 * PATIENCE), mode],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for mode in ("reconnect", "reconnect", "reconnect", "hold")]
    refreshes = []
    try:
        wait_until(lambda: all(last_seen(stop, r) for r in readers), readers, "every reader's first query")
        env = subprocess_env(tmp_path, warehouse, PREFECT_API_URL=prefect_api)
        refreshes = [subprocess.Popen(cli("refresh", "--curated", str(folder), "--json", "--wait", str(PATIENCE)), cwd=ROOT,
                                      env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for folder in (b, c)]
        results = [p.communicate(timeout=2 * PATIENCE) for p in refreshes]
        if all(p.returncode == 0 for p in refreshes):  # the readers that reconnect go on until one has seen a new snapshot
            wait_until(lambda: any(last_seen(stop, r) not in (None, first["warehouse_snapshot_id"]) for r in readers[:3]),
                       readers, "a reader to see a new snapshot")
    finally:
        stop.touch()
        for p in refreshes:
            if p.poll() is None:
                p.kill()
                p.wait(10)
    outputs = []
    for p in readers:
        out, err = p.communicate(timeout=PATIENCE)
        assert p.returncode == 0, err[-3000:]
        outputs.append(json.loads(out))

    for p, (out, err) in zip(refreshes, results):
        assert p.returncode == 0, f"a refresh failed while readers were reading: {err[-3000:]}"
    summaries = [json.loads(out) for out, _ in results]
    known = {f"{s['warehouse_snapshot_id']}|{s['programs_count']}" for s in [first, *summaries]}
    assert len(known) == 3

    for out in outputs:
        assert out["errors"] == [], out["errors"]
        assert out["queries"] > 20
        for key in out["seen"]:
            snapshot, programs, _ = key.split("|")
            assert f"{snapshot}|{programs}" in known, f"a reader saw a mix: {key} not in {known}"
        counts_by_snapshot = {}
        for key in out["seen"]:
            snapshot, _, outcomes = key.split("|")
            counts_by_snapshot.setdefault(snapshot, set()).add(outcomes)
        assert all(len(v) == 1 for v in counts_by_snapshot.values()), out["seen"]

    # Readers that reconnect moved on to the last published snapshot.
    con_snapshots = {k.split("|")[0] for out in outputs[:3] for k in out["seen"]}
    assert first["warehouse_snapshot_id"] in con_snapshots
    assert con_snapshots & {s["warehouse_snapshot_id"] for s in summaries}
    # The reader that held one connection open kept its snapshot the whole time, without an error.
    held = outputs[3]["seen"]
    assert {k.split("|")[0] for k in held} == {first["warehouse_snapshot_id"]}
