"""Passwords on command lines and in Dockerfiles, where no assignment operator marks them.

``curl -u admin:s3cret``, ``mysql -uroot -pS3cret``, ``sshpass -p 'x' ssh``,
``docker login -u me -p x``, ``tool --password x`` and ``ENV DB_PASSWORD x``
(a Dockerfile's space-separated form). The ``--password=x`` form is an
assignment and belongs to :class:`~litcode.scanning.secrets.assignment_rules.AssignmentRule`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from litcode.scanning.secrets.names import secret_name_kind
from litcode.scanning.secrets.rules import SecretMatch, SecretRule
from litcode.scanning.secrets.values import judge_high_entropy, judge_password

_VALUE = r"""(?:'(?P<sq>[^'\n]{3,200})'|"(?P<dq>[^"\n]{3,200})"|(?P<bare>[^\s'"`|;&]{3,200}))"""
# (literals one of which the text must hold, regex): most regexes start with
# their literal, so the engine jumps from one occurrence to the next.
_COMMAND_LINE_PASSWORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (literal, re.compile(pattern))
    for literal, pattern in (
        (
            "curl",
            r"curl\b[^\n]{0,200}?[ \t](?:-u|--user|--proxy-user|-U)[ \t=]*['\"]?[^\s:'\"]{1,64}:"
            r"(?P<userinfo>[^\s'\"]{3,200})",
        ),
        ("wget", r"wget\b[^\n]{0,200}?[ \t]--(?:http-|ftp-|proxy-)?password[ \t]+" + _VALUE),
        ("mysql", r"mysql(?:dump|admin|import)?\b[^\n]{0,200}?[ \t]-p(?P<glued>[^\s'\"]{3,200})"),
        ("sshpass", r"sshpass\b[^\n]{0,200}?[ \t]-p[ \t]*" + _VALUE),
        ("login", r"login\b[^\n]{0,200}?[ \t](?:-p|--password)[ \t]+" + _VALUE),
        ("htpasswd", r"htpasswd\b[^\n]{0,200}?-b[^\n]{0,200}?[ \t]\S+[ \t]+\S+[ \t]+" + _VALUE),
        (
            "PASSWORD= PASSWD= TOKEN= SECRET= API_KEY=",
            r"(?<![\w$])[A-Z][A-Z0-9_]*(?:PASSWORD|PASSWD|TOKEN|SECRET|API_KEY)="
            r"(?P<bare>[^\s'\"`|;&$]{3,200})(?=[ \t]+[a-z./])",
        ),
        ("--", r"--(?:password|passwd|pass|token|api-key|apikey|secret|client-secret)[ \t]+(?!-)" + _VALUE),
    )
)
_DOCKER_ENV = re.compile(
    r"^[ \t]*ENV[ \t]+(?P<name>[A-Za-z_][\w.-]*)[ \t]+(?P<value>[^\s=][^\n]{0,200}?)[ \t]*$", re.MULTILINE
)
_GROUPS = ("userinfo", "glued", "sq", "dq", "bare")


class CommandLineRule(SecretRule):
    """``password_assignment`` found in shell command lines and Dockerfile ``ENV`` lines.

    >>> text = "curl -u admin:Zq8v9rT2x https://api.internal/\\nENV DB_PASSWORD Zq8v9rT2x"
    >>> [(m.kind, text[m.start : m.end]) for m in CommandLineRule().find(text)]
    [('password_assignment', 'Zq8v9rT2x'), ('password_assignment', 'Zq8v9rT2x')]
    """

    kind = "password_assignment"
    placeholder = "<SECRET_PASSWORD>"
    keywords = ("curl", "wget", "mysql", "sshpass", "login", "htpasswd", "--pass", "--token", "--api",
                "--secret", "--client-secret", "ENV", "password=", "passwd=", "token=", "secret=",
                "api_key=")  # fmt: skip

    def find(self, text: str) -> Iterator[SecretMatch]:
        for literal, pattern in _COMMAND_LINE_PASSWORDS:
            if not any(word in text for word in literal.split()):
                continue
            for match in pattern.finditer(text):
                group = next(name for name in _GROUPS if name in match.re.groupindex and match.group(name))
                verdict = judge_password(match.group(group).rstrip("\\"))
                if verdict is not None and (
                    verdict[0] >= 0.75 or group in ("sq", "dq")
                ):  # `--password options`
                    start, end = match.span(group)
                    yield SecretMatch(self.kind, start, end, verdict[0], verdict[1], self.placeholder)
        if "ENV" in text:
            yield from self._docker_env(text)

    def _docker_env(self, text: str) -> Iterator[SecretMatch]:
        for match in _DOCKER_ENV.finditer(text):
            name_kind = secret_name_kind(match.group("name"))
            value = match.group("value").strip("'\"")
            if name_kind is None or not value:
                continue
            verdict = judge_password(value) if name_kind == "password" else judge_high_entropy(value)
            if verdict is not None:
                start = match.start("value") + match.group("value").index(value)
                placeholder = self.placeholder if name_kind == "password" else "<SECRET_KEY>"
                kind = self.kind if name_kind == "password" else "high_entropy_assignment"
                yield SecretMatch(kind, start, start + len(value), verdict[0], verdict[1], placeholder)
