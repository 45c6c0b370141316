"""The ``upload:`` block of a training config: when and how checkpoints go to remote storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from litcode.resilience import CircuitBreaker, RetryPolicy

#: Replaced by the run directory (absolute) in ``remote_url``, so one config serves many runs.
RUN_DIR_PLACEHOLDER = "{run_dir}"


@dataclass
class BreakerSettings:
    """The circuit breaker that guards the remote: open after ``failure_threshold`` failures in a row.

    Args:
        failure_threshold: consecutive failed uploads that open the breaker.
        recovery_timeout: seconds the breaker stays open before one trial upload.

    >>> breaker = UploadSettings("s3://b/run", breaker=BreakerSettings(failure_threshold=3)).build_breaker()
    >>> breaker.failure_threshold, breaker.state == "closed"
    (3, True)
    """

    failure_threshold: int = 5
    recovery_timeout: float = 60.0


@dataclass
class UploadSettings:
    """Options of ``CheckpointUploadCallback``; no ``remote_url`` means no upload callback at all.

    ``remote_url`` is any fsspec URL (``s3://bucket/run``, ``gs://...``, ``file:///mnt/ckpt``);
    ``{run_dir}`` in it stands for the run directory. ``retry``/``breaker``: ``None`` keeps the
    callback's defaults.

    Args:
        remote_url: fsspec URL the checkpoints go to; ``{run_dir}`` expands; unset: no uploads.
        storage_options: fsspec options (endpoint, credentials, ...).
        retry: retry policy of each upload; None: the callback's default.
        breaker: circuit breaker settings; None: the callback's default.
        num_workers: upload threads.
        max_backlog: checkpoints waiting to upload before a save blocks.
        flush_timeout: seconds the fit waits at its end for uploads to finish.
        verify: how a remote copy is checked: ``sha256`` (read back) or ``size``.
        mirror_deletions: delete remote checkpoints that ModelCheckpoint rotated away locally.
        skip_superseded: skip queued uploads that a newer save of the same name replaced.

    >>> UploadSettings("file://{run_dir}/remote").resolved_remote_url(Path("/runs/a"))
    'file:///runs/a/remote'
    """

    remote_url: str | None = None
    storage_options: dict[str, Any] = field(default_factory=dict)
    retry: RetryPolicy | None = None
    breaker: BreakerSettings | None = None
    num_workers: int = 2
    max_backlog: int = 16
    flush_timeout: float = 300.0
    verify: Literal["sha256", "size"] = "sha256"
    mirror_deletions: bool = False
    skip_superseded: bool = False

    def resolved_remote_url(self, run_dir: Path) -> str | None:
        if not self.remote_url:
            return None
        return self.remote_url.replace(RUN_DIR_PLACEHOLDER, str(run_dir.absolute()))

    def build_breaker(self) -> CircuitBreaker | None:
        if self.breaker is None:
            return None
        return CircuitBreaker(
            failure_threshold=self.breaker.failure_threshold,
            recovery_timeout=self.breaker.recovery_timeout,
            name="checkpoint-upload",
        )
