"""What ``litcode fit`` says and records at the start and the end of a run.

At the start: ``run.json`` with every path of the run (data cache, curation output, metrics,
checkpoints, remote). At the end: the final losses, the upload health (counts, pending names,
``latest.json`` re-checked against the remote file's size) merged into ``run.json``, and a summary
on stdout that says where everything went and what to run next.
"""

from __future__ import annotations

import math
import shlex
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytorch_lightning as pl
from pytorch_lightning.callbacks import Callback

from litcode.callbacks.upload import CheckpointUploadCallback, RemoteStore
from litcode.cli.interrupts import Interruption
from litcode.cli.resume import LAST_CHECKPOINT, ResumePlan, complete_last_checkpoint
from litcode.cli.run_directory import RunDirectory
from litcode.curation.manifest import Manifest
from litcode.curation.pipeline import MANIFEST_NAME
from litcode.data.prepare import curation_workdir
from litcode.metrics import MetricsTracker

FINAL_METRICS = ("train_loss", "train_perplexity", "val_loss", "val_perplexity")


def describe_start(
    run: RunDirectory,
    trainer: pl.Trainer,
    datamodule: Any,
    upload: CheckpointUploadCallback | None,
    tracker: MetricsTracker | None,
    plan: ResumePlan,
    remote_base_url: str | None = None,
) -> None:
    """Record the run's paths and ``status: running`` in ``run.json`` before anything long starts."""
    previous = run.read()
    started = _now()
    segment = {"started_at": started, "from_step": plan.step or 0, "checkpoint": plan.checkpoint}
    fields: dict[str, Any] = {
        "command": "fit",
        "run_id": plan.run_id,
        "status": "running",
        "reason": None,
        "started_at": previous.get("started_at", started) if not plan.new_run else started,
        "finished_at": None,
        "segments": [*(previous.get("segments") or [] if not plan.new_run else []), segment],
        "run_dir": str(run.path.absolute()),
        "checkpoint_dir": _checkpoint_dir(trainer),
        "metrics_file": str(tracker.metrics_file) if tracker and tracker.metrics_file else None,
        "log_dir": trainer.log_dir,
        "remote_url": upload.remote_url if upload else None,
        "remote_base_url": remote_base_url if upload else None,
    }
    cache_path = getattr(datamodule, "cache_path", None)
    if callable(cache_path):
        data_dir = cache_path()
        fields.update(data_dir=str(data_dir), curation_dir=str(data_dir / "curation"))
    run.update(**fields)
    print(f"litcode fit: run directory {run.path}", flush=True)


class RunLifecycleCallback(Callback):
    """Says what happened after it happened: the data once prepared, then where training starts."""

    def on_fit_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if not trainer.is_global_zero:
            return
        prepared = getattr(getattr(trainer, "datamodule", None), "prepared", None)
        meta = getattr(prepared, "meta", None)
        if not meta:
            return
        curation, windows, tokens = meta["curation"], meta["windows"], meta["tokens"]
        directory = getattr(prepared, "directory", "?")
        print(
            f"litcode fit: data ready in {directory}: curation kept {curation['kept']} of "
            f"{curation['inputs']} inputs; {windows['train']} train windows ({tokens['train']} tokens), "
            f"{windows['val']} val windows",
            flush=True,
        )

    def on_train_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if trainer.is_global_zero:
            print(f"litcode fit: training from step {trainer.global_step} to {trainer.max_steps}", flush=True)


def finish_run(
    run: RunDirectory,
    trainer: pl.Trainer,
    upload: CheckpointUploadCallback | None,
    tracker: MetricsTracker | None,
) -> dict[str, Any]:
    """Merge the final figures and upload health into ``run.json``, print the summary, return the record."""
    final = {
        name: float(value)
        for name, value in trainer.callback_metrics.items()
        if name in FINAL_METRICS and math.isfinite(float(value))
    }
    steps = tracker.steps() if tracker is not None else []
    losses = [record["loss"] for record in steps if record.get("loss") is not None]
    if losses:
        final["first_logged_loss"], final["last_logged_loss"] = losses[0], losses[-1]
    run.update(
        status="finished",
        reason=None,
        finished_at=_now(),
        global_step=trainer.global_step,
        segments=_end_segment(run.read(), "finished", trainer.global_step),
        final=final,
        upload=upload_health(upload) if upload is not None else None,
    )
    record = run.read()
    print(format_summary(record), flush=True)
    return record


