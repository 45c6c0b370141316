"""Synthetic credentials of every kind :class:`SecretScanner` knows, and look-alikes that are not secrets.

Recall cannot be measured on real leaks, so tests and ``benchmarks/bench_secrets.py``
plant these into copies of real modules. Values are random (seeded), shaped
like the real thing, and never valid anywhere.

>>> import random
>>> secrets = synthetic_secrets(random.Random(0))
>>> sorted({secret.kind for secret in secrets}) == sorted(PLANTED_KINDS)
True
"""

from __future__ import annotations

import ast
import base64
import json
import random
import string
from dataclasses import dataclass

_UPPER_DIGITS = string.ascii_uppercase + string.digits
_ALNUM = string.ascii_letters + string.digits
_BASE64 = _ALNUM + "+/"
_URLSAFE = _ALNUM + "-_"
_HEX = "0123456789abcdef"

PLANTED_KINDS = (
    "aws_access_key_id",
    "aws_secret_access_key",
    "github_token",
    "gitlab_token",
    "slack_token",
    "slack_webhook",
    "stripe_key",
    "google_api_key",
    "openai_api_key",
    "anthropic_api_key",
    "huggingface_token",
    "npm_token",
    "sendgrid_key",
    "jwt",
    "private_key",
    "password_assignment",
    "url_credentials",
    "high_entropy_assignment",
    "email",
    "ip_address",
)
PII_KINDS = frozenset({"email", "ip_address"})


@dataclass(frozen=True)
class PlantedSecret:
    """``value`` written into Python source as ``line`` (one or more lines forming one statement).

    >>> secret = synthetic_secrets(random.Random(1))[0]
    >>> secret.kind, secret.value in secret.line
    ('aws_access_key_id', True)
    """

    kind: str
    value: str
    line: str


