"""One object that applies the common selections to a list of samples and says why each was dropped.

This is the in-memory convenience for notebooks and tests; the streaming,
multi-process pipeline with a manifest lives in :mod:`litcode.curation` and runs
the same steps through the same :class:`~litcode.quality.chain.SampleChain`. Here
exact duplicates keep their first occurrence; the pipeline keeps the best-scored copy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from litcode.quality.chain import SampleChain, StepStats
from litcode.quality.checker import Assessment, QualityChecker
from litcode.quality.filter_base import Filter, Step
from litcode.quality.heuristics import EmptyFilter, SizeFilter
from litcode.quality.sample import CodeSample
from litcode.quality.selection import (
    ExcludePatternFilter,
    FrameworkFilter,
    LanguageFilter,
    QualityScoreFilter,
)


class FirstCopyFilter(Filter):
    """Drops a sample whose content hash an earlier sample had (line endings normalized).

    Unlike the other filters it remembers what it saw: make one per pass (``SampleFilter``
    does, per call to ``filter``).

    >>> first_copy = FirstCopyFilter()
    >>> [first_copy.keep(CodeSample(text, "python", {})) for text in ("a\\n", "a\\r\\n", "b\\n")]
    [True, False, True]
    """

    reason = "exact_duplicate"

    def __init__(self) -> None:
        self._first: dict[str, str] = {}

    def keep(self, sample: CodeSample) -> bool:
        digest = sample.content_hash
        if digest in self._first:
            return False
        self._first[digest] = sample.sample_id
        return True

    def explain(self, sample: CodeSample) -> str | None:
        return self._first.get(sample.content_hash)


class SampleFilter:
    """Keeps the samples that pass every configured check; records a reason for each one dropped.

    Checks run in the pipeline's order — ``empty``, ``size``, ``language``,
    ``exclude_pattern``, ``low_quality``, ``missing_framework``, then
    ``exact_duplicate`` — and a dropped sample gets the first reason that applies.
    Samples that pass the cheap checks and have no score yet are assessed (score,
    frameworks, issues) on the way. Each call to :meth:`filter` starts fresh
    ``dropped``/``drop_counts``/``step_stats``.

    >>> samples = [CodeSample("def f():\\n    return 1\\n", "python", {}),
    ...            CodeSample("def f():\\n    return 1\\n", "python", {}),
    ...            CodeSample("fn main() {}\\n", "rust", {})]
    >>> sample_filter = SampleFilter(languages=["python"])
    >>> len(sample_filter.filter(samples)), dict(sample_filter.drop_counts)
    (1, {'language': 1, 'exact_duplicate': 1})
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
        steps: list[Step] = [EmptyFilter()]
        if min_size is not None or max_size is not None:
            steps.append(SizeFilter(min_bytes=min_size or 0, max_bytes=max_size))
        if languages is not None:
            steps.append(LanguageFilter(languages))
        patterns = list(exclude_patterns)
        if patterns:
            steps.append(ExcludePatternFilter(patterns))
        steps.append(Assessment(self.checker))
        if min_quality_score is not None:
            steps.append(QualityScoreFilter(min_quality_score))
        frameworks = list(required_frameworks)
        if frameworks:
            steps.append(FrameworkFilter(frameworks))
        self.steps: tuple[Step, ...] = tuple(steps)
        self.dropped: list[tuple[CodeSample, str]] = []
        self.drop_counts: Counter[str] = Counter()
        self.step_stats: list[StepStats] = []

    @property
    def filters(self) -> tuple[Filter, ...]:
        """The keep/drop steps, in order (the dedup step of a pass is added per call)."""
        return tuple(step for step in self.steps if isinstance(step, Filter))

    def filter(self, samples: Iterable[CodeSample]) -> list[CodeSample]:
        """The kept samples, in input order."""
        chain = SampleChain([*self.steps, FirstCopyFilter()] if self.deduplicate else self.steps)
        self.dropped = []
        kept: list[CodeSample] = []
        for sample in samples:
            verdict = chain.run(sample)
            if verdict.reason is None:
                kept.append(verdict.sample)
            else:
                self.dropped.append((verdict.sample, verdict.reason))
        self.drop_counts = Counter(chain.drop_counts())
        self.step_stats = chain.stats
        return kept
