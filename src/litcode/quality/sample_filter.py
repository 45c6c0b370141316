"""One object that applies the common selections to a list of samples and says why each was dropped.

This is the in-memory convenience for notebooks and tests; the streaming,
multi-process pipeline with a manifest lives in :mod:`litcode.curation` and uses the
same filters. Here exact duplicates keep their first occurrence; the pipeline keeps
the best-scored copy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from litcode.quality.checker import QualityChecker
from litcode.quality.filter_base import Filter
from litcode.quality.heuristics import EmptyFilter, SizeFilter
from litcode.quality.sample import CodeSample
from litcode.quality.selection import (
    ExcludePatternFilter,
    FrameworkFilter,
    LanguageFilter,
    QualityScoreFilter,
)


def is_assessed(sample: CodeSample) -> bool:
    """Whether a checker (or the caller) already set the sample's verdicts.

    A sample fresh from a source has score 0.0 and no issues or frameworks; an
    assessed one always has a non-zero score or at least one issue.
    """
    return sample.quality_score != 0.0 or bool(sample.issues) or bool(sample.frameworks)


class SampleFilter:
    """Keeps the samples that pass every configured check; records a reason for each one dropped.

    Checks run in the pipeline's order — ``empty``, ``size``, ``language``,
    ``exclude_pattern``, ``low_quality``, ``missing_framework``, then
    ``exact_duplicate`` — and a dropped sample gets the first reason that applies.
    Samples not yet assessed are assessed (score, frameworks, issues) on the way.
    Each call to :meth:`filter` starts fresh ``dropped``/``drop_counts``.

    >>> samples = [CodeSample("def f():\\n    return 1\\n", "python", {}),
    ...            CodeSample("def f():\\n    return 1\\n", "python", {}),
    ...            CodeSample("fn main() {}\\n", "rust", {})]
    >>> sample_filter = SampleFilter(languages=["python"])
    >>> len(sample_filter.filter(samples)), dict(sample_filter.drop_counts)
    (1, {'exact_duplicate': 1, 'language': 1})
    """

    def __init__(
        self,
        languages: Iterable[str] | None = None,
        min_quality_score: float | None = None,
        min_size: int | None = None,
        max_size: int | None = None,
        exclude_patterns: Iterable[str] = (),
        required_frameworks: Iterable[str] = (),
        deduplicate: bool = True,
        checker: QualityChecker | None = None,
    ) -> None:
        self.checker = checker if checker is not None else QualityChecker()
        self.deduplicate = deduplicate
        filters: list[Filter] = [EmptyFilter()]
        if min_size is not None or max_size is not None:
            filters.append(SizeFilter(min_bytes=min_size or 0, max_bytes=max_size))
        if languages is not None:
            filters.append(LanguageFilter(languages))
        patterns = list(exclude_patterns)
        if patterns:
            filters.append(ExcludePatternFilter(patterns))
        if min_quality_score is not None:
            filters.append(QualityScoreFilter(min_quality_score))
        frameworks = list(required_frameworks)
        if frameworks:
            filters.append(FrameworkFilter(frameworks))
        self.filters: tuple[Filter, ...] = tuple(filters)
        self.dropped: list[tuple[CodeSample, str]] = []
        self.drop_counts: Counter[str] = Counter()

    def filter(self, samples: Iterable[CodeSample]) -> list[CodeSample]:
        """The kept samples, in input order."""
        self.dropped = []
        self.drop_counts = Counter()
        seen_hashes: set[str] = set()
        kept: list[CodeSample] = []
        for sample in samples:
            reason = self.drop_reason(sample)
            if reason is None and self.deduplicate:
                digest = sample.content_hash
                if digest in seen_hashes:
                    reason = "exact_duplicate"
                seen_hashes.add(digest)
            if reason is None:
                kept.append(sample)
            else:
                self.dropped.append((sample, reason))
                self.drop_counts[reason] += 1
        return kept

    def drop_reason(self, sample: CodeSample) -> str | None:
        """The first configured check ``sample`` fails (assessing it if needed), or None to keep it."""
        for check in self.filters:
            if isinstance(check, (QualityScoreFilter, FrameworkFilter)) and not is_assessed(sample):
                self.checker.assess(sample)
            if not check.keep(sample):
                return check.reason
        if not is_assessed(sample):
            self.checker.assess(sample)
        return None
