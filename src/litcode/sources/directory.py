"""A tree of repositories on disk: each top-level folder is a repo, each file a record."""

from __future__ import annotations

import copy
import errno
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from litcode.sources.base import Source, SourceError, SourceNotFoundError, SourceRecord
from litcode.sources.fingerprint import files_fingerprint
from litcode.sources.patterns import GlobSet
from litcode.sources.repo_metadata import METADATA_FILES, load_repo_metadata

# Version-control, cache and environment folders: never source code of the repo itself.
SKIPPED_DIRECTORIES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        "__pycache__",
        "node_modules",
        ".venv",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".ipynb_checkpoints",
        ".eggs",
    }
)


class DirectorySource(Source):
    """Files under ``root``, walked in sorted order, one record per file.

    ``sample_id`` is the path relative to ``root`` (``/``-separated); ``repo``
    is the top-level folder (files directly in ``root`` belong to a repo named
    after ``root`` itself) and ``path`` the file's path inside its repo.
    ``repos.jsonl`` / ``repos.csv`` in ``root`` add per-repo ``stars``,
    ``forks``, ``license``; a repo's top-level license file (``LICENSE``, ``COPYING.txt``,
    ``LICENSE-MIT``, ...: :func:`litcode.scanning.is_license_file_name`, which never takes
    ``license_utils.py``), else one at the source root, which covers every repo below it,
    is recorded as ``metadata["license_file"]`` (absolute path); curation reads every
    license file of that folder with :func:`litcode.scanning.find_repo_license`.

    ``include``/``exclude`` are glob patterns; one without ``/`` matches a
    file or folder name, one with ``/`` the path relative to ``root``
    component by component (``*`` within a folder, ``**`` across folders).
    ``exclude`` also prunes folders. Symlinked folders are entered only with
    ``follow_symlinks=True`` (each link target once, so
    link cycles end); symlinked files are read
    through, and a broken one becomes a record with ``error``. There is no size cap of
    the reader's own: ``max_file_bytes`` (None: no limit) is set by ``curate`` to the
    run's ``CurationConfig.max_bytes`` (:meth:`with_read_limit`); a file over it is not
    read at all (its record has ``skip_reason="size"``), and never more than the limit
    plus one byte is read of a file that grows while it is read.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "alpha").mkdir()
    >>> _ = (root / "alpha" / "main.py").write_text("print('hi')\\n")
    >>> [(r.sample_id, r.repo, r.path) for r in DirectorySource(root)]
    [('alpha/main.py', 'alpha', 'main.py')]
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        include: Sequence[str] | None = None,
        exclude: Sequence[str] | None = None,
        follow_symlinks: bool = False,
        max_file_bytes: int | None = None,
        name: str | None = None,
    ) -> None:
        self.root = Path(root).expanduser().absolute()
        if not self.root.exists():
            raise SourceNotFoundError(f"source directory does not exist: {self.root}")
        if not self.root.is_dir():
            raise SourceError(f"not a directory: {self.root}")
        self.include = tuple(include) if include else None
        self.exclude = tuple(exclude or ())
        self._include = GlobSet(self.include or ())
        self._exclude = GlobSet(self.exclude)
        self.follow_symlinks = follow_symlinks
        self.max_file_bytes = max_file_bytes
        self.name = name or self.root.name
        self.repo_metadata = load_repo_metadata(self.root)

    def __iter__(self) -> Iterator[SourceRecord]:
        license_files: dict[str, str | None] = {}  # top-level folder ("" for root files) -> license file
        for relative, path in self._walk():
            top, _, inner = relative.partition("/")
            if inner:
                repo = top
            else:
                top, repo, inner = "", self.name, relative
            if top not in license_files:
                # A repo without a license file of its own is covered by one at the source root.
                license_files[top] = _find_license_file(self.root / top) or (
                    _find_license_file(self.root) if top else None
                )
            metadata: dict[str, Any] = {"source": self.name, **self.repo_metadata.get(repo, {})}
            if license_files[top]:
                metadata["license_file"] = license_files[top]
            yield self._read(path, relative, repo, inner, metadata)

    def _read(
        self, path: str, relative: str, repo: str, inner: str, metadata: dict[str, Any]
    ) -> SourceRecord:
        record = SourceRecord(sample_id=relative, path=inner, repo=repo, metadata=metadata)
        try:
            status = os.stat(path)
        except OSError as error:
            record.error = _stat_error(path, error)
            return record
        if not stat.S_ISREG(status.st_mode):
            record.error = "not a regular file"
            return record
        metadata["bytes"] = status.st_size
        limit = self.max_file_bytes
        if limit is not None and status.st_size > limit:
            return _too_large(record, status.st_size, limit)
        try:
            with open(path, "rb") as handle:
                data = handle.read() if limit is None else handle.read(limit + 1)
        except OSError as error:
            record.error = f"cannot read: {error.strerror or error}"
            return record
        if limit is not None and len(data) > limit:
            return _too_large(record, len(data), limit)  # it grew after the stat
        record.data = data
        return record

    def with_read_limit(self, max_bytes: int | None) -> DirectorySource:
        """This source reading no file over ``max_bytes`` (the smaller limit wins when both are set)."""
        if max_bytes is None or (self.max_file_bytes is not None and self.max_file_bytes <= max_bytes):
            return self
        limited = copy.copy(self)
        limited.max_file_bytes = max_bytes
        return limited

    def _walk(self) -> Iterator[tuple[str, str]]:
        """(relative posix path, path) of every candidate file, in sorted path-component order."""
        return self._walk_directory("", str(self.root), {os.path.realpath(self.root)})

    def _walk_directory(
        self, prefix: str, directory: str, seen_real_dirs: set[str]
    ) -> Iterator[tuple[str, str]]:
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError:
            return  # an unlistable folder has no files we could account for
        for entry in entries:
            relative = prefix + entry.name
            if _is_directory(entry):
                if entry.name in SKIPPED_DIRECTORIES or self._excluded(entry.name, relative):
                    continue
                if entry.is_symlink():
                    if not self.follow_symlinks:
                        continue
                    real = os.path.realpath(entry.path)
                    if real in seen_real_dirs:
                        continue  # a link cycle, or a folder already walked
                    seen_real_dirs.add(real)
                yield from self._walk_directory(relative + "/", entry.path, seen_real_dirs)
            elif not (prefix == "" and entry.name in METADATA_FILES) and self._selected(entry.name, relative):
                yield relative, entry.path

    def _selected(self, name: str, relative: str) -> bool:
        if self.include is not None and not self._include.matches(name, relative):
            return False
        return not self._excluded(name, relative)

    def _excluded(self, name: str, relative: str) -> bool:
        return bool(self._exclude) and self._exclude.matches(name, relative)

    def provides(self, field: str) -> bool | None:
        """Stars and forks come only from ``repos.jsonl``/``repos.csv``; a license may also come
        from license files, known only once read (None)."""
        stated = any(field in row for row in self.repo_metadata.values())
        if field in ("stars", "forks"):
            return stated
        return True if stated else None

    @property
    def location(self) -> str:
        return str(self.root)

    def fingerprint(self) -> str:
        files: list[tuple[str, str | Path]] = list(self._walk())
        files += [(name, self.root / name) for name in METADATA_FILES if (self.root / name).exists()]
        settings = {
            "kind": "directory",
            "include": self.include,
            "exclude": self.exclude,
            "follow_symlinks": self.follow_symlinks,
            "max_file_bytes": self.max_file_bytes,
            "name": self.name,
        }
        return files_fingerprint(files, settings)

    def estimated_count(self) -> int:
        return sum(1 for _ in self._walk())


def _is_directory(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _too_large(record: SourceRecord, size: int, limit: int) -> SourceRecord:
    record.skip_reason = "size"
    record.skip_detail = f"{size} bytes > max_bytes {limit}, not read"
    return record


def _stat_error(path: str, error: OSError) -> str:
    """The manifest detail of a file that cannot be stat'ed: a dangling link, a link loop, or the OS error."""
    if os.path.islink(path):
        if error.errno == errno.ELOOP:
            return f"symlink loop: {error.strerror}"
        return "broken symlink"
    return f"cannot stat: {error.strerror}"


def _find_license_file(directory: Path) -> str | None:
    """The first file of ``directory``, by name, that the licenses part calls a license file.

    An entry that cannot be stat'ed (a symlink loop, a dangling link) is skipped on its own:
    it becomes an ``unreadable`` record of its own and never hides the LICENSE beside it.
    """
    from litcode.scanning.licenses import is_license_file_name  # the one finder; loaded on first use

    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError:
        return None
    return next(
        (str(directory / e.name) for e in entries if is_license_file_name(e.name) and _is_file(e)), None
    )


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False
