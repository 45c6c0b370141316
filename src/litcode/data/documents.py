"""Training documents as text with special tokens between the text, and their encoding to ids.

A :class:`Document` is a tuple of pieces: ``str`` text, or a :class:`Special` token named by its
string (``Special("<file_sep>")``). Keeping specials out of the text means they can never be forged
by a file's content and never cut by a character-level FIM split; the tokenizer only ever sees text,
and :class:`DocumentEncoder` splices the special ids in between, all texts of a batch in one
``encode_batch`` call.

The two layouts (DESIGN ``litcode.data``):

- a file: its content, as curated;
- a repository (``repo_level=True``, StarCoder2's): ``<repo_name>`` name, then for each file in path
  order ``<file_sep>`` path, a newline, the content.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from litcode.data.special_tokens import FILE_SEP, REPO_NAME
from litcode.data.tokenizers import Tokenizer


@dataclass(frozen=True)
class Special:
    """One special token inside a document, by its string (``"<fim_prefix>"``)."""

    token: str


Piece = str | Special


@dataclass(frozen=True)
class Document:
    """One training document: ``id`` fixes its FIM draw, ``repo`` its side of the split.

    >>> Document.of_file("json/tool.py", "json", "import json\\n").text()
    'import json\\n'
    """

    id: str
    repo: str
    pieces: tuple[Piece, ...]
    #: the file's language; a repository's is the language most of its bytes are in.
    language: str | None = None

    @classmethod
    def of_file(cls, sample_id: str, repo: str, content: str, language: str | None = None) -> Document:
        return cls(sample_id, repo, (content,), language)

    @classmethod
    def of_repository(
        cls, repo: str, files: Iterable[tuple[str, str]], language: str | None = None
    ) -> Document:
        """``files`` as ``(path, content)``; they are laid out in path order whatever order they come in.

        >>> doc = Document.of_repository("demo", [("b.py", "B"), ("a.py", "A")])
        >>> doc.text()
        '<repo_name>demo<file_sep>a.py\\nA<file_sep>b.py\\nB'
        """
        pieces: list[Piece] = [Special(REPO_NAME), repo]
        for path, content in sorted(files, key=lambda file: file[0]):
            pieces += [Special(FILE_SEP), f"{path}\n{content}"]
        return cls(repo, repo, tuple(pieces), language)

    def text(self) -> str:
        """The document as one string, specials spelled out (for reading, never for encoding)."""
        return "".join(piece.token if isinstance(piece, Special) else piece for piece in self.pieces)

    def text_length(self) -> int:
        """Characters of text (specials excluded): the range a FIM split point is drawn from."""
        return sum(len(piece) for piece in self.pieces if isinstance(piece, str))


def split_pieces(pieces: Sequence[Piece], at: int) -> tuple[list[Piece], list[Piece]]:
    """Cut ``pieces`` after ``at`` characters of text; a special at the cut goes to the right side.

    >>> split_pieces(["abc", Special("<file_sep>"), "de"], 3)
    (['abc'], [Special(token='<file_sep>'), 'de'])
    >>> split_pieces(["abc", "de"], 1)
    (['a'], ['bc', 'de'])
    """
    left: list[Piece] = []
    right: list[Piece] = []
    offset = 0
    for piece in pieces:
        if isinstance(piece, Special):
            (left if offset < at else right).append(piece)
            continue
        end = offset + len(piece)
        if end <= at:
            left.append(piece)
        elif offset >= at:
            right.append(piece)
        else:
            left.append(piece[: at - offset])
            right.append(piece[at - offset :])
        offset = end
    return left, right


class DocumentEncoder:
    """Pieces to token ids: one ``encode_batch`` over every text of a batch, special ids spliced in.

    >>> from litcode.data.tokenizers import ByteTokenizer
    >>> encoder = DocumentEncoder(ByteTokenizer())
    >>> encoder.encode([("hi", Special("<file_sep>"), "!")])[0].tolist()
    [104, 105, 262, 33]
    """

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.special_ids = tokenizer.special_tokens

    def encode(self, documents: Sequence[Sequence[Piece]]) -> list[np.ndarray]:
        texts = [piece for pieces in documents for piece in pieces if isinstance(piece, str)]
        encoded = self.tokenizer.encode_batch(texts) if texts else []
        # Special ids in the texts' own dtype: an int64 id would widen the whole document.
        dtype = encoded[0].dtype if encoded else np.dtype(np.uint32)
        specials = {token: np.array([token_id], dtype=dtype) for token, token_id in self.special_ids.items()}
        arrays_of_texts = iter(encoded)
        out: list[np.ndarray] = []
        for pieces in documents:
            if len(pieces) == 1 and isinstance(pieces[0], str):
                out.append(next(arrays_of_texts))  # a plain file: no copy
                continue
            arrays = [
                specials[piece.token] if isinstance(piece, Special) else next(arrays_of_texts)
                for piece in pieces
            ]
            out.append(np.concatenate(arrays) if arrays else np.empty(0, dtype=dtype))
        return out
