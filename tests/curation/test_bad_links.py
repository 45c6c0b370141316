"""A bad link in a repository is its own ``unreadable`` row and never changes another file's fate."""

from __future__ import annotations

from pathlib import Path

import pytest
from curation_corpus import MIT_TEXT, curate_inline, manifest_rows, stdlib_text, write

from litcode.curation import CurationConfig

CONFIG = CurationConfig(min_quality_score=0.0, near_dedup=False)


def _rows(output: Path) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in manifest_rows(output, "sample_id, decision, reason, detail")}


@pytest.fixture
def repo_with_a_loop(tmp_path: Path) -> Path:
    repo = tmp_path / "corpus" / "repo"
    write(repo / "LICENSE", MIT_TEXT)
    write(repo / "colors.py", stdlib_text("colorsys.py"))
    (repo / "loop").symlink_to(repo / "loop")  # a link to itself: stat fails with ELOOP
    return tmp_path / "corpus"


def test_a_symlink_loop_beside_a_license_keeps_the_code_licensed(
    repo_with_a_loop: Path, tmp_path: Path
) -> None:
    curate_inline(repo_with_a_loop, tmp_path / "out", CONFIG)
    assert _rows(tmp_path / "out")["repo/colors.py"] == ("kept", None, None)


def test_a_symlink_loop_is_unreadable_with_the_error(repo_with_a_loop: Path, tmp_path: Path) -> None:
    curate_inline(repo_with_a_loop, tmp_path / "out", CONFIG)
    decision, reason, detail = _rows(tmp_path / "out")["repo/loop"]
    assert (decision, reason) == ("dropped", "unreadable")
    assert detail.startswith("symlink loop: ")


def test_a_dangling_link_beside_a_license_keeps_the_code_licensed(tmp_path: Path) -> None:
    repo = tmp_path / "corpus" / "repo"
    write(repo / "LICENSE", MIT_TEXT)
    write(repo / "colors.py", stdlib_text("colorsys.py"))
    (repo / "LICENSE.old").symlink_to(tmp_path / "nowhere")  # a license-named link to nothing
    curate_inline(tmp_path / "corpus", tmp_path / "out", CONFIG)
    rows = _rows(tmp_path / "out")
    assert rows["repo/colors.py"] == ("kept", None, None)
    assert rows["repo/LICENSE.old"] == ("dropped", "unreadable", "broken symlink")


def test_a_file_that_is_not_regular_is_unreadable_with_why(tmp_path: Path) -> None:
    import os

    repo = tmp_path / "corpus" / "repo"
    write(repo / "colors.py", stdlib_text("colorsys.py"))
    os.mkfifo(repo / "pipe.py")  # reading it would block forever
    curate_inline(tmp_path / "corpus", tmp_path / "out", CurationConfig(licenses="off", near_dedup=False))
    assert _rows(tmp_path / "out")["repo/pipe.py"] == ("dropped", "unreadable", "not a regular file")
