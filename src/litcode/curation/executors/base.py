"""Where per-batch work runs: the seam between the pipeline and a local pool or a cluster."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from litcode.curation.batch_loop import BatchSink, DriverSink
from litcode.curation.config import CurationConfig
from litcode.curation.dedup_stage import DedupStage, run_dedup
from litcode.curation.kept_shards import KeptStage, write_kept_shards
from litcode.curation.staging import SurvivorStaging

InputT = TypeVar("InputT")
OutputT = TypeVar("OutputT")


class Executor(ABC):
    """Maps a picklable function over a stream of batches, yielding results in input order.

    Order is part of the contract: the pipeline numbers batches and records
    them in that order, which is how the same input gives the same manifest
    whatever the worker count. Implementations keep a bounded number of
    batches in flight, so memory does not grow with the corpus.

    >>> class Inline(Executor):
    ...     def map(self, function, items):
    ...         return map(function, items)
    >>> with Inline() as executor:
    ...     list(executor.map(len, [[1], [1, 2]]))
    [1, 2]
    """

    @abstractmethod
    def map(self, function: Callable[[InputT], OutputT], items: Iterable[InputT]) -> Iterator[OutputT]:
        """Apply ``function`` to each item, yielding results in the order of ``items``."""

    def batch_sink(self, config: CurationConfig, staging: SurvivorStaging) -> BatchSink:
        """Who writes each finished batch's staging and manifest rows: the driver, unless the executor's
        workers can (:class:`~litcode.curation.executors.ray.RayExecutor` with ``distributed_dedup``)."""
        return DriverSink(staging)

    def kept_stage(self, config: CurationConfig) -> KeptStage:
        """Who writes ``kept/``: the driver's :func:`write_kept_shards` unless the executor has a twin."""
        return write_kept_shards

    def dedup_stage(self, config: CurationConfig) -> DedupStage:
        """The dedup stage for a run on this executor: the driver's :func:`run_dedup` unless the
        executor has a distributed twin (:class:`~litcode.curation.executors.ray.RayExecutor`)."""
        return run_dedup

    def close(self) -> None:  # noqa: B027 - optional hook, not every executor holds workers
        """Release workers; the default has none."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
