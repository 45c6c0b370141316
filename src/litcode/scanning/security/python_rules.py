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
from collections.abc import Iterable

from litcode.scanning.secrets.assignment_rules import judge_password, secret_name_kind
from litcode.scanning.secrets.keywords import KeywordIndex
from litcode.scanning.security import python_calls as calls
from litcode.scanning.security.finding import SecurityFinding
from litcode.scanning.security.python_ast import (
    builds_sql,
    dotted_name,
    is_constant,
    is_false,
    is_true,
    keyword_value,
    line_numbers,
    nodes_near,
    parse_module,
    subscript_key,
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
    if not has_trigger and not check_syntax:
        return []
    try:
        tree = parse_module(source)
    except (SyntaxError, ValueError) as error:  # ValueError: source holds NUL bytes
        line = getattr(error, "lineno", None) or 1
        return [SecurityFinding("parse_error", "low", line, f"not valid Python: {error}")]
    if not has_trigger:
        return []
    visitor = _InsecurePatternVisitor()
    visitor.run(nodes_near(tree, line_numbers(source, _trigger_offsets(lowered))))
    return sorted(set(visitor.findings), key=lambda finding: (finding.line, finding.rule_id))


_TRIGGERS = KeywordIndex(TRIGGER_LITERALS)
_TRIGGER_TEXT = re.compile("|".join(re.escape(literal) for literal in TRIGGER_LITERALS))
_IMPORT_LINE = re.compile(r"^[ \t]*(?:from[ \t]+\S+[ \t]+)?import[ \t]+([^\n#]+)", re.MULTILINE)


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
    for alias in aliases:
        offsets.extend(match.start() for match in re.finditer(rf"\b{re.escape(alias)}\b", lowered))
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
            self._check_shell(node, name)
            self._check_deserialization(node, name)
        self._check_yaml(node, name)
        self._check_sql(node)
        self._check_crypto(node, name)
        self._check_misc(node, name)
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

    def _check_shell(self, node: ast.Call, name: str) -> None:
        if is_true(keyword_value(node, "shell")) and (name in calls.SUBPROCESS_CALLS or node.args):
            self._report(
                node,
                "subprocess_shell_true",
                "high",
                f"{name or 'call'}(..., shell=True) on a computed command",
            )
        elif name in calls.SHELL_CALLS:
            self._report(node, "os_system", "high", f"{name}() runs a computed command in a shell")

    def _check_deserialization(self, node: ast.Call, name: str) -> None:
        unsafe = name in calls.DESERIALIZERS
        if name in ("torch.load", "numpy.load", "np.load"):
            weights_only = keyword_value(node, "weights_only")
            unsafe = is_true(keyword_value(node, "allow_pickle")) or (
                name == "torch.load" and not is_true(weights_only)
            )
        if unsafe:
            self._report(
                node, "unsafe_deserialization", "medium", f"{name}() can execute code from its input"
            )

    def _check_yaml(self, node: ast.Call, name: str) -> None:
        if name in calls.UNSAFE_YAML:
            self._report(node, "yaml_unsafe_load", "medium", f"{name}() constructs arbitrary objects")
        elif name in calls.YAML_LOADERS:
            loader = keyword_value(node, "Loader") or (node.args[1] if len(node.args) > 1 else None)
            loader_name = dotted_name(loader) or ""
            if not loader_name.endswith(calls.SAFE_YAML_LOADERS):
                self._report(node, "yaml_unsafe_load", "medium", f"{name}() without a safe Loader")

    def _check_sql(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Attribute) and node.func.attr == "format" and builds_sql(node):
            self._report(
                node, "sql_string_formatting", "medium", "SQL built by string formatting; use parameters"
            )

    def _check_crypto(self, node: ast.Call, name: str) -> None:
        if is_false(keyword_value(node, "verify")) and _is_http_call(name):
            self._report(node, "tls_verification_disabled", "high", f"{name or 'call'}(verify=False)")
        if name in calls.UNVERIFIED_CONTEXTS:
            self._report(node, "tls_verification_disabled", "high", f"{name}() skips certificate checks")
        if name in calls.WEAK_CIPHERS:
            self._report(node, "weak_cipher", "medium", f"{name} is a broken cipher or mode")
        algorithm = name.removeprefix("hashlib.") if name.startswith("hashlib.") else None
        arguments: list[ast.expr] = list(node.args)
        if algorithm == "new" and node.args and isinstance(node.args[0], ast.Constant):
            algorithm, arguments = str(node.args[0].value).lower(), node.args[1:]
        if algorithm in calls.FAST_HASHES:
            names = [dotted_name(child) or "" for argument in arguments for child in ast.walk(argument)]
            if any(secret_name_kind(candidate) == "password" for candidate in names):
                severity = "high" if algorithm in calls.WEAK_HASHES else "medium"
                self._report(node, "weak_password_hash", severity, f"{algorithm} is too fast for passwords")
                return
        weak = (algorithm in calls.WEAK_HASHES) or name in calls.WEAK_HASH_CALLS
        if weak and not is_false(keyword_value(node, "usedforsecurity")):
            self._report(node, "weak_hash", "low", f"{algorithm or name} is broken for security uses")

    def _check_misc(self, node: ast.Call, name: str) -> None:
        if name in calls.TEMP_FILE_NAMES:
            self._report(
                node, "insecure_temp_file", "medium", f"{name}() races: use mkstemp/NamedTemporaryFile"
            )
        elif name in calls.TEMPLATE_ENGINES and not is_true(keyword_value(node, "autoescape")):
            if not isinstance(keyword_value(node, "autoescape"), ast.Call):  # select_autoescape(...)
                self._report(node, "template_autoescape_off", "high", f"{name} without autoescape")
        elif name in calls.SSH_AUTO_ACCEPT or any(
            self._resolve(arg) in calls.SSH_AUTO_ACCEPT for arg in node.args
        ):
            self._report(node, "ssh_host_key_unverified", "medium", "unknown SSH host keys are accepted")
        elif name == "os.chmod" and len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
            mode = node.args[1].value
            if isinstance(mode, int) and mode & 0o002:
                self._report(node, "permissive_file_mode", "medium", f"chmod {oct(mode)} is world-writable")
        if name.endswith(".run") and is_true(keyword_value(node, "debug")):
            self._report(node, "debug_enabled", "medium", "debug=True exposes a debugger")
        servers = (".bind", ".run", "serve", "listen", "create_server", "start_server")
        bound = [*(node.args if name.endswith(servers) else ())]
        bound += [keyword.value for keyword in node.keywords if keyword.arg in ("host", "bind", "address")]
        if bound and isinstance(bound[0], ast.Tuple) and bound[0].elts:
            bound[0] = bound[0].elts[0]  # socket.bind(("0.0.0.0", port))
        if any(isinstance(arg, ast.Constant) and arg.value == "0.0.0.0" for arg in bound):
            self._report(node, "bind_all_interfaces", "medium", "binds to every network interface")

    def _check_password_literal(self, target: ast.AST, value: ast.AST) -> None:
        name = subscript_key(target) if isinstance(target, ast.Subscript) else dotted_name(target)
        if not name or secret_name_kind(name) != "password":
            return
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            verdict = judge_password(value.value)
            if verdict is not None and not verdict[1]:
                self._report(target, "hardcoded_password", "low", f"password literal assigned to {name}")


def _is_http_call(name: str) -> bool:
    """requests/httpx/aiohttp calls and HTTP-verb methods: where ``verify=False`` means TLS (not numpy's)."""
    lowered = name.lower()
    head, last = name.split(".")[0], name.rsplit(".", 1)[-1]
    return (
        head in calls.HTTP_MODULES
        or last in calls.HTTP_METHODS
        or "session" in lowered
        or "client" in lowered
    )
