"""Named near-dedup settings from published code corpora, so a run can match theirs exactly.

- ``"litcode"`` — this package's default: Jaccard 0.85, word 5-grams, 256 permutations,
  bands x rows chosen so a pair at 0.85 collides with probability >= 0.99 (25 x 10),
  candidates verified on the full signature.
- ``"bigcode"`` — The Stack / StarCoder's near dedup (bigcode-dataset ``minhash_deduplication``):
  Jaccard 0.7, 5-grams, 256 permutations; here banded 42 x 6 (:func:`~litcode.dedup.lsh.bands_rows_for_recall`
  picks it) and verified, so a pair at 0.7 becomes a candidate with probability >= 0.99.
- ``"datatrove"`` — datatrove's ``MinhashConfig`` default: 5-grams, 14 buckets x 8 hashes
  (112 values), no verification; its S-curve crosses 0.5 near Jaccard 0.7 and reaches
  0.99 only near 0.9 (see :func:`s_curve`).

>>> preset = NEAR_DEDUP_PRESETS["bigcode"]
>>> dedup = preset.deduplicator()
>>> (dedup.threshold, dedup.hasher.shingle_size, dedup.num_perm)
(0.7, 5, 256)
>>> NEAR_DEDUP_PRESETS["datatrove"].deduplicator().bands, NEAR_DEDUP_PRESETS["datatrove"].deduplicator().rows
(14, 8)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from litcode.dedup.lsh import bands_rows_for_recall, collision_probability
from litcode.dedup.near import MinHashDeduplicator


@dataclass(frozen=True)
class NearDedupPreset:
    """One named near-dedup setting; :meth:`deduplicator` builds it.

    ``bands``/``rows`` None: the default of :class:`~litcode.dedup.near.MinHashDeduplicator`
    (verified: :func:`~litcode.dedup.lsh.bands_rows_for_recall`, >= 0.99 at the threshold).
    """

    name: str
    threshold: float
    shingle_size: int
    num_perm: int
    bands: int | None = None
    rows: int | None = None
    verify: bool = True
    origin: str = ""

    def deduplicator(self) -> MinHashDeduplicator:
        return MinHashDeduplicator(
            num_perm=self.num_perm,
            threshold=self.threshold,
            shingle_size=self.shingle_size,
            bands=self.bands,
            rows=self.rows,
            verify=self.verify,
        )


NEAR_DEDUP_PRESETS: dict[str, NearDedupPreset] = {
    preset.name: preset
    for preset in (
        NearDedupPreset("litcode", 0.85, 5, 256, origin="litcode default"),
        # BigCode's script bands by datasketch's equal-weight optimum (32 x 8: only 0.85 of the
        # pairs at exactly 0.7 collide); verified candidates let this one favour recall instead.
        NearDedupPreset(
            "bigcode",
            0.7,
            5,
            256,
            *bands_rows_for_recall(0.7, 256),
            origin="bigcode-dataset minhash_deduplication",
        ),
        # datatrove clusters every bucket collision; 0.72 ~ (1/14) ** (1/8), the curve's midpoint.
        NearDedupPreset("datatrove", 0.72, 5, 112, 14, 8, verify=False, origin="datatrove MinhashConfig"),
    )
}


def s_curve(preset: NearDedupPreset, similarities: Sequence[float]) -> list[float]:
    """Probability that a pair of each true Jaccard ``similarities`` becomes an LSH candidate.

    >>> [round(p, 3) for p in s_curve(NEAR_DEDUP_PRESETS["datatrove"], [0.5, 0.7, 0.9])]
    [0.053, 0.565, 1.0]
    """
    dedup = preset.deduplicator()
    return [float(p) for p in collision_probability(list(similarities), dedup.bands, dedup.rows)]
