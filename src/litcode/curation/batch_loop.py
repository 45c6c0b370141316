"""The batch stage of a run: numbered batches to the executor, each finished one handed to a sink.

The loop (skip what the manifest has, number, report progress, count) is the same
whoever writes a batch's outputs; the :class:`BatchSink` decides that. The
:class:`DriverSink` gets every outcome back and writes staging and the manifest
rows here; a cluster's sink (:class:`~litcode.curation.distributed.WorkerSink`) has
the workers write them and gets only a :class:`BatchSummary`.
"""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from litcode.curation.config import CurationConfig
from litcode.curation.manifest import Manifest
from litcode.curation.outcome import SampleOutcome
from litcode.curation.progress import ProgressOption, ProgressReporter, shows_progress
from litcode.curation.run_input import batched
from litcode.curation.run_totals import RunTotals
from litcode.curation.sample_processing import BatchResult, process_numbered_batch
from litcode.curation.staging import SurvivorStaging
from litcode.curation.tracking import CurationTracker
from litcode.quality.chain import StepStats
from litcode.sources import Source, SourceRecord

if TYPE_CHECKING:
    from litcode.curation.executors import Executor

#: ``(batch_index, first_seq, records)``: one unit of work, as the executor maps it.
NumberedBatch = tuple[int, int, list[SourceRecord]]


@dataclass(frozen=True)
class BatchSummary:
    """What the driver learns of a batch whose outputs a worker wrote: counts, time, step figures."""

    batch_index: int
    first_seq: int
    count: int
    bytes: int
    seconds: float
    steps: list[StepStats] = field(default_factory=list)


class BatchSink(ABC):
    """Where a finished batch's outcomes go, and what makes a recorded batch trustworthy on resume."""

    @abstractmethod
    def work(self, config: CurationConfig, source_name: str) -> Callable[[NumberedBatch], Any]:
        """The picklable function the executor maps over numbered batches."""

    @abstractmethod
    def record(self, result: Any, manifest: Manifest, source_name: str) -> BatchSummary:
        """Record one result of :meth:`work` (in batch order) and say what it held."""

    def lost(self, done: set[int]) -> set[int]:
        """Batches the manifest calls done whose files are gone (they are redone)."""
        return set()

    def finish(self, manifest: Manifest) -> None:  # noqa: B027 - optional: only a worker sink has more to do
        """After the last batch: bring the manifest's ``samples`` table up to date."""


class DriverSink(BatchSink):
    """The driver writes each batch: survivors to staging, then rows and completion in one transaction."""

    def __init__(self, staging: SurvivorStaging) -> None:
        self.staging = staging

    def work(self, config: CurationConfig, source_name: str) -> Callable[[NumberedBatch], BatchResult]:
        return functools.partial(process_numbered_batch, config)

    def record(self, result: BatchResult, manifest: Manifest, source_name: str) -> BatchSummary:
        outcomes = result.outcomes
        fill_source_names(outcomes, source_name)
        make_ids_unique(outcomes, result.first_seq, manifest.existing_ids(o.sample_id for o in outcomes))
        self.staging.write(result.batch_index, outcomes)
        manifest.record_batch(result.batch_index, result.first_seq, outcomes, result.seconds, result.steps)
        size = sum(outcome.size_bytes for outcome in outcomes)
        return BatchSummary(result.batch_index, result.first_seq, len(outcomes), size, result.seconds)

    def lost(self, done: set[int]) -> set[int]:
        return {batch_index for batch_index in done if not self.staging.path(batch_index).is_file()}


def run_batches(
    source: Source,
    config: CurationConfig,
    manifest: Manifest,
    sink: BatchSink,
    totals: RunTotals,
    executor: Executor,
    progress: ProgressOption = None,
    tracker: CurationTracker | None = None,
) -> None:
    """Process every batch the manifest does not have yet, in order, through ``executor`` into ``sink``."""
    done = manifest.completed_batches()
    lost = sink.lost(done)
    if lost:
        manifest.forget_batches(lost)  # their survivors' content is gone: redo them
        done -= lost
    reporter = ProgressReporter(progress, source.estimated_count() if shows_progress(progress) else None)

    def pending() -> Iterator[NumberedBatch]:
        for batch_index, records in enumerate(batched(source, config.batch_size)):
            first_seq = totals.records
            totals.records += len(records)
            if batch_index in done:
                totals.reused_batches += 1
                reporter.advance(len(records))
                continue
            yield batch_index, first_seq, records

    try:
        for result in executor.map(sink.work(config, source.name), pending()):
            summary = sink.record(result, manifest, source.name)
            if tracker is not None:
                tracker.record_processing_time(summary.seconds, files=summary.count)
            totals.processed_files += summary.count
            totals.processed_bytes += summary.bytes
            reporter.advance(summary.count)
    finally:
        reporter.close()
    sink.finish(manifest)


def fill_source_names(outcomes: list[SampleOutcome], name: str) -> None:
    for outcome in outcomes:
        if outcome.source is None:
            outcome.source = name


def make_ids_unique(outcomes: list[SampleOutcome], first_seq: int, taken: set[str]) -> None:
    """A source that repeats an id must not lose a row: later repeats get ``#<input position>``.

    ``taken``: the ids of this batch that earlier batches already hold (updated in place).
    """
    for offset, outcome in enumerate(outcomes):
        if outcome.sample_id in taken:
            outcome.sample_id = f"{outcome.sample_id}#{first_seq + offset}"
        taken.add(outcome.sample_id)
