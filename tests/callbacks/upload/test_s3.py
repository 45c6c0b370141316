"""Uploads to a real S3-protocol server on loopback (moto), healthy, flaky, missing, and down."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import s3fs
from pytorch_lightning.demos.boring_classes import BoringModel

from litcode.callbacks.upload import CheckpointUploadCallback, resolve_latest, resume_pending
from litcode.resilience import CircuitBreaker, RetryPolicy

from .conftest import every_step_checkpoint, make_trainer

pytestmark = pytest.mark.s3


def local_checkpoints(dirpath: Path) -> dict[str, bytes]:
    return {
        path.relative_to(dirpath).as_posix(): path.read_bytes()
        for path in dirpath.rglob("*.ckpt")
        if ".upload-staging" not in path.parts
    }


def remote_bytes(s3: Any, bucket: str, names: list[str]) -> dict[str, bytes]:
    """Read back through the clean endpoint, with a fresh client (no cache shared with the uploader)."""
    filesystem = s3fs.S3FileSystem(skip_instance_cache=True, **s3.options())
    return {name: filesystem.cat_file(f"{bucket}/run/{name}") for name in names}


def test_every_checkpoint_is_uploaded_and_verified_on_s3(tmp_path: Path, s3: Any) -> None:
    bucket = s3.make_bucket()
    upload = CheckpointUploadCallback(f"s3://{bucket}/run", storage_options=s3.options())
    make_trainer(tmp_path, [upload, every_step_checkpoint(tmp_path)], max_steps=3).fit(BoringModel())
    saved = local_checkpoints(tmp_path / "checkpoints")
    assert remote_bytes(s3, bucket, sorted(saved)) == saved
    latest = json.loads(remote_bytes(s3, bucket, ["latest.json"])["latest.json"])
    assert (latest["checkpoint"], latest["step"]) == ("last.ckpt", 3)
    assert upload.pending() == []


def test_every_checkpoint_arrives_under_30_percent_injected_failures(
    tmp_path: Path, s3: Any, fake_sleep: Any, fast_retry: RetryPolicy, patient_breaker: CircuitBreaker
) -> None:
    bucket = s3.make_bucket()
    s3.injector.configure(failure_rate=0.3, seed=1234)
    upload = CheckpointUploadCallback(
        f"s3://{bucket}/run", fast_retry, patient_breaker, s3.options(faulty=True), sleep=fake_sleep
    )
    make_trainer(tmp_path, [upload, every_step_checkpoint(tmp_path)], max_steps=4).fit(BoringModel())
    saved = local_checkpoints(tmp_path / "checkpoints")
    assert upload.pending() == []
    assert remote_bytes(s3, bucket, sorted(saved)) == saved
    assert sum(s3.injector.injected.values()) > 0
    assert upload.stats["failed_attempts"] > 0 and upload.stats["retries"] == len(fake_sleep.delays)


def test_missing_bucket_is_reported_at_once_without_retries(
    tmp_path: Path, s3: Any, fake_sleep: Any, fast_retry: RetryPolicy, caplog: pytest.LogCaptureFixture
) -> None:
    upload = CheckpointUploadCallback(
        "s3://no-such-bucket-litcode/run", fast_retry, storage_options=s3.options(), sleep=fake_sleep
    )
    make_trainer(tmp_path, [upload, every_step_checkpoint(tmp_path, save_last=False)], max_steps=1).fit(
        BoringModel()
    )
    assert upload.pending() == ["epoch=0-step=1.ckpt"]
    assert (upload.stats["permanent_failures"], upload.stats["retries"], fake_sleep.delays) == (1, 0, [])
    assert "bucket does not exist" in caplog.text and "not retried" in caplog.text


def test_outage_opens_the_breaker_and_resume_pending_finishes_the_journal(
    tmp_path: Path, s3: Any, fake_sleep: Any, fake_clock: Any, fast_retry: RetryPolicy
) -> None:
    bucket = s3.make_bucket()
    url = f"s3://{bucket}/run"
    s3.injector.configure(outage=True)
    breaker = CircuitBreaker(failure_threshold=3, recovery_timeout=60.0, clock=fake_clock)
    upload = CheckpointUploadCallback(
        url, fast_retry, breaker, s3.options(faulty=True), sleep=fake_sleep, flush_timeout=2.0
    )
    make_trainer(tmp_path, [upload, every_step_checkpoint(tmp_path)], max_steps=3).fit(BoringModel())
    assert upload.stats["breaker_state"] == "open"
    saved = local_checkpoints(tmp_path / "checkpoints")
    assert sorted(upload.pending()) == sorted(saved)

    s3.injector.configure()  # the remote is back
    result = resume_pending(tmp_path, storage_options=s3.options(faulty=True), sleep=fake_sleep)
    assert result.complete and sorted(result.uploaded) == sorted(saved)
    assert remote_bytes(s3, bucket, sorted(saved)) == saved
    assert Path(resolve_latest(url, s3.options())).read_bytes() == saved["last.ckpt"]


def test_fit_resumes_from_an_s3_checkpoint_url(
    tmp_path: Path, s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    bucket = s3.make_bucket()
    url = f"s3://{bucket}/run"
    first = CheckpointUploadCallback(url, storage_options=s3.options())
    make_trainer(tmp_path / "a", [first, every_step_checkpoint(tmp_path / "a")], max_steps=2).fit(
        BoringModel()
    )
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3.clean)  # Lightning's own loader opens s3:// with plain s3fs
    resumed = make_trainer(tmp_path / "b", [], max_steps=4)
    resumed.fit(BoringModel(), ckpt_path=resolve_latest(url, s3.options()))
    assert resumed.global_step == 4
