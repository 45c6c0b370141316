"""One loop runs filters and transforms, counts every drop once and times every step."""

from __future__ import annotations

import pytest

from litcode.quality import (
    CodeSample,
    EmptyFilter,
    Filter,
    SampleChain,
    SampleFilter,
    SizeFilter,
    StepError,
    StepStats,
    Transform,
    merge_step_stats,
)


class Shout(Transform):
    def apply(self, sample: CodeSample) -> CodeSample:
        sample.content = sample.content.upper()
        return sample


class NoShouting(Filter):
    reason = "exclude_pattern"

    def __init__(self) -> None:
        self.explained = 0

    def keep(self, sample: CodeSample) -> bool:
        return not sample.content.isupper()

    def explain(self, sample: CodeSample) -> str | None:
        self.explained += 1
        return "all caps"


class Broken(Filter):
    reason = "size"

    def keep(self, sample: CodeSample) -> bool:
        raise RuntimeError("boom")


def test_transforms_feed_the_filters_after_them() -> None:
    verdict = SampleChain([Shout(), NoShouting()]).run(CodeSample("x = 1", "python", {}))
    assert (verdict.kept, verdict.reason, verdict.sample.content) == (False, "exclude_pattern", "X = 1")


def test_explain_is_asked_only_on_a_drop_and_fills_detail() -> None:
    no_shouting = NoShouting()
    chain = SampleChain([no_shouting])
    kept = chain.run(CodeSample("x = 1", "python", {}))
    dropped = chain.run(CodeSample("X = 1", "python", {}))
    assert (kept.sample.detail, dropped.sample.detail, no_shouting.explained) == (None, "all caps", 1)


def test_a_dropped_sample_is_not_seen_by_later_steps() -> None:
    chain = SampleChain([EmptyFilter(), Shout()])
    chain.run(CodeSample("", "python", {}))
    assert [(stats.step, stats.samples, stats.dropped) for stats in chain.stats] == [
        ("EmptyFilter", 1, 1),
        ("Shout", 0, 0),
    ]


def test_every_step_is_timed() -> None:
    chain = SampleChain([EmptyFilter(), Shout()])
    chain.run(CodeSample("x = 1", "python", {}))
    assert all(stats.seconds > 0 for stats in chain.stats)


def test_reset_starts_the_counts_afresh() -> None:
    chain = SampleChain([EmptyFilter()])
    chain.run(CodeSample("", "python", {}))
    chain.reset()
    assert chain.drop_counts() == {} and chain.stats[0].samples == 0


def test_a_failing_step_names_itself_and_the_sample() -> None:
    with pytest.raises(StepError, match=r"Broken.*'repo/a\.py'.*RuntimeError: boom"):
        SampleChain([Broken()]).run(CodeSample("x", "python", {"sample_id": "repo/a.py"}))


def test_stats_of_batches_merge_by_step() -> None:
    merged = merge_step_stats(
        [[StepStats("EmptyFilter", "empty", 4, 0.5, 1)], [StepStats("EmptyFilter", "empty", 2, 0.25, 2)]]
    )
    assert merged == [StepStats("EmptyFilter", "empty", 6, 0.75, 3)]


def test_sample_filter_counts_drops_through_the_chain() -> None:
    sample_filter = SampleFilter(max_size=5)
    kept = sample_filter.filter(
        [CodeSample(text, "python", {}) for text in ("", "x = 1", "x = 1", "x = 12345")]
    )
    assert len(kept) == 1
    assert dict(sample_filter.drop_counts) == {"empty": 1, "size": 1, "exact_duplicate": 1}
    assert [stats.step for stats in sample_filter.step_stats] == [
        "EmptyFilter",
        "SizeFilter",
        "Assessment",
        "FirstCopyFilter",
    ]


def test_sample_filter_respects_a_score_the_caller_set_to_zero() -> None:
    documented = '"""Add numbers."""\n\n\ndef add(a: int, b: int) -> int:\n    """Sum."""\n    return a + b\n'
    preset = CodeSample(documented, "python", {}, quality_score=0.0)
    assert SampleFilter(min_quality_score=0.5).filter([preset]) == []


def test_size_filter_and_sample_agree_on_utf8_size() -> None:
    sample = CodeSample("é" * 3, "python", {})
    assert sample.size_bytes == 6
    assert SizeFilter(max_bytes=6).keep(sample) and not SizeFilter(max_bytes=5).keep(sample)
