"""What a curated set looks like: score histogram, languages, frameworks, issues, drop reasons."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from litcode.quality.sample import CodeSample

SCORE_BUCKETS = ("0.0-0.2", "0.2-0.4", "0.4-0.6", "0.6-0.8", "0.8-1.0")
"""Histogram labels; each bucket holds ``low <= score < high``, the last also holds 1.0."""
_BUCKET_EDGES = np.linspace(0.0, 1.0, len(SCORE_BUCKETS) + 1)


@dataclass
class QualityReport:
    """Summary statistics of a set of assessed samples, renderable as JSON or Markdown.

    >>> samples = [CodeSample("a", "python", {}, quality_score=0.9, issues=["no_type_hints"]),
    ...            CodeSample("b", "rust", {}, quality_score=0.3, frameworks=["tokio"])]
    >>> report = QualityReport.from_samples(samples, dropped_by_reason={"size": 2})
    >>> report.score_distribution["0.8-1.0"], report.language_breakdown, report.common_issues
    (1, {'python': 1, 'rust': 1}, [('no_type_hints', 1)])
    >>> report.to_markdown().splitlines()[0]
    '# Quality report'
    """

    total_samples: int = 0
    average_score: float = 0.0
    score_distribution: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCORE_BUCKETS, 0))
    language_breakdown: dict[str, int] = field(default_factory=dict)
    average_score_by_language: dict[str, float] = field(default_factory=dict)
    framework_breakdown: dict[str, int] = field(default_factory=dict)
    common_issues: list[tuple[str, int]] = field(default_factory=list)
    dropped_by_reason: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_samples(
        cls,
        samples: Iterable[CodeSample],
        dropped_by_reason: Mapping[str, int] | None = None,
    ) -> QualityReport:
        """Aggregate ``samples`` (the kept set, usually); ``dropped_by_reason`` adds the drop counts.

        Scores average over the assessed samples only (``quality_score`` not None).
        """
        scores: list[float] = []
        languages: Counter[str] = Counter()
        score_sums: defaultdict[str, float] = defaultdict(float)
        frameworks: Counter[str] = Counter()
        issues: Counter[str] = Counter()
        scored: Counter[str] = Counter()
        total = 0
        for sample in samples:
            total += 1
            language = sample.language or "unknown"
            languages[language] += 1
            if sample.quality_score is not None:
                scores.append(sample.quality_score)
                scored[language] += 1
                score_sums[language] += sample.quality_score
            frameworks.update(sample.frameworks)
            issues.update(sample.issues)
        counts, _ = np.histogram(np.clip(scores, 0.0, 1.0), bins=_BUCKET_EDGES)
        return cls(
            total_samples=total,
            average_score=float(np.mean(scores)) if scores else 0.0,
            score_distribution=dict(zip(SCORE_BUCKETS, map(int, counts), strict=True)),
            language_breakdown=dict(languages.most_common()),
            average_score_by_language={
                language: score_sums[language] / scored[language] if scored[language] else 0.0
                for language, _ in languages.most_common()
            },
            framework_breakdown=dict(frameworks.most_common()),
            common_issues=issues.most_common(),
            dropped_by_reason=dict(Counter(dropped_by_reason or {}).most_common()),
        )

    @property
    def total_dropped(self) -> int:
        return sum(self.dropped_by_reason.values())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict; ``common_issues`` becomes an ordered ``{issue: count}``."""
        return {
            "total_samples": self.total_samples,
            "total_dropped": self.total_dropped,
            "average_score": self.average_score,
            "score_distribution": dict(self.score_distribution),
            "language_breakdown": dict(self.language_breakdown),
            "average_score_by_language": dict(self.average_score_by_language),
            "framework_breakdown": dict(self.framework_breakdown),
            "common_issues": dict(self.common_issues),
            "dropped_by_reason": dict(self.dropped_by_reason),
        }

    def to_markdown(self) -> str:
        """A human-readable report with one table per breakdown."""
        lines = [
            "# Quality report",
            "",
            f"- Samples: {self.total_samples}",
            f"- Dropped: {self.total_dropped}",
            f"- Average score: {self.average_score:.3f}",
        ]
        lines += _table("Score distribution", ("Score", "Samples"), self.score_distribution.items())
        lines += _table(
            "Languages",
            ("Language", "Samples", "Average score"),
            (
                (language, count, f"{self.average_score_by_language[language]:.3f}")
                for language, count in self.language_breakdown.items()
            ),
        )
        lines += _table("Frameworks", ("Framework", "Samples"), self.framework_breakdown.items())
        lines += _table("Common issues", ("Issue", "Samples"), self.common_issues)
        lines += _table("Dropped by reason", ("Reason", "Samples"), self.dropped_by_reason.items())
        return "\n".join(lines) + "\n"


def _table(title: str, header: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> list[str]:
    body = [f"| {' | '.join(str(cell) for cell in row)} |" for row in rows]
    if not body:
        return ["", f"## {title}", "", "_none_"]
    separator = f"|{'|'.join('---' for _ in header)}|"
    return ["", f"## {title}", "", f"| {' | '.join(header)} |", separator, *body]
