"""How worker processes start, chosen so a script without a ``__main__`` guard never hangs.

``spawn`` is the safe default: a fresh interpreter with no inherited locks, open
SQLite handles or CUDA state. But a spawned worker re-imports the main module,
so a script that calls ``curate()`` (or ``Trainer.fit`` with ``CodeDataModule``)
at top level, without ``if __name__ == "__main__":``, would start the whole job
again in every worker; and a main module read from stdin or ``-c`` cannot be
re-imported at all. For those scripts we use ``fork`` where the platform has it:
the child starts from a copy of the parent and imports nothing. Curation workers
only run pure-Python and numpy code on the batches they are sent, so the usual
hazard of forking a threaded parent (a lock held by another thread) does not
reach them. Where ``fork`` is missing (Windows) the work runs in this process,
with a warning that says how to get the workers back.
"""

from __future__ import annotations

import ast
import functools
import multiprocessing
import sys
import warnings
from pathlib import Path
from types import ModuleType


def main_module_reimport_is_unsafe(main: ModuleType | None = None) -> bool:
    """True when a spawned child re-importing ``__main__`` would re-run work or fail.

    That is a main file whose top level has no ``if __name__ == "__main__":`` block,
    or a main whose file is not there to import (stdin). ``python -c``, an interactive
    session, a guarded script and a guarded ``-m`` module are safe.

    >>> import types
    >>> main_module_reimport_is_unsafe(types.ModuleType("__main__"))  # interactive: nothing re-runs
    False
    """
    main = main if main is not None else sys.modules.get("__main__")
    if main is None:
        return False
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name and spec.name != "__main__":
        # `python -m pkg.module`: spawn re-imports it by module name, which runs its top level too.
        origin = getattr(spec, "origin", None)
        return origin is not None and not _has_main_guard(origin)
    path = getattr(main, "__file__", None)
    if path is None:
        return False
    if not Path(path).is_file():
        return True  # "<stdin>": spawn would try to run a file that is not there
    return not _has_main_guard(path)


@functools.lru_cache(maxsize=8)
def _has_main_guard(path: str) -> bool:
    try:
        tree = ast.parse(Path(path).read_bytes())
    except (OSError, SyntaxError, ValueError):
        return False
    return any(isinstance(node, ast.If) and _is_main_test(node.test) for node in tree.body)


def _is_main_test(test: ast.expr) -> bool:
    if not isinstance(test, ast.Compare) or len(test.comparators) != 1:
        return False
    sides = [test.left, test.comparators[0]]
    names = [side for side in sides if isinstance(side, ast.Name) and side.id == "__name__"]
    strings = [side for side in sides if isinstance(side, ast.Constant) and side.value == "__main__"]
    return bool(names) and bool(strings)


def worker_context() -> multiprocessing.context.BaseContext | None:
    """The multiprocessing context for curation workers; None means "run in this process".

    >>> worker_context() is not None  # doctest's main module is safe to re-import
    True
    """
    if not main_module_reimport_is_unsafe():
        return multiprocessing.get_context("spawn")
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    warnings.warn(
        'the main script has no `if __name__ == "__main__":` guard and this platform cannot fork, '
        "so curation runs in this process; put the script's work under that guard to use worker "
        "processes",
        RuntimeWarning,
        stacklevel=3,
    )
    return None