def record_stop(
    run: RunDirectory,
    trainer: pl.Trainer,
    upload: CheckpointUploadCallback | None,
    interruption: Interruption | None,
    error: BaseException,
    resume: str,
) -> dict[str, Any]:
    """Record an interrupted or failed fit in ``run.json`` and print its short summary (stdout)."""
    status = "interrupted" if interruption is not None else "failed"
    reason = interruption.reason if interruption is not None else f"{type(error).__name__}: {error}"
    record = run.read()
    if not record:
        return record  # stopped before the run started (e.g. while parsing): nothing to record
    last = run.checkpoint_dir / LAST_CHECKPOINT
    last_step = complete_last_checkpoint(run.checkpoint_dir) if run.checkpoint_dir.is_dir() else None
    if interruption is not None and record.get("data_dir"):
        _mark_curation_interrupted(Path(record["data_dir"]))
    run.update(
        status=status,
        reason=reason,
        finished_at=_now(),
        global_step=trainer.global_step,
        segments=_end_segment(record, status, trainer.global_step),
        last_checkpoint=str(last) if last_step is not None else None,
        last_checkpoint_step=last_step,
        upload=upload_health(upload) if upload is not None else record.get("upload"),
    )
    record = run.read()
    print(format_stop_summary(record, resume), flush=True)
    return record


def format_stop_summary(record: dict[str, Any], resume: str) -> str:
    """What a stopped fit says: why, how far it got, what is saved, and the command that resumes it."""
    checkpoint = record.get("last_checkpoint")
    saved = (
        f"{checkpoint} (step {record.get('last_checkpoint_step')})"
        if checkpoint
        else "none yet (no checkpoint was saved; resuming starts the run over)"
    )
    what = "interrupted by" if record.get("status") == "interrupted" else "failed:"
    lines = [
        f"litcode fit {what} {record.get('reason')} at step {record.get('global_step')}",
        f"  run.json        status {record.get('status')}, run {record.get('run_id')}",
        f"  last checkpoint {saved}",
    ]
    upload = record.get("upload") or {}
    if upload.get("pending"):
        lines.append(
            f"  uploads         pending: {', '.join(upload['pending'])} "
            f"(finish them with: litcode upload --resume {record.get('run_dir')})"
        )
    lines.append(f"resume with:\n  {resume}")
    return "\n".join(lines)


def resume_command(argv: list[str], run: RunDirectory) -> str:
    """The exact command that resumes this run: the same one, minus what the resume decides itself.

    >>> import tempfile
    >>> run = RunDirectory(tempfile.mkdtemp())
    >>> resume_command(["fit", "--config", "c.yaml", "--resume", "never"], run)
    'litcode fit --config c.yaml --resume never'
    """
    kept: list[str] = []
    checkpoint_flags: list[str] = []
    arguments = iter(argv)
    for argument in arguments:
        name = argument.split("=", 1)[0]
        if name in ("--resume", "--ckpt_path"):
            flag = [argument] if "=" in argument else [argument, next(arguments, "")]
            if name == "--ckpt_path":
                checkpoint_flags = flag
            continue
        kept.append(argument)
    if not (run.checkpoint_dir / LAST_CHECKPOINT).is_file():
        # No last.ckpt: resume from the checkpoint given before, else (nothing saved) start over.
        kept += checkpoint_flags or ["--resume", "never"]
    return shlex.join(["litcode", *kept])


