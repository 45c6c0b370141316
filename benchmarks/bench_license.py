"""License-detection benchmark: candidate detectors side by side on the same labeled texts.

Labeled sets (``tests/support/license_evaluation.py``; nobody here wrote the package texts):

* bench set — every installed package's single license file with its declared license
  (``package``), the written notices and variants (``notice``), and the non-permissive
  lookalikes Sleepycat / BSD No-Nuclear / FDK-AAC / FSL / Commons Clause (``near-miss``);
* Debian set — the stand-alone license paragraphs of this system's DEP-5
  ``/usr/share/doc/*/copyright`` files, labeled by their Debian short names (where present);
* header set — every ``standardLicenseHeader`` of the SPDX list (vendored in
  ``tests/support/data/``) as a source file's header, in ``#``, ``//``, ``/* */``, ``;``,
  ``--``, ``REM`` and ``dnl`` comments;
* SPDX set — the full text of every SPDX license the data set holds, re-wrapped under a
  copyright line, and its subset of the ~120 common ids (``--spdx``).

Answers are judged equal when equivalent as expressions (``MIT AND ISC`` == ``ISC AND MIT``).

Candidates: ``litcode`` (``LicenseChecker.detect``: our matcher over ScanCode LicenseDB
texts and rules plus SPDX templates), ``licenseclassifier`` (licensecheck's SPDX templates,
pure Python), ``askalono`` (Rust, SPDX texts, Dice over bigrams; if importable) and
``scancode-toolkit`` (``--scancode-python PATH``: an interpreter where it is installed; its
index is loaded before timing). Every candidate's answer is judged with the same allowlist
(LicenseDB's Permissive + Public Domain classes). Speed is texts/s over the same texts,
detection only (the reading and the index load are left out); ``litcode`` is the median of
``--runs`` passes.

Run: ``.venv/bin/python benchmarks/bench_license.py [--spdx] [--scancode-python /path/python]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # labeled sets live beside the tests

from litcode.scanning import LicenseChecker
from support.license_evaluation import (
    LabeledText,
    TextEvaluation,
    common_dataset_texts,
    dataset_texts,
    debian_texts,
    judge,
    near_miss_texts,
    notice_texts,
    package_texts,
    standard_header_texts,
)

Detector = Callable[[str], "str | None"]
BENCH_SET = "bench set (packages + notices + near-misses)"
SPDX_SET = "SPDX full texts of the data set"
COMMON_SET = "SPDX full texts of the ~120 common ids"
HEADER_SET = "SPDX standard headers as file headers (7 comment styles)"

SCANCODE_RUNNER = r"""
import json, sys, time, tempfile, pathlib
from licensedcode.cache import get_index
from scancode.api import get_licenses
texts = json.load(open(sys.argv[1]))
folder = pathlib.Path(tempfile.mkdtemp())
paths = []
for number, text in enumerate(texts):
    path = folder / f"{number}.txt"
    path.write_text(text, encoding="utf-8")
    paths.append(str(path))
