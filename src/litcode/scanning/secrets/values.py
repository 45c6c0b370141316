"""Is a value assigned to a secret name a secret? Templates, references and hand-made fakes are not.

``password = "${DB_PASSWORD}"`` says where a secret comes from, not what it
is; ``password = "Pa${ss"`` (a stray ``${``) is a password. Values under
``token``/``key`` names must look machine-made; passwords need not
(people pick ``hunter22``).
"""

from __future__ import annotations

import re

from litcode.scanning.secrets.entropy import has_letters_and_digits, shannon_entropy
from litcode.scanning.secrets.names import _word_set
from litcode.scanning.secrets.placeholders import looks_like_placeholder

COMMON_FAKE_PASSWORDS = _word_set(
    "password passwd secret changeme admin root guest test testing pass default none null nil "
    "undefined mypassword yourpassword foobar foo bar baz qwerty letmein 123456 12345678 password1 "
    "passw0rd p@ssw0rd abc123 hunter2 s3cret topsecret true false yes no user username value values "
    "string str text"
)
# Well-formed references: ${VAR}, {{ var }}, %(name)s, {name}, {0}, {}, %s, $(cmd), <%= x %>, $VAR, %VAR%.
_TEMPLATE = re.compile(
    r"\$\{[^}\s]{1,80}\}|\{\{.{0,80}?\}\}|%\([\w.]+\)[sdr]|\{[\w.\[\]]{0,40}(?:![rsa])?(?::[^{}]{0,10})?\}"
    r"|%[sdr]\b|\$\([^)]{1,80}\)|<%.{0,80}?%>|^\$[A-Za-z_]\w*$|^%[A-Za-z_]\w*%$|^#\{.+\}$"
)
# "user_password", "db.secret_key": the name of a field, not its content.
_FIELD_NAME_VALUE = re.compile(r"[a-z]+(?:[_.\-][a-z]+)+")
_SEGMENTS = re.compile(r"[-_.:/+]")
_REGEX = re.compile(r"\[[^\]]+\][+*?{]|\\[dwsbDWS]|\(\?[:=!<]|^\^.*\$$")
_ENTRY_POINT = re.compile(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*")  # `package.module:attribute`
_CHOICES = re.compile(r"\w+(?:\|\w+)+")  # `true|false`, `md5|scram-sha-256`: a list of choices
_PATH = re.compile(r"(?:/|\./|\.\./|~/|[A-Za-z]:\\)[\w./\\ -]*")
_CODE_VALUE = re.compile(
    r"[A-Za-z_][\w.]*\(.*\)|(?:os\.environ|process\.env|ENV)\b.*|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[[^\]]*\])+"
)
_HEX = frozenset("0123456789abcdefABCDEF-")


def is_reference(value: str) -> bool:
    """Templates, references, code and field names: the value says where a secret comes from.

    >>> is_reference("${DB_PASSWORD}"), is_reference("{{ vault_pw }}"), is_reference("Pa${ss{w0rd")
    (True, True, False)
    """
    if (
        len(set(value)) <= 1
        or value[0] in "*@"
        or (value.startswith(("<", "[")) and value.endswith((">", "]")))
    ):
        return True
    balanced = value.count("{") == value.count("}")  # `Pa${ss{w0rd`: braces, not a template
    if (balanced and _TEMPLATE.search(value)) or _CODE_VALUE.fullmatch(value) or _CHOICES.fullmatch(value):
        return True
    if _REGEX.search(value) or _ENTRY_POINT.fullmatch(value):
        return True
    return _FIELD_NAME_VALUE.fullmatch(value) is not None and any(
        word in value for word in ("pass", "secret", "token", "key", "auth", "user", "name", "pwd")
    )


def judge_password(value: str) -> tuple[float, bool] | None:
    """(confidence, is_example) for a value assigned to a password name, or None when it is no password.

    >>> judge_password("xK9#mQ2v"), judge_password("changeme"), judge_password("Enter your password")
    ((0.75, False), (0.5, True), None)
    """
    if len(value) < 4 or any(char.isspace() for char in value) or is_reference(value):
        return None
    if _PATH.fullmatch(value) and value.count("/") + value.count("\\") >= 2:
        return None  # PWD=/home/user, password_dir=./secrets
    lowered = value.lower()
    is_example = (
        lowered in COMMON_FAKE_PASSWORDS
        or looks_like_placeholder(value)
        or any(word in lowered for word in ("test", "pass", "pwd", "secret"))  # "badpass", "mysecret"
    )
    classes = sum(
        (any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value))
    ) + (not value.isalnum())
    return (0.75 if classes >= 2 else 0.5), is_example


def judge_high_entropy(value: str) -> tuple[float, bool] | None:
    """(confidence, is_example) for a value under a token/secret/key name; None when it looks hand-made.

    >>> judge_high_entropy("9f86d081884c7d659a2feaa0c55ad015")[1], judge_high_entropy("my-app-token")
    (False, None)
    """
    if len(value) < 16 or any(char.isspace() for char in value) or is_reference(value):
        return None
    if "://" in value or not has_letters_and_digits(value):
        return None
    segments = [segment for segment in _SEGMENTS.split(value) if segment]
    if len(segments) > 1 and all(segment.isalpha() or segment.isdigit() for segment in segments):
        return None  # `gpl-2.0-proguard`, `LicenseRef-scancode-ac3filter`: words and numbers, hand-made
    is_hex = set(value) <= _HEX
    if is_hex and len(value) < 20:
        return None  # 16-hex-digit ids and schema hashes; hex keys are 32, 40 or 64 digits
    entropy = shannon_entropy(value)
    threshold = 3.0 if is_hex else 3.5
    if entropy < threshold:
        return None
    return min(0.85, 0.55 + 0.1 * (entropy - threshold)), looks_like_placeholder(value)
