"""Step-time overhead of MetricsTrackerCallback vs no callbacks, its wave-1 self and Lightning's monitors.

Same tiny model, same data, CPU. Each configuration's fit is timed from the first
training batch to the last by a shared stopwatch callback; configurations are
interleaved and repeated, and medians are printed as ratios to "no callbacks".
"wave-1" is the callback as it was before issue 16 added FLOP/s, MFU, data wait,
gradient norm and loss health (git commit ``WAVE1_COMMIT``, read from the repository's
history into a temporary package); it is left out when git or the commit is missing.

    .venv/bin/python benchmarks/bench_callback_overhead.py [--steps 300] [--repeats 5]
"""

from __future__ import annotations

import argparse
import importlib
import logging
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks import Callback, DeviceStatsMonitor, LearningRateMonitor, ThroughputMonitor
from pytorch_lightning.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

from litcode.callbacks import MetricsTrackerCallback
from litcode.metrics import MetricsTracker

WAVE1_COMMIT = "dc751ac"
WAVE1_MODULES = ("metrics_callback", "interval", "throughput", "learning_rates")
REPO = Path(__file__).resolve().parents[1]


def load_wave1_callback(folder: str) -> type[Callback] | None:
    """The wave-1 ``MetricsTrackerCallback`` class, rebuilt from git history as package ``litcode_wave1``."""
    package = Path(folder) / "litcode_wave1"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for module in WAVE1_MODULES:
        try:
            source = subprocess.run(
                ["git", "show", f"{WAVE1_COMMIT}:src/litcode/callbacks/{module}.py"],
                cwd=REPO,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        except (OSError, subprocess.CalledProcessError) as error:
            print(f"wave-1 callback not available ({error}); that configuration is skipped")
            return None
        (package / f"{module}.py").write_text(source.replace("litcode.callbacks.", "litcode_wave1."))
    sys.path.insert(0, folder)
    callback: type[Callback] = importlib.import_module(
        "litcode_wave1.metrics_callback"
    ).MetricsTrackerCallback
    return callback


WAVE1: type[Callback] | None = None


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

        # Model FLOPs per batch of 64 (6 per weight per sample: forward 2, backward 4), for FLOP/s and MFU.
        self.flops_per_batch = 6 * 64 * sum(p.numel() for p in self.parameters() if p.dim() == 2)

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
            self.started, self.cpu_started = time.perf_counter(), time.thread_time()

    def on_train_batch_end(self, trainer: pl.Trainer, *args: Any) -> None:
        self.ended, self.cpu_ended = time.perf_counter(), time.thread_time()

    @property
    def seconds(self) -> float:
        return self.ended - self.started

    @property
    def cpu_seconds(self) -> float:
        """CPU time of the training thread over the window (one torch thread: all of the step's work).
        On a shared machine this is far steadier than wall time, and it counts what a hook makes
        other code pay too (a gradient norm warms the cache the optimizer then reads)."""
        return self.cpu_ended - self.cpu_started


HOOKS = (
    "on_train_batch_start",
    "on_train_batch_end",
    "on_before_backward",
    "on_after_backward",
    "on_before_optimizer_step",
    "on_before_zero_grad",
)
STEP_CPU_SECONDS: dict[str, list[float]] = {}  # per fit: CPU time of the timed steps
HOOK_SECONDS: dict[str, float] = {}  # wall time inside the hooks
HOOK_CPU_SECONDS: dict[str, float] = {}  # CPU time of this thread inside them: steadier on a loaded machine


def time_hooks(name: str, callback: Callback) -> Callback:
    """Wrap the per-step hooks a callback overrides so their own run time adds up in HOOK_SECONDS."""
    for hook in HOOKS:
        if getattr(type(callback), hook) is getattr(Callback, hook):
            continue
        original = getattr(callback, hook)

        def timed(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            started, cpu_started = time.perf_counter(), time.thread_time()
            try:
                return _original(*args, **kwargs)
            finally:
                HOOK_SECONDS[name] = HOOK_SECONDS.get(name, 0.0) + time.perf_counter() - started
                HOOK_CPU_SECONDS[name] = HOOK_CPU_SECONDS.get(name, 0.0) + time.thread_time() - cpu_started

        setattr(callback, hook, timed)
    return callback


def fit_seconds(name: str, steps: int, width: int, workdir: str) -> float:
    stopwatch = Stopwatch()
    callbacks: list[Callback] = [stopwatch]
    logger: Any = False
    if name == "litcode":
        tracker = MetricsTracker(f"{workdir}/metrics.json")
        callbacks.append(time_hooks(name, MetricsTrackerCallback(tracker, log_every_n_steps=50)))
    elif name == "wave-1 litcode" and WAVE1 is not None:
        tracker = MetricsTracker(f"{workdir}/metrics.json")
        callbacks.append(time_hooks(name, WAVE1(tracker, log_every_n_steps=50)))
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
    STEP_CPU_SECONDS.setdefault(name, []).append(stopwatch.cpu_seconds)
    return stopwatch.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--width", type=int, default=256)
    args = parser.parse_args()
    logging.getLogger("pytorch_lightning").setLevel(logging.ERROR)
    logging.getLogger("litcode.metrics").setLevel(logging.ERROR)  # wave-1 sends keys the tracker now names
    warnings.filterwarnings("ignore")
    torch.set_num_threads(1)
    global WAVE1
    wave1_folder = tempfile.TemporaryDirectory()
    WAVE1 = load_wave1_callback(wave1_folder.name)
    names: tuple[str, ...] = ("no callbacks", "wave-1 litcode", "litcode", "lightning trio")
    if WAVE1 is None:
        names = ("no callbacks", "litcode", "lightning trio")
    times: dict[str, list[float]] = {name: [] for name in names}
    hook_us: dict[str, list[float]] = {name: [] for name in names}
    hook_cpu_us: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(args.repeats):
        for name in names:
            wall_before, cpu_before = HOOK_SECONDS.get(name, 0.0), HOOK_CPU_SECONDS.get(name, 0.0)
            with tempfile.TemporaryDirectory() as workdir:
                times[name].append(fit_seconds(name, args.steps, args.width, workdir))
            hook_us[name].append(1e6 * (HOOK_SECONDS.get(name, 0.0) - wall_before) / args.steps)
            hook_cpu_us[name].append(1e6 * (HOOK_CPU_SECONDS.get(name, 0.0) - cpu_before) / args.steps)
    base = statistics.median(times["no callbacks"])
    print(f"steps={args.steps} width={args.width} repeats={args.repeats} torch threads=1 (medians)")
    timed_steps = args.steps - Stopwatch.warmup
    base_cpu = statistics.median(STEP_CPU_SECONDS["no callbacks"])
    header = f"{'configuration':<16}{'ms/step':>9}{'ratio':>7}{'CPU ms/step':>13}{'CPU ratio':>11}"
    print(header + f"{'hooks µs/step':>15}{'hooks CPU µs':>14}")
    for name in names:
        step_ms = 1000 * statistics.median(times[name]) / timed_steps
        cpu = statistics.median(STEP_CPU_SECONDS[name])
        wall_us, cpu_us = statistics.median(hook_us[name]), statistics.median(hook_cpu_us[name])
        print(
            f"{name:<16}{step_ms:>9.3f}{statistics.median(times[name]) / base:>7.3f}"
            f"{1000 * cpu / timed_steps:>13.3f}{cpu / base_cpu:>11.4f}{wall_us:>15.1f}{cpu_us:>14.1f}"
        )
    if WAVE1 is not None:
        wave1_ms = 1000 * statistics.median(times["wave-1 litcode"]) / timed_steps
        wall_ratio = statistics.median(times["litcode"]) / statistics.median(times["wave-1 litcode"])
        extra_cpu = statistics.median(hook_cpu_us["litcode"]) - statistics.median(
            hook_cpu_us["wave-1 litcode"]
        )
        cpu_ratio = statistics.median(STEP_CPU_SECONDS["litcode"]) / statistics.median(
            STEP_CPU_SECONDS["wave-1 litcode"]
        )
        print(
            f"litcode vs wave-1: wall {wall_ratio:.3f}x, step CPU {cpu_ratio:.4f}x; hooks +{extra_cpu:.1f} "
            f"CPU µs/step = {extra_cpu / (10 * wave1_ms):.2f}% of a wave-1 step ({wave1_ms:.2f} ms)"
        )
    print("ratio: wall time of the timed steps vs no callbacks (noisy on a shared machine);")
    print("hooks: time spent inside the callbacks' per-step hooks (wall, and this thread's CPU time),")
    print("the overhead they add per step.")


if __name__ == "__main__":
    main()
