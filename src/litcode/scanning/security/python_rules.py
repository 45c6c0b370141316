"""Insecure patterns in Python, found on the AST (bandit's approach, in one small visitor).

Names are resolved through the module's imports, so ``import subprocess as sp;
sp.run(cmd, shell=True)`` and ``from pickle import loads`` are caught like the
plain spellings. Each rule is one method; ids follow bandit's wording and are
stable (curation's ``insecure="drop"`` and its manifest rows name them):

======================== ======== ==================================================
rule id                  severity what
======================== ======== ==================================================
eval_exec                medium+  ``eval``/``exec`` on a computed value (high on input)
subprocess_shell_true    high     ``subprocess.*(cmd, shell=True)``, cmd not constant
os_system                high     ``os.system/popen*``, ``commands.*``, cmd not constant
unsafe_deserialization   medium   pickle family, dill, jsonpickle, pandas.read_pickle,
                                  marshal, shelve, ``torch.load`` without weights_only
yaml_unsafe_load         medium   ``yaml.load``/``load_all`` without a safe Loader
sql_string_formatting    medium   SQL text built with f-strings, ``%``, ``+``, ``.format``
tls_verification_disabled high    ``verify=False``, ``CERT_NONE``, unverified contexts
insecure_tls_version     medium   SSLv2/SSLv3/TLSv1/TLSv1.1 protocol constants
ssh_host_key_unverified  medium   paramiko ``AutoAddPolicy``/``WarningPolicy``
weak_password_hash       high     md5/sha1 (medium: sha2) over a password
weak_hash                low      md5/sha1 without ``usedforsecurity=False``
weak_cipher              medium   DES, RC4, Blowfish, ... and ECB mode
insecure_temp_file       medium   ``tempfile.mktemp``
template_autoescape_off  high     ``jinja2.Environment`` without autoescape
debug_enabled            medium   ``app.run(debug=True)``
bind_all_interfaces      medium   binding to ``0.0.0.0``
permissive_file_mode     medium   ``os.chmod`` with world-writable bits
hardcoded_password       low      a password literal: assignment, argument, default,
                                  comparison, dict entry
parse_error              low      the module does not parse
======================== ======== ==================================================
"""

from __future__ import annotations

import ast
import re
import symtable
from collections.abc import Iterable

from litcode.scanning.secrets.assignment_rules import COMMON_FAKE_PASSWORDS, judge_password, secret_name_kind
from litcode.scanning.secrets.keywords import KeywordIndex
from litcode.scanning.security import python_calls as calls
from litcode.scanning.security.finding import SecurityFinding
from litcode.scanning.security.python_ast import (
    builds_sql,
    dotted_name,
    is_constant,
    is_false,
    line_numbers,
    nodes_near,
    parse_module,
    subscript_key,
)
from litcode.scanning.security.python_call_checks import (
    check_crypto,
    check_deserialization,
    check_misc,
    check_shell,
    check_sql_format,
    check_yaml,
)

TRIGGER_LITERALS = calls.TRIGGER_LITERALS


def scan_python(source: str, check_syntax: bool = True) -> list[SecurityFinding]:
    """Findings for one Python module; a module that does not parse yields one ``parse_error`` finding.

    ``check_syntax=False`` skips the parse of a module that holds no trigger literal: no rule
    can fire there, and parsing is most of the cost (curation uses this). Only statements on
    lines holding a trigger word, an import, or a name imported from a triggering module are
    walked (:func:`~.python_ast.nodes_near`).
    """
    lowered = source.lower()
    has_trigger = any(literal in lowered for literal in TRIGGER_LITERALS)
    if not has_trigger:
        return _syntax_check(source) if check_syntax else []
    try:
        tree = parse_module(source)
    except (SyntaxError, ValueError) as error:  # ValueError: source holds NUL bytes
        line = getattr(error, "lineno", None) or 1
        return [SecurityFinding("parse_error", "low", line, f"not valid Python: {error}")]
    visitor = _InsecurePatternVisitor()
    visitor.run(nodes_near(tree, line_numbers(source, _trigger_offsets(lowered))))
    return sorted(set(visitor.findings), key=lambda finding: (finding.line, finding.rule_id))


