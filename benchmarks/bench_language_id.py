"""Content-based language identification: offline classifiers on real files, their extensions stripped.

Corpus: files found on this machine under ``/usr``, ``/etc``, ``/opt``, ``/root`` and the
interpreter's prefix (stdlib, site-packages, C headers, shell scripts, JSON/YAML/XML
data, Markdown/reST docs...), labeled by their extension through
``litcode.quality.languages.detect_language``, then shown to each classifier as
content only (``/work`` and ``/tmp`` are left out: nobody's work in progress).
Up to ``--per-language`` files per language, chosen by a seeded shuffle.

Candidates (each measured only if installed):

* **pygments** ``guess_lexer`` — lexers' ``analyse_text`` scores;
* **magika** — Google's deep-learning content-type model (ONNX, ships in the wheel);
* **enry** — go-enry (GitHub linguist's heuristics + Bayesian classifier) via ``enry-python``;
* **litcode** — ``litcode.quality.language_id.ContentLanguageIdentifier``, the one the
  pipeline uses (magika behind a confidence floor, abstaining otherwise).

For each: accuracy per language (a wrong guess and an abstention both count as a
miss; for litcode abstentions are shown apart, since the pipeline then keeps the
extension's answer), overall accuracy, and files/s. Run:
``.venv/bin/python benchmarks/bench_language_id.py [--per-language 60]``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from litcode.quality.languages import detect_language, normalize_language

ROOTS = ("/usr", "/etc", "/opt", "/root", sys.prefix)
SKIP = ("/work", "/tmp", "/proc", "/sys")
MIN_BYTES, MAX_BYTES = 200, 200_000
# `.h` is C or C++ by convention only; the label would be a guess, so such files are left out.
AMBIGUOUS_EXTENSIONS = {".h"}


def labeled_files(per_language: int, seed: int = 0) -> list[tuple[Path, str]]:
    by_language: dict[str, list[Path]] = defaultdict(list)
    seen: set[Path] = set()
    for root in ROOTS:
        for directory, dirnames, filenames in os.walk(root):
            if directory.startswith(SKIP):
                dirnames[:] = []
                continue
            dirnames[:] = [name for name in dirnames if name not in ("__pycache__", ".git")]
            for filename in filenames:
                path = Path(directory, filename)
                if path.suffix.lower() in AMBIGUOUS_EXTENSIONS or not path.suffix:
                    continue
                language = detect_language(filename)
                if language is None:
                    continue
                try:
                    if (
                        not path.is_file()
                        or path.is_symlink()
                        or not MIN_BYTES <= path.stat().st_size <= MAX_BYTES
                    ):
                        continue
                    real = path.resolve()
                except OSError:
                    continue
                if real not in seen:
                    seen.add(real)
                    by_language[language].append(path)
    rng = random.Random(seed)
    sample: list[tuple[Path, str]] = []
    for language, paths in sorted(by_language.items()):
        if len(paths) < 10:
            continue  # too few files on this machine to say anything about the language
        paths.sort()
        rng.shuffle(paths)
        sample += [(path, language) for path in paths[:per_language]]
    return sample


def pygments_classifier() -> Callable[[str, bytes], str | None]:
    from pygments.lexers import guess_lexer
    from pygments.util import ClassNotFound

    def classify(text: str, _data: bytes) -> str | None:
        try:
            lexer = guess_lexer(text)
        except ClassNotFound:
            return None
        for alias in (*lexer.aliases, lexer.name):
            language = _vocabulary(alias)
            if language:
                return language
        return normalize_language(lexer.name)

    return classify


def magika_classifier() -> Callable[[str, bytes], str | None]:
    from magika import Magika

    magika = Magika()

    def classify(_text: str, data: bytes) -> str | None:
        return _vocabulary(str(magika.identify_bytes(data).output.label))

    return classify


def enry_classifier() -> Callable[[str, bytes], str | None]:
    import enry

    def classify(_text: str, data: bytes) -> str | None:
        return _vocabulary(enry.get_language("unnamed", data) or "")

    return classify


def litcode_classifier() -> Callable[[str, bytes], str | None]:
    from litcode.quality.language_id import ContentLanguageIdentifier

    identifier = ContentLanguageIdentifier()

    def classify(text: str, _data: bytes) -> str | None:
        guess = identifier.identify(text)
        return guess.language if guess else None

    return classify


# Classifier labels that are not litcode names once lowercased.
_LABELS = {
    "rst": "restructuredtext", "rest": "restructuredtext", "reStructuredText": "restructuredtext",
    "bash": "shell", "sh": "shell", "shell": "shell", "console": "shell", "zsh": "shell",
    "python3": "python", "py": "python", "py3": "python", "python 2.x": "python", "numpy": "python",
    "c++": "cpp", "cpp": "cpp", "js": "javascript", "javascript+genshitext": "javascript",
    "yml": "yaml", "md": "markdown", "ini": "ini", "cfg": "ini", "dosini": "ini", "toml": "toml",
    "html+django/jinja": "html", "xml+evoque": "xml", "perl6": "perl", "raku": "perl", "php3": "php",
    "mysql": "sql", "plpgsql": "sql", "postgresql": "sql", "tsql": "sql", "fortranfixed": "fortran",
    "f90": "fortran", "cython": "cython", "pyrex": "cython", "makefile": "makefile", "make": "makefile",
}  # fmt: skip


def _vocabulary(label: str) -> str | None:
    key = label.strip()
    if not key or key.lower() in ("unknown", "txt", "text", "text only", "undefined"):
        return None
    return _LABELS.get(key.lower()) or _LABELS.get(key) or normalize_language(key)


CANDIDATES: dict[str, Callable[[], Callable[[str, bytes], str | None]]] = {
    "pygments": pygments_classifier,
    "magika": magika_classifier,
    "enry": enry_classifier,
    "litcode": litcode_classifier,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-language", type=int, default=60)
    parser.add_argument("--only", nargs="*", default=list(CANDIDATES))
    args = parser.parse_args()
    sample = labeled_files(args.per_language)
    contents = [(path.read_bytes(), language) for path, language in sample]
    counts = Counter(language for _, language in contents)
    print(f"labeled sample: {len(contents)} files, {len(counts)} languages ({dict(sorted(counts.items()))})")
    results: dict[str, dict[str, float]] = {}
    for name in args.only:
        try:
            classify = CANDIDATES[name]()
        except ImportError as error:
            print(f"{name}: not installed ({error})")
            continue
        correct: Counter[str] = Counter()
        abstained: Counter[str] = Counter()
        confusions: Counter[tuple[str, str]] = Counter()
        timings = []
        for data, language in contents:
            text = data.decode("utf-8", "replace")
            started = time.perf_counter()
            guess = classify(text, data)
            timings.append(time.perf_counter() - started)
            if guess == language:
                correct[language] += 1
            elif guess is None:
                abstained[language] += 1
            else:
                confusions[language, guess] += 1
        accuracy = sum(correct.values()) / len(contents)
        answered = len(contents) - sum(abstained.values())
        precision = sum(correct.values()) / answered if answered else 0.0
        files_per_second = len(contents) / sum(timings)
        results[name] = {"accuracy": accuracy, "precision": precision, "files_per_second": files_per_second}
        print(
            f"\n{name}: accuracy {accuracy:.1%}, abstained {sum(abstained.values())}, right when it answers"
            f" {precision:.1%}, {files_per_second:,.0f} files/s"
            f" (median {statistics.median(timings) * 1e3:.2f} ms/file)"
        )
        for language in sorted(counts):
            wrong = [f"{guess}x{n}" for (truth, guess), n in confusions.most_common() if truth == language][
                :3
            ]
            print(
                f"  {language:18s} {correct[language] / counts[language]:6.1%}"
                f"  abstained {abstained[language]:3d}  wrong: {', '.join(wrong)}"
            )
    if "pygments" in results:
        base = results["pygments"]["files_per_second"]
        print("\nspeed relative to pygments guess_lexer:")
        for name, result in results.items():
            print(
                f"  {name:10s} {result['files_per_second'] / base:6.2f}x  accuracy {result['accuracy']:.1%}"
                f"  right when it answers {result['precision']:.1%}"
            )


if __name__ == "__main__":
    main()
