"""``litcode curate``: curation only, from flags or a YAML file, with the report printed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from litcode.cli import main

GOOD_MODULE = '''"""Arithmetic helpers."""

import logging

logger = logging.getLogger(__name__)


def add(left: int, right: int) -> int:
    """Return the sum of two integers."""
    try:
        return left + right
    except TypeError as error:
        logger.error("cannot add: %s", error)
        raise
'''


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """Two repositories: a good module, an exact copy of it, an empty file, a Rust file."""
    root = tmp_path / "corpus"
    (root / "alpha").mkdir(parents=True)
    (root / "beta").mkdir()
    (root / "alpha" / "arith.py").write_text(GOOD_MODULE)
    (root / "beta" / "copy.py").write_text(GOOD_MODULE)
    (root / "beta" / "empty.py").write_text("")
    (root / "beta" / "lib.rs").write_text("/// Adds.\npub fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n")
    return root


def manifest_rows(output_dir: Path) -> list[tuple[str, str, str | None]]:
    with sqlite3.connect(output_dir / "manifest.sqlite") as connection:
        return sorted(connection.execute("SELECT sample_id, decision, reason FROM samples"))


def test_curate_prints_the_report_and_accounts_for_every_input(
    small_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out"
    code = main(
        ["curate", "--source", str(small_corpus), "--output_dir", str(output), "--num_workers", "0",
         "--progress", "false", "--curation.licenses", "off"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    rows = manifest_rows(output)
    assert len(rows) == 4
    assert ("beta/empty.py", "dropped", "empty") in rows
    assert "curated 4 inputs" in out
    assert str(output / "manifest.sqlite") in out


def test_curate_reads_its_options_from_a_config_file(small_corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    config = tmp_path / "curate.yaml"
    config.write_text(
        f"source: {small_corpus}\noutput_dir: {output}\nnum_workers: 0\nprogress: false\n"
        "curation:\n  languages: [rust]\n  licenses: 'off'\n"
    )
    assert main(["curate", "--config", str(config)]) == 0
    reasons = {sample_id: reason for sample_id, _, reason in manifest_rows(output)}
    assert reasons["alpha/arith.py"] == "language"
    assert reasons["beta/lib.rs"] is None


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--source", "/definitely/not/here"], "does not exist"),
        (["--curation.no_such_field", "1"], "no_such_field"),
        (["--curation.secrets", "sometimes"], "secrets"),
        (["--executor", "cluster"], "executor"),
    ],
    ids=["missing-source", "unknown-field", "bad-choice", "bad-executor"],
)
def test_curate_rejects_bad_options_as_usage_errors(
    flags: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["curate", "--output_dir", str(tmp_path / "out"), *flags])
    assert raised.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out" / "manifest.sqlite").exists()
