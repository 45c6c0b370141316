"""Secret-scanning benchmark: litcode's SecretScanner against detect-secrets on real Python code.

Corpus: this interpreter's standard library (``.py`` files, nobody here wrote them).

1. Recall and false positives on a planted corpus: copies of ``--planted-files``
   stdlib modules, each with one synthetic secret of every kind
   (``tests/support/planted.py``) and every look-alike line, written to a temp
   folder. A planted secret counts as found by litcode when a non-example finding
   overlaps it, by detect-secrets when it reports a secret on one of its lines.
   Anything else reported (look-alikes included) is a false positive. Emails and IP
   addresses are PII, which detect-secrets does not look for: shown apart.
2. False positives on the unmodified standard library: files with at least one
   reported secret (litcode: non-example, non-PII findings). detect-secrets is
   slow, so it scans every ``--sample-every``-th file unless ``--full``.
3. Speed: MB/s of both over the same sample of files (read from disk each time,
   as detect-secrets does), medians of ``--runs`` runs, and the ratio.

Run: ``.venv/bin/python benchmarks/bench_secrets.py`` (optionally ``--full``).
With bandit installed (``pip install bandit``) it also times SecurityScanner
against bandit's Python checks on the same sample.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sysconfig
import tempfile
import sys
import time
from collections import Counter
from pathlib import Path

from detect_secrets import SecretsCollection
from detect_secrets.settings import default_settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # labeled sets live beside the tests

from litcode.scanning import SecretScanner, SecurityScanner
from support.planted import LOOKALIKE_LINES, PII_KINDS, PLANTED_KINDS, plant, synthetic_secrets


def stdlib_files() -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    files = [path for path in root.rglob("*.py") if "site-packages" not in path.parts and path.is_file()]
    readable = []
    for path in sorted(files):
        try:
            path.read_text("utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        readable.append(path)
    return readable


def detect_secrets_lines(path: Path) -> set[int]:
    """Line numbers detect-secrets (default plugins and filters) reports for ``path``."""
    collection = SecretsCollection()
    collection.scan_file(str(path))
    return {secret.line_number for secrets in collection.data.values() for secret in secrets}


def litcode_lines(scanner: SecretScanner, text: str) -> set[int]:
    return {f.line for f in scanner.scan(text) if f.counts_as_secret}


def planted_corpus(files: list[Path], count: int, folder: Path) -> list[tuple[Path, list]]:
    """(planted file, [(kind, value, first line, last line)]) for ``count`` host modules."""
    rng = random.Random(7)
    hosts = [path for path in files if 4_000 <= path.stat().st_size <= 60_000]
    chosen = hosts[:: max(1, len(hosts) // count)][:count]
    corpus = []
    for index, host in enumerate(chosen):
        secrets = synthetic_secrets(rng)
        text = plant(host.read_text("utf-8"), [s.line for s in secrets] + list(LOOKALIKE_LINES), rng)
        target = folder / f"{index:03d}_{host.name}"
        target.write_text(text, "utf-8")
        planted = []
        for secret in secrets:
            start = text.index(secret.value)
            first = text.count("\n", 0, start) + 1
            planted.append((secret.kind, secret.value, first, first + secret.value.count("\n")))
        corpus.append((target, planted))
    return corpus


def score_planted(corpus: list[tuple[Path, list]], scanner: SecretScanner) -> None:
    found: dict[str, Counter[str]] = {"litcode": Counter(), "detect-secrets": Counter()}
    false_positives: Counter[str] = Counter()
    for path, planted in corpus:
        text = path.read_text("utf-8")
        findings = scanner.scan(text)
        ds_lines = detect_secrets_lines(path)
        planted_lines: set[int] = set()
        for kind, value, first, last in planted:
            lines = set(range(first, last + 1))
            planted_lines |= lines
            start = text.index(value)
            if any(f.start < start + len(value) and start < f.end and not f.is_example for f in findings):
                found["litcode"][kind] += 1
            if ds_lines & lines:
                found["detect-secrets"][kind] += 1
        false_positives["litcode"] += sum(
            1
            for f in findings
            if f.counts_as_secret and not set(range(f.line, f.end_line + 1)) & planted_lines
        )
        false_positives["detect-secrets"] += len(ds_lines - planted_lines)
    total = len(corpus)
    kinds, lookalikes = len(PLANTED_KINDS), len(LOOKALIKE_LINES)
    print(f"\nPlanted corpus: {total} stdlib modules x {kinds} kinds + {lookalikes} look-alikes")
    print(f"{'kind':26} {'litcode':>8} {'detect-secrets':>15}")
    for kind in PLANTED_KINDS:
        ds = "n/a (PII)" if kind in PII_KINDS else f"{found['detect-secrets'][kind] / total:.2f}"
        print(f"{kind:26} {found['litcode'][kind] / total:8.2f} {ds:>15}")
    secret_kinds = [kind for kind in PLANTED_KINDS if kind not in PII_KINDS]
    for tool in ("litcode", "detect-secrets"):
        recall = sum(found[tool][kind] for kind in secret_kinds) / (total * len(secret_kinds))
        print(f"{tool:15} recall (secrets, no PII) {recall:.3f}   false positives {false_positives[tool]}")


def score_stdlib(files: list[Path], sample: list[Path], scanner: SecretScanner) -> None:
    flagged_full = sum(1 for path in files if litcode_lines(scanner, path.read_text("utf-8")))
    flagged_sample = {
        "litcode": sum(1 for path in sample if litcode_lines(scanner, path.read_text("utf-8"))),
        "detect-secrets": sum(1 for path in sample if detect_secrets_lines(path)),
    }
    print(f"\nUnmodified stdlib: litcode flags {flagged_full} of {len(files)} files")
    for tool, flagged in flagged_sample.items():
        print(f"  on the {len(sample)}-file sample: {tool} flags {flagged}")


def time_runs(label: str, paths: list[Path], scan, runs: int) -> float:
    megabytes = sum(path.stat().st_size for path in paths) / 1e6
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        for path in paths:
            scan(path)
        durations.append(time.perf_counter() - start)
    median = statistics.median(durations)
    print(f"  {label:38} {megabytes / median:8.2f} MB/s  (median of {runs}, {median:.2f} s)")
    return megabytes / median


def measure_speed(sample: list[Path], scanner: SecretScanner, runs: int) -> None:
    megabytes = sum(path.stat().st_size for path in sample) / 1e6
    print(f"\nSpeed on {len(sample)} files ({megabytes:.1f} MB), read from disk each time:")
    ours = time_runs("litcode SecretScanner.scan", sample, lambda p: scanner.scan(p.read_text("utf-8")), runs)
    fast = time_runs(
        "litcode SecretScanner.has_secrets", sample, lambda p: scanner.has_secrets(p.read_text("utf-8")), runs
    )
    theirs = time_runs("detect-secrets SecretsCollection", sample, detect_secrets_lines, max(1, runs // 2))
    print(
        f"  ratio scan/detect-secrets {ours / theirs:.0f}x, has_secrets/detect-secrets {fast / theirs:.0f}x"
    )


def measure_security(sample: list[Path], runs: int) -> None:
    try:
        from bandit.core import config as bandit_config
        from bandit.core import manager as bandit_manager
    except ImportError:
        print("\n(bandit not installed: SecurityScanner comparison skipped)")
        return
    scanner = SecurityScanner()
    print(f"\nPython security checks on the same {len(sample)} files:")
    ours = time_runs(
        "litcode SecurityScanner.scan", sample, lambda p: scanner.scan(p.read_text("utf-8"), "python"), runs
    )

    def bandit_scan(path: Path) -> None:
        manager = bandit_manager.BanditManager(bandit_config.BanditConfig(), "file")
        manager.discover_files([str(path)])
        manager.run_tests()

    theirs = time_runs("bandit BanditManager.run_tests", sample, bandit_scan, max(1, runs // 2))
    print(f"  ratio SecurityScanner/bandit {ours / theirs:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--planted-files", type=int, default=40)
    parser.add_argument("--sample-every", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--full", action="store_true", help="run detect-secrets on the whole stdlib")
    args = parser.parse_args()

    files = stdlib_files()
    sample = files if args.full else files[:: args.sample_every]
    scanner = SecretScanner()
    with default_settings(), tempfile.TemporaryDirectory() as folder:
        score_planted(planted_corpus(files, args.planted_files, Path(folder)), scanner)
        score_stdlib(files, sample, scanner)
        measure_speed(sample, scanner, args.runs)
    measure_security(sample, args.runs)


if __name__ == "__main__":
    main()
