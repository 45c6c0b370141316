from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

import pytest

from litcode.metrics import MetricsTracker

WRITER = """
import sys
from litcode.metrics import MetricsTracker

tracker = MetricsTracker(sys.argv[1])
step = 0
while True:
    tracker.record_step(step, 0, 1.0 / (step + 1), {"lr-AdamW": 1e-3}, samples_per_second=8.0, note="x" * 300)
    step += 1
"""


@pytest.mark.slow
def test_sigkill_while_appending_loses_no_completed_record(tmp_path):
    metrics_file = tmp_path / "metrics.json"
    steps_file = tmp_path / "metrics.steps.jsonl"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(metrics_file)])
    try:
        deadline = time.monotonic() + 60
        while not steps_file.exists() or steps_file.stat().st_size < 500_000:
            assert writer.poll() is None, "the writer process died on its own"
            assert time.monotonic() < deadline, "the writer wrote too little in 60 s"
            time.sleep(0.01)
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    completed_lines = steps_file.read_bytes().count(b"\n")

    steps = MetricsTracker.load(metrics_file).steps()

    assert len(steps) == completed_lines > 0
    assert [r["step"] for r in steps] == list(range(len(steps)))


@pytest.mark.slow
def test_eight_threads_recording_at_once_lose_nothing(tracker):
    threads_count, per_thread = 8, 500
    start = threading.Barrier(threads_count)

    def hammer(thread: int) -> None:
        start.wait()
        for i in range(per_thread):
            tracker.record_step(i, thread, float(i), {"lr": 0.1}, samples_per_second=1.0, thread=thread)
            tracker.record_processing_time(0.001, files=1)
            if i % 250 == 0:
                tracker.save()

    workers = [threading.Thread(target=hammer, args=(n,)) for n in range(threads_count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    seen = sorted((r["thread"], r["step"]) for r in tracker.steps())
    assert seen == [(t, i) for t in range(threads_count) for i in range(per_thread)]
    assert tracker.processing.total_files == threads_count * per_thread
    assert tracker.get_training_summary()["steps_recorded"] == threads_count * per_thread
