"""QualityChecker: repository thresholds, score, and the signals the score is built from."""

from __future__ import annotations

import pytest

from litcode.quality import CodeSample, QualityChecker, QualityWeights

WELL_WRITTEN_PYTHON = '''\
"""Fetch users from the API."""

import logging

logger = logging.getLogger(__name__)


@retry
async def fetch_user(client: "Client", user_id: int) -> dict[str, str]:
    """Return the user record or raise LookupError."""
    try:
        return await client.get(f"/users/{user_id}")
    except KeyError as error:
        logger.warning("missing user %s", user_id)
        raise LookupError(user_id) from error
'''

BARE_PYTHON = "def f(x):\n    return x * 2\n\n\nprint(f(3))\n"


@pytest.fixture
def checker() -> QualityChecker:
    return QualityChecker()


@pytest.mark.parametrize(
    ("stars", "forks", "expected"),
    [
        (15, 5, True),
        (5, 5, False),
        (15, 1, False),
        (10, 2, True),  # both minimums are inclusive
        (9, 2, False),
        (10, 1, False),
        (0, 0, False),
    ],
)
def test_meets_threshold_uses_inclusive_minimums(checker, stars, forks, expected):
    assert checker.meets_threshold(stars, forks) is expected


def test_meets_threshold_honours_custom_minimums():
    assert QualityChecker(min_stars=0, min_forks=0).meets_threshold(0, 0) is True
    assert QualityChecker(min_stars=100, min_forks=0).meets_threshold(99, 50) is False


def test_meets_threshold_fails_when_a_count_is_missing(checker):
    assert checker.meets_threshold(None, 50) is False


def test_well_written_code_scores_high(checker):
    assert checker.calculate_quality_score(WELL_WRITTEN_PYTHON, "python") >= 0.9


def test_bare_code_scores_below_the_default_minimum(checker):
    score = checker.calculate_quality_score(BARE_PYTHON, "python")
    assert score < checker.min_quality_score


def test_score_grows_with_each_added_signal(checker):
    bare = checker.calculate_quality_score(BARE_PYTHON, "python")
    documented = checker.calculate_quality_score('"""Doubles numbers."""\n' + BARE_PYTHON, "python")
    typed = checker.calculate_quality_score(
        '"""Doubles numbers."""\ndef f(x: int) -> int:\n    return x\n', "python"
    )
    assert bare < documented < typed


def test_empty_content_scores_zero(checker):
    assert checker.calculate_quality_score("", "python") == 0.0
    assert checker.calculate_quality_score("  \n\t\n", "python") == 0.0


def test_weights_change_the_score():
    documentation_only = QualityChecker(
        weights={"documentation": 1.0, "type_hints": 0.0, "error_handling": 0.0, "patterns": 0.0}
    )
    assert documentation_only.calculate_quality_score('"""Doc."""\nx = 1\n', "python") == 1.0
    assert documentation_only.calculate_quality_score("x = 1\n", "python") == 0.0


def test_unknown_weight_name_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown quality weight"):
        QualityChecker(weights={"docs": 1.0})


def test_negative_weight_is_rejected():
    with pytest.raises(ValueError, match=">= 0"):
        QualityWeights(documentation=-1.0)


def test_min_quality_score_outside_unit_interval_is_rejected():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        QualityChecker(min_quality_score=1.5)


@pytest.mark.parametrize(
    ("content", "language", "expected"),
    [
        ('def f():\n    """Explain f."""\n', "python", True),
        ("# explain the next line\nx = 1\n", "python", True),
        ("x = 1\n", "python", False),
        ("#!/usr/bin/env python\nx = 1\n", "python", False),  # a shebang is not a comment
        ("/// Adds one.\nfn inc(x: i32) -> i32 { x + 1 }\n", "rust", True),
        ("fn inc(x: i32) -> i32 { x + 1 }\n", "rust", False),
        ("// Serve starts the server.\nfunc Serve() {}\n", "go", True),
        ("/** Adds. */\nint add(int a, int b);\n", "c", True),
        ("-- count rows\nSELECT count(*) FROM t;\n", "sql", True),
    ],
)
def test_has_documentation(checker, content, language, expected):
    assert checker.has_documentation(content, language) is expected


