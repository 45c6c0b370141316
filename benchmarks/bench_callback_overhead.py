"""Step-time overhead of MetricsTrackerCallback vs no callbacks vs Lightning's built-in monitors.

Same tiny model, same data, CPU. Each configuration's fit is timed from the first
training batch to the last by a shared stopwatch callback; configurations are
interleaved and repeated, and medians are printed as ratios to "no callbacks".

    .venv/bin/python benchmarks/bench_callback_overhead.py [--steps 300] [--repeats 5]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import time
import warnings
from typing import Any

import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks import Callback, DeviceStatsMonitor, LearningRateMonitor, ThroughputMonitor
from pytorch_lightning.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

from litcode.callbacks import MetricsTrackerCallback
from litcode.metrics import MetricsTracker


class TinyMLP(pl.LightningModule):
    def __init__(self, width: int) -> None:
        super().__init__()
        self.net = torch.nn.Sequential(
            torch.nn.Linear(64, width),
            torch.nn.GELU(),
            torch.nn.Linear(width, width),
            torch.nn.GELU(),
            torch.nn.Linear(width, 1),
        )

    def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
        x, y = batch
        return torch.nn.functional.mse_loss(self.net(x), y)

    def configure_optimizers(self) -> Any:
        optimizer = torch.optim.AdamW(self.parameters(), lr=1e-3)
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0 / (1 + step) ** 0.5)
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}


class Stopwatch(Callback):
    """Times the steady-state steps: from the start of step ``warmup`` to the end of the last step.

    Fit start and end (tracker files, logger flushes) are one-off costs, not step overhead.
    It is the first callback, so its batch-start hook runs before the others' and its
    batch-end hook before theirs too: each timed window holds every other hook of the
    steps inside it but one step's end hooks, the same for every configuration.
    """

    warmup = 10

    def on_train_batch_start(self, trainer: pl.Trainer, *args: Any) -> None:
        if trainer.global_step == self.warmup and not hasattr(self, "started"):
            self.started = time.perf_counter()

    def on_train_batch_end(self, trainer: pl.Trainer, *args: Any) -> None:
        self.ended = time.perf_counter()

    @property
    def seconds(self) -> float:
        return self.ended - self.started


HOOKS = (
    "on_train_batch_start",
    "on_train_batch_end",
    "on_before_backward",
    "on_after_backward",
    "on_before_optimizer_step",
    "on_before_zero_grad",
)
HOOK_SECONDS: dict[str, float] = {}


def time_hooks(name: str, callback: Callback) -> Callback:
    """Wrap the per-step hooks a callback overrides so their own run time adds up in HOOK_SECONDS."""
    for hook in HOOKS:
        if getattr(type(callback), hook) is getattr(Callback, hook):
            continue
        original = getattr(callback, hook)

        def timed(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                HOOK_SECONDS[name] = HOOK_SECONDS.get(name, 0.0) + time.perf_counter() - started

        setattr(callback, hook, timed)
    return callback


def fit_seconds(name: str, steps: int, width: int, workdir: str) -> float:
    stopwatch = Stopwatch()
    callbacks: list[Callback] = [stopwatch]
    logger: Any = False
    if name == "litcode":
        tracker = MetricsTracker(f"{workdir}/metrics.json")
        callbacks.append(time_hooks(name, MetricsTrackerCallback(tracker, log_every_n_steps=50)))
    elif name == "lightning trio":
        logger = CSVLogger(workdir)
        callbacks += [
            time_hooks(name, LearningRateMonitor(logging_interval="step")),
            time_hooks(name, ThroughputMonitor(batch_size_fn=lambda batch: batch[0].shape[0])),
            time_hooks(name, DeviceStatsMonitor(cpu_stats=False)),
        ]
    data = TensorDataset(torch.randn(64 * steps, 64), torch.randn(64 * steps, 1))
    trainer = pl.Trainer(
        accelerator="cpu",
        max_steps=steps,
        logger=logger,
        log_every_n_steps=50,
        callbacks=callbacks,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        default_root_dir=workdir,
    )
    torch.manual_seed(0)
    trainer.fit(TinyMLP(width), DataLoader(data, batch_size=64))
    return stopwatch.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--width", type=int, default=256)
    args = parser.parse_args()
    logging.getLogger("pytorch_lightning").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    torch.set_num_threads(1)
    names = ("no callbacks", "litcode", "lightning trio")
    times: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(args.repeats):
        for name in names:
            with tempfile.TemporaryDirectory() as workdir:
                times[name].append(fit_seconds(name, args.steps, args.width, workdir))
    base = statistics.median(times["no callbacks"])
    print(f"steps={args.steps} width={args.width} repeats={args.repeats} torch threads=1")
    timed_steps = args.steps - Stopwatch.warmup
    header = f"{'configuration':<16}{'ms/step (median)':>18}{'ratio':>8}"
    print(header + f"{'own hooks µs/step':>20}{'hooks/step':>12}")
    for name in names:
        median = statistics.median(times[name])
        hook_us = 1e6 * HOOK_SECONDS.get(name, 0.0) / (args.repeats * args.steps)
        print(
            f"{name:<16}{1000 * median / timed_steps:>18.3f}{median / base:>8.3f}{hook_us:>20.1f}"
            f"{hook_us / (1000 * median / timed_steps) / 1000:>12.4f}"
        )
    print("ratio: wall time of the timed steps vs no callbacks (noisy on a shared machine);")
    print("own hooks: time spent inside the callbacks' per-step hooks, the overhead they add per step.")


if __name__ == "__main__":
    main()
