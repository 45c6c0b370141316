"""``report.json`` and ``report.md``: what a run kept, what it dropped and why, and how fast.

Everything here is read back from the manifest, so the report of a resumed run
describes the whole run, not only the batches this invocation processed.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from litcode.atomic_file import atomic_write_text
from litcode.curation.decontamination.report import decontamination_markdown, decontamination_report
from litcode.curation.language_volume import language_volume, language_volume_markdown
from litcode.curation.manifest import Manifest
from litcode.curation.reasons import REASONS
from litcode.curation.scan_filters import UNKNOWN_LICENSE
from litcode.quality import QualityReport
from litcode.quality.sample import CodeSample

#: Reasons decided before the license step: such samples never had a license resolved.
_BEFORE_LICENSE = REASONS[: REASONS.index("license")]


def build_report(
    manifest: Manifest, *, quality: QualityReport, timings: dict[str, Any], header: dict[str, Any]
) -> dict[str, Any]:
    """The report as a JSON-ready dict; ``header`` adds run identity (config, fingerprints, outputs)."""
    inputs, kept, dropped_by_reason = manifest.counts()
    dropped = sum(dropped_by_reason.values())
    return {
        **header,
        "inputs": inputs,
        "kept": kept,
        "dropped": dropped,
        "invariant": {"kept_plus_dropped": kept + dropped, "holds": kept + dropped == inputs},
        "dropped_by_reason": {reason: dropped_by_reason.get(reason, 0) for reason in REASONS},
        "quality": dict(quality.to_dict()),
        "frameworks": _framework_counts(manifest),
        "secrets": _secrets(manifest, dropped_by_reason["secret"]),
        "insecure": _insecure(manifest, dropped_by_reason["insecure"]),
        "licenses": _licenses(manifest),
        "near_duplicates": _clusters(manifest),
        "decontamination": decontamination_report(
            manifest, tuple(header.get("config", {}).get("decontamination", ()))
        ),
        "languages": language_volume(manifest),
        "steps": _steps(manifest),
        "timings": timings,
    }


def kept_quality_report(manifest: Manifest) -> QualityReport:
    """The QualityReport of the kept samples."""
    # It needs scores, languages and issues, never content: manifest rows become hollow samples.
    samples = [
        CodeSample("", language or "unknown", {}, quality_score=score, issues=json.loads(issues or "[]"))
        for language, score, issues in manifest.query(
            "SELECT language, quality_score, issues FROM samples WHERE decision = 'kept' ORDER BY seq"
        )
    ]
    return QualityReport.from_samples(samples)


def _framework_counts(manifest: Manifest) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for (frameworks,) in manifest.query("SELECT frameworks FROM samples WHERE decision = 'kept'"):
        counts.update(json.loads(frameworks or "[]"))
    return dict(sorted(counts.items()))


def _secrets(manifest: Manifest, dropped: int) -> dict[str, int]:
    """Placeholders put into kept samples: live secrets (``redacted``) and personal data apart."""
    [(redacted, personal, samples)] = manifest.query(
        "SELECT COALESCE(SUM(secrets_redacted), 0), COALESCE(SUM(pii_redacted), 0), COUNT(*) FROM samples"
        " WHERE decision = 'kept' AND (secrets_redacted > 0 OR pii_redacted > 0)"
    )
    return {
        "redacted": int(redacted),
        "pii_redacted": int(personal),
        "samples_with_redactions": int(samples),
        "samples_dropped": dropped,
    }


def _insecure(manifest: Manifest, dropped: int) -> dict[str, Any]:
    by_rule: Counter[str] = Counter()
    for (rules,) in manifest.query(
        "SELECT insecure_rules FROM samples WHERE insecure_rules NOT IN ('[]', '')"
    ):
        by_rule.update(json.loads(rules))
    return {"samples_by_rule": dict(sorted(by_rule.items())), "samples_dropped": dropped}


def _licenses(manifest: Manifest) -> dict[str, dict[str, int]]:
    """The license mix: per resolved SPDX expression (``LicenseRef-unknown`` when none), samples and
    bytes kept and dropped, over the samples that reached the license step; ``refused`` counts the
    drops of the license step itself, the rest of ``dropped`` came later (secrets, dedup ...)."""
    breakdown: dict[str, dict[str, int]] = {}
    marks = ",".join("?" * len(_BEFORE_LICENSE))
    for license_id, decision, refused, count, size in manifest.query(
        f"SELECT COALESCE(license, '{UNKNOWN_LICENSE}'), decision, reason IS 'license', COUNT(*),"
        " COALESCE(SUM(bytes), 0) FROM samples"
        f" WHERE reason IS NULL OR reason NOT IN ({marks}) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        _BEFORE_LICENSE,
    ):
        row = breakdown.setdefault(
            license_id, {"kept": 0, "kept_bytes": 0, "dropped": 0, "dropped_bytes": 0, "refused": 0}
        )
        row[decision] += count
        row[f"{decision}_bytes"] += size
        row["refused"] += count if refused else 0
    return breakdown


def _clusters(manifest: Manifest) -> dict[str, int]:
    [(clusters, members)] = manifest.query(
        "SELECT COUNT(DISTINCT cluster_id), COUNT(cluster_id) FROM samples WHERE cluster_id IS NOT NULL"
    )
    return {"clusters": int(clusters), "samples_in_clusters": int(members)}


def _steps(manifest: Manifest) -> list[dict[str, Any]]:
    """Per step of the chain, summed over every batch and worker: samples seen, seconds, drops."""
    return [{**stats.to_dict(), "seconds": round(stats.seconds, 4)} for stats in manifest.step_stats()]


def render_markdown(report: dict[str, Any], quality: QualityReport) -> str:
    """A human summary of :func:`build_report`'s dict."""
    timings = report["timings"]
    lines = [
        "# Curation report",
        "",
        f"- source: `{report.get('source', '?')}`",
        f"- inputs: **{report['inputs']}**, kept: **{report['kept']}**, dropped: **{report['dropped']}**"
        f" (kept + dropped == inputs: {'yes' if report['invariant']['holds'] else '**NO**'})",
        f"- time: {timings.get('seconds', 0.0):.2f} s, {timings.get('files_per_second', 0.0):.1f} files/s,"
        f" {timings.get('mb_per_second', 0.0):.2f} MB/s",
        f"- secrets redacted: {report['secrets']['redacted']}, personal data redacted:"
        f" {report['secrets']['pii_redacted']},"
        f" in {report['secrets']['samples_with_redactions']} kept samples",
        f"- near-duplicate clusters: {report['near_duplicates']['clusters']}",
        *_warnings(report.get("warnings", [])),
        "",
        "## Dropped by reason",
        "",
        "| reason | samples |",
        "|---|---:|",
        *(f"| {reason} | {count} |" for reason, count in report["dropped_by_reason"].items()),
        "",
        "## Where the time goes (per step, summed over workers)",
        "",
        "| step | drops as | samples | seconds | dropped |",
        "|---|---|---:|---:|---:|",
        *(
            f"| {step['step']} | {step['reason'] or '-'} | {step['samples']} | {step['seconds']:.3f}"
            f" | {step['dropped']} |"
            for step in report["steps"]
        ),
        "",
        "## Licenses",
        "",
        "| license | kept | kept bytes | dropped | dropped bytes | refused by the license step |",
        "|---|---:|---:|---:|---:|---:|",
        *(
            f"| {name} | {row['kept']} | {row['kept_bytes']} | {row['dropped']} | {row['dropped_bytes']}"
            f" | {row['refused']} |"
            for name, row in report["licenses"].items()
        ),
        "",
        "## Decontamination (files dropped per benchmark)",
        "",
        *decontamination_markdown(report["decontamination"]),
        "",
        "## Languages (kept samples)",
        "",
        *language_volume_markdown(report["languages"]),
        "",
        "## Insecure findings (samples per rule)",
        "",
        *_bullets(report["insecure"]["samples_by_rule"]),
        "",
        "## Frameworks (kept samples)",
        "",
        *_bullets(report["frameworks"]),
        "",
        "## Quality of the kept samples",
        "",
        _nested(quality.to_markdown()),
    ]
    return "\n".join(lines) + "\n"


def _warnings(warnings: list[str]) -> list[str]:
    """Conditions that could not apply, and an empty source (:mod:`~litcode.curation.conditions`)."""
    return ["", "## Warnings", "", *(f"- {warning}" for warning in warnings)] if warnings else []


def _bullets(counts: dict[str, int]) -> list[str]:
    return [f"- {name}: {count}" for name, count in counts.items()] or ["_none_"]


def _nested(markdown: str) -> str:
    """The QualityReport's markdown one heading level down, without its own title and drop table
    (this report has both already)."""
    body = markdown.split("\n## Dropped by reason", 1)[0]
    lines = [f"#{line}" if line.startswith("## ") else line for line in body.strip().splitlines()]
    kept = [line for line in lines if not line.startswith(("# ", "- Dropped:"))]
    return "\n".join(kept).strip()


def write_report(output_dir: Path, report: dict[str, Any], quality: QualityReport) -> Path:
    """Write ``report.json`` and ``report.md`` atomically; returns the JSON path."""
    json_path = output_dir / "report.json"
    atomic_write_text(json_path, json.dumps(report, indent=2, sort_keys=False) + "\n")
    atomic_write_text(output_dir / "report.md", render_markdown(report, quality))
    return json_path
