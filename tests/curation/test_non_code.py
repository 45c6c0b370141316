"""Files that are not code (license, readme, changelog, py.typed, lock, marker) are not samples by default."""

from __future__ import annotations

from pathlib import Path

import pytest
from curation_corpus import MIT_TEXT, curate_inline, manifest_rows, stdlib_text, write

from litcode.curation import CurationConfig
from litcode.sources.file_roles import non_code_kind

LEAN = {"min_quality_score": 0.0, "near_dedup": False}
CONFIG = CurationConfig(**LEAN)  # type: ignore[arg-type]


@pytest.fixture
def repo_with_metadata(tmp_path: Path) -> Path:
    repo = tmp_path / "corpus" / "repo"
    write(repo / "LICENSE", MIT_TEXT)
    write(repo / "py.typed", "partial\n")
    write(repo / "README.md", "# colors\n\nConversions between color systems, from the standard library.\n")
    write(repo / "colors.py", stdlib_text("colorsys.py"))
    return tmp_path / "corpus"


def _rows(output: Path) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in manifest_rows(output, "sample_id, decision, reason, detail")}


def test_a_license_file_is_dropped_as_not_code(repo_with_metadata: Path, tmp_path: Path) -> None:
    curate_inline(repo_with_metadata, tmp_path / "out", CONFIG)
    assert _rows(tmp_path / "out")["repo/LICENSE"] == ("dropped", "language", "not code: license file")


def test_py_typed_is_dropped_as_not_code(repo_with_metadata: Path, tmp_path: Path) -> None:
    curate_inline(repo_with_metadata, tmp_path / "out", CONFIG)
    assert _rows(tmp_path / "out")["repo/py.typed"] == ("dropped", "language", "not code: type marker")


def test_the_dropped_license_still_licenses_the_code(repo_with_metadata: Path, tmp_path: Path) -> None:
    curate_inline(repo_with_metadata, tmp_path / "out", CONFIG)
    rows = {row[0]: row[1:] for row in manifest_rows(tmp_path / "out", "sample_id, decision, license")}
    assert rows["repo/colors.py"] == ("kept", "MIT")


def test_drop_non_code_false_keeps_them(repo_with_metadata: Path, tmp_path: Path) -> None:
    config = CurationConfig(min_quality_score=0.0, near_dedup=False, drop_non_code=False)
    curate_inline(repo_with_metadata, tmp_path / "out", config)
    rows = _rows(tmp_path / "out")
    assert rows["repo/README.md"] == rows["repo/py.typed"] == ("kept", None, None)


def test_files_of_an_installed_package_metadata_folder_are_not_code(tmp_path: Path) -> None:
    dist_info = tmp_path / "corpus" / "six-1.16.0.dist-info"
    write(dist_info / "RECORD", "six.py,sha256=abc,34549\nsix-1.16.0.dist-info/RECORD,,\n")
    write(dist_info / "top_level.txt", "six\n")
    curate_inline(tmp_path / "corpus", tmp_path / "out", CurationConfig(licenses="off", **LEAN))
    assert {row[2] for row in manifest_rows(tmp_path / "out", "sample_id, reason, detail")} == {
        "not code: package metadata"
    }


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("COPYING.txt", "license file"),
        ("README", "readme"),
        ("docs/readme.rst", "readme"),
        ("CHANGELOG.md", "changelog"),
        ("HISTORY.rst", "changelog"),
        ("poetry.lock", "lock file"),
        ("web/package-lock.json", "lock file"),
        ("go.sum", "lock file"),
        ("assets/.gitkeep", "marker file"),
        ("pkg/py.typed", "type marker"),
        ("six-1.16.0.dist-info/RECORD", "package metadata"),
        ("news.py", None),
        ("changes.c", None),
        ("license_utils.py", None),
        ("readme_parser.py", None),
        ("lockfile.py", None),
    ],
)
def test_non_code_kind_names_the_kind_from_the_path(path: str, kind: str | None) -> None:
    assert non_code_kind(path) == kind
