"""Real corpora for dedup tests: this interpreter's standard library."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

STDLIB = Path(sysconfig.get_paths()["stdlib"])


@pytest.fixture(scope="session")
def stdlib_dir() -> Path:
    return STDLIB


@pytest.fixture(scope="session")
def unrelated_stdlib_modules() -> dict[str, str]:
    """Top-level stdlib modules (``os.py``, ``argparse.py``, ...): distinct code, no copies."""
    modules = {
        path.name: path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(STDLIB.glob("*.py"))
        if path.stat().st_size > 2_000
    }
    assert len(modules) >= 100, "expected a full standard library"
    return modules
