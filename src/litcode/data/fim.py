"""Fill-in-the-middle (FIM) examples, StarCoder's way: a character-level split in three, reordered.

With probability ``rate`` a document is cut at two positions drawn uniformly over its characters
into prefix, middle and suffix and emitted in one of two orders (Bavarian et al. 2022, "Efficient
Training of Language Models to Fill in the Middle"; StarCoder's Megatron-LM ``permute``):

- PSM: ``<fim_prefix>`` prefix ``<fim_suffix>`` suffix ``<fim_middle>`` middle
- SPM (with probability ``spm_rate``): ``<fim_prefix><fim_suffix>`` suffix ``<fim_middle>`` prefix middle

The draw is a hash of ``(seed, document id)``, not a stream of random numbers, so a rebuilt cache,
another worker count or a reordered corpus gives every document the same example. It happens
before packing, on one document at a time, so an example never spans a document boundary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import xxhash

from litcode.data.documents import Document, Piece, Special, split_pieces
from litcode.data.special_tokens import FIM_MIDDLE, FIM_PREFIX, FIM_SUFFIX, SpecialTokenIds

_UNIT = 2.0**-32


@dataclass(frozen=True)
class FimChoice:
    """Where one document is cut (``0 <= start <= end <= length``) and in which order it is emitted."""

    start: int
    end: int
    spm: bool


class FillInTheMiddle:
    """Turns a share ``rate`` of documents into FIM examples, ``spm_rate`` of those in SPM order.

    >>> fim = FillInTheMiddle(rate=1.0, spm_rate=0.0, seed=0)
    >>> doc = Document.of_file("a.py", "repo", "def f():\\n    return 1\\n")
    >>> fim.choose(doc.id, doc.text_length())
    FimChoice(start=4, end=11, spm=False)
    >>> "".join(p.token if isinstance(p, Special) else p for p in fim.apply(doc))
    '<fim_prefix>def <fim_suffix>  return 1\\n<fim_middle>f():\\n  '
    """

    def __init__(self, rate: float = 0.5, spm_rate: float = 0.5, seed: int = 0) -> None:
        for name, value in (("fim_rate", rate), ("fim_spm_rate", spm_rate)):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], got {value}")
        self.rate = rate
        self.spm_rate = spm_rate
        self.seed = seed

    def choose(self, document_id: str, length: int) -> FimChoice | None:
        """The FIM draw for one document of ``length`` characters, or None to keep it as it is."""
        if self.rate == 0.0:
            return None
        bits = xxhash.xxh3_128_intdigest(f"{self.seed}\x00{document_id}".encode("utf-8", "surrogatepass"))
        draw, order, first, second = ((bits >> shift) & 0xFFFFFFFF for shift in (0, 32, 64, 96))
        if draw * _UNIT >= self.rate:
            return None
        cut_a, cut_b = (int(u * _UNIT * (length + 1)) for u in (first, second))
        return FimChoice(min(cut_a, cut_b), max(cut_a, cut_b), spm=order * _UNIT < self.spm_rate)

    def apply(self, document: Document) -> tuple[Piece, ...]:
        """The document's pieces, rearranged when its draw says so."""
        choice = self.choose(document.id, document.text_length())
        return document.pieces if choice is None else self.permuted(document, choice)

    def permuted(self, document: Document, choice: FimChoice) -> tuple[Piece, ...]:
        """The document cut at ``choice`` and emitted in PSM or SPM order with the FIM sentinels."""
        return permute(document.pieces, choice)


def permute(pieces: Sequence[Piece], choice: FimChoice) -> tuple[Piece, ...]:
    """Cut ``pieces`` at ``choice`` and emit them in PSM or SPM order with the FIM sentinels."""
    head, suffix = split_pieces(pieces, choice.end)
    prefix, middle = split_pieces(head, choice.start)
    if choice.spm:
        return (Special(FIM_PREFIX), Special(FIM_SUFFIX), *suffix, Special(FIM_MIDDLE), *prefix, *middle)
    return (Special(FIM_PREFIX), *prefix, Special(FIM_SUFFIX), *suffix, Special(FIM_MIDDLE), *middle)


def unpermute(tokens: np.ndarray, ids: SpecialTokenIds) -> np.ndarray:
    """The original token order of one encoded document (FIM example or not), sentinels removed.

    Text never encodes to a sentinel id, so the first ``<fim_suffix>``/``<fim_middle>`` are the
    example's own. For SPM the prefix and the middle sit together, so no boundary is needed.

    >>> ids = SpecialTokenIds(256, 257, 258, 259, 260, 261, 262)
    >>> unpermute(np.array([257, 1, 2, 259, 5, 258, 3, 4]), ids).tolist()  # PSM
    [1, 2, 3, 4, 5]
    >>> unpermute(np.array([257, 259, 5, 258, 1, 2, 3, 4]), ids).tolist()  # SPM
    [1, 2, 3, 4, 5]
    """
    tokens = np.asarray(tokens)
    if tokens.size == 0 or tokens[0] != ids.fim_prefix:
        return tokens
    suffix_at = int(np.flatnonzero(tokens == ids.fim_suffix)[0])
    middle_at = int(np.flatnonzero(tokens == ids.fim_middle)[0])
    if suffix_at == 1:  # SPM
        return np.concatenate([tokens[middle_at + 1 :], tokens[2:middle_at]])
    prefix, suffix, middle = tokens[1:suffix_at], tokens[suffix_at + 1 : middle_at], tokens[middle_at + 1 :]
    return np.concatenate([prefix, middle, suffix])
