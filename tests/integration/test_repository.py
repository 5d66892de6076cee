"""The repository's own text: no unresolved merge, nothing pointing outside the repository."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEXT = (".py", ".md", ".j2", ".js", ".css", ".toml", ".sql", ".txt", ".json", ".yaml", ".yml", ".cfg", ".csv")
MARKER = re.compile(r"^(<{7} |={7}$|>{7} )", re.M)


def tracked_text_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    names = [n for n in out.split("\0") if n] + ["Makefile"]
    return [ROOT / n for n in sorted(set(names)) if (n.endswith(TEXT) or n == "Makefile") and (ROOT / n).is_file()]


def test_no_merge_conflict_markers():
    hits = []
    for path in tracked_text_files():
        if path.suffix == ".csv" and path.stat().st_size > 2_000_000:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        hits += [f"{path.relative_to(ROOT)}:{text[:m.start()].count(chr(10)) + 1}" for m in MARKER.finditer(text)]
    assert not hits, f"unresolved merge conflict markers: {hits[:10]}"


def test_nothing_points_outside_the_repository():
    hits = []
    for path in tracked_text_files():
        if path.suffix == ".csv" or path == Path(__file__).resolve():
            continue
        for i, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if "../shared" in line or "/work/shared" in line:
                hits.append(f"{path.relative_to(ROOT)}:{i}")
    assert not hits, f"references to a folder outside the repository: {hits[:10]}"


def test_stylesheets_have_balanced_braces():
    """A lost brace silently drops every later rule of a stylesheet (browsers do not report it)."""
    for path in tracked_text_files():
        if path.suffix == ".css":
            text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
            depth = 0
            for i, line in enumerate(text.splitlines(), 1):
                depth += line.count("{") - line.count("}")
                assert depth >= 0, f"{path.relative_to(ROOT)}:{i}: '}}' without its '{{'"
            assert depth == 0, f"{path.relative_to(ROOT)}: {depth} block(s) never closed"
