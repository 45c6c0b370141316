"""The normalized views of text that decontamination compares, benchmark side and corpus side alike.

Three views:

* the *compact view* (:func:`compact_view`): ``#`` comments and all whitespace
  removed — BigCode's whitespace normalization taken one step further, so a
  re-indented, re-wrapped or re-spaced (``a, b`` / ``a,b``) copy of a docstring or
  a solution, or one with comments added, is still the same string;
* the *word view* (:func:`word_view`): ``#`` comments removed, then the names
  (identifiers and words) lowercased and joined by single spaces, so word n-grams
  survive reformatting (quotes, brackets, line breaks) and added comments;
* the *shape view* (:func:`shape_view`): the compact view with every name that is
  not a Python keyword or builtin replaced by ``_``, so a solution whose
  variables were renamed keeps its shape.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat

_KEPT_NAMES = {name: name for name in (*keyword.kwlist, *dir(builtins)) if not name.startswith("_")}
_NAME_SPLIT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)")
# A ``#`` comment to the end of its line (Python, shell, YAML...). Applied to both
# sides alike, so a ``#`` inside a string literal costs nothing but a few words.
_HASH_COMMENT = re.compile(r"#[^\n]*")
# Numbers spelled out are as generic as digits ("zero 0 one 1 two 2 ..." tables are everywhere).
_NUMBER_WORDS = frozenset(
    ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
     "twelve", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
)  # fmt: skip
_TRIPLE_QUOTED = re.compile(r'"""(.*?)"""|\'\'\'(.*?)\'\'\'', re.DOTALL)


def normalize_whitespace(text: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends.

    >>> normalize_whitespace("  def f():\\n\\t    return 1\\n")
    'def f(): return 1'
    """
    return " ".join(text.split())


@dataclass(frozen=True)
class TextViews:
    """The three views of one text, computed together (one comment pass, one name split)."""

    compact: str
    shape: str
    words: str


def text_views(text: str) -> TextViews:
    """All views of ``text``: what the index matches a file by, and builds its patterns from.

    >>> views = text_views("for k, v in sorted(items):  # each\\n    out.append(v + 1)\\n")
    >>> views.compact
    'fork,vinsorted(items):out.append(v+1)'
    >>> views.shape
    'for_,_insorted(_):_._(_+1)'
    >>> views.words
    ' for k v in sorted items out append v '
    """
    uncommented = _HASH_COMMENT.sub(" ", text)
    # Splitting on names (captured) leaves them at the odd positions: one C pass, then a set
    # lookup per name; the words and the shape both come from that one split.
    parts = _NAME_SPLIT.split(uncommented)
    names = parts[1::2]
    words = " " + " ".join(names).lower() + " " if names else " "
    parts[1::2] = map(_KEPT_NAMES.get, names, repeat("_"))  # a C loop: kept names stay, others blank
    return TextViews(
        compact="".join(uncommented.split()),
        shape="".join("".join(parts).split()),
        words=words,
    )


def compact_view(text: str) -> str:
    """``text`` without ``#`` comments and without any whitespace.

    >>> compact_view("for a, b in pairs:  # each\\n    total = a+b\\n")
    'fora,binpairs:total=a+b'
    """
    return text_views(text).compact


def shape_view(text: str) -> str:
    """The compact view with every name other than a keyword or builtin replaced by ``_``.

    >>> shape_view("for k, v in sorted(items):\\n    out.append(v)\\n")
    'for_,_insorted(_):_._(_)'
    """
    return text_views(text).shape


def word_view(text: str) -> str:
    """The lowercased names of ``text`` outside ``#`` comments, one space apart, padded with a space at
    each end so that a padded n-gram only matches whole words. Numbers are left out: they prove nothing.

    >>> word_view("x = f(a, 2)  # add them\\nreturn X")
    ' x f a return x '
    """
    return text_views(text).words


def extract_docstrings(text: str) -> list[str]:
    """The contents of the triple-quoted strings in ``text`` (a benchmark prompt's docstrings).

    >>> extract_docstrings("def f():\\n    ''' Add one. '''\\n    return 1\\n")
    [' Add one. ']
    """
    return [
        match.group(1) if match.group(1) is not None else match.group(2)
        for match in _TRIPLE_QUOTED.finditer(text)
    ]


def informative_ngrams(words: list[str], size: int) -> Iterator[str]:
    """The word ``size``-grams of ``words`` worth indexing, each padded with spaces (see :func:`word_view`).

    An n-gram counts only when at least half its length is *distinct* words of two
    or more characters holding a letter, numbers spelled out not counted: runs of
    numbers (a doctest's ``[1, 2, 3]``, a ``"one": 1, "two": 2`` table)
    and loops over one-letter names (``for i in range len l for j in range i 1``)
    occur in every codebase and prove nothing.

    >>> list(informative_ngrams("find the 2 3 words".split(), 3))
    [' find the 2 ']
    >>> list(informative_ngrams("for i in range len l for j in range i 1 len".split(), 13))
    []
    """
    needed = (size + 1) // 2
    for start in range(len(words) - size + 1):
        window = words[start : start + size]
        distinct = {
            word for word in window if len(word) > 1 and not word.isdigit() and word not in _NUMBER_WORDS
        }
        if len(distinct) >= needed:
            yield " " + " ".join(window) + " "
