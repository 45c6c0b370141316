"""Config mistakes are usage errors: jsonargparse's message and exit code 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.tiny_run import DEFAULT_CONFIG
from litcode.cli import main


def run_expecting_usage_error(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as raised:
        main(args)
    assert raised.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--trainer.no_such_key", "1"], "no_such_key"),
        (["--model.n_layer", "two"], "n_layer"),
        (["--data.curation.secrets", "sometimes"], "secrets"),
        (["--data.curation.no_such_field", "1"], "no_such_field"),
        (["--data.source", "/definitely/not/here"], "does not exist"),
        (["--model.n_embd", "30", "--model.n_head", "4"], "divisible"),
    ],
    ids=[
        "unknown-trainer-key",
        "wrong-type",
        "bad-choice",
        "unknown-curation-key",
        "missing-source",
        "bad-shape",
    ],
)
def test_bad_flag_is_a_usage_error(
    flags: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err = run_expecting_usage_error(["fit", "--config", str(DEFAULT_CONFIG), *flags], capsys)
    assert message in err


def test_unknown_key_in_a_config_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("model:\n  n_layers: 2\n")
    err = run_expecting_usage_error(["fit", "--config", str(config)], capsys)
    assert "n_layers" in err


def test_missing_config_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = run_expecting_usage_error(["fit", "--config", str(tmp_path / "absent.yaml")], capsys)
    assert "absent.yaml" in err
