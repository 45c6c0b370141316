"""``CurationConfig.max_bytes`` is the one size limit: no reader cap of its own, no file read past it."""

from __future__ import annotations

from pathlib import Path

import pytest
from curation_corpus import curate_inline, manifest_rows, stdlib_text, write

from litcode.curation import CurationConfig
from litcode.sources import CompositeSource, DirectorySource, StdlibSource

LEAN = {"licenses": "off", "secrets": "off", "insecure": "off", "near_dedup": False, "min_quality_score": 0.0}


@pytest.mark.slow
def test_a_20_mb_file_is_kept_when_max_bytes_is_raised(tmp_path: Path) -> None:
    module = stdlib_text("colorsys.py")
    write(tmp_path / "corpus" / "repo" / "big.py", module * (20_000_000 // len(module) + 1))
    config = CurationConfig(max_bytes=32_000_000, **LEAN)  # type: ignore[arg-type]
    curate_inline(tmp_path / "corpus", tmp_path / "out", config)
    assert manifest_rows(tmp_path / "out", "sample_id, decision, reason, bytes")[0][:3] == (
        "repo/big.py",
        "kept",
        None,
    )


def test_a_file_over_max_bytes_is_size_with_its_size_in_the_detail(tmp_path: Path) -> None:
    write(tmp_path / "corpus" / "repo" / "big.py", "x = 1\n" * 200)
    config = CurationConfig(max_bytes=1000, **LEAN)  # type: ignore[arg-type]
    curate_inline(tmp_path / "corpus", tmp_path / "out", config)
    assert manifest_rows(tmp_path / "out", "sample_id, reason, detail, bytes") == [
        ("repo/big.py", "size", "1200 bytes > max_bytes 1000, not read", 1200)
    ]


def test_the_directory_reader_has_no_limit_of_its_own(tmp_path: Path) -> None:
    write(tmp_path / "repo" / "big.txt", b"a" * (9 * 1024 * 1024))  # over the old hidden 8 MiB cap
    [record] = DirectorySource(tmp_path)
    assert record.skip_reason is None and len(record.data or b"") == 9 * 1024 * 1024


def test_a_read_limit_skips_a_larger_file_without_reading_it(tmp_path: Path) -> None:
    write(tmp_path / "repo" / "big.txt", b"a" * 100)
    [record] = DirectorySource(tmp_path).with_read_limit(10)
    assert (record.data, record.skip_reason) == (None, "size")


def test_the_smaller_of_two_read_limits_wins(tmp_path: Path) -> None:
    source = DirectorySource(tmp_path, max_file_bytes=10)
    assert source.with_read_limit(100).max_file_bytes == 10
    assert source.with_read_limit(5).max_file_bytes == 5


def test_a_composite_source_passes_the_read_limit_to_each_part(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    limited = CompositeSource([DirectorySource(tmp_path / "a"), StdlibSource()]).with_read_limit(7)
    assert [part.max_file_bytes for part in limited.sources] == [7, 7]  # type: ignore[attr-defined]
