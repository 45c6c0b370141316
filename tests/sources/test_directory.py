from __future__ import annotations

import os
from pathlib import Path

import pytest

from litcode.sources import DirectorySource, SourceError, SourceNotFoundError


def records_by_id(source: DirectorySource) -> dict:
    return {record.sample_id: record for record in source}


def test_walk_yields_relative_posix_ids_in_sorted_order(repo_tree: Path) -> None:
    ids = [record.sample_id for record in DirectorySource(repo_tree)]
    assert ids == [
        "alpha/LICENSE",
        "alpha/logo.png",
        "alpha/main.py",
        "alpha/pkg/__init__.py",
        "alpha/pkg/sub/deep.py",
        "beta/COPYING.txt",
        "beta/dangling.rs",
        "beta/lib.rs",
        "setup.py",
    ]


def test_vcs_and_cache_folders_and_metadata_files_are_not_records(repo_tree: Path) -> None:
    ids = set(records_by_id(DirectorySource(repo_tree)))
    assert not {i for i in ids if ".git/" in i or "__pycache__" in i or i.startswith("repos.")}


def test_top_level_folder_is_the_repo_and_path_is_inside_it(repo_tree: Path) -> None:
    record = records_by_id(DirectorySource(repo_tree))["alpha/pkg/sub/deep.py"]
    assert (record.repo, record.path, record.data) == ("alpha", "pkg/sub/deep.py", b"x = 1\n")


def test_root_level_files_belong_to_a_repo_named_after_the_root(repo_tree: Path) -> None:
    record = records_by_id(DirectorySource(repo_tree))["setup.py"]
    assert (record.repo, record.path) == ("corpus", "setup.py")


def test_repos_jsonl_wins_over_repos_csv_and_both_merge_into_metadata(repo_tree: Path) -> None:
    records = records_by_id(DirectorySource(repo_tree))
    alpha = records["alpha/main.py"].metadata
    beta = records["beta/lib.rs"].metadata
    assert (alpha["stars"], alpha["forks"], alpha["license"]) == (50, 4, ["MIT"])
    assert (beta["stars"], beta["forks"], beta["license"]) == (3, 0, "GPL-3.0")


def test_each_repo_records_its_own_license_file(repo_tree: Path) -> None:
    records = records_by_id(DirectorySource(repo_tree))
    assert records["alpha/pkg/__init__.py"].metadata["license_file"] == str(repo_tree / "alpha" / "LICENSE")
    assert records["beta/lib.rs"].metadata["license_file"] == str(repo_tree / "beta" / "COPYING.txt")
    assert "license_file" not in records["setup.py"].metadata


def test_broken_symlink_is_a_record_with_an_error(repo_tree: Path) -> None:
    record = records_by_id(DirectorySource(repo_tree))["beta/dangling.rs"]
    assert (record.data, record.error) == (None, "broken symlink")


def test_fifo_is_reported_as_not_a_regular_file_without_blocking(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    os.mkfifo(tmp_path / "repo" / "pipe.py")
    [record] = DirectorySource(tmp_path)
    assert record.error == "not a regular file"


def test_file_replaced_by_a_folder_after_listing_is_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "a.py").write_text("a = 1\n")
    (tmp_path / "repo" / "b.py").write_text("b = 1\n")
    records = iter(DirectorySource(tmp_path))
    assert next(records).data == b"a = 1\n"
    (tmp_path / "repo" / "b.py").unlink()
    (tmp_path / "repo" / "b.py").mkdir()
    assert [(r.sample_id, r.error) for r in records] == [("repo/b.py", "not a regular file")]


def test_file_deleted_after_listing_is_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "a.py").write_text("a = 1\n")
    (tmp_path / "repo" / "b.py").write_text("b = 1\n")
    records = iter(DirectorySource(tmp_path))
    next(records)
    (tmp_path / "repo" / "b.py").unlink()
    [gone] = records
    assert gone.data is None and gone.error == "cannot stat: No such file or directory"


def test_files_over_max_bytes_are_skipped_with_size_reason_unread(repo_tree: Path) -> None:
    records = records_by_id(DirectorySource(repo_tree, max_file_bytes=10))
    big = records["alpha/main.py"]
    assert (big.skip_reason, big.data, big.metadata["bytes"]) == ("size", None, 15)
    assert records["alpha/pkg/sub/deep.py"].data == b"x = 1\n"


