"""scripts/*.sh: usage text, and train.sh's choice of where to resume from (dry runs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.tiny_run import REPO_ROOT
from litcode.callbacks.upload import RemoteStore

SCRIPTS = ("train.sh", "curate.sh", "report.sh")


def run_script(name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(REPO_ROOT / "scripts" / name), *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        # The venv's litcode, so train.sh finds the interpreter (and fsspec) beside it.
        env={**os.environ, "LITCODE": str(Path(sys.executable).parent / "litcode"), **(env or {})},
    )


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_prints_usage_on_help(name: str) -> None:
    result = run_script(name, "-h")
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: scripts/{name}")


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_is_strict_bash(name: str) -> None:
    text = (REPO_ROOT / "scripts" / name).read_text()
    assert text.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in text
    assert os.access(REPO_ROOT / "scripts" / name, os.X_OK)


def test_train_starts_fresh_when_the_run_has_no_checkpoint(tmp_path: Path) -> None:
    result = run_script("train.sh", "-n", "-r", str(tmp_path / "run"), env={"REMOTE_URL": ""})
    assert result.returncode == 0, result.stderr
    assert "--ckpt_path" not in result.stdout
    assert f"--trainer.default_root_dir {tmp_path / 'run'}" in result.stdout


def test_train_resumes_from_the_local_last_checkpoint_first(tmp_path: Path) -> None:
    last = tmp_path / "run" / "checkpoints" / "last.ckpt"
    last.parent.mkdir(parents=True)
    last.write_bytes(b"weights")
    result = run_script("train.sh", "-n", "-r", str(tmp_path / "run"), env={"REMOTE_URL": ""})
    assert f"--ckpt_path {last}" in result.stdout


def test_train_resumes_from_the_remote_latest_when_no_local_copy_exists(tmp_path: Path) -> None:
    remote = f"file://{tmp_path / 'remote'}"
    store = RemoteStore(remote)
    store.write_latest({"checkpoint": "step=000200.ckpt", "bytes": 1, "sha256": "0", "step": 200, "epoch": 0})
    cache = tmp_path / "cache"  # the verified copy goes here (a dry run only names it)
    env = {"REMOTE_URL": remote, "LITCODE_CHECKPOINT_CACHE": str(cache)}
    result = run_script("train.sh", "-n", "-r", str(tmp_path / "run"), env=env)
    assert result.returncode == 0, result.stderr
    assert f"--ckpt_path {cache}/" in result.stdout and "step=000200.ckpt" in result.stdout
    assert f"--upload.remote_url {remote}" in result.stdout


def test_train_rejects_a_missing_config(tmp_path: Path) -> None:
    result = run_script("train.sh", "-n", "-c", str(tmp_path / "absent.yaml"))
    assert result.returncode == 2
    assert "not found" in result.stderr
