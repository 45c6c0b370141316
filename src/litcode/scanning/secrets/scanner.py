"""Find and redact credentials and personal data in source files."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from litcode.scanning.secrets.assignment_rules import AssignmentRule
from litcode.scanning.secrets.command_line_rules import CommandLineRule
from litcode.scanning.secrets.context_rules import provider_context_rules
from litcode.scanning.secrets.keywords import KeywordIndex
from litcode.scanning.secrets.names import lower_same_length
from litcode.scanning.secrets.pii_rules import EmailRule, IpAddressRule
from litcode.scanning.secrets.rules import SecretMatch, SecretRule
from litcode.scanning.secrets.token_rules import token_rules
from litcode.scanning.secrets.url_credentials import UrlCredentialsRule


def default_secret_rules() -> list[SecretRule]:
    """Every built-in rule: provider tokens and keys first, then context rules, then PII."""
    return [
        *token_rules(),
        *provider_context_rules(),
        UrlCredentialsRule(),
        AssignmentRule(),
        CommandLineRule(),
        EmailRule(),
        IpAddressRule(),
    ]


@dataclass(frozen=True)
class SecretFinding:
    """One secret or piece of personal data in a text.

    ``line`` is 1-based; ``span`` is ``(start_col, end_col)``, 0-based and
    end-exclusive, so ``text.splitlines()[line - 1][slice(*span)]`` is the
    secret. A finding over several lines (a PEM key) ends on ``end_line`` and
    its ``end_col`` counts on that line. ``start``/``end`` are offsets into the
    whole text.

    >>> (finding,) = SecretScanner().scan('x = 1\\nkey = "AKIAZ7XQ4PLM2VN8RT3W"')
    >>> finding.kind, finding.line, finding.span, finding.counts_as_secret
    ('aws_access_key_id', 2, (7, 27), True)
    """

    kind: str
    line: int
    span: tuple[int, int]
    confidence: float
    is_example: bool
    is_pii: bool
    start: int
    end: int
    end_line: int
    placeholder: str
    redaction_ranges: tuple[tuple[int, int], ...]

    @property
    def counts_as_secret(self) -> bool:
        """A live credential: neither personal data nor a documented example."""
        return not self.is_pii and not self.is_example


class SecretScanner:
    """Finds credentials (and, optionally, emails and IP addresses) and replaces them with placeholders.

    About 200 provider formats (:mod:`.token_rules`, :mod:`.provider_rules`,
    :mod:`.context_rules`), secret-named assignments in any language and file
    format (:mod:`.assignment_rules`), command lines (:mod:`.command_line_rules`),
    URL credentials, PEM keys, emails and IP addresses. One keyword pass over the
    lowercased text (:class:`~.keywords.KeywordIndex`) decides which rules run, so
    the cost stays linear however many rules there are. Overlapping hits are
    settled by confidence: ``token = "ghp_..."`` is a ``github_token``, not a
    generic high-entropy assignment.

    ``confidence``: 0.95-0.99 for prefixed formats and PEM keys, 0.85 for
    provider-named keys, 0.5-0.85 for generic assignments (by character classes
    and entropy), 0.6-0.9 for IP addresses (by context). ``min_confidence`` drops
    findings below it (curation's ``secrets_min_confidence``).

    Choices a user should know:

    * Documented placeholders (``AKIAIOSFODNN7EXAMPLE``, ``ghp_xxxx...``,
      ``sk-1234...``, the jwt.io token, ``password = "changeme"``, emails at
      ``example.com``, 192.0.2.0/24) are reported with ``is_example=True`` and
      do not count in :meth:`has_secrets` (a tutorial is no leak, so a drop
      policy keeps it). :meth:`redact` still replaces them unless
      ``keep_examples=True``: a placeholder costs nothing, and a model should
      not learn to emit key-shaped strings either.
    * Emails and public IPv4/IPv6 addresses are PII (``is_pii=True``): redacted
      to ``<EMAIL>`` / ``<IP_ADDRESS>`` but not a reason to drop a file, so
      :meth:`has_secrets` ignores them. A dotted quad counts only in an address
      context (:mod:`.ip_rules`): ``RFC 9110 section 8.4.1.3``, ``7.2.0.0`` and
      OIDs are not reported. LAN addresses (``192.168.1.20``) are examples;
      loopback and unspecified addresses (``127.0.0.1``) are not reported.
    * UUIDs and hashes (``sha256:...`` in lock files, ``"integrity": ...``)
      are not secrets unless assigned to a secret name (``api_key = "<uuid>"``
      is a Heroku-style key and is reported).
    * Redaction replaces only the secret's characters, inside its quotes, with
      placeholders free of quotes, backslashes and newlines: line structure is
      kept and a Python file that parsed still parses. Inside XML/HTML
      attributes and element text the placeholder is written as markup
      (``&lt;SECRET_PASSWORD&gt;``), so the document stays well-formed. PEM keys
      keep their BEGIN/END lines; each body line becomes ``<SECRET_PRIVATE_KEY>``.

    >>> scanner = SecretScanner()
    >>> code = 'AWS_KEY = "AKIA2E0A8F3B244C9986"\\nDOC_KEY = "AKIAIOSFODNN7EXAMPLE"\\n'
    >>> [(f.kind, f.line, f.span, f.is_example) for f in scanner.scan(code)]
    [('aws_access_key_id', 1, (11, 31), False), ('aws_access_key_id', 2, (11, 31), True)]
    >>> print(scanner.redact(code, keep_examples=True), end="")
    AWS_KEY = "<SECRET_AWS_KEY>"
    DOC_KEY = "AKIAIOSFODNN7EXAMPLE"
    >>> scanner.has_secrets(code), scanner.has_secrets("# mail ada@analytical.org")
    (True, False)
    """

    def __init__(
        self,
        rules: Sequence[SecretRule] | None = None,
        *,
        include_pii: bool = True,
        min_confidence: float = 0.0,
    ) -> None:
        chosen = list(rules) if rules is not None else default_secret_rules()
        self.rules: list[SecretRule] = [rule for rule in chosen if include_pii or not rule.is_pii]
        self.include_pii = include_pii
        self.min_confidence = min_confidence
        self._keywords = KeywordIndex(keyword for rule in self.rules for keyword in rule.lowered_keywords)

    def scan(self, text: str) -> list[SecretFinding]:
        """Every finding in ``text``, in order of position, examples included."""
        return self._to_findings(text, self._resolve_overlaps(self._matches(text, self.rules)))

    def has_secrets(self, text: str) -> bool:
        """True when ``text`` holds a live credential (PII and examples do not count)."""
        rules = [rule for rule in self.rules if not rule.is_pii]
        return any(not match.is_example for match in self._resolve_overlaps(self._matches(text, rules)))

    def redact(
        self, text: str, findings: Iterable[SecretFinding] | None = None, *, keep_examples: bool = False
    ) -> str:
        """``text`` with each finding replaced by its placeholder.

        ``keep_examples=True`` leaves documented placeholders (``is_example``) in
        place. Pass ``findings`` from an earlier :meth:`scan` of the same text to
        avoid scanning twice; only those are redacted.
        """
        chosen = self.scan(text) if findings is None else list(findings)
        ranges = sorted(
            (start, end, finding.placeholder)
            for finding in chosen
            if not (keep_examples and finding.is_example)
            for start, end in finding.redaction_ranges
        )
        if not ranges:
            return text
        parts: list[str] = []
        cursor = 0
        for start, end, placeholder in ranges:
            if start < cursor:
                continue
            parts.append(text[cursor:start])
            parts.append(_escape_for_markup(placeholder) if _inside_markup(text, start, end) else placeholder)
            cursor = end
        parts.append(text[cursor:])
        return "".join(parts)

    def _matches(self, text: str, rules: Iterable[SecretRule]) -> list[SecretMatch]:
        return [
            match
            for rule in self._prefilter(text, rules)
            for match in rule.find(text)
            if match.confidence >= self.min_confidence
        ]

    def _prefilter(self, text: str, rules: Iterable[SecretRule]) -> list[SecretRule]:
        """The rules whose keywords occur in ``text``, tested case-insensitively in one pass.

        Hundreds of rules share far fewer keywords; :class:`KeywordIndex` finds
        those present in one regex pass over the lowercased text, and most files
        hold none of most of them.
        """
        present = self._keywords.present(lower_same_length(text))
        return [rule for rule in rules if not present.isdisjoint(rule.lowered_keywords)]

    @staticmethod
    def _resolve_overlaps(matches: list[SecretMatch]) -> list[SecretMatch]:
        """Keep the most confident of overlapping matches (rule order breaks ties)."""
        if len(matches) < 2:
            return matches
        ranked = sorted(range(len(matches)), key=lambda i: (-matches[i].confidence, i))
        kept: list[SecretMatch] = []
        for index in ranked:
            match = matches[index]
            if all(match.end <= other.start or other.end <= match.start for other in kept):
                kept.append(match)
        return sorted(kept, key=lambda match: match.start)

    @staticmethod
    def _to_findings(text: str, matches: list[SecretMatch]) -> list[SecretFinding]:
        """Attach line and column numbers, counting newlines once, left to right (matches are sorted)."""
        findings = []
        line, counted_to, line_start = 1, 0, 0
        for match in matches:
            line += text.count("\n", counted_to, match.start)
            last_newline = text.rfind("\n", counted_to, match.start)
            if last_newline >= 0:
                line_start = last_newline + 1
            counted_to = match.start
            newlines_inside = text.count("\n", match.start, match.end)
            end_line_start = text.rfind("\n", match.start, match.end) + 1 if newlines_inside else line_start
            findings.append(
                SecretFinding(
                    kind=match.kind,
                    line=line,
                    span=(match.start - line_start, match.end - end_line_start),
                    confidence=match.confidence,
                    is_example=match.is_example,
                    is_pii=match.is_pii,
                    start=match.start,
                    end=match.end,
                    end_line=line + newlines_inside,
                    placeholder=match.placeholder,
                    redaction_ranges=match.redaction_ranges(),
                )
            )
        return findings


def _inside_markup(text: str, start: int, end: int) -> bool:
    """True inside an XML/HTML attribute (``value="..."``) or element text (``<password>...</``)."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    in_tag = before.rfind("<") > before.rfind(">") and before.rstrip().endswith(('"', "'", "="))
    in_element = before.rstrip().endswith(">") and text.startswith("</", end)
    return in_tag or in_element


def _escape_for_markup(placeholder: str) -> str:
    """``<SECRET_X>`` as markup text (``&lt;SECRET_X&gt;``): the document still parses, and reads the same."""
    return placeholder.replace("<", "&lt;").replace(">", "&gt;")
