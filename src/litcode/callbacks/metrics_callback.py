"""MetricsTrackerCallback: loss, learning rates, throughput and CUDA memory into a MetricsTracker."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks import Callback

from litcode.callbacks.interval import IntervalAccumulator, IntervalFigures, reduce_gathered
from litcode.callbacks.learning_rates import learning_rate_slots, read_learning_rates
from litcode.callbacks.throughput import (
    ActiveClock,
    SampleCounter,
    TokenCounter,
    default_batch_size,
    default_token_count,
)
from litcode.metrics import MetricsTracker


class MetricsTrackerCallback(Callback):
    """Record training figures every ``log_every_n_steps`` optimizer steps, without slowing the step.

    Each interval appends one record through ``tracker.record_step``: ``loss`` (mean
    over the interval's micro-batches and all ranks), ``learning_rates`` named as
    Lightning's ``LearningRateMonitor`` names them (the rates the step used),
    global ``samples_per_second`` and ``tokens_per_second`` (exact counts from every
    rank, one all-gather per interval), and CUDA memory (allocated, reserved, peak
    within the interval; max over ranks, ``*_min`` too). The same figures go to the
    Trainer's loggers when it has any. At fit end: ``record_training_run`` and ``save``.

    No host-device synchronization happens on steps that do not log: losses are
    summed on the device and read once per interval. The throughput clock pauses
    during validation and from a checkpoint save until the next training batch.
    Only global rank 0 writes to the tracker and the loggers.

    Args:
        tracker: where records go; ``None`` creates ``<default_root_dir>/metrics/metrics.json``.
        log_every_n_steps: optimizer steps per record.
        batch_size_fn: ``batch -> int``; default: leading dimension of the first tensor.
        tokens_fn: ``batch -> int | Tensor``; default: ``attention_mask.sum()`` or ``input_ids.numel()``.
        run_id: name of the run in the tracker's history (default: logger name/version or a timestamp).
        log_prefix: prefix of the keys sent to the Trainer's loggers.

    Example::

        from pytorch_lightning import Trainer
        from litcode.callbacks import MetricsTrackerCallback
        from litcode.metrics import MetricsTracker

        tracker = MetricsTracker("runs/demo/metrics.json")
        trainer = Trainer(max_steps=200, callbacks=[MetricsTrackerCallback(tracker, log_every_n_steps=20)])
    """

    def __init__(
        self,
        tracker: MetricsTracker | None = None,
        log_every_n_steps: int = 50,
        *,
        batch_size_fn: SampleCounter | None = None,
        tokens_fn: TokenCounter | None = None,
        run_id: str | None = None,
        log_prefix: str = "litcode/",
    ) -> None:
        if log_every_n_steps < 1:
            raise ValueError(f"log_every_n_steps must be >= 1, got {log_every_n_steps}")
        self.tracker = tracker
        self.log_every_n_steps = log_every_n_steps
        self.batch_size_fn = batch_size_fn or default_batch_size
        self.tokens_fn = tokens_fn or default_token_count
        self.run_id = run_id
        self.log_prefix = log_prefix
        self.total_samples = 0
        self.total_tokens = 0
        self.active_seconds = 0.0
        self.last_figures: IntervalFigures | None = None
        self._interval = IntervalAccumulator()
        self._clock = ActiveClock()
        self._slots: list[tuple[str, dict]] = []
        self._learning_rates: dict[str, float] = {}
        self._next_log_step = log_every_n_steps
        self._fit_started = 0.0

    # -- hooks, in the order the Trainer calls them ------------------------------------------------

    def setup(self, trainer: pl.Trainer, pl_module: pl.LightningModule, stage: str) -> None:
        if self.tracker is None and stage == "fit":
            self.tracker = MetricsTracker(f"{trainer.default_root_dir}/metrics/metrics.json")

    def on_train_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        self._slots = learning_rate_slots(trainer.optimizers, trainer.lr_scheduler_configs)
        self._next_log_step = (trainer.global_step // self.log_every_n_steps + 1) * self.log_every_n_steps
        self._fit_started = time.monotonic()
        self._interval.reset()
        if _cuda_in_use(pl_module):
            torch.cuda.reset_peak_memory_stats(pl_module.device)

    def on_train_batch_start(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, batch: Any, batch_idx: int
    ) -> None:
        self._clock.start()
        # Schedulers step before on_train_batch_end, so the rate this step uses is the one read now.
        self._learning_rates = read_learning_rates(self._slots)

    def on_train_batch_end(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, outputs: Any, batch: Any, batch_idx: int
    ) -> None:
        self._interval.add(_loss_from_outputs(outputs), self.batch_size_fn(batch), self.tokens_fn(batch))
        if trainer.global_step >= self._next_log_step:
            self._next_log_step = (trainer.global_step // self.log_every_n_steps + 1) * self.log_every_n_steps
            self._close_interval(trainer, pl_module)

    def on_validation_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        self._clock.pause()

    def on_validation_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if trainer.training and not trainer.sanity_checking:
            self._clock.start()

    def on_save_checkpoint(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, checkpoint: dict[str, Any]
    ) -> None:
        self._clock.pause()  # resumes at the next training batch

    def on_train_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if not self._interval.empty:
            self._close_interval(trainer, pl_module)  # every rank reaches this, so the gather is safe
        self._clock.pause()
        if not trainer.is_global_zero or self.tracker is None:
            return
        figures = self.last_figures
        metrics: dict[str, Any] = {
            "global_step": trainer.global_step,
            "epochs": trainer.current_epoch,
            "tokens": self.total_tokens if self.total_tokens else None,
            "wall_seconds": time.monotonic() - self._fit_started,
        }
        if figures is not None and figures.loss is not None:
            metrics["train_loss"] = figures.loss
        if self._learning_rates:
            metrics["learning_rate"] = next(iter(self._learning_rates.values()))
            metrics["learning_rates"] = dict(self._learning_rates)
        self.tracker.record_training_run(
            self.run_id or _default_run_id(trainer), self.active_seconds, self.total_samples, metrics
        )
        self.tracker.save()

    def on_exception(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, exception: BaseException
    ) -> None:
        if trainer.is_global_zero and self.tracker is not None:
            self.tracker.save()  # keep what was measured; no collectives here, other ranks may be gone

    # -- checkpointed state, so a resumed fit keeps counting ------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        return {
            "total_samples": self.total_samples,
            "total_tokens": self.total_tokens,
            "active_seconds": self.active_seconds,
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.total_samples = int(state_dict.get("total_samples", 0))
        self.total_tokens = int(state_dict.get("total_tokens", 0))
        self.active_seconds = float(state_dict.get("active_seconds", 0.0))

    # -- the once-per-interval read ---------------------------------------------------------------------

    def _close_interval(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        seconds = self._clock.lap()
        memory = _cuda_memory(pl_module)
        # Under automatic optimization Lightning hands over loss / accumulate_grad_batches.
        loss_scale = trainer.accumulate_grad_batches if pl_module.automatic_optimization else 1
        packed = self._interval.pack(seconds, memory, pl_module.device, loss_scale=loss_scale)
        tokens_known = self._interval.tokens_known
        self._interval.reset()
        if trainer.world_size > 1:
            packed = trainer.strategy.all_gather(packed)
        rows = packed.reshape(-1, packed.shape[-1]).tolist()  # the interval's one host-device sync
        figures = reduce_gathered(rows, tokens_known)
        self.last_figures = figures
        self.total_samples += figures.samples
        self.total_tokens += figures.tokens or 0
        self.active_seconds += figures.seconds
        if trainer.is_global_zero:
            self._record(trainer, figures)

    def _record(self, trainer: pl.Trainer, figures: IntervalFigures) -> None:
        seconds = figures.seconds
        samples_per_second = figures.samples / seconds if seconds > 0 else 0.0
        tokens_per_second = figures.tokens / seconds if seconds > 0 and figures.tokens is not None else None
        memory = dict(figures.memory_gb)
        if self.tracker is not None:
            self.tracker.record_step(
                step=trainer.global_step,
                epoch=trainer.current_epoch,
                loss=figures.loss,
                learning_rates=self._learning_rates,
                samples_per_second=samples_per_second,
                tokens_per_second=tokens_per_second,
                samples=figures.samples,
                tokens=figures.tokens,
                interval_seconds=seconds,
                **memory,
            )
        if trainer.loggers:
            logged = {f"{self.log_prefix}samples_per_second": samples_per_second, **self._learning_rates}
            if figures.loss is not None:
                logged[f"{self.log_prefix}loss"] = figures.loss
            if tokens_per_second is not None:
                logged[f"{self.log_prefix}tokens_per_second"] = tokens_per_second
            logged.update({f"{self.log_prefix}{key}": value for key, value in memory.items()})
            for logger in trainer.loggers:
                logger.log_metrics(logged, step=trainer.global_step)


def _loss_from_outputs(outputs: Any) -> torch.Tensor | None:
    if isinstance(outputs, torch.Tensor):
        return outputs
    if isinstance(outputs, Mapping):
        loss = outputs.get("loss")
        return loss if isinstance(loss, torch.Tensor) else None
    return None


def _cuda_in_use(pl_module: pl.LightningModule) -> bool:
    return pl_module.device.type == "cuda" and torch.cuda.is_available()


def _cuda_memory(pl_module: pl.LightningModule) -> tuple[float, float, float] | None:
    """Allocator figures in decimal GB — host-side reads, no sync; the peak restarts for the next interval."""
    if not _cuda_in_use(pl_module):
        return None
    device = pl_module.device
    figures = (
        torch.cuda.memory_allocated(device) / 1e9,
        torch.cuda.memory_reserved(device) / 1e9,
        torch.cuda.max_memory_allocated(device) / 1e9,
    )
    torch.cuda.reset_peak_memory_stats(device)
    return figures


def _default_run_id(trainer: pl.Trainer) -> str:
    if trainer.logger is not None:
        return f"{trainer.logger.name}-{trainer.logger.version}"
    return "run-" + datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
