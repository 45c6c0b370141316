"""One resume story for ``litcode fit`` into a run directory that already holds a run.

``--resume auto`` (the default): when ``checkpoints/last.ckpt`` exists the fit resumes from it and
continues the run (same run id, the step log trimmed to the checkpoint's step so the curve goes on
from there, ``latest.json`` only moving forward); when the directory holds a run without a
``last.ckpt`` the fit refuses at once, naming the two ways on. ``--resume never`` starts a new run
with a new run id: the previous run's ``run.json``, ``checkpoints/`` and ``metrics/`` move to
``previous/<its run id>/`` (nothing is deleted), and its uploads go to ``<remote_url>/runs/<run
id>`` whenever the remote already holds another run's ``latest.json``, so runs stay apart there.
An explicit ``--ckpt_path`` is always honoured (a resume of this run, or of another one's weights).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from litcode.atomic_file import atomic_write_text
from litcode.cli.run_directory import RunDirectory

ResumeMode = Literal["auto", "never"]
LAST_CHECKPOINT = "last.ckpt"
PREVIOUS_RUNS = "previous"
#: Moved aside by ``--resume never``; ``lightning_logs/`` is versioned by its logger and stays.
RUN_OWNED = ("run.json", "checkpoints", "metrics")


class ResumeRefused(ValueError):
    """The run directory holds a run that ``--resume auto`` cannot continue; the message says what to do."""


@dataclass(frozen=True)
class ResumePlan:
    """What this fit does with the run directory, decided before anything is built.

    >>> plan = ResumePlan(run_id="r1", checkpoint="/runs/a/last.ckpt", step=40, new_run=False)
    >>> plan.first_line("/runs/a")
    'litcode fit: resuming run r1 from /runs/a/last.ckpt (step 40; --resume never starts a new run)'
    """

    run_id: str
    checkpoint: str | None
    step: int | None
    new_run: bool
    previous_run_id: str | None = None
    explicit_checkpoint: bool = False

    def first_line(self, run_dir: str | Path) -> str:
        if not self.new_run:
            return (
                f"litcode fit: resuming run {self.run_id} from {self.checkpoint} "
                f"(step {self.step}; --resume never starts a new run)"
            )
        line = f"litcode fit: new run {self.run_id} in {run_dir}"
        if self.previous_run_id is not None:
            moved_to = previous_dir(run_dir, self.previous_run_id)
            line += f" (--resume never: run {self.previous_run_id} moved to {moved_to})"
        if self.checkpoint:
            line += f", starting from {self.checkpoint} (step {self.step})"
        return line


def plan_resume(run: RunDirectory, mode: ResumeMode, ckpt_path: str | None) -> ResumePlan:
    """Decide between a new run, a resume, and a refusal (:class:`ResumeRefused`)."""
    record = _safe_read(run)
    last = run.checkpoint_dir / LAST_CHECKPOINT
    holds_run = bool(record) or last.is_file()
    previous_id = str(record.get("run_id") or "") or None
    if ckpt_path:
        if holds_run and mode == "auto":
            step = checkpoint_step(ckpt_path)
            return ResumePlan(previous_id or new_run_id(), ckpt_path, step, False, None, True)
        return ResumePlan(
            new_run_id(),
            ckpt_path,
            checkpoint_step(ckpt_path),
            True,
            (previous_id or "unnamed") if holds_run else None,
            True,
        )
    if not holds_run:
        return ResumePlan(new_run_id(), None, None, True)
    if mode == "never":
        return ResumePlan(new_run_id(), None, None, True, previous_id or "unnamed")
    if last.is_file():
        return ResumePlan(previous_id or new_run_id(), str(last), checkpoint_step(last), False)
    raise ResumeRefused(
        f"{run.path} already holds run {previous_id or '(unnamed)'} (status {record.get('status', '?')}, "
        f"step {record.get('global_step', 0)}) but no {last} to resume from. Start a new run there with "
        "--resume never (the old one moves to previous/), or choose a new run directory with "
        "--trainer.default_root_dir DIR"
    )


def follower_checkpoint(run: RunDirectory, mode: ResumeMode, ckpt_path: str | None) -> str | None:
    """The checkpoint a rank other than 0 resumes from: the one rank 0 chose and recorded.

    Rank 0 plans (and moves files); the other ranks of a distributed fit start after it recorded
    ``run.json`` (Lightning launches them from inside ``fit``), so they read its choice there.
    """
    if ckpt_path:
        return ckpt_path
    record = _safe_read(run)
    segments = record.get("segments") or []
    if record.get("status") == "running" and segments:
        chosen = segments[-1].get("checkpoint")
        return str(chosen) if chosen else None
    last = run.checkpoint_dir / LAST_CHECKPOINT
    return str(last) if mode == "auto" and last.is_file() else None


def apply_plan(plan: ResumePlan, run: RunDirectory) -> str | None:
    """Move the previous run aside (``--resume never``) or trim its step log (resume).

    Returns ``plan.checkpoint``, remapped when it lived in the moved ``checkpoints/``.
    """
    checkpoint = plan.checkpoint
    if plan.new_run and plan.previous_run_id is not None:
        target = previous_dir(run.path, plan.previous_run_id)
        if target.exists():
            target = target.with_name(f"{target.name}-{new_run_id()}")
        target.mkdir(parents=True)
        for name in RUN_OWNED:
            if (run.path / name).exists():
                shutil.move(str(run.path / name), str(target / name))
        if checkpoint and _is_within(Path(checkpoint), run.checkpoint_dir):
            inside = Path(checkpoint).resolve().relative_to(run.checkpoint_dir.resolve())
            checkpoint = str(target / "checkpoints" / inside)
    elif not plan.new_run and plan.step is not None:
        trim_step_log(run.metrics_file.with_suffix(".steps.jsonl"), plan.step)
    return checkpoint


def trim_step_log(steps_file: Path, last_step: int) -> int:
    """Drop step records after ``last_step`` (logged after the checkpoint, replayed by the resume).

    Returns how many were dropped; the file is rewritten atomically, a torn last line discarded.

    >>> import tempfile
    >>> log = Path(tempfile.mkdtemp()) / "metrics.steps.jsonl"
    >>> _ = log.write_text('{"step": 10}\\n{"step": 20}\\n{"step": 30}\\n')
    >>> trim_step_log(log, 20), log.read_text()
    (1, '{"step": 10}\\n{"step": 20}\\n')
    """
    if not steps_file.is_file():
        return 0
    kept: list[str] = []
    dropped = 0
    for line in steps_file.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a torn line from a crash
        if isinstance(record, dict) and isinstance(record.get("step"), int) and record["step"] > last_step:
            dropped += 1
            continue
        kept.append(line)
    if dropped:
        atomic_write_text(steps_file, "".join(f"{line}\n" for line in kept))
    return dropped


def checkpoint_step(path: str | os.PathLike[str]) -> int | None:
    """The ``global_step`` a local checkpoint was saved at (memory-mapped); None for remote URLs."""
    if "://" in str(path) and not str(path).startswith("file://"):
        return None
    local = Path(str(path).removeprefix("file://"))
    if not local.is_file():
        return None
    import torch

    try:
        loaded: dict[str, Any] = torch.load(local, map_location="cpu", mmap=True, weights_only=False)
    except Exception:  # unreadable: Lightning reports it properly when it loads the file itself
        return None
    step = loaded.get("global_step")
    return int(step) if isinstance(step, int) else None


def complete_last_checkpoint(checkpoint_dir: str | os.PathLike[str]) -> int | None:
    """Bring ``last.ckpt`` up to the newest readable checkpoint beside it; its step, or None.

    ``ModelCheckpoint(save_last=True)`` writes the top-k file first and ``last.ckpt`` after it:
    a signal between the two leaves ``last.ckpt`` one save behind a checkpoint that exists (and
    is already uploaded). Copying that one over ``last.ckpt`` (atomically) finishes the save, so
    the run record, the resume command and the remote name the same step.
    """
    folder = Path(checkpoint_dir)
    last = folder / LAST_CHECKPOINT
    last_step = checkpoint_step(last)
    newest: tuple[int, Path] | None = None
    for candidate in folder.glob("*.ckpt"):
        if candidate.name == LAST_CHECKPOINT or not candidate.is_file():
            continue
        step = checkpoint_step(candidate)
        if step is not None and (newest is None or step > newest[0]):
            newest = (step, candidate)
    if newest is None or (last_step is not None and newest[0] <= last_step):
        return last_step
    partial = last.with_name(f".{LAST_CHECKPOINT}.{secrets.token_hex(4)}.tmp")
    try:
        shutil.copyfile(newest[1], partial)
        os.replace(partial, last)
    finally:
        partial.unlink(missing_ok=True)
    return newest[0]


def new_run_id() -> str:
    """A sortable, unique run id: UTC time plus 4 random hex digits (``20261207T010203Z-1a2b``)."""
    return f"{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"


def previous_dir(run_dir: str | Path, run_id: str) -> Path:
    return Path(run_dir) / PREVIOUS_RUNS / run_id


def run_remote_url(base_url: str, run_id: str) -> str:
    """Where a run's uploads go when ``base_url`` already holds another run: ``<base>/runs/<run id>``.

    >>> run_remote_url("s3://bucket/exp/", "r2")
    's3://bucket/exp/runs/r2'
    """
    return f"{base_url.rstrip('/')}/runs/{run_id}"


def _safe_read(run: RunDirectory) -> dict[str, Any]:
    try:
        return run.read()
    except ValueError:
        return {"status": "unreadable run.json"}


def _is_within(path: Path, directory: Path) -> bool:
    try:
        return path.resolve().is_relative_to(directory.resolve())
    except OSError:
        return False
