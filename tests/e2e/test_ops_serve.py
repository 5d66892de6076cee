"""Scheduling: `outcomes serve` registers a cron deployment on a real local server; a triggered run publishes."""

from __future__ import annotations

import asyncio
import subprocess
import time

import duckdb
import pytest

import httpx

from tests.e2e.conftest import start_prefect_server, stop_process
from tests.e2e.ops_support import ROOT, cli, subprocess_env, write_dataset


def test_serve_refuses_without_server(tmp_path):
    env = subprocess_env(tmp_path)
    done = subprocess.run(cli("serve"), cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 2
    assert "PREFECT_API_URL is not set" in done.stderr


def test_serve_rejects_bad_cron_and_timezone(tmp_path):
    env = subprocess_env(tmp_path, PREFECT_API_URL="http://127.0.0.1:9/api")
    done = subprocess.run(cli("serve", "--cron", "61 6 * * 1"), cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 2 and "invalid cron" in done.stderr
    done = subprocess.run(cli("serve", "--timezone", "Mars/Olympus"), cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 2 and "unknown timezone" in done.stderr


@pytest.mark.slow
def test_serve_registers_schedule_and_triggered_run_publishes(tmp_path, prefect_api, monkeypatch):
    curated = write_dataset(tmp_path / "curated", records_per_program=10)
    warehouse = tmp_path / "wh" / "outcomes.duckdb"
    env = subprocess_env(tmp_path, warehouse, PREFECT_API_URL=prefect_api)
    log = open(tmp_path / "serve.log", "w")
    proc = subprocess.Popen(cli("serve", "--cron", "30 5 * * 1", "--timezone", "Europe/Paris", "--name", "ops-test",
                                "--curated", str(curated), "--warehouse", str(warehouse)),
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    monkeypatch.setenv("PREFECT_API_URL", prefect_api)
    from prefect.settings import PREFECT_API_URL, temporary_settings

    # Talk to this test's server even if another fixture (the session harness) set a different API.
    settings_ctx = temporary_settings(updates={PREFECT_API_URL: prefect_api})
    settings_ctx.__enter__()
    try:
        from prefect.client.orchestration import get_client
        from prefect.deployments import run_deployment

        async def wait_for_deployment():
            async with get_client() as client:
                deadline = time.monotonic() + 900
                while True:
                    try:
                        return await client.read_deployment_by_name("refresh/ops-test")
                    except Exception:
                        if time.monotonic() > deadline or proc.poll() is not None:
                            raise AssertionError((tmp_path / "serve.log").read_text()[-3000:])
                        await asyncio.sleep(0.5)

        deployment = asyncio.run(wait_for_deployment())
        [schedule] = deployment.schedules
        assert schedule.schedule.cron == "30 5 * * 1"
        assert schedule.schedule.timezone == "Europe/Paris"
        assert schedule.active
        assert deployment.parameters["warehouse_path"] == str(warehouse.resolve())
        assert deployment.parameters["curated_folder"] == str(curated.resolve())
        assert deployment.parameters["offline"] is True, "scheduled runs are offline unless --online"

        run = run_deployment("refresh/ops-test", timeout=900, poll_interval=1)
        assert run.state.is_completed(), (run.state, (tmp_path / "serve.log").read_text()[-3000:])
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            snap = con.execute("SELECT run_id, inputs_count FROM core_warehouse__snapshot").fetchall()
            programs = con.execute("SELECT count(*) FROM core_programs__programs").fetchall()[0][0]
        finally:
            con.close()
        assert snap[0][1] == 3 and programs == 8
    finally:
        settings_ctx.__exit__(None, None, None)
        stop_process(proc)
        log.close()


def test_serve_refuses_a_server_that_does_not_answer(tmp_path):
    env = subprocess_env(tmp_path, PREFECT_API_URL="http://127.0.0.1:9/api")  # nothing listens on port 9
    done = subprocess.run(cli("serve"), cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 2
    assert done.stderr.startswith("error: no Prefect server answers at http://127.0.0.1:9/api (")
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


@pytest.mark.slow
def test_serve_stops_on_sigterm_after_its_server_died(tmp_path):
    server, api = start_prefect_server(tmp_path / "server-home")
    curated = write_dataset(tmp_path / "curated", records_per_program=5)
    env = subprocess_env(tmp_path, tmp_path / "wh" / "outcomes.duckdb", PREFECT_API_URL=api)
    log = open(tmp_path / "serve.log", "w")
    proc = subprocess.Popen(cli("serve", "--name", "ops-term", "--curated", str(curated)), cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 900
        while httpx.get(f"{api}/deployments/name/refresh/ops-term", timeout=60).status_code != 200:
            assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()[-3000:]
            time.sleep(0.5)
        time.sleep(2)  # the runner is polling
        stop_process(server)  # the server dies first
        time.sleep(2)
        proc.send_signal(15)
        started = time.monotonic()
        proc.wait(600)
        assert time.monotonic() - started < 120  # prompt, not hanging on the dead server (bound generous under load)
    finally:
        stop_process(proc)
        stop_process(server)
        log.close()


def test_prefect_yaml_deployment_matches_the_flow():
    import inspect

    import yaml

    from flows.refresh import refresh
    from flows.scheduling import validate_cron

    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    [dep] = spec["deployments"]
    path, name = dep["entrypoint"].split(":")
    assert (ROOT / path).is_file() and name == "refresh" and refresh.name == "refresh"
    assert set(dep["parameters"]) <= set(inspect.signature(refresh.fn).parameters)
    assert dep["parameters"]["offline"] is True, "the README promises an offline schedule"
    for schedule in dep["schedules"]:
        validate_cron(schedule["cron"])
        assert schedule["timezone"]
