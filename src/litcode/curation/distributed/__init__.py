"""Dedup as Ray Data operations, for corpora whose survivors do not fit one machine's dedup stage.

- :func:`exact_duplicates` — hash partitioning: group survivors by content hash.
- :func:`verified_edges` — LSH band keys as rows, grouped by key; each bucket's
  candidate pairs verified on their signatures.
- :func:`connected_components` — large-star / small-star rounds over the edge list.
- :func:`run_ray_dedup` — the three together, a drop-in for the local dedup stage
  (:func:`litcode.curation.dedup_stage.run_dedup`) with the same clusters and kept choice.

Ray is optional: importing this package needs it (``pip install 'litcode[ray]'``).
"""

from __future__ import annotations

from litcode.curation.distributed.components import connected_components
from litcode.curation.distributed.exact_groups import exact_duplicates
from litcode.curation.distributed.lsh_buckets import verified_edges
from litcode.curation.distributed.ray_dedup import run_ray_dedup
from litcode.curation.distributed.shuffle import ShuffleSettings

__all__ = ["ShuffleSettings", "connected_components", "exact_duplicates", "run_ray_dedup", "verified_edges"]
