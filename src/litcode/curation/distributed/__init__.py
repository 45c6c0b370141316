"""Dedup as Ray Data operations, for corpora whose survivors do not fit one machine's dedup stage.

- :func:`exact_duplicates` — hash partitioning: group survivors by content hash.
- :func:`verified_edges` — LSH band keys as rows, grouped by key; each bucket's
  candidate pairs verified on their signatures.
- :func:`connected_components` — large-star / small-star rounds over the edge list.
- :func:`run_ray_dedup` — the three together, a drop-in for the local dedup stage
  (:func:`litcode.curation.dedup_stage.run_dedup`) with the same clusters and kept choice,
  its decisions written by the workers and streamed into the manifest.
- :class:`WorkerSink` — batch tasks write their own staging and manifest parts
  (:func:`index_parts` streams those into SQLite); :func:`write_kept_shards_on_ray` —
  the kept shards as Ray tasks. With ``distributed_dedup=True`` the driver only coordinates.

Ray is optional: importing this package needs it (``pip install 'litcode[ray]'``).
"""

from __future__ import annotations

from litcode.curation.distributed.components import component_roots, connected_components
from litcode.curation.distributed.exact_groups import exact_duplicates, mark_exact_groups
from litcode.curation.distributed.kept_tasks import write_kept_shards_on_ray
from litcode.curation.distributed.lsh_buckets import verified_edges
from litcode.curation.distributed.manifest_parts import ManifestParts, index_parts
from litcode.curation.distributed.ray_dedup import run_ray_dedup
from litcode.curation.distributed.shuffle import ShuffleSettings
from litcode.curation.distributed.worker_sink import WorkerSink

__all__ = [
    "ManifestParts",
    "ShuffleSettings",
    "WorkerSink",
    "component_roots",
    "connected_components",
    "exact_duplicates",
    "index_parts",
    "mark_exact_groups",
    "run_ray_dedup",
    "verified_edges",
    "write_kept_shards_on_ray",
]
