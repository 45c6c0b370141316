"""The scanner policies in the pipeline: secrets redact/drop, insecure tag/drop, licenses, frameworks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from curation_corpus import AWS_KEY_ID, AWS_SECRET, MIT_TEXT, curate_inline, kept_contents, stdlib_text, write

from litcode.curation import CurationConfig

INSECURE_CODE = (
    '"""Run a user-supplied command."""\n\nimport subprocess\n\n\n'
    "def run(command: str) -> int:\n"
    '    """Run ``command`` through the shell."""\n'
    "    try:\n        return subprocess.call(command, shell=True)\n"
    "    except OSError:\n        return -1\n"
)
FLASK_CODE = (
    '"""A tiny web app."""\n\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n'
    '@app.route("/")\ndef index() -> str:\n    """Greet."""\n    return "hello"\n'
)


@pytest.fixture
def small_repo(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    write(root / "app" / "LICENSE", MIT_TEXT)
    write(root / "app" / "colors.py", stdlib_text("colorsys.py"))
    write(
        root / "app" / "settings.py",
        stdlib_text("shlex.py")
        + f'\nAWS_ACCESS_KEY_ID = "{AWS_KEY_ID}"\nAWS_SECRET_ACCESS_KEY = "{AWS_SECRET}"\n',
    )
    write(root / "app" / "shell.py", INSECURE_CODE)
    write(root / "app" / "web.py", FLASK_CODE)
    return root


def reasons(output: Path) -> dict[str, str | None]:
    with sqlite3.connect(output / "manifest.sqlite") as connection:
        return dict(connection.execute("SELECT sample_id, reason FROM samples WHERE sample_id LIKE '%.py'"))


def base_config(**overrides: object) -> CurationConfig:
    settings: dict[str, object] = {"languages": ["python"], "min_quality_score": 0.0, "near_dedup": False}
    settings.update(overrides)
    return CurationConfig(**settings)  # type: ignore[arg-type]


def test_redact_policy_keeps_the_file_without_the_key(small_repo: Path, tmp_path: Path) -> None:
    result = curate_inline(
        small_repo, tmp_path / "out", base_config(secrets="redact"), num_workers=0, progress=False
    )
    assert reasons(tmp_path / "out")["app/settings.py"] is None
    contents = kept_contents(result)
    assert AWS_KEY_ID not in contents["app/settings.py"]
    assert AWS_SECRET not in contents["app/settings.py"]
    assert result.report["secrets"]["redacted"] >= 2


def test_redacted_python_still_parses(small_repo: Path, tmp_path: Path) -> None:
    result = curate_inline(small_repo, tmp_path / "out", base_config())
    contents = kept_contents(result)
    compile(contents["app/settings.py"], "settings.py", "exec")


def test_drop_policy_drops_the_file_with_reason_secret(small_repo: Path, tmp_path: Path) -> None:
    curate_inline(small_repo, tmp_path / "out", base_config(secrets="drop"))
    assert reasons(tmp_path / "out")["app/settings.py"] == "secret"


def test_secrets_off_keeps_the_key_verbatim(small_repo: Path, tmp_path: Path) -> None:
    result = curate_inline(small_repo, tmp_path / "out", base_config(secrets="off"))
    contents = kept_contents(result)
    assert AWS_KEY_ID in contents["app/settings.py"]


def test_insecure_tag_policy_keeps_and_records_the_rule(small_repo: Path, tmp_path: Path) -> None:
    result = curate_inline(small_repo, tmp_path / "out", base_config(insecure="tag"))
    assert reasons(tmp_path / "out")["app/shell.py"] is None
    assert result.report["insecure"]["samples_by_rule"]


def test_insecure_drop_policy_drops_shell_true(small_repo: Path, tmp_path: Path) -> None:
    config = base_config(insecure="drop", insecure_min_severity="medium")
    curate_inline(small_repo, tmp_path / "out", config)
    assert reasons(tmp_path / "out")["app/shell.py"] == "insecure"
    assert reasons(tmp_path / "out")["app/colors.py"] is None


def test_required_framework_drops_files_without_it(small_repo: Path, tmp_path: Path) -> None:
    curate_inline(
        small_repo,
        tmp_path / "out",
        base_config(required_frameworks=["flask"]),
        num_workers=0,
        progress=False,
    )
    found = reasons(tmp_path / "out")
    assert found["app/web.py"] is None
    assert found["app/colors.py"] == "missing_framework"


def test_a_file_without_any_license_is_dropped_by_default(tmp_path: Path) -> None:
    write(tmp_path / "corpus" / "nolicense" / "colors.py", stdlib_text("colorsys.py"))
    curate_inline(tmp_path / "corpus", tmp_path / "out", base_config())
    assert reasons(tmp_path / "out") == {"nolicense/colors.py": "license"}


def test_allow_unknown_license_keeps_unlicensed_files(tmp_path: Path) -> None:
    write(tmp_path / "corpus" / "nolicense" / "colors.py", stdlib_text("colorsys.py"))
    config = base_config(allow_unknown_license=True)
    curate_inline(tmp_path / "corpus", tmp_path / "out", config)
    assert reasons(tmp_path / "out") == {"nolicense/colors.py": None}


def test_an_spdx_header_overrides_the_repository_license(small_repo: Path, tmp_path: Path) -> None:
    write(
        small_repo / "app" / "gpl_module.py",
        "# SPDX-License-Identifier: GPL-3.0-only\n" + stdlib_text("colorsys.py"),
    )
    curate_inline(small_repo, tmp_path / "out", base_config())
    assert reasons(tmp_path / "out")["app/gpl_module.py"] == "license"


def test_licenses_off_keeps_copyleft_files(tmp_path: Path) -> None:
    write(
        tmp_path / "corpus" / "gpl" / "mod.py",
        "# SPDX-License-Identifier: GPL-3.0-only\n" + stdlib_text("colorsys.py"),
    )
    curate_inline(tmp_path / "corpus", tmp_path / "out", base_config(licenses="off"))
    assert reasons(tmp_path / "out") == {"gpl/mod.py": None}


def test_the_stack_license_lists_from_jsonl_are_honoured(tmp_path: Path) -> None:
    import json

    rows = [
        {
            "content": stdlib_text("colorsys.py"),
            "max_stars_repo_name": "a/permissive",
            "max_stars_repo_path": "c.py",
            "max_stars_repo_licenses": ["MIT"],
            "lang": "Python",
        },
        {
            "content": stdlib_text("shlex.py"),
            "max_stars_repo_name": "b/copyleft",
            "max_stars_repo_path": "s.py",
            "max_stars_repo_licenses": ["GPL-2.0-only"],
            "lang": "Python",
        },
    ]
    source = tmp_path / "stack.jsonl"
    source.write_text("".join(json.dumps(row) + "\n" for row in rows))
    result = curate_inline(source, tmp_path / "out", base_config())
    with sqlite3.connect(result.manifest_path) as connection:
        found = dict(connection.execute("SELECT repo, reason FROM samples"))
    assert found == {"a/permissive": None, "b/copyleft": "license"}


def test_a_license_template_in_license_utils_py_does_not_license_the_repo(tmp_path: Path) -> None:
    helpers = f'"""Render license files."""\n\nMIT_TEMPLATE = """\n{MIT_TEXT}"""\n' + "\n" * 60
    write(tmp_path / "corpus" / "tools" / "license_utils.py", "x = 1\n" * 400 + helpers)
    write(tmp_path / "corpus" / "tools" / "colors.py", stdlib_text("colorsys.py"))
    curate_inline(tmp_path / "corpus", tmp_path / "out", base_config())
    assert reasons(tmp_path / "out")["tools/colors.py"] == "license"
