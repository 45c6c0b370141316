"""The curation pipeline: a source in, a curated training set out, every input accounted for.

``curate(source, output_dir, config)`` streams a source through decoding, the
quality filters, the secret/license/security scanners and exact + near dedup,
and writes ``manifest.sqlite`` (one row per input: kept, or dropped with the
first reason of :data:`REASONS` that applies), ``kept/part-*.parquet`` and
``report.json``/``report.md``.
"""

from __future__ import annotations

from litcode.curation.config import CurationConfig
from litcode.curation.errors import CurationError
from litcode.curation.executors import Executor, LocalExecutor
from litcode.curation.manifest import Manifest
from litcode.curation.pipeline import Pipeline, curate
from litcode.curation.reasons import REASONS
from litcode.curation.result import CurationResult
from litcode.curation.tracking import CurationTracker

__all__ = [
    "REASONS",
    "CurationConfig",
    "CurationError",
    "CurationResult",
    "CurationTracker",
    "Executor",
    "LocalExecutor",
    "Manifest",
    "Pipeline",
    "curate",
]
