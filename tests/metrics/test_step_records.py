from __future__ import annotations

import builtins
import json
import logging
import math
import subprocess
import sys
from datetime import datetime, timedelta

import numpy as np
import pytest

from litcode.metrics import SCHEMA_VERSION, MetricsTracker, steps_path_for

STEP_KEYS = [
    "step",
    "epoch",
    "loss",
    "learning_rates",
    "samples_per_second",
    "tokens_per_second",
    "cuda_memory_allocated_gb",
    "cuda_memory_reserved_gb",
    "cuda_memory_peak_gb",
    "timestamp",
    "schema_version",
]


def _lines(path):
    return path.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize(
    ("metrics_name", "steps_name"),
    [
        ("metrics.json", "metrics.steps.jsonl"),
        ("run-3", "run-3.steps.jsonl"),
        ("a.b.json", "a.b.steps.jsonl"),
    ],
)
def test_step_log_lives_beside_the_snapshot(tmp_path, metrics_name, steps_name):
    tracker = MetricsTracker(tmp_path / metrics_name)

    assert tracker.steps_file == tmp_path / steps_name == steps_path_for(tmp_path / metrics_name)


def test_step_record_has_the_contract_keys(tracker, no_gpu):
    tracker.record_step(12, 1, 2.5, {"lr-AdamW": 3e-4}, samples_per_second=64.0)

    (record,) = tracker.steps()
    assert list(record) == STEP_KEYS
    assert record["schema_version"] == SCHEMA_VERSION


def test_step_record_values_are_stored_as_given(tracker, no_gpu):
    tracker.record_step(
        12,
        1,
        2.5,
        {"lr-AdamW": 3e-4, "lr-AdamW/pg1": 1e-4},
        samples_per_second=64.0,
        tokens_per_second=16384.0,
    )

    (record,) = tracker.steps()
    assert {k: record[k] for k in STEP_KEYS[:6]} == {
        "step": 12,
        "epoch": 1,
        "loss": 2.5,
        "learning_rates": {"lr-AdamW": 3e-4, "lr-AdamW/pg1": 1e-4},
        "samples_per_second": 64.0,
        "tokens_per_second": 16384.0,
    }


def test_step_timestamp_is_iso_utc(tracker):
    tracker.record_step(1, 0, 1.0, {}, samples_per_second=1.0)

    assert datetime.fromisoformat(tracker.steps()[0]["timestamp"]).utcoffset() == timedelta(0)


def test_step_without_cuda_has_no_memory_figures(tracker, no_gpu):
    record = tracker.record_step(1, 0, 1.0, {}, samples_per_second=1.0)

    assert [record[k] for k in STEP_KEYS[6:9]] == [None, None, None]


def test_step_with_cuda_reads_memory_from_torch(tracker, gpu):
    record = tracker.record_step(1, 0, 1.0, {}, samples_per_second=1.0)

    assert [record[k] for k in STEP_KEYS[6:9]] == [8.5, 10.0, 9.0]


def test_step_memory_passed_by_caller_wins(tracker, gpu):
    mine = {"cuda_memory_allocated_gb": 1.0, "cuda_memory_reserved_gb": 2.0, "cuda_memory_peak_gb": 3.0}

    record = tracker.record_step(1, 0, 1.0, {}, samples_per_second=1.0, **mine)

    assert [record[k] for k in STEP_KEYS[6:9]] == [1.0, 2.0, 3.0]


def test_step_extra_keys_are_stored(tracker):
    tracker.record_step(1, 0, 1.0, {}, samples_per_second=1.0, grad_norm=0.5, phase="warmup")

    record = tracker.steps()[0]
    assert (record["grad_norm"], record["phase"]) == (0.5, "warmup")


def test_each_step_appends_one_line(tracker):
    for step in range(3):
        tracker.record_step(step, 0, 1.0, {}, samples_per_second=1.0)

    assert [json.loads(line)["step"] for line in _lines(tracker.steps_file)] == [0, 1, 2]


def test_step_log_is_opened_once_and_kept_open(tracker, mocker):
    spy = mocker.patch("builtins.open", wraps=builtins.open)

    for step in range(5):
        tracker.record_step(step, 0, 1.0, {}, samples_per_second=1.0)

    opened = [c for c in spy.call_args_list if str(c.args[0]) == str(tracker.steps_file)]
    assert len(opened) == 1


