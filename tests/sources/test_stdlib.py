from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from litcode.sources import StdlibSource, decode_record

STDLIB = Path(sysconfig.get_paths()["stdlib"])
SKIPPED_PARTS = {"site-packages", "dist-packages", "__pycache__"}


def independent_stdlib_files(exclude_tests: bool = False) -> set[str]:
    """The stdlib's *.py files by rglob, written without any litcode code."""
    found = set()
    for path in STDLIB.rglob("*.py"):
        relative = path.relative_to(STDLIB)
        if SKIPPED_PARTS & set(relative.parts) or not path.is_file():
            continue
        if exclude_tests and (
            {"test", "tests", "idle_test"} & set(relative.parts[:-1]) or path.name.startswith("test_")
        ):
            continue
        found.add(relative.as_posix())
    return found


@pytest.mark.slow
def test_stdlib_records_match_an_independent_rglob() -> None:
    assert {record.sample_id for record in StdlibSource()} == independent_stdlib_files()


def test_stdlib_without_tests_matches_an_independent_rglob() -> None:
    source = StdlibSource(exclude_tests=True)
    ids = {record.sample_id for record in source}
    assert ids == independent_stdlib_files(exclude_tests=True)
    assert source.estimated_count() == len(ids)


def test_top_level_packages_are_repos_and_root_modules_share_the_root_repo() -> None:
    records = {r.sample_id: r for r in StdlibSource(include=("decoder.py", "os.py"))}
    assert (records["json/decoder.py"].repo, records["json/decoder.py"].path) == ("json", "decoder.py")
    assert records["os.py"].repo == STDLIB.name


def test_stdlib_records_decode_to_python_samples() -> None:
    [record] = [r for r in StdlibSource(include=("decoder.py",)) if r.sample_id == "json/decoder.py"]
    sample = decode_record(record)
    assert not isinstance(sample, str)
    assert sample.language == "python" and "class JSONDecoder" in sample.content


def test_stdlib_fingerprint_is_stable() -> None:
    assert StdlibSource(exclude_tests=True).fingerprint() == StdlibSource(exclude_tests=True).fingerprint()
