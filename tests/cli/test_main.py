"""The console script's entry point and the datamodule the CLI builds."""

from __future__ import annotations

import inspect

import pytest

from litcode.cli import main
from litcode.cli.datamodule_factory import code_datamodule
from litcode.curation import CurationConfig
from litcode.data import CodeDataModule

COMMANDS = ("fit", "validate", "test", "curate", "report", "upload")


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(f"  {command} " in out for command in COMMANDS)


def test_no_command_prints_the_overview_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: litcode COMMAND" in capsys.readouterr().out


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["train"])
    assert raised.value.code == 2
    assert "train" in capsys.readouterr().err


def test_cli_datamodule_factory_exposes_every_codedatamodule_argument_with_its_default() -> None:
    """The factory re-types two arguments for jsonargparse; it must not drift from the class."""
    wired_by_the_cli = {"tracker"}
    expected = {
        name: parameter.default
        for name, parameter in inspect.signature(CodeDataModule).parameters.items()
        if name not in wired_by_the_cli
    }
    actual = {
        name: parameter.default for name, parameter in inspect.signature(code_datamodule).parameters.items()
    }
    # The CLI's curation block defaults to CurationConfig() itself: what CodeDataModule uses for None.
    assert expected.pop("curation") is None and actual.pop("curation") == CurationConfig()
    assert actual == expected
