"""Real data the source tests read: a tree of repos, JSON Lines files, The Stack in Parquet."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

STACK_ROWS = [
    {
        "hexsha": "a1",
        "content": "def add(a, b):\n    return a + b\n",
        "max_stars_repo_name": "octo/math",
        "max_stars_repo_path": "src/add.py",
        "max_stars_count": 120,
        "max_forks_count": 7,
        "max_stars_repo_licenses": ["MIT"],
        "lang": "Python",
        "size": 33,
    },
    {
        "hexsha": "b2",
        "content": 'fn main() { println!("hi"); }\n',
        "max_stars_repo_name": "rusty/hello",
        "max_stars_repo_path": "src/main.rs",
        "max_stars_count": None,
        "max_forks_count": None,
        "max_stars_repo_licenses": ["Apache-2.0", "MIT"],
        "lang": "Rust",
        "size": 30,
    },
]


@pytest.fixture
def repo_tree(tmp_path: Path) -> Path:
    """Two repos with nested folders, a root-level file, repo metadata, a binary and a broken link."""
    root = tmp_path / "corpus"
    (root / "alpha" / "pkg" / "sub").mkdir(parents=True)
    (root / "alpha" / "pkg" / "__init__.py").write_text("")
    (root / "alpha" / "pkg" / "sub" / "deep.py").write_text("x = 1\n")
    (root / "alpha" / "main.py").write_text("print('alpha')\n")
    (root / "alpha" / "LICENSE").write_text("MIT License\n")
    (root / "alpha" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (root / "alpha" / ".git").mkdir()
    (root / "alpha" / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / "alpha" / "pkg" / "__pycache__").mkdir()
    (root / "alpha" / "pkg" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\x00\x01")
    (root / "beta").mkdir()
    (root / "beta" / "lib.rs").write_text("pub fn f() {}\n")
    (root / "beta" / "COPYING.txt").write_text("GNU GENERAL PUBLIC LICENSE\n")
    os.symlink(root / "beta" / "gone.rs", root / "beta" / "dangling.rs")
    (root / "setup.py").write_text("from setuptools import setup\n")
    (root / "repos.jsonl").write_text(json.dumps({"repo": "alpha", "stars": 50, "license": ["MIT"]}) + "\n")
    (root / "repos.csv").write_text("repo,stars,forks,license\nalpha,1,4,\nbeta,3,0,GPL-3.0\n")
    return root


def write_jsonl(path: Path, lines: list[str]) -> Path:
    payload = "".join(line + "\n" for line in lines).encode()
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(payload))
    elif path.name.endswith(".zst"):
        path.write_bytes(zstandard.ZstdCompressor().compress(payload))
    else:
        path.write_bytes(payload)
    return path


@pytest.fixture
def stack_jsonl_lines() -> list[str]:
    """The Stack's two rows, a malformed line between them and a blank line at the end."""
    return [json.dumps(STACK_ROWS[0]), '{"content": "broken', json.dumps(STACK_ROWS[1]), ""]


def write_stack_parquet(path: Path, rows: list[dict], row_group_size: int | None = None) -> Path:
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=row_group_size)
    return path


@pytest.fixture
def stack_parquet(tmp_path: Path) -> Path:
    return write_stack_parquet(tmp_path / "stack.parquet", STACK_ROWS)
