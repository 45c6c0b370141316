"""MetricsTrackerCallback: loss, learning rates, throughput, MFU, data stalls, gradient health and CUDA
memory into a MetricsTracker and the Trainer's loggers."""

from __future__ import annotations

import time
from typing import Any

import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks import Callback
from torch.optim import Optimizer

from litcode.callbacks.health import AnomalyAction, HealthMonitor, gradient_norm, parameters_of
from litcode.callbacks.interval import (
    IntervalAccumulator,
    IntervalFigures,
    loss_from_outputs,
    reduce_gathered,
)
from litcode.callbacks.learning_rates import learning_rate_slots, read_learning_rates
from litcode.callbacks.peak_flops import peak_flops_for
from litcode.callbacks.step_report import StepReport
from litcode.callbacks.throughput import (
    ActiveClock,
    DataWaitClock,
    SampleCounter,
    TokenCounter,
    default_batch_size,
    default_token_count,
)
from litcode.callbacks.trainer_facts import cuda_in_use, default_run_id, last_optimizer_step, loss_scale
from litcode.metrics import MetricsTracker, RunFigures
from litcode.metrics.cuda_memory import cuda_memory_gb


class MetricsTrackerCallback(Callback):
    """Record training figures every ``log_every_n_steps`` optimizer steps, without slowing the step.

    Each interval appends one record through ``tracker.record_step``: ``loss`` (mean over the
    interval's micro-batches and all ranks), ``learning_rates`` named as Lightning's
    ``LearningRateMonitor`` names them, global ``samples_per_second`` and ``tokens_per_second``,
    ``flops_per_second`` (from ``pl_module.flops_per_batch`` read after every batch, as Lightning's
    ``ThroughputMonitor`` reads it, so FLOPs follow the batches actually run), ``mfu`` (over the
    peak of every device in use: ``peak_flops`` per device, else the dense figure of the
    accelerator and precision from :mod:`~litcode.callbacks.peak_flops`; ``None`` when unknown,
    e.g. on CPU), ``data_wait_fraction`` (see :class:`~litcode.callbacks.throughput.DataWaitClock`),
    ``grad_norm`` (total 2-norm of the last optimizer step's gradients, before clipping), the
    interval's ``nonfinite_losses``, ``loss_spikes``, ``nonfinite_grads`` (of the steps whose norm
    was taken, see ``grad_norm_every_step``) and ``skipped_steps``,
    CUDA memory (allocated, reserved, peak within the interval; max over ranks, ``*_min`` too), and
    with several ranks ``step_seconds_max``/``step_seconds_min``, the slowest and fastest rank's
    interval time. The same figures go to the Trainer's loggers under ``log_prefix``, and tokens/s
    and MFU to the progress bar. At fit end: ``record_training_run`` (which saves).

    No host-device synchronization happens on steps that do not log: losses and gradient norms stay
    device tensors until the interval's one packed read. The throughput clock pauses during
    validation and from a checkpoint save until the next training batch. Only global rank 0 writes.

    Args:
        tracker: where records go; ``None`` creates ``<default_root_dir>/metrics/metrics.json``.
        log_every_n_steps: optimizer steps per record.
        batch_size_fn: ``batch -> int``; default: leading dimension of the first tensor.
        tokens_fn: ``batch -> int | Tensor``; default: ``attention_mask.sum()`` or ``input_ids.numel()``.
        run_id: name of the run in the tracker's history (default: logger name/version or a timestamp).
        log_prefix: prefix of every key sent to the Trainer's loggers.
        peak_flops: peak FLOP/s of one device, for ``mfu``; default: the accelerator table.
        on_anomaly: on a non-finite loss or gradient, or a loss spike: ``"warn"``, ``"skip"`` (zero
            that step's gradients, checked on the device every step) or ``"stop"`` (``should_stop``
            at the interval, the reason in the tracker's run record).
        spike_std: a loss more than this many standard deviations above the mean of the last few
            intervals' losses is a spike; ``None`` turns spike detection off.
        grad_norm_every_step: take the gradient norm on every optimizer step, so ``nonfinite_grads``
            covers every step (one fused read of all gradients per step: about 1-3% of a few-ms CPU
            step, little on a GPU); by default only the logged step's is taken, and under "skip"
            every step's always is. Non-finite losses are counted on every micro-batch either way.

    Example::

        from pytorch_lightning import Trainer
        from litcode.callbacks import MetricsTrackerCallback
        from litcode.metrics import MetricsTracker

        tracker = MetricsTracker("runs/demo/metrics.json")
        callback = MetricsTrackerCallback(tracker, log_every_n_steps=20, on_anomaly="stop")
        trainer = Trainer(max_steps=200, callbacks=[callback])
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
        peak_flops: float | None = None,
        on_anomaly: AnomalyAction = "warn",
        spike_std: float | None = 6.0,
        grad_norm_every_step: bool = False,
    ) -> None:
        if log_every_n_steps < 1:
            raise ValueError(f"log_every_n_steps must be >= 1, got {log_every_n_steps}")
        if peak_flops is not None and not peak_flops > 0:
            raise ValueError(f"peak_flops must be a positive FLOP/s figure per device, got {peak_flops}")
        self.tracker = tracker
        self.log_every_n_steps = log_every_n_steps
        self.batch_size_fn = batch_size_fn or default_batch_size
        self.tokens_fn = tokens_fn or default_token_count
        self.run_id = run_id
        self.log_prefix = log_prefix
        self.peak_flops = peak_flops
        self.grad_norm_every_step = grad_norm_every_step
        self._norm_every_step = grad_norm_every_step or on_anomaly == "skip"
        self.health = HealthMonitor(on_anomaly, spike_std)
        self.total_samples = 0
        self.total_tokens = 0
        self.active_seconds = 0.0
        self.last_figures: IntervalFigures | None = None
        self._interval = IntervalAccumulator()
        self._clock = ActiveClock()
        self._data_wait = DataWaitClock()
        self._report = StepReport(log_prefix)
        self._slots: list[tuple[str, dict]] = []
        self._learning_rates: dict[str, float] = {}
        self._parameters: dict[int, list[torch.nn.Parameter]] = {}
        self._module_has_flops: bool | None = None
        self._device_peak: float | None = None
        self._next_log_step = log_every_n_steps
        self._last_step = -1
        self._fit_started = 0.0

    # -- hooks, in the order the Trainer calls them ------------------------------------------------

    def setup(self, trainer: pl.Trainer, pl_module: pl.LightningModule, stage: str) -> None:
        if self.tracker is None and stage == "fit":
            self.tracker = MetricsTracker(f"{trainer.default_root_dir}/metrics/metrics.json")

    def on_train_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        self._slots = learning_rate_slots(trainer.optimizers, trainer.lr_scheduler_configs)
        self._parameters = {id(optimizer): parameters_of(optimizer) for optimizer in trainer.optimizers}
        self._module_has_flops = None  # looked up at the first batch end, as ThroughputMonitor does
        self._device_peak = self.peak_flops or peak_flops_for(pl_module.device, str(trainer.precision))
        self._next_log_step = (trainer.global_step // self.log_every_n_steps + 1) * self.log_every_n_steps
        self._last_step = last_optimizer_step(trainer)
        self._fit_started = time.monotonic()
        self._interval.reset()
        if cuda_in_use(pl_module):
            torch.cuda.reset_peak_memory_stats(pl_module.device)

    def on_train_batch_start(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, batch: Any, batch_idx: int
    ) -> None:
        self._data_wait.batch_started()
        self._clock.start()
        # Schedulers step before on_train_batch_end, so the rate this step uses is the one read now.
        self._learning_rates = read_learning_rates(self._slots)

    def on_before_backward(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, loss: torch.Tensor
    ) -> None:
        self.health.before_backward(loss)

    def on_before_optimizer_step(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, optimizer: Optimizer
    ) -> None:
        step = trainer.global_step + 1  # the step this optimizer step completes
        if not (self._norm_every_step or step >= self._next_log_step or step == self._last_step):
            return  # a norm reads every gradient: only the logged step needs one, unless asked
        parameters = self._parameters.get(id(optimizer))
        if parameters is None:
            parameters = self._parameters[id(optimizer)] = parameters_of(optimizer)
        norm = gradient_norm(parameters)  # before clipping: Lightning clips after this hook
        if norm is not None:
            self._interval.grad_norms.append(norm)
        skipped = self.health.before_optimizer_step(parameters, norm, loss_scale(trainer, pl_module))
        if skipped is not None:
            self._interval.skipped.append(skipped)

    def on_train_batch_end(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, outputs: Any, batch: Any, batch_idx: int
    ) -> None:
        if self._module_has_flops is None:
            self._module_has_flops = hasattr(pl_module, "flops_per_batch")
        # A host number (an int from shapes, as CodeLM's): a tensor here would be read every step.
        flops: float | None = getattr(pl_module, "flops_per_batch", None) if self._module_has_flops else None
        self._interval.add(
            loss_from_outputs(outputs), self.batch_size_fn(batch), self.tokens_fn(batch), flops
        )
        if trainer.global_step >= self._next_log_step:
            self._next_log_step = (trainer.global_step // self.log_every_n_steps + 1) * self.log_every_n_steps
            self._close_interval(trainer, pl_module, in_batch_end=True)
        self._data_wait.batch_ended()

    def on_validation_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        self._clock.pause()
        self._data_wait.pause()

    def on_validation_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if trainer.training and not trainer.sanity_checking:
            self._clock.start()

    def on_save_checkpoint(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, checkpoint: dict[str, Any]
    ) -> None:
        self._clock.pause()  # resumes at the next training batch
        self._data_wait.pause()

    def on_train_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if not self._interval.empty:
            self._close_interval(trainer, pl_module)  # every rank reaches this, so the gather is safe
        self._clock.pause()
        self._data_wait.pause()
        if not trainer.is_global_zero or self.tracker is None:
            return
        figures = self.last_figures
        rates = dict(self._learning_rates)
        run = RunFigures(
            train_loss=None if figures is None else figures.loss,
            learning_rate=next(iter(rates.values()), None),
            epoch=trainer.current_epoch,
            global_step=trainer.global_step,
            tokens=self.total_tokens or None,
            wall_seconds=time.monotonic() - self._fit_started,
            learning_rates=rates,
            stop_reason=self.health.stop_reason,
        )
        # record_training_run saves the snapshot itself.
        self.tracker.record_training_run(
            self.run_id or default_run_id(trainer), self.active_seconds, self.total_samples, run
        )

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

    def _close_interval(
        self, trainer: pl.Trainer, pl_module: pl.LightningModule, in_batch_end: bool = False
    ) -> None:
        seconds = self._clock.lap()
        memory = cuda_memory_gb(pl_module.device, reset_peak=True) if cuda_in_use(pl_module) else None
        packed = self._interval.pack(
            seconds,
            self._data_wait.lap(),
            memory,
            pl_module.device,
            loss_scale=loss_scale(trainer, pl_module),
            spike_threshold=self.health.threshold,
        )
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
        self.health.interval_closed(trainer, figures)
        record = self._report.figures(
            figures, self._learning_rates, trainer.world_size, self._device_peak, self.health.stop_reason
        )
        if trainer.is_global_zero:
            if self.tracker is not None:
                self.tracker.record_step(trainer.global_step, trainer.current_epoch, **record)
            self._report.to_loggers(trainer, record)
        if in_batch_end:  # Lightning allows self.log from batch-end hooks, not from on_train_end
            self._report.to_progress_bar(trainer, pl_module, record)
