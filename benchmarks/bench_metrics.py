"""What does one ``MetricsTracker.record_step`` cost, next to a bare ``json.dumps`` of its record?

The anchor is ``json.dumps`` of the very record ``record_step`` writes, timed in the same run, so
the ratio holds across machines. Targets (issue 3): under 20 µs per call and under 3x json.dumps.

    .venv/bin/python benchmarks/bench_metrics.py [--calls 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from litcode.metrics import MetricsTracker

LEARNING_RATES = {"lr-AdamW": 3e-4, "lr-AdamW/pg1": 3e-5}


def time_record_step(calls: int, metrics_file: Path | None) -> float:
    """Microseconds per ``record_step`` call, persistence on unless ``metrics_file`` is None."""
    tracker = MetricsTracker(metrics_file)
    record = tracker.record_step
    started = time.perf_counter()
    for step in range(calls):
        record(step, 0, 2.5, LEARNING_RATES, 512.0, 131072.0)
    elapsed = time.perf_counter() - started
    tracker.close()
    return elapsed / calls * 1e6


def time_json_dumps(calls: int, record: dict[str, object]) -> float:
    """Microseconds per bare ``json.dumps`` of one step record (the anchor)."""
    dumps = json.dumps
    started = time.perf_counter()
    for _ in range(calls):
        dumps(record)
    return (time.perf_counter() - started) / calls * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    sample = MetricsTracker(None).record_step(1, 0, 2.5, LEARNING_RATES, 512.0, 131072.0)
    persisted, memory_only, anchor = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.runs):
            anchor.append(time_json_dumps(args.calls, sample))
            persisted.append(time_record_step(args.calls, Path(folder) / f"run{run}" / "metrics.json"))
            memory_only.append(time_record_step(args.calls, None))

    dumps_us = statistics.median(anchor)
    print(f"record_step, {args.calls:,} calls, median of {args.runs} runs")
    print(f"  json.dumps of the record (anchor) {dumps_us:7.2f} us/call")
    for name, figures in (("record_step, persisted", persisted), ("record_step, memory only", memory_only)):
        median = statistics.median(figures)
        print(f"  {name:<32} {median:7.2f} us/call   {median / dumps_us:4.2f}x json.dumps")


if __name__ == "__main__":
    main()
