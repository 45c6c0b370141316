"""Filters that select what a user asked for: languages, paths, popular repos, score, frameworks."""

from __future__ import annotations

import re
from collections.abc import Iterable

from litcode.quality.filter_base import Filter
from litcode.quality.frameworks import FRAMEWORK_LANGUAGES, detect_frameworks
from litcode.quality.languages import normalize_language
from litcode.quality.sample import CodeSample


class LanguageFilter(Filter):
    """Keeps samples in one of ``languages`` (any spelling :func:`normalize_language` knows).

    >>> LanguageFilter(["Python", "C++"]).keep(CodeSample("int x;", "cpp", {}))
    True
    """

    reason = "language"

    def __init__(self, languages: Iterable[str]) -> None:
        self.languages = frozenset(filter(None, map(normalize_language, languages)))
        if not self.languages:
            raise ValueError("LanguageFilter needs at least one language name")

    def keep(self, sample: CodeSample) -> bool:
        return normalize_language(sample.language) in self.languages


class ExcludePatternFilter(Filter):
    """Drops samples where any regex matches the path (``sample.path``) or the content.

    Patterns use :func:`re.search` semantics (anchor with ``^``/``$`` yourself);
    ``fields`` picks what is searched: ``("path", "content")`` by default.

    >>> exclude = ExcludePatternFilter([r"(^|/)tests?/", r"DO NOT SHIP"])
    >>> exclude.keep(CodeSample("x = 1", "python", {"path": "pkg/tests/test_x.py"}))
    False
    >>> exclude.keep(CodeSample("x = 1", "python", {"path": "pkg/x.py"}))
    True
    """

    reason = "exclude_pattern"

    def __init__(
        self, patterns: Iterable[str | re.Pattern[str]], fields: Iterable[str] = ("path", "content")
    ):
        self.fields = tuple(fields)
        unknown = set(self.fields) - {"path", "content"}
        if unknown or not self.fields:
            raise ValueError(f"fields must be a non-empty subset of ('path', 'content'), got {self.fields}")
        self.patterns: list[re.Pattern[str]] = []
        for pattern in patterns:
            try:
                self.patterns.append(re.compile(pattern))
            except re.error as error:
                raise ValueError(f"invalid exclude pattern {pattern!r}: {error}") from None

    def keep(self, sample: CodeSample) -> bool:
        texts = []
        if "path" in self.fields:
            texts.append(sample.path or "")
        if "content" in self.fields:
            texts.append(sample.content)
        return not any(pattern.search(text) for pattern in self.patterns for text in texts)


class RepoThresholdFilter(Filter):
    """Drops samples from repos under ``min_stars``/``min_forks`` (inclusive minimums).

    Reads ``sample.stars``/``sample.forks``; a number the source does not give is not checked.

    >>> gate = RepoThresholdFilter(min_stars=10, min_forks=2)
    >>> [gate.keep(CodeSample("", "go", m)) for m in ({"stars": 15, "forks": 1}, {"stars": 10}, {})]
    [False, True, True]
    """

    reason = "repo_threshold"

    def __init__(self, min_stars: int | None = 10, min_forks: int | None = 2) -> None:
        self.min_stars = min_stars
        self.min_forks = min_forks

    def keep(self, sample: CodeSample) -> bool:
        stars, forks = sample.stars, sample.forks
        if self.min_stars is not None and stars is not None and stars < self.min_stars:
            return False
        return not (self.min_forks is not None and forks is not None and forks < self.min_forks)


class QualityScoreFilter(Filter):
    """Drops samples whose ``quality_score`` is below ``min_score``.

    Reads the score :class:`~litcode.quality.checker.Assessment` put on the sample; one
    not assessed (``quality_score is None``) cannot meet a minimum and is dropped.

    >>> sample = CodeSample("x = 1", "python", {})
    >>> sample.quality_score = 0.7
    >>> QualityScoreFilter(0.5).keep(sample), QualityScoreFilter(0.8).keep(sample)
    (True, False)
    """

    reason = "low_quality"

    def __init__(self, min_score: float = 0.5) -> None:
        if not 0.0 <= min_score <= 1.0:
            raise ValueError(f"min_score must be in [0, 1], got {min_score}")
        self.min_score = min_score

    def keep(self, sample: CodeSample) -> bool:
        return sample.quality_score is not None and sample.quality_score >= self.min_score


class FrameworkFilter(Filter):
    """Keeps samples that use at least one of ``required`` frameworks (all of them with ``require_all``).

    Uses ``sample.frameworks`` when assessment filled it, and detects them otherwise.

    >>> FrameworkFilter(["pytorch"]).keep(CodeSample("import torch\\n", "python", {}))
    True
    >>> FrameworkFilter(["Flask", "Django"]).keep(CodeSample("import torch\\n", "python", {}))
    False
    """

    reason = "missing_framework"

    def __init__(self, required: Iterable[str], require_all: bool = False) -> None:
        self.required = frozenset(name.strip().lower() for name in required)
        unknown = sorted(self.required - set(FRAMEWORK_LANGUAGES))
        if unknown or not self.required:
            raise ValueError(
                f"required frameworks must be a non-empty subset of {sorted(FRAMEWORK_LANGUAGES)}; "
                f"unknown: {unknown}"
            )
        self.require_all = require_all

    def keep(self, sample: CodeSample) -> bool:
        found = set(sample.frameworks or detect_frameworks(sample.content, sample.language))
        return self.required <= found if self.require_all else bool(self.required & found)
