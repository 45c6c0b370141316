"""The manifest's ``language_method`` column and the report's per-language volume."""

from __future__ import annotations

import json
from pathlib import Path

from curation_corpus import curate_inline, manifest_rows, stdlib_text, write

from litcode.curation import CurationConfig


def _config(**overrides: object) -> CurationConfig:
    settings: dict[str, object] = {"licenses": "off", "min_quality_score": 0.0, "near_dedup": False}
    settings.update(overrides)
    return CurationConfig(**settings)  # type: ignore[arg-type]


def _corpus(root: Path) -> Path:
    write(root / "app" / "colors.py", stdlib_text("colorsys.py"))
    write(root / "app" / "run", "#!/usr/bin/env python3\n" + stdlib_text("bisect.py"))
    write(root / "app" / "queue_notes.txt", stdlib_text("queue.py"))
    return root


def test_manifest_says_how_each_language_was_decided(tmp_path: Path) -> None:
    result = curate_inline(_corpus(tmp_path / "corpus"), tmp_path / "out", _config())
    assert manifest_rows(result.output_dir, "sample_id, language, language_method") == [
        ("app/colors.py", "python", "extension"),
        ("app/queue_notes.txt", "python", "content"),
        ("app/run", "python", "shebang"),
    ]


def test_report_gives_files_and_bytes_per_language(tmp_path: Path) -> None:
    result = curate_inline(_corpus(tmp_path / "corpus"), tmp_path / "out", _config())
    python = json.loads((result.output_dir / "report.json").read_text())["languages"]["python"]
    sizes = [len(stdlib_text(name).encode()) for name in ("colorsys.py", "bisect.py", "queue.py")]
    assert python == {
        "files": 3,
        "bytes": sum(sizes) + len("#!/usr/bin/env python3\n"),
        "by_method": {"content": 1, "extension": 1, "shebang": 1},
    }


def test_without_content_identification_a_txt_file_stays_unknown(tmp_path: Path) -> None:
    result = curate_inline(_corpus(tmp_path / "corpus"), tmp_path / "out", _config(language_by_content=False))
    rows = manifest_rows(result.output_dir, "sample_id, language, language_method")
    assert ("app/queue_notes.txt", "unknown", None) in rows
