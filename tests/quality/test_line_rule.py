"""LineRule and PrefixedPattern: the literal-guarded matching the signals are built from."""

from __future__ import annotations

import pytest

from litcode.quality.line_rule import LineRule, PrefixedPattern, any_found


def test_literal_alone_is_enough_without_a_pattern():
    assert LineRule(("err != nil",)).found_in("if err != nil {\n") is True
    assert LineRule(("err != nil",)).found_in("if err == nil {\n") is False


def test_pattern_is_tried_on_every_line_holding_the_literal():
    rule = LineRule(("except",), r"^[ \t]*except\b")
    text = "# exceptions are rare\nx = 1  # except here\ntry:\n    f()\nexcept ValueError:\n    pass\n"
    assert rule.found_in(text) is True


def test_pattern_never_matches_across_lines():
    rule = LineRule(("def",), r"def f\(\)$")
    assert rule.found_in("def f(\n)\n") is False
    assert rule.found_in("x\ndef f()") is True  # last line without a newline


def test_any_literal_of_several_can_guard():
    rule = LineRule(("async", "await"), r"\b(?:async|await)\b")
    assert rule.found_in("x = await fetch()\n") is True
    assert rule.found_in("asyncio_like = 1\n") is False


def test_rules_over_bytes():
    rule = LineRule((b"torch",), rb"^import torch\b")
    assert rule.found_in(b"# torch\nimport torch\n") is True


@pytest.mark.parametrize("literals", [(), ("",)])
def test_a_rule_needs_a_non_empty_literal(literals):
    with pytest.raises(ValueError, match="non-empty literal"):
        LineRule(literals)


def test_prefixed_pattern_searches_the_whole_text():
    pattern = PrefixedPattern(r"def[ \t]+\w+\([^)]*?\w:")
    assert pattern.found_in("def f(\n    x: int,\n):\n") is True
    assert pattern.found_in("def f(x):\n    return {'a': x}\n") is False


def test_any_found_combines_rules():
    rules = (LineRule(("never-present",)), PrefixedPattern(r"->"))
    assert any_found(rules, "def f() -> int: ...") is True
    assert any_found(rules[:1], "def f() -> int: ...") is False
