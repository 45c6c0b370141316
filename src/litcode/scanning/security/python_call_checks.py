"""Checks on one resolved call (``subprocess.run``, ``pickle.loads``, ``hashlib.md5``), one per family.

Each takes the call, its fully qualified name and a ``report(node, rule_id, severity, message)``
callback; the visitor in :mod:`.python_rules` decides which calls reach them (a call whose
arguments are all constants never reaches the shell and deserialization checks).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from litcode.scanning.secrets.names import secret_name_kind
from litcode.scanning.security import python_calls as calls
from litcode.scanning.security.python_ast import (
    builds_sql,
    dotted_name,
    is_constant,
    is_false,
    is_true,
    keyword_value,
)

Report = Callable[[ast.AST, str, str, str], None]
Resolve = Callable[[ast.AST], "str | None"]
_TEMP_DIRECTORIES = ("/tmp/", "/var/tmp/", "/dev/shm/")
_WORLD_WRITABLE = ("S_IWOTH", "S_IRWXO")


def check_shell(node: ast.Call, name: str, report: Report) -> None:
    if is_true(keyword_value(node, "shell")) and (name in calls.SUBPROCESS_CALLS or node.args):
        report(
            node,
            "subprocess_shell_true",
            "high",
            f"{name or 'call'}(..., shell=True) on a computed command",
        )
    elif name in calls.SHELL_CALLS or name.endswith(".exec_command"):  # paramiko runs it remotely
        report(node, "os_system", "high", f"{name}() runs a computed command in a shell")


def check_deserialization(node: ast.Call, name: str, report: Report) -> None:
    unsafe = name in calls.DESERIALIZERS
    if name in ("torch.load", "numpy.load", "np.load"):
        weights_only = keyword_value(node, "weights_only")
        unsafe = is_true(keyword_value(node, "allow_pickle")) or (
            name == "torch.load" and not is_true(weights_only)
        )
    if unsafe:
        report(node, "unsafe_deserialization", "medium", f"{name}() can execute code from its input")


def check_yaml(node: ast.Call, name: str, report: Report) -> None:
    if name in calls.UNSAFE_YAML:
        report(node, "yaml_unsafe_load", "medium", f"{name}() constructs arbitrary objects")
    elif name in calls.YAML_LOADERS:
        loader = keyword_value(node, "Loader") or (node.args[1] if len(node.args) > 1 else None)
        loader_name = dotted_name(loader) or ""
        if not loader_name.endswith(calls.SAFE_YAML_LOADERS):
            report(node, "yaml_unsafe_load", "medium", f"{name}() without a safe Loader")


def check_sql_format(node: ast.Call, report: Report) -> None:
    if isinstance(node.func, ast.Attribute) and node.func.attr == "format" and builds_sql(node):
        report(node, "sql_string_formatting", "medium", "SQL built by string formatting; use parameters")


def check_crypto(node: ast.Call, name: str, report: Report) -> None:
    if is_false(keyword_value(node, "verify")) and _is_http_call(name):
        report(node, "tls_verification_disabled", "high", f"{name or 'call'}(verify=False)")
    if name in calls.UNVERIFIED_CONTEXTS:
        report(node, "tls_verification_disabled", "high", f"{name}() skips certificate checks")
    if name in calls.WEAK_CIPHERS:
        report(node, "weak_cipher", "medium", f"{name} is a broken cipher or mode")
    algorithm = name.removeprefix("hashlib.") if name.startswith("hashlib.") else None
    arguments: list[ast.expr] = list(node.args)
    if algorithm == "new" and node.args and isinstance(node.args[0], ast.Constant):
        algorithm, arguments = str(node.args[0].value).lower(), node.args[1:]
    if algorithm in calls.FAST_HASHES:
        names = [dotted_name(child) or "" for argument in arguments for child in ast.walk(argument)]
        if any(secret_name_kind(candidate) == "password" for candidate in names):
            severity = "high" if algorithm in calls.WEAK_HASHES else "medium"
            report(node, "weak_password_hash", severity, f"{algorithm} is too fast for passwords")
            return
    weak = (algorithm in calls.WEAK_HASHES) or name in calls.WEAK_HASH_CALLS
    if weak and not is_false(keyword_value(node, "usedforsecurity")):
        report(node, "weak_hash", "low", f"{algorithm or name} is broken for security uses")


def check_misc(node: ast.Call, name: str, report: Report, resolve: Resolve) -> None:
    if name in calls.TEMP_FILE_NAMES:
        report(node, "insecure_temp_file", "medium", f"{name}() races: use mkstemp/NamedTemporaryFile")
    elif name in calls.TEMPLATE_ENGINES and not is_true(keyword_value(node, "autoescape")):
        if not isinstance(keyword_value(node, "autoescape"), ast.Call):  # select_autoescape(...)
            report(node, "template_autoescape_off", "high", f"{name} without autoescape")
    elif name in calls.SSH_AUTO_ACCEPT or any(resolve(arg) in calls.SSH_AUTO_ACCEPT for arg in node.args):
        report(node, "ssh_host_key_unverified", "medium", "unknown SSH host keys are accepted")
    elif name in ("os.chmod", "os.fchmod", "os.lchmod") and len(node.args) > 1:
        mode = node.args[1]
        constant = mode.value if isinstance(mode, ast.Constant) else None
        named = {child.attr for child in ast.walk(mode) if isinstance(child, ast.Attribute)}
        if (isinstance(constant, int) and constant & 0o002) or named & set(_WORLD_WRITABLE):
            report(node, "permissive_file_mode", "medium", "chmod makes the file world-writable")
    elif name in calls.XML_PARSERS:
        report(node, "unsafe_xml_parsing", "low", f"{name}() on untrusted XML: use defusedxml")
    elif name in calls.MARKUP_BYPASS and node.args and not is_constant(node.args[0]):
        report(node, "cross_site_scripting", "medium", f"{name}() marks a computed value safe HTML")
    first = node.args[0] if node.args else None
    in_temp = isinstance(first, ast.Constant) and str(first.value).startswith(_TEMP_DIRECTORIES)
    if in_temp and name in calls.FILE_OPENERS:
        report(node, "insecure_temp_file", "low", f"{name}() on a fixed path in a shared temp directory")
    if name.endswith(".run") and is_true(keyword_value(node, "debug")):
        report(node, "debug_enabled", "medium", "debug=True exposes a debugger")
    servers = (".bind", ".run", "serve", "listen", "create_server", "start_server")
    bound = [*(node.args if name.endswith(servers) else ())]
    bound += [keyword.value for keyword in node.keywords if keyword.arg in ("host", "bind", "address")]
    if bound and isinstance(bound[0], ast.Tuple) and bound[0].elts:
        bound[0] = bound[0].elts[0]  # socket.bind(("0.0.0.0", port))
    if any(isinstance(arg, ast.Constant) and arg.value == "0.0.0.0" for arg in bound):
        report(node, "bind_all_interfaces", "medium", "binds to every network interface")


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