@pytest.mark.parametrize(
    ("include", "exclude", "expected"),
    [
        (["*.py"], None, {"alpha/main.py", "alpha/pkg/__init__.py", "alpha/pkg/sub/deep.py", "setup.py"}),
        (["*.py"], ["sub"], {"alpha/main.py", "alpha/pkg/__init__.py", "setup.py"}),
        (["alpha/*.py"], None, {"alpha/main.py"}),
        (["alpha/**/*.py"], None, {"alpha/main.py", "alpha/pkg/__init__.py", "alpha/pkg/sub/deep.py"}),
        (["*.py"], ["alpha/pkg/**"], {"alpha/main.py", "setup.py"}),
        (["*.py"], ["__init__.py", "setup.py"], {"alpha/main.py", "alpha/pkg/sub/deep.py"}),
    ],
)
def test_include_and_exclude_patterns_select_files(
    repo_tree: Path, include: list[str], exclude: list[str] | None, expected: set[str]
) -> None:
    assert set(records_by_id(DirectorySource(repo_tree, include=include, exclude=exclude))) == expected


def test_symlinked_folders_are_followed_once_only_when_asked(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.py").write_text("a = 1\n")
    (tmp_path / "repo").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "repo" / "linked")
    os.symlink(tmp_path / "repo", tmp_path / "repo" / "loop")
    assert [r.sample_id for r in DirectorySource(tmp_path)] == ["real/a.py"]
    followed = [r.sample_id for r in DirectorySource(tmp_path, follow_symlinks=True)]
    assert followed == ["real/a.py", "repo/linked/a.py"]


def test_estimated_count_matches_records(repo_tree: Path) -> None:
    source = DirectorySource(repo_tree)
    assert source.estimated_count() == sum(1 for _ in source)


def test_fingerprint_is_stable_when_nothing_changes(repo_tree: Path) -> None:
    assert DirectorySource(repo_tree).fingerprint() == DirectorySource(repo_tree).fingerprint()


def test_fingerprint_changes_when_a_file_changes_size(repo_tree: Path) -> None:
    before = DirectorySource(repo_tree).fingerprint()
    (repo_tree / "alpha" / "main.py").write_text("print('alpha, longer')\n")
    assert DirectorySource(repo_tree).fingerprint() != before


def test_fingerprint_changes_when_only_mtime_changes(repo_tree: Path) -> None:
    target = repo_tree / "alpha" / "main.py"
    before = DirectorySource(repo_tree).fingerprint()
    stat = target.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000))
    assert DirectorySource(repo_tree).fingerprint() != before


def test_fingerprint_changes_when_repo_metadata_changes(repo_tree: Path) -> None:
    before = DirectorySource(repo_tree).fingerprint()
    (repo_tree / "repos.csv").write_text("repo,stars,forks,license\nalpha,1,4,\nbeta,300,0,GPL-3.0\n")
    assert DirectorySource(repo_tree).fingerprint() != before


def test_fingerprint_depends_on_include_patterns(repo_tree: Path) -> None:
    assert (
        DirectorySource(repo_tree).fingerprint() != DirectorySource(repo_tree, include=["*.py"]).fingerprint()
    )


def test_missing_directory_error_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError, match="nowhere") as raised:
        DirectorySource(missing)
    assert isinstance(raised.value, SourceNotFoundError)


def test_malformed_repos_jsonl_fails_at_open_naming_file_and_line(repo_tree: Path) -> None:
    (repo_tree / "repos.jsonl").write_text('{"repo": "alpha"}\n{"repo": \n')
    with pytest.raises(SourceError, match=r"repos\.jsonl: invalid JSON at line 2"):
        DirectorySource(repo_tree)


def test_repos_csv_without_repo_column_fails_at_open(repo_tree: Path) -> None:
    (repo_tree / "repos.jsonl").unlink()
    (repo_tree / "repos.csv").write_text("name,stars\nalpha,1\n")
    with pytest.raises(SourceError, match="'repo' column"):
        DirectorySource(repo_tree)


def test_records_survive_pickling(repo_tree: Path) -> None:
    import pickle

    source = pickle.loads(pickle.dumps(DirectorySource(repo_tree)))
    assert next(r.sample_id for r in source) == "alpha/LICENSE"
