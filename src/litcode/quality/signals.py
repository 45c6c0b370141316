"""What a source file shows about the care that went into it: docs, types, error handling, idioms.

Each signal is a few :class:`~litcode.quality.line_rule.LineRule` per language family:
a literal found with ``str.find``, then a small regex over that line only, so a
corpus is scored at C speed instead of walking ``re`` over every byte. A signal that
a language cannot express (type hints in JavaScript, error handling in JSON) is
reported as ``None`` — *not applicable* — so scoring can leave it out instead of
punishing the language. An unknown language (``None``) is read with the union of
the families' rules, so untagged snippets are still scored sensibly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litcode.quality.languages import normalize_language
from litcode.quality.line_rule import LineRule, PrefixedPattern, any_found


def _words(names: str) -> frozenset[str]:
    return frozenset(names.split())


C_STYLE = _words(
    "c cpp cuda c-sharp java javascript typescript kotlin scala swift dart go rust php "
    "groovy objective-c objective-cpp zig solidity glsl"
)
HASH_COMMENTED = _words(
    "shell fish ruby perl r julia elixir nim tcl powershell makefile dockerfile cmake yaml toml "
    "awk cython starlark hcl ini"
)
DASH_COMMENTED = _words("sql lua haskell literate-haskell ada vhdl")
STATICALLY_TYPED = _words(
    "c cpp cuda c-sharp java kotlin scala swift dart go rust haskell ocaml f-sharp zig "
    "objective-c objective-cpp fortran pascal ada elm solidity visual-basic"
)
DATA_OR_MARKUP = _words(
    "json yaml toml xml html css scss sass less markdown restructuredtext tex asciidoc ini "
    "csv text protocol-buffer graphql dockerfile makefile cmake hcl"
)
DECORATOR_LANGUAGES = _words(
    "python cython jupyter-notebook javascript typescript java kotlin scala groovy dart swift"
)
PATTERN_NAMES = ("async", "type_hints", "logging", "decorators")

Rules = tuple[LineRule[str] | PrefixedPattern, ...]

# -- documentation: doc comments/docstrings (full credit) or plain comments (half) --------
_PY_DOC: Rules = (LineRule(('"""', "'''")),)
_HASH_COMMENT: Rules = (LineRule(("#",), r"^[ \t]*#(?!!)|[ \t]#[ \t]"),)
_C_DOC: Rules = (LineRule(("/**", "///", "//!")),)
_GO_DOC: Rules = (LineRule(("//",), r"^//[ \t]*[A-Z]\w*[ \t]"), LineRule(("/**",)))
_C_COMMENT: Rules = (LineRule(("//", "/*")),)
_HASH_DOC: Rules = (
    LineRule(("##", "=begin", "=pod", '"""', "#'", "<#"), r"^[ \t]*(?:##|=begin|=pod|#'|<#)|\"\"\""),
)
_DASH_DOC: Rules = (LineRule(("--",), r"^[ \t]*--[ \t]*[|^]|^[ \t]*---|--\[\["), LineRule(("{-",)))
_DASH_COMMENT: Rules = (LineRule(("--", "/*")),)
_MARKUP_COMMENT: Rules = (LineRule(("<!--", "/*")),)
_ANY_DOC: Rules = (*_PY_DOC, *_C_DOC)
_ANY_COMMENT: Rules = (*_HASH_COMMENT, *_C_COMMENT, LineRule(("-- ",)), LineRule(("<!--",)))

