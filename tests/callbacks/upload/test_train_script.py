"""scripts/train.sh's verified remote resume: download, check SHA-256 against latest.json, then resume."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from litcode.callbacks.upload import RemoteStore
from litcode.callbacks.upload.resume import default_cache_dir

REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def fake_litcode(tmp_path: Path) -> Path:
    """A stand-in ``litcode`` that prints its arguments (its shebang names this interpreter)."""
    script = tmp_path / "bin" / "litcode"
    script.parent.mkdir()
    script.write_text(f"#!{sys.executable}\nimport sys\nprint('FIT', *sys.argv[1:])\n")
    script.chmod(0o755)
    return script


def commit(remote: str, name: str, payload: bytes, recorded: bytes | None = None) -> None:
    store = RemoteStore(remote)
    store.filesystem.makedirs(store.root, exist_ok=True)
    store.filesystem.pipe_file(store.path(name), payload)
    sha = hashlib.sha256(payload if recorded is None else recorded).hexdigest()
    store.write_latest({"checkpoint": name, "bytes": len(payload), "sha256": sha, "step": 200, "epoch": 0})


def train(tmp_path: Path, litcode: Path, remote: str, *flags: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "LITCODE": str(litcode),
        "REMOTE_URL": remote,
        "LITCODE_CHECKPOINT_CACHE": str(tmp_path / "cache"),
    }
    return subprocess.run(
        [str(REPO_ROOT / "scripts" / "train.sh"), *flags, "-r", str(tmp_path / "run")],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.mark.slow
def test_train_resumes_from_a_verified_local_copy_of_the_remote_latest(
    tmp_path: Path, fake_litcode: Path
) -> None:
    remote = (tmp_path / "remote").as_uri()
    commit(remote, "step=000200.ckpt", b"weights")
    result = train(tmp_path, fake_litcode, remote)
    assert result.returncode == 0, result.stderr
    local = tmp_path / "cache" / default_cache_dir(remote).name / "step=000200.ckpt"
    assert f"--ckpt_path {local}" in result.stdout
    assert local.read_bytes() == b"weights"


@pytest.mark.slow
def test_train_refuses_a_corrupt_remote_checkpoint_naming_both_hashes(
    tmp_path: Path, fake_litcode: Path
) -> None:
    remote = (tmp_path / "remote").as_uri()
    commit(remote, "last.ckpt", b"bit rot", recorded=b"verified weights")
    result = train(tmp_path, fake_litcode, remote)
    assert result.returncode == 1
    assert "FIT" not in result.stdout  # training never started
    assert hashlib.sha256(b"verified weights").hexdigest() in result.stderr
    assert hashlib.sha256(b"bit rot").hexdigest() in result.stderr


@pytest.mark.slow
def test_train_dry_run_names_the_cache_path_without_downloading(tmp_path: Path, fake_litcode: Path) -> None:
    remote = (tmp_path / "remote").as_uri()
    commit(remote, "last.ckpt", b"weights")
    result = train(tmp_path, fake_litcode, remote, "-n")
    assert result.returncode == 0, result.stderr
    assert "--ckpt_path" in result.stdout and "last.ckpt" in result.stdout
    assert not (tmp_path / "cache").exists()
