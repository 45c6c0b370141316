"""Dedup on Ray Data: the same duplicates, clusters and kept choice as the local dedup stage."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest
from ray_corpus import manifest_rows

from litcode.curation import CurationResult
from litcode.dedup import DedupEntry, ExactDeduplicator, UnionFind

pytestmark = pytest.mark.ray


def edges_dataset(ray, pairs: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    return ray.data.from_arrow(pa.table({"a": [a for a, _ in pairs], "b": [b for _, b in pairs]}))


def groups(assignment: dict[str, object]) -> set[frozenset[str]]:
    members: dict[object, set[str]] = {}
    for node, label in assignment.items():
        members.setdefault(label, set()).add(node)
    return {frozenset(group) for group in members.values()}


@pytest.mark.slow
def test_components_match_union_find_and_name_the_smallest_id(ray_cluster) -> None:  # type: ignore[no-untyped-def]
    from litcode.curation.distributed import connected_components

    # A path whose edges point both ways and arrive shuffled needs several rounds; plus a random forest.
    path = [("n3", "n2"), ("n5", "n6"), ("n1", "n2"), ("n4", "n5"), ("n3", "n4"), ("n0", "n1")]
    generator = random.Random(7)
    nodes = [f"s{number:02d}" for number in range(40)]
    pairs = path + [tuple(generator.sample(nodes, 2)) for _ in range(30)]
    everything = [f"n{number}" for number in range(7)] + nodes
    sets = UnionFind(len(everything))
    for first, second in pairs:
        sets.union(everything.index(first), everything.index(second))
    labels = sets.labels().tolist()
    expected = {node: label for node, label in zip(everything, labels, strict=True) if label >= 0}
    roots = connected_components(edges_dataset(ray_cluster, pairs))  # type: ignore[arg-type]
    assert groups(roots) == groups(expected)  # type: ignore[arg-type]
    assert all(root == min(group) for group in groups(roots) for root in {roots[node] for node in group})
    assert {roots[f"n{number}"] for number in range(7)} == {"n0"}


def test_no_edges_means_no_components(ray_cluster) -> None:  # type: ignore[no-untyped-def]
    from litcode.curation.distributed import connected_components

    assert connected_components(edges_dataset(ray_cluster, [])) == {}


@pytest.mark.slow
def test_exact_groups_keep_what_the_local_deduplicator_keeps(ray_cluster) -> None:  # type: ignore[no-untyped-def]
    from litcode.curation.distributed import exact_duplicates
    from litcode.curation.distributed.exact_groups import survivors_table

    rows = [  # ties on score fall to stars, then path, then id
        ("a", "h1", 0.5, None, "x/a.py"), ("b", "h1", 0.9, 1, "x/b.py"), ("c", "h1", 0.9, 4, "x/c.py"),
        ("d", "h2", 0.7, 2, "z.py"), ("e", "h2", 0.7, 2, "y.py"), ("f", "h3", None, None, None),
        ("g", "h3", None, None, None), ("h", "h4", 0.1, None, "solo.py"),
    ]  # fmt: skip
    entries = [
        DedupEntry(sample_id, digest, quality_score=score or 0.0, stars=stars, path=path)
        for sample_id, digest, score, stars, path in rows
    ]
    found = exact_duplicates(ray_cluster.data.from_arrow(survivors_table(rows)))
    assert found == ExactDeduplicator().find_duplicates(entries)
    assert found == {"a": "c", "b": "c", "d": "e", "g": "f"}


@pytest.mark.slow
def test_ray_data_dedup_writes_the_same_manifest_as_the_local_stage(
    local_run: CurationResult, ray_dedup_run: CurationResult
) -> None:
    assert manifest_rows(ray_dedup_run.output_dir) == manifest_rows(local_run.output_dir)
    assert ray_dedup_run.dropped_by_reason["near_duplicate"] >= 3
