"""The run lifecycle through the real ``litcode`` command: reruns, resumes, interrupts, restarts."""

from __future__ import annotations

import json
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest

from cli.processes import LITCODE, LitcodeProcess, run_litcode
from cli.tiny_run import DEFAULT_CONFIG, REPO_ROOT, copy_stdlib_slice, tiny_flags

pytestmark = pytest.mark.slow

FIRST_STEPS = 6


@dataclass
class Workspace:
    """A corpus and a prepared-data cache shared by the tests; each test has its own run directory."""

    source: Path
    cache_dir: Path

    def fit_args(self, run_dir: Path, *extra: str) -> list[str]:
        return [
            "fit",
            "--config",
            str(DEFAULT_CONFIG),
            *tiny_flags(self.source, self.cache_dir),
            "--trainer.default_root_dir",
            str(run_dir),
            *extra,
        ]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("lifecycle")
    return Workspace(copy_stdlib_slice(root / "corpus"), root / "cache")


@pytest.fixture(scope="module")
def finished_run(workspace: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run directory after a finished 6-step fit (checkpoints at steps 6 and a last.ckpt)."""
    run_dir = tmp_path_factory.mktemp("finished") / "run"
    result = run_litcode(*workspace.fit_args(run_dir, "--trainer.max_steps", str(FIRST_STEPS)))
    assert result.returncode == 0, result.stderr[-3000:]
    return run_dir


@pytest.fixture
def run_copy(finished_run: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "run"
    shutil.copytree(finished_run, copy)
    return copy


def run_record(run_dir: Path) -> dict:
    return json.loads((run_dir / "run.json").read_text())


def latest(remote: Path) -> dict:
    return json.loads((remote / "latest.json").read_text())


def logged_steps(run_dir: Path) -> list[int]:
    lines = (run_dir / "metrics" / "metrics.steps.jsonl").read_text().splitlines()
    return [json.loads(line)["step"] for line in lines]


def versioned_files(*folders: Path) -> list[str]:
    return sorted(path.name for folder in folders for path in folder.rglob("*-v[0-9]*.ckpt"))


def train_sh_checkpoint(run_dir: Path) -> str | None:
    """The checkpoint the next ``scripts/train.sh`` restart of ``run_dir`` would resume from."""
    result = subprocess.run(
        [str(REPO_ROOT / "scripts" / "train.sh"), "-n", "-r", str(run_dir)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "LITCODE": LITCODE, "REMOTE_URL": ""},
    )
    assert result.returncode == 0, result.stderr
    words = shlex.split(result.stdout)
    return words[words.index("--ckpt_path") + 1] if "--ckpt_path" in words else None


# -- reruns and resumes ----------------------------------------------------------------------


@dataclass
class Resumed:
    run_dir: Path
    first_line: str
    run_id: str


@pytest.fixture(scope="module")
def resumed_run(
    workspace: Workspace, finished_run: Path, tmp_path_factory: pytest.TempPathFactory
) -> Resumed:
    """The finished run, fit again with a higher max_steps (after a record logged past its checkpoint)."""
    run_dir = tmp_path_factory.mktemp("resumed") / "run"
    shutil.copytree(finished_run, run_dir)
    # A record logged after the checkpoint (the fit died between saves) must be replayed, not kept twice.
    with (run_dir / "metrics" / "metrics.steps.jsonl").open("a") as log:
        log.write(json.dumps({"step": FIRST_STEPS + 3, "epoch": 0, "loss": 9.9}) + "\n")
    run_id = run_record(run_dir)["run_id"]
    result = run_litcode(*workspace.fit_args(run_dir, "--trainer.max_steps", "9"))
    assert result.returncode == 0, result.stderr[-3000:]
    return Resumed(run_dir, result.first_line, run_id)


def test_rerun_into_a_run_directory_resumes_from_last_checkpoint_and_says_so_first(
    resumed_run: Resumed,
) -> None:
    last = resumed_run.run_dir / "checkpoints" / "last.ckpt"
    assert resumed_run.first_line.startswith(f"litcode fit: resuming run {resumed_run.run_id} from {last}")
    assert f"(step {FIRST_STEPS};" in resumed_run.first_line
    record = run_record(resumed_run.run_dir)
    assert (record["run_id"], record["status"], record["global_step"]) == (resumed_run.run_id, "finished", 9)
    assert [segment["from_step"] for segment in record["segments"]] == [0, FIRST_STEPS]


def test_resumed_run_moves_latest_json_forward_and_writes_no_versioned_checkpoint(
    resumed_run: Resumed,
) -> None:
    run_dir = resumed_run.run_dir
    assert latest(run_dir / "remote")["step"] == 9
    assert versioned_files(run_dir / "checkpoints", run_dir / "remote") == []
    assert train_sh_checkpoint(run_dir) == str(run_dir / "checkpoints" / "last.ckpt")


def test_resumed_run_continues_its_step_log_from_the_checkpoint(resumed_run: Resumed) -> None:
    assert logged_steps(resumed_run.run_dir) == [3, 6, 9]


def test_resume_never_starts_a_new_run_and_the_remote_keeps_the_runs_apart(
    workspace: Workspace, run_copy: Path
) -> None:
    old_id = run_record(run_copy)["run_id"]
    result = run_litcode(*workspace.fit_args(run_copy, "--trainer.max_steps", "3", "--resume", "never"))
    assert result.returncode == 0, result.stderr[-3000:]
    new_id = run_record(run_copy)["run_id"]
    assert new_id != old_id
    assert result.first_line.startswith(f"litcode fit: new run {new_id} in {run_copy} (--resume never: ")
    assert latest(run_copy / "remote")["step"] == FIRST_STEPS  # the old run's pointer never moves back
    assert latest(run_copy / "remote" / "runs" / new_id)["step"] == 3
    assert logged_steps(run_copy) == [3]  # the new run's own curve
    assert run_record(run_copy / "previous" / old_id)["global_step"] == FIRST_STEPS


def test_resuming_a_second_run_keeps_uploading_under_its_own_run_id(
    workspace: Workspace, run_copy: Path
) -> None:
    run_litcode(*workspace.fit_args(run_copy, "--trainer.max_steps", "3", "--resume", "never"))
    new_id = run_record(run_copy)["run_id"]
    result = run_litcode(*workspace.fit_args(run_copy, "--trainer.max_steps", "6"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.first_line.startswith(f"litcode fit: resuming run {new_id} from ")
    assert latest(run_copy / "remote" / "runs" / new_id)["step"] == 6
    assert latest(run_copy / "remote")["step"] == FIRST_STEPS


def test_run_directory_with_a_run_but_no_last_checkpoint_is_refused_before_any_data_work(
    workspace: Workspace, tmp_path: Path
) -> None:
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "run.json").write_text(json.dumps({"run_id": "r-old", "status": "failed", "global_step": 40}))
    fresh_cache = tmp_path / "cache"
    args = workspace.fit_args(run_dir, "--data.cache_dir", str(fresh_cache))
    result = run_litcode(*args)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-2].startswith(f"litcode fit: error: {run_dir} already holds run r-old")
    assert "--resume never" in result.stderr and "--trainer.default_root_dir DIR" in result.stderr
    assert not fresh_cache.exists()


# -- interrupts -------------------------------------------------------------------------------


def start_long_fit(workspace: Workspace, run_dir: Path) -> LitcodeProcess:
    """A fit that would run for minutes, once it has trained and saved a checkpoint."""
    process = LitcodeProcess(workspace.fit_args(run_dir, "--trainer.max_steps", "100000"))
    process.wait_for_line("litcode fit: training from step 0")
    process.wait_until(lambda: (run_dir / "checkpoints" / "last.ckpt").is_file(), "the first checkpoint")
    return process


SIGNALS = {"sigint": (signal.SIGINT, 130, "SIGINT (Ctrl-C)"), "sigterm": (signal.SIGTERM, 143, "SIGTERM")}


@dataclass
class Interrupted:
    run_dir: Path
    returncode: int
    stdout: str
    stderr: str

    @property
    def summary(self) -> str:
        return self.stdout[self.stdout.index("litcode fit interrupted") :]

    @property
    def resume_command(self) -> list[str]:
        return shlex.split(self.summary.split("resume with:\n", 1)[1].splitlines()[0])


@pytest.fixture(scope="module", params=sorted(SIGNALS))
def interrupted_run(
    request: pytest.FixtureRequest, workspace: Workspace, tmp_path_factory: pytest.TempPathFactory
) -> Interrupted:
    """A long fit signalled once it has trained and saved a checkpoint."""
    run_dir = tmp_path_factory.mktemp(f"interrupted-{request.param}") / "run"
    process = start_long_fit(workspace, run_dir)
    process.signal_group(SIGNALS[request.param][0])
    result = process.finish()
    return Interrupted(run_dir, result.returncode, result.stdout, result.stderr)


def test_signal_during_training_exits_with_the_signal_s_code_and_a_summary(
    interrupted_run: Interrupted, request: pytest.FixtureRequest
) -> None:
    _, exit_code, reason = SIGNALS[request.node.callspec.params["interrupted_run"]]
    assert interrupted_run.returncode == exit_code, interrupted_run.stderr[-3000:]
    assert interrupted_run.summary.splitlines()[0].startswith(f"litcode fit interrupted by {reason} at step ")
    assert "Traceback" not in interrupted_run.stderr
    record = run_record(interrupted_run.run_dir)
    assert (record["status"], record["reason"]) == ("interrupted", reason)


def test_interrupted_run_records_its_last_checkpoint_and_the_remote_has_it(
    interrupted_run: Interrupted,
) -> None:
    run_dir = interrupted_run.run_dir
    record = run_record(run_dir)
    assert record["last_checkpoint"] == str(run_dir / "checkpoints" / "last.ckpt")
    assert latest(run_dir / "remote")["step"] == record["last_checkpoint_step"]
    assert train_sh_checkpoint(run_dir) == str(run_dir / "checkpoints" / "last.ckpt")


def test_report_shows_an_interrupted_run_as_interrupted(interrupted_run: Interrupted) -> None:
    report = run_litcode("report", str(interrupted_run.run_dir))
    assert report.returncode == 0
    assert f"status interrupted ({run_record(interrupted_run.run_dir)['reason']})" in report.stdout


def test_the_printed_resume_command_continues_the_interrupted_run(interrupted_run: Interrupted) -> None:
    run_dir = interrupted_run.run_dir
    resume = interrupted_run.resume_command
    assert resume[:2] == ["litcode", "fit"] and "--resume" not in resume
    step = run_record(run_dir)["last_checkpoint_step"]
    resumed = run_litcode(*resume[1:], "--trainer.max_steps", str(step + 3))
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert resumed.first_line.startswith("litcode fit: resuming run ")
    assert (run_record(run_dir)["status"], run_record(run_dir)["global_step"]) == ("finished", step + 3)
    assert versioned_files(run_dir / "checkpoints", run_dir / "remote") == []


@pytest.mark.parametrize("name", sorted(SIGNALS))
def test_signal_during_curate_is_one_line_its_exit_code_and_the_manifest_run_interrupted(
    name: str, tmp_path: Path
) -> None:
    signum, exit_code, reason = SIGNALS[name]
    output = tmp_path / "curated"
    args = ["curate", "--output_dir", str(output), "--num_workers", "2", "--progress", "false"]
    process = LitcodeProcess([*args, "--curation.batch_size", "64"])
    process.wait_until(lambda: _batches_done(output / "manifest.sqlite") > 0, "a finished batch")
    process.signal_group(signum)
    result = process.finish()
    assert result.returncode == exit_code
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"litcode curate: interrupted by {reason} after ")
    assert _run_statuses(output / "manifest.sqlite") == ["interrupted"]


def _batches_done(manifest: Path) -> int:
    if not manifest.exists():
        return 0
    try:
        with sqlite3.connect(manifest, timeout=1) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM batches").fetchone()[0])
    except sqlite3.Error:
        return 0


def _run_statuses(manifest: Path) -> list[str]:
    with sqlite3.connect(manifest) as connection:
        return [row[0] for row in connection.execute("SELECT status FROM runs ORDER BY run_id")]


# -- what a fit shows ------------------------------------------------------------------------


def test_fit_shows_curation_and_tokenizing_bars_then_tokens_per_second(
    workspace: Workspace, tmp_path: Path
) -> None:
    args = workspace.fit_args(
        tmp_path / "run",
        "--data.cache_dir",
        str(tmp_path / "cache"),
        "--trainer.max_steps",
        "3",
        "--trainer.enable_progress_bar",
        "true",
    )
    result = run_litcode(*args)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "curate" in result.stderr and "tokenize" in result.stderr
    assert "tok/s" in result.stdout  # Lightning's TQDM bar draws on stdout
    out = result.stdout
    assert out.index("litcode fit: data ready in") < out.index("litcode fit: training from step 0")


# -- curation inside fit ---------------------------------------------------------------------

MORE_PACKAGES = ("email", "http", "xml", "asyncio", "importlib")


@pytest.mark.parametrize(
    ("signum", "exit_code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["sigint", "sigterm"]
)
def test_signal_during_curation_in_fit_keeps_finished_batches_and_the_resume_reuses_them(
    signum: int, exit_code: int, workspace: Workspace, tmp_path: Path
) -> None:
    corpus = copy_stdlib_slice(tmp_path / "corpus")
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for package in MORE_PACKAGES:
        shutil.copytree(stdlib / package, corpus / package, ignore=shutil.ignore_patterns("__pycache__"))
    run_dir, cache = tmp_path / "run", tmp_path / "cache"
    args = [*Workspace(corpus, cache).fit_args(run_dir), "--data.curation.batch_size", "8"]
    process = LitcodeProcess(args)
    process.wait_until(lambda: any(_batches_done(m) > 0 for m in cache.glob(".*.curation/manifest.sqlite")),
                       "a finished curation batch")  # fmt: skip
    process.signal_group(signum)
    result = process.finish()
    assert result.returncode == exit_code, result.stderr[-3000:]
    assert run_record(run_dir)["status"] == "interrupted"
    (manifest,) = cache.glob(".*.curation/manifest.sqlite")
    assert _run_statuses(manifest) == ["interrupted"]
    resume = shlex.split(result.stdout.split("resume with:\n", 1)[1].splitlines()[0])
    assert resume[-2:] == ["--resume", "never"]  # nothing was checkpointed: the run starts over
    resumed = run_litcode(*resume[1:], "--trainer.max_steps", "3")
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    (data_dir,) = (path for path in cache.iterdir() if path.is_dir() and not path.name.startswith("."))
    timings = json.loads((data_dir / "curation" / "report.json").read_text())["timings"]
    assert timings["reused_batches"] >= 1


def test_failed_fit_records_failed_with_the_reason(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus" / "repo"
    corpus.mkdir(parents=True)
    (corpus / "empty.py").write_text("")
    result = run_litcode(*Workspace(corpus.parent, tmp_path / "cache").fit_args(tmp_path / "run"))
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith("litcode fit: error: no sample survived curation")
    record = run_record(tmp_path / "run")
    assert record["status"] == "failed" and record["reason"].startswith("DataPreparationError: ")
