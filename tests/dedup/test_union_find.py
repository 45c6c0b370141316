from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litcode.dedup import UnionFind


def test_union_is_transitive():
    sets = UnionFind(4)
    sets.union(0, 1)
    sets.union(1, 2)
    assert sets.connected(0, 2)
    assert not sets.connected(0, 3)


def test_union_of_already_connected_items_changes_nothing():
    sets = UnionFind(3)
    sets.union_pairs([0, 1, 0], [1, 0, 1])
    assert sets.labels().tolist() == [0, 0, -1]


def test_labels_number_clusters_by_smallest_member_and_skip_singletons():
    sets = UnionFind(7)
    sets.union_pairs([6, 5, 1], [4, 6, 3])
    assert sets.labels().tolist() == [-1, 0, -1, 0, 1, 1, 1]


def test_labels_do_not_depend_on_union_order():
    pairs = [(0, 5), (5, 9), (2, 3), (7, 8), (3, 8)]
    forward, backward = UnionFind(10), UnionFind(10)
    forward.union_pairs(*zip(*pairs, strict=True))
    backward.union_pairs(*zip(*[(b, a) for a, b in reversed(pairs)], strict=True))
    assert forward.labels().tolist() == backward.labels().tolist()


def test_long_chain_collapses_into_one_cluster():
    sets = UnionFind(2000)
    sets.union_pairs(range(1999), range(1, 2000))
    assert set(sets.labels().tolist()) == {0}


def test_empty_structure_has_no_labels():
    assert UnionFind(0).labels().size == 0


def test_negative_size_is_rejected():
    with pytest.raises(ValueError, match="size must be >= 0"):
        UnionFind(-1)


pair_lists = st.integers(1, 40).flatmap(
    lambda n: st.tuples(
        st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60)
    )
)


def components_by_search(size: int, pairs: list[tuple[int, int]]) -> list[int]:
    """Reference: cluster number per item by depth-first search, -1 for singletons."""
    neighbours: dict[int, set[int]] = {item: set() for item in range(size)}
    for first, second in pairs:
        neighbours[first].add(second)
        neighbours[second].add(first)
    labels, number = [-1] * size, 0
    seen: set[int] = set()
    for start in range(size):  # ascending, so clusters are numbered by smallest member
        if start in seen:
            continue
        stack, members = [start], {start}
        while stack:
            for following in neighbours[stack.pop()] - members:
                members.add(following)
                stack.append(following)
        seen |= members
        if len(members) > 1:
            for member in members:
                labels[member] = number
            number += 1
    return labels


@settings(max_examples=100, deadline=None)
@given(pair_lists)
def test_labels_match_connected_components_found_by_search(case):
    size, pairs = case
    sets = UnionFind(size)
    for first, second in pairs:
        sets.union(first, second)
    assert sets.labels().tolist() == components_by_search(size, pairs)
