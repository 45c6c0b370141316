"""Every example in a docstring of ``src/litcode`` runs and prints what it says (one case per module)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import litcode


def _modules() -> list[str]:
    return sorted(info.name for info in pkgutil.walk_packages(litcode.__path__, "litcode."))


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(module, optionflags=flags, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} docstring examples of {name} failed"
