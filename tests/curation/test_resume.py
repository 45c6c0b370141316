"""Resume: an interrupted run loses nothing and repeats no finished batch; a changed config starts fresh."""

from __future__ import annotations

from pathlib import Path

import pytest
from curation_corpus import curate_inline, manifest_rows, tree_config

from litcode.curation.manifest import Manifest
from litcode.curation.sample_processing import SampleProcessor

BATCH_SIZE = 4


class Crash(KeyboardInterrupt):
    """Stands in for Ctrl-C arriving mid-run."""


def crash_after(batches: int, mocker):
    """Let ``batches`` batches commit to the manifest, then interrupt the run."""
    real = Manifest.record_batch
    calls = {"count": 0}

    def record_then_crash(self, *args, **kwargs):
        if calls["count"] == batches:
            raise Crash
        calls["count"] += 1
        return real(self, *args, **kwargs)

    return mocker.patch.object(Manifest, "record_batch", autospec=True, side_effect=record_then_crash)


def processed_records(mocker):
    """A spy on the per-sample work, counting the records it judges."""
    return mocker.spy(SampleProcessor, "process")


def judged(spy) -> int:
    return sum(len(call.args[1]) for call in spy.call_args_list)


def test_a_crash_mid_run_leaves_finished_batches_in_the_manifest(
    reason_tree: Path, tmp_path: Path, mocker
) -> None:
    crash_after(2, mocker)
    with pytest.raises(Crash):
        curate_inline(
            reason_tree, tmp_path / "out", tree_config(batch_size=BATCH_SIZE), num_workers=0, progress=False
        )
    with Manifest(tmp_path / "out" / "manifest.sqlite") as manifest:
        assert manifest.completed_batches() == {0, 1}
        assert manifest.counts()[0] == 2 * BATCH_SIZE
    assert not (tmp_path / "out" / "report.json").exists()


def test_resuming_processes_only_the_unfinished_batches(reason_tree: Path, tmp_path: Path, mocker) -> None:
    config = tree_config(batch_size=BATCH_SIZE)
    crash_after(2, mocker)
    with pytest.raises(Crash):
        curate_inline(reason_tree, tmp_path / "out", config)
    mocker.stopall()
    spy = processed_records(mocker)

    result = curate_inline(reason_tree, tmp_path / "out", config)

    assert judged(spy) == result.inputs - 2 * BATCH_SIZE
    assert result.report["timings"]["reused_batches"] == 2


def test_a_resumed_run_decides_exactly_like_an_uninterrupted_one(
    reason_tree: Path, tmp_path: Path, mocker
) -> None:
    config = tree_config(batch_size=BATCH_SIZE)
    crash_after(3, mocker)
    with pytest.raises(Crash):
        curate_inline(reason_tree, tmp_path / "resumed", config)
    mocker.stopall()
    curate_inline(reason_tree, tmp_path / "resumed", config)
    curate_inline(reason_tree, tmp_path / "clean", config)
    columns = "sample_id, decision, reason, duplicate_of, cluster_id, content_hash"
    assert manifest_rows(tmp_path / "resumed", columns) == manifest_rows(tmp_path / "clean", columns)


def test_a_finished_run_is_reused_without_any_work(reason_tree: Path, tmp_path: Path, mocker) -> None:
    config = tree_config()
    first = curate_inline(reason_tree, tmp_path / "out", config)
    spy = processed_records(mocker)
    second = curate_inline(reason_tree, tmp_path / "out", config)
    assert judged(spy) == 0
    assert (second.inputs, second.kept, second.dropped_by_reason) == (
        first.inputs,
        first.kept,
        first.dropped_by_reason,
    )


def test_a_changed_config_starts_fresh(reason_tree: Path, tmp_path: Path, mocker) -> None:
    curate_inline(reason_tree, tmp_path / "out", tree_config())
    spy = processed_records(mocker)
    result = curate_inline(
        reason_tree, tmp_path / "out", tree_config(max_line_length=50), num_workers=0, progress=False
    )
    assert judged(spy) == result.inputs
    assert result.dropped_by_reason["max_line_length"] > 1


def test_a_changed_source_starts_fresh(reason_tree: Path, tmp_path: Path, mocker) -> None:
    first = curate_inline(reason_tree, tmp_path / "out", tree_config())
    (reason_tree / "good" / "extra.py").write_text("def extra(value: int) -> int:\n    return value\n")
    spy = processed_records(mocker)
    second = curate_inline(reason_tree, tmp_path / "out", tree_config())
    assert second.inputs == first.inputs + 1
    assert judged(spy) == second.inputs


def test_a_lost_staging_file_makes_its_batch_run_again(reason_tree: Path, tmp_path: Path, mocker) -> None:
    config = tree_config(batch_size=BATCH_SIZE)
    crash_after(2, mocker)
    with pytest.raises(Crash):
        curate_inline(reason_tree, tmp_path / "out", config)
    mocker.stopall()
    (tmp_path / "out" / ".staging" / "batch-000001.parquet").unlink()
    spy = processed_records(mocker)
    result = curate_inline(reason_tree, tmp_path / "out", config)
    assert judged(spy) == result.inputs - BATCH_SIZE
