"""``CheckpointUploadCallback``: every checkpoint the Trainer writes, uploaded, verified, never lost.

Hooks, in Trainer order: ``setup`` wraps ``trainer.save_checkpoint`` on every rank
(sharded DCP saves: every rank uploads its files, rank 0 commits; :mod:`.sharded_saves`)
and, on rank 0, the strategy's ``CheckpointIO`` (unsharded saves are staged and queued);
``on_fit_start`` finds the staging directory, picks up an earlier journal, starts the
workers; ``on_train_start`` chains a SIGTERM hook to Lightning's; batch/validation/epoch
ends sweep the checkpoint callbacks' paths for saves that bypass ``CheckpointIO``
(``save_last="link"`` symlinks) and report figures; ``on_exception``/``teardown`` flush
with a deadline (short after SIGTERM or with a dead remote), journal the rest and print
the ``litcode upload --resume`` command (rank 0, after the fit's last collective).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytorch_lightning as pl
from pytorch_lightning.callbacks import Callback
from pytorch_lightning.utilities.exceptions import SIGTERMException

from litcode.callbacks.upload.intake import CheckpointIntake
from litcode.callbacks.upload.journal import JOURNAL_NAME, StagingArea, UploadJournal
from litcode.callbacks.upload.lightning_io import (
    SigtermHook,
    UploadingCheckpointIO,
    default_staging_dir,
    install_uploading_io,
    is_local_path,
    resumed_checkpoint_name,
)
from litcode.callbacks.upload.remote import RemoteStore, VerifyMode
from litcode.callbacks.upload.reporting import UploadReporter
from litcode.callbacks.upload.resume import default_cache_dir, fetch_verified
from litcode.callbacks.upload.sharded_saves import ShardedSaves
from litcode.callbacks.upload.stats import UploadStats, UploadStatsSink
from litcode.callbacks.upload.uploader import CheckpointUploader
from litcode.resilience import CircuitBreaker, RetryPolicy

logger = logging.getLogger("litcode.callbacks.upload")


class CheckpointUploadCallback(Callback):
    """Upload every checkpoint to ``remote_url`` (any fsspec URL) in the background, verified.

    Each save is hard-linked into a staging directory (so top-k rotation cannot
    lose it), uploaded by ``num_workers`` threads through ``retry`` (default:
    full-jitter backoff with a deadline) and ``breaker``, read back and checked
    (size + SHA-256), and only then named by ``latest.json`` at ``remote_url``.
    While the breaker is open training goes on; ``max_backlog`` saves queue, more
    are deferred (still staged and journaled, never dropped). At the end whatever
    is not committed is journaled in the staging directory and reported with the
    ``litcode upload --resume DIR`` command that finishes it (the next fit with
    this callback does too). ``tracker.record_upload(stats)`` gets the figures.
    Sharded saves of a multi-process fit: each rank uploads its own files (same policies), rank 0 commits.

    Args:
        remote_url: where checkpoints go, under their path relative to ``ModelCheckpoint.dirpath``.
        retry, breaker: the resilience policies (defaults in :mod:`.uploader`).
        storage_options: passed to the fsspec filesystem (endpoint, credentials, ...).
        keep_last: keep only the N most recently committed checkpoints of this run on the remote
            (never the one ``latest.json`` names, nor the one the fit resumed from); None keeps all.
        flush_timeout / sigterm_flush_timeout: how long the final flush may wait; a dead remote
            (breaker open through 2 x recovery_timeout and a failed trial) ends it sooner.
        verify: ``"sha256"`` (read back every byte) or ``"size"``.
        mirror_deletions: delete remote copies of rotated top-k files once a newer one is committed.
        skip_superseded: skip queued uploads whose file was rotated away before they started.
        num_workers / max_backlog: upload threads, and saves queued before more are deferred.
        staging_dir: default ``<dirpath>/.upload-staging`` (same filesystem, so hard links work).
        handle_sigterm: cut the final flush short on SIGTERM (the journal keeps the rest).
        tracker: gets ``record_upload(stats)`` after upload events (a ``MetricsTracker``).
        sleep: the wait between retries and for a breaker's trial (tests pass a fake).

    >>> import tempfile
    >>> import pytorch_lightning as pl
    >>> from pytorch_lightning.demos.boring_classes import BoringModel
    >>> root = tempfile.mkdtemp()
    >>> upload = CheckpointUploadCallback("memory://doctest-callback/run")
    >>> trainer = pl.Trainer(default_root_dir=root, max_steps=2, logger=False, callbacks=[upload],
    ...                      enable_progress_bar=False, enable_model_summary=False)
    >>> trainer.fit(BoringModel())
    >>> upload.stats["uploaded"], upload.pending()
    (1, [])
    """

    def __init__(
        self,
        remote_url: str,
        retry: RetryPolicy | None = None,
        breaker: CircuitBreaker | None = None,
        storage_options: Mapping[str, Any] | None = None,
        *,
        keep_last: int | None = None,
        staging_dir: str | os.PathLike[str] | None = None,
        num_workers: int = 2,
        max_backlog: int = 16,
        flush_timeout: float = 300.0,
        sigterm_flush_timeout: float = 20.0,
        verify: VerifyMode = "sha256",
        mirror_deletions: bool = False,
        skip_superseded: bool = False,
        tracker: UploadStatsSink | None = None,
        handle_sigterm: bool = True,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        if not remote_url:
            raise ValueError(
                "remote_url must be an fsspec URL such as 's3://bucket/run' or 'file:///mnt/ckpt'"
            )
        self.remote_url = remote_url.rstrip("/")
        if keep_last is not None and keep_last < 1:
            raise ValueError(f"keep_last must be >= 1 (or None to keep every checkpoint), got {keep_last}")
        self.retry, self.breaker, self.keep_last = retry, breaker, keep_last
        self.storage_options = dict(storage_options or {})
        self.staging_dir = Path(staging_dir) if staging_dir is not None else None
        self.num_workers, self.max_backlog = num_workers, max_backlog
        self.flush_timeout, self.sigterm_flush_timeout = flush_timeout, sigterm_flush_timeout
        self.verify, self.mirror_deletions, self.skip_superseded = verify, mirror_deletions, skip_superseded
        self.tracker, self.sleep = tracker, sleep
        self.sigterm = threading.Event()
        self._sigterm_hook = SigtermHook(self.sigterm) if handle_sigterm else None
        self._store: RemoteStore | None = None
        self._uploader: CheckpointUploader | None = None
        self._trainer: pl.Trainer | None = None
        self._undo_checkpoint_io: Callable[[], None] | None = None
        self._sharded = ShardedSaves(self)  # every rank uploads its files of a sharded save
        self._intake = CheckpointIntake(skip=self._sharded.handled)
        self._reporter = UploadReporter()
        self._finished_stats: UploadStats | None = None
        self._final_pending: list[str] = []
        self._staging_dir: Path | None = None

    # -- public ----------------------------------------------------------------------

    @property
    def uploader(self) -> CheckpointUploader | None:
        return self._uploader

    @property
    def resume_command(self) -> str | None:
        """The command that finishes what is pending (None before a fit set up the staging directory)."""
        return f"litcode upload --resume {self._staging_dir}" if self._staging_dir is not None else None

    def pending(self) -> list[str]:
        """Remote names of checkpoints not yet committed (queued, uploading, failed, or journaled)."""
        if self._uploader is None:
            return list(self._final_pending)
        return [upload.name for upload in self._uploader.pending()]

    @property
    def stats(self) -> UploadStats:
        """Upload counters; see :class:`~litcode.callbacks.upload.stats.UploadStats`."""
        if self._uploader is not None:
            return self._uploader.stats
        if self._finished_stats is not None:
            return self._finished_stats
        state = str(self.breaker.state) if self.breaker is not None else "closed"
        return UploadStats(breaker_state=state)

    # -- hooks, in Trainer order --------------------------------------------------------

    def setup(self, trainer: pl.Trainer, pl_module: pl.LightningModule, stage: str) -> None:
        if stage != "fit":
            return
        self._sharded.install(trainer)
        if not trainer.is_global_zero:
            return
        self._trainer = trainer
        self.sigterm.clear()
        self._store = RemoteStore(self.remote_url, self.storage_options, verify=self.verify)
        self._undo_checkpoint_io = install_uploading_io(
            trainer.strategy,
            lambda inner: UploadingCheckpointIO(inner, self._on_saved, self._on_removed, self._fetch_remote),
        )

    def on_fit_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if self._store is None or self._uploader is not None:
            return
        staging_dir = self._staging_dir = (self.staging_dir or default_staging_dir(trainer)).absolute()
        journal = UploadJournal(staging_dir / JOURNAL_NAME)
        self._uploader = CheckpointUploader(
            self._store,
            retry=self.retry,
            breaker=self.breaker,
            staging=StagingArea(staging_dir),
            journal=journal,
            num_workers=self.num_workers,
            max_backlog=self.max_backlog,
            keep_last=self.keep_last,
            mirror_deletions=self.mirror_deletions,
            skip_superseded=self.skip_superseded,
            sleep=self.sleep,
        )
        self.breaker = self._uploader.breaker
        resumed = resumed_checkpoint_name(trainer, self.remote_url, default_cache_dir(self.remote_url))
        if resumed is not None:
            self._uploader.latest.protected.add(resumed)
        contents = journal.read()
        if contents.pending:
            logger.warning(
                "Resuming %d checkpoint upload(s) journaled by an earlier run in %s",
                len(contents.pending),
                journal.path,
            )
            self._uploader.restore(contents.pending, contents.latest_sequence)
        self._uploader.start()

    def on_train_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        # Lightning registers its SIGTERM handler after ``setup``; installed now, ours runs first and
        # chains to it, and is removed before Lightning restores the handlers it found.
        if self._store is not None and self._sigterm_hook is not None:
            self._sigterm_hook.install()

    def on_train_batch_end(self, trainer: pl.Trainer, *args: Any, **kwargs: Any) -> None:
        self._sweep(trainer)
        self._report(trainer)

    def on_validation_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        self._sweep(trainer)

    def on_train_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        self._sweep(trainer)
        self._report(trainer)

    def on_exception(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, exception: BaseException
    ) -> None:
        # Lightning calls no ``teardown`` hook after an exception, so this is the last word here.
        if isinstance(exception, SIGTERMException) or getattr(trainer, "received_sigterm", False):
            self.sigterm.set()
        self._close_down(trainer)

    def teardown(self, trainer: pl.Trainer, pl_module: pl.LightningModule, stage: str) -> None:
        if stage == "fit":
            self._close_down(trainer)

    def _close_down(self, trainer: pl.Trainer) -> None:
        self._sharded.uninstall()
        if self._store is None:
            return
        self._finish(trainer, self.sigterm_flush_timeout if self.sigterm.is_set() else self.flush_timeout)
        if self._undo_checkpoint_io is not None:
            self._undo_checkpoint_io()
            self._undo_checkpoint_io = None
        if self._sigterm_hook is not None:
            self._sigterm_hook.uninstall()
        self._store = None
        self._trainer = None

    # -- saves and removals ---------------------------------------------------------------

    def _on_saved(self, path: str, checkpoint: dict[str, Any]) -> None:
        trainer = self._trainer
        step = checkpoint.get("global_step", trainer.global_step if trainer else 0)
        epoch = checkpoint.get("epoch", trainer.current_epoch if trainer else 0)
        self._intake.submit(self._uploader, trainer, path, int(step), int(epoch))

    def _on_removed(self, path: str) -> None:
        if self._uploader is not None and is_local_path(path):
            self._uploader.note_local_removal(self._intake.remote_name(self._trainer, path))

    def _sweep(self, trainer: pl.Trainer) -> None:
        self._intake.sweep(self._uploader, trainer)

    def _fetch_remote(self, path: str) -> str | None:
        """A ``ckpt_path`` URL under our remote: download it, verify its SHA-256, load the local copy."""
        store = self._store
        if store is None or not path.startswith(self.remote_url + "/"):
            return None
        return str(fetch_verified(store, path[len(self.remote_url) + 1 :]))

    # -- the end ---------------------------------------------------------------------------

    def _finish(self, trainer: pl.Trainer, timeout: float) -> None:
        uploader = self._uploader
        if uploader is None:
            return
        self._sweep(trainer)
        uploader.flush(timeout, abort=self.sigterm)
        pending = uploader.close(timeout=min(1.0, timeout))
        self._finished_stats = uploader.stats
        self._final_pending = [upload.name for upload in pending]
        self._uploader = None
        if pending:
            message = uploader.describe_pending(pending, f"  {self.resume_command}")
            logger.info(message)
            print(message, file=sys.stderr, flush=True)  # the user's next step, whatever logging is set up
        self._report(trainer, force=True)

    def _report(self, trainer: pl.Trainer, force: bool = False) -> None:
        """Send upload figures to the loggers and the tracker when they changed (rank 0, main thread)."""
        if self._store is None and not force:
            return
        self._reporter.report(trainer, self.stats, self.tracker, force=force)