def _mark_curation_interrupted(data_dir: Path) -> None:
    """An interrupted in-fit curation says so in its manifest, as ``litcode curate``'s does."""
    manifest_path = curation_workdir(data_dir.parent, data_dir.name) / MANIFEST_NAME
    if manifest_path.exists():
        with Manifest(manifest_path) as manifest:
            manifest.mark_interrupted()


def _end_segment(record: dict[str, Any], status: str, step: int) -> list[dict[str, Any]]:
    segments = [dict(segment) for segment in record.get("segments") or []]
    if segments:
        segments[-1].update(ended_at=_now(), status=status, to_step=step)
    return segments


def upload_health(upload: CheckpointUploadCallback) -> dict[str, Any]:
    """Counts, pending names and the remote's ``latest.json``, its file's size checked once more."""
    health: dict[str, Any] = {
        "remote_url": upload.remote_url,
        "stats": upload.stats.as_dict(),
        "pending": upload.pending(),
        "latest": None,
        "latest_verified": False,
    }
    try:
        store = RemoteStore(upload.remote_url, upload.storage_options)
        latest = store.read_latest()
        health["latest"] = latest
        health["latest_verified"] = store.filesystem.size(store.path(latest["checkpoint"])) == latest["bytes"]
    except Exception as error:  # a summary must not fail the run it summarises
        health["latest_error"] = f"{type(error).__name__}: {error}"
    return health


def format_summary(record: dict[str, Any]) -> str:
    """The end-of-fit summary: losses, then where every output is, then what to run next."""
    final = record.get("final") or {}
    run_dir = record.get("run_dir", ".")
    lines = [f"litcode fit finished after {record.get('global_step', '?')} steps"]
    if "first_logged_loss" in final:
        lines.append(
            f"  loss            {final['first_logged_loss']:.3f} (first interval) -> "
            f"{final['last_logged_loss']:.3f} (last interval)"
        )
    if "val_loss" in final:
        perplexity = final.get("val_perplexity", math.nan)
        lines.append(f"  validation      loss {final['val_loss']:.3f}, perplexity {perplexity:.2f}")
    lines += [
        f"  run directory   {run_dir}  (run.json records everything below)",
        f"  checkpoints     {record.get('checkpoint_dir')}",
        f"  metrics         {record.get('metrics_file')}",
        f"  trainer logs    {record.get('log_dir')}",
    ]
    if record.get("curation_dir"):
        lines.append(
            f"  curation        {record['curation_dir']}  (manifest.sqlite, report.md, kept/*.parquet)"
        )
    lines.append(_upload_line(record.get("upload"), run_dir))
    lines += [
        "next:",
        f"  litcode report {run_dir}",
        f"  scripts/report.sh {run_dir}   # the report + both notebooks executed into {run_dir}/notebooks",
        f"  papermill notebooks/inspect_metrics.ipynb {run_dir}/inspect_metrics.ipynb -p run_dir {run_dir}",
        f"  papermill notebooks/curation_report.ipynb {run_dir}/curation_report.ipynb -p run_dir {run_dir}",
    ]
    return "\n".join(lines)


def _upload_line(health: dict[str, Any] | None, run_dir: str) -> str:
    if not health:
        return "  uploads         none (no upload.remote_url configured)"
    stats = health.get("stats", {})
    latest = health.get("latest")
    pending = health.get("pending") or []
    text = f"  uploads         {stats.get('uploaded', 0)} checkpoint(s) to {health['remote_url']}"
    if latest:
        check = "size re-checked" if health.get("latest_verified") else "SIZE MISMATCH"
        text += (
            f", SHA-256 verified; latest.json -> {latest['checkpoint']} (step {latest.get('step')}, {check})"
        )
    text += f"; pending: {', '.join(pending) if pending else 'none'}"
    if pending:
        text += f"  (finish them with: litcode upload --resume {run_dir})"
    return text


def _checkpoint_dir(trainer: pl.Trainer) -> str | None:
    callback = trainer.checkpoint_callback
    dirpath = getattr(callback, "dirpath", None)
    return str(dirpath) if dirpath else None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()
