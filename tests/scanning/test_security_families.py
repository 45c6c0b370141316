"""SecurityScanner across bandit's families and other languages, on the labeled set and real modules."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from litcode.scanning import SecurityScanner
from support.labeled_security import FAMILY_OF_RULE, labeled_security

SCANNER = SecurityScanner()
CASES = labeled_security()


def families(code: str, language: str) -> set[str]:
    return {FAMILY_OF_RULE.get(f.rule_id, f.rule_id) for f in SCANNER.scan(code, language)} - {"parse_error"}


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.family], ids=lambda c: f"{c.language}-{c.family}-{c.code[:25]}"
)
def test_insecure_snippet_is_flagged_in_its_family(case) -> None:
    assert case.family in families(case.code, case.language)


@pytest.mark.parametrize(
    "case", [c for c in CASES if not c.family], ids=lambda c: f"{c.language}-{c.code[:30]}"
)
def test_safe_snippet_is_not_flagged(case) -> None:
    assert families(case.code, case.language) == set()


@pytest.mark.parametrize(
    "code",
    [
        "import subprocess\nsubprocess.call('echo hi', shell=True)",
        "import os\nos.system('clear')",
        "import pickle\npickle.loads(b'\\x80\\x04K\\x01.')",
        "value = eval('1 + 2')",
    ],
)
def test_constant_only_call_is_not_flagged(code: str) -> None:
    assert SCANNER.scan(code, "python") == []


def test_sql_built_outside_execute_is_found_on_its_line() -> None:
    code = "def find(cursor, name):\n"
    code += "    query = \"SELECT * FROM users WHERE name = '%s'\" % name\n    cursor.execute(query)\n"

    assert [(f.rule_id, f.line) for f in SCANNER.scan(code, "python")] == [("sql_string_formatting", 2)]


def test_english_sentence_with_select_and_from_is_not_sql() -> None:
    assert SCANNER.scan("msg = 'Please select a file from %s' % folder", "python") == []


def test_decorator_argument_is_checked() -> None:
    code = "import requests\n@retry(requests.get(url, verify=False))\ndef f():\n    pass\n"

    assert "tls_verification_disabled" in {f.rule_id for f in SCANNER.scan(code, "python")}


def test_aliased_import_used_on_a_line_without_trigger_word_is_found() -> None:
    code = "from pickle import loads as thaw\n\n\ndef restore(blob):\n    return thaw(blob)\n"

    assert [(f.rule_id, f.line) for f in SCANNER.scan(code, "python")] == [("unsafe_deserialization", 5)]


def test_rule_ids_and_severities_are_stable() -> None:
    code = "import os, pickle, tempfile\nos.system(cmd)\npickle.loads(b)\ntempfile.mktemp()\n"

    assert [(f.rule_id, f.severity) for f in SCANNER.scan(code, "python")] == [
        ("os_system", "high"),
        ("unsafe_deserialization", "medium"),
        ("insecure_temp_file", "medium"),
    ]


def test_skipping_statements_without_trigger_words_loses_no_stdlib_finding() -> None:
    """The walk near trigger lines finds what a walk of the whole tree finds, on real modules."""
    import ast

    from litcode.scanning.security import python_rules

    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for name in ("subprocess.py", "pickle.py", "smtplib.py", "tarfile.py", "urllib/request.py"):
        source = (stdlib / name).read_text("utf-8")
        everything = python_rules._InsecurePatternVisitor()
        everything.run(ast.walk(ast.parse(source)))
        assert set(python_rules.scan_python(source)) == set(everything.findings), name
