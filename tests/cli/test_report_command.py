"""``litcode report RUN_DIR``: summary, last steps, upload health, curation counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.tiny_run import MAX_STEPS, TinyRun
from litcode.cli import main


def test_report_prints_summary_last_steps_and_upload_health(
    tiny_run: TinyRun, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(tiny_run.run_dir), "--steps", "2"]) == 0
    out = capsys.readouterr().out
    assert "training summary" in out
    assert "last 2 of 4 step records" in out
    assert "latest.json -> last.ckpt" in out
    assert "curation:" in out


def test_report_json_holds_the_same_figures_as_the_run(
    tiny_run: TinyRun, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(tiny_run.run_dir), "--json", "true"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["run"]["global_step"] == MAX_STEPS
    assert [row["step"] for row in report["last_steps"]] == [3, 6, 9, 12]
    assert report["upload"]["stats"]["uploaded"] >= 1
    curation = report["curation"]
    assert curation["inputs"] == curation["kept"] + sum(curation["dropped_by_reason"].values())


@pytest.mark.parametrize("make_dir", [True, False], ids=["empty-directory", "missing-directory"])
def test_report_on_a_directory_without_a_run_is_a_usage_error(
    make_dir: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "nothing"
    if make_dir:
        target.mkdir()
    with pytest.raises(SystemExit) as raised:
        main(["report", str(target)])
    assert raised.value.code == 2
    assert "nothing" in capsys.readouterr().err
