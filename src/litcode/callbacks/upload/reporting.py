"""``UploadReporter``: upload figures to the Trainer's loggers and a tracker, when they changed."""

from __future__ import annotations

import logging

import pytorch_lightning as pl

from litcode.callbacks.upload.stats import UploadStats, UploadStatsSink

logger = logging.getLogger("litcode.callbacks.upload")


class UploadReporter:
    """Send :class:`UploadStats` to every logger (``stats.numeric()``) and ``tracker.record_upload``.

    Unchanged figures are not sent again unless ``force``; a tracker that raises
    is logged and never stops the uploads.

    >>> reporter = UploadReporter()
    >>> reporter.changed(UploadStats()), reporter.last is None
    (True, True)
    """

    def __init__(self) -> None:
        self.last: UploadStats | None = None

    def changed(self, stats: UploadStats) -> bool:
        """True when ``stats`` differ from the figures sent last."""
        return stats != self.last

    def report(
        self, trainer: pl.Trainer, stats: UploadStats, tracker: UploadStatsSink | None, force: bool = False
    ) -> None:
        if not force and not self.changed(stats):
            return
        self.last = stats
        figures = stats.numeric()
        for trainer_logger in trainer.loggers:
            trainer_logger.log_metrics(figures, step=trainer.global_step)
        if tracker is not None:
            try:
                tracker.record_upload(stats)
            except Exception:
                logger.exception("tracker.record_upload failed; uploads go on")
