"""Jupyter notebooks (``.ipynb``) decoded to the script a code model should learn from.

A notebook file is JSON: cells of code and markdown, plus outputs (images as base64, tables,
tracebacks) that are no code at all. The script keeps the code cells as code and turns markdown
(and raw) cells into line comments of the notebook's language, so the prose that explains the code
stays beside it; outputs are dropped. The language is the kernel's (``metadata.kernelspec.language``,
else ``metadata.language_info.name``, else Python, Jupyter's default), so a notebook is counted,
filtered and scanned as Python, R, Julia... code. nbformat 4 (``cells``) and 3 (``worksheets``) are
read; anything else is a :class:`NotebookError`, which curation records as ``unreadable``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from litcode.quality.languages import normalize_language

NOTEBOOK_EXTENSION = ".ipynb"
DEFAULT_LANGUAGE = "python"

# Line-comment prefix by language; languages not listed use "#".
_SLASHES = (
    "javascript typescript java kotlin scala c cpp c-sharp f-sharp go rust swift dart groovy objective-c php"
)
_COMMENT_PREFIX: dict[str, str] = {
    **dict.fromkeys(_SLASHES.split(), "//"),
    **dict.fromkeys(("sql", "haskell", "lua", "ada"), "--"),
    **dict.fromkeys(("matlab", "octave", "tex"), "%"),
    **dict.fromkeys(("common-lisp", "scheme", "racket", "clojure", "emacs-lisp"), ";;"),
}


class NotebookError(ValueError):
    """The text is not a notebook litcode can read (invalid JSON, no cells, wrong shapes)."""


@dataclass(frozen=True)
class NotebookScript:
    """A notebook as a script: its text and the kernel's language."""

    content: str
    language: str


def is_notebook(path: str | None, language: str | None = None) -> bool:
    """Whether a record is a notebook: by extension, or by a source's ``lang`` of "Jupyter Notebook"."""
    return bool(path and path.lower().endswith(NOTEBOOK_EXTENSION)) or language == "jupyter-notebook"


def notebook_to_script(text: str) -> NotebookScript:
    """The script of a notebook's JSON ``text``; :class:`NotebookError` when it cannot be read.

    >>> notebook = {"nbformat": 4, "metadata": {"kernelspec": {"language": "python"}}, "cells": [
    ...     {"cell_type": "markdown", "source": ["# Squares\\n", "Print a few."]},
    ...     {"cell_type": "code", "source": "for i in range(3):\\n    print(i * i)",
    ...      "outputs": [{"output_type": "stream", "text": "0\\n1\\n4\\n"}]}]}
    >>> script = notebook_to_script(json.dumps(notebook))
    >>> print(script.content, end="")
    # # Squares
    # Print a few.
    <BLANKLINE>
    for i in range(3):
        print(i * i)
    >>> script.language
    'python'
    """
    try:
        notebook = json.loads(text)
    except ValueError as error:
        raise NotebookError(f"not JSON: {error}") from None
    if not isinstance(notebook, dict):
        raise NotebookError("not a notebook: the JSON is not an object")
    language = _kernel_language(notebook)
    prefix = _COMMENT_PREFIX.get(language, "#")
    blocks = []
    for cell in _cells(notebook):
        source = _joined(cell.get("source", cell.get("input", "")))
        if not source.strip():
            continue
        if cell.get("cell_type") == "code":
            blocks.append(source.rstrip("\n"))
        else:  # markdown, raw, heading (nbformat 3): prose beside the code, as comments
            blocks.append("\n".join(f"{prefix} {line}".rstrip() for line in source.rstrip("\n").split("\n")))
    return NotebookScript(content="\n\n".join(blocks) + "\n" if blocks else "", language=language)


def _cells(notebook: dict[str, Any]) -> list[dict[str, Any]]:
    if "cells" in notebook:
        cells = notebook["cells"]
    elif "worksheets" in notebook and isinstance(notebook["worksheets"], list):
        cells = [
            cell
            for sheet in notebook["worksheets"]
            if isinstance(sheet, dict)
            for cell in sheet.get("cells", [])
        ]
    else:
        raise NotebookError("not a notebook: no 'cells' (nbformat 4) or 'worksheets' (nbformat 3)")
    if not isinstance(cells, list) or not all(isinstance(cell, dict) for cell in cells):
        raise NotebookError("not a notebook: 'cells' is not a list of cell objects")
    return cells


def _joined(source: Any) -> str:
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    raise NotebookError(f"a cell's source is neither text nor a list of lines: {type(source).__name__}")


def _kernel_language(notebook: dict[str, Any]) -> str:
    metadata = notebook.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    for key, field in (("kernelspec", "language"), ("language_info", "name")):
        block = metadata.get(key)
        if isinstance(block, dict) and isinstance(block.get(field), str):
            language = normalize_language(block[field])
            if language:
                return language
    return DEFAULT_LANGUAGE
