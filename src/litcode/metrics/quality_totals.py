"""Curation quality figures summed over batches (one batch = one ``record_quality_stats`` call)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from litcode.metrics.validation import require_count


def empty_quality_stats() -> dict[str, Any]:
    return {
        "total_processed": 0,
        "avg_quality_score": 0.0,
        "blocked_files": 0,
        "blocked_by_reason": {},
        "batches": 0,
    }


def add_quality_batch(
    stats: dict[str, Any],
    total_processed: int,
    avg_quality_score: float,
    blocked_files: int | Mapping[str, int],
) -> None:
    """Fold one batch into ``stats`` (in place); raises ``ValueError`` before touching it on bad input.

    Totals add up; ``avg_quality_score`` becomes the average weighted by files processed.
    ``blocked_files`` is a count, or a mapping reason -> count kept in ``blocked_by_reason``.

    >>> stats = empty_quality_stats()
    >>> add_quality_batch(stats, 300, 0.9, {"secret": 2})
    >>> add_quality_batch(stats, 100, 0.5, 1)
    >>> stats["total_processed"], round(stats["avg_quality_score"], 2), stats["blocked_files"]
    (400, 0.8, 3)
    """
    total_processed = require_count("total_processed", total_processed)
    score = float(avg_quality_score)
    if not math.isfinite(score):
        raise ValueError(f"avg_quality_score must be a finite number, got {avg_quality_score!r}")
    if isinstance(blocked_files, Mapping):
        by_reason = {str(k): require_count(f"blocked_files[{k!r}]", v) for k, v in blocked_files.items()}
        blocked = sum(by_reason.values())
    else:
        by_reason, blocked = {}, require_count("blocked_files", blocked_files)
    before = stats["total_processed"]
    after = before + total_processed
    weighted = stats["avg_quality_score"] * before + score * total_processed
    stats["avg_quality_score"] = weighted / after if after else score
    stats["total_processed"] = after
    stats["blocked_files"] += blocked
    for reason, count in by_reason.items():
        stats["blocked_by_reason"][reason] = stats["blocked_by_reason"].get(reason, 0) + count
    stats["batches"] += 1
