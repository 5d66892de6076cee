"""The production packages (flows, schemas) never import the development tools (devtools)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEV_PACKAGE = "devtools"
#: Benchmark entry points: development tools that generate their inputs with devtools.synthetic.
BENCHES = {"flows/bench.py", "flows/reports/bench.py"}


def imported_modules(source: str, module: str) -> set[str]:
    """Absolute names of every module an ``import`` or ``from ... import`` in ``source`` names (any depth)."""
    names: set[str] = set()
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names.add(target)
            names.update(f"{target}.{a.name}" for a in node.names)
    return names


def imports_dev_package(names: set[str]) -> bool:
    return any(n == DEV_PACKAGE or n.startswith(DEV_PACKAGE + ".") for n in names)


def production_modules() -> list[tuple[str, Path]]:
    out = []
    for top in ("flows", "schemas"):
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in BENCHES:
                continue
            out.append((rel[:-3].replace("/", ".").removesuffix(".__init__"), path))
    return out


def test_the_walk_sees_every_import_form():
    src = "import devtools\nimport os, devtools.synthetic as s\nfrom devtools import synthetic\n" \
          "def f():\n    from devtools.synthetic import generate\n"
    names = imported_modules(src, "flows.x")
    assert {"devtools", "devtools.synthetic", "devtools.synthetic.generate"} <= names
    assert imports_dev_package(imported_modules("from devtools.synthetic import MISTAKES", "flows.x"))
    assert imports_dev_package(imported_modules("from ..devtools import synthetic", "flows.stats.x")) is False
    assert not imports_dev_package(imported_modules("import devtoolsx\nfrom flows import synthetic_notes", "flows.x"))


def test_production_code_does_not_import_devtools():
    modules = production_modules()
    assert len(modules) > 40 and any(m == "flows.refresh" for m, _ in modules)  # the walk found the packages
    offenders = [m for m, path in modules if imports_dev_package(imported_modules(path.read_text(), m))]
    assert offenders == [], f"production modules import {DEV_PACKAGE}: {offenders}"


@pytest.mark.parametrize("rel", sorted(BENCHES))
def test_benches_are_the_only_users_and_still_exist(rel):
    path = ROOT / rel
    assert path.exists(), f"{rel} moved: update BENCHES"
    assert imports_dev_package(imported_modules(path.read_text(), rel[:-3].replace("/", ".")))


def test_generator_lives_outside_the_production_packages():
    assert (ROOT / DEV_PACKAGE / "synthetic.py").exists()
    assert not (ROOT / "flows" / "synthetic.py").exists()
