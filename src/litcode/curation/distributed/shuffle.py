"""How the distributed dedup stages shuffle: task-based sort shuffle into a few partitions.

Ray Data's default hash shuffle starts aggregator actors and 200 partitions per
``groupby``: right for a big cluster, minutes of overhead for a small one. Dedup
groups are tiny (a hash, a band key, a node), so a pull-based sort shuffle into
about one partition per CPU is the better default; both are settable. Each
distributed stage applies these itself, around its own shuffles.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from litcode.curation.executors.ray import import_ray


@dataclass(frozen=True)
class ShuffleSettings:
    """Partitions per ``groupby`` (None: the cluster's CPU count) and Ray Data's shuffle strategy name.

    >>> ShuffleSettings(num_partitions=4).num_partitions
    4
    """

    num_partitions: int | None = None
    strategy: str = "sort_shuffle_pull_based"

    def partitions(self) -> int:
        if self.num_partitions is not None:
            return max(1, self.num_partitions)
        return max(1, int(import_ray().cluster_resources().get("CPU", 1)))


@contextmanager
def ray_data_context(settings: ShuffleSettings) -> Iterator[Any]:
    """Ray Data's process-wide context set for dedup (quiet, chosen shuffle), restored afterwards."""
    import_ray()
    from ray.data import DataContext
    from ray.data.context import ShuffleStrategy

    context = DataContext.get_current()
    saved = (context.shuffle_strategy, context.enable_progress_bars)
    context.shuffle_strategy = ShuffleStrategy(settings.strategy)
    context.enable_progress_bars = False
    try:
        yield context
    finally:
        context.shuffle_strategy, context.enable_progress_bars = saved
