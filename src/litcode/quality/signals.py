"""What a source file shows about the care that went into it: docs, types, error handling, idioms.

Each signal is a handful of compiled regexes per language family, searched with
``re.search`` so a hit early in the file ends the scan. A signal that a language
cannot express (type hints in JavaScript, error handling in JSON) is reported as
``None`` — *not applicable* — so scoring can leave it out instead of punishing the
language. An unknown language (``None``) is read with the union of the families'
patterns, so untagged snippets are still scored sensibly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litcode.quality.languages import normalize_language

_M = re.MULTILINE

C_STYLE = frozenset(
    [
        "c",
        "cpp",
        "cuda",
        "c-sharp",
        "java",
        "javascript",
        "typescript",
        "kotlin",
        "scala",
        "swift",
        "dart",
        "go",
        "rust",
        "php",
        "groovy",
        "objective-c",
        "objective-cpp",
        "zig",
        "solidity",
        "glsl",
    ]
)
HASH_COMMENTED = frozenset(
    [
        "shell",
        "fish",
        "ruby",
        "perl",
        "r",
        "julia",
        "elixir",
        "nim",
        "tcl",
        "powershell",
        "makefile",
        "dockerfile",
        "cmake",
        "yaml",
        "toml",
        "awk",
        "cython",
        "starlark",
        "hcl",
        "ini",
    ]
)
DASH_COMMENTED = frozenset(["sql", "lua", "haskell", "literate-haskell", "ada", "vhdl"])
STATICALLY_TYPED = frozenset(
    [
        "c",
        "cpp",
        "cuda",
        "c-sharp",
        "java",
        "kotlin",
        "scala",
        "swift",
        "dart",
        "go",
        "rust",
        "haskell",
        "ocaml",
        "f-sharp",
        "zig",
        "objective-c",
        "objective-cpp",
        "fortran",
        "pascal",
        "ada",
        "elm",
        "solidity",
        "visual-basic",
    ]
)
DATA_OR_MARKUP = frozenset(
    [
        "json",
        "yaml",
        "toml",
        "xml",
        "html",
        "css",
        "scss",
        "sass",
        "less",
        "markdown",
        "restructuredtext",
        "tex",
        "asciidoc",
        "ini",
        "csv",
        "text",
        "protocol-buffer",
        "graphql",
        "dockerfile",
        "makefile",
        "cmake",
        "hcl",
    ]
)

# -- documentation: doc comments/docstrings (full credit) or plain comments (half) --------
_PY_DOC = re.compile(r'"""|\'\'\'')
_PY_COMMENT = re.compile(r"^[ \t]*#(?!!)|[ \t]#[ \t]", _M)
_C_DOC = re.compile(r"/\*\*|^[ \t]*//[/!]", _M)
_GO_DOC = re.compile(r"^//[ \t]*[A-Z]\w*[ \t]|^/\*\*?|^[ \t]*///", _M)
_C_COMMENT = re.compile(r"//|/\*")
_HASH_DOC = re.compile(r'^[ \t]*##|^=begin\b|^=pod\b|^[ \t]*#\'|"""|^<#', _M)
_HASH_COMMENT = re.compile(r"^[ \t]*#(?!!)|[ \t]#[ \t]", _M)
_DASH_DOC = re.compile(r"^[ \t]*--[ \t]*[|^]|^[ \t]*---|--\[\[|\{-", _M)
_DASH_COMMENT = re.compile(r"--|/\*")
_MARKUP_COMMENT = re.compile(r"<!--|/\*")
_ANY_DOC = re.compile(r'"""|\'\'\'|/\*\*|^[ \t]*//[/!]|^[ \t]*##|^[ \t]*--[ \t]*\|', _M)
_ANY_COMMENT = re.compile(r"^[ \t]*(?:#(?!!)|//|/\*|--[ \t]|;)|[ \t](?:#|//)[ \t]|<!--", _M)

