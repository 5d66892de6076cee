"""Headless chromium opens the index and a program page from file:// with networking disabled."""

from __future__ import annotations

import json
from urllib.parse import quote
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
    proc = subprocess.run([exe, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=600)
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


def _table_rows(dom: str) -> list[str]:
    import re

    body = re.search(r'<table id="programs-table">.*?<tbody>(.*?)</tbody>', dom, re.S).group(1)
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def test_index_lists_real_programs_by_default_and_finds_a_program_by_name(fixture_site, chromium, tmp_path):
    import re

    out = fixture_site["out"]
    data = (out / "assets" / "programs-data.js").read_text(encoding="utf-8")
    doc = json.loads(data[data.index("= ") + 2:].rstrip().rstrip(";"))
    col = {c: i for i, c in enumerate(doc["columns"])}
    real = [r for r in doc["rows"] if not r[col["synthetic"]]]
    synthetic = [r for r in doc["rows"] if r[col["synthetic"]]]
    assert real and synthetic
    dom = run(chromium, tmp_path, "--virtual-time-budget=5000", "--dump-dom", (out / "index.html").as_uri())
    rows = _table_rows(dom)
    assert rows and all('class="badge real"' in r for r in rows), rows[:2]  # the default view: real programs only
    assert f"{len(real):,} real programs match" in dom
    assert re.search(r'id="synthetic-banner"[^>]*hidden', dom)
    assert "Sorted by program name, A to Z" in dom
    # a name search (the view kept in the address) finds a real program that is not on the first screen
    target = real[-1]
    query = doc["strings"][target[col["institution"]]]
    dom = run(chromium, tmp_path, "--virtual-time-budget=5000", "--dump-dom",
              (out / "index.html").as_uri() + "#q=" + quote(query) + "&sort=earnings_5y&dir=desc")
    rows = _table_rows(dom)
    assert any(f'href="programs/{target[col["id"]]}.html"' in r for r in rows)
    assert all(query.lower() in re.sub(r"<[^>]+>", "", r).lower() for r in rows)
    assert "Sorted by median earnings 5 years after graduation, highest first" in dom
    # the synthetic set is shown on its own, under its warning
    dom = run(chromium, tmp_path, "--virtual-time-budget=5000", "--dump-dom", (out / "index.html").as_uri() + "#origin=synthetic")
    rows = _table_rows(dom)
    assert rows and all('class="badge synthetic"' in r for r in rows)
    assert f"{len(synthetic):,} synthetic demonstration programs match" in dom
    assert not re.search(r'id="synthetic-banner"[^>]*hidden', dom)


def test_public_program_page_and_overview_render_offline(fixture_site, chromium, tmp_path):
    from tests.report_fixtures import REAL_ID

    out = fixture_site["out"]
    page = out / "programs" / f"{REAL_ID}.html"
    shot = tmp_path / "public.png"
    run(chromium, tmp_path, "--hide-scrollbars", f"--screenshot={shot}", "--window-size=390,844", page.as_uri())
    assert shot.stat().st_size > 5000
    dom = run(chromium, tmp_path, "--dump-dom", page.as_uri())
    assert "Years after graduation" in dom and "$121,000" in dom and "Real program" in dom
    dom = run(chromium, tmp_path, "--dump-dom", (out / "overview.html").as_uri())
    assert "Is a master's in machine learning / computer science / data science worth it?" in dom.replace("&#39;", "'")
