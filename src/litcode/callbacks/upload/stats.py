"""``UploadStats``: the one home of upload figures, and ``UploadStatsSink``, what receives them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Protocol

#: The counters an uploader keeps, named as in :class:`UploadStats`.
COUNTERS = ("uploaded", "attempts", "failed_attempts", "retries", "bytes_uploaded", "rejected_by_breaker")


@dataclass(frozen=True)
class UploadStats(Mapping[str, object]):
    """Counters of a :class:`~litcode.callbacks.upload.uploader.CheckpointUploader` at one moment.

    The one home of upload statistics: the callback's ``stats``, the loggers'
    ``upload/*`` figures, the tracker's ``record_upload`` and ``run.json`` all read this.

    ``uploaded``: checkpoints committed (bytes and SHA-256 verified remote).
    ``attempts``/``failed_attempts``/``retries``: every put-verify-commit try, the failed ones, and
    the backoff waits between them. ``pending``: not yet committed (``backlog`` queued +
    ``in_flight`` + ``permanent_failures`` held back; ``deferred`` of the backlog wait for room).
    ``deleted``/``deletions_pending``: remote copies removed by retention, and those waiting for a
    retry. ``dead_remote``: the final flush gave up on a remote that stayed down.
    ``superseded``: dropped knowingly (a newer
    save of the same name, a full backlog, or rotated away under ``skip_superseded``), each one
    logged. ``breaker_state``: the circuit breaker's state.

    >>> stats = UploadStats(uploaded=2, bytes_uploaded=10, upload_seconds=2.0)
    >>> stats["uploaded"], stats.bytes_per_second, "breaker_state" in stats
    (2, 5.0, True)
    """

    uploaded: int = 0
    attempts: int = 0
    failed_attempts: int = 0
    retries: int = 0
    pending: int = 0
    backlog: int = 0
    deferred: int = 0
    in_flight: int = 0
    permanent_failures: int = 0
    superseded: int = 0
    rejected_by_breaker: int = 0
    bytes_uploaded: int = 0
    upload_seconds: float = 0.0
    bytes_per_second: float = 0.0
    breaker_state: str = "closed"
    journaled: int = 0
    deleted: int = 0
    deletions_pending: int = 0
    dead_remote: bool = False
    last_error: str | None = None

    def __post_init__(self) -> None:
        if self.upload_seconds > 0 and not self.bytes_per_second:
            object.__setattr__(self, "bytes_per_second", self.bytes_uploaded / self.upload_seconds)

    def __getitem__(self, key: str) -> object:
        if key not in self._names():
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    @classmethod
    def _names(cls) -> tuple[str, ...]:
        return tuple(field.name for field in fields(cls))

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def numeric(self, prefix: str = "upload/") -> dict[str, float]:
        """The numeric figures, keyed for a logger (``breaker_state`` as 0 closed, 0.5 half-open, 1 open)."""
        figures: dict[str, float] = {
            f"{prefix}{key}": float(value)
            for key, value in self.as_dict().items()
            if isinstance(value, int | float) and not isinstance(value, bool)
        }
        figures[f"{prefix}breaker_open"] = {"closed": 0.0, "half_open": 0.5}.get(self.breaker_state, 1.0)
        return figures


class UploadStatsSink(Protocol):
    """What uploads need of a tracker: somewhere to keep the latest figures (``MetricsTracker`` is one)."""

    def record_upload(self, stats: UploadStats) -> object: ...
