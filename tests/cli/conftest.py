from __future__ import annotations

import pytest

from cli.tiny_run import TinyRun, make_tiny_run


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> TinyRun:
    """One real fit, shared by the tests that inspect what a run leaves behind."""
    return make_tiny_run(tmp_path_factory.mktemp("tiny-run"))
