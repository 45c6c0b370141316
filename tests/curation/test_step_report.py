"""``report.json``/``report.md`` say where the time goes: seconds, samples and drops of every step."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from curation_corpus import build_reason_tree, curate_inline, tree_config

from litcode.curation import CurationResult


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> CurationResult:
    root = tmp_path_factory.mktemp("steps")
    return curate_inline(build_reason_tree(root / "corpus"), root / "out", tree_config())


def steps_by_name(result: CurationResult) -> dict[str, dict[str, Any]]:
    report = json.loads((result.output_dir / "report.json").read_text())
    return {step["step"]: step for step in report["steps"]}


def test_report_lists_every_filter_and_transform_in_chain_order(run: CurationResult) -> None:
    names = list(steps_by_name(run))
    assert names[:3] == ["decode", "EmptyFilter", "SizeFilter"]
    assert names[-1] == "minhash"
    for earlier, later in [("LicenseResolver", "LicenseFilter"), ("Assessment", "QualityScoreFilter")]:
        assert names.index(earlier) < names.index(later)


def test_decode_drops_the_records_that_never_became_text(run: CurationResult) -> None:
    decode = steps_by_name(run)["decode"]
    undecodable = sum(run.dropped_by_reason[reason] for reason in ("unreadable", "binary"))
    # good/huge.py is over max_bytes, so the reader skips it as "size" without reading it.
    assert decode["dropped"] == undecodable + run.dropped_by_reason["size"] == undecodable + 1


def test_step_drops_add_up_to_the_per_sample_reasons(run: CurationResult) -> None:
    dropped: dict[str, int] = {}
    for step in steps_by_name(run).values():
        if step["reason"] is not None:
            dropped[step["reason"]] = dropped.get(step["reason"], 0) + step["dropped"]
    # unreadable/binary (and files too large to read, "size") are decided before the chain,
    # duplicates after it.
    chain_reasons = {
        reason: count
        for reason, count in run.dropped_by_reason.items()
        if count and reason not in ("unreadable", "binary", "size", "exact_duplicate", "near_duplicate")
    }
    assert {reason: count for reason, count in dropped.items() if count} == chain_reasons


def test_each_step_sees_what_the_one_before_let_through(run: CurationResult) -> None:
    steps = list(steps_by_name(run).values())
    for before, after in itertools.pairwise(steps):
        assert after["samples"] == before["samples"] - before["dropped"]


def test_transforms_drop_nothing_and_take_time(run: CurationResult) -> None:
    assessment = steps_by_name(run)["Assessment"]
    assert assessment["reason"] is None and assessment["dropped"] == 0
    assert assessment["seconds"] > 0


def test_report_md_has_the_step_table(run: CurationResult) -> None:
    markdown = (run.output_dir / "report.md").read_text()
    assert "## Where the time goes" in markdown
    assert "| LicenseFilter | license |" in markdown


@pytest.mark.slow
def test_step_stats_are_summed_over_workers(tmp_path: Path) -> None:
    corpus = build_reason_tree(tmp_path / "corpus")
    inline = curate_inline(corpus, tmp_path / "inline", tree_config())
    pooled = curate_inline(corpus, tmp_path / "pooled", tree_config(), num_workers=2)

    def counts(result: CurationResult) -> dict[str, tuple[int, int]]:
        return {name: (step["samples"], step["dropped"]) for name, step in steps_by_name(result).items()}

    assert counts(pooled) == counts(inline)


def test_a_resumed_run_reports_the_steps_of_every_batch(tmp_path: Path) -> None:
    corpus = build_reason_tree(tmp_path / "corpus")
    whole = curate_inline(corpus, tmp_path / "whole", tree_config())
    interrupted = tmp_path / "resumed"

    def stop_after_two_batches(done: int, total: int | None) -> None:
        if done >= 8:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        curate_inline(corpus, interrupted, tree_config(), progress=stop_after_two_batches)
    resumed = curate_inline(corpus, interrupted, tree_config())
    assert resumed.report["timings"]["reused_batches"] == 2
    first = {name: step["samples"] for name, step in steps_by_name(whole).items()}
    assert {name: step["samples"] for name, step in steps_by_name(resumed).items()} == first
