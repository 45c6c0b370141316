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
