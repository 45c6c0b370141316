"""Fixtures for curation tests; the corpus builders live in ``curation_corpus`` beside this file."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

# Tests import ``curation_corpus`` by name (pytest runs with --import-mode=importlib, which adds no paths).
sys.path.insert(0, str(Path(__file__).parent))

from curation_corpus import STDLIB, build_reason_tree


@pytest.fixture
def reason_tree(tmp_path: Path) -> Path:
    return build_reason_tree(tmp_path / "corpus")


# Packages of the standard library, about 220 files (most of them the small codec modules of ``encodings``).
STDLIB_SLICE = ("email", "json", "concurrent", "importlib", "encodings", "wsgiref", "zoneinfo", "tomllib",
                "sqlite3", "dbm", "ctypes", "re", "collections")  # fmt: skip


@pytest.fixture(scope="module")
def stdlib_slice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few hundred real stdlib files as a tree of repos (one repo per package), tests left out."""
    root = tmp_path_factory.mktemp("stdlib") / "slice"
    for package in STDLIB_SLICE:
        shutil.copytree(
            STDLIB / package, root / package, ignore=shutil.ignore_patterns("__pycache__", "test*")
        )
    return root
