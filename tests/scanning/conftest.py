"""Real inputs for the scanner tests: copies of this interpreter's standard-library modules."""

from __future__ import annotations

import random
import sysconfig
from pathlib import Path

import pytest

STDLIB = Path(sysconfig.get_paths()["stdlib"])
# Small-to-medium modules of different styles: text processing, networking, parsing.
HOST_MODULES = ("textwrap.py", "ftplib.py", "shlex.py", "json/decoder.py", "smtplib.py")


@pytest.fixture(params=HOST_MODULES, ids=lambda name: name.replace("/", "."))
def stdlib_copy(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A byte-for-byte copy of a real stdlib module in a temporary folder."""
    source = STDLIB / request.param
    target = tmp_path / Path(request.param).name
    target.write_bytes(source.read_bytes())
    return target


@pytest.fixture
def rng() -> random.Random:
    return random.Random(20261125)
