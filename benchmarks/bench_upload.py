"""Fit wall time with checkpoint uploads to a slow, flaky remote, against the same fit without uploads.

The remote is an fsspec memory filesystem wrapped so that every request (put, read, move,
info, delete) takes 300 ms and 30% of them fail with a connection reset, by a fixed seed.
Both fits save the same checkpoints (top-3 by loss plus ``last.ckpt``, every
``--every`` steps); the ratio is the median fit wall time with uploads over the median
without, measured in the same run, variants interleaved. Target (issue 4): <= 1.05x with
100% of checkpoints verified remote at the end.

Uploads run on background threads, so what training pays is staging (a hard link per save)
and the final flush: the last checkpoint is written at the very end of training and its
upload (put, move, read-back, ``latest.json``; 5 requests, 1.5 s plus retries) is waited
for before ``fit`` returns. Size ``--steps`` so the fit is long against that tail.

Two more figures, each against its own anchor: the end of a fit whose remote is down for
good (breaker ``recovery_timeout=--recovery`` s; the flush stops after 2 x that and a failed
trial, against ``flush_timeout`` = 300 s that the flush used to wait out), and a verified
remote resume (``resolve_latest``: latest.json, download, SHA-256) against a plain download
of the same file.

    .venv/bin/python benchmarks/bench_upload.py [--steps 3000] [--every 250] [--runs 3] [--recovery 5]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import fsspec
import pytorch_lightning as pl
import torch
from fsspec.implementations.memory import MemoryFileSystem
from pytorch_lightning.callbacks import ModelCheckpoint
from torch.utils.data import DataLoader, TensorDataset

from litcode.callbacks.upload import CheckpointUploadCallback, resolve_latest
from litcode.resilience import CircuitBreaker, RetryPolicy

REQUEST_SECONDS = 0.3
FAILURE_RATE = 0.3


class SlowFlakyFileSystem(MemoryFileSystem):
    """Every request waits ``REQUEST_SECONDS``; ``FAILURE_RATE`` of them fail (seeded)."""

    protocol = ("slowflaky",)
    store: dict = {}
    pseudo_dirs = [""]
    rng = random.Random(0)
    lock = threading.Lock()
    requests = 0
    failures = 0
    failure_rate = FAILURE_RATE

    @classmethod
    def _strip_protocol(cls, path: str) -> str:
        return super()._strip_protocol(path.removeprefix("slowflaky://"))

    @classmethod
    def request(cls) -> None:
        time.sleep(REQUEST_SECONDS)
        with cls.lock:
            cls.requests += 1
            if cls.rng.random() < cls.failure_rate:
                cls.failures += 1
                raise ConnectionResetError(104, "Connection reset by peer (injected)")

    def put_file(self, lpath: str, rpath: str, **kwargs: Any) -> None:
        self.request()
        super().put_file(lpath, rpath, **kwargs)

    def pipe_file(self, path: str, value: bytes, *args: Any, **kwargs: Any) -> None:
        self.request()
        super().pipe_file(path, value, *args, **kwargs)

    def mv(self, path1: str, path2: str, *args: Any, **kwargs: Any) -> None:
        self.request()  # one rename request (MemoryFileSystem.mv would copy, then call our rm)
        self.store[self._strip_protocol(path2)] = self.store.pop(self._strip_protocol(path1))

    def _open(self, path: str, mode: str = "rb", *args: Any, **kwargs: Any) -> Any:
        if "r" in mode:
            self.request()
        return super()._open(path, mode, *args, **kwargs)

    def rm(self, path: Any, *args: Any, **kwargs: Any) -> None:
        self.request()
        super().rm(path, *args, **kwargs)


class RegressionModel(pl.LightningModule):
    """A 4-layer MLP on random data: a few ms a step on CPU, ~1.8 MB checkpoints (weights + AdamW)."""

    def __init__(self, width: int = 256) -> None:
        super().__init__()
        self.net = torch.nn.Sequential(
            torch.nn.Linear(64, width),
            torch.nn.ReLU(),
            torch.nn.Linear(width, width),
            torch.nn.ReLU(),
            torch.nn.Linear(width, width),
            torch.nn.ReLU(),
            torch.nn.Linear(width, 1),
        )
        generator = torch.Generator().manual_seed(0)
        inputs = torch.randn(4096, 64, generator=generator)
        self.data = TensorDataset(inputs, inputs.sum(dim=1, keepdim=True))

    def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
        inputs, targets = batch
        loss = torch.nn.functional.mse_loss(self.net(inputs), targets)
        self.log("train_loss", loss, on_step=True, prog_bar=False)
        return loss

    def configure_optimizers(self) -> torch.optim.Optimizer:
        return torch.optim.AdamW(self.parameters(), lr=1e-3)

    def train_dataloader(self) -> DataLoader:
        return DataLoader(self.data, batch_size=64, shuffle=True)


class TrainEndClock(pl.Callback):
    """Notes when training itself is over, before the final upload flush."""

    def __init__(self) -> None:
        self.train_end = 0.0
        self.train_end_cpu = 0.0

    def on_train_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        self.train_end = time.perf_counter()
        self.train_end_cpu = time.process_time()


def fit_once(
    root: Path, steps: int, every: int, upload: CheckpointUploadCallback | None
) -> tuple[float, float, float]:
    """Seconds until training ended, until ``fit`` returned (final flush included), and CPU seconds.

    CPU time (all threads of this process, until training ended) is what the uploads cost
    the machine; on a shared, loaded machine it is steadier than wall time.
    """
    checkpoint = ModelCheckpoint(
        dirpath=root / "checkpoints",
        every_n_train_steps=every,
        save_top_k=3,
        monitor="train_loss",
        save_last=True,
    )
    clock = TrainEndClock()
    callbacks: list[pl.Callback] = [clock, checkpoint] if upload is None else [clock, upload, checkpoint]
    trainer = pl.Trainer(
        default_root_dir=str(root),
        max_steps=steps,
        logger=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        accelerator="cpu",
        devices=1,
        callbacks=callbacks,
    )
    torch.manual_seed(0)
    model = RegressionModel()
    started, started_cpu = time.perf_counter(), time.process_time()
    trainer.fit(model)
    return clock.train_end - started, time.perf_counter() - started, clock.train_end_cpu - started_cpu


def verify_remote(root: Path, remote_url: str) -> tuple[int, int, bool]:
    """(local checkpoints, of them byte-identical remote, latest.json names a verified file)."""
    filesystem = SlowFlakyFileSystem()
    local = [p for p in (root / "checkpoints").glob("*.ckpt")]
    same = 0
    for path in local:
        remote_path = f"{remote_url}/{path.name}"
        if remote_path.removeprefix("slowflaky://") and MemoryFileSystem.cat_file(
            filesystem, remote_path
        ) == (path.read_bytes()):
            same += 1
    latest = json.loads(MemoryFileSystem.cat_file(filesystem, f"{remote_url}/latest.json"))
    named = MemoryFileSystem.cat_file(filesystem, f"{remote_url}/{latest['checkpoint']}")
    latest_ok = hashlib.sha256(named).hexdigest() == latest["sha256"] and len(named) == latest["bytes"]
    return len(local), same, latest_ok


def dead_remote_flush(recovery: float) -> tuple[float, int]:
    """Seconds from the end of training to ``fit`` returning with the remote down for good."""
    remote_url = f"slowflaky://bench/dead-{uuid.uuid4().hex[:8]}"
    breaker = CircuitBreaker(failure_threshold=5, recovery_timeout=recovery, name="bench-dead")
    retry = RetryPolicy(max_retries=8, base_delay=0.2, max_delay=2.0, jitter=True, deadline=60.0)
    upload = CheckpointUploadCallback(remote_url, retry, breaker, flush_timeout=300.0)
    saved_rate = SlowFlakyFileSystem.failure_rate
    SlowFlakyFileSystem.failure_rate = 1.0
    try:
        training, fit, _ = fit_once(Path(tempfile.mkdtemp(prefix="bench-dead-")), 100, 50, upload)
    finally:
        SlowFlakyFileSystem.failure_rate = saved_rate
    return fit - training, len(upload.pending())


def verified_resume(runs: int) -> tuple[float, float]:
    """Median seconds of ``resolve_latest`` and of a plain download of the same checkpoint."""
    root = Path(tempfile.mkdtemp(prefix="bench-resume-"))
    remote_url = f"slowflaky://bench/resume-{uuid.uuid4().hex[:8]}"
    upload = CheckpointUploadCallback(remote_url, RetryPolicy(max_retries=8, base_delay=0.2, jitter=True))
    fit_once(root, 50, 25, upload)
    name = json.loads(MemoryFileSystem.cat_file(SlowFlakyFileSystem(), f"{remote_url}/latest.json"))[
        "checkpoint"
    ]
    saved_rate, SlowFlakyFileSystem.failure_rate = SlowFlakyFileSystem.failure_rate, 0.0
    verified, plain = [], []
    try:
        for run in range(runs):
            started = time.perf_counter()
            resolve_latest(remote_url, cache_dir=root / f"cache-{run}")
            verified.append(time.perf_counter() - started)
            started = time.perf_counter()
            SlowFlakyFileSystem().get_file(f"{remote_url}/{name}", str(root / f"plain-{run}.ckpt"))
            plain.append(time.perf_counter() - started)
    finally:
        SlowFlakyFileSystem.failure_rate = saved_rate
    return statistics.median(verified), statistics.median(plain)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--every", type=int, default=250)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--recovery", type=float, default=5.0, help="breaker recovery_timeout, dead remote")
    args = parser.parse_args()
    fsspec.register_implementation("slowflaky", SlowFlakyFileSystem, clobber=True)
    torch.set_num_threads(1)  # one core for the math: the comparison is about what uploads add
    retry = RetryPolicy(max_retries=8, base_delay=0.2, max_delay=2.0, jitter=True, deadline=60.0)

    plain: list[tuple[float, float, float]] = []
    uploading: list[tuple[float, float, float]] = []
    verified: list[float] = []
    fit_once(Path(tempfile.mkdtemp()), 50, 25, None)  # warm-up: imports, allocator, first checkpoint
    for run in range(args.runs):
        root = Path(tempfile.mkdtemp(prefix="bench-upload-"))
        plain.append(fit_once(root / "plain", args.steps, args.every, None))
        remote_url = f"slowflaky://bench/{uuid.uuid4().hex[:8]}"
        breaker = CircuitBreaker(failure_threshold=10, recovery_timeout=5.0, name="bench")
        upload = CheckpointUploadCallback(remote_url, retry, breaker)
        uploading.append(fit_once(root / "upload", args.steps, args.every, upload))
        local, same, latest_ok = verify_remote(root / "upload", remote_url)
        assert upload.pending() == [], f"pending after fit: {upload.pending()}"
        verified.append(same / local if latest_ok else 0.0)
        stats = upload.stats
        print(
            f"run {run}: no uploads {plain[-1][1]:.2f}s (cpu {plain[-1][2]:.2f}s), uploads "
            f"{uploading[-1][1]:.2f}s (training {uploading[-1][0]:.2f}s, cpu {uploading[-1][2]:.2f}s), "
            f"{same}/{local} local checkpoints byte-identical remote, "
            f"latest.json ok: {latest_ok}, uploaded {stats.uploaded}, superseded {stats.superseded}, "
            f"failed attempts {stats.failed_attempts}, retries {stats.retries}"
        )
        shutil.rmtree(root, ignore_errors=True)

    def median(timings: list[tuple[float, float, float]], index: int) -> float:
        return statistics.median(timing[index] for timing in timings)

    print()
    print(f"remote: {REQUEST_SECONDS * 1000:.0f} ms per request, {FAILURE_RATE:.0%} of requests fail")
    print(f"requests {SlowFlakyFileSystem.requests}, injected failures {SlowFlakyFileSystem.failures}")
    print(
        f"| median of {args.runs} runs, {args.steps} steps "
        "| training s | fit s | CPU s | fit vs none | CPU vs none |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    print(
        f"| no uploads | {median(plain, 0):.2f} | {median(plain, 1):.2f} | {median(plain, 2):.2f} "
        "| 1.00x | 1.00x |"
    )
    print(
        f"| CheckpointUploadCallback | {median(uploading, 0):.2f} | {median(uploading, 1):.2f} "
        f"| {median(uploading, 2):.2f} | **{median(uploading, 1) / median(plain, 1):.3f}x** "
        f"| {median(uploading, 2) / median(plain, 2):.3f}x |"
    )
    print(f"training alone: {median(uploading, 0) / median(plain, 0):.3f}x")
    print(f"checkpoints verified remote at the end: {min(verified):.0%} (worst run)")

    flush, pending = dead_remote_flush(args.recovery)
    print(
        f"dead remote (recovery_timeout {args.recovery:.0f} s): final flush {flush:.1f} s, "
        f"{pending} checkpoint(s) journaled; vs flush_timeout 300 s: **{flush / 300.0:.3f}x**"
    )
    verified_seconds, plain_seconds = verified_resume(args.runs)
    print(
        f"verified remote resume (resolve_latest): {verified_seconds:.2f} s vs plain download "
        f"{plain_seconds:.2f} s: **{verified_seconds / plain_seconds:.2f}x**"
    )


if __name__ == "__main__":
    main()