# -- type hints ---------------------------------------------------------------------------
_PY_TYPES = re.compile(
    r"\)[ \t]*->[ \t]*[\w\"'\[.]"  # def f(...) -> T
    r"|^[ \t]*(?:async[ \t]+)?def[ \t]+\w+[ \t]*\([^)]*?\w[ \t]*:[ \t]*[\w\"'\[]"  # (x: T
    r"|^[ \t]*(?!(?:else|try|finally|lambda)\b)[A-Za-z_][\w.]*[ \t]*:[ \t]*[A-Za-z_][\w.]*"
    r"(?:\[[^\]\n]*\])?[ \t]*=(?!=)"  # x: T = v
    r"|^[ \t]*(?:from[ \t]+typing[ \t]+import|import[ \t]+typing)\b",
    _M,
)
_TS_TYPES = re.compile(
    r"[\w)\]][ \t]*\??:[ \t]*(?:string|number|boolean|any|unknown|void|never|bigint|[A-Z]\w*)\b"
    r"|^[ \t]*(?:export[ \t]+)?(?:interface|type)[ \t]+[A-Z]\w*",
    _M,
)
_PHP_TYPES = re.compile(r"function[ \t]+\w+[ \t]*\([^)]*?\b\??\w+[ \t]+\$|\)[ \t]*:[ \t]*\??\w+[ \t]*\{")

# -- error handling -----------------------------------------------------------------------
_PY_ERRORS = re.compile(r"^[ \t]*(?:try[ \t]*:|except\b|raise\b)|\bsuppress\(", _M)
_RUST_ERRORS = re.compile(r"\bResult<|\bErr\(|\.map_err\(|\?;|\.ok_or(?:_else)?\(|\bthiserror\b|\banyhow\b")
_GO_ERRORS = re.compile(
    r"\berr[ \t]*!=[ \t]*nil\b|\berrors\.(?:New|Is|As|Join)\(|\bfmt\.Errorf\(|\brecover\(\)"
)
_TRY_CATCH = re.compile(r"\btry[ \t]*[{:]|\bcatch[ \t]*[({]|\bthrows?\b|\.catch\(|\bdo[ \t]*\{[^}]*\btry\b")
_C_ERRORS = re.compile(r"\berrno\b|\bperror\(|[!=]=[ \t]*NULL\b|<[ \t]*0\)|\bgoto[ \t]+(?:err|fail|out)")
_SHELL_ERRORS = re.compile(r"^[ \t]*set[ \t]+-\w*e|\|\|[ \t]*(?:exit|return|die)\b|\btrap\b|\$\?", _M)
_RUBY_ERRORS = re.compile(r"\brescue\b|\braise\b|\bensure\b")
_OTHER_ERRORS = re.compile(
    r"\bpcall\(|\berror\(|\bdie\b|\beval[ \t]*\{|\btryCatch\(|\bstop\(|\bcatch\b|\bthrow\b|\bexception\b",
    re.IGNORECASE,
)
_ANY_ERRORS = re.compile(
    _PY_ERRORS.pattern + "|" + _RUST_ERRORS.pattern + "|" + _GO_ERRORS.pattern + "|" + _TRY_CATCH.pattern,
    _M,
)

# -- code patterns ------------------------------------------------------------------------
_ASYNC = re.compile(r"\basync\b|\bawait\b|\bsuspend[ \t]+fun\b|^[ \t]*go[ \t]+(?:func\b|[\w.]+\()", _M)
_LOGGING = re.compile(
    r"\bimport[ \t]+logging\b|\blogging\.\w|\blogger\.\w|\bgetLogger\b|\bLoggerFactory\b"
    r"|\blog\.(?:debug|info|warn|warning|error|exception|critical|fatal|print)\w*\("
    r"|\b(?:log|tracing|slog)::|\b(?:info|warn|error|debug|trace)!\(|\bslog\.\w|\blogrus\.\w|\bzap\.\w"
    r"|\bconsole\.(?:info|warn|error|debug)\(",
    re.IGNORECASE,
)
_DECORATOR = re.compile(r"^[ \t]*@[A-Za-z_][\w.]*", _M)
DECORATOR_LANGUAGES = frozenset(
    ["python", "cython", "javascript", "typescript", "java", "kotlin", "scala", "groovy", "dart", "swift"]
)