def test_steps_are_readable_while_the_log_is_open(tracker):
    tracker.record_step(1, 0, 1.0, {}, samples_per_second=1.0)

    assert MetricsTracker.load(tracker.metrics_file).steps()[0]["step"] == 1


def test_nan_loss_is_kept_and_counted(tracker):
    tracker.record_step(1, 0, 1.0, {}, samples_per_second=1.0)
    tracker.record_step(2, 0, math.nan, {}, samples_per_second=1.0)
    tracker.record_step(3, 0, -math.inf, {}, samples_per_second=1.0)

    losses = [r["loss"] for r in MetricsTracker.load(tracker.metrics_file).steps()]
    assert losses[0] == 1.0 and math.isnan(losses[1]) and losses[2] == -math.inf
    assert tracker.get_training_summary()["nan_steps"] == 2


def test_nan_loss_line_is_strict_json_with_null(tracker):
    tracker.record_step(1, 0, math.nan, {"lr": math.inf}, samples_per_second=1.0)

    (line,) = _lines(tracker.steps_file)
    record = json.loads(line, parse_constant=lambda c: pytest.fail(f"non-standard constant {c}"))
    assert (record["loss"], record["learning_rates"]["lr"]) == (None, None)
    assert record["non_finite"] == {"loss": "NaN", "learning_rates": {"lr": "Infinity"}}


def test_torn_last_line_is_skipped_with_warning(tracker, caplog):
    for step in range(3):
        tracker.record_step(step, 0, 1.0, {}, samples_per_second=1.0)
    tracker.close()
    data = tracker.steps_file.read_bytes()
    tracker.steps_file.write_bytes(data[: len(data) - 20])  # cut into the last record

    with caplog.at_level(logging.WARNING, logger="litcode.metrics"):
        steps = MetricsTracker.load(tracker.metrics_file).steps()

    assert [r["step"] for r in steps] == [0, 1]
    assert "torn last line 3" in caplog.text


def test_appending_after_a_torn_line_starts_a_fresh_line(tracker):
    tracker.record_step(0, 0, 1.0, {}, samples_per_second=1.0)
    tracker.close()
    with open(tracker.steps_file, "ab") as log:
        log.write(b'{"step": 1, "epo')  # a writer killed mid-record

    resumed = MetricsTracker.load(tracker.metrics_file)
    resumed.record_step(2, 0, 1.0, {}, samples_per_second=1.0)

    assert [r["step"] for r in resumed.steps()] == [0, 2]


def test_memory_window_keeps_last_max_samples_while_disk_keeps_all(metrics_file):
    tracker = MetricsTracker(metrics_file, max_samples=3)
    for step in range(10):
        tracker.record_step(step, 0, 1.0, {}, samples_per_second=1.0)

    assert [r["step"] for r in tracker.recent_steps] == [7, 8, 9]
    assert [r["step"] for r in tracker.steps()] == list(range(10))


def test_new_tracker_on_existing_log_appends(metrics_file):
    first = MetricsTracker(metrics_file)
    first.record_step(1, 0, 1.0, {}, samples_per_second=1.0)
    first.close()

    second = MetricsTracker(metrics_file)
    second.record_step(2, 0, 1.0, {}, samples_per_second=1.0)

    assert [r["step"] for r in second.steps()] == [1, 2]


def test_record_step_with_unserializable_extra_raises_type_error(tracker):
    with pytest.raises(TypeError, match="cannot be stored as JSON"):
        tracker.record_step(1, 0, 1.0, {}, samples_per_second=1.0, model=object())


def test_numpy_scalars_are_stored_as_numbers(tracker):
    tracker.record_step(
        1, 0, np.float32(0.5), {"lr": np.float64(0.1)}, samples_per_second=1.0, tokens=np.int64(7)
    )

    record = MetricsTracker.load(tracker.metrics_file).steps()[0]
    assert (record["loss"], record["learning_rates"]["lr"], record["tokens"]) == (0.5, 0.1, 7)


def test_a_process_without_torch_records_steps_without_importing_it(tmp_path):
    script = (
        "import sys\n"
        "from litcode.metrics import MetricsTracker\n"
        "record = MetricsTracker(sys.argv[1]).record_step(1, 0, 1.0, {}, samples_per_second=1.0)\n"
        "assert record['cuda_memory_allocated_gb'] is None\n"
        "assert 'torch' not in sys.modules, 'record_step imported torch'\n"
    )

    command = [sys.executable, "-c", script, str(tmp_path / "m.json")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stderr
