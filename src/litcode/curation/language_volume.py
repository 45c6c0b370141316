"""The report's ``languages`` section: per language, the kept files and bytes, and how each was decided.

StarCoder sets its training mix per language; this is the volume that choice
starts from. (Tokens per language come once the data module has tokenized.)
"""

from __future__ import annotations

from typing import Any

from litcode.curation.manifest import Manifest


def language_volume(manifest: Manifest) -> dict[str, dict[str, Any]]:
    """``{language: {"files", "bytes", "by_method": {method: files}}}`` over the kept samples,
    largest first by bytes; the method is the manifest's ``language_method`` (``none`` when undecided)."""
    volume: dict[str, dict[str, Any]] = {}
    rows = manifest.query(
        "SELECT language, COALESCE(language_method, 'none'), COUNT(*), COALESCE(SUM(bytes), 0)"
        " FROM samples WHERE decision = 'kept' GROUP BY 1, 2"
    )
    for language, method, files, size in rows:
        entry = volume.setdefault(language or "unknown", {"files": 0, "bytes": 0, "by_method": {}})
        entry["files"] += int(files)
        entry["bytes"] += int(size)
        entry["by_method"][method] = int(files)
    return dict(sorted(volume.items(), key=lambda item: (-item[1]["bytes"], item[0])))


def language_volume_markdown(volume: dict[str, dict[str, Any]]) -> list[str]:
    """The report.md table of :func:`language_volume`."""
    lines = ["| language | files | bytes | decided by |", "|---|---:|---:|---|"]
    for language, entry in volume.items():
        methods = ", ".join(f"{method} {files}" for method, files in sorted(entry["by_method"].items()))
        lines.append(f"| {language} | {entry['files']} | {entry['bytes']} | {methods} |")
    return lines if volume else ["_none_"]
