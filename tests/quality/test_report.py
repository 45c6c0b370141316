"""QualityReport: distribution, breakdowns, issues, drop reasons, JSON and Markdown."""

from __future__ import annotations

import json

import pytest

from litcode.quality import SCORE_BUCKETS, CodeSample, QualityReport


def scored(score: float, language: str = "python", issues=(), frameworks=()) -> CodeSample:
    return CodeSample(
        "x", language, {}, quality_score=score, issues=list(issues), frameworks=list(frameworks)
    )


@pytest.fixture
def samples() -> list[CodeSample]:
    return [
        scored(0.1, "python", ["no_documentation", "no_type_hints"]),
        scored(0.5, "python", ["no_type_hints"], ["flask"]),
        scored(0.9, "rust", [], ["tokio"]),
        scored(1.0, "rust", ["no_error_handling"], ["tokio", "actix"]),
        scored(0.2, "go", ["no_type_hints"]),
    ]


def test_score_distribution_buckets(samples):
    distribution = QualityReport.from_samples(samples).score_distribution
    assert list(distribution) == list(SCORE_BUCKETS)
    # 0.2 opens the second bucket; 1.0 belongs to the last.
    assert distribution == {"0.0-0.2": 1, "0.2-0.4": 1, "0.4-0.6": 1, "0.6-0.8": 0, "0.8-1.0": 2}


def test_language_breakdown(samples):
    assert QualityReport.from_samples(samples).language_breakdown == {"python": 2, "rust": 2, "go": 1}


def test_common_issues_most_frequent_first(samples):
    issues = QualityReport.from_samples(samples).common_issues
    assert issues[0] == ("no_type_hints", 3)
    assert sorted(issues[1:]) == [("no_documentation", 1), ("no_error_handling", 1)]


def test_average_score_by_language(samples):
    averages = QualityReport.from_samples(samples).average_score_by_language
    assert averages == pytest.approx({"python": 0.3, "rust": 0.95, "go": 0.2})


def test_framework_breakdown(samples):
    assert QualityReport.from_samples(samples).framework_breakdown == {"tokio": 2, "flask": 1, "actix": 1}


def test_average_score_and_total(samples):
    report = QualityReport.from_samples(samples)
    assert report.total_samples == 5
    assert report.average_score == pytest.approx(0.54)


def test_drop_counts_are_carried_into_the_report(samples):
    report = QualityReport.from_samples(samples, dropped_by_reason={"size": 1, "exact_duplicate": 3})
    assert report.dropped_by_reason == {"exact_duplicate": 3, "size": 1}
    assert report.to_dict()["total_dropped"] == 4


def test_to_dict_round_trips_through_json(samples):
    as_dict = QualityReport.from_samples(samples, {"low_quality": 2}).to_dict()
    assert json.loads(json.dumps(as_dict)) == as_dict
    assert as_dict["common_issues"]["no_type_hints"] == 3


def test_to_markdown_has_a_table_per_breakdown(samples):
    markdown = QualityReport.from_samples(samples, {"low_quality": 2}).to_markdown()
    for heading in ("Score distribution", "Languages", "Frameworks", "Common issues", "Dropped by reason"):
        assert f"## {heading}" in markdown
    assert "| rust | 2 | 0.950 |" in markdown
    assert "| low_quality | 2 |" in markdown


def test_report_of_no_samples_is_all_zero():
    report = QualityReport.from_samples([])
    assert report.total_samples == 0
    assert report.average_score == 0.0
    assert set(report.score_distribution.values()) == {0}
    assert "_none_" in report.to_markdown()
