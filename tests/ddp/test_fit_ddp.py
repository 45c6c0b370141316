"""``litcode fit --config configs/ddp.yaml``, 2 processes on CPU (gloo), with the callbacks and datamodule.

One real run (module fixture) checked from outside: which rank trained on which
rows, which process uploaded which file, and what the metrics file says.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
STDLIB = Path(sysconfig.get_paths()["stdlib"])
STDLIB_SLICE = ("json", "wsgiref", "concurrent", "zoneinfo", "tomllib")
MAX_STEPS = 8
BATCH_SIZE = 4
WORLD_SIZE = 2

pytestmark = [pytest.mark.ddp, pytest.mark.slow]


@dataclass
class DDPRun:
    root: Path
    run_dir: Path
    remote: Path
    completed: subprocess.CompletedProcess[str]

    def lines(self, name: str) -> list[str]:
        path = self.root / name
        return path.read_text().splitlines() if path.exists() else []


@pytest.fixture(scope="module")
def ddp_run(tmp_path_factory: pytest.TempPathFactory) -> DDPRun:
    root = tmp_path_factory.mktemp("ddp")
    source = root / "corpus"
    for package in STDLIB_SLICE:
        shutil.copytree(STDLIB / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    run_dir, remote = root / "run", root / "remote"
    ledger = json.dumps({"class_path": "ddp_probes.BatchLedger", "init_args": {"directory": str(root)}})
    command = [
        str(Path(sys.executable).parent / "litcode"), "fit",
        "--config", str(REPO_ROOT / "configs" / "ddp.yaml"),
        "--trainer.accelerator", "cpu", "--trainer.devices", str(WORLD_SIZE),
        "--trainer.precision", "32-true",
        "--trainer.default_root_dir", str(run_dir),
        "--trainer.max_steps", str(MAX_STEPS), "--trainer.val_check_interval", "4",
        "--trainer.limit_val_batches", "2", "--trainer.enable_model_summary", "false",
        f"--trainer.callbacks+={ledger}",
        "--model.n_layer", "1", "--model.n_head", "2", "--model.n_embd", "32", "--model.warmup_steps", "2",
        "--model.compile", "false",
        "--data.source", str(source), "--data.cache_dir", str(root / "cache"),
        "--data.curation.licenses", "off", "--data.curation_workers", "0", "--data.num_workers", "0",
        "--data.seq_len", "32", "--data.batch_size", str(BATCH_SIZE), "--data.val_fraction", "0.3",
        "--metrics.log_every_n_steps", "4",
        "--upload.remote_url", f"ledgerfile://{remote}", "--upload.num_workers", "1",
    ]  # fmt: skip
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]),
        "LEDGER_UPLOADS": str(root / "uploads.txt"),
        "MASTER_PORT": str(29600 + os.getpid() % 1000),
        "OMP_NUM_THREADS": "1",
    }
    completed = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=400)
    assert completed.returncode == 0, completed.stderr[-4000:]
    return DDPRun(root, run_dir, remote, completed)


def test_each_rank_trains_on_its_own_rows(ddp_run: DDPRun) -> None:
    ranks = [ddp_run.lines(f"rank{rank}.txt") for rank in range(WORLD_SIZE)]
    assert [len(rows) for rows in ranks] == [MAX_STEPS * BATCH_SIZE] * WORLD_SIZE
    assert set(ranks[0]).isdisjoint(ranks[1])


def test_metrics_count_the_samples_of_every_rank(ddp_run: DDPRun) -> None:
    snapshot = json.loads((ddp_run.run_dir / "metrics" / "metrics.json").read_text())
    (run,) = snapshot["training_history"]
    assert run["samples_trained"] == MAX_STEPS * BATCH_SIZE * WORLD_SIZE


def test_only_rank_zero_writes_step_records(ddp_run: DDPRun) -> None:
    steps = (ddp_run.run_dir / "metrics" / "metrics.steps.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in steps]
    assert [record["step"] for record in records] == [4, 8]
    assert [record["samples"] for record in records] == [4 * BATCH_SIZE * WORLD_SIZE] * 2


def test_only_rank_zero_uploads(ddp_run: DDPRun) -> None:
    uploads = [line.split(" ", 1) for line in ddp_run.lines("uploads.txt")]
    assert uploads, "nothing was uploaded"
    assert {rank for rank, _ in uploads} == {"0"}


def test_every_checkpoint_save_is_uploaded_once_or_superseded(ddp_run: DDPRun) -> None:
    saves = [line.split() for line in ddp_run.lines("saves.txt")]
    rank_zero_saves = [step for rank, step in saves if rank == "0"]
    puts = [line.split(" ", 1)[1] for line in ddp_run.lines("uploads.txt")]
    checkpoint_puts = [target for target in puts if target.endswith(".ckpt")]
    upload = json.loads((ddp_run.run_dir / "run.json").read_text())["upload"]
    assert upload["pending"] == []
    assert upload["stats"]["uploaded"] == len(checkpoint_puts)
    assert len(checkpoint_puts) + upload["stats"]["superseded"] == len(rank_zero_saves)


def test_the_latest_pointer_names_the_final_step(ddp_run: DDPRun) -> None:
    latest = json.loads((ddp_run.remote / "latest.json").read_text())
    assert latest["step"] == MAX_STEPS
    assert (ddp_run.remote / latest["checkpoint"]).stat().st_size == latest["bytes"]
