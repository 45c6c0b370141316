"""Executors run the per-batch work: ``"local"`` (processes on this machine) or ``"ray"`` (a Ray cluster)."""

from __future__ import annotations

from litcode.curation.errors import CurationError
from litcode.curation.executors.base import Executor
from litcode.curation.executors.local import LocalExecutor

EXECUTORS = ("local", "ray")


def make_executor(name: str | Executor, num_workers: int | None, address: str | None = None) -> Executor:
    """The executor called ``name`` (or ``name`` itself when it already is one).

    ``address`` is the Ray cluster to join (``executor="ray"`` only; None starts a local one).
    """
    if isinstance(name, Executor):
        return name
    if name == "local":
        return LocalExecutor(num_workers)
    if name == "ray":
        from litcode.curation.executors.ray import RayExecutor  # Ray is optional: import it only when asked

        return RayExecutor(num_workers, address)
    raise CurationError(f"unknown executor {name!r}; choose one of {list(EXECUTORS)}")


__all__ = ["EXECUTORS", "Executor", "LocalExecutor", "make_executor"]