@pytest.mark.parametrize(
    ("content", "language", "expected"),
    [
        ("def f(x: int) -> int:\n    return x\n", "python", True),
        ("def f(x, y: str):\n    return y\n", "python", True),
        ("def f(self) -> None:\n    pass\n", "python", True),
        ("from typing import Optional\n", "python", True),
        ("def f(x):\n    return {'a': x}\n", "python", False),
        ("lambda x: x\n", "python", False),
        ("function f(x: number): string { return `${x}` }\n", "typescript", True),
        ("function f(x) { return x }\n", "typescript", False),
        ("fn main() {}\n", "rust", True),  # statically typed: types are the syntax
    ],
)
def test_has_type_hints(checker, content, language, expected):
    assert checker.has_type_hints(content, language) is expected


def test_dynamic_language_without_annotations_is_not_marked_down_for_type_hints(checker):
    code = "// add\nfunction add(a, b) {\n  try { return a + b } catch (e) { throw e }\n}\n"
    assert checker.has_type_hints(code, "javascript") is False
    assert "no_type_hints" not in checker.assess(CodeSample(code, "javascript", {})).issues


@pytest.mark.parametrize(
    ("content", "language", "expected"),
    [
        ("try:\n    f()\nexcept ValueError:\n    pass\n", "python", True),
        ("if x < 0:\n    raise ValueError(x)\n", "python", True),
        ("x = f()\n", "python", False),
        ("fn f() -> Result<u8, E> { let v = g()?; Ok(v) }\n", "rust", True),
        ("fn f() -> u8 { 1 }\n", "rust", False),
        ("v, err := f()\nif err != nil {\n\treturn err\n}\n", "go", True),
        ("v := f()\n", "go", False),
        ("try { f(); } catch (IOException e) { }\n", "java", True),
        ('fp = fopen(p, "r");\nif (fp == NULL) { perror(p); }\n', "c", True),
        ("set -euo pipefail\nrm x\n", "shell", True),
    ],
)
def test_has_error_handling(checker, content, language, expected):
    assert checker.has_error_handling(content, language) is expected


@pytest.mark.parametrize(
    ("content", "language", "pattern"),
    [
        ("async def main():\n    await run()\n", "python", "async"),
        ("def f(x: int) -> int:\n    return x\n", "python", "type_hints"),
        ("import logging\nlogging.info('x')\n", "python", "logging"),
        ("@app.route('/')\ndef index():\n    pass\n", "python", "decorators"),
        ("#[tokio::main]\nasync fn main() {}\n", "rust", "async"),
        ('log.Printf("started")\n', "go", "logging"),
        ("go func() { work() }()\n", "go", "async"),
        ("@Override\npublic String toString() { return s; }\n", "java", "decorators"),
    ],
)
def test_detect_patterns_finds_each_pattern(checker, content, language, pattern):
    assert pattern in checker.detect_patterns(content, language)


def test_detect_patterns_returns_nothing_for_plain_code(checker):
    assert checker.detect_patterns("x = 1\nprint(x)\n", "python") == set()


def test_detect_patterns_finds_all_four_together(checker):
    patterns = checker.detect_patterns(WELL_WRITTEN_PYTHON, "python")
    assert patterns == {"async", "type_hints", "logging", "decorators"}


def test_assess_fills_score_frameworks_and_issues(checker):
    sample = CodeSample("import torch\nx = torch.zeros(3)\n", "python", {"path": "a.py"})
    returned = checker.assess(sample)
    assert returned is sample
    assert sample.frameworks == ["pytorch"]
    assert sample.issues == ["no_documentation", "no_type_hints", "no_error_handling"]
    assert sample.quality_score == checker.calculate_quality_score(sample.content, "python")


def test_assess_of_well_written_code_reports_no_issues(checker):
    sample = checker.assess(CodeSample(WELL_WRITTEN_PYTHON, "python", {}))
    assert sample.issues == []


def test_assess_accepts_the_stacks_language_spelling(checker):
    sample = checker.assess(CodeSample("use tokio::spawn;\n", "Rust", {}))
    assert sample.frameworks == ["tokio"]


def test_unknown_language_is_scored_with_language_neutral_signals(checker):
    code = "// entry point\nfunction main() {\n  try { run() } catch (e) { log.error(e) }\n}\n"
    assert checker.calculate_quality_score(code, None) > checker.calculate_quality_score("main()\n", None)
    assert checker.has_error_handling(code, None) is True


def test_data_formats_score_without_code_signals(checker):
    sample = checker.assess(CodeSample('{"a": 1}\n', "json", {}))
    assert sample.quality_score == 0.0
    assert sample.issues == ["no_documentation"]
