"""Real corpora for the datamodule tests: small slices of this interpreter's standard library."""

from __future__ import annotations

import shutil
import sysconfig
from pathlib import Path
from typing import Any

import pytest

STDLIB = Path(sysconfig.get_paths()["stdlib"])
# Small, stable stdlib packages; each becomes one "repository" of the test corpus.
REPO_FILES: dict[str, list[str]] = {
    "json": ["json/__init__.py", "json/decoder.py", "json/encoder.py", "json/scanner.py", "json/tool.py"],
    "html": ["html/__init__.py", "html/entities.py", "html/parser.py"],
    "wsgiref": ["wsgiref/util.py", "wsgiref/headers.py", "wsgiref/validate.py", "wsgiref/simple_server.py"],
    "urllib": ["urllib/parse.py", "urllib/response.py", "urllib/error.py", "urllib/robotparser.py"],
}


@pytest.fixture(scope="session")
def repo_names() -> set[str]:
    return set(REPO_FILES)


@pytest.fixture(scope="session")
def stack_rows() -> list[dict[str, Any]]:
    """The same files as rows in The Stack's schema, repository ``python/<package>``."""
    return [
        {
            "content": (STDLIB / relative).read_text(encoding="utf-8"),
            "max_stars_repo_name": f"python/{repo}",
            "max_stars_repo_path": relative,
            "max_stars_count": 100,
            "max_forks_count": 20,
            "max_stars_repo_licenses": ["PSF-2.0"],
            "lang": "Python",
        }
        for repo, files in REPO_FILES.items()
        for relative in files
    ]


def write_repo_tree(root: Path) -> Path:
    for repo, files in REPO_FILES.items():
        for relative in files:
            target = root / repo / Path(relative).relative_to(repo)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(STDLIB / relative, target)
    return root


@pytest.fixture(scope="session")
def repo_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory of four repositories copied from the standard library (read-only by convention)."""
    return write_repo_tree(tmp_path_factory.mktemp("repos"))


@pytest.fixture
def fresh_repo_tree(tmp_path: Path) -> Path:
    """A private copy of the repository tree that a test may modify."""
    return write_repo_tree(tmp_path / "repos")


@pytest.fixture(scope="session")
def curation_config() -> Any:
    """The default curation except the license policy: files copied from the stdlib carry no license file."""
    from litcode.curation import CurationConfig

    return CurationConfig(licenses="off")
