"""``curate``: stream a source through the per-sample checks, dedup the survivors, write the outputs.

The run in order:

1. open the manifest; a finished run with the same config and source is
   returned as it is, a changed one starts fresh, an interrupted one resumes;
2. stream records in numbered batches to the executor, skipping batches the
   manifest already has; each finished batch is staged and recorded atomically
   (the executor's :class:`~litcode.curation.batch_loop.BatchSink` says by whom: the
   driver, or the workers of a Ray run with ``distributed_dedup``);
3. exact then near dedup over all survivors (the executor's dedup stage);
4. ``kept/part-*.parquet`` (the executor's kept stage), the invariant check,
   ``report.json``/``report.md``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from pathlib import Path
from typing import Any

from litcode.curation.batch_loop import run_batches
from litcode.curation.conditions import check_conditions
from litcode.curation.config import CurationConfig
from litcode.curation.decontamination import contamination_index
from litcode.curation.errors import CurationError
from litcode.curation.executors import Executor, make_executor
from litcode.curation.manifest import Manifest
from litcode.curation.progress import ProgressOption
from litcode.curation.report import build_report, kept_quality_report, write_report
from litcode.curation.result import CurationResult
from litcode.curation.run_input import check_output_outside, open_run_source
from litcode.curation.run_totals import RunTotals
from litcode.curation.staging import SurvivorStaging
from litcode.curation.tracking import CurationTracker
from litcode.sources import Source, StdlibSource

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
                    sink = executor.batch_sink(config, staging)
                    run_batches(opened, config, manifest, sink, totals, executor, self.progress, self.tracker)
                batches = sorted(manifest.completed_batches())
                with totals.timed("dedup"):
                    executor.dedup_stage(config)(manifest, staging, config, batches)
                with totals.timed("kept_shards"):
                    kept_stage = executor.kept_stage(config)
                    kept_paths = kept_stage(manifest, staging, batches, output / "kept", config)
            finally:
                executor.close()
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
