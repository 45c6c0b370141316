"""check_syntax: the parse check can be skipped where no rule could fire."""

from __future__ import annotations

from litcode.scanning import SecurityScanner

BROKEN_WITHOUT_TRIGGERS = "def broken(:\n    return 1\n"
BROKEN_WITH_TRIGGER = "import subprocess\nsubprocess.run(cmd, shell=True\n"


def test_default_reports_parse_errors_everywhere():
    assert [f.rule_id for f in SecurityScanner().scan(BROKEN_WITHOUT_TRIGGERS, "python")] == ["parse_error"]


def test_without_syntax_check_a_module_with_no_trigger_is_not_parsed():
    assert SecurityScanner(check_syntax=False).scan(BROKEN_WITHOUT_TRIGGERS, "python") == []


def test_without_syntax_check_modules_with_triggers_are_still_parsed_and_walked():
    scanner = SecurityScanner(check_syntax=False)
    assert [f.rule_id for f in scanner.scan(BROKEN_WITH_TRIGGER, "python")] == ["parse_error"]
    code = "import subprocess\nsubprocess.run(cmd, shell=True)\n"
    assert [f.rule_id for f in scanner.scan(code, "python")] == ["subprocess_shell_true"]
