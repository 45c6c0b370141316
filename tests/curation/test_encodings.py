"""Legacy 8-bit text is decoded, not dropped as binary, and the manifest says what it was in."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from curation_corpus import curate_inline, stdlib_text, write

from litcode.curation import CurationConfig

CONFIG = CurationConfig(licenses="off", min_quality_score=0.0, near_dedup=False)
FRENCH = "\n# Auteur : François Lévesque, été à Montréal\nNAME = 'café crème brûlée'\n"
QUOTES = "It\u2019s \u201cquoted\u201d \u2014 and costs 5 \u20ac. The naïve café is open.\n"


@pytest.fixture(scope="module")
def legacy_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    root = tmp_path_factory.mktemp("encodings")
    repo = root / "corpus" / "repo"
    write(repo / "latin1.py", (stdlib_text("colorsys.py") + FRENCH).encode("latin-1"))
    write(repo / "cp1252.txt", (QUOTES * 5).encode("cp1252"))
    write(repo / "logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    write(repo / "mixed.txt", "naïve café résumé\n".encode() * 5 + b"stray \xe9\n")
    result = curate_inline(root / "corpus", root / "out", CONFIG)
    with sqlite3.connect(result.manifest_path) as connection:
        rows = connection.execute("SELECT sample_id, decision, reason, encoding, detail FROM samples")
        return {row[0]: row[1:] for row in rows}


def test_a_latin1_python_file_without_a_cookie_is_kept_as_latin1(legacy_run: dict[str, tuple]) -> None:
    assert legacy_run["repo/latin1.py"][:3] == ("kept", None, "iso8859-1")


def test_a_cp1252_text_file_is_kept_as_cp1252(legacy_run: dict[str, tuple]) -> None:
    assert legacy_run["repo/cp1252.txt"][:3] == ("kept", None, "cp1252")


def test_binary_content_stays_binary_with_the_nul_offset(legacy_run: dict[str, tuple]) -> None:
    assert legacy_run["repo/logo.png"] == ("dropped", "binary", None, "NUL byte at offset 8")


def test_mixed_encodings_are_binary_as_undecodable_text_with_why(legacy_run: dict[str, tuple]) -> None:
    decision, reason, encoding, detail = legacy_run["repo/mixed.txt"]
    assert (decision, reason, encoding) == ("dropped", "binary", None)
    assert detail.startswith("undecodable text: mostly UTF-8")


def test_kept_content_is_the_decoded_text(tmp_path: Path) -> None:
    from curation_corpus import kept_contents

    write(tmp_path / "corpus" / "repo" / "cp1252.txt", (QUOTES * 5).encode("cp1252"))
    result = curate_inline(tmp_path / "corpus", tmp_path / "out", CONFIG)
    assert kept_contents(result) == {"repo/cp1252.txt": QUOTES * 5}
