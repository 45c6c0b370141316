"""Per-language sampling weights for the train split, set the way StarCoder sets its data mix.

A weight is how many times, on average, each training document of that language is packed:
``2.0`` repeats every document twice (upsampling a small language), ``0.5`` keeps a
deterministic half (thinning a large one), ``0`` leaves the language out. The fractional part
is a per-document draw, a hash of the seed and the document id, so a rebuilt cache packs the
same documents. Languages the mapping does not name weigh ``"*"``'s weight, 1.0 without it.
Validation is never resampled: it measures the natural distribution.

>>> mix = LanguageMix({"Python": 2.0, "c": 0.0})
>>> mix.copies("json/tool.py", "python"), mix.copies("lib/x.c", "c"), mix.copies("a.rs", "rust")
(2, 0, 1)
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import xxhash

from litcode.quality.languages import normalize_language

DEFAULT_KEY = "*"
_UNIT = 1.0 / 2.0**64


class LanguageMix:
    """How many copies of each training document to pack, by its language."""

    def __init__(self, weights: Mapping[str, float] | None = None, seed: int = 0) -> None:
        self.weights: dict[str, float] = {}
        self.default = 1.0
        for name, weight in (weights or {}).items():
            value = float(weight)
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"language_weights[{name!r}] must be a finite number >= 0, got {weight!r}")
            if name.strip() == DEFAULT_KEY:
                self.default = value
            else:
                self.weights[normalize_language(name) or name] = value
        self.seed = seed

    @property
    def is_identity(self) -> bool:
        """True when every document is packed once (no weights, or all of them 1)."""
        return self.default == 1.0 and all(weight == 1.0 for weight in self.weights.values())

    def weight(self, language: str | None) -> float:
        return self.weights.get(normalize_language(language) or "", self.default)

    def copies(self, document_id: str, language: str | None) -> int:
        """Copies of one document: the weight's whole part, plus one with its fractional part's odds."""
        weight = self.weight(language)
        whole = math.floor(weight)
        fraction = weight - whole
        if fraction == 0.0:
            return whole
        key = f"{self.seed}\x00mix\x00{document_id}".encode("utf-8", "surrogatepass")
        draw = xxhash.xxh3_64_intdigest(key)
        return whole + (draw * _UNIT < fraction)

    def identity(self) -> dict[str, float] | None:
        """The weights as they enter the cache fingerprint (None when they change nothing)."""
        if self.is_identity:
            return None
        return {**dict(sorted(self.weights.items())), DEFAULT_KEY: self.default}
