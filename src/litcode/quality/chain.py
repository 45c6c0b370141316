"""One loop over the steps of a run: it alone runs filters and transforms, counts drops and times steps.

Both :class:`~litcode.quality.sample_filter.SampleFilter` (in memory) and the
curation workers run their samples through a :class:`SampleChain`, so a step
behaves, is counted and is timed the same way in both.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from litcode.quality.filter_base import Filter, Step
from litcode.quality.sample import CodeSample


class StepError(Exception):
    """A step raised on a sample: a bug or an unexpected input, named by step and sample."""


@dataclass
class StepStats:
    """What one step cost and decided: samples it saw, seconds spent, samples it dropped.

    >>> total = merge_step_stats([[StepStats("EmptyFilter", "empty", 2, 0.5, 1)],
    ...                           [StepStats("EmptyFilter", "empty", 3, 0.25, 0)]])
    >>> total[0].samples, total[0].seconds, total[0].dropped
    (5, 0.75, 1)
    """

    step: str
    reason: str | None
    samples: int = 0
    seconds: float = 0.0
    dropped: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> StepStats:
        return cls(**values)


@dataclass
class Verdict:
    """The sample after the chain, and the reason of the filter that dropped it (None: kept)."""

    sample: CodeSample
    reason: str | None = None

    @property
    def kept(self) -> bool:
        return self.reason is None


class SampleChain:
    """Run ``steps`` in order over a sample; the first filter that says no drops it with its reason.

    On a drop the filter's :meth:`~litcode.quality.filter_base.Filter.explain` fills
    ``sample.detail``. :attr:`stats` holds one :class:`StepStats` per step, summed over
    every sample run since the last :meth:`reset`.

    >>> from litcode.quality.heuristics import EmptyFilter, SizeFilter
    >>> chain = SampleChain([EmptyFilter(), SizeFilter(max_bytes=3)])
    >>> [chain.run(CodeSample(text, "python", {})).reason for text in ("", "x = 1", "x")]
    ['empty', 'size', None]
    >>> [(stats.step, stats.samples, stats.dropped) for stats in chain.stats]
    [('EmptyFilter', 3, 1), ('SizeFilter', 2, 1)]
    """

    def __init__(self, steps: Sequence[Step]) -> None:
        self.steps: tuple[Step, ...] = tuple(steps)
        self.stats: list[StepStats] = []
        self.reset()

    def reset(self) -> None:
        """Start counting afresh (a worker does this per batch, so each batch reports its own share)."""
        self.stats = [
            StepStats(step.name, step.reason if isinstance(step, Filter) else None) for step in self.steps
        ]

    def run(self, sample: CodeSample) -> Verdict:
        clock = time.perf_counter
        for step, stats in zip(self.steps, self.stats, strict=True):
            stats.samples += 1
            started = clock()
            try:
                if isinstance(step, Filter):
                    if not step.keep(sample):
                        sample.detail = step.explain(sample)
                        stats.dropped += 1
                        return Verdict(sample, step.reason)
                else:
                    sample = step.apply(sample)
            except Exception as error:
                raise StepError(
                    f"{step!r} failed on sample {sample.sample_id!r}: {type(error).__name__}: {error}"
                ) from error
            finally:
                stats.seconds += clock() - started
        return Verdict(sample)

    def drop_counts(self) -> dict[str, int]:
        """Samples dropped per reason since the last reset (reasons with no drop left out)."""
        counts: dict[str, int] = {}
        for stats in self.stats:
            if stats.dropped and stats.reason is not None:
                counts[stats.reason] = counts.get(stats.reason, 0) + stats.dropped
        return counts


def merge_step_stats(parts: Iterable[Iterable[StepStats]]) -> list[StepStats]:
    """Sum per-step stats of several batches or workers by step name, in first-seen order."""
    merged: dict[str, StepStats] = {}
    for part in parts:
        for stats in part:
            total = merged.setdefault(stats.step, StepStats(stats.step, stats.reason))
            total.samples += stats.samples
            total.seconds += stats.seconds
            total.dropped += stats.dropped
    return list(merged.values())
