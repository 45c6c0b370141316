"""``litcode upload --resume DIR``: finish journaled checkpoint uploads."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from litcode.callbacks.upload import JOURNAL_NAME, PendingUpload, UploadJournal
from litcode.cli import main


def journal_one_checkpoint(run_dir: Path, remote: Path) -> bytes:
    """What an interrupted run leaves: a staged checkpoint and a journal naming it."""
    staging = run_dir / "checkpoints" / ".upload-staging"
    staging.mkdir(parents=True)
    payload = b"checkpoint bytes" * 100
    (staging / "1-last.ckpt").write_bytes(payload)
    UploadJournal(staging / JOURNAL_NAME).write(
        f"file://{remote}",
        [PendingUpload("last.ckpt", str(staging / "1-last.ckpt"), str(run_dir / "gone.ckpt"), 7, 0, 1)],
    )
    return payload


def test_resume_uploads_verifies_and_commits_what_the_journal_lists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = tmp_path / "remote"
    payload = journal_one_checkpoint(tmp_path / "run", remote)
    assert main(["upload", "--resume", str(tmp_path / "run")]) == 0
    latest = json.loads((remote / "latest.json").read_text())
    assert latest["checkpoint"] == "last.ckpt"
    assert latest["sha256"] == hashlib.sha256(payload).hexdigest()
    assert (remote / "last.ckpt").read_bytes() == payload
    assert "pending:    none" in capsys.readouterr().out


def test_resume_to_another_remote_overrides_the_journaled_one(tmp_path: Path) -> None:
    journal_one_checkpoint(tmp_path / "run", tmp_path / "first")
    other = tmp_path / "second"
    assert main(["upload", "--resume", str(tmp_path / "run"), "--remote_url", f"file://{other}"]) == 0
    assert (other / "last.ckpt").exists() and not (tmp_path / "first" / "last.ckpt").exists()


def test_resume_with_nothing_pending_says_so_and_exits_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["upload", "--resume", str(tmp_path)]) == 0
    assert "nothing pending" in capsys.readouterr().out


def test_resume_of_a_missing_directory_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["upload", "--resume", str(tmp_path / "nowhere")])
    assert raised.value.code == 2
    assert "does not exist" in capsys.readouterr().err


def test_resume_rewrites_the_upload_health_in_run_json(tmp_path: Path) -> None:
    run = tmp_path / "run"
    journal_one_checkpoint(run, tmp_path / "remote")
    (run / "run.json").write_text(
        json.dumps({"upload": {"pending": ["last.ckpt"], "stats": {"pending": 1, "breaker_state": "open"}}})
    )
    assert main(["upload", "--resume", str(run)]) == 0
    health = json.loads((run / "run.json").read_text())["upload"]
    assert health["pending"] == [] and health["stats"]["pending"] == 0
    assert health["stats"]["breaker_state"] == "closed"
    assert health["latest"]["checkpoint"] == "last.ckpt"


def test_fit_with_an_unknown_remote_protocol_is_a_usage_error_before_data_preparation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cli.tiny_run import DEFAULT_CONFIG

    cache = tmp_path / "cache"
    args = ["fit", "--config", str(DEFAULT_CONFIG), "--data.cache_dir", str(cache)]
    args += ["--trainer.default_root_dir", str(tmp_path / "run"), "--upload.remote_url", "foo://bucket/run"]
    with pytest.raises(SystemExit) as raised:
        main(args)
    assert raised.value.code == 2
    assert "upload.remote_url" in capsys.readouterr().err
    assert not cache.exists() or not any(cache.iterdir())


@pytest.mark.slow
def test_fit_that_ends_with_checkpoints_pending_exits_3_after_saving_and_journaling(tmp_path: Path) -> None:
    import contextlib
    import io

    import fsspec
    from fsspec.implementations.memory import MemoryFileSystem

    from cli.tiny_run import DEFAULT_CONFIG, copy_stdlib_slice, tiny_flags

    class WriteDeniedFileSystem(MemoryFileSystem):
        """Lists fine (the preflight passes), refuses every write: access denied after the start."""

        protocol = ("denied",)
        store: dict = {}
        pseudo_dirs = [""]

        def put_file(self, lpath: str, rpath: str, **kwargs: object) -> None:
            raise PermissionError(13, "AccessDenied: no PutObject (injected)")

        def pipe_file(self, path: str, value: bytes, *args: object, **kwargs: object) -> None:
            raise PermissionError(13, "AccessDenied: no PutObject (injected)")

    fsspec.register_implementation("denied", WriteDeniedFileSystem, clobber=True)
    run_dir = tmp_path / "run"
    args = ["fit", "--config", str(DEFAULT_CONFIG)]
    args += tiny_flags(copy_stdlib_slice(tmp_path / "corpus"), tmp_path / "cache")
    args += ["--trainer.default_root_dir", str(run_dir), "--upload.remote_url", "denied://bucket/run"]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(args) == 3
    assert (run_dir / "checkpoints" / "last.ckpt").is_file()
    assert (run_dir / "checkpoints" / ".upload-staging" / JOURNAL_NAME).is_file()
    assert "last.ckpt" in json.loads((run_dir / "run.json").read_text())["upload"]["pending"]
