"""Bad input ends in the manifest with a reason; the run neither crashes nor reads what it must not."""

from __future__ import annotations

from pathlib import Path

import pytest
from curation_corpus import MIT_TEXT, curate_inline, manifest_rows, tree_config, write

from litcode.curation import CurationError
from litcode.curation.manifest import Manifest
from litcode.curation.outcome import SampleOutcome
from litcode.curation.pipeline import _checked_counts
from litcode.sources import DirectorySource


@pytest.fixture
def hostile_tree(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    repo = root / "repo"
    write(repo / "LICENSE", MIT_TEXT)
    write(repo / "latin1.py", b"name = '\xe9t\xe9'\nvalue = '\xff\xfe'\n")  # no coding cookie: not UTF-8
    with open(repo / "minified.js", "wb") as handle:
        handle.truncate(50_000_000)  # a 50 MB one-line file, sparse so the test writes nothing
    (repo / "loop").symlink_to(repo, target_is_directory=True)
    write(repo / "blank.py", "\n\n   \n")
    return root


@pytest.mark.parametrize(
    ("sample_id", "reason"),
    [
        ("repo/latin1.py", None),  # legacy 8-bit text: decoded (issue 22), no longer "binary"
        ("repo/minified.js", "size"),
        ("repo/blank.py", "empty"),
    ],
)
def test_hostile_file_gets_a_reason(
    hostile_tree: Path, tmp_path: Path, sample_id: str, reason: str | None
) -> None:
    curate_inline(hostile_tree, tmp_path / "out", tree_config(languages=None, min_quality_score=0.0))
    rows = {row[0]: row[1:] for row in manifest_rows(tmp_path / "out")}
    assert rows[sample_id] == ("kept" if reason is None else "dropped", reason)


def test_a_followed_symlink_loop_ends_with_every_record_accounted(hostile_tree: Path, tmp_path: Path) -> None:
    source = DirectorySource(hostile_tree, follow_symlinks=True)
    result = curate_inline(source, tmp_path / "out", tree_config(languages=None))
    ids = [row[0] for row in manifest_rows(tmp_path / "out")]
    assert result.inputs == len(ids) == len(set(ids))
    assert not any("/loop/loop/" in sample_id for sample_id in ids)


def test_a_manifest_short_of_the_inputs_read_fails_the_run(tmp_path: Path) -> None:
    with Manifest(tmp_path / "m.sqlite") as manifest:
        manifest.record_batch(
            0, 0, [SampleOutcome("a.py"), SampleOutcome("b.py", reason="empty")], seconds=0.0
        )
        with pytest.raises(CurationError, match="read 3 records, manifest has 2 rows"):
            _checked_counts(manifest, records_read=3)


def test_progress_true_draws_a_bar_on_stderr(hostile_tree: Path, tmp_path: Path, capsys) -> None:
    curate_inline(hostile_tree, tmp_path / "out", tree_config(languages=None), progress=True)
    assert "curate" in capsys.readouterr().err


def test_progress_false_prints_nothing(hostile_tree: Path, tmp_path: Path, capsys) -> None:
    curate_inline(hostile_tree, tmp_path / "out", tree_config(languages=None), progress=False)
    assert capsys.readouterr().err == ""
