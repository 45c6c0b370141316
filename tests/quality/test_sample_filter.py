"""SampleFilter: the seed-level filter over a list, with a recorded reason per dropped sample."""

from __future__ import annotations

from collections import Counter

import pytest

from litcode.quality import CodeSample, QualityChecker, SampleFilter

DOCUMENTED = """\
\"\"\"Tools.\"\"\"

def parse(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise
"""
BARE = "def parse(text):\n    return int(text)\n"


def make(content: str, language: str = "python", **metadata) -> CodeSample:
    return CodeSample(content, language, metadata)


def test_filters_by_language():
    samples = [make("x = 1\n"), make("fn main() {}\n", "rust"), make("package main\n", "go")]
    sample_filter = SampleFilter(languages=["python", "go"])
    assert [s.language for s in sample_filter.filter(samples)] == ["python", "go"]
    assert sample_filter.dropped == [(samples[1], "language")]


def test_filters_by_quality_score_after_assessing():
    good, bad = make(DOCUMENTED), make(BARE)
    sample_filter = SampleFilter(min_quality_score=0.5)
    assert sample_filter.filter([good, bad]) == [good]
    assert sample_filter.drop_counts == Counter({"low_quality": 1})
    assert bad.quality_score < 0.5 <= good.quality_score


def test_quality_filter_respects_scores_set_by_the_caller():
    preset = make(BARE)
    preset.quality_score = 0.8
    assert SampleFilter(min_quality_score=0.7).filter([preset]) == [preset]


@pytest.mark.parametrize(("size", "kept"), [(4, False), (5, True), (10, True), (11, False)])
def test_filters_by_size_with_inclusive_bounds(size, kept):
    sample_filter = SampleFilter(min_size=5, max_size=10)
    result = sample_filter.filter([make("x" * size)])
    assert bool(result) is kept
    assert sample_filter.drop_counts["size"] == (0 if kept else 1)


def test_filters_by_exclude_regex():
    samples = [make("x = 1\n", path="pkg/tests/test_a.py"), make("y = 2\n", path="pkg/a.py")]
    sample_filter = SampleFilter(exclude_patterns=[r"(^|/)tests/"])
    assert sample_filter.filter(samples) == [samples[1]]
    assert sample_filter.dropped[0][1] == "exclude_pattern"


def test_filters_by_required_framework():
    samples = [make("import torch\n"), make("from flask import Flask\n"), make("x = 1\n")]
    sample_filter = SampleFilter(required_frameworks=["pytorch", "flask"])
    assert sample_filter.filter(samples) == samples[:2]
    assert sample_filter.drop_counts == Counter({"missing_framework": 1})


def test_exact_duplicates_keep_the_first_occurrence():
    first, copy, other = make("x = 1\n", path="a.py"), make("x = 1\n", path="b.py"), make("y = 2\n")
    sample_filter = SampleFilter()
    assert sample_filter.filter([first, copy, other]) == [first, other]
    assert sample_filter.dropped == [(copy, "exact_duplicate")]


def test_duplicates_differing_only_in_line_endings_are_duplicates():
    sample_filter = SampleFilter()
    assert len(sample_filter.filter([make("a = 1\nb = 2\n"), make("a = 1\r\nb = 2\r\n")])) == 1


def test_deduplication_can_be_turned_off():
    assert len(SampleFilter(deduplicate=False).filter([make("x = 1\n"), make("x = 1\n")])) == 2


def test_empty_samples_are_dropped_as_empty():
    sample_filter = SampleFilter()
    assert sample_filter.filter([make(""), make("  \n")]) == []
    assert sample_filter.drop_counts == Counter({"empty": 2})


def test_first_failing_check_names_the_reason():
    # Wrong language AND too small: language comes after size in pipeline order.
    sample_filter = SampleFilter(languages=["rust"], min_size=100)
    sample_filter.filter([make("x = 1\n")])
    assert sample_filter.dropped[0][1] == "size"


def test_every_input_is_kept_or_dropped_with_a_reason():
    samples = [make(DOCUMENTED), make(BARE), make(BARE), make("", "go"), make("fn x() {}", "rust")]
    sample_filter = SampleFilter(languages=["python"], min_quality_score=0.5)
    kept = sample_filter.filter(samples)
    assert len(kept) + len(sample_filter.dropped) == len(samples)
    assert sum(sample_filter.drop_counts.values()) == len(sample_filter.dropped)


def test_each_call_starts_fresh_counts():
    sample_filter = SampleFilter()
    sample_filter.filter([make("x\n"), make("x\n")])
    sample_filter.filter([make("x\n")])
    assert sample_filter.drop_counts == Counter()


def test_kept_samples_are_assessed():
    (kept,) = SampleFilter().filter([make("import torch\n")])
    assert kept.frameworks == ["pytorch"]
    assert "no_documentation" in kept.issues


def test_uses_the_given_checker():
    lenient = QualityChecker(
        weights={"documentation": 0, "type_hints": 0, "error_handling": 1, "patterns": 0}
    )
    sample_filter = SampleFilter(min_quality_score=1.0, checker=lenient)
    assert len(sample_filter.filter([make("try:\n    f()\nexcept OSError:\n    pass\n")])) == 1
