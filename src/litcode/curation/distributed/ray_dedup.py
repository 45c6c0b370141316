"""The dedup stage on Ray Data: the same decisions as :func:`litcode.curation.dedup_stage.run_dedup`.

Exact dedup partitions survivors by content hash; near dedup groups LSH band keys,
verifies each bucket's pairs and joins them with distributed connected components.
The driver keeps what the manifest needs (ids, scores, the final cluster map) and
reads staged signatures batch by batch into Ray's object store, so workers need no
shared filesystem. Cluster numbering and the kept choice use the local stage's rule.
"""

from __future__ import annotations

from contextlib import closing

from litcode.curation.config import CurationConfig
from litcode.curation.dedup_stage import (
    near_deduplicator,
    record_exact_duplicates,
    record_near_duplicates,
    survivor_entries,
)
from litcode.curation.distributed.components import connected_components
from litcode.curation.distributed.exact_groups import exact_duplicates, survivors_table
from litcode.curation.distributed.lsh_buckets import verified_edges
from litcode.curation.distributed.shuffle import ShuffleSettings
from litcode.curation.executors.ray import RayExecutor, import_ray
from litcode.curation.manifest import Manifest
from litcode.curation.staging import SurvivorStaging


def run_ray_dedup(
    manifest: Manifest,
    staging: SurvivorStaging,
    config: CurationConfig,
    batches: list[int],
    *,
    settings: ShuffleSettings | None = None,
    address: str | None = None,
) -> None:
    """Mark exact and near duplicates in the manifest, computing groups and clusters on Ray.

    Joins the Ray runtime of this process, or starts (and afterwards stops) one at
    ``address`` / locally, like :class:`~litcode.curation.executors.ray.RayExecutor`.
    """
    settings = settings or ShuffleSettings()
    manifest.reset_dedup()
    rows = list(manifest.survivors())
    entries = survivor_entries(rows)
    with closing(RayExecutor(address=address)) as runtime:
        runtime.connect()
        ray = import_ray()
        if config.exact_dedup and rows:
            duplicates = exact_duplicates(ray.data.from_arrow(survivors_table(rows)), settings)
            record_exact_duplicates(manifest, duplicates, entries)
        if not config.near_dedup or len(entries) < 2:
            return
        deduplicator = near_deduplicator(config)
        staged = [staging.read(batch_index, columns=["sample_id", "signature"]) for batch_index in batches]
        signatures = ray.data.from_arrow([table for table in staged if table.num_rows])
        root_of = connected_components(
            verified_edges(signatures, entries.keys(), deduplicator, settings), settings
        )
    record_near_duplicates(manifest, root_of, entries)
