"""Executors run the per-batch work: ``"local"`` (processes here) now, ``"ray"`` (issue 9) later."""

from __future__ import annotations

from litcode.curation.errors import CurationError
from litcode.curation.executors.base import Executor
from litcode.curation.executors.local import LocalExecutor

EXECUTORS = ("local", "ray")


def make_executor(name: str | Executor, num_workers: int | None) -> Executor:
    """The executor called ``name`` (or ``name`` itself when it already is one)."""
    if isinstance(name, Executor):
        return name
    if name == "local":
        return LocalExecutor(num_workers)
    if name == "ray":
        raise CurationError(
            "executor='ray' is not available yet in this version of litcode (install litcode[ray] once the "
            "Ray executor ships); use executor='local' with num_workers to run on this machine's cores"
        )
    raise CurationError(f"unknown executor {name!r}; choose one of {list(EXECUTORS)}")


__all__ = ["EXECUTORS", "Executor", "LocalExecutor", "make_executor"]
