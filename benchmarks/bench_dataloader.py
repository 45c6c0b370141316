"""Dataloader throughput: tokens/s from ``CodeDataModule.train_dataloader()`` next to a raw memmap read.

The anchor, measured in the same run on the same shards, is the cheapest possible loader: a
sequential read of the memmap in the same batch shape, converted to the same two int64 tensors,
in the main process. The figure of merit is the ratio loader / raw (target >= 0.5 with two workers).

    .venv/bin/python benchmarks/bench_dataloader.py                 # stdlib corpus, defaults
    .venv/bin/python benchmarks/bench_dataloader.py --batch-size 32 --seq-len 1024 --num-workers 2
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import torch

from litcode.curation import CurationConfig
from litcode.data import CodeDataModule
from litcode.data.shards import open_shard

WORK = Path(__file__).resolve().parent / "_work"


def raw_tokens_per_second(dm: CodeDataModule, batches: int) -> float:
    prepared = dm.prepared
    assert prepared is not None
    memmaps = [
        open_shard(prepared.directory, prepared.index, shard) for shard in prepared.index.splits["train"]
    ]
    tokens, done = 0, 0
    started = time.perf_counter()
    while done < batches:
        for memmap in memmaps:
            for start in range(0, memmap.shape[0] - dm.batch_size + 1, dm.batch_size):
                window = np.asarray(memmap[start : start + dm.batch_size])
                batch = {
                    "input_ids": torch.from_numpy(window[:, :-1].astype(np.int64)),
                    "labels": torch.from_numpy(window[:, 1:].astype(np.int64)),
                }
                tokens += batch["input_ids"].numel()
                done += 1
                if done == batches:
                    break
            if done == batches:
                break
    return tokens / (time.perf_counter() - started)


def loader_tokens_per_second(iterator_factory, batches: int) -> float:  # type: ignore[no-untyped-def]
    tokens, done = 0, 0
    started = time.perf_counter()
    while done < batches:
        for batch in iterator_factory():
            tokens += batch["input_ids"].numel()
            done += 1
            if done == batches:
                break
    return tokens / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=None, help="corpus (default: this interpreter's stdlib)")
    parser.add_argument("--cache-dir", default=str(WORK / "cache"))
    parser.add_argument("--seq-len", type=int, default=256)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--num-workers", type=int, default=2)
    parser.add_argument("--batches", type=int, default=0, help="batches timed per run (default: one epoch)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    # Curation settings do not touch the loader's speed; the scanners are skipped to fill the cache fast.
    dm = CodeDataModule(
        curation=CurationConfig(licenses="off", secrets="off", insecure="off"),
        source=args.source,
        cache_dir=args.cache_dir,
        seq_len=args.seq_len,
        batch_size=args.batch_size,
        num_workers=args.num_workers,
    )
    started = time.perf_counter()
    dm.prepare_data()
    dm.setup("fit")
    directory = dm.prepared.directory if dm.prepared else "?"
    print(f"cache ready in {time.perf_counter() - started:.1f}s: {directory}")
    assert dm.train_dataset is not None
    epoch = len(dm.train_dataset) // args.batch_size
    batches = min(args.batches, epoch) if args.batches else epoch
    loader = dm.train_dataloader()
    loader_tokens_per_second(lambda: iter(loader), min(batches, 50))  # start the persistent workers

    raw, served = [], []
    for _ in range(args.repeats):
        raw.append(raw_tokens_per_second(dm, batches))
        served.append(loader_tokens_per_second(lambda: iter(loader), batches))
    raw_median, served_median = statistics.median(raw), statistics.median(served)
    print(
        f"seq_len={args.seq_len} batch_size={args.batch_size} num_workers={args.num_workers} "
        f"batches/run={batches} repeats={args.repeats} windows={len(dm.train_dataset)}"
    )
    print(f"raw memmap read     : {raw_median / 1e6:8.2f} M tokens/s (median)")
    print(f"train_dataloader()  : {served_median / 1e6:8.2f} M tokens/s (median)")
    print(f"ratio loader / raw  : {served_median / raw_median:8.3f}   (target >= 0.5)")


if __name__ == "__main__":
    main()
