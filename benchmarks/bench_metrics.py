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


Timing = tuple[float, float]  # (wall, CPU) microseconds per call


def _per_call(calls: int, wall_started: float, cpu_started: float) -> Timing:
    # CPU time (user + system, this process) is what a call costs when the machine is shared;
    # wall time is what it costs on an idle core. Both are printed.
    return (
        (time.perf_counter() - wall_started) / calls * 1e6,
        (time.process_time() - cpu_started) / calls * 1e6,
    )


def time_record_step(calls: int, metrics_file: Path | None) -> Timing:
    """Microseconds per ``record_step`` call, persistence on unless ``metrics_file`` is None."""
    tracker = MetricsTracker(metrics_file)
    record = tracker.record_step
    wall, cpu = time.perf_counter(), time.process_time()
    for step in range(calls):
        record(step, 0, 2.5, LEARNING_RATES, 512.0, 131072.0)
    timing = _per_call(calls, wall, cpu)
    tracker.close()
    return timing


def time_json_dumps(calls: int, record: dict[str, object]) -> Timing:
    """Microseconds per bare ``json.dumps`` of one step record (the anchor)."""
    dumps = json.dumps
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        dumps(record)
    return _per_call(calls, wall, cpu)


def _median(timings: list[Timing]) -> Timing:
    return statistics.median(t[0] for t in timings), statistics.median(t[1] for t in timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    sample = MetricsTracker(None).record_step(1, 0, 2.5, LEARNING_RATES, 512.0, 131072.0)
    persisted: list[Timing] = []
    memory_only: list[Timing] = []
    anchor: list[Timing] = []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.runs):
            anchor.append(time_json_dumps(args.calls, sample))
            persisted.append(time_record_step(args.calls, Path(folder) / f"run{run}" / "metrics.json"))
            memory_only.append(time_record_step(args.calls, None))

    dumps_wall, dumps_cpu = _median(anchor)
    print(f"record_step, {args.calls:,} calls, median of {args.runs} runs (wall | CPU time)")
    print(f"  {'json.dumps of the record (anchor)':<34} {dumps_wall:7.2f} | {dumps_cpu:6.2f} us/call")
    for name, timings in (("record_step, persisted", persisted), ("record_step, memory only", memory_only)):
        wall, cpu = _median(timings)
        print(
            f"  {name:<34} {wall:7.2f} | {cpu:6.2f} us/call"
            f"   {wall / dumps_wall:4.2f}x | {cpu / dumps_cpu:4.2f}x json.dumps"
        )


if __name__ == "__main__":
    main()
