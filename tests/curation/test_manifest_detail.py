"""The manifest's ``detail`` column says more about a drop: the refused license, the error, the rule."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from curation_corpus import curate_inline, stdlib_text, tree_config, write

from litcode.curation import REASONS, CurationConfig, CurationResult


@pytest.fixture(scope="module")
def reason_run(tmp_path_factory: pytest.TempPathFactory) -> CurationResult:
    from curation_corpus import build_reason_tree

    root = tmp_path_factory.mktemp("detail")
    return curate_inline(build_reason_tree(root / "corpus"), root / "out", tree_config())


def details(result: CurationResult) -> dict[str, tuple[str | None, str | None]]:
    with sqlite3.connect(result.manifest_path) as connection:
        return {
            sample_id: (reason, detail)
            for sample_id, reason, detail in connection.execute(
                "SELECT sample_id, reason, detail FROM samples"
            )
        }


def test_contaminated_sits_between_insecure_and_exact_duplicate() -> None:
    assert REASONS[REASONS.index("insecure") + 1] == "contaminated"
    assert REASONS[REASONS.index("contaminated") + 1] == "exact_duplicate"


def test_manifest_has_a_detail_text_column(reason_run: CurationResult) -> None:
    with sqlite3.connect(reason_run.manifest_path) as connection:
        columns = {name: kind for _, name, kind, *_ in connection.execute("PRAGMA table_info(samples)")}
    assert columns["detail"] == "TEXT"


def test_a_license_drop_records_the_refused_spdx_id(reason_run: CurationResult) -> None:
    assert details(reason_run)["copyleft/shlex.py"] == ("license", "GPL-3.0-only")


def test_an_unreadable_file_records_the_error(reason_run: CurationResult) -> None:
    assert details(reason_run)["good/dangling.py"] == ("unreadable", "broken symlink")


def test_kept_rows_have_no_detail(reason_run: CurationResult) -> None:
    assert all(detail is None for reason, detail in details(reason_run).values() if reason is None)


def test_an_insecure_drop_records_the_rule(tmp_path: Path) -> None:
    write(
        tmp_path / "corpus" / "app" / "shell.py",
        stdlib_text("colorsys.py") + "\nimport os\nos.system(input())\n",
    )
    config = CurationConfig(licenses="off", insecure="drop", min_quality_score=0.0, near_dedup=False)
    result = curate_inline(tmp_path / "corpus", tmp_path / "out", config)
    assert details(result)["app/shell.py"] == ("insecure", "os_system")


def test_a_secret_drop_records_the_kind_of_secret(tmp_path: Path) -> None:
    from curation_corpus import AWS_KEY_ID

    write(tmp_path / "corpus" / "app" / "keys.py", stdlib_text("colorsys.py") + f'\nKEY = "{AWS_KEY_ID}"\n')
    config = CurationConfig(licenses="off", secrets="drop", min_quality_score=0.0, near_dedup=False)
    result = curate_inline(tmp_path / "corpus", tmp_path / "out", config)
    assert details(result)["app/keys.py"] == ("secret", "aws_access_key_id")


def test_an_old_manifest_without_detail_is_rebuilt_not_a_crash(tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.mkdir()
    with sqlite3.connect(output / "manifest.sqlite") as connection:
        connection.execute("CREATE TABLE samples (sample_id TEXT PRIMARY KEY, seq INTEGER)")
    write(tmp_path / "corpus" / "app" / "colors.py", stdlib_text("colorsys.py"))
    config = CurationConfig(licenses="off", min_quality_score=0.0, near_dedup=False)
    result = curate_inline(tmp_path / "corpus", output, config)
    assert details(result) == {"app/colors.py": (None, None)}


def test_stdlib_rows_carry_the_resolved_license_and_no_detail_when_kept(tmp_path: Path) -> None:
    from litcode.sources import StdlibSource

    result = curate_inline(StdlibSource(include=("json/*.py",)), tmp_path / "out")
    with sqlite3.connect(result.manifest_path) as connection:
        rows = list(connection.execute("SELECT license, detail FROM samples WHERE decision = 'kept'"))
    # The stdlib's LICENSE.txt is the whole Python license stack (PSF, BeOpen, CNRI, CWI): SPDX's Python-2.0.
    assert rows and set(rows) == {("Python-2.0", None)}