# -- type hints ---------------------------------------------------------------------------
_PY_TYPES: Rules = (
    LineRule(("->",), r"\)[ \t]*->[ \t]*[\w\"'\[.]"),  # def f(...) -> T
    PrefixedPattern(r"def[ \t]+\w+[ \t]*\([^)]*?\w[ \t]*:[ \t]*[\w\"'\[]"),  # def f(x: T
    LineRule(("typing",), r"^[ \t]*(?:from[ \t]+typing[ \t]+import|import[ \t]+typing)\b"),
)
_TS_TYPES: Rules = (
    LineRule((": string", ": number", ": boolean", ": any", ": void", ": unknown", ": never", "?: ")),
    LineRule(("interface ", "type "), r"^[ \t]*(?:export[ \t]+)?(?:interface|type)[ \t]+[A-Z]"),
    LineRule((": ",), r"[\w)\]][ \t]*:[ \t]*[A-Z]\w*(?:<|\[|\b)"),
)
_PHP_TYPES: Rules = (
    LineRule(("function",), r"function[ \t]+\w+[ \t]*\([^)]*?\b\??\w+[ \t]+\$|\)[ \t]*:[ \t]*\??\w+"),
)

# -- error handling -----------------------------------------------------------------------
_PY_ERRORS: Rules = (
    LineRule(("except", "raise"), r"\b(?:except|raise)\b"),
    LineRule(("try",), r"^[ \t]*try[ \t]*:"),
    LineRule(("suppress(",)),
)
_RUST_ERRORS: Rules = (LineRule(("Result<", "Err(", ".map_err(", "?;", ".ok_or", "anyhow", "thiserror")),)
_GO_ERRORS: Rules = (
    LineRule(
        ("err != nil", "err!=nil", "errors.New(", "errors.Is(", "errors.As(", "fmt.Errorf(", "recover()")
    ),
)
_TRY_CATCH: Rules = (
    LineRule(("catch",), r"\bcatch[ \t]*[({]|\.catch\("),
    LineRule(("throw",), r"\bthrows?\b"),
    LineRule(("try",), r"\btry[ \t]*[{:?!]"),
)
_C_ERRORS: Rules = (
    LineRule(("errno", "perror(")),
    LineRule(("NULL",), r"[!=]=[ \t]*NULL\b"),
    LineRule(("< 0)", "<0)")),
    LineRule(("goto ",), r"\bgoto[ \t]+(?:err|fail|out|bail|cleanup)"),
)
_SHELL_ERRORS: Rules = (
    LineRule(("set ",), r"^[ \t]*set[ \t]+-\w*e"),
    LineRule(("||",), r"\|\|[ \t]*(?:exit|return|die)\b"),
    LineRule(("trap ", "$?")),
)
_RUBY_ERRORS: Rules = (LineRule(("rescue", "raise", "ensure"), r"\b(?:rescue|raise|ensure)\b"),)
_OTHER_ERRORS: Rules = (
    LineRule(("pcall(", "error(", "tryCatch(", "stop(", "die ", "eval {", "catch", "throw", "xception")),
)
_ANY_ERRORS: Rules = (*_PY_ERRORS, *_TRY_CATCH, *_GO_ERRORS, *_RUST_ERRORS)

# -- code patterns ------------------------------------------------------------------------
# Only the rules a language can use are searched: each absent literal costs a full pass.
_ASYNC_WORDS: Rules = (LineRule(("async", "await"), r"\b(?:async|await)\b"),)
_ASYNC: Rules = (
    *_ASYNC_WORDS,
    LineRule(("suspend fun",)),
    LineRule(("go ",), r"^[ \t]*go[ \t]+(?:func\b|[\w.]+\()"),
)
_ASYNC_BY_LANGUAGE: dict[str, Rules] = {
    "python": _ASYNC_WORDS,
    "cython": _ASYNC_WORDS,
    "jupyter-notebook": _ASYNC_WORDS,
    "go": (_ASYNC[2],),
    "kotlin": (_ASYNC[1],),
}
_LOG_CALLS: Rules = (
    LineRule(
        ("log", "Log", "LOG"),
        r"\bimport[ \t]+logging\b|\blogging\.\w|\blogger\.\w|\bgetLogger\b|\bLoggerFactory\b"
        r"|\blog\.(?:debug|info|warn|warning|error|exception|critical|fatal|print|panic)\w*\("
        r"|\b(?:log|tracing|slog)::|\bslog\.\w|\blogrus\.\w|\bLog\.[diwev]\(",
        re.IGNORECASE,
    ),
)
_LOGGING: Rules = (
    *_LOG_CALLS,
    LineRule(("info!(", "warn!(", "error!(", "debug!(", "trace!(", "zap.", "console.")),
)
_LOGGING_BY_LANGUAGE: dict[str, Rules] = {
    "python": _LOG_CALLS,
    "cython": _LOG_CALLS,
    "jupyter-notebook": _LOG_CALLS,
    "java": _LOG_CALLS,
    "c-sharp": _LOG_CALLS,
}
_DECORATOR: Rules = (LineRule(("@",), r"^[ \t]*@[A-Za-z_]"),)


