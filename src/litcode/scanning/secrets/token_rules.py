"""Provider credentials with a fixed shape, and PEM private keys.

The most common providers live here; the long tail of prefixed formats is
:mod:`~litcode.scanning.secrets.provider_rules`. Each regex starts from a
literal prefix that doubles as the prefilter keyword, so a file without
``ghp_`` never runs the GitHub regex.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator

from litcode.scanning.secrets.placeholders import has_placeholder_words
from litcode.scanning.secrets.provider_rules import prefixed_token_rules
from litcode.scanning.secrets.rules import PatternRule, SecretMatch, SecretRule, looks_like_placeholder

_PEM_BLOCK = re.compile(
    r"-----BEGIN (?P<label>[A-Z0-9 ]{0,20}PRIVATE KEY(?: BLOCK)?)-----"
    r"(?P<body>.{0,20000}?)-----END (?P=label)-----",
    re.DOTALL,
)
# Inside the body, escapes such as the ``\n`` of a one-line string literal are
# consumed first so that their letter never joins a base64 run.
_PEM_BODY_RUN = re.compile(r"\\[nrt]|(?P<run>[A-Za-z0-9+/=]{16,})")
_MIN_PEM_BODY_CHARS = 16  # one base64 run: even a truncated key in a test is a key


class PrivateKeyRule(SecretRule):
    """A PEM private key block (RSA, EC, DSA, OpenSSH, PKCS#8, PGP) with its base64 body.

    Only the body is redacted: the BEGIN/END lines stay, so a reader (and a
    model) still sees that a key was there, and quoting around the body is
    untouched. A BEGIN line without a body (documentation, regex sources) is no key.

    >>> body = "MIIEowIBAAKCAQEA7fX3k9" * 4
    >>> pem = "-----BEGIN RSA PRIVATE KEY-----\\n" + body + "\\n-----END RSA PRIVATE KEY-----"
    >>> [m.kind for m in PrivateKeyRule().find(pem)]
    ['private_key']
    """

    kind = "private_key"
    placeholder = "<SECRET_PRIVATE_KEY>"
    keywords = ("PRIVATE KEY",)

    def find(self, text: str) -> Iterator[SecretMatch]:
        for block in _PEM_BLOCK.finditer(text):
            body_start = block.start("body")
            runs = [
                (body_start + run.start("run"), body_start + run.end("run"))
                for run in _PEM_BODY_RUN.finditer(block.group("body"))
                if run.group("run")
            ]
            if sum(end - start for start, end in runs) < _MIN_PEM_BODY_CHARS:
                continue
            yield SecretMatch(
                kind=self.kind,
                start=block.start(),
                end=block.end(),
                confidence=0.99,
                is_example=False,
                placeholder=self.placeholder,
                pieces=tuple(runs),
            )


def _is_example_jwt(token: str) -> bool:
    """The jwt.io sample token (``"sub": "1234567890", "name": "John Doe"``) is in every tutorial."""
    if looks_like_placeholder(token.split(".")[-1]):
        return True
    payload = token.split(".")[1]
    try:
        decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return False
    return "John Doe" in decoded or "1234567890" in decoded or has_placeholder_words(decoded)


class JwtRule(PatternRule):
    """A JSON Web Token: ``eyJ<header>.eyJ<payload>.<signature>``; the jwt.io sample is an example.

    >>> token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.Qm9xR7dK2pVw8LzT4nYc1fHs6JbE0aUg3iXo5rMe9Wk"
    >>> [(m.kind, m.is_example) for m in JwtRule().find(token)]
    [('jwt', False)]
    """

    def __init__(self, example_check: Callable[[str], bool] = _is_example_jwt) -> None:
        super().__init__(
            "jwt",
            r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*",
            "<SECRET_JWT>",
            ("eyJ",),
            confidence=0.85,
        )
        self._example_check = example_check

    def find(self, text: str) -> Iterator[SecretMatch]:
        for match in super().find(text):
            is_example = self._example_check(text[match.start : match.end])
            yield SecretMatch(
                match.kind, match.start, match.end, match.confidence, is_example, match.placeholder
            )


_ALNUM_END = r"(?![A-Za-z0-9])"
_TOKEN_END = r"(?![A-Za-z0-9_-])"


def token_rules() -> list[SecretRule]:
    """Fresh instances of every fixed-shape rule, most specific first."""
    return [
        PrivateKeyRule(),
        PatternRule(
            "aws_access_key_id",
            r"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])",
            "<SECRET_AWS_KEY>",
            ("AKIA", "ASIA", "ABIA", "ACCA", "A3T"),  # AIDA/AROA/... are ids, not keys
        ),
        PatternRule(
            "aws_secret_access_key",
            r"aws.{0,20}?(?:secret|key|pwd|pw|pass|token).{0,20}?['\"=:\s]"
            r"(?P<secret>[0-9a-zA-Z/+]{40})(?![0-9a-zA-Z/+=])",
            "<SECRET_AWS_SECRET_KEY>",
            ("aws", "AWS", "Aws"),
            flags=re.IGNORECASE,
            confidence=0.9,
            word_start=False,
        ),
        PatternRule(
            "github_token",
            r"(?:(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})"
            + _ALNUM_END,
            "<SECRET_GITHUB_TOKEN>",
            ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
        ),
        PatternRule(
            "gitlab_token", r"glpat-[A-Za-z0-9_-]{20,}" + _TOKEN_END, "<SECRET_GITLAB_TOKEN>", ("glpat-",)
        ),
        PatternRule(
            "google_api_key", r"AIza[0-9A-Za-z_-]{35}" + _TOKEN_END, "<SECRET_GOOGLE_API_KEY>", ("AIza",)
        ),
        PatternRule(
            "anthropic_api_key",
            r"sk-ant-(?:api|admin|oat|sid)\d\d-[A-Za-z0-9_-]{80,}",
            "<SECRET_ANTHROPIC_KEY>",
            ("sk-ant-",),
        ),
        PatternRule(
            "openai_api_key",
            r"sk-(?:(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{40,}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}"
            r"|[A-Za-z0-9]{48}" + _ALNUM_END + ")",
            "<SECRET_OPENAI_KEY>",
            ("sk-",),
        ),
        PatternRule("npm_token", r"npm_[A-Za-z0-9]{36}" + _ALNUM_END, "<SECRET_NPM_TOKEN>", ("npm_",)),
        JwtRule(),
        *prefixed_token_rules(),
    ]
