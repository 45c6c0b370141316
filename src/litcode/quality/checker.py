"""A quality score for one source file, and the repository-popularity gate.

The score is a weighted mean of four signals from :mod:`litcode.quality.signals`:
documentation, type hints, error handling and modern idioms (async, logging,
decorators). Signals a language cannot express are left out and the remaining
weights renormalised, so a shell script is not marked down for lacking type hints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields

from litcode.quality.filter_base import Transform
from litcode.quality.frameworks import detect_frameworks as _detect_frameworks
from litcode.quality.languages import normalize_language
from litcode.quality.sample import CodeSample
from litcode.quality.signals import (
    code_idioms,
    code_patterns,
    documentation_level,
    error_handling_status,
    type_hints_status,
)

# Two of the idioms (async, logging, decorators) earn the "patterns" signal in full.
_IDIOMS_FOR_FULL_CREDIT = 2


@dataclass(frozen=True)
class QualityWeights:
    """How much each signal counts in the score; any non-negative numbers (they are normalised).

    >>> QualityWeights(documentation=1.0, type_hints=0.0, error_handling=0.0, patterns=0.0).documentation
    1.0
    """

    documentation: float = 0.35
    type_hints: float = 0.25
    error_handling: float = 0.25
    patterns: float = 0.15

    def __post_init__(self) -> None:
        values = asdict(self)
        negative = [name for name, value in values.items() if value < 0]
        if negative:
            raise ValueError(f"quality weights must be >= 0; got negative {negative}")
        if sum(values.values()) <= 0:
            raise ValueError("at least one quality weight must be > 0")

    @classmethod
    def from_mapping(cls, weights: Mapping[str, float]) -> QualityWeights:
        """Weights from a dict, e.g. read from YAML; unknown names are an error, missing ones default."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(weights) - known)
        if unknown:
            raise ValueError(f"unknown quality weight(s) {unknown}; expected some of {sorted(known)}")
        return cls(**{name: float(value) for name, value in weights.items()})


class QualityChecker:
    """Scores code, detects frameworks and applies repository star/fork minimums.

    >>> checker = QualityChecker()
    >>> checker.meets_threshold(stars=15, forks=5), checker.meets_threshold(stars=5, forks=5)
    (True, False)
    >>> code = ('import logging\\n\\ndef f(x: int) -> int:\\n    \"\"\"Double x.\"\"\"\\n'
    ...         '    try:\\n        return 2 * x\\n    except TypeError:\\n'
    ...         '        logging.exception("bad")\\n        raise\\n')
    >>> 0.9 <= checker.calculate_quality_score(code, "python") <= 1.0
    True
    >>> sample = checker.assess(CodeSample("x = 1\\n", "python", {}))
    >>> sample.issues
    ['no_documentation', 'no_type_hints', 'no_error_handling']
    """

    def __init__(
        self,
        min_stars: int = 10,
        min_forks: int = 2,
        min_quality_score: float = 0.5,
        weights: QualityWeights | Mapping[str, float] | None = None,
    ) -> None:
        if not 0.0 <= min_quality_score <= 1.0:
            raise ValueError(f"min_quality_score must be in [0, 1], got {min_quality_score}")
        self.min_stars = min_stars
        self.min_forks = min_forks
        self.min_quality_score = min_quality_score
        if weights is None:
            weights = QualityWeights()
        elif not isinstance(weights, QualityWeights):
            weights = QualityWeights.from_mapping(weights)
        self.weights: QualityWeights = weights

    def meets_threshold(self, stars: int | None, forks: int | None) -> bool:
        """True when both counts reach the minimums (inclusive); a missing count fails."""
        if stars is None or forks is None:
            return False
        return stars >= self.min_stars and forks >= self.min_forks

    def has_documentation(self, content: str, language: str | None = None) -> bool:
        """Docstrings, doc comments or at least plain comments."""
        return documentation_level(content, language) > 0.0

    def has_type_hints(self, content: str, language: str | None = None) -> bool:
        """Annotations in Python/TypeScript/PHP; always true for non-empty statically typed code."""
        return bool(type_hints_status(content, language))

    def has_error_handling(self, content: str, language: str | None = None) -> bool:
        """try/except, Result/Err, ``if err != nil``, catch/throw ... in the language's idiom."""
        return bool(error_handling_status(content, language))

    def detect_patterns(self, content: str, language: str | None = None) -> set[str]:
        """The subset of ``{"async", "type_hints", "logging", "decorators"}`` the code uses."""
        return code_patterns(content, language)

    def detect_frameworks(self, content: str, language: str | None = None) -> list[str]:
        """Sorted names of imported frameworks; see :func:`litcode.quality.frameworks.detect_frameworks`."""
        return _detect_frameworks(content, language)

    def calculate_quality_score(self, content: str, language: str | None = None) -> float:
        """A score in [0, 1]; 0.0 for empty or whitespace-only content."""
        return self._score_and_issues(content, normalize_language(language))[0]

    def assess(self, sample: CodeSample) -> CodeSample:
        """Fill ``sample.quality_score``, ``.frameworks`` and ``.issues``; returns the same sample."""
        language = normalize_language(sample.language)
        sample.quality_score, sample.issues = self._score_and_issues(sample.content, language)
        sample.frameworks = _detect_frameworks(sample.content, language)
        return sample

    def _score_and_issues(self, content: str, language: str | None) -> tuple[float, list[str]]:
        if not content or content.isspace():
            return 0.0, ["empty_content"]
        weights = self.weights
        documentation = documentation_level(content, language)
        type_hints = type_hints_status(content, language)
        error_handling = error_handling_status(content, language)
        idioms = code_idioms(content, language)
        # (weight, value) of every signal that applies to this language.
        parts = [(weights.documentation, documentation)]
        if type_hints is not None:
            parts.append((weights.type_hints, float(type_hints)))
        if error_handling is not None:
            parts.append((weights.error_handling, float(error_handling)))
        if idioms is not None and error_handling is not None:
            # Idioms only mean something where the language is a programming language.
            parts.append((weights.patterns, min(len(idioms) / _IDIOMS_FOR_FULL_CREDIT, 1.0)))
        total_weight = sum(weight for weight, _ in parts)
        score = sum(weight * value for weight, value in parts) / total_weight if total_weight else 0.0
        issues = []
        if documentation == 0.0:
            issues.append("no_documentation")
        if type_hints is False:
            issues.append("no_type_hints")
        if error_handling is False:
            issues.append("no_error_handling")
        return min(max(score, 0.0), 1.0), issues


class Assessment(Transform):
    """The step that scores: fills quality score, frameworks and issues of a sample not yet assessed.

    A score already set (by the caller, or an earlier run) is left as it is.

    >>> sample = Assessment().apply(CodeSample("def f(x: int) -> int:\\n    return x\\n", "python", {}))
    >>> sample.quality_score > 0
    True
    """

    def __init__(self, checker: QualityChecker | None = None) -> None:
        self.checker = checker or QualityChecker()

    def apply(self, sample: CodeSample) -> CodeSample:
        if sample.quality_score is None:
            self.checker.assess(sample)
        return sample
