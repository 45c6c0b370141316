"""Which web/ML frameworks a file uses, read from its imports — not from prose that names them.

Each framework is recognised by how code pulls it in: a Python ``import``/``from``
statement at the start of a line, a Rust ``use``/``extern crate``/attribute macro or a
``crate::path`` on a line before any ``//``, a Go import path string. A comment that
merely mentions "torch" or "gin" does not count. Matching is case-insensitive.
"""

from __future__ import annotations

from litcode.quality.languages import normalize_language
from litcode.quality.line_rule import LineRule
from litcode.quality.text_stats import utf8_bytes

FRAMEWORK_LANGUAGES: dict[str, str] = {
    "fastapi": "python",
    "django": "python",
    "flask": "python",
    "pytorch": "python",
    "tensorflow": "python",
    "actix": "rust",
    "rocket": "rust",
    "tokio": "rust",
    "gin": "go",
    "echo": "go",
    "fiber": "go",
}
"""Every framework litcode detects, and the language it belongs to."""

# Rules run on the text's UTF-8 bytes lowercased (bytes.lower is several times faster than
# str.lower), so literals and patterns are written in lowercase and encoded.


def _rule(literals: tuple[str, ...], pattern: str) -> LineRule[bytes]:
    return LineRule(tuple(literal.encode() for literal in literals), pattern.encode())


def _python_import(module: str) -> LineRule[bytes]:
    # `from torch.nn import X`, `import torch`, `import numpy as np, torch.nn as nn`.
    return _rule(
        (module,),
        rf"^[ \t]*(?:from[ \t]+{module}(?:\.[\w.]+)?[ \t]+import\b"
        rf"|import[ \t]+(?:[\w.]+(?:[ \t]+as[ \t]+\w+)?[ \t]*,[ \t]*)*{module}\b)",
    )


def _rust_crate(crates: str, extra: str = "") -> LineRule[bytes]:
    # `use actix_web::...`, `extern crate rocket;`, `#[tokio::main]`, `tokio::spawn(...)` on a
    # line with no `//` before it (so `// uses tokio::spawn` in a comment does not count).
    pattern = (
        rf"^[ \t]*(?:pub(?:\([^)]*\))?[ \t]+)?use[ \t]+(?:::)?(?:{crates})\b"
        rf"|\bextern[ \t]+crate[ \t]+(?:{crates})\b"
        rf"|#\[(?:{crates})::"
        rf"|^[^/\n]*?\b(?:{crates})::"
    )
    if extra:
        pattern += "|" + extra
    literals = tuple(crates.split("|")) + (("#[launch]",) if extra else ())
    return _rule(literals, pattern)


def _go_import(literal: str, path: str) -> LineRule[bytes]:
    # `import "github.com/gin-gonic/gin"` or a line of an import block, alias allowed.
    return _rule((literal,), rf'^[ \t]*(?:import[ \t]+)?(?:[\w.]+[ \t]+)?"{path}(?:/[^"\n]*)?"')


_DETECTORS: dict[str, LineRule[bytes]] = {
    "fastapi": _python_import("fastapi"),
    "django": _python_import("django"),
    "flask": _python_import("flask"),
    "pytorch": _python_import("torch"),
    "tensorflow": _python_import("tensorflow"),
    "actix": _rust_crate("actix_web|actix_rt|actix"),
    "rocket": _rust_crate("rocket", extra=r"^[ \t]*#\[launch\]"),
    "tokio": _rust_crate("tokio"),
    "gin": _go_import("gin-gonic/gin", r"github\.com/gin-gonic/gin"),
    "echo": _go_import("labstack/echo", r"github\.com/labstack/echo(?:/v\d+)?"),
    "fiber": _go_import("gofiber/fiber", r"github\.com/gofiber/fiber(?:/v\d+)?"),
}

_BY_LANGUAGE: dict[str, tuple[str, ...]] = {}
for _name, _language in FRAMEWORK_LANGUAGES.items():
    _BY_LANGUAGE.setdefault(_language, ())
    _BY_LANGUAGE[_language] += (_name,)


def detect_frameworks(content: str, language: str | None = None) -> list[str]:
    """Sorted lowercase names of the frameworks ``content`` imports.

    With a known ``language`` only that language's frameworks are looked for; with
    ``None`` or a language none of them belongs to, all are (a Jupyter export or an
    untagged snippet still gets its ``import torch`` seen).

    >>> detect_frameworks("import torch\\nfrom FastAPI import FastAPI\\n# flask is nice\\n", "python")
    ['fastapi', 'pytorch']
    >>> detect_frameworks('import (\\n    "github.com/gin-gonic/gin"\\n)\\n', "go")
    ['gin']
    """
    normalized = normalize_language(language)
    names = _BY_LANGUAGE.get(normalized or "", tuple(_DETECTORS))
    lowered = utf8_bytes(content).lower()
    return sorted(name for name in names if _DETECTORS[name].found_in(lowered))
