"""Exact then near dedup over every sample that survived the per-sample checks.

Dedup needs all survivors at once, so it runs in the main process after the
batches: exact groups come from the manifest's content hashes, near-duplicate
clusters from the MinHash signatures parked in staging. Within a group the
kept sample is the best by (highest quality score, most stars, path order),
so the outcome does not depend on batch or worker order.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping

from litcode.curation.config import CurationConfig
from litcode.curation.manifest import Manifest, SurvivorRow
from litcode.curation.staging import SurvivorStaging
from litcode.dedup import (
    MINHASH_SEED,
    DedupEntry,
    ExactDeduplicator,
    MinHashDeduplicator,
    choose_kept,
    rank_key,
)

#: ``stage(manifest, staging, config, batches)``: marks duplicates in the manifest.
DedupStage = Callable[[Manifest, SurvivorStaging, CurationConfig, list[int]], None]


def run_dedup(
    manifest: Manifest, staging: SurvivorStaging, config: CurationConfig, batches: list[int]
) -> None:
    """Mark exact and near duplicates in the manifest (idempotent: earlier dedup marks are reset first)."""
    manifest.reset_dedup()
    entries = survivor_entries(manifest.survivors())
    if config.exact_dedup:
        record_exact_duplicates(manifest, ExactDeduplicator().find_duplicates(entries.values()), entries)
    if not config.near_dedup or len(entries) < 2:
        return
    deduplicator = near_deduplicator(config)
    index = deduplicator.new_index()
    for batch_index in batches:
        ids, signatures = staging.signatures(batch_index, entries)
        if ids:
            index.add(ids, signatures)
    record_near_duplicates(manifest, index.clusters(), entries)


def survivor_entries(rows: Iterable[SurvivorRow]) -> dict[str, DedupEntry]:
    """Sample id -> :class:`DedupEntry` of each :meth:`Manifest.survivors` row (unscored ranks as 0)."""
    return {
        sample_id: DedupEntry(sample_id, digest, quality_score=score or 0.0, stars=stars, path=path)
        for sample_id, digest, score, stars, path in rows
    }


def record_exact_duplicates(
    manifest: Manifest, duplicate_of: Mapping[str, str], entries: dict[str, DedupEntry]
) -> None:
    """Drop each exact duplicate in the manifest and from ``entries`` (near dedup sees only the rest)."""
    manifest.record_duplicates("exact_duplicate", dict(duplicate_of))
    for sample_id in duplicate_of:
        del entries[sample_id]


def near_deduplicator(config: CurationConfig) -> MinHashDeduplicator:
    """The MinHash settings the workers' staged signatures were made with."""
    return MinHashDeduplicator(
        num_perm=config.num_perm,
        threshold=config.near_dedup_threshold,
        shingle_size=config.shingle_size,
        seed=MINHASH_SEED,
    )


def record_near_duplicates(
    manifest: Manifest, cluster_of: Mapping[str, Hashable], entries: Mapping[str, DedupEntry]
) -> None:
    """Number clusters 1, 2, ... in the order of their best member, keep the best of each, record both.

    ``cluster_of`` maps a sample to any cluster label (a local index id, a Ray component root);
    the numbering depends only on the members, so every dedup path reports the same clusters.
    """
    members: dict[Hashable, list[str]] = {}
    for sample_id, cluster in cluster_of.items():
        members.setdefault(cluster, []).append(sample_id)
    ordered = sorted(members.values(), key=lambda group: min(rank_key(entries[member]) for member in group))
    renumbered = {member: number for number, group in enumerate(ordered, start=1) for member in group}
    dropped = choose_kept(renumbered, entries)
    manifest.record_clusters(renumbered)
    manifest.record_duplicates(
        "near_duplicate", {sample_id: kept for sample_id, (_, kept) in dropped.items()}
    )
