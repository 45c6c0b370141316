"""License-detection speed only: ``LicenseChecker.detect`` texts/s per labeled set, medians of runs.

Companion of ``bench_license.py`` (which judges accuracy): the same sets, no other candidates.
The index is loaded and its pages touched once before timing (a memory-mapped index would
otherwise pay its page faults inside the first pass); every per-text step stays in the timing.
To compare two versions, run this script alternately under each ``PYTHONPATH`` and compare the
medians of the same run order.

Run: ``.venv/bin/python benchmarks/bench_license_speed.py [--runs 5] [--spdx] [--json out.json]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import sysconfig
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # labeled sets live beside the tests

import numpy as np

from litcode.scanning import LicenseChecker
from litcode.scanning.licenses.index import license_index
from support.license_evaluation import (
    dataset_texts,
    debian_texts,
    near_miss_texts,
    notice_texts,
    package_texts,
)


def touch_index() -> None:
    """Read every array of the index once, so the timed passes do not pay the first page faults."""
    index = license_index()
    for value in vars(index).values():
        if isinstance(value, np.ndarray):
            np.asarray(value).sum()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--spdx", action="store_true", help="also time the SPDX full-text set")
    parser.add_argument("--json", help="write {set: [seconds per run]} here")
    args = parser.parse_args()
    checker = LicenseChecker()
    touch_index()
    checker.detect("warm the index")
    site_packages = Path(sysconfig.get_paths()["purelib"])
    sets = {"bench": package_texts(site_packages, checker) + notice_texts(checker) + near_miss_texts(checker)}
    debian = debian_texts(checker=checker)
    if debian:
        sets["debian"] = debian
    if args.spdx:
        sets["spdx"] = dataset_texts(checker)
    timings: dict[str, list[float]] = {}
    for name, labeled in sets.items():
        texts = [item.text for item in labeled]
        durations = []
        for _ in range(args.runs):
            start = time.perf_counter()
            for text in texts:
                checker.detect(text)
            durations.append(time.perf_counter() - start)
        timings[name] = durations
        rate = len(texts) / statistics.median(durations)
        print(
            f"{name}: {len(texts)} texts, median {rate:.0f} texts/s"
            f" (runs: {[round(d, 3) for d in durations]})"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(timings))


if __name__ == "__main__":
    main()