def _syntax_check(source: str) -> list[SecurityFinding]:
    """``parse_error`` for a module no rule can fire in, checked without building its syntax tree.

    :func:`symtable.symtable` runs CPython's parser and symbol pass but builds no Python AST
    objects: about half the cost of ``ast.parse`` (measured 0.27 s against 0.47 s on 30 stdlib
    modules). It is slightly stricter (``nonlocal`` at module level is an error), as ``compile`` is.
    """
    try:
        symtable.symtable(source, "<module>", "exec")
    except (SyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None) or 1
        return [SecurityFinding("parse_error", "low", line, f"not valid Python: {error}")]
    return []


_TRIGGERS = KeywordIndex(TRIGGER_LITERALS)
_TRIGGER_TEXT = re.compile("|".join(re.escape(literal) for literal in TRIGGER_LITERALS))
_IMPORT_LINE = re.compile(r"^[ \t]*(?:from[ \t]+\S+[ \t]+)?import[ \t]+(\([^)]*\)|[^\n#]+)", re.MULTILINE)


def _trigger_offsets(lowered: str) -> list[int]:
    """Offsets of trigger literals, of imports, and of names that a triggering import brings in."""
    offsets = _TRIGGERS.positions(lowered)
    aliases = set()
    for statement in _IMPORT_LINE.finditer(lowered):
        offsets.append(statement.start())
        if _TRIGGER_TEXT.search(statement.group(0)):
            for part in statement.group(1).replace("(", " ").replace(")", " ").split(","):
                words = part.split()
                if words and words[-1].split(".")[0].isidentifier():
                    aliases.add(words[-1].split(".")[0])
    for alias in aliases:  # str.find jumps between occurrences; a regex with \b would try every position
        position = lowered.find(alias)
        while position >= 0:
            end = position + len(alias)
            before = lowered[position - 1] if position else " "
            after = lowered[end] if end < len(lowered) else " "
            if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
                offsets.append(position)
            position = lowered.find(alias, end)
    return offsets


