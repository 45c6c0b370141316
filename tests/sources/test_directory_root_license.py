"""A license file at the root of a directory source covers repos that have none of their own."""

from __future__ import annotations

from pathlib import Path

from litcode.sources import DirectorySource


def test_root_license_covers_repos_without_their_own(tmp_path: Path):
    (tmp_path / "LICENSE").write_text("MIT License\n")
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "a.py").write_text("x = 1\n")
    (tmp_path / "own").mkdir()
    (tmp_path / "own" / "COPYING").write_text("GNU GENERAL PUBLIC LICENSE\n")
    (tmp_path / "own" / "b.py").write_text("y = 2\n")
    files = {record.sample_id: record.metadata.get("license_file") for record in DirectorySource(tmp_path)}
    assert files["plain/a.py"] == str(tmp_path / "LICENSE")
    assert files["own/b.py"] == str(tmp_path / "own" / "COPYING")
    assert files["LICENSE"] == str(tmp_path / "LICENSE")


def test_license_utils_py_is_code_not_a_license_file(tmp_path: Path):
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "license_utils.py").write_text('"""Helpers: is this text the MIT License?"""\n')
    (tmp_path / "tools" / "main.py").write_text("x = 1\n")
    files = {record.sample_id: record.metadata.get("license_file") for record in DirectorySource(tmp_path)}
    assert files == {"tools/license_utils.py": None, "tools/main.py": None}


def test_license_named_variants_are_license_files(tmp_path: Path):
    for repo, name in (("a", "LICENSE-MIT"), ("b", "COPYING.txt"), ("c", "LICENCE.md"), ("d", "UNLICENSE")):
        (tmp_path / repo).mkdir()
        (tmp_path / repo / name).write_text("MIT License\n")
        (tmp_path / repo / "m.py").write_text("x = 1\n")
    files = {record.sample_id: record.metadata.get("license_file") for record in DirectorySource(tmp_path)}
    assert files["a/m.py"] == str(tmp_path / "a" / "LICENSE-MIT")
    assert files["b/m.py"] == str(tmp_path / "b" / "COPYING.txt")
    assert files["c/m.py"] == str(tmp_path / "c" / "LICENCE.md")
    assert files["d/m.py"] == str(tmp_path / "d" / "UNLICENSE")
