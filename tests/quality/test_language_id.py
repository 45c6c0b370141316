"""How a file's language is decided: source, file name, extension, shebang, then content (Magika)."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from litcode.quality.language_id import (
    LANGUAGE_METHODS,
    ContentLanguageIdentifier,
    LanguageDecision,
    decide_language,
)

STDLIB = Path(sysconfig.get_paths()["stdlib"])
PYTHON_CODE = (STDLIB / "colorsys.py").read_text(encoding="utf-8")
CPP_CODE = """#include <vector>
#include <string>

namespace demo {
template <typename T>
class Stack {
 public:
  void push(const T& value) { items_.push_back(value); }
  T pop() { T top = items_.back(); items_.pop_back(); return top; }
  bool empty() const noexcept { return items_.empty(); }
 private:
  std::vector<T> items_;
};
}  // namespace demo

int main() {
  demo::Stack<std::string> stack;
  stack.push("hello");
  return stack.empty() ? 1 : 0;
}
"""
PROSE = "Thanks for reading. The meeting moved to Tuesday afternoon; bring the printed agenda.\n" * 3


@pytest.mark.parametrize(
    ("path", "content", "given", "expected"),
    [
        ("src/lib.rs", "fn main() {}\n", None, LanguageDecision("rust", "extension")),
        ("docker/Dockerfile", "FROM python:3.11\n", None, LanguageDecision("dockerfile", "filename")),
        ("bin/tool", "#!/usr/bin/env bash\necho hi\n", None, LanguageDecision("shell", "shebang")),
        ("data.jsonl", "{}", "C++", LanguageDecision("cpp", "source")),
        # The extension outranks a #! line, as in The Stack.
        ("setup.py", "#!/bin/sh\necho\n", None, LanguageDecision("python", "extension")),
    ],
)
def test_language_is_decided_by_the_first_method_that_names_it(
    path: str, content: str, given: str | None, expected: LanguageDecision
) -> None:
    assert decide_language(path, content, given=given) == expected


def test_a_txt_file_holding_python_is_python_by_content() -> None:
    assert decide_language("notes/colors.txt", PYTHON_CODE) == LanguageDecision("python", "content")


def test_a_file_without_extension_is_identified_by_content() -> None:
    assert decide_language("tools/colors", PYTHON_CODE) == LanguageDecision("python", "content")


def test_prose_without_extension_stays_undecided() -> None:
    assert decide_language("NOTES", PROSE) == LanguageDecision(None, None)


def test_content_identification_can_be_turned_off() -> None:
    assert decide_language("notes/colors.txt", PYTHON_CODE, use_content=False) == LanguageDecision(None, None)


def test_an_ambiguous_extension_yields_to_confident_content() -> None:
    assert decide_language("include/stack.h", CPP_CODE) == LanguageDecision("cpp", "content")


def test_an_ambiguous_extension_stands_when_content_names_no_alternative() -> None:
    # Prose in a .h file: the content says nothing, so the extension's answer (C) stays.
    assert decide_language("include/notes.h", PROSE) == LanguageDecision("c", "extension")


def test_a_python_lit_cfg_is_python_not_ini() -> None:
    config = "import lit.formats\n\nconfig.name = 'demo'\nconfig.suffixes = ['.txt']\n" + PYTHON_CODE[:1500]
    assert decide_language("tests/lit.cfg", config) == LanguageDecision("python", "content")


def test_unconfident_answers_are_dropped() -> None:
    identifier = ContentLanguageIdentifier(min_confidence=1.0)
    assert identifier.identify(PYTHON_CODE[:200]) is None


def test_short_text_is_not_classified() -> None:
    assert ContentLanguageIdentifier().identify("x = 1") is None


def test_min_confidence_outside_zero_one_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"min_confidence must be in \[0, 1\]"):
        ContentLanguageIdentifier(min_confidence=1.5)


def test_methods_are_the_manifest_vocabulary() -> None:
    assert LANGUAGE_METHODS == ("source", "filename", "extension", "shebang", "content")
