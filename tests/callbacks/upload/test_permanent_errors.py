"""Issue 21's upload errors: permanent ones fail at once, in one line that says what to fix."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import NoCredentialsError, PartialCredentialsError
from pytorch_lightning.demos.boring_classes import BoringModel

from litcode.callbacks.upload import (
    CheckpointUploadCallback,
    RemoteConfigurationError,
    check_remote,
    is_transient_upload_error,
    what_to_fix,
)
from litcode.callbacks.upload.uploader import DEFAULT_RECOVERY_TIMEOUT, default_breaker
from litcode.cli.upload_settings import RUNTIME_ONLY, BreakerSettings, UploadSettings

from .conftest import every_step_checkpoint, make_trainer


def remove_aws_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def anonymous_options(s3: Any) -> dict[str, Any]:
    options = s3.options()
    for key in ("key", "secret", "session"):
        options.pop(key)
    return options


@pytest.mark.parametrize(
    "error", [NoCredentialsError(), PartialCredentialsError(provider="env", cred_var="x")]
)
def test_missing_credentials_are_permanent(error: Exception) -> None:
    assert not is_transient_upload_error(error)
    assert "AWS_ACCESS_KEY_ID" in what_to_fix(error, "s3://bucket/run")


def test_permanent_error_hint_is_one_line() -> None:
    hint = what_to_fix(PermissionError("Access Denied\nRequestId: 123"), "s3://bucket/run")
    assert "\n" not in hint and hint.startswith("permission denied on s3://bucket/run")


def test_preflight_refuses_an_unknown_protocol() -> None:
    with pytest.raises(RemoteConfigurationError, match="foo://"):
        check_remote("foo://bucket/run")


def test_preflight_refuses_a_missing_bucket(s3: Any) -> None:
    with pytest.raises(RemoteConfigurationError, match="does not exist"):
        check_remote("s3://no-such-bucket-litcode/run", s3.options())


def test_preflight_refuses_missing_credentials(
    s3: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bucket = s3.make_bucket()
    remove_aws_credentials(monkeypatch, tmp_path)
    with pytest.raises(RemoteConfigurationError, match="no usable credentials"):
        check_remote(f"s3://{bucket}/run", anonymous_options(s3))


def test_preflight_accepts_a_reachable_bucket(s3: Any) -> None:
    check_remote(f"s3://{s3.make_bucket()}/run", s3.options())


def test_fit_without_credentials_tries_each_checkpoint_once_and_reports_them_pending(
    tmp_path: Path,
    s3: Any,
    monkeypatch: pytest.MonkeyPatch,
    fake_sleep: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bucket = s3.make_bucket()
    remove_aws_credentials(monkeypatch, tmp_path)
    upload = CheckpointUploadCallback(
        f"s3://{bucket}/run", storage_options=anonymous_options(s3), sleep=fake_sleep
    )
    make_trainer(tmp_path, [upload, every_step_checkpoint(tmp_path)], max_steps=2).fit(BoringModel())
    assert upload.stats["retries"] == 0 and fake_sleep.delays == []
    # the second save of last.ckpt supersedes the first, held one: each checkpoint is listed once
    assert sorted(upload.pending()) == ["epoch=0-step=1.ckpt", "epoch=0-step=2.ckpt", "last.ckpt"]
    hints = [record.getMessage() for record in caplog.records if "not retried" in record.getMessage()]
    assert len(hints) == 1 and "no usable credentials" in hints[0]


def test_upload_settings_offer_every_configurable_callback_option_with_its_default() -> None:
    """Issue 13: the CLI dropped 3 options and disagreed on the breaker (60 s vs 30 s)."""
    fields = {field.name: field.default for field in UploadSettings.__dataclass_fields__.values()}
    for name, parameter in inspect.signature(CheckpointUploadCallback.__init__).parameters.items():
        if name not in RUNTIME_ONLY:
            assert fields[name] == parameter.default, name
    assert (
        BreakerSettings().recovery_timeout
        == default_breaker("x").recovery_timeout
        == DEFAULT_RECOVERY_TIMEOUT
    )


def test_upload_settings_build_the_callback_with_those_options(tmp_path: Path) -> None:
    settings = UploadSettings("file://{run_dir}/remote", keep_last=3, sigterm_flush_timeout=5.0)
    callback = settings.build_callback(tmp_path)
    assert callback is not None
    assert callback.remote_url == f"file://{tmp_path.absolute()}/remote"
    assert (callback.keep_last, callback.sigterm_flush_timeout) == (3, 5.0)
