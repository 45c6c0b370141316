"""Selection filters: language, exclude regex, repo thresholds, score, frameworks."""

from __future__ import annotations

import pytest

from litcode.quality import (
    CodeSample,
    ExcludePatternFilter,
    FrameworkFilter,
    LanguageFilter,
    QualityScoreFilter,
    RepoThresholdFilter,
)


def test_language_filter_matches_any_spelling():
    keep_cpp = LanguageFilter(["C++", "Python"])
    assert keep_cpp.keep(CodeSample("int x;", "cpp", {})) is True
    assert keep_cpp.keep(CodeSample("int x;", "C++", {})) is True
    assert keep_cpp.keep(CodeSample("x = 1", "PYTHON", {})) is True
    assert keep_cpp.keep(CodeSample("fn main(){}", "rust", {})) is False


def test_language_filter_drops_samples_without_language():
    assert LanguageFilter(["python"]).keep(CodeSample("x", "", {})) is False


def test_language_filter_needs_a_language():
    with pytest.raises(ValueError, match="at least one language"):
        LanguageFilter([" "])


def test_exclude_pattern_searches_path_and_content_by_default():
    exclude = ExcludePatternFilter([r"_pb2\.py$", r"SECRET_SAUCE"])
    assert exclude.keep(CodeSample("x = 1", "python", {"path": "api/user_pb2.py"})) is False
    assert exclude.keep(CodeSample("SECRET_SAUCE = 1", "python", {"path": "a.py"})) is False
    assert exclude.keep(CodeSample("x = 1", "python", {"path": "api/user.py"})) is True


def test_exclude_pattern_can_be_limited_to_the_path():
    path_only = ExcludePatternFilter([r"vendor/"], fields=["path"])
    assert path_only.keep(CodeSample("# copied from vendor/lib", "python", {"path": "src/a.py"})) is True
    assert path_only.keep(CodeSample("x", "python", {"path": "vendor/lib.py"})) is False


def test_exclude_pattern_handles_a_sample_without_path():
    assert ExcludePatternFilter([r"^tests/"]).keep(CodeSample("x = 1", "python", {})) is True


def test_invalid_exclude_pattern_is_a_clear_error():
    with pytest.raises(ValueError, match=r"invalid exclude pattern '\(unclosed'"):
        ExcludePatternFilter(["(unclosed"])


def test_exclude_pattern_rejects_unknown_fields():
    with pytest.raises(ValueError, match="fields"):
        ExcludePatternFilter(["x"], fields=["repo"])


@pytest.mark.parametrize(
    ("metadata", "kept"),
    [
        ({"stars": 15, "forks": 5}, True),
        ({"stars": 5, "forks": 5}, False),
        ({"stars": 15, "forks": 1}, False),
        ({"stars": 10, "forks": 2}, True),
        ({"stars": "3", "forks": 9}, False),  # a count given as text (CSV) still counts
        ({"stars": None, "forks": None}, True),  # the source did not say: not checked
        ({}, True),
        ({"forks": 0}, False),
    ],
)
def test_repo_threshold_filter(metadata, kept):
    assert RepoThresholdFilter(min_stars=10, min_forks=2).keep(CodeSample("x", "python", metadata)) is kept


@pytest.mark.parametrize(("score", "kept"), [(0.49, False), (0.5, True), (0.9, True)])
def test_quality_score_filter_minimum_is_inclusive(score, kept):
    sample = CodeSample("x", "python", {}, quality_score=score)
    assert QualityScoreFilter(0.5).keep(sample) is kept


def test_framework_filter_uses_assessed_frameworks():
    sample = CodeSample("no imports here", "python", {}, frameworks=["django"])
    assert FrameworkFilter(["django"]).keep(sample) is True


def test_framework_filter_detects_when_not_assessed():
    sample = CodeSample("from flask import Flask\n", "python", {})
    assert FrameworkFilter(["flask"]).keep(sample) is True
    assert FrameworkFilter(["django"]).keep(sample) is False


def test_framework_filter_require_all():
    sample = CodeSample("import torch\nfrom fastapi import FastAPI\n", "python", {})
    assert FrameworkFilter(["pytorch", "fastapi"], require_all=True).keep(sample) is True
    assert FrameworkFilter(["pytorch", "flask"], require_all=True).keep(sample) is False


def test_framework_filter_rejects_unknown_framework():
    with pytest.raises(ValueError, match="unknown: \\['rails'\\]"):
        FrameworkFilter(["rails"])
