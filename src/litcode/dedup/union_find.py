"""Union-find over row indices: near-duplicate pairs -> clusters (connected components).

Array-backed with union by size and path halving. Clusters are numbered by their
smallest member, so the numbering depends only on which rows are linked, not on the
order the links arrive in.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


class UnionFind:
    """Disjoint sets over ``0..size-1``.

    >>> sets = UnionFind(5)
    >>> sets.union(0, 1); sets.union(3, 1)
    >>> sets.connected(0, 3), sets.connected(0, 2)
    (True, False)
    >>> sets.labels().tolist()
    [0, 0, -1, 0, -1]
    """

    def __init__(self, size: int) -> None:
        if size < 0:
            raise ValueError(f"size must be >= 0, got {size}")
        self._parent = list(range(size))
        self._size = [1] * size

    def __len__(self) -> int:
        return len(self._parent)

    def find(self, item: int) -> int:
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, first: int, second: int) -> None:
        root_first, root_second = self.find(first), self.find(second)
        if root_first == root_second:
            return
        if self._size[root_first] < self._size[root_second]:
            root_first, root_second = root_second, root_first
        self._parent[root_second] = root_first
        self._size[root_first] += self._size[root_second]

    def union_pairs(self, firsts: npt.ArrayLike, seconds: npt.ArrayLike) -> None:
        for first, second in zip(np.asarray(firsts).tolist(), np.asarray(seconds).tolist(), strict=True):
            self.union(first, second)

    def connected(self, first: int, second: int) -> bool:
        return self.find(first) == self.find(second)

    def labels(self) -> npt.NDArray[np.int64]:
        """Cluster number per item: 0, 1, ... by smallest member; -1 for singletons."""
        roots = np.array(
            [item if parent == item else self.find(item) for item, parent in enumerate(self._parent)],
            dtype=np.int64,
        )
        if roots.size == 0:
            return roots
        _, first_index, inverse, counts = np.unique(
            roots, return_index=True, return_inverse=True, return_counts=True
        )
        # Number the multi-member components in order of their smallest member.
        multi = counts > 1
        order = np.argsort(first_index[multi], kind="stable")
        number = np.full(counts.size, -1, dtype=np.int64)
        number[np.flatnonzero(multi)[order]] = np.arange(order.size)
        return number[inverse]