class _InsecurePatternVisitor:
    """One flat ``ast.walk`` with a type-to-handler table: cheaper than ``NodeVisitor``'s recursion.

    Calls and attributes are checked after the walk, once every import alias is known.
    """

    def __init__(self) -> None:
        self.findings: list[SecurityFinding] = []
        self.aliases: dict[str, str] = {}

    def run(self, nodes: Iterable[ast.AST]) -> None:
        handlers = {
            ast.Import: self.visit_Import,
            ast.ImportFrom: self.visit_ImportFrom,
            ast.Assign: self.visit_Assign,
            ast.AnnAssign: self.visit_AnnAssign,
            ast.Dict: self.visit_Dict,
            ast.Compare: self.visit_Compare,
            ast.FunctionDef: self.visit_arguments,
            ast.AsyncFunctionDef: self.visit_arguments,
            ast.Lambda: self.visit_arguments,
        }
        deferred: list[ast.Call | ast.Attribute] = []
        for node in nodes:
            handler = handlers.get(type(node))
            if handler is not None:
                handler(node)  # type: ignore[operator]
            elif isinstance(node, (ast.Call, ast.Attribute)):
                deferred.append(node)
            elif isinstance(node, (ast.JoinedStr, ast.BinOp)) and builds_sql(node):
                self._report(
                    node, "sql_string_formatting", "medium", "SQL built by string formatting; use parameters"
                )
        for node in deferred:
            if isinstance(node, ast.Call):
                self.visit_Call(node)
            else:
                self.visit_Attribute(node)

    def _report(self, node: ast.AST, rule_id: str, severity: str, message: str) -> None:
        self.findings.append(SecurityFinding(rule_id, severity, getattr(node, "lineno", 1), message))

    def _resolve(self, node: ast.AST) -> str | None:
        name = dotted_name(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        resolved = self.aliases.get(head, head)
        return f"{resolved}.{rest}" if rest else resolved

    def _reads_untrusted(self, node: ast.AST) -> bool:
        for child in ast.walk(node):
            target = child.func if isinstance(child, ast.Call) else child
            name = self._resolve(target) if isinstance(target, (ast.Name, ast.Attribute)) else None
            if name and (name in calls.UNTRUSTED_SOURCES or name.split(".")[0] == "request"):
                return True
        return False

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self.aliases[alias.asname] = alias.name
            else:
                head = alias.name.split(".")[0]
                self.aliases[head] = head

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if node.module:
                self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def visit_Call(self, node: ast.Call) -> None:
        name = self._resolve(node.func) or ""
        constant_arguments = all(is_constant(argument) for argument in node.args) and all(
            is_constant(keyword.value) for keyword in node.keywords if keyword.arg != "shell"
        )
        if name in calls.EVALUATORS and node.args and not is_constant(node.args[0]):
            severity = "high" if self._reads_untrusted(node.args[0]) else "medium"
            self._report(node, "eval_exec", severity, f"{name}() on a computed value runs arbitrary code")
        if not constant_arguments:
            check_shell(node, name, self._report)
            check_deserialization(node, name, self._report)
        check_yaml(node, name, self._report)
        check_sql_format(node, self._report)
        check_crypto(node, name, self._report)
        check_misc(node, name, self._report, self._resolve)
        for keyword in node.keywords:
            if keyword.arg:
                self._check_password_literal(ast.Name(id=keyword.arg, lineno=node.lineno), keyword.value)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._check_password_literal(target, node.value)
            if isinstance(target, ast.Attribute) and target.attr == "check_hostname" and is_false(node.value):
                self._report(node, "tls_verification_disabled", "high", "check_hostname = False")

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._check_password_literal(node.target, node.value)

    def visit_Dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                self._check_password_literal(ast.Name(id=key.value, lineno=key.lineno), value)

    def visit_Compare(self, node: ast.Compare) -> None:
        if len(node.ops) == 1 and isinstance(node.ops[0], (ast.Eq, ast.NotEq, ast.Is, ast.IsNot)):
            left, right = node.left, node.comparators[0]
            self._check_password_literal(left, right)
            self._check_password_literal(right, left)

    def visit_arguments(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        arguments = node.args
        positional = [*arguments.posonlyargs, *arguments.args]
        with_defaults = positional[len(positional) - len(arguments.defaults) :]
        pairs = list(zip(with_defaults, arguments.defaults, strict=True))
        keyword_only = zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
        pairs += [(arg, default) for arg, default in keyword_only if default is not None]
        for argument, default in pairs:
            self._check_password_literal(ast.Name(id=argument.arg, lineno=argument.lineno), default)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        name = self._resolve(node)
        if name == "ssl.CERT_NONE":
            self._report(
                node, "tls_verification_disabled", "high", "ssl.CERT_NONE disables certificate checks"
            )
        elif name in calls.WEAK_TLS_VERSIONS:
            self._report(node, "insecure_tls_version", "medium", f"{name} is a broken protocol version")

    def _check_password_literal(self, target: ast.AST, value: ast.AST) -> None:
        name = subscript_key(target) if isinstance(target, ast.Subscript) else dotted_name(target)
        if not name or secret_name_kind(name) != "password":
            return
        if (
            isinstance(value, ast.Constant)
            and isinstance(value.value, str)
            and _is_password_literal(value.value)
        ):
            self._report(target, "hardcoded_password", "low", f"password literal assigned to {name}")


def _is_password_literal(value: str) -> bool:
    """A fixed password, fakes included: in code ``password="root"`` is a default credential (B105-B107).

    Empty strings, templates and prompts (``"Password:"``, ``"Enter password"``) are not.
    """
    if len(value) < 3 or value.endswith(":") or any(char.isspace() for char in value):
        return False
    return judge_password(value) is not None or value.lower() in COMMON_FAKE_PASSWORDS
