"""The browser-test harness: Debian's chromium driven by Playwright, offline, at a laptop's and a phone's size.

Tools come from `make browser` (chromium from Debian, axe-core from npm at the version of
tests/browser/package-lock.json); a test never installs anything and is skipped with the reason when
a tool is missing. Pages open from file:// in a context that refuses every request that is not a
file: a report that reaches for the network fails its test (``Opened.blocked``).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
#: The two reading situations every report is checked in: a laptop and a phone (CSS pixels).
LAPTOP = (1366, 768)
PHONE = (390, 844)
SIZES = {"laptop": LAPTOP, "phone": PHONE}
#: axe-core impact levels a report must not have.
BLOCKING = ("serious", "critical")
#: Playwright's limit for a launch, a page load or a wait, in ms (its 30 s default is missed on a loaded machine;
#: every wait still ends as soon as its condition holds).
PATIENCE_MS = 180_000


def launch():
    """A started Playwright and its chromium browser, or pytest.skip with the reason."""
    exe = shutil.which("chromium")
    if exe is None:
        pytest.skip("chromium is not installed: run `make browser` (Debian's chromium package)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed: run `make install`")
    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu", "--disable-quic",
                                                            "--disable-background-networking", "--disable-component-update"],
                                 timeout=PATIENCE_MS)
    return pw, browser


@dataclass
class Opened:
    """An open page and the requests it tried outside file:// (each one blocked)."""

    page: object
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def overflow(self) -> int:
        """Pixels the page is wider than the window (horizontal page scroll); 0 when it fits."""
        return self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")

    def in_first_screen(self, selector: str) -> bool:
        """True when every element matching ``selector`` is visible and lies wholly inside the first viewport."""
        return self.page.evaluate(
            """(sel) => { const els = [...document.querySelectorAll(sel)];
                 return els.length > 0 && els.every(e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
                   return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0 &&
                          r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth; }); }""",
            selector)

    def axe(self, impacts=BLOCKING) -> list[dict]:
        """axe-core's violations of the given impact levels (id, impact, help, the first nodes' targets)."""
        if not AXE.exists():
            pytest.skip("axe-core is not installed: run `make browser` (npm ci in tests/browser)")
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                 "nodes": [n["target"] for n in v["nodes"][:5]]}
                for v in result["violations"] if v["impact"] in impacts]

    def screenshot(self, path: Path, full_page: bool = False) -> Path:
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


def open_page(browser, url: str, size: tuple[int, int] = LAPTOP, *, downloads: bool = False) -> Opened:
    """Open ``url`` (a file:// URI) in a fresh context of the given viewport, offline."""
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]}, accept_downloads=downloads,
                              device_scale_factor=1, is_mobile=size[0] < 600, has_touch=size[0] < 600)
    ctx.set_default_timeout(PATIENCE_MS)
    page = ctx.new_page()
    opened = Opened(page)

    def route(r):
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            opened.blocked.append(r.request.url)
            r.abort()
    page.route("**/*", route)
    page.on("pageerror", lambda exc: opened.errors.append(str(exc)))
    page.goto(url)
    page.wait_for_load_state("load")
    return opened
