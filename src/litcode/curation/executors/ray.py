"""A Ray cluster: each batch becomes one Ray task, fed through a bounded window like the local pool.

Ray is an optional extra (``pip install 'litcode[ray]'``), imported only when a
``RayExecutor`` is made. The executor joins the Ray runtime already initialized in
this process when there is one (a notebook, a Ray job); otherwise it starts or
connects to one and shuts down only what it started.
"""

from __future__ import annotations

import functools
import importlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from types import ModuleType
from typing import Any, TypeVar

from litcode.curation.batch_loop import BatchSink
from litcode.curation.config import CurationConfig
from litcode.curation.dedup_stage import DedupStage, run_dedup
from litcode.curation.errors import CurationError
from litcode.curation.executors.base import Executor
from litcode.curation.kept_shards import KeptStage, write_kept_shards
from litcode.curation.staging import SurvivorStaging

InputT = TypeVar("InputT")
OutputT = TypeVar("OutputT")

INSTALL_HINT = "pip install 'litcode[ray]'"


class RayExecutor(Executor):
    """Run batches as Ray tasks on a local or remote cluster, results in input order.

    ``address``: a Ray cluster to join (``"auto"``, ``"ray://head:10001"``, ...);
    ``None`` joins the runtime already initialized in this process or, failing
    that, starts a local one with ``num_workers`` CPUs (``None``: all of them).
    At most ``in_flight_per_worker`` x the cluster's CPUs batches are submitted
    ahead of the one being consumed, so the driver's memory stays bounded
    however large the corpus. Workers on a remote cluster must have litcode
    installed (or ship it with a Ray ``runtime_env``).

    >>> with RayExecutor(num_workers=1) as executor:  # doctest: +SKIP
    ...     list(executor.map(abs, [-1, 2, -3]))
    [1, 2, 3]
    """

    def __init__(
        self, num_workers: int | None = None, address: str | None = None, *, in_flight_per_worker: int = 2
    ) -> None:
        if num_workers is not None and num_workers < 0:
            raise ValueError(f"num_workers must be >= 0 or None, got {num_workers}")
        if in_flight_per_worker < 1:
            raise ValueError(f"in_flight_per_worker must be >= 1, got {in_flight_per_worker}")
        self._ray = import_ray()
        self.num_workers = num_workers
        self.address = address
        self.in_flight_per_worker = in_flight_per_worker
        self._started_here = False

    def connect(self) -> None:
        """Join or start the Ray runtime (done by the first :meth:`map`; idempotent)."""
        if self._ray.is_initialized():
            return
        options: dict[str, Any] = {
            "address": self.address,
            "ignore_reinit_error": True,
            "include_dashboard": False,
            "log_to_driver": False,
        }
        if self.address is None and self.num_workers is not None:
            # 0 or 1 worker still needs one CPU, or no task could ever be scheduled.
            options["num_cpus"] = max(1, self.num_workers)
        try:
            self._ray.init(**options)
        except (ConnectionError, RuntimeError, ValueError) as error:
            raise CurationError(
                f"could not start or join a Ray cluster (address={self.address!r}): {error}. "
                "Pass address=None to start a local one, or check that the head node is reachable."
            ) from error
        self._started_here = True

    @property
    def parallelism(self) -> int:
        """CPUs the cluster offers, which sizes the in-flight window."""
        self.connect()
        return max(1, int(self._ray.cluster_resources().get("CPU", 1)))

    def map(self, function: Callable[[InputT], OutputT], items: Iterable[InputT]) -> Iterator[OutputT]:
        self.connect()
        ray = self._ray
        task = ray.remote(num_cpus=1, max_retries=1)(_apply)
        # The function (a config-bound partial) goes to the object store once, not with every batch.
        function_ref = ray.put(function)
        window = self.in_flight_per_worker * self.parallelism
        pending: deque[Any] = deque()
        try:
            for item in items:
                pending.append(task.remote(function_ref, item))
                if len(pending) >= window:
                    yield self._result(pending.popleft())
            while pending:
                yield self._result(pending.popleft())
        finally:
            for reference in pending:
                ray.cancel(reference)

    def _result(self, reference: Any) -> Any:
        exceptions = self._ray.exceptions
        try:
            return self._ray.get(reference)
        except exceptions.RayTaskError as error:
            # The worker's own exception (e.g. a CurationError naming the sample): raise it as it was.
            cause = error.as_instanceof_cause()
            raise cause from None
        except (exceptions.WorkerCrashedError, exceptions.RayError) as error:
            raise CurationError(
                f"a Ray worker failed while curating a batch: {type(error).__name__}: {error}. "
                "Check the cluster's memory and that litcode is installed on every node."
            ) from error

    def batch_sink(self, config: CurationConfig, staging: SurvivorStaging) -> BatchSink:
        """With ``config.distributed_dedup`` the tasks write their batch's staging and manifest part
        to the output directory, which every node must share (see
        :mod:`~litcode.curation.distributed.worker_sink`)."""
        if not config.distributed_dedup:
            return super().batch_sink(config, staging)
        from litcode.curation.distributed.worker_sink import WorkerSink

        return WorkerSink(staging)

    def kept_stage(self, config: CurationConfig) -> KeptStage:
        """With ``config.distributed_dedup``: one Ray task per kept shard, same files as the driver writes."""
        if not config.distributed_dedup:
            return write_kept_shards
        from litcode.curation.distributed.kept_tasks import write_kept_shards_on_ray

        return write_kept_shards_on_ray

    def dedup_stage(self, config: CurationConfig) -> DedupStage:
        """With ``config.distributed_dedup``: exact and near dedup as Ray Data operations on this
        executor's cluster; otherwise the driver's stage."""
        if not config.distributed_dedup:
            return run_dedup
        from litcode.curation.distributed import run_ray_dedup

        return functools.partial(run_ray_dedup, address=self.address)

    def close(self) -> None:
        if self._started_here:
            self._ray.shutdown()
            self._started_here = False


def _apply(function: Callable[[InputT], OutputT], item: InputT) -> OutputT:
    return function(item)


def import_ray() -> ModuleType:
    """The ``ray`` module, or a :class:`CurationError` that says how to install it."""
    try:
        return importlib.import_module("ray")
    except ImportError as error:
        raise CurationError(
            f"executor='ray' needs Ray, which is not installed: {INSTALL_HINT} "
            "(or use executor='local' to curate with this machine's processes)"
        ) from error
