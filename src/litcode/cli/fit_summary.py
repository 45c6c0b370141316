"""What ``litcode fit`` says and records at the start and the end of a run.

At the start: ``run.json`` with every path of the run (data cache, curation output, metrics,
checkpoints, remote). At the end: the final losses, the upload health (counts, pending names,
``latest.json`` re-checked against the remote file's size) merged into ``run.json``, and a summary
on stdout that says where everything went and what to run next.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any

import pytorch_lightning as pl

from litcode.callbacks.upload import CheckpointUploadCallback, RemoteStore
from litcode.cli.run_directory import RunDirectory
from litcode.metrics import MetricsTracker

FINAL_METRICS = ("train_loss", "train_perplexity", "val_loss", "val_perplexity")


def describe_start(
    run: RunDirectory,
    trainer: pl.Trainer,
    datamodule: Any,
    upload: CheckpointUploadCallback | None,
    tracker: MetricsTracker | None,
) -> None:
    """Record the run's paths in ``run.json`` before anything long starts, and say where it runs."""
    fields: dict[str, Any] = {
        "command": "fit",
        "started_at": _now(),
        "finished_at": None,
        "run_dir": str(run.path.absolute()),
        "checkpoint_dir": _checkpoint_dir(trainer),
        "metrics_file": str(tracker.metrics_file) if tracker and tracker.metrics_file else None,
        "log_dir": trainer.log_dir,
        "remote_url": upload.remote_url if upload else None,
    }
    cache_path = getattr(datamodule, "cache_path", None)
    if callable(cache_path):
        data_dir = cache_path()
        fields.update(data_dir=str(data_dir), curation_dir=str(data_dir / "curation"))
    run.update(**fields)
    print(f"litcode fit: run directory {run.path}", flush=True)
    if "data_dir" in fields:
        print(f"litcode fit: curated, tokenized data cached in {fields['data_dir']}", flush=True)


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
        finished_at=_now(),
        global_step=trainer.global_step,
        final=final,
        upload=upload_health(upload) if upload is not None else None,
    )
    record = run.read()
    print(format_summary(record), flush=True)
    return record


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
