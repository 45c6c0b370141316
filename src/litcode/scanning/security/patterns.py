"""Insecure patterns in languages without a parser here: one regex per rule and language family.

Regexes read lines, not syntax, so they are tuned to the idioms that matter
(``InsecureSkipVerify: true``, ``child_process.exec(`...${x}`)``) and accept a
rare hit in a comment over a missed one in code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_JS = frozenset({"javascript", "typescript"})
_JVM = frozenset({"java", "kotlin", "scala"})
_C = frozenset({"c", "cpp"})


@dataclass(frozen=True)
class PatternSecurityRule:
    """A regex that marks an insecure construct in the given languages.

    >>> gets = re.compile(r"\\bgets\\(")
    >>> rule = PatternSecurityRule("unsafe_c_function", "high", frozenset({"c"}), gets, "gets()")
    >>> bool(rule.pattern.search("gets(buffer);"))
    True
    """

    rule_id: str
    severity: str
    languages: frozenset[str]
    pattern: re.Pattern[str]
    message: str


def _rule(
    rule_id: str, severity: str, languages: frozenset[str] | set[str], pattern: str, message: str
) -> PatternSecurityRule:
    return PatternSecurityRule(
        rule_id, severity, frozenset(languages), re.compile(pattern, re.MULTILINE), message
    )


PATTERN_SECURITY_RULES: tuple[PatternSecurityRule, ...] = (
    # Code evaluation on computed input
    _rule("eval_exec", "medium", _JS, r"\beval\s*\(\s*[^\s'\")]", "eval() on a computed value"),
    _rule("eval_exec", "medium", _JS, r"\bnew\s+Function\s*\(", "new Function() compiles strings to code"),
    _rule("eval_exec", "medium", {"php"}, r"\beval\s*\(\s*\$", "eval() on a variable"),
    _rule(
        "eval_exec",
        "medium",
        {"ruby"},
        r"\b(?:eval|instance_eval|class_eval)\s*\(?\s*[a-z_@]",
        "eval on a computed value",
    ),
    _rule("eval_exec", "medium", {"shell"}, r"\beval\s+[\"']?\$", "eval of an expanded variable"),
    # Shell command execution with interpolated input
    _rule(
        "subprocess_shell_true",
        "high",
        _JS,
        r"\bexec(?:Sync)?\s*\(\s*(?:`[^`]*\$\{|[\"'][^\"']*[\"']\s*\+)",
        "child_process.exec with interpolated input",
    ),
    _rule(
        "subprocess_shell_true",
        "medium",
        {"go"},
        r"exec\.Command(?:Context)?\s*\([^)]*\"(?:ba|z)?sh\"\s*,\s*\"-c\"",
        'exec.Command("sh", "-c", ...) runs a shell',
    ),
    _rule(
        "subprocess_shell_true",
        "medium",
        {"rust"},
        r"Command::new\s*\(\s*\"(?:ba|z)?sh\"\s*\)\s*\.arg\s*\(\s*\"-c\"",
        'Command::new("sh").arg("-c") runs a shell',
    ),
    _rule(
        "os_system", "medium", _JVM, r"Runtime\.getRuntime\(\)\.exec\s*\(", "Runtime.exec() runs a command"
    ),
    _rule(
        "os_system",
        "high",
        {"php"},
        r"\b(?:system|shell_exec|passthru|exec|popen|proc_open)\s*\(\s*[^)]*\$",
        "shell call with a variable",
    ),
    _rule("os_system", "medium", _C, r"\b(?:system|popen)\s*\(\s*[^\"\s)]", "system() on a computed command"),
    _rule(
        "os_system",
        "medium",
        {"ruby"},
        r"(?:\bsystem\s*\(?\s*\"[^\"]*#\{|`[^`]*#\{|%x\()",
        "shell command with interpolation",
    ),
    # Unsafe deserialization
    _rule("unsafe_deserialization", "medium", {"php"}, r"\bunserialize\s*\(\s*\$", "unserialize() on input"),
    _rule(
        "unsafe_deserialization",
        "medium",
        _JVM,
        r"\bnew\s+ObjectInputStream\s*\(",
        "Java deserialization of a stream",
    ),
    _rule(
        "unsafe_deserialization",
        "medium",
        {"ruby"},
        r"\bMarshal\.load\b|\bYAML\.load\s*\(",
        "Marshal/YAML.load constructs objects",
    ),
    _rule(
        "unsafe_deserialization",
        "medium",
        {"c-sharp"},
        r"\bBinaryFormatter\s*\(",
        "BinaryFormatter deserialization",
    ),
    _rule(
        "yaml_unsafe_load",
        "medium",
        _JS,
        r"\byaml\.load\s*\([^)]*(?:DEFAULT_FULL_SCHEMA|unsafe)",
        "js-yaml load with an unsafe schema",
    ),
    # SQL assembled from strings
    _rule(
        "sql_string_formatting",
        "medium",
        _JS,
        r"\.(?:query|execute|raw)\s*\(\s*`\s*(?:SELECT|INSERT|UPDATE|DELETE)\b[^`]*\$\{",
        "SQL template literal with interpolation",
    ),
    _rule(
        "sql_string_formatting",
        "medium",
        _JS | _JVM | {"c-sharp"},
        r"\.(?:query|execute\w*|prepareStatement|raw)\s*\(\s*"
        r"(?:\"(?:SELECT|INSERT|UPDATE|DELETE)\b[^\"]*\"|'(?:SELECT|INSERT|UPDATE|DELETE)\b[^']*')\s*\+",
        "SQL concatenated with input",
    ),
    _rule(
        "sql_string_formatting",
        "medium",
        {"go"},
        r"\.(?:Query|QueryRow|Exec)(?:Context)?\s*\([^)]*fmt\.Sprintf\s*\(\s*\"(?:SELECT|INSERT|UPDATE|DELETE)",
        "SQL built with fmt.Sprintf",
    ),
    _rule(
        "sql_string_formatting",
        "medium",
        {"rust"},
        r"(?:query|execute)\s*\(\s*&?format!\s*\(\s*\"(?:SELECT|INSERT|UPDATE|DELETE)",
        "SQL built with format!",
    ),
    _rule(
        "sql_string_formatting",
        "high",
        {"php"},
        r"\b(?:mysql_query|mysqli_query|->query)\s*\([^)]*[\"'](?:SELECT|INSERT|UPDATE|DELETE)\b[^\"']*[\"']\s*\.\s*\$",
        "SQL concatenated with a variable",
    ),
    # TLS verification switched off
    _rule(
        "tls_verification_disabled",
        "high",
        {"go"},
        r"InsecureSkipVerify\s*:\s*true",
        "InsecureSkipVerify: true",
    ),
    _rule(
        "tls_verification_disabled",
        "high",
        {"rust"},
        r"danger_accept_invalid_(?:certs|hostnames)\s*\(\s*true\s*\)",
        "accepts invalid certificates",
    ),
    _rule(
        "tls_verification_disabled",
        "high",
        _JS,
        r"rejectUnauthorized\s*:\s*false|NODE_TLS_REJECT_UNAUTHORIZED[\"']?\]?\s*=\s*[\"']?0",
        "TLS verification disabled",
    ),
    _rule(
        "tls_verification_disabled",
        "high",
        _JVM,
        r"(?:ALLOW_ALL_HOSTNAME_VERIFIER|NoopHostnameVerifier|TrustAllCerts|X509TrustManager\s*\(\s*\)\s*\{)",
        "trust-all certificate/hostname checks",
    ),
    _rule(
        "tls_verification_disabled",
        "high",
        {"php"},
        r"CURLOPT_SSL_VERIFYPEER\s*,\s*(?:false|0)",
        "CURLOPT_SSL_VERIFYPEER off",
    ),
    _rule(
        "tls_verification_disabled",
        "medium",
        {"shell"},
        r"\bcurl\b[^\n]*\s(?:-k|--insecure)\b|\bwget\b[^\n]*--no-check-certificate",
        "curl/wget without certificate checks",
    ),
    _rule(
        "tls_verification_disabled",
        "high",
        {"c-sharp"},
        r"ServerCertificateValidationCallback\s*=[^;]*=>\s*true",
        "accepts every certificate",
    ),
    # Weak hashes applied to passwords
    _rule(
        "weak_password_hash",
        "high",
        _JS,
        r"createHash\s*\(\s*[\"'](?:md5|sha1)[\"']\s*\)[^;\n]*update\s*\(\s*\w*pass",
        "md5/sha1 over a password",
    ),
    _rule(
        "weak_password_hash",
        "high",
        {"go"},
        r"(?:md5|sha1)\.Sum\s*\(\s*\[\]byte\s*\(\s*\w*[pP]ass",
        "md5/sha1 over a password",
    ),
    _rule(
        "weak_password_hash", "high", {"php"}, r"\b(?:md5|sha1)\s*\(\s*\$\w*pass", "md5/sha1 over a password"
    ),
    _rule(
        "weak_password_hash",
        "high",
        _JVM,
        r"MessageDigest\.getInstance\s*\(\s*\"(?:MD5|SHA-?1)\"",
        "MD5/SHA-1 MessageDigest",
    ),
    # Memory-unsafe C calls
    _rule("unsafe_c_function", "high", _C, r"\bgets\s*\(", "gets() cannot bound its input"),
    _rule("unsafe_c_function", "low", _C, r"\b(?:strcpy|strcat|sprintf)\s*\(", "unbounded string copy"),
)
