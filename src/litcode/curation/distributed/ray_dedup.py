"""The dedup stage on Ray Data: the same decisions as :func:`litcode.curation.dedup_stage.run_dedup`.

Ray Data reads the staged survivors (id, content hash, rank facts, signature) from
the shared output directory. Exact dedup partitions them by content hash; the rows
each group keeps go on, signatures and all, to near dedup: LSH band keys grouped by
key, each bucket's pairs verified, then distributed connected components. The
workers write the decisions as Parquet (``.staging/dedup/``) and the driver streams
them into SQLite (:mod:`~litcode.curation.distributed.decisions`): it holds the list
of staged files and one record batch at a time, never a map of samples. Cluster
numbering and the kept choice are the local stage's rule.
"""

from __future__ import annotations

import shutil
from contextlib import closing

from litcode.curation.config import CurationConfig
from litcode.curation.dedup_stage import near_deduplicator
from litcode.curation.distributed.components import component_roots
from litcode.curation.distributed.decisions import apply_exact_duplicates, apply_near_clusters
from litcode.curation.distributed.exact_groups import duplicates_only, mark_exact_groups, unique_only
from litcode.curation.distributed.lsh_buckets import verified_edges
from litcode.curation.distributed.shuffle import ShuffleSettings, ray_data_context
from litcode.curation.executors.ray import RayExecutor, import_ray
from litcode.curation.manifest import Manifest
from litcode.curation.staging import SurvivorStaging

#: What dedup reads of each staged survivor (never its content).
DEDUP_COLUMNS = ["sample_id", "content_hash", "quality_score", "stars", "path", "signature"]


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
    Staged files must be readable from every node (a shared filesystem).
    """
    settings = settings or ShuffleSettings()
    manifest.reset_dedup()
    decisions = staging.directory / "dedup"
    shutil.rmtree(decisions, ignore_errors=True)
    files = [str(staging.path(batch_index)) for batch_index in batches]
    if not files or not (config.exact_dedup or config.near_dedup):
        return
    with closing(RayExecutor(address=address)) as runtime, ray_data_context(settings):
        runtime.connect()
        survivors = import_ray().data.read_parquet(files).select_columns(DEDUP_COLUMNS)
        if config.exact_dedup:
            marked = mark_exact_groups(survivors, settings)
            marked.map_batches(duplicates_only, batch_format="pyarrow").write_parquet(
                str(decisions / "exact")
            )
            signatures = marked.map_batches(unique_only, batch_format="pyarrow")
        else:
            signatures = survivors.select_columns(["sample_id", "signature"])
        apply_exact_duplicates(manifest, decisions / "exact")
        if not config.near_dedup:
            return
        edges = verified_edges(signatures, None, near_deduplicator(config), settings)
        roots = component_roots(edges, settings)
        if roots is not None:
            roots.write_parquet(str(decisions / "near"))
    apply_near_clusters(manifest, decisions / "near")
