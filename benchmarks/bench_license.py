"""License-detection benchmark: LicenseChecker on the license files shipped in site-packages.

Corpus: every ``*.dist-info`` of the active environment (nobody here wrote them).

1. Accuracy — ``find_repo_license`` on each package's license folder against the
   license its METADATA declares (``License-Expression``; else a ``License`` field
   that normalizes to SPDX; else a single license classifier). Packages whose
   metadata is ambiguous (``BSD``, ``Dual License``, none) are skipped and counted.
2. Speed — ``LicenseChecker.detect`` over every license file under the dist-info
   folders (vendored ones included), files/s and MB/s, medians of ``--runs``; the
   anchor is reading the same files and lower-casing them, the least any text
   matcher must do, so the ratio is detection's cost over bare I/O.

Run: ``.venv/bin/python benchmarks/bench_license.py``.
"""

from __future__ import annotations

import argparse
import statistics
import sysconfig
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # labeled sets live beside the tests

from litcode.scanning import LicenseChecker, is_license_file_name
from support.license_evaluation import evaluate_license_detection


def license_files(site_packages: Path) -> list[Path]:
    files = []
    for dist_info in sorted(site_packages.glob("*.dist-info")):
        files += [path for path in dist_info.rglob("*") if path.is_file() and is_license_file_name(path.name)]
    return files


def median_seconds(work, runs: int) -> float:
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    site_packages = Path(sysconfig.get_paths()["purelib"])
    checker = LicenseChecker()

    start = time.perf_counter()
    result = evaluate_license_detection(site_packages, checker)
    elapsed = time.perf_counter() - start
    print(f"Accuracy on {result.evaluated} packages: {result.accuracy:.1%} ({result.correct} agree)")
    skipped = (result.skipped_ambiguous, result.skipped_no_license_file)
    print(f"  skipped: {skipped[0]} with ambiguous metadata, {skipped[1]} without a license file")
    print(f"  evaluation took {elapsed:.2f} s")
    for name, declared, detected in result.mistakes:
        print(f"  mismatch {name}: metadata {declared!r}, detected {detected!r}")

    files = license_files(site_packages)
    megabytes = sum(path.stat().st_size for path in files) / 1e6
    detected = sum(1 for path in files if checker.detect(path.read_text("utf-8", "replace")))

    def read_only() -> None:
        for path in files:
            path.read_text("utf-8", "replace").lower()

    def detect_all() -> None:
        for path in files:
            checker.detect(path.read_text("utf-8", "replace"))

    anchor = median_seconds(read_only, args.runs)
    ours = median_seconds(detect_all, args.runs)
    print(
        f"\nSpeed on {len(files)} license files ({megabytes:.2f} MB), {detected} with a license recognised:"
    )
    print(f"  read + lower (anchor)   {len(files) / anchor:9.0f} files/s  {megabytes / anchor:7.2f} MB/s")
    print(f"  LicenseChecker.detect   {len(files) / ours:9.0f} files/s  {megabytes / ours:7.2f} MB/s")
    print(f"  detection costs {ours / anchor:.1f}x bare reading (median of {args.runs} runs)")


if __name__ == "__main__":
    main()
