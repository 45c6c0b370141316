"""``litcode report RUN_DIR``: a run's metrics summary, its last steps, upload health, curation counts."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from jsonargparse import ArgumentParser

from litcode.cli.run_directory import RunDirectory
from litcode.metrics import MetricsTracker

STEP_COLUMNS = (
    "step",
    "epoch",
    "loss",
    "learning_rate",
    "samples_per_second",
    "tokens_per_second",
    "cuda_peak_gb",
    "mfu",
    "data_wait_fraction",
    "grad_norm",
)


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(prog="litcode report", description="Summarise a training run directory.")
    parser.add_argument("run_dir", type=str, help="the run directory (trainer.default_root_dir)")
    parser.add_argument("--steps", type=int, default=10, help="how many of the last step records to show")
    parser.add_argument("--json", type=bool, default=False, help="print one JSON object instead of text")
    return parser


def run_report(args: list[str]) -> int:
    parser = build_parser()
    config = parser.parse_args(args)
    run = RunDirectory(config.run_dir)
    if not run.path.is_dir():
        parser.error(f"{run.path} is not a directory")
    try:
        report = collect_report(run, last_steps=config.steps)
    except (FileNotFoundError, ValueError) as error:
        parser.error(str(error))
    print(json.dumps(report, indent=2, default=str) if config.json else format_report(report))
    return 0


def collect_report(run: RunDirectory, last_steps: int = 10) -> dict[str, Any]:
    """Everything ``litcode report`` shows, as one dict (what ``--json`` prints)."""
    record = run.read()
    metrics_file = run.resolve_metrics_file()
    if not record and not metrics_file.exists() and not metrics_file.with_suffix(".steps.jsonl").exists():
        raise FileNotFoundError(f"{run.path} holds no litcode run (no run.json, no {metrics_file})")
    tracker = MetricsTracker.load(metrics_file) if _has_metrics(metrics_file) else None
    steps = tracker.steps() if tracker is not None else []
    return {
        "run_dir": str(run.path),
        "run": record,
        "training_summary": tracker.get_training_summary() if tracker is not None else None,
        "quality_stats": dict(tracker.quality_stats) if tracker is not None else None,
        "steps_recorded": len(steps),
        "last_steps": [_step_row(step) for step in steps[-last_steps:]] if last_steps > 0 else [],
        "upload": record.get("upload"),
        "curation": _curation_counts(run.curation_dir()),
    }


def format_report(report: dict[str, Any]) -> str:
    record = report["run"]
    lines = [f"run {report['run_dir']}"]
    if record:
        lines.append(f"  {describe_status(record)}")
        lines.append(
            f"  {record.get('command', '?')} started {record.get('started_at')}, "
            f"ended {record.get('finished_at') or '-'}, step {record.get('global_step', '?')}"
        )
        for name, value in sorted((record.get("final") or {}).items()):
            lines.append(f"  {name:<20} {value:.4f}")
    summary = report["training_summary"]
    if summary:
        lines.append("training summary")
        lines += [f"  {key:<28} {_format_value(value)}" for key, value in summary.items()]
    if report["last_steps"]:
        lines.append(f"last {len(report['last_steps'])} of {report['steps_recorded']} step records")
        lines.append("  " + "  ".join(f"{column:>18}" for column in STEP_COLUMNS))
        for row in report["last_steps"]:
            lines.append("  " + "  ".join(f"{_format_value(row[column]):>18}" for column in STEP_COLUMNS))
    lines += _upload_lines(report["upload"])
    curation = report["curation"]
    if curation:
        lines.append(
            f"curation: {curation['inputs']} inputs, {curation['kept']} kept, {curation['dropped']} dropped"
        )
        dropped = curation["dropped_by_reason"] or {}
        lines += [f"  {reason:<20} {count}" for reason, count in dropped.items() if count]
    return "\n".join(lines)


def describe_status(record: dict[str, Any]) -> str:
    """``status finished``, ``status interrupted (SIGTERM)``, ... as run.json records it.

    >>> describe_status({"run_id": "r1", "status": "failed", "reason": "ValueError: bad"})
    'run r1: status failed (ValueError: bad)'
    """
    status = record.get("status") or ("finished" if record.get("finished_at") else "unknown (no status)")
    reason = f" ({record['reason']})" if record.get("reason") else ""
    text = f"run {record.get('run_id', '?')}: status {status}{reason}"
    if record.get("last_checkpoint"):
        text += f"; last checkpoint {record['last_checkpoint']} (step {record.get('last_checkpoint_step')})"
    return text


def _upload_lines(upload: dict[str, Any] | None) -> list[str]:
    if not upload:
        return ["uploads: none recorded"]
    stats = upload.get("stats") or {}
    latest = upload.get("latest") or {}
    lines = [
        f"uploads to {upload.get('remote_url')}",
        f"  uploaded {stats.get('uploaded', 0)}, failed attempts {stats.get('failed_attempts', 0)}, "
        f"retries {stats.get('retries', 0)}, breaker {stats.get('breaker_state', '?')}",
        f"  pending: {', '.join(upload.get('pending') or []) or 'none'}",
    ]
    if latest:
        verified = "verified" if upload.get("latest_verified") else "NOT verified"
        lines.append(f"  latest.json -> {latest.get('checkpoint')} (step {latest.get('step')}, {verified})")
    return lines


def _step_row(step: dict[str, Any]) -> dict[str, Any]:
    rates = step.get("learning_rates") or {}
    return {
        "step": step.get("step"),
        "epoch": step.get("epoch"),
        "loss": step.get("loss"),
        "learning_rate": next(iter(rates.values()), None),
        "samples_per_second": step.get("samples_per_second"),
        "tokens_per_second": step.get("tokens_per_second"),
        "cuda_peak_gb": step.get("cuda_memory_peak_gb"),
        "mfu": step.get("mfu"),
        "data_wait_fraction": step.get("data_wait_fraction"),
        "grad_norm": step.get("grad_norm"),
    }


def _curation_counts(curation_dir: Path | None) -> dict[str, Any] | None:
    if curation_dir is None or not (curation_dir / "report.json").exists():
        return None
    report = json.loads((curation_dir / "report.json").read_text(encoding="utf-8"))
    return {key: report.get(key) for key in ("inputs", "kept", "dropped", "dropped_by_reason")}


def _has_metrics(metrics_file: Path) -> bool:
    return metrics_file.exists() or metrics_file.with_suffix(".steps.jsonl").exists()


def _format_value(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return f"{value:.4g}" if abs(value) < 1e5 else f"{value:.0f}"
    return str(value)
