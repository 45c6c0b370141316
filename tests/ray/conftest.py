"""A local Ray cluster for the whole session (starting one costs tens of seconds) and a real corpus."""

from __future__ import annotations

import dataclasses
import shutil
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest

# Tests import ``ray_corpus`` by name (pytest runs with --import-mode=importlib, which adds no paths).
sys.path.insert(0, str(Path(__file__).parent))

from ray_corpus import CONFIG

from litcode.curation import CurationResult, curate

STDLIB = Path(sysconfig.get_paths()["stdlib"])
# About 230 real files; `planted` adds exact and near copies across repos so both dedup stages have work.
STDLIB_PACKAGES = ("email", "json", "concurrent", "importlib", "encodings", "wsgiref", "zoneinfo", "tomllib",
                   "sqlite3", "dbm", "re", "collections")  # fmt: skip
PLANTED_COPIES = ("json/decoder.py", "email/utils.py", "email/_parseaddr.py")
PLANTED_EDITS = ("json/encoder.py", "email/quoprimime.py", "re/_parser.py")


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[object]:
    """``ray.init(num_cpus=2)`` on loopback, shut down after the last Ray test."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    try:
        yield ray
    finally:
        ray.shutdown()


@pytest.fixture(scope="session")
def stdlib_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tree of repos (one per stdlib package) plus a ``planted`` repo of exact and near duplicates."""
    root = tmp_path_factory.mktemp("ray_corpus") / "corpus"
    for package in STDLIB_PACKAGES:
        shutil.copytree(
            STDLIB / package, root / package, ignore=shutil.ignore_patterns("__pycache__", "test*")
        )
    planted = root / "planted"
    planted.mkdir()
    for relative in PLANTED_COPIES:
        shutil.copyfile(STDLIB / relative, planted / relative.replace("/", "_"))
    for relative in PLANTED_EDITS:
        text = (STDLIB / relative).read_text(encoding="utf-8")
        (planted / relative.replace("/", "_")).write_text(text + "\n# vendored copy\n", encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def ray_dedup_run(
    ray_cluster: object, stdlib_corpus: Path, tmp_path_factory: pytest.TempPathFactory
) -> CurationResult:
    """``curate`` on Ray with ``distributed_dedup=True``: workers write staging, manifest parts, dedup
    decisions and kept shards; dedup runs as Ray Data operations."""
    output = tmp_path_factory.mktemp("ray_dedup") / "out"
    config = dataclasses.replace(CONFIG, distributed_dedup=True)
    return curate(stdlib_corpus, output, config, num_workers=2, executor="ray", progress=False)


@pytest.fixture(scope="session")
def local_run(stdlib_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> CurationResult:
    """The reference: the local executor in this process."""
    return curate(
        stdlib_corpus, tmp_path_factory.mktemp("local") / "out", CONFIG, num_workers=0, progress=False
    )
