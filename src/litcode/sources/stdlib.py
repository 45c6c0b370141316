"""The embedded default corpus: this interpreter's own standard library, present on every machine."""

from __future__ import annotations

import sysconfig
from collections.abc import Sequence
from pathlib import Path

from litcode.sources.directory import DirectorySource

# Third-party packages installed under the stdlib folder are not the standard library.
INSTALLED_PACKAGE_DIRECTORIES = ("site-packages", "dist-packages")
# The stdlib's test suites: ``test/`` (the regression suite), ``tests/`` and ``idle_test/`` inside packages.
TEST_PATTERNS = ("test", "tests", "idle_test", "test_*.py")


def stdlib_root() -> Path:
    """Where this interpreter's pure-Python standard library lives."""
    return Path(sysconfig.get_paths()["stdlib"])


class StdlibSource(DirectorySource):
    """The standard library as a tree of repos: each top-level package is a repo.

    Modules directly in the stdlib folder (``os.py``, ``json`` is a package)
    form one repo named after the folder (``python3.11``). ``site-packages``,
    ``dist-packages`` and ``__pycache__`` are skipped; ``exclude_tests=True``
    also skips the test suites (``test/``, ``tests/``, ``idle_test/``, ``test_*.py``).
    Some test files are deliberately not UTF-8 (PEP 263 cookies) or not even
    valid Python; decoding deals with them.

    >>> source = StdlibSource()
    >>> record = next(r for r in source if r.sample_id == "json/decoder.py")
    >>> (record.repo, record.path)
    ('json', 'decoder.py')
    """

    def __init__(
        self,
        include: Sequence[str] = ("*.py",),
        exclude_tests: bool = False,
        exclude: Sequence[str] = (),
    ) -> None:
        patterns = (*INSTALLED_PACKAGE_DIRECTORIES, *exclude, *(TEST_PATTERNS if exclude_tests else ()))
        super().__init__(stdlib_root(), include=include, exclude=patterns)
        self.exclude_tests = exclude_tests
