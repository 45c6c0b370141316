"""A text that is one template word for word, its copyright lines aside, needs no matching.

Most license files are a license's own text under the project's copyright line: the MIT,
Apache-2.0 and BSD texts as the SPDX list and LicenseDB print them. One dictionary lookup
of the text's key (:mod:`.verbatim_keys`, copyright lines left out of template and text
alike) names those at once; anything else (a changed word, two licenses, a notice inside
code) goes through the matcher. A copy is only taken when every template with that key
names the same license, and none is a false-positive rule.

>>> from litcode.scanning.licenses.dataset import license_text
>>> copy = verbatim_match("Copyright (c) 2024 Ada\\n\\n" + license_text("MIT"))
>>> copy.expression, copy.kind
('MIT', 'text')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from litcode.scanning.licenses.dataset import KINDS
from litcode.scanning.licenses.index import VERBATIM_MIN_TOKENS, IntArray, LicenseIndex, license_index, tokens
from litcode.scanning.licenses.verbatim_keys import copyright_line_spans, key_of


@dataclass(frozen=True)
class VerbatimMatch:
    """The template a text copies: its expression, kind and index."""

    expression: str
    kind: str
    template: int


def verbatim_match(
    text: str, index: LicenseIndex | None = None, ids: IntArray | None = None
) -> VerbatimMatch | None:
    """The template ``text`` copies word for word once copyright lines are left out, or None.

    ``ids``: the text's token ids when the caller has them (saves a tokenization).
    """
    index = index or license_index()
    by_key, lengths, longest = _table(index)
    if ids is None:
        ids = index.encode(text)
    if len(ids) < VERBATIM_MIN_TOKENS or len(ids) > longest + _HOLDER_TOKENS:
        return None  # too short to key, or longer than any template and its holders' lines
    spans = copyright_line_spans(text)
    dropped = [len(tokens(text[start:end])) for start, end in spans]
    if len(ids) - sum(dropped) not in lengths:
        return None  # no template has as many words
    body_ids = _without_spans(text, ids, spans, dropped) if spans else ids
    if bool((body_ids < 0).any()):
        return None  # a word no template holds: no template is this text
    template = by_key.get(key_of(body_ids), -1)
    if template < 0:
        return None
    return VerbatimMatch(index.expressions[template], KINDS[index.kinds[template]], template)


# Tokens a copy's holders' lines may add to its template's: far more than a LICENSE file's.
_HOLDER_TOKENS = 2_000


def _without_spans(text: str, ids: IntArray, spans: list[tuple[int, int]], dropped: list[int]) -> IntArray:
    """``ids`` less the tokens of the lines ``spans`` (``dropped[i]`` tokens each): tokens never
    cross a line, so a line's tokens start where the tokens before it end."""
    keep = np.ones(len(ids), dtype=np.bool_)
    position = last = 0
    for (start, end), count in zip(spans, dropped, strict=True):
        position += len(tokens(text[last:start]))
        keep[position : position + count] = False
        position += count
        last = end
    return ids[keep]


_TABLES: dict[int, tuple[LicenseIndex, tuple[dict[int, int], frozenset[int], int]]] = {}


def _table(index: LicenseIndex) -> tuple[dict[int, int], frozenset[int], int]:
    """Template by key (-1 where templates of different licenses, or a false-positive rule,
    share it), the token counts keyed templates have once copyright lines are left out, and the
    largest of them; built once per index."""
    cached = _TABLES.get(id(index))
    if cached is not None and cached[0] is index:
        return cached[1]
    by_key: dict[int, int] = {}
    keyed = np.flatnonzero(np.asarray(index.verbatim_keys) != 0)
    for template, key in zip(keyed.tolist(), np.asarray(index.verbatim_keys)[keyed].tolist(), strict=True):
        held = by_key.setdefault(key, template)
        expression = index.expressions[template]
        if not expression or (held != template and (held < 0 or index.expressions[held] != expression)):
            by_key[key] = -1
    lengths = frozenset(np.asarray(index.verbatim_lengths)[keyed].tolist())
    table = (by_key, lengths, max(lengths, default=0))
    _TABLES[id(index)] = (index, table)
    return table
