"""The report's ``decontamination`` section: per benchmark, the files dropped and the task ids they held."""

from __future__ import annotations

from collections import Counter
from typing import Any

from litcode.curation.decontamination.benchmarks import benchmark_name
from litcode.curation.decontamination.index import task_sort_key
from litcode.curation.manifest import Manifest

#: Files listed per benchmark in report.json (all of them are in the manifest).
LISTED_FILES = 200


def decontamination_report(manifest: Manifest, benchmarks: tuple[str, ...]) -> dict[str, Any]:
    """Read back from the manifest's ``contaminated`` rows (their ``detail`` holds the task ids)."""
    names = [benchmark_name(spec) for spec in benchmarks]
    section: dict[str, Any] = {
        "benchmarks": names,
        "by_benchmark": {name: {"files_dropped": 0, "tasks_matched": {}, "files": []} for name in names},
    }
    tasks: dict[str, Counter[str]] = {name: Counter() for name in names}
    rows = manifest.query("SELECT sample_id, detail FROM samples WHERE reason = 'contaminated' ORDER BY seq")
    for sample_id, detail in rows:
        holders = set()
        for task_id in (detail or "").split(","):
            name = _owner(task_id, names)
            if name is not None:
                tasks[name][task_id] += 1
                holders.add(name)
        for name in holders:
            entry = section["by_benchmark"][name]
            entry["files_dropped"] += 1
            if len(entry["files"]) < LISTED_FILES:
                entry["files"].append(sample_id)
    for name in names:
        ordered = sorted(tasks[name].items(), key=lambda item: task_sort_key((name, item[0])))
        section["by_benchmark"][name]["tasks_matched"] = dict(ordered)
    return section


def decontamination_markdown(section: dict[str, Any]) -> list[str]:
    """The report.md lines of :func:`decontamination_report`'s section."""
    if not section["benchmarks"]:
        return ["_off_"]
    lines = ["| benchmark | files dropped | tasks matched |", "|---|---:|---|"]
    for name, entry in section["by_benchmark"].items():
        matched = ", ".join(entry["tasks_matched"]) or "-"
        lines.append(f"| {name} | {entry['files_dropped']} | {matched} |")
    return lines


def _owner(task_id: str, names: list[str]) -> str | None:
    """The benchmark a qualified task id (``HumanEval/3``, ``mbpp:11``) belongs to."""
    if not task_id:
        return None
    for name in names:
        if task_id.startswith(f"{name}:"):
            return name
    for name in names:
        if task_id.lower().startswith(name.lower()):
            return name
    return names[0] if len(names) == 1 else None
