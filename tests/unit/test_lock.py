"""requirements.lock (``make lock``) pins every dependency pyproject.toml declares, as declared.

``make install`` installs the lock and nothing else, so a dependency added to pyproject.toml
without ``make lock`` would be missing from every fresh install, and a pin changed without it
would install the old version. The checker is exercised on the real files and on small broken
ones (it must be able to fail).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
# The extras `make lock` compiles into the lock (the Makefile's `--extra dev`).
LOCKED_EXTRAS = ("dev",)

_ENTRY = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)\s*(?:;\s*(?P<marker>[^\\]+?))?\s*\\?$")


def parse_lock(text: str) -> dict[str, list[tuple[Version, Marker | None, int]]]:
    """Lock entries by canonical name: (version, environment marker, number of hashes).

    A universal lock may hold one package at several versions, each under its own marker.
    """
    entries: dict[str, list[tuple[Version, Marker | None, int]]] = {}
    current: list | None = None
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if line[0].isspace():
            if stripped.startswith("--hash=sha256:") and current is not None:
                current[2] += 1
                continue
            raise ValueError(f"requirements.lock line {n}: unexpected continuation {stripped!r}")
        m = _ENTRY.match(stripped)
        if m is None:
            raise ValueError(f"requirements.lock line {n}: not a 'name==version' pin: {stripped!r}")
        marker = Marker(m["marker"]) if m["marker"] else None
        current = [Version(m["version"]), marker, 0]
        entries.setdefault(canonicalize_name(m["name"]), []).append(current)
    return {name: [tuple(e) for e in es] for name, es in entries.items()}


def declared(pyproject: dict) -> list[Requirement]:
    project = pyproject["project"]
    reqs = [Requirement(r) for r in project.get("dependencies", [])]
    for extra in LOCKED_EXTRAS:
        reqs += [Requirement(r) for r in project.get("optional-dependencies", {}).get(extra, [])]
    return reqs


def lock_problems(pyproject_text: str, lock_text: str) -> list[str]:
    """Every way the lock fails pyproject.toml: missing, pinned outside the declared range, unhashed."""
    lock = parse_lock(lock_text)
    problems = []
    for req in declared(tomllib.loads(pyproject_text)):
        name = canonicalize_name(req.name)
        if name not in lock:
            problems.append(f"{req}: missing from requirements.lock (run `make lock`)")
            continue
        for version, marker, _ in lock[name]:
            if not req.specifier.contains(version, prereleases=True):
                where = f" (for {marker})" if marker else ""
                problems.append(f"{req}: requirements.lock pins {req.name}=={version}{where} (run `make lock`)")
    for name, es in lock.items():
        for version, _, hashes in es:
            if hashes == 0:
                problems.append(f"{name}=={version}: no --hash in requirements.lock (run `make lock`)")
    return problems


def test_lock_covers_every_declared_dependency_as_declared():
    problems = lock_problems((ROOT / "pyproject.toml").read_text("utf-8"), (ROOT / "requirements.lock").read_text("utf-8"))
    assert problems == []


def test_lock_pins_prefect_3_8_8_and_the_installer():
    lock = parse_lock((ROOT / "requirements.lock").read_text("utf-8"))
    assert [v for v, _, _ in lock["prefect"]] == [Version("3.8.8")]
    assert "uv" in lock  # make install bootstraps uv from its entry in the lock


def test_the_lock_holds_one_version_per_package_for_this_interpreter():
    """Each package has exactly one entry for the running Python (the lock is universal)."""
    lock = parse_lock((ROOT / "requirements.lock").read_text("utf-8"))
    for name, es in lock.items():
        here = [v for v, marker, _ in es if marker is None or marker.evaluate()]
        assert len(here) <= 1, (name, here)
    assert all(any(m is None or m.evaluate() for _, m, _ in lock[n]) for n in ("prefect", "pandas", "duckdb", "pytest"))


PYPROJECT = """
[project]
name = "x"
version = "0"
dependencies = ["prefect==3.8.8", "fastapi>=0.139,<0.151", "rich>=13"]
[project.optional-dependencies]
dev = ["pytest==9.2.0"]
other = ["not-locked==1"]
"""
H = "    --hash=sha256:" + "0" * 64


def _lock(*entries: str) -> str:
    return "# header\n" + "".join(f"{e} \\\n{H}\n    # via x\n" for e in entries)


GOOD = ("prefect==3.8.8", "fastapi==0.150.0", "rich==15.0.0", "pytest==9.2.0", "anyio==4.16.0")


def test_checker_accepts_a_complete_lock_and_ignores_extras_not_locked():
    assert lock_problems(PYPROJECT, _lock(*GOOD)) == []


def test_checker_names_a_missing_dependency():
    problems = lock_problems(PYPROJECT, _lock(*(e for e in GOOD if not e.startswith("pytest"))))
    assert problems == ["pytest==9.2.0: missing from requirements.lock (run `make lock`)"]


@pytest.mark.parametrize("pin, expected", [
    ("prefect==3.9.1", "prefect==3.8.8: requirements.lock pins prefect==3.9.1"),
    ("fastapi==0.151.0", "fastapi<0.151,>=0.139: requirements.lock pins fastapi==0.151.0"),
    ("rich==12.6.0", "rich>=13: requirements.lock pins rich==12.6.0"),
])
def test_checker_names_a_pin_outside_the_declared_range(pin, expected):
    name = pin.split("==")[0]
    problems = lock_problems(PYPROJECT, _lock(*(pin if e.startswith(name + "==") else e for e in GOOD)))
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_checker_checks_every_marker_branch_of_a_universal_lock():
    lock = _lock(*GOOD, "fastapi==0.152.0 ; python_full_version >= '3.14'")
    assert lock_problems(PYPROJECT, lock) == [
        "fastapi<0.151,>=0.139: requirements.lock pins fastapi==0.152.0 (for python_full_version >= \"3.14\") "
        "(run `make lock`)"]


def test_checker_names_an_unhashed_entry_and_rejects_what_is_not_a_pin():
    assert lock_problems(PYPROJECT, _lock(*GOOD) + "sniffio==1.3.1\n") == [
        "sniffio==1.3.1: no --hash in requirements.lock (run `make lock`)"]
    with pytest.raises(ValueError, match=r"line 2: not a 'name==version' pin: 'rich>=13'"):
        parse_lock("# header\nrich>=13\n")
