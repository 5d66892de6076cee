"""Headless chromium opens the index and a program page from file:// with networking disabled."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]


@pytest.fixture(scope="module")
def chromium():
    """Debian's chromium, installed by `make browser` (never by a test)."""
    exe = shutil.which("chromium")
    if exe is None:
        pytest.skip("chromium is not installed: run `make browser` (Debian's chromium package)")
    return exe


def run(exe, tmp_path, *args):
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    proc = subprocess.run([exe, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_index_and_program_page_render_key_figures(report_env, chromium, tmp_path):
    out = report_env["out"]
    index_dom = run(chromium, tmp_path, "--virtual-time-budget=3000", "--dump-dom", (out / "index.html").as_uri())
    assert "Graduate outcomes by program" in index_dom
    assert "programs shown" in index_dom  # the inline script ran (filters revealed, count written)
    assert 'aria-sort="none"' in index_dom  # sort buttons added
    pid = "mscs-ml-front-range"
    doc = json.loads((out / f"{pid}.json").read_text())
    page = out / "programs" / f"{pid}.html"
    dom = run(chromium, tmp_path, "--dump-dom", page.as_uri())
    from flows.reports.build import fmt
    assert fmt(doc["salary"]["median_base_salary_usd"], "usd") in dom
    assert fmt(doc["placement"]["employed_in_field_180d_rate"], "pct") in dom
    assert doc["warehouse_snapshot_id"] in dom and "SYNTHETIC DATA" in dom
    shot = tmp_path / "program.png"
    run(chromium, tmp_path, "--hide-scrollbars", f"--screenshot={shot}", "--window-size=390,844", page.as_uri())
    assert shot.exists() and shot.stat().st_size > 5000
    shot_index = tmp_path / "index.png"
    run(chromium, tmp_path, "--hide-scrollbars", f"--screenshot={shot_index}", "--window-size=390,844", (out / "index.html").as_uri())
    assert shot_index.stat().st_size > 5000
