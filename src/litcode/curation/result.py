"""What :func:`litcode.curation.curate` returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class CurationResult:
    """Counts and output paths of a finished run; ``inputs == kept + sum(dropped_by_reason.values())``.

    ``dropped_by_reason`` holds every reason of the vocabulary, zeros included, in
    pipeline order; ``report`` is the content of ``report.json``.

    >>> result = CurationResult(3, 2, {"empty": 1}, Path("out"), Path("out/manifest.sqlite"))
    >>> result.dropped
    1
    """

    inputs: int
    kept: int
    dropped_by_reason: dict[str, int]
    output_dir: Path
    manifest_path: Path
    report_path: Path | None = None
    kept_paths: list[Path] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def dropped(self) -> int:
        return sum(self.dropped_by_reason.values())