@dataclass(frozen=True)
class _Family:
    doc: Rules
    comment: Rules
    errors: Rules | None


_PYTHON = _Family(_PY_DOC, _HASH_COMMENT, _PY_ERRORS)
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
    "json": _Family((), (), None),
}


def _family(language: str | None) -> _Family:
    if language is None:
        return _UNKNOWN
    special = _SPECIAL.get(language)
    if special is not None:
        return special
    if language in DATA_OR_MARKUP:
        comment = _HASH_COMMENT if language in HASH_COMMENTED else _MARKUP_COMMENT
        return _Family((), comment, None)
    if language in C_STYLE:
        return _Family(_C_DOC, _C_COMMENT, _TRY_CATCH)
    if language in HASH_COMMENTED:
        return _Family(_HASH_DOC, _HASH_COMMENT, _OTHER_ERRORS)
    if language in DASH_COMMENTED:
        return _Family(_DASH_DOC, _DASH_COMMENT, _OTHER_ERRORS)
    return _Family(_UNKNOWN.doc, _UNKNOWN.comment, _OTHER_ERRORS)


def documentation_level(content: str, language: str | None) -> float:
    """1.0 for doc comments/docstrings, 0.5 for plain comments only, 0.0 for none."""
    family = _family(normalize_language(language))
    if any_found(family.doc, content):
        return 1.0
    if any_found(family.comment, content):
        return 0.5
    return 0.0


def type_hints_status(content: str, language: str | None) -> bool | None:
    """Whether the code declares its types; None where the language has no way to."""
    normalized = normalize_language(language)
    if normalized in STATICALLY_TYPED:
        return bool(content) and not content.isspace()
    if normalized in ("typescript", "vue", "svelte"):
        return any_found(_TS_TYPES, content)
    if normalized == "php":
        return any_found(_PHP_TYPES, content)
    if normalized is None or normalized in ("python", "cython", "jupyter-notebook"):
        return any_found(_PY_TYPES, content)
    return None


def error_handling_status(content: str, language: str | None) -> bool | None:
    """Whether the code handles errors; None for data and markup formats."""
    rules = _family(normalize_language(language)).errors
    return None if rules is None else any_found(rules, content)


def code_patterns(content: str, language: str | None) -> set[str]:
    """The subset of :data:`PATTERN_NAMES` the code uses."""
    found = code_idioms(content, language)
    if found is not None and type_hints_status(content, language):
        found.add("type_hints")
    return found or set()


def code_idioms(content: str, language: str | None) -> set[str] | None:
    """Which of async, logging and decorators the code uses; None for data and markup formats."""
    normalized = normalize_language(language)
    if normalized in DATA_OR_MARKUP:
        return None
    found: set[str] = set()
    if any_found(_ASYNC_BY_LANGUAGE.get(normalized or "", _ASYNC), content):
        found.add("async")
    if any_found(_LOGGING_BY_LANGUAGE.get(normalized or "", _LOGGING), content):
        found.add("logging")
    if (normalized is None or normalized in DECORATOR_LANGUAGES) and any_found(_DECORATOR, content):
        found.add("decorators")
    return found
