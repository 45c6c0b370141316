"""The special tokens code LMs are trained with, by name, and their ids in one tokenizer.

The strings are StarCoder2's: ``<|endoftext|>`` ends a document; ``<fim_prefix>``, ``<fim_suffix>``,
``<fim_middle>`` mark the three parts of a fill-in-the-middle example (``<fim_pad>`` is reserved for
padding a FIM example to a fixed length; litcode packs documents back to back and never pads);
``<repo_name>`` and ``<file_sep>`` lay out a repository-level document. Each is one token id, never
spelled out in bytes, so a file that *contains* the text ``<fim_prefix>`` cannot forge one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

END_OF_TEXT = "<|endoftext|>"
FIM_PREFIX = "<fim_prefix>"
FIM_MIDDLE = "<fim_middle>"
FIM_SUFFIX = "<fim_suffix>"
FIM_PAD = "<fim_pad>"
REPO_NAME = "<repo_name>"
FILE_SEP = "<file_sep>"

# Order fixes the byte tokenizer's ids (256, 257, ...) and a trained BPE's reserved ids (0, 1, ...).
SPECIAL_TOKENS: tuple[str, ...] = (
    END_OF_TEXT,
    FIM_PREFIX,
    FIM_MIDDLE,
    FIM_SUFFIX,
    FIM_PAD,
    REPO_NAME,
    FILE_SEP,
)


@dataclass(frozen=True)
class SpecialTokenIds:
    """The id of each special token in one tokenizer: what packing and FIM splice between text.

    >>> ids = SpecialTokenIds.from_mapping(dict(zip(SPECIAL_TOKENS, range(256, 263))))
    >>> ids.fim_prefix, ids.as_dict()[FILE_SEP]
    (257, 262)
    """

    end_of_text: int
    fim_prefix: int
    fim_middle: int
    fim_suffix: int
    fim_pad: int
    repo_name: int
    file_sep: int

    @classmethod
    def from_mapping(cls, ids: Mapping[str, int]) -> SpecialTokenIds:
        missing = [token for token in SPECIAL_TOKENS if token not in ids]
        if missing:
            raise ValueError(f"the tokenizer has no id for the special token(s) {missing}")
        return cls(*(int(ids[token]) for token in SPECIAL_TOKENS))

    def as_dict(self) -> dict[str, int]:
        """Token string -> id, in :data:`SPECIAL_TOKENS` order."""
        return dict(zip(SPECIAL_TOKENS, asdict(self).values(), strict=True))

    @property
    def fim_sentinels(self) -> tuple[int, int, int]:
        """``(prefix, suffix, middle)`` ids: the tokens that mark a FIM example's parts."""
        return (self.fim_prefix, self.fim_suffix, self.fim_middle)
