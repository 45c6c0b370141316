"""Curation's ``secrets`` and ``insecure`` options run the scanners: manifest rows tell what was found."""

from __future__ import annotations

import sqlite3
import sysconfig
from pathlib import Path

import pytest

from litcode.curation import CurationConfig, CurationResult, curate

STDLIB = Path(sysconfig.get_paths()["stdlib"])
HOST = (STDLIB / "colorsys.py").read_text("utf-8")  # a real module that passes every other filter
AWS_KEY = "AKIA" + "Z7QW3RTY5UIO9PLK"


def run(tmp_path: Path, files: dict[str, str], **options: object) -> CurationResult:
    for name, content in files.items():
        path = tmp_path / "corpus" / "repo" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, "utf-8")
    config = CurationConfig(
        licenses="off", min_quality_score=0.0, near_dedup=False, exact_dedup=False, **options
    )
    return curate(tmp_path / "corpus", tmp_path / "out", config, num_workers=0, progress=False)


def rows(result: CurationResult) -> dict[str, tuple]:
    with sqlite3.connect(result.manifest_path) as connection:
        query = "SELECT sample_id, reason, detail, secrets_redacted, pii_redacted FROM samples"
        return {sample_id: tuple(rest) for sample_id, *rest in connection.execute(query)}


def test_dropped_secret_row_names_the_matching_rule(tmp_path: Path) -> None:
    result = run(tmp_path, {"leak.py": HOST + f'\nKEY = "{AWS_KEY}"\n'}, secrets="drop")

    assert rows(result)["repo/leak.py"][:2] == ("secret", "aws_access_key_id")


def test_min_confidence_keeps_files_with_only_weak_findings(tmp_path: Path) -> None:
    files = {"weak.py": HOST + '\ndb_password = "Zq8v9rT2x!"\n'}

    strict = run(tmp_path / "strict", files, secrets="drop", secrets_min_confidence=0.9)
    default = run(tmp_path / "default", files, secrets="drop")

    assert rows(strict)["repo/weak.py"][0] is None
    assert rows(default)["repo/weak.py"][0] == "secret"


def test_insecure_drop_row_names_the_rule(tmp_path: Path) -> None:
    result = run(tmp_path, {"shell.py": HOST + "\nimport os\nos.system(input())\n"}, insecure="drop")

    assert rows(result)["repo/shell.py"][:2] == ("insecure", "os_system")


@pytest.mark.parametrize(
    "line",
    [
        "# RFC 9110 section 8.4.1.3 says so",
        '__version__ = "7.2.0.0"',
        'DOC = "git+https://[user[:password]@]host/repo"',
    ],
)
def test_rfc_version_and_placeholder_strings_pass_through_unredacted(tmp_path: Path, line: str) -> None:
    import pyarrow.parquet as pq

    result = run(tmp_path, {"doc.py": HOST + "\n" + line + "\n"})

    [content] = pq.read_table(result.output_dir / "kept", columns=["content"]).column("content").to_pylist()
    assert line in content
    assert rows(result)["repo/doc.py"][2:] == (0, 0)


def test_personal_data_is_counted_apart_from_secrets(tmp_path: Path) -> None:
    text = HOST + f'\nKEY = "{AWS_KEY}"\nUPSTREAM = "34.201.17.9:443"\n'

    result = run(tmp_path, {"both.py": text})

    assert rows(result)["repo/both.py"][2:] == (1, 1)
