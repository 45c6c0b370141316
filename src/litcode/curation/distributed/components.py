"""Connected components of an edge list on a cluster: alternating large-star and small-star rounds.

The algorithm of Kiveris et al., "Connected Components in MapReduce and Beyond"
(SoCC 2014): each round is two ``groupby(node)`` passes that only ever point
nodes at smaller ids, until every component is a star around its smallest id.
No node's whole component has to fit one worker, and no join is needed.

Convergence is read off the large-star pass, which sees each node's whole
neighbourhood: the graph is a star forest centred on component minima exactly
when every node has either no smaller neighbour (a centre) or one smaller
neighbour and no larger one (a leaf). Each node reports that as a self-loop
status row beside its edges.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from litcode.curation.distributed.lsh_buckets import EDGE_SCHEMA
from litcode.curation.distributed.shuffle import ShuffleSettings, ray_data_context
from litcode.curation.errors import CurationError

LARGE_STAR_SCHEMA = pa.schema([("a", pa.string()), ("b", pa.string()), ("settled", pa.bool_())])


def connected_components(
    edges: Any, settings: ShuffleSettings | None = None, max_rounds: int = 64
) -> dict[str, str]:
    """Node -> smallest node id of its component, for every node of a Ray ``Dataset`` of edges ``(a, b)``.

    >>> import ray, pyarrow as pa  # doctest: +SKIP
    >>> edges = ray.data.from_arrow(pa.table({"a": ["c", "b"], "b": ["b", "a"]}))  # doctest: +SKIP
    >>> connected_components(edges)  # doctest: +SKIP
    {'a': 'a', 'b': 'a', 'c': 'a'}
    """
    settings = settings or ShuffleSettings()
    with ray_data_context(settings):
        forest = _converge(edges, settings.partitions(), max_rounds)
        return {} if forest is None else _smallest_member(forest)


def component_roots(edges: Any, settings: ShuffleSettings | None = None, max_rounds: int = 64) -> Any:
    """A Ray ``Dataset`` of ``(sample_id, root)``: each node of ``edges`` with its component's smallest id.

    The map stays in Ray; a node may appear more than once (always with the same root), or
    the result is None when there are no edges. Call inside :func:`ray_data_context`.
    """
    forest = _converge(edges, (settings or ShuffleSettings()).partitions(), max_rounds)
    return None if forest is None else forest.map_batches(_node_roots, batch_format="pyarrow")


def _converge(edges: Any, partitions: int, max_rounds: int) -> Any:
    """The settled star forest (a materialized edge ``Dataset``), or None without edges."""
    current = edges.materialize()
    if current.count() == 0:
        return None
    for _ in range(max_rounds):
        large = (
            current.map_batches(_both_directions, batch_format="pyarrow")
            .groupby("a", num_partitions=partitions)
            .map_groups(_large_star, batch_format="pyarrow")
            .materialize()
        )
        if large.map_batches(_unsettled_nodes, batch_format="pyarrow").count() == 0:
            return current
        current = (
            large.map_batches(_edges_larger_first, batch_format="pyarrow")
            .groupby("a", num_partitions=partitions)
            .map_groups(_small_star, batch_format="pyarrow")
            .materialize()
        )
    raise CurationError(f"connected components did not converge in {max_rounds} rounds")


def _both_directions(batch: pa.Table) -> pa.Table:
    first, second = batch.column("a"), batch.column("b")
    return pa.table(
        {"a": pa.concat_arrays([first.combine_chunks(), second.combine_chunks()]),
         "b": pa.concat_arrays([second.combine_chunks(), first.combine_chunks()])},
        schema=EDGE_SCHEMA,
    )  # fmt: skip


def _large_star(group: pa.Table) -> pa.Table:
    """Point every larger neighbour at the smallest of the neighbourhood; report whether already a star."""
    node = group.column("a")[0].as_py()
    neighbours = set(group.column("b").to_pylist())
    neighbours.discard(node)
    smallest = min(neighbours | {node})
    larger = sorted(neighbour for neighbour in neighbours if neighbour > node)
    smaller_count = len(neighbours) - len(larger)
    settled = smaller_count == 0 or (smaller_count == 1 and not larger)
    return pa.table(
        {
            "a": [*larger, node],
            "b": [smallest] * len(larger) + [node],
            "settled": [False] * len(larger) + [settled],
        },
        schema=LARGE_STAR_SCHEMA,
    )


def _unsettled_nodes(batch: pa.Table) -> pa.Table:
    status = pc.equal(batch.column("a"), batch.column("b"))
    return batch.filter(pc.and_(status, pc.invert(batch.column("settled"))))


def _edges_larger_first(batch: pa.Table) -> pa.Table:
    edges = batch.filter(pc.not_equal(batch.column("a"), batch.column("b")))
    first, second = edges.column("a"), edges.column("b")
    return pa.table(
        {"a": pc.max_element_wise(first, second), "b": pc.min_element_wise(first, second)}, schema=EDGE_SCHEMA
    )


def _small_star(group: pa.Table) -> pa.Table:
    """Point the node and its smaller neighbours at the smallest of them."""
    node = group.column("a")[0].as_py()
    members = set(group.column("b").to_pylist()) | {node}
    smallest = min(members)
    others = sorted(member for member in members if member != smallest)
    return pa.table({"a": others, "b": [smallest] * len(others)}, schema=EDGE_SCHEMA)


def _node_roots(batch: pa.Table) -> pa.Table:
    """Both ends of each settled edge with its centre, the smaller id of the two."""
    first, second = batch.column("a").combine_chunks(), batch.column("b").combine_chunks()
    centre = pc.min_element_wise(first, second)
    return pa.table(
        {"sample_id": pa.concat_arrays([first, second]), "root": pa.concat_arrays([centre, centre])}
    )


def _smallest_member(star_forest: Any) -> dict[str, str]:
    """In a settled forest every edge joins a leaf to its centre, the smaller id of the two."""
    root: dict[str, str] = {}
    for batch in star_forest.iter_batches(batch_format="pyarrow"):
        for first, second in zip(batch.column("a").to_pylist(), batch.column("b").to_pylist(), strict=True):
            centre = min(first, second)
            root[first] = root[second] = centre
    return root
