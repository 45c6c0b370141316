"""Same input and config, same manifest: whatever the worker count or batch size."""

from __future__ import annotations

from pathlib import Path

import pytest
from curation_corpus import curate_inline, manifest_rows, tree_config

from litcode.curation import curate

COLUMNS = "sample_id, decision, reason, duplicate_of, cluster_id, content_hash, quality_score"


@pytest.mark.slow
def test_two_worker_processes_decide_like_in_process(reason_tree: Path, tmp_path: Path) -> None:
    config = tree_config(batch_size=3)
    inline = curate_inline(reason_tree, tmp_path / "inline", config)
    pooled = curate(reason_tree, tmp_path / "pooled", config, num_workers=2, progress=False)
    assert manifest_rows(tmp_path / "pooled", COLUMNS) == manifest_rows(tmp_path / "inline", COLUMNS)
    assert pooled.dropped_by_reason == inline.dropped_by_reason


def test_batch_size_does_not_change_decisions(reason_tree: Path, tmp_path: Path) -> None:
    curate_inline(reason_tree, tmp_path / "small", tree_config(batch_size=2))
    curate_inline(reason_tree, tmp_path / "large", tree_config(batch_size=64))
    assert manifest_rows(tmp_path / "small", COLUMNS) == manifest_rows(tmp_path / "large", COLUMNS)
