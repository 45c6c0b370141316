"""Retention, dead remotes and verified resume on real fits (S3 through the fault proxy, fake clocks)."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

import pytest
import s3fs
from pytorch_lightning.demos.boring_classes import BoringModel

from litcode.callbacks.upload import CheckpointUploadCallback, CorruptCheckpointError, resolve_latest
from litcode.resilience import CircuitBreaker, RetryPolicy

from .conftest import every_step_checkpoint, make_trainer
from .test_retention_and_dead_remote import AdvancingSleep


def remote_names(s3: Any, bucket: str, prefix: str = "run") -> set[str]:
    filesystem = s3fs.S3FileSystem(skip_instance_cache=True, **s3.options())
    return {path.removeprefix(f"{bucket}/") for path in filesystem.find(f"{bucket}/{prefix}")}


@pytest.mark.slow
def test_keep_last_holds_under_30_percent_faults_with_a_resume_in_the_middle(
    tmp_path: Path, s3: Any, fake_sleep: Any, fast_retry: RetryPolicy, patient_breaker: CircuitBreaker
) -> None:
    bucket = s3.make_bucket()
    url = f"s3://{bucket}/run"
    foreign = s3fs.S3FileSystem(skip_instance_cache=True, **s3.options())
    foreign.pipe_file(f"{bucket}/run/epoch=0-step=99.ckpt", b"another run wrote this")
    foreign.pipe_file(f"{bucket}/other-run/last.ckpt", b"and this")
    s3.injector.configure(failure_rate=0.3, seed=4321)

    def fit(root: Path, max_steps: int, ckpt_path: str | None) -> CheckpointUploadCallback:
        upload = CheckpointUploadCallback(
            url, fast_retry, patient_breaker, s3.options(faulty=True), keep_last=2, sleep=fake_sleep
        )
        trainer = make_trainer(root, [upload, every_step_checkpoint(root)], max_steps=max_steps)
        trainer.fit(BoringModel(), ckpt_path=ckpt_path)
        assert upload.pending() == []
        return upload

    fit(tmp_path / "run", 4, None)
    resumed_from = resolve_latest(url, s3.options())  # verified download of the last committed checkpoint
    second = fit(tmp_path / "run", 8, resumed_from)
    assert sum(s3.injector.injected.values()) > 0

    latest = json.loads(foreign.cat_file(f"{bucket}/run/latest.json"))
    assert (latest["checkpoint"], latest["step"]) == ("last.ckpt", 8)
    assert remote_names(s3, bucket) == {
        "run/latest.json",
        "run/last.ckpt",  # also the checkpoint the second fit resumed from
        "run/epoch=0-step=8.ckpt",
        "run/epoch=0-step=99.ckpt",  # another run's file: never touched
    }
    assert remote_names(s3, bucket, "other-run") == {"other-run/last.ckpt"}
    assert second.stats["deleted"] >= 4 and second.stats["deletions_pending"] == 0


def test_dead_remote_at_fit_end_stops_waiting_and_prints_the_resume_command(
    tmp_path: Path, flaky_remote: Any, fake_clock: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    flaky_remote.outage = True
    breaker = CircuitBreaker(failure_threshold=3, recovery_timeout=30.0, clock=fake_clock)
    upload = CheckpointUploadCallback(
        flaky_remote.url, breaker=breaker, sleep=AdvancingSleep(fake_clock), flush_timeout=300.0
    )
    started = time.monotonic()
    make_trainer(tmp_path, [upload, every_step_checkpoint(tmp_path)], max_steps=2).fit(BoringModel())
    wall = time.monotonic() - started
    staging = (tmp_path / "checkpoints" / ".upload-staging").absolute()
    assert upload.stats["dead_remote"] and upload.pending()
    assert f"litcode upload --resume {staging}" in capsys.readouterr().err
    assert (staging / "upload-journal.json").exists()
    assert wall < 20.0  # the fake outage lasted >= 60 s; flush_timeout (300 s) was never waited out


def test_fit_from_a_corrupt_remote_checkpoint_url_fails_naming_both_hashes(
    tmp_path: Path, flaky_remote: Any
) -> None:
    first = tmp_path / "first"
    make_trainer(
        first, [CheckpointUploadCallback(flaky_remote.url), every_step_checkpoint(first)], max_steps=2
    ).fit(BoringModel())
    recorded = flaky_remote.latest()["sha256"]
    filesystem = flaky_remote.filesystem_class()
    filesystem.pipe_file(f"{flaky_remote.url}/last.ckpt", b"bit rot")
    upload = CheckpointUploadCallback(flaky_remote.url)
    trainer = make_trainer(tmp_path / "second", [upload], max_steps=4)
    with pytest.raises(CorruptCheckpointError) as raised:
        trainer.fit(BoringModel(), ckpt_path=f"{flaky_remote.url}/last.ckpt")
    assert recorded in str(raised.value)
    assert hashlib.sha256(b"bit rot").hexdigest() in str(raised.value)
