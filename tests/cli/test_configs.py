"""Every config in configs/ loads, validates and survives a --print_config round trip."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
import yaml

from cli.tiny_run import REPO_ROOT
from litcode.cli import main

CONFIGS = sorted((REPO_ROOT / "configs").glob("*.yaml"))


def print_config(config: Path) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as raised:
        main(["fit", "--config", str(config), "--print_config"])
    assert raised.value.code in (0, None)
    return out.getvalue()


def test_configs_directory_holds_the_three_documented_configs() -> None:
    assert {"default.yaml", "the_stack.yaml", "ddp.yaml"} <= {path.name for path in CONFIGS}


@pytest.mark.parametrize("config", CONFIGS, ids=[path.name for path in CONFIGS])
def test_config_round_trips_through_print_config(config: Path, tmp_path: Path) -> None:
    printed = print_config(config)
    dumped = tmp_path / "dumped.yaml"
    dumped.write_text(printed)
    assert print_config(dumped) == printed


@pytest.mark.parametrize("config", CONFIGS, ids=[path.name for path in CONFIGS])
def test_config_values_survive_validation(config: Path) -> None:
    """What the file sets is what the parser holds (nothing silently dropped or renamed)."""
    written = yaml.safe_load(config.read_text())
    printed = yaml.safe_load(print_config(config))
    for section in ("model", "data", "upload", "checkpoint", "metrics"):
        for key, value in (written.get(section) or {}).items():
            if isinstance(value, dict):
                assert value.items() <= printed[section][key].items(), f"{section}.{key}"
            else:
                assert printed[section][key] == value, f"{section}.{key}"