PATTERN_NAMES = ("async", "type_hints", "logging", "decorators")


@dataclass(frozen=True)
class _Family:
    doc: re.Pattern[str] | None
    comment: re.Pattern[str] | None
    errors: re.Pattern[str] | None


_PYTHON = _Family(_PY_DOC, _PY_COMMENT, _PY_ERRORS)
_UNKNOWN = _Family(_ANY_DOC, _ANY_COMMENT, _ANY_ERRORS)
_SPECIAL: dict[str, _Family] = {
    "python": _PYTHON,
    "cython": _PYTHON,
    "jupyter-notebook": _PYTHON,
    "rust": _Family(_C_DOC, _C_COMMENT, _RUST_ERRORS),
    "go": _Family(_GO_DOC, _C_COMMENT, _GO_ERRORS),
    "c": _Family(_C_DOC, _C_COMMENT, _C_ERRORS),
    "shell": _Family(_HASH_DOC, _HASH_COMMENT, _SHELL_ERRORS),
    "ruby": _Family(_HASH_DOC, _HASH_COMMENT, _RUBY_ERRORS),
    "json": _Family(None, None, None),
}


def _family(language: str | None) -> _Family:
    if language is None:
        return _UNKNOWN
    special = _SPECIAL.get(language)
    if special is not None:
        return special
    errors = None if language in DATA_OR_MARKUP else _OTHER_ERRORS
    if language in C_STYLE:
        return _Family(_C_DOC, _C_COMMENT, _TRY_CATCH if errors else None)
    if language in HASH_COMMENTED:
        return _Family(_HASH_DOC, _HASH_COMMENT, errors)
    if language in DASH_COMMENTED:
        return _Family(_DASH_DOC, _DASH_COMMENT, errors)
    if language in DATA_OR_MARKUP:
        return _Family(None, _MARKUP_COMMENT, None)
    return _Family(_UNKNOWN.doc, _UNKNOWN.comment, errors)


def documentation_level(content: str, language: str | None) -> float:
    """1.0 for doc comments/docstrings, 0.5 for plain comments only, 0.0 for none."""
    family = _family(normalize_language(language))
    if family.doc is not None and family.doc.search(content):
        return 1.0
    if family.comment is not None and family.comment.search(content):
        return 0.5
    return 0.0


def type_hints_status(content: str, language: str | None) -> bool | None:
    """Whether the code declares its types; None where the language has no way to."""
    normalized = normalize_language(language)
    if normalized in STATICALLY_TYPED:
        return bool(content) and not content.isspace()
    if normalized in ("typescript", "vue", "svelte"):
        return _TS_TYPES.search(content) is not None
    if normalized == "php":
        return _PHP_TYPES.search(content) is not None
    if normalized is None or normalized in ("python", "cython", "jupyter-notebook"):
        return _PY_TYPES.search(content) is not None
    return None


def error_handling_status(content: str, language: str | None) -> bool | None:
    """Whether the code handles errors; None for data and markup formats."""
    pattern = _family(normalize_language(language)).errors
    return None if pattern is None else pattern.search(content) is not None


def code_patterns(content: str, language: str | None) -> set[str]:
    """The subset of :data:`PATTERN_NAMES` the code uses."""
    normalized = normalize_language(language)
    if normalized in DATA_OR_MARKUP:
        return set()
    found: set[str] = set()
    if _ASYNC.search(content):
        found.add("async")
    if type_hints_status(content, normalized):
        found.add("type_hints")
    if _LOGGING.search(content):
        found.add("logging")
    if (normalized is None or normalized in DECORATOR_LANGUAGES) and _DECORATOR.search(content):
        found.add("decorators")
    return found
