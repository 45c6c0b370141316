"""Help and usage errors: a description for every key, the one wrong key with a close match, exit 2."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cli.tiny_run import DEFAULT_CONFIG
from litcode.cli import main
from litcode.cli.loggers import default_logger, tensorboard_available

DOCUMENTED_BLOCKS = (
    "--model.",
    "--data.",
    "--metrics.",
    "--checkpoint.",
    "--upload.",
    "--resume",
    "--ckpt_path",
)


def usage_error(args: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    with pytest.raises(SystemExit) as raised:
        main(args)
    assert raised.value.code == 2
    return capsys.readouterr().err.strip().splitlines()


def test_unknown_flag_names_it_and_the_close_match(capsys: pytest.CaptureFixture[str]) -> None:
    lines = usage_error(["fit", "--config", str(DEFAULT_CONFIG), "--trainer.max_stepz", "3"], capsys)
    assert lines == [
        "litcode fit: error: unrecognized option --trainer.max_stepz; did you mean --trainer.max_steps?",
        "(all options: litcode fit --help)",
    ]


def test_typo_in_a_config_file_names_the_key_and_the_close_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "typo.yaml"
    config.write_text("model:\n  n_layers: 2\n")
    lines = usage_error(["fit", "--config", str(DEFAULT_CONFIG), "--config", str(config)], capsys)
    assert lines[0] == "litcode fit: error: model.n_layers is not an option; did you mean model.n_layer?"


def test_typo_inside_data_curation_is_one_key_not_a_union_dump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "typo.yaml"
    config.write_text("data:\n  curation:\n    languagez: [python]\n")
    lines = usage_error(["fit", "--config", str(DEFAULT_CONFIG), "--config", str(config)], capsys)
    assert lines[0].endswith(
        "data.curation.languagez is not an option; did you mean data.curation.languages?"
    )
    assert len(lines) == 2 and "Union" not in "\n".join(lines)


def test_wrong_value_inside_data_curation_names_the_key_and_the_choices(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = usage_error(
        ["fit", "--config", str(DEFAULT_CONFIG), "--data.curation.secrets", "sometimes"], capsys
    )
    assert lines[0].startswith("litcode fit: error: ")
    assert "data.curation.secrets" in lines[0] and "'redact', 'drop', 'off'" in lines[0]
    assert len(lines) == 2


def test_predict_is_not_advertised_and_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "predict" not in capsys.readouterr().out
    lines = usage_error(["predict", "--config", str(DEFAULT_CONFIG)], capsys)
    assert lines[0].startswith("litcode: error: unknown command 'predict' (CodeLM has no prompt input")


def test_misspelled_command_suggests_the_close_one(capsys: pytest.CaptureFixture[str]) -> None:
    lines = usage_error(["curat"], capsys)
    assert lines[0] == "litcode: error: unknown command 'curat'; did you mean curate?"


def command_help(command: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main([command, "--help"])
    return out.getvalue()


def undocumented_options(help_text: str, prefixes: tuple[str, ...]) -> list[str]:
    """Options under ``prefixes`` whose help holds nothing but the type and default jsonargparse adds."""
    options = help_text[help_text.index("\noptions:") :]
    undocumented = []
    for block in re.split(r"\n(?=  -)", options):
        first = block.strip().splitlines()[0]
        flag = first.split()[0].rstrip(",")
        if not flag.startswith(prefixes) or first.split()[-1] == "CONFIG":
            continue
        text = re.sub(r"\((required, )?type:[^)]*\)", "", block)
        text = " ".join(text.split()[len(first.split("  ")[0].split()) :])
        if not re.search(r"[a-z]{3,}", text):
            undocumented.append(flag)
    return undocumented


@pytest.mark.parametrize(
    ("command", "prefixes"),
    [("fit", DOCUMENTED_BLOCKS), ("curate", ("--",))],
    ids=["fit", "curate"],
)
def test_every_litcode_config_key_has_a_description_in_help(command: str, prefixes: tuple[str, ...]) -> None:
    assert undocumented_options(command_help(command), prefixes) == []


def test_parquet_without_a_content_column_names_curate_s_column_map_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "code.parquet"
    pq.write_table(pa.table({"body": ["def f() -> int:\n    return 1\n"], "repo_name": ["a/b"]}), table)
    args = ["curate", "--source", str(table), "--output_dir", str(tmp_path / "out")]
    lines = usage_error(args, capsys)
    assert "--column_map '{content: COLUMN}'" in lines[0] and "column_map=" not in lines[0]
    code = main([*args, "--column_map", "{content: body}", "--num_workers", "0", "--progress", "false",
                 "--curation.licenses", "off", "--curation.min_quality_score", "0"])  # fmt: skip
    assert code == 0
    assert "curated 1 inputs: kept 1" in capsys.readouterr().out


def test_parquet_without_a_content_column_names_the_fit_config_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "code.parquet"
    pq.write_table(pa.table({"body": ["x = 1\n"]}), table)
    args = ["fit", "--config", str(DEFAULT_CONFIG), "--data.source", str(table)]
    lines = usage_error([*args, "--trainer.default_root_dir", str(tmp_path / "run")], capsys)
    assert (
        "class_path: litcode.sources.ParquetSource" in lines[0]
        and "column_map: {content: COLUMN}" in lines[0]
    )


def test_default_logger_is_csv_without_tensorboard_installed(tmp_path: Path) -> None:
    expected = "TensorBoardLogger" if tensorboard_available() else "CSVLogger"
    assert default_logger(tmp_path).class_path == f"pytorch_lightning.loggers.{expected}"


def test_default_logger_is_tensorboard_when_installed(tmp_path: Path) -> None:
    logger = default_logger(tmp_path, tensorboard=True)
    assert logger.class_path == "pytorch_lightning.loggers.TensorBoardLogger"
    assert logger.init_args.save_dir == str(tmp_path)


def test_unknown_remote_protocol_is_a_usage_error_before_any_data_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    args = ["fit", "--config", str(DEFAULT_CONFIG), "--upload.remote_url", "foo://bucket/run",
            "--trainer.default_root_dir", str(tmp_path / "run"), "--data.cache_dir", str(cache)]  # fmt: skip
    lines = usage_error(args, capsys)
    assert lines[0].startswith("litcode fit: error: upload.remote_url: ") and "foo" in lines[0]
    assert not cache.exists()
