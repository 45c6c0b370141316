"""Usage errors as a user wants them: the one key that is wrong, a close match, exit code 2.

jsonargparse reports a mistake with the whole usage text (hundreds of lines for ``litcode fit``)
and, for a key inside an optional dataclass block such as ``data.curation``, a dump of every Union
member it tried. :class:`ConciseErrors` replaces that with two lines::

    litcode fit: error: data.curation.secretz is not an option; did you mean data.curation.secrets?
    (all options: litcode fit --help)

The close match comes from :func:`difflib.get_close_matches` over the keys the parser knows.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib
import inspect
import re
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

from jsonargparse import ArgumentParser

_UNION = "Does not validate against any of the Union subtypes"
_PARSER_KEY = re.compile(r'^Parser key "([^"]+)":\s*(.*)$', re.DOTALL)
_CLASS_PROBLEM = re.compile(r"^\s*- Problem with given class_path '([^']+)':\s*$")
_NOT_ACCEPTED = re.compile(r"^Option '([^']+)' is not accepted$")
_DOES_NOT_ACCEPT = re.compile(r"does not accept (?:option|nested key) '([^']+)'")
_UNRECOGNIZED = re.compile(r"^unrecognized arguments: (.*)$", re.DOTALL)


class ConciseErrors:
    """Mixin for a jsonargparse parser: a short message with a suggestion, then exit code 2."""

    def error(self, message: str, ex: Exception | None = None) -> NoReturn:
        parser: Any = getattr(ex, "subcommand_parser", None) or self
        if not getattr(self, "exit_on_error", True):
            super().error(message, ex)  # type: ignore[misc]  # jsonargparse raises here (nested parsing)
        prog = str(parser.prog).replace(" [options]", "")
        sys.stderr.write(f"{prog}: error: {concise_message(message, option_keys(parser, message))}\n")
        sys.stderr.write(f"(all options: {prog} --help)\n")
        sys.exit(2)


class LitcodeArgumentParser(ConciseErrors, ArgumentParser):
    """jsonargparse's ``ArgumentParser`` with :class:`ConciseErrors` (``litcode curate`` etc.)."""


def concise_message(message: str, known_keys: Iterable[str]) -> str:
    """The part of a jsonargparse message that names the mistake, plus a close match when there is one.

    >>> concise_message("unrecognized arguments: --trainer.max_stepz 3", ["trainer.max_steps"])
    'unrecognized option --trainer.max_stepz; did you mean --trainer.max_steps?'
    """
    known = list(known_keys)
    text = message.strip()
    match = _UNRECOGNIZED.match(text)
    if match:
        flags = [token for token in match.group(1).split() if token.startswith("--")]
        if flags:
            parts = []
            for flag in flags:
                key = flag[2:].split("=", 1)[0]
                parts.append(f"unrecognized option --{key}{_suggestion(key, known, '--')}")
            return "; ".join(parts)
        return text
    match = _DOES_NOT_ACCEPT.search(text)
    if match:
        key = match.group(1)
        return f"{key} is not an option{_suggestion(key, known)}"
    match = _PARSER_KEY.match(text)
    if match:
        key, detail = match.group(1), match.group(2)
        if _UNION in detail:
            return _union_message(key, detail)
        return f"{key}: {' '.join(detail.split())}"
    return text


def _union_message(key: str, detail: str) -> str:
    """The one class member's complaint out of a Union dump, with the key made whole."""
    lines = detail.splitlines()
    for index, line in enumerate(lines):
        problem = _CLASS_PROBLEM.match(line)
        if not problem:
            continue
        indent = len(line) - len(line.lstrip())
        inner = []
        for following in lines[index + 1 :]:
            if following.strip().startswith("- ") and len(following) - len(following.lstrip()) <= indent:
                break
            if following.strip().startswith("Given value"):
                break
            inner.append(following.strip())
        inner_text = "\n".join(inner).strip()
        fields = class_fields(problem.group(1))
        not_accepted = _NOT_ACCEPTED.match(inner_text)
        if not_accepted:
            name = not_accepted.group(1)
            suggestion = _suggestion(name, fields)
            suggestion = suggestion.replace("did you mean ", f"did you mean {key}.")
            return f"{key}.{name} is not an option{suggestion}"
        nested = _PARSER_KEY.match(inner_text)
        if nested:
            return f"{key}.{nested.group(1)}: {' '.join(nested.group(2).split())}"
        return f"{key}: {' '.join(inner_text.split())}"
    return f"{key}: {' '.join(detail.split())}"


def _suggestion(key: str, known: list[str], prefix: str = "") -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if not close and "." in key:
        # Compare within the same block: "trainer.max_stepz" against the other "trainer.*" keys.
        head, _, tail = key.rpartition(".")
        siblings = [name.rpartition(".")[2] for name in known if name.rpartition(".")[0] == head]
        close = [f"{head}.{name}" for name in difflib.get_close_matches(tail, siblings, n=1, cutoff=0.6)]
    return f"; did you mean {prefix}{close[0]}?" if close else ""


def class_fields(class_path: str) -> list[str]:
    """Names a dataclass or class accepts (its fields, else its ``__init__`` parameters).

    >>> "languages" in class_fields("litcode.curation.CurationConfig")
    True
    """
    module_name, _, name = class_path.rpartition(".")
    try:
        cls = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError, ValueError):
        return []
    if dataclasses.is_dataclass(cls):
        return [field.name for field in dataclasses.fields(cls)]
    try:
        return [p for p in inspect.signature(cls).parameters if p not in ("self", "args", "kwargs")]
    except (TypeError, ValueError):
        return []


def option_keys(parser: Any, message: str = "") -> list[str]:
    """Every dotted key ``parser`` accepts; for a message about a subcommand, that subcommand's keys."""
    subcommand = re.search(r"Subcommand '([^']+)'", message)
    parsers = [parser]
    action = getattr(parser, "_subcommands_action", None)
    if subcommand and action is not None:
        chosen = getattr(action, "_name_parser_map", {}).get(subcommand.group(1))
        if chosen is not None:
            parsers = [chosen]
    keys: list[str] = []
    for each in parsers:
        for option in getattr(each, "_option_string_actions", {}):
            if option.startswith("--") and option not in ("--help", "--print_config", "--config"):
                keys.append(option[2:])
    return keys


def column_map_hint(message: str, flag: str) -> str:
    """A source's column error with the way to fix it on this command line (``flag``), not in Python.

    >>> column_map_hint("no content column: expected one of ['content'] or column_map={'content': ...}",
    ...                 "--column_map")
    "no content column: expected one of ['content'] or --column_map '{content: COLUMN}'"
    """
    spelled = f"{flag} '{{content: COLUMN}}'" if flag.startswith("--") else flag
    if "column_map={'content': ...}" in message:
        return message.replace("column_map={'content': ...}", spelled)
    return f"{message} (set the columns with {spelled})"
