"""Real corpora for dedup tests: this interpreter's standard library."""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path

import pytest

STDLIB = Path(sysconfig.get_paths()["stdlib"])


@pytest.fixture(scope="session")
def stdlib_dir() -> Path:
    return STDLIB


@pytest.fixture(scope="session")
def unrelated_stdlib_modules() -> dict[str, str]:
    """300 stdlib modules spread over the tree, minus ``encodings`` (its codec tables are
    genuine near-duplicates of each other) and test suites: distinct code, no copies."""
    skip = {"encodings", "test", "tests", "idle_test", "site-packages"}
    paths = []
    for directory, subdirectories, files in os.walk(STDLIB):
        subdirectories[:] = sorted(d for d in subdirectories if d not in skip)
        for name in files:
            path = Path(directory, name)
            if name.endswith(".py") and path.stat().st_size > 2_000:
                paths.append(path)
    paths.sort()
    assert len(paths) >= 300, "expected a full standard library"
    step = len(paths) / 300
    chosen = [paths[int(i * step)] for i in range(300)]
    return {
        path.relative_to(STDLIB).as_posix(): path.read_text(encoding="utf-8", errors="replace")
        for path in chosen
    }
