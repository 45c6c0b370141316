"""The typed CodeSample: DESIGN's constructor still works, and the source's facts are real fields."""

from __future__ import annotations

from litcode.quality import CodeSample, QualityChecker, QualityReport


def test_design_constructor_lifts_known_metadata_into_fields() -> None:
    metadata = {"path": "pkg/a.py", "repo": "octo/pkg", "stars": "15", "forks": 2, "license": "MIT", "x": 1}
    sample = CodeSample("x = 1\n", "python", metadata)
    assert (sample.path, sample.repo, sample.stars, sample.forks, sample.license) == (
        "pkg/a.py",
        "octo/pkg",
        15,
        2,
        "MIT",
    )
    assert sample.sample_id == "pkg/a.py"
    assert sample.metadata is metadata and metadata["x"] == 1


def test_a_license_list_in_metadata_becomes_stated_licenses() -> None:
    sample = CodeSample("x", "python", {"license": ["MIT", "Apache-2.0"]})
    assert (sample.stated_licenses, sample.license) == (("MIT", "Apache-2.0"), None)


def test_quality_score_is_none_until_assessed() -> None:
    sample = CodeSample("x = 1\n", "python", {})
    assert sample.quality_score is None and not sample.assessed
    QualityChecker().assess(sample)
    assert sample.quality_score is not None and sample.assessed


def test_quality_score_can_be_set() -> None:
    sample = CodeSample("x = 1\n", "python", {})
    sample.quality_score = 0.7
    assert sample.quality_score == 0.7


def test_without_path_the_id_is_the_content_hash() -> None:
    sample = CodeSample("x = 1\n", "python", {})
    assert sample.sample_id == sample.content_hash


def test_a_non_numeric_star_count_is_unknown_not_an_error() -> None:
    assert CodeSample("x", "python", {"stars": "many"}).stars is None


def test_redaction_counts_start_at_zero_and_are_apart() -> None:
    sample = CodeSample("x", "python", {})
    assert (sample.secrets_redacted, sample.pii_redacted, sample.insecure_rules, sample.detail) == (
        0,
        0,
        {},
        None,
    )


def test_report_averages_only_assessed_scores() -> None:
    report = QualityReport.from_samples(
        [CodeSample("a", "python", {}, quality_score=0.8), CodeSample("b", "python", {})]
    )
    assert (report.total_samples, report.average_score) == (2, 0.8)
