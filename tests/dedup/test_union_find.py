from __future__ import annotations

import pytest

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
