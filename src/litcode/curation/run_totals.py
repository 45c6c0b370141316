"""What one invocation of a run read, processed and spent, stage by stage."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RunTotals:
    """What this invocation read and processed (a resumed run reuses batches it does not process).

    >>> totals = RunTotals(processed_files=10, processed_bytes=2_000_000)
    >>> totals.timings(2.0)["mb_per_second"]
    1.0
    """

    records: int = 0
    processed_files: int = 0
    processed_bytes: int = 0
    reused_batches: int = 0
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.stage_seconds[stage] = time.perf_counter() - started

    def timings(self, seconds: float) -> dict[str, Any]:
        return {
            "seconds": round(seconds, 4),
            "stages": {stage: round(spent, 4) for stage, spent in self.stage_seconds.items()},
            "processed_files": self.processed_files,
            "processed_bytes": self.processed_bytes,
            "reused_batches": self.reused_batches,
            "files_per_second": round(self.processed_files / seconds, 2) if seconds else 0.0,
            "mb_per_second": round(self.processed_bytes / 1e6 / seconds, 3) if seconds else 0.0,
        }
