"""Secret, PII and security scanning: litcode against detect-secrets and bandit, on the same material.

1. Secrets, labeled set (``tests/support/labeled_secrets.py``): recall per family
   (cloud, VCS/CI, chat, payment, AI, assignments per language and file format,
   command lines, database URLs, private keys) and false alarms per family of
   look-alikes (placeholders, templates, hashes/ids, descriptive names, code).
   A snippet is flagged by litcode when it has a non-example, non-PII finding, by
   detect-secrets (default plugins and filters, file written with its extension)
   when it reports anything.
2. Security, labeled set (``tests/support/labeled_security.py``): recall and false
   alarms per family and language; bandit (all default tests, each snippet its own
   file) on the Python part, a finding counting when its test maps to the family.
3. PII: recall on public addresses in config and log lines, false redactions on
   RFC/section/version/OID lines (``tests/support/labeled_pii.py``), and every IP
   redaction in the standard library and site-packages, by context.
4. Planted corpus and unmodified stdlib: the regression figures of earlier runs.
5. Speed on a sample of stdlib files (read from disk each time): SecretScanner vs
   detect-secrets, SecurityScanner vs bandit; medians of ``--runs``.

Run: ``.venv/bin/python benchmarks/bench_secrets.py`` (bandit from the ``bench`` extra).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import sysconfig
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from detect_secrets import SecretsCollection
from detect_secrets.settings import default_settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # labeled sets live beside the tests

from litcode.scanning import SecretScanner, SecurityScanner
from support.labeled_pii import NON_ADDRESS_LINES, address_lines
from support.labeled_secrets import labeled_secrets
from support.labeled_security import FAMILY_OF_RULE, labeled_security

# bandit test id -> the family of FAMILY_OF_RULE it reports.
BANDIT_FAMILY = {
    "B102": "eval", "B307": "eval", "B602": "shell", "B604": "shell", "B605": "shell", "B609": "shell",
    "B301": "deserialization", "B302": "deserialization", "B506": "deserialization",
    "B614": "deserialization", "B608": "sql", "B501": "tls", "B502": "tls", "B503": "tls",
    "B504": "tls", "B323": "tls", "B507": "tls",
    "B303": "weak_hash", "B324": "weak_hash", "B304": "weak_cipher", "B305": "weak_cipher",
    "B306": "temp_file",
    "B105": "hardcoded_password", "B106": "hardcoded_password", "B107": "hardcoded_password",
    "B701": "xss", "B201": "misconfiguration", "B104": "misconfiguration", "B103": "misconfiguration",
}  # fmt: skip
_NOT_AN_ADDRESS_CONTEXT = re.compile(r"\b(?:rfc|section|sec|version|release|oid|chapter|§)\b", re.IGNORECASE)


def detect_secrets_lines(path: Path) -> set[int]:
    collection = SecretsCollection()
    collection.scan_file(str(path))
    return {secret.line_number for secrets in collection.data.values() for secret in secrets}


def bandit_families(path: Path) -> set[str]:
    from bandit.core import config as bandit_config
    from bandit.core import manager as bandit_manager

    manager = bandit_manager.BanditManager(bandit_config.BanditConfig(), "file")
    manager.discover_files([str(path)])
    manager.run_tests()
    return {
        BANDIT_FAMILY[issue.test_id] for issue in manager.get_issue_list() if issue.test_id in BANDIT_FAMILY
    }


def _rate(hits: Counter[str], totals: Counter[str], family: str) -> str:
    return f"{hits[family]}/{totals[family]}" if totals[family] else "-"


def score_secrets(folder: Path) -> None:
    scanner = SecretScanner()
    totals: Counter[str] = Counter()
    flagged = {"litcode": Counter[str](), "detect-secrets": Counter[str]()}
    for index, snippet in enumerate(labeled_secrets()):
        path = folder / f"secret_{index:03d}{snippet.extension}"
        path.write_text(snippet.text + "\n", "utf-8")
        key = ("+" if snippet.is_secret else "-") + snippet.family
        totals[key] += 1
        flagged["litcode"][key] += any(f.counts_as_secret for f in scanner.scan(snippet.text))
        flagged["detect-secrets"][key] += bool(detect_secrets_lines(path))
    print("\n## Secrets, labeled set: snippets flagged (recall on +, false alarms on -)")
    print(f"{'family':28} {'litcode':>9} {'detect-secrets':>15}")
    for key in sorted(totals, key=lambda k: (k[0] == "-", k)):
        print(
            f"{key:28} {_rate(flagged['litcode'], totals, key):>9} "
            f"{_rate(flagged['detect-secrets'], totals, key):>15}"
        )
    for sign, label in (("+", "recall"), ("-", "false-alarm rate")):
        keys = [key for key in totals if key[0] == sign]
        total = sum(totals[key] for key in keys)
        rates = {tool: sum(counts[key] for key in keys) / total for tool, counts in flagged.items()}
        print(f"{label:28} {rates['litcode']:9.3f} {rates['detect-secrets']:15.3f}   (n={total})")


def score_security(folder: Path, with_bandit: bool) -> None:
    scanner = SecurityScanner()
    totals: Counter[str] = Counter()
    found = {"litcode": Counter[str](), "bandit": Counter[str]()}
    for index, case in enumerate(labeled_security()):
        families = {FAMILY_OF_RULE.get(f.rule_id, f.rule_id) for f in scanner.scan(case.code, case.language)}
        families.discard("parse_error")
        group = "python" if case.language == "python" else "other"
        key = f"{group}:{case.family or 'safe'}"
        totals[key] += 1
        hit = (case.family in families) if case.family else bool(families)
        found["litcode"][key] += hit
        if with_bandit and group == "python":
            path = folder / f"security_{index:03d}.py"
            path.write_text(case.code + "\n", "utf-8")
            theirs = bandit_families(path)
            found["bandit"][key] += (case.family in theirs) if case.family else bool(theirs)
    print("\n## Security, labeled set: found (insecure families) / flagged (safe)")
    print(f"{'group:family':34} {'litcode':>9} {'bandit':>9}")
    for key in sorted(totals):
        print(f"{key:34} {_rate(found['litcode'], totals, key):>9} {_rate(found['bandit'], totals, key):>9}")
    for group in ("python", "other"):
        insecure = [key for key in totals if key.startswith(group) and not key.endswith(":safe")]
        safe = f"{group}:safe"
        for tool in ("litcode", "bandit") if group == "python" and with_bandit else ("litcode",):
            true_pos = sum(found[tool][key] for key in insecure)
            positives = sum(totals[key] for key in insecure)
            false_pos = found[tool][safe]
            precision = true_pos / max(1, true_pos + false_pos)
            print(f"{group} {tool:8} recall {true_pos / positives:.3f}  precision {precision:.3f}  "
                  f"(false alarms {false_pos}/{totals[safe]} safe snippets)")  # fmt: skip


def score_pii(corpus: list[Path]) -> None:
    scanner = SecretScanner()
    lines = address_lines()
    recalled = sum(
        any(f.kind == "ip_address" and line[f.start : f.end] == address for f in scanner.scan(line))
        for line, address in lines
    )
    false_hits = [
        line for line in NON_ADDRESS_LINES if any(f.kind == "ip_address" for f in scanner.scan(line))
    ]
    print("\n## PII: IP addresses")
    print(
        f"recall on public addresses in config/log lines: {recalled}/{len(lines)} "
        f"= {recalled / len(lines):.3f}"
    )
    print(
        f"redactions on RFC/section/version/OID lines: {len(false_hits)}/{len(NON_ADDRESS_LINES)} "
        f"{false_hits}"
    )
    by_confidence: Counter[float] = Counter()
    suspicious = []
    for path in corpus:
        text = path.read_text("utf-8")
        for finding in scanner.scan(text):
            if finding.kind != "ip_address":
                continue
            by_confidence[finding.confidence] += 1
            line = text.splitlines()[finding.line - 1]
            if _NOT_AN_ADDRESS_CONTEXT.search(line[: finding.span[0]]):
                suspicious.append(f"{path.name}:{finding.line}: {line.strip()[:120]}")
    print(
        f"IP redactions over {len(corpus)} stdlib + site-packages files, by confidence: {dict(by_confidence)}"
    )
    print(f"of those, on a line with RFC/section/version/OID before the address: {len(suspicious)}")
    for entry in suspicious[:20]:
        print("   ", entry)


def interleaved(
    contenders: dict[str, Callable[[Path], object]], paths: list[Path], runs: int
) -> dict[str, float]:
    """MB/s of each contender over ``paths``: runs alternate between contenders, medians reported."""
    megabytes = sum(path.stat().st_size for path in paths) / 1e6
    durations: dict[str, list[float]] = {label: [] for label in contenders}
    for _ in range(runs):
        for label, scan in contenders.items():
            start = time.perf_counter()
            for path in paths:
                scan(path)
            durations[label].append(time.perf_counter() - start)
    speeds = {}
    for label, values in durations.items():
        median = statistics.median(values)
        speeds[label] = megabytes / median
        print(f"  {label:44} {speeds[label]:8.3f} MB/s  (median of {runs}, {median:.2f} s)")
    return speeds


def measure_speed(sample: list[Path], runs: int, with_bandit: bool) -> None:
    megabytes = sum(path.stat().st_size for path in sample) / 1e6
    print(f"\n## Speed on {len(sample)} stdlib files ({megabytes:.2f} MB), read from disk each time")
    secrets = SecretScanner()
    speeds = interleaved(
        {
            "litcode SecretScanner.scan": lambda p: secrets.scan(p.read_text("utf-8")),
            "detect-secrets SecretsCollection": detect_secrets_lines,
        },
        sample,
        runs,
    )
    ratio = speeds["litcode SecretScanner.scan"] / speeds["detect-secrets SecretsCollection"]
    print(f"  ratio SecretScanner / detect-secrets: {ratio:.0f}x")
    if not with_bandit:
        return
    default, lenient = SecurityScanner(), SecurityScanner(check_syntax=False)
    speeds = interleaved(
        {
            "litcode SecurityScanner (default)": lambda p: default.scan(p.read_text("utf-8"), "python"),
            "litcode SecurityScanner(check_syntax=False)": lambda p: lenient.scan(
                p.read_text("utf-8"), "python"
            ),
            "bandit BanditManager.run_tests": bandit_families,
        },
        sample,
        runs,
    )
    bandit_speed = speeds["bandit BanditManager.run_tests"]
    default_ratio = speeds["litcode SecurityScanner (default)"] / bandit_speed
    lenient_ratio = speeds["litcode SecurityScanner(check_syntax=False)"] / bandit_speed
    print(f"  ratio SecurityScanner / bandit: {default_ratio:.1f}x (check_syntax=False {lenient_ratio:.1f}x)")


def python_files(root: Path, limit: int | None = None) -> list[Path]:
    readable = []
    for path in sorted(root.rglob("*.py")):
        try:
            path.read_text("utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        readable.append(path)
    return readable[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sample-every", type=int, default=60, help="speed sample: every k-th stdlib file")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--pii-site-packages", type=int, default=4000, help="site-packages files for the PII scan"
    )
    args = parser.parse_args()
    try:
        import bandit  # noqa: F401

        with_bandit = True
    except ImportError:
        print("(bandit not installed: pip install -e '.[bench]'; bandit comparisons skipped)")
        with_bandit = False
    stdlib = [
        p for p in python_files(Path(sysconfig.get_paths()["stdlib"])) if "site-packages" not in p.parts
    ]
    site_packages = python_files(Path(sysconfig.get_paths()["purelib"]), args.pii_site_packages)
    with default_settings(), tempfile.TemporaryDirectory() as folder:
        score_secrets(Path(folder))
        score_security(Path(folder), with_bandit)
        score_pii(stdlib + site_packages)
        measure_speed(stdlib[:: args.sample_every], args.runs, with_bandit)


if __name__ == "__main__":
    main()
