"""What the Python rules ask of a syntax tree: names, constants, and SQL built from strings.

>>> import ast
>>> node = ast.parse("q = 'SELECT * FROM t WHERE id = %s' % uid").body[0].value
>>> builds_sql(node), is_constant(node)
(True, False)
"""

from __future__ import annotations

import ast
import bisect
import gc
import re
from collections.abc import Iterable, Iterator

_GC_PAUSE_CHARS = 200_000
# SQL, not English: a statement keyword at the start of the string (any case),
# or upper-case keywords anywhere, or a DDL phrase no sentence uses.
_SQL = re.compile(
    r"^\s*\(?\s*(?i:select\b[\s\S]*?\bfrom|delete\s+from|insert\s+(?:or\s+\w+\s+)?into|replace\s+into"
    r"|update\s+[\w.\"`\[\]{}]+\s+set|with\s+\w+\s+as\s*\()\b"
    r"|\b(?:SELECT\b[\s\S]*?\bFROM|DELETE\s+FROM|INSERT\s+INTO|UPDATE\s+\S+\s+SET|WHERE\s+\S+\s*(?:=|LIKE|IN\b))"
    r"|(?i:\b(?:drop|alter|truncate)\s+table\b)"
)
SQL_TEXT = _SQL


def parse_module(source: str) -> ast.Module:
    """``ast.parse``, with the cyclic GC paused for big sources.

    Building millions of AST objects triggers collection after collection; a
    200,000-line generated module parses about 5x faster with the GC paused
    (measured: 17.5 s -> 3.3 s). Nothing cyclic is created meanwhile.
    """
    if len(source) < _GC_PAUSE_CHARS or not gc.isenabled():
        return ast.parse(source)
    gc.disable()
    try:
        return ast.parse(source)
    finally:
        gc.enable()


def dotted_name(node: ast.AST | None) -> str | None:
    """``a.b.c`` for a name or attribute chain; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted_name(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def is_constant(node: ast.AST | None) -> bool:
    """A value fixed in the source: literals, containers and concatenations of literals, plain f-strings."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(is_constant(element) for element in node.elts)
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(part, ast.Constant) for part in node.values)
    if isinstance(node, ast.BinOp):
        return is_constant(node.left) and is_constant(node.right)
    return False


def keyword_value(call: ast.Call, name: str) -> ast.expr | None:
    return next((keyword.value for keyword in call.keywords if keyword.arg == name), None)


def is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and bool(node.value) is True


def is_false(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def _string_parts(node: ast.AST) -> list[str]:
    """The literal text of a string expression's constant parts, in order."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values]
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return (
            _string_parts(node.left)
            + (["{}"] if isinstance(node.op, ast.Add) else [])
            + _string_parts(node.right)
        )
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _string_parts(node.func.value)
    return []


def builds_sql(node: ast.AST) -> bool:
    """A string assembled at run time (f-string, ``%``, ``+``, ``.format``) whose text reads like SQL.

    Only the outermost expression of a chain is judged (``"a" + b + "c"`` once), and a
    chain of constants is no injection.
    """
    is_operation = isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod))
    if isinstance(node, ast.JoinedStr) or is_operation:
        if is_constant(node):
            return False
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        if not isinstance(node.func.value, (ast.Constant, ast.JoinedStr)):
            return False
        if all(is_constant(argument) for argument in node.args) and not node.keywords:
            return False
    else:
        return False
    text = " ".join(_string_parts(node))
    return bool(text) and _SQL.search(text) is not None


def subscript_key(node: ast.Subscript) -> str | None:
    key = node.slice
    return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None


_STATEMENT_LISTS = ("body", "orelse", "finalbody", "handlers", "cases")


def line_numbers(text: str, offsets: Iterable[int]) -> list[int]:
    """Sorted, distinct 1-based line numbers of character ``offsets`` in ``text``."""
    lines: list[int] = []
    line, counted_to = 1, 0
    for offset in sorted(offsets):
        line += text.count("\n", counted_to, offset)
        counted_to = offset
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def nodes_near(tree: ast.Module, lines: list[int]) -> Iterator[ast.AST]:
    """Every node of the statements whose lines include one of ``lines``; other statements are skipped.

    Walking the whole tree costs as much as parsing it; most statements hold no word any
    rule needs, so compound statements are opened one level at a time and only the
    statements spanning a trigger line are walked.
    """
    stack: list[ast.AST] = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        decorators = getattr(node, "decorator_list", None)
        start = decorators[0].lineno if decorators else getattr(node, "lineno", 0)
        end = getattr(node, "end_lineno", None) or start
        index = bisect.bisect_left(lines, start)
        if index == len(lines) or lines[index] > end:
            continue
        if not any(getattr(node, field, None) for field in _STATEMENT_LISTS):
            yield from ast.walk(node)
            continue
        yield node
        for field, value in ast.iter_fields(node):
            if field in _STATEMENT_LISTS:
                stack.extend(reversed(value))
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        yield from ast.walk(item)
            elif isinstance(value, ast.AST):
                yield from ast.walk(value)
