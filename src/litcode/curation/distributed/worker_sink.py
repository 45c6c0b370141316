"""Batches whose outputs the workers write: the driver gets a :class:`BatchSummary`, never an outcome.

A batch task judges its records, stages the survivors (content, signature) and
writes the batch's manifest rows as a Parquet part, both on the filesystem every
node shares (the output directory: NFS, a mounted bucket, or the local disk of a
one-machine cluster). The driver records the batch as done in the ``batches``
table; once the last batch is in, :func:`index_parts` streams the parts into the
``samples`` table. Resume: a batch is done when the manifest says so and both its
files are there.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from pathlib import Path

from litcode.curation.batch_loop import (
    BatchSink,
    BatchSummary,
    NumberedBatch,
    fill_source_names,
    make_ids_unique,
)
from litcode.curation.config import CurationConfig
from litcode.curation.distributed.manifest_parts import ManifestParts, index_parts
from litcode.curation.manifest import Manifest, utc_now
from litcode.curation.manifest_schema import sample_row
from litcode.curation.sample_processing import process_numbered_batch
from litcode.curation.staging import SurvivorStaging


class WorkerSink(BatchSink):
    """Workers write staging and manifest parts; the driver keeps one ``batches`` row per batch.

    >>> import tempfile
    >>> sink = WorkerSink(SurvivorStaging(Path(tempfile.mkdtemp())))
    >>> sink.lost({0})
    {0}
    """

    def __init__(self, staging: SurvivorStaging) -> None:
        self.staging = staging
        self.parts = ManifestParts.beside(staging)

    def work(self, config: CurationConfig, source_name: str) -> Callable[[NumberedBatch], BatchSummary]:
        return functools.partial(write_batch, config, str(self.staging.directory), source_name)

    def record(self, result: BatchSummary, manifest: Manifest, source_name: str) -> BatchSummary:
        steps = json.dumps([stats.to_dict() for stats in result.steps])
        manifest.transaction(
            lambda connection: connection.execute(
                "INSERT OR REPLACE INTO batches VALUES (?, ?, ?, ?, ?, ?, ?)",
                (result.batch_index, result.first_seq, result.count, result.bytes, result.seconds, utc_now(),
                 steps),
            )
        )  # fmt: skip
        return result

    def lost(self, done: set[int]) -> set[int]:
        return {
            batch_index
            for batch_index in done
            if not (self.staging.path(batch_index).is_file() and self.parts.path(batch_index).is_file())
        }

    def finish(self, manifest: Manifest) -> None:
        index_parts(manifest, self.parts, self.staging, sorted(manifest.completed_batches()))


def write_batch(
    config: CurationConfig, staging_directory: str, source_name: str, batch: NumberedBatch
) -> BatchSummary:
    """Worker entry point: judge the batch, write its staged survivors then its manifest part.

    Ids the batch itself repeats are made unique here; ids an earlier batch holds are
    renamed while indexing (:func:`index_parts`), with the same rule.
    """
    started = time.perf_counter()
    result = process_numbered_batch(config, batch)
    outcomes = result.outcomes
    fill_source_names(outcomes, source_name)
    make_ids_unique(outcomes, result.first_seq, set())
    staging = SurvivorStaging(Path(staging_directory))
    staging.write(result.batch_index, outcomes)
    rows = [
        sample_row(outcome, result.first_seq + offset, result.batch_index)
        for offset, outcome in enumerate(outcomes)
    ]
    ManifestParts.beside(staging).write(result.batch_index, rows)
    return BatchSummary(
        result.batch_index,
        result.first_seq,
        len(outcomes),
        sum(outcome.size_bytes for outcome in outcomes),
        time.perf_counter() - started,
        result.steps,
    )