def _random(rng: random.Random, alphabet: str, length: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def _b64url(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _pem_body(rng: random.Random) -> list[str]:
    return ["MIIEpAIBAAKCAQEA" + _random(rng, _BASE64, 48)] + [_random(rng, _BASE64, 64) for _ in range(8)]


def synthetic_secrets(rng: random.Random) -> list[PlantedSecret]:
    """One fresh secret of every kind in :data:`PLANTED_KINDS`, as Python assignments."""
    values = {
        "aws_access_key_id": "AKIA" + _random(rng, _UPPER_DIGITS, 16),
        "aws_secret_access_key": _random(rng, _BASE64, 40),
        "github_token": rng.choice(
            [
                "ghp_" + _random(rng, _ALNUM, 36),
                f"github_pat_{_random(rng, _ALNUM, 22)}_{_random(rng, _ALNUM, 59)}",
            ]
        ),
        "gitlab_token": "glpat-" + _random(rng, _URLSAFE, 20),
        "slack_token": f"xoxb-{_random(rng, string.digits, 12)}-{_random(rng, string.digits, 13)}-"
        + _random(rng, _ALNUM, 24),
        "slack_webhook": f"https://hooks.slack.com/services/T{_random(rng, _UPPER_DIGITS, 8)}/"
        f"B{_random(rng, _UPPER_DIGITS, 10)}/{_random(rng, _ALNUM, 24)}",
        "stripe_key": "sk_live_" + _random(rng, _ALNUM, 24),
        "google_api_key": "AIza" + _random(rng, _URLSAFE, 35),
        "openai_api_key": "sk-proj-" + _random(rng, _URLSAFE, 48),
        "anthropic_api_key": "sk-ant-api03-" + _random(rng, _URLSAFE, 93),
        "huggingface_token": "hf_"
        + _random(rng, string.ascii_uppercase, 2)
        + _random(rng, string.ascii_letters, 32),
        "npm_token": "npm_" + _random(rng, _ALNUM, 36),
        "sendgrid_key": f"SG.{_random(rng, _URLSAFE, 22)}.{_random(rng, _URLSAFE, 43)}",
        "jwt": ".".join(
            (
                _b64url({"alg": "HS256", "typ": "JWT"}),
                _b64url({"sub": _random(rng, _HEX, 12), "iat": rng.randrange(1_600_000_000, 1_800_000_000)}),
                _random(rng, _URLSAFE, 43),
            )
        ),
        "password_assignment": _random(rng, _ALNUM, 10)
        + rng.choice("!#%&*")
        + _random(rng, string.digits, 2),
        "url_credentials": _random(rng, _ALNUM, 14),
        "high_entropy_assignment": _random(rng, _HEX, 40),
        "email": f"{_random(rng, string.ascii_lowercase, 6)}.{_random(rng, string.ascii_lowercase, 5)}@"
        f"{_random(rng, string.ascii_lowercase, 8)}.org",
        "ip_address": ".".join(
            str(octet) for octet in (rng.randrange(34, 52), *rng.sample(range(1, 255), 3))
        ),
    }
    pem_lines = _pem_body(rng)
    lines = {
        "aws_access_key_id": f'AWS_ACCESS_KEY_ID = "{values["aws_access_key_id"]}"',
        "aws_secret_access_key": f'aws_secret_access_key = "{values["aws_secret_access_key"]}"',
        "github_token": f'GITHUB_TOKEN = "{values["github_token"]}"',
        "gitlab_token": f'gitlab_client_config = {{"private_token": "{values["gitlab_token"]}"}}',
        "slack_token": f'SLACK_BOT = "{values["slack_token"]}"',
        "slack_webhook": f'ALERTS_WEBHOOK = "{values["slack_webhook"]}"',
        "stripe_key": f'STRIPE_KEY = "{values["stripe_key"]}"',
        "google_api_key": f'MAPS_KEY = "{values["google_api_key"]}"',
        "openai_api_key": f'LLM_KEY = "{values["openai_api_key"]}"',
        "anthropic_api_key": f'CLAUDE_KEY = "{values["anthropic_api_key"]}"',
        "huggingface_token": f'HUB_TOKEN = "{values["huggingface_token"]}"',
        "npm_token": f'NPM_PUBLISH = "{values["npm_token"]}"',
        "sendgrid_key": f'MAILER_KEY = "{values["sendgrid_key"]}"',
        "jwt": f'SESSION_COOKIE = "{values["jwt"]}"',
        "password_assignment": f'db_password = "{values["password_assignment"]}"',
        "url_credentials": f'DATABASE_URL = "postgres://app:{values["url_credentials"]}@db.internal.corp:5432/app"',
        "high_entropy_assignment": f'client_secret = "{values["high_entropy_assignment"]}"',
        "email": f'MAINTAINER = "Jane Roe <{values["email"]}>"',
        "ip_address": f'UPSTREAM_HOST = "{values["ip_address"]}"',
    }
    secrets = [PlantedSecret(kind, values[kind], lines[kind]) for kind in lines]
    pem = "\n".join(["-----BEGIN RSA PRIVATE KEY-----", *pem_lines, "-----END RSA PRIVATE KEY-----"])
    secrets.append(PlantedSecret("private_key", pem, f'DEPLOY_KEY = """{pem}"""'))
    return secrets


# Look-alikes a user does not want flagged as live secrets; each is one Python statement.
LOOKALIKE_LINES = (
    'DOC_KEY_ID = "AKIAIOSFODNN7EXAMPLE"',
    'doc_aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
    'request_id = "3f2b8c1e-9d4a-4f6b-8e2c-7a1d5b9c0e3f"',
    'LOCK_ENTRY = {"sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}',
    'REQUIREMENT = "numpy==2.0.0 --hash=sha256:2e5f8f1e1f47d9b6a6c1a3d5b7e9f0a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7"',  # noqa: E501
    'NPM_INTEGRITY = "sha512-Ck9b3Y8PkF8C6yZ0hQm9m4M1Y7a0RrW4Q0V6w4ZxR1mJ3mO2T9k2N6h2lQ0QeZ3c1r7o5p2Z8a9b0c1d2e3f4g5A=="',  # noqa: E501
    'GIT_COMMIT = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"',
    '__version__ = "1.2.3.4"',
    'CONTACT = "support@example.com"',
    'db_password = "changeme"',
    'TOKEN_TYPE = "bearer"',
    'password_field = "password"',
    'GITHUB_TOKEN_PLACEHOLDER = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"',
    'LOCALHOST = "127.0.0.1"',
    'PRIVATE_NET = "192.168.1.20"',
    'DOC_NET = "192.0.2.44"',
    'JWT_EXAMPLE = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"',  # noqa: E501
    'DSN_TEMPLATE = "postgres://{user}:{password}@{host}/db"',
    'password = os.environ.get("DB_PASSWORD", "")',
)


def plant(source: str, lines: list[str], rng: random.Random) -> str:
    """``source`` with each of ``lines`` inserted before a random top-level statement.

    Insertion happens only between top-level statements, so a module that parsed
    still parses; a module that does not parse gets the lines appended.
    """
    try:
        tree = ast.parse(source)
        starts = sorted({node.lineno - 1 for node in tree.body if not isinstance(node, ast.Expr)} or {0})
    except SyntaxError:
        starts = []
    source_lines = source.splitlines(keepends=True)
    if source_lines and not source_lines[-1].endswith("\n"):
        source_lines[-1] += "\n"
    if not starts:
        return "".join(source_lines) + "".join(line + "\n" for line in lines)
    inserts: dict[int, list[str]] = {}
    for line in lines:
        inserts.setdefault(rng.choice(starts), []).append(line + "\n")
    out = []
    for index, text in enumerate(source_lines):
        out.extend(inserts.get(index, []))
        out.append(text)
    return "".join(out)
