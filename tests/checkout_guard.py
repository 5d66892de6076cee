"""Proof that a test session leaves the checkout's data/ and reports/ as it found them.

A snapshot lists every file (size, modification time in ns, SHA-256) and every folder
(modification time in ns) under the watched folders, and records absent folders as absent.
Folder times catch a file written and deleted again (creating or removing an entry changes its
folder's time); file times and hashes catch a file rewritten, even with the same content.
"""

from __future__ import annotations

import os
from pathlib import Path

from flows.sources.lineage import sha256_file as _sha256

WATCHED = ("data", "reports")


def snapshot(root: Path, watched: tuple[str, ...] = WATCHED) -> dict[str, tuple]:
    """``{relative path: (kind, ...)}`` for every entry under ``root/<watched>``."""
    out: dict[str, tuple] = {}
    for name in watched:
        top = root / name
        if not top.exists():
            out[name] = ("absent",)
            continue
        for folder, dirs, files in os.walk(top):
            d = Path(folder)
            out[d.relative_to(root).as_posix() + "/"] = ("dir", d.stat().st_mtime_ns)
            for f in files:
                p = d / f
                st = p.lstat()
                if p.is_symlink():
                    out[p.relative_to(root).as_posix()] = ("link", os.readlink(p))
                else:
                    out[p.relative_to(root).as_posix()] = ("file", st.st_size, st.st_mtime_ns, _sha256(p))
    return out


def differences(before: dict[str, tuple], after: dict[str, tuple], limit: int = 20) -> list[str]:
    """Human-readable changes between two snapshots (empty when identical)."""
    lines = []
    for path in sorted(set(before) | set(after)):
        a, b = before.get(path), after.get(path)
        if a == b:
            continue
        if a is None:
            lines.append(f"created {path}")
        elif b is None:
            lines.append(f"deleted {path}")
        elif a[0] == "dir" and b[0] == "dir":
            lines.append(f"entries added or removed in {path}")
        else:
            lines.append(f"modified {path}")
    if len(lines) > limit:
        lines = lines[:limit] + [f"... and {len(lines) - limit} more"]
    return lines
