"""HumanEval prompts and solutions planted into real standard-library files, verbatim and lightly edited.

Recall of decontamination cannot be measured on leaks nobody has labeled, so the
tests and ``benchmarks/bench_decontamination.py`` build them: each case is a real
stdlib module with one benchmark text inserted at a line boundary.

What is planted (``part``): the ``prompt`` alone (signature and docstring), the
``solution`` alone (the canonical body), or the whole ``function`` (both). How
(``edit``):

* ``verbatim`` — as the benchmark has it;
* ``renamed`` — every parameter and local name renamed (strings and attributes left alone, as a
  refactoring tool does);
* ``reformatted`` — indented by two spaces instead of four, spaces after commas and around ``=``
  dropped;
* ``commented`` — a comment line after every other code line and at the end of the ``def`` line.

>>> print(edit_code("def f(a, b):\\n    total = a + b\\n    return total\\n", "renamed"), end="")
def f(aa, bb):
    total_v = aa + bb
    return total_v
"""

from __future__ import annotations

import builtins
import io
import keyword
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from litcode.curation.decontamination import BenchmarkTask

PARTS = ("prompt", "solution", "function")
EDITS = ("verbatim", "renamed", "reformatted", "commented")
_KEEP_NAMES = set(dir(builtins)) | set(keyword.kwlist) | {"List", "Tuple", "Optional", "Any", "Dict", "self"}


@dataclass(frozen=True)
class PlantedCase:
    """A stdlib file (``host``) with one benchmark text in it; ``task_id`` is what must be found."""

    task_id: str
    part: str
    edit: str
    host: str
    content: str


def planted_text(task: BenchmarkTask, part: str, edit: str) -> str:
    """The text of ``task`` that a case plants: its prompt, solution or both, edited by ``edit``."""
    text = {
        "prompt": task.prompt,
        "solution": task.solutions[0],
        "function": task.prompt + task.solutions[0],
    }[part]
    return edit_code(text, edit)


def edit_code(code: str, edit: str) -> str:
    """``code`` with one light edit applied (see the module docstring); ``verbatim`` returns it as is."""
    if edit == "verbatim":
        return code
    if edit == "renamed":
        return _rename(code)
    if edit == "reformatted":
        return _reformat(code)
    if edit == "commented":
        return _comment(code)
    raise ValueError(f"unknown edit {edit!r}; known: {EDITS}")


def plant(host_text: str, text: str) -> str:
    """``text`` inserted into ``host_text`` at the line boundary nearest its middle."""
    lines = host_text.splitlines(keepends=True)
    middle = len(lines) // 2
    return "".join(lines[:middle]) + "\n\n" + text.rstrip("\n") + "\n\n\n" + "".join(lines[middle:])


def planted_cases(
    tasks: Sequence[BenchmarkTask],
    hosts: Sequence[Path],
    *,
    parts: Iterable[str] = PARTS,
    edits: Iterable[str] = EDITS,
) -> list[PlantedCase]:
    """One case per task, part and edit; hosts are used in turn."""
    cases = []
    host_texts = [host.read_text(encoding="utf-8") for host in hosts]
    number = 0
    for part in parts:
        for edit in edits:
            for task in tasks:
                host = number % len(hosts)
                number += 1
                content = plant(host_texts[host], planted_text(task, part, edit))
                cases.append(PlantedCase(task.task_id, part, edit, str(hosts[host]), content))
    return cases


def _code_lines(code: str) -> list[tuple[str, bool]]:
    """Each line of ``code`` with whether it is code (True) or inside a triple-quoted string."""
    result = []
    inside = False
    for line in code.splitlines(keepends=True):
        quotes = line.count('"""') + line.count("'''")
        result.append((line, not inside and quotes == 0))
        if quotes % 2:
            inside = not inside
    return result


def _rename(code: str) -> str:
    # A solution alone is an indented block: dedent it for the tokenizer, indent it back after.
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return code
    defined = {token.string for token in tokens if token.type == tokenize.NAME}
    # Function and module names stay: a rename of locals leaves the interface alone.
    fixed = {
        tokens[index + 1].string
        for index, token in enumerate(tokens[:-1])
        if token.type == tokenize.NAME and token.string in ("def", "from", "import")
    }
    renames = {
        name: f"{name}_v" if len(name) > 1 else f"{name}{name}"
        for name in sorted(defined - _KEEP_NAMES - fixed)
    }
    lines = code.splitlines(keepends=True)
    # Replace from the end so earlier columns stay valid.
    for token in reversed(tokens):
        if token.type != tokenize.NAME or token.string not in renames:
            continue
        row, column = token.start
        previous = lines[row - 1][:column].rstrip()
        if previous.endswith("."):
            continue  # an attribute: a rename tool leaves obj.attr alone
        line = lines[row - 1]
        lines[row - 1] = line[:column] + renames[token.string] + line[column + len(token.string) :]
    return "".join(lines)


def _reformat(code: str) -> str:
    lines = []
    for line, is_code in _code_lines(code):
        stripped = line.lstrip(" ")
        indent = (len(line) - len(stripped)) // 4 * 2 + (len(line) - len(stripped)) % 4
        if is_code:
            stripped = stripped.replace(", ", ",").replace(" = ", "=")
        lines.append(" " * indent + stripped)
    return "".join(lines)


def _comment(code: str) -> str:
    lines = []
    code_lines = 0
    for line, is_code in _code_lines(code):
        body = line.rstrip("\n")
        if is_code and body.lstrip().startswith("def ") and body.endswith(":"):
            lines.append(body + "  # entry point\n")
            continue
        lines.append(line if line.endswith("\n") else line + "\n")
        if is_code and body.strip():
            code_lines += 1
            if code_lines % 2 == 0:
                indent = len(body) - len(body.lstrip())
                lines.append(" " * indent + f"# step {code_lines}: carry on\n")
    return "".join(lines)