get_index()
get_licenses(paths[0])
start = time.perf_counter()
found = [get_licenses(path).get("detected_license_expression_spdx") or None for path in paths]
print(json.dumps({"seconds": time.perf_counter() - start, "found": found}))
"""


def licenseclassifier_detector() -> Detector | None:
    try:
        from licenseclassifier import identify_license
    except ImportError:
        return None

    def detect(text: str) -> str | None:
        ids = list(dict.fromkeys(match.id for match in identify_license(text)))
        return " AND ".join(ids) if ids else None

    return detect


def askalono_detector() -> Detector | None:
    try:
        import askalono
    except ImportError:
        return None

    def detect(text: str) -> str | None:
        found = askalono.identify(text)
        return str(found.name) if found.score >= 0.8 else None

    return detect


def run_in_process(detect: Detector, texts: list[str], runs: int) -> tuple[list[str | None], float]:
    found: list[str | None] = []
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        found = [detect(text) for text in texts]
        durations.append(time.perf_counter() - start)
    return found, statistics.median(durations)


def run_scancode(python: str, texts: list[str]) -> tuple[list[str | None], float]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(texts, handle)
    completed = subprocess.run(
        [python, "-c", SCANCODE_RUNNER, handle.name], capture_output=True, text=True, check=True
    )
    answer = json.loads(completed.stdout.strip().splitlines()[-1])
    return answer["found"], float(answer["seconds"])


def report(
    title: str, labeled: list[LabeledText], results: dict[str, TextEvaluation], anchor: str | None
) -> None:
    print(f"\n## {title}: {len(labeled)} texts")
    print(
        "| candidate | exact SPDX id | permissive decisions | non-permissive accepted | texts/s"
        " | speed vs anchor |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    base = results[anchor].texts_per_second if anchor in results else None
    for name, result in results.items():
        ratio = f"{result.texts_per_second / base:.1f}x" if base else "-"
        print(
            f"| {name} | {result.exact_accuracy:.1%} ({result.exact}/{result.exact_labeled}) "
            f"| {result.decision_accuracy:.2%} | {result.non_permissive_accepted} "
            f"| {result.texts_per_second:.0f} | {ratio} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--spdx", action="store_true", help="also run the SPDX full-text set")
    parser.add_argument("--scancode-python", help="an interpreter with scancode-toolkit installed")
    parser.add_argument("--mistakes", action="store_true", help="list litcode's mistakes")
    args = parser.parse_args()
    checker = LicenseChecker()
    checker.detect("warm the index")
    site_packages = Path(sysconfig.get_paths()["purelib"])
    sets = {
        BENCH_SET: package_texts(site_packages, checker) + notice_texts(checker) + near_miss_texts(checker)
    }
    debian = debian_texts(checker=checker)
    if debian:
        sets["Debian copyright license paragraphs"] = debian
    sets[HEADER_SET] = standard_header_texts(checker)
    if args.spdx:
        sets[SPDX_SET] = dataset_texts(checker)
        sets[COMMON_SET] = common_dataset_texts(checker)
    # The labeled sets (and, with --spdx, the whole data set they were read from) stay alive
    # for the run: moved out of the collector's view, its passes over them are not timed
    # against whichever detector happens to allocate when they fall due.
    gc.collect()
    gc.freeze()
    detectors: dict[str, Detector | None] = {
        "litcode": checker.detect,
        "licenseclassifier": licenseclassifier_detector(),
        "askalono": askalono_detector(),
    }
    for title, labeled in sets.items():
        texts = [item.text for item in labeled]
        results: dict[str, TextEvaluation] = {}
        for name, detect in detectors.items():
            if detect is None:
                continue
            found, seconds = run_in_process(detect, texts, args.runs if name == "litcode" else 1)
            results[name] = judge(labeled, found, seconds, checker)
        if args.scancode_python and title not in (
            SPDX_SET,
            COMMON_SET,
            HEADER_SET,
        ):  # ~10 texts/s: bench and Debian sets only
            found, seconds = run_scancode(args.scancode_python, texts)
            results["scancode-toolkit"] = judge(labeled, found, seconds, checker)
        groups = sorted({item.group for item in labeled})
        for group in groups:
            part = [index for index, item in enumerate(labeled) if item.group == group]
            ours = judge([labeled[i] for i in part], [checker.detect(texts[i]) for i in part], 0.0, checker)
            print(
                f"litcode on {group}: exact {ours.exact_accuracy:.1%} ({ours.exact}/{ours.exact_labeled}),"
                f" decisions {ours.decision_accuracy:.2%},"
                f" non-permissive accepted {ours.non_permissive_accepted}"
            )
        report(title, labeled, results, "scancode-toolkit" if "scancode-toolkit" in results else None)
        if args.mistakes:
            for mistake in results["litcode"].mistakes:
                print("  mistake", mistake)


if __name__ == "__main__":
    main()
