"""MinHash signatures as bytes, so they can be staged on disk or sent between processes and machines.

Whoever signs and whoever clusters must agree on the permutations (the seed) and on
the encoding; both live here, next to the hasher, so a worker, the local dedup stage
and its Ray Data twin cannot drift apart.
"""

from __future__ import annotations

import numpy as np

from litcode.dedup.shingles import UInt32Array

#: Signatures travel as little-endian uint32 bytes (the :class:`~litcode.dedup.MinHasher` width).
SIGNATURE_DTYPE = "<u4"
#: The seed curation signs and clusters with; signatures made with another seed are not comparable.
MINHASH_SEED = 1


def signatures_to_bytes(signatures: UInt32Array) -> list[bytes]:
    """One ``bytes`` value per row of an ``(n, num_perm)`` signature matrix.

    >>> rows = signatures_to_bytes(np.array([[1, 2], [3, 4]], dtype=np.uint32))
    >>> rows[0], signatures_from_bytes(rows).tolist()
    (b'\\x01\\x00\\x00\\x00\\x02\\x00\\x00\\x00', [[1, 2], [3, 4]])
    """
    matrix = np.asarray(signatures).astype(SIGNATURE_DTYPE, copy=False)
    return [row.tobytes() for row in matrix]


def signatures_from_bytes(rows: list[bytes]) -> UInt32Array:
    """The ``(n, num_perm)`` uint32 matrix of rows from :func:`signatures_to_bytes` (``(0, 0)``: none)."""
    if not rows:
        return np.empty((0, 0), dtype=np.uint32)
    return np.frombuffer(b"".join(rows), dtype=SIGNATURE_DTYPE).reshape(len(rows), -1).astype(np.uint32)
