"""The dependency files agree with each other and with the code: every direct
pin is in its lock, the package's imports are all in the runtime lock, and
pyproject.toml gives a ``parkbench`` command."""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import importlib.util
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import lock  # noqa: E402


def test_every_direct_pin_is_in_its_lock():
    assert lock.check() == []


def test_locks_pin_every_line_and_do_not_overlap():
    runtime, test = lock.pins(lock.RUNTIME_LOCK), lock.pins(lock.TEST_LOCK)
    assert runtime and test
    assert set(runtime) & set(test) == set()


def third_party_imports(directory: Path) -> set[str]:
    names = set()
    for path in directory.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "parkbench"}


def test_package_imports_come_from_the_runtime_lock():
    """A module parkbench/ imports must be installed by `make run`, not only by the test set."""
    runtime = set(lock.pins(lock.RUNTIME_LOCK))
    providers = importlib.metadata.packages_distributions()
    missing = {}
    for module in sorted(third_party_imports(ROOT / "parkbench")):
        distributions = {lock.canonical(d) for d in providers.get(module, [])}
        if not distributions & runtime:
            missing[module] = sorted(distributions)
    assert missing == {}


def test_pyproject_reads_the_pins_and_declares_the_command():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    dynamic = project["tool"]["setuptools"]["dynamic"]
    assert dynamic["dependencies"]["file"] == ["requirements.txt"]
    assert dynamic["optional-dependencies"]["test"]["file"] == ["requirements-test.txt"]
    target = project["project"]["scripts"]["parkbench"]
    module, _, function = target.partition(":")
    assert importlib.util.find_spec(module) is not None
    assert callable(getattr(importlib.import_module(module), function))


def test_installed_layout_carries_every_sql_file():
    """pip install . copies queries/ as parkbench/queries: the package data glob must reach every model."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_dir = project["tool"]["setuptools"]["package-dir"]
    assert package_dir["parkbench.queries"] == "queries"
    assert project["tool"]["setuptools"]["package-data"]["parkbench.queries"] == ["**/*.sql"]
    assert any((ROOT / "queries").rglob("*.sql"))


def test_installed_layout_lists_every_package():
    """setuptools installs only the packages pyproject names: a new sub-package
    (parkbench/ingest/enterprise) left out would be missing from pip install ."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(project["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "parkbench").rglob("__init__.py")}
    assert on_disk <= listed, sorted(on_disk - listed)
