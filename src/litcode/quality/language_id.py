"""How a file's language is decided: by the source, its name, its extension, its ``#!`` line or its content.

:func:`decide_language` returns a :class:`LanguageDecision` — the language and
the method that decided it, one of :data:`LANGUAGE_METHODS` — which the manifest
records per file (``language_method``).

Content identification is for files the path cannot name: no extension, an
extension litcode does not map (``notes.txt`` holding Python), or one of the
:data:`AMBIGUOUS_EXTENSIONS` (``.h`` is C or C++, ``.m`` Objective-C or MATLAB).
It uses Google's Magika (a small ONNX model shipped in its wheel, offline),
chosen over pygments' ``guess_lexer`` and go-enry on a labeled sample of this
machine's files (``benchmarks/bench_language_id.py``, figures in
``benchmarks/README.md``). Its answer counts only when confident (score at least
``min_confidence``) and when it names a language of litcode's vocabulary;
otherwise the path's answer (or ``unknown``) stands.

>>> decide_language("src/lib.rs", "fn main() {}\\n")
LanguageDecision(language='rust', method='extension')
>>> decide_language("bin/tool", "#!/bin/sh\\necho hi\\n")
LanguageDecision(language='shell', method='shebang')
>>> decide_language("x.jsonl", "{}", given="Python")
LanguageDecision(language='python', method='source')
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from litcode.quality.languages import (
    EXTENSION_TO_LANGUAGE,
    FILENAME_TO_LANGUAGE,
    INTERPRETER_TO_LANGUAGE,
    language_from_shebang,
    normalize_language,
)

LanguageMethod = Literal["source", "filename", "extension", "shebang", "content"]
LANGUAGE_METHODS: tuple[str, ...] = ("source", "filename", "extension", "shebang", "content")

#: Extensions shared by several languages: the extension's answer stands unless the content
#: confidently names one of the others.
AMBIGUOUS_EXTENSIONS: dict[str, tuple[str, ...]] = {
    ".h": ("c", "cpp", "objective-c"),
    ".m": ("objective-c", "matlab"),
    ".pl": ("perl", "prolog"),
    ".v": ("verilog", "coq"),
    ".inc": ("php", "c", "cpp", "pascal", "assembly"),
    # LLVM's lit.cfg files are Python, NSPR's md/*.cfg are C headers (bench_language_id.py found both).
    ".cfg": ("ini", "python", "c", "cpp"),
}

KNOWN_LANGUAGES: frozenset[str] = frozenset(
    {*EXTENSION_TO_LANGUAGE.values(), *FILENAME_TO_LANGUAGE.values(), *INTERPRETER_TO_LANGUAGE.values()}
)
# Magika's labels that are not litcode names once normalized.
_MAGIKA_LABELS: dict[str, str] = {
    "batch": "batchfile", "cs": "c-sharp", "objectivec": "objective-c", "rst": "restructuredtext",
    "ipynb": "jupyter-notebook", "latex": "tex", "bazel": "starlark", "gemfile": "ruby",
    "gemspec": "ruby", "gradle": "groovy", "jsonl": "json", "asm": "assembly", "vba": "visual-basic",
}  # fmt: skip


@dataclass(frozen=True)
class LanguageGuess:
    """A content classifier's answer: a litcode language name and the classifier's confidence in [0, 1]."""

    language: str
    confidence: float


@dataclass(frozen=True)
class LanguageDecision:
    """The language a file is taken to be written in, and how that was decided (None: undecided)."""

    language: str | None
    method: LanguageMethod | None


class ContentLanguageIdentifier:
    """Name a text's language from its content alone, or abstain; Magika underneath, loaded on first use.

    >>> identifier = ContentLanguageIdentifier()
    >>> identifier.identify("import os\\n\\ndef main():\\n    print(os.getcwd())\\n\\nmain()\\n").language
    'python'
    >>> identifier.identify("hello") is None
    True
    """

    def __init__(self, min_confidence: float = 0.9) -> None:
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be in [0, 1], got {min_confidence!r}")
        self.min_confidence = min_confidence
        self._magika: Any = None

    def identify(self, content: str) -> LanguageGuess | None:
        """The confident guess for ``content``, else None (too short, plain text, or unsure)."""
        if len(content.strip()) < 16:
            return None
        if self._magika is None:
            from magika import Magika

            self._magika = Magika()
        result = self._magika.identify_bytes(content.encode("utf-8", "surrogatepass"))
        label = str(result.output.label)
        language = _MAGIKA_LABELS.get(label) or normalize_language(label)
        if language not in KNOWN_LANGUAGES or float(result.score) < self.min_confidence:
            return None
        return LanguageGuess(language, round(float(result.score), 4))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(min_confidence={self.min_confidence})"


@lru_cache(maxsize=1)
def default_identifier() -> ContentLanguageIdentifier:
    """One identifier per process (the model loads once, on first use)."""
    return ContentLanguageIdentifier()


def decide_language(
    path: str,
    content: str,
    *,
    given: str | None = None,
    identifier: ContentLanguageIdentifier | None = None,
    use_content: bool = True,
) -> LanguageDecision:
    """The language of the file at ``path`` and how it was decided.

    In order: the source's own ``given`` language (The Stack's ``lang``); the file
    name (``Dockerfile``); the extension; the ``#!`` line; then, with
    ``use_content``, the content — for files none of those name, and for
    :data:`AMBIGUOUS_EXTENSIONS`, where a confident content answer among the
    extension's alternatives wins.
    """
    if given:
        return LanguageDecision(normalize_language(given), "source")
    name = posixpath.basename(path.replace("\\", "/")).lower()
    by_name = FILENAME_TO_LANGUAGE.get(name)
    if by_name is not None:
        return LanguageDecision(by_name, "filename")
    extension = posixpath.splitext(name)[1]
    by_extension = EXTENSION_TO_LANGUAGE.get(extension)
    alternatives = AMBIGUOUS_EXTENSIONS.get(extension)
    if by_extension is not None and alternatives is None:
        return LanguageDecision(by_extension, "extension")
    first_line = content[:512].partition("\n")[0]
    by_shebang = language_from_shebang(first_line) if first_line.startswith("#!") else None
    if by_extension is None and by_shebang is not None:
        return LanguageDecision(by_shebang, "shebang")
    if use_content:
        guess = (identifier or default_identifier()).identify(content)
        if guess is not None and (alternatives is None or guess.language in alternatives):
            return LanguageDecision(guess.language, "content")
    if by_extension is not None:
        return LanguageDecision(by_extension, "extension")
    return LanguageDecision(None, None)
