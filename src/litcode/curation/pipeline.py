"""``curate``: stream a source through the per-sample checks, dedup the survivors, write the outputs.

The run in order:

1. open the manifest; a finished run with the same config and source is
   returned as it is, a changed one starts fresh, an interrupted one resumes;
2. stream records in numbered batches to the executor, skipping batches the
   manifest already has; each finished batch is staged and recorded atomically;
3. exact then near dedup over all survivors;
4. ``kept/part-*.parquet``, the invariant check, ``report.json``/``report.md``.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from litcode.curation.conditions import check_conditions
from litcode.curation.config import CurationConfig
from litcode.curation.decontamination import contamination_index
from litcode.curation.errors import CurationError
from litcode.curation.executors import Executor, make_executor
from litcode.curation.kept_shards import write_kept_shards
from litcode.curation.manifest import Manifest
from litcode.curation.outcome import SampleOutcome
from litcode.curation.progress import ProgressOption, ProgressReporter, shows_progress
from litcode.curation.report import build_report, kept_quality_report, write_report
from litcode.curation.result import CurationResult
from litcode.curation.run_input import batched, check_output_outside, open_run_source
from litcode.curation.run_totals import RunTotals
from litcode.curation.sample_processing import process_numbered_batch
from litcode.curation.staging import SurvivorStaging
from litcode.curation.tracking import CurationTracker
from litcode.sources import Source, SourceRecord, StdlibSource

logger = logging.getLogger("litcode.curation")

MANIFEST_NAME = "manifest.sqlite"
#: The standard library's license; the embedded default source does not state it per file.
STDLIB_LICENSE = "PSF-2.0"


class Pipeline:
    """A configured curation run, reusable over several sources.

    ``tracker`` (a :class:`~litcode.curation.tracking.CurationTracker`, e.g. a
    :class:`litcode.metrics.MetricsTracker`) gets one processing time per batch and
    the quality figures of the finished run. ``ray_address``: the Ray cluster to join
    with ``executor="ray"`` (None starts a local one).

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> repo = root / "corpus" / "repo"
    >>> repo.mkdir(parents=True)
    >>> _ = (repo / "a.py").write_text("def add(a: int, b: int) -> int:\\n    return a + b\\n")
    >>> config = CurationConfig(licenses="off", min_quality_score=0.0)
    >>> result = Pipeline(config, num_workers=0, progress=False).run(root / "corpus", root / "out")
    >>> result.inputs, result.kept
    (1, 1)
    """

    def __init__(
        self,
        config: CurationConfig | None = None,
        *,
        num_workers: int | None = None,
        executor: str | Executor = "local",
        progress: ProgressOption = None,
        tracker: CurationTracker | None = None,
        ray_address: str | None = None,
    ) -> None:
        self.config = config if config is not None else CurationConfig()
        if not isinstance(self.config, CurationConfig):
            raise CurationError(f"config must be a CurationConfig, got {type(self.config).__name__}")
        self.executor = executor
        self.num_workers = num_workers
        self.progress = progress
        self.tracker = tracker
        self.ray_address = ray_address

    def run(self, source: Any, output_dir: str | Path) -> CurationResult:
        started = time.perf_counter()
        opened = open_run_source(source)
        config = self._effective_config(opened)
        opened = opened.with_read_limit(config.max_bytes)  # the config's max_bytes is the one size limit
        if config.decontamination:
            # A missing or malformed benchmark fails here, before any output exists; the index is
            # then built once per process (workers forked from here inherit it).
            contamination_index(config.decontamination, config.decontamination_ngram_size)
        output = Path(output_dir)
        check_output_outside(opened, output)
        # Made before any output is touched, so an unknown or missing executor fails at once;
        # it starts workers (a pool, a Ray runtime) only when it first maps a batch.
        executor = make_executor(self.executor, self.num_workers, address=self.ray_address)
        output.mkdir(parents=True, exist_ok=True)
        staging = SurvivorStaging(output / ".staging")
        with Manifest(output / MANIFEST_NAME) as manifest:
            source_fingerprint = opened.fingerprint()
            reusable = self._reusable(manifest, output, config, source_fingerprint)
            if reusable is not None:
                logger.info("curation of %s already finished in %s; reusing it", opened.name, output)
                return reusable
            latest = manifest.latest_run()
            resumable = latest is not None and latest["status"] in ("running", "interrupted")
            if not (resumable and _same_identity(latest, config, source_fingerprint)):
                manifest.clear()  # another config or source, or a finished run whose outputs are gone
                staging.remove()
            run_id = manifest.start_run(config.fingerprint(), source_fingerprint, config.to_dict())
            totals = RunTotals()
            try:
                with totals.timed("batches"):
                    self._process_batches(opened, config, manifest, staging, totals, executor)
                batches = sorted(manifest.completed_batches())
                with totals.timed("dedup"):
                    executor.dedup_stage(config)(manifest, staging, config, batches)
            finally:
                executor.close()
            with totals.timed("kept_shards"):
                kept_paths = write_kept_shards(manifest, staging, batches, output / "kept", config)
            inputs, kept, dropped_by_reason = _checked_counts(manifest, totals.records)
            checks, warnings = check_conditions(manifest, config, opened)
            for warning in warnings:
                logger.warning(warning)
            seconds = time.perf_counter() - started
            header = {
                "source": opened.name,
                "source_fingerprint": source_fingerprint,
                "config_fingerprint": config.fingerprint(),
                "config": config.to_dict(),
                "manifest": MANIFEST_NAME,
                "kept_files": [str(path.relative_to(output)) for path in kept_paths],
                "warnings": warnings,
                "conditions": [check.to_dict() for check in checks],
            }
            quality = kept_quality_report(manifest)
            report = build_report(manifest, quality=quality, timings=totals.timings(seconds), header=header)
            report_path = write_report(output, report, quality)
            manifest.finish_run(run_id, inputs, kept)
        staging.remove()
        if self.tracker is not None:
            self.tracker.record_quality_stats(
                total_processed=inputs, avg_quality_score=quality.average_score, blocked_files=inputs - kept
            )
        return CurationResult(
            inputs=inputs,
            kept=kept,
            dropped_by_reason=dropped_by_reason,
            output_dir=output,
            manifest_path=output / MANIFEST_NAME,
            report_path=report_path,
            kept_paths=kept_paths,
            report=report,
        )

    def _effective_config(self, source: Source) -> CurationConfig:
        if self.config.default_license is None and isinstance(source, StdlibSource):
            return dataclasses.replace(self.config, default_license=STDLIB_LICENSE)
        return self.config

    def _reusable(
        self, manifest: Manifest, output: Path, config: CurationConfig, source_fingerprint: str
    ) -> CurationResult | None:
        """The finished result on disk, when config, source and outputs all still match."""
        latest = manifest.latest_run()
        if latest is None or latest["status"] != "finished":
            return None
        if not _same_identity(latest, config, source_fingerprint):
            return None
        report_path = output / "report.json"
        try:
            report = json.loads(report_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        kept_paths = [output / name for name in report.get("kept_files", [])]
        if not all(path.is_file() for path in kept_paths):
            return None
        inputs, kept, dropped_by_reason = manifest.counts()
        return CurationResult(
            inputs, kept, dropped_by_reason, output, output / MANIFEST_NAME, report_path, kept_paths, report
        )

    def _process_batches(
        self,
        source: Source,
        config: CurationConfig,
        manifest: Manifest,
        staging: SurvivorStaging,
        totals: RunTotals,
        executor: Executor,
    ) -> None:
        done = manifest.completed_batches()
        lost = {batch_index for batch_index in done if not staging.path(batch_index).is_file()}
        if lost:
            manifest.forget_batches(lost)  # their survivors' content is gone: redo them
            done -= lost
        total = source.estimated_count() if shows_progress(self.progress) else None
        reporter = ProgressReporter(self.progress, total)

        def pending() -> Iterator[tuple[int, int, list[SourceRecord]]]:
            for batch_index, records in enumerate(batched(source, config.batch_size)):
                first_seq = totals.records
                totals.records += len(records)
                if batch_index in done:
                    totals.reused_batches += 1
                    reporter.advance(len(records))
                    continue
                yield batch_index, first_seq, records

        work = functools.partial(process_numbered_batch, config)
        try:
            for batch in executor.map(work, pending()):
                outcomes = batch.outcomes
                _fill_source_names(outcomes, source.name)
                _make_ids_unique(outcomes, batch.first_seq, manifest)
                staging.write(batch.batch_index, outcomes)
                manifest.record_batch(
                    batch.batch_index, batch.first_seq, outcomes, batch.seconds, batch.steps
                )
                if self.tracker is not None:
                    self.tracker.record_processing_time(batch.seconds, files=len(outcomes))
                totals.processed_files += len(outcomes)
                totals.processed_bytes += sum(outcome.size_bytes for outcome in outcomes)
                reporter.advance(len(outcomes))
        finally:
            reporter.close()


def curate(
    source: Any,
    output_dir: str | Path,
    config: CurationConfig | None = None,
    *,
    num_workers: int | None = None,
    executor: str | Executor = "local",
    progress: ProgressOption = None,
    tracker: CurationTracker | None = None,
    ray_address: str | None = None,
) -> CurationResult:
    """Curate ``source`` into ``output_dir`` (manifest, kept Parquet shards, report); see :class:`Pipeline`.

    ``source``: a path (a tree of repos, ``.jsonl[.gz|.zst]``, ``.parquet``), a list
    of them, a :class:`litcode.sources.Source`, or None for this interpreter's
    standard library. ``num_workers``: processes (None: one per CPU; 0 or 1: in
    this process). ``executor``: ``"local"``, ``"ray"`` (joining ``ray_address``, or a
    cluster started here when None) or an :class:`Executor`. Same input and config give
    the same kept set and reasons whatever the executor and worker count; rerunning
    resumes or reuses. ``tracker`` gets one processing time per batch
    (:mod:`~litcode.curation.tracking`).
    """
    return Pipeline(
        config,
        num_workers=num_workers,
        executor=executor,
        progress=progress,
        tracker=tracker,
        ray_address=ray_address,
    ).run(source, output_dir)


def _same_identity(run: dict[str, Any] | None, config: CurationConfig, source_fingerprint: str) -> bool:
    if run is None:
        return False
    return bool(
        run["config_fingerprint"] == config.fingerprint() and run["source_fingerprint"] == source_fingerprint
    )


def _fill_source_names(outcomes: list[SampleOutcome], name: str) -> None:
    for outcome in outcomes:
        if outcome.source is None:
            outcome.source = name


def _make_ids_unique(outcomes: list[SampleOutcome], first_seq: int, manifest: Manifest) -> None:
    """A source that repeats an id must not lose a row: later repeats get ``#<input position>``."""
    taken = manifest.existing_ids(outcome.sample_id for outcome in outcomes)
    for offset, outcome in enumerate(outcomes):
        if outcome.sample_id in taken:
            outcome.sample_id = f"{outcome.sample_id}#{first_seq + offset}"
        taken.add(outcome.sample_id)


def _checked_counts(manifest: Manifest, records_read: int) -> tuple[int, int, dict[str, int]]:
    inputs, kept, dropped_by_reason = manifest.counts()
    dropped = sum(dropped_by_reason.values())
    if inputs != records_read or kept + dropped != inputs:
        raise CurationError(
            f"manifest does not account for every input: read {records_read} records, manifest has "
            f"{inputs} rows, kept {kept} + dropped {dropped} = {kept + dropped}; the output in this folder "
            "is incomplete, delete it and rerun"
        )
    return inputs, kept, dropped_by_reason
