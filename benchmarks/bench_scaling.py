"""Scaling of curation: throughput vs workers, throughput vs corpus size, near-dedup time vs corpus size.

Corpus: real ``.py`` files of this interpreter's standard library and of the running
environment's site-packages (tests and files over 200 kB left out), shuffled with a
fixed seed and laid out as a tree of repos (one per top-level package). The 1x
corpus is the first ``--base-files`` of them; 2x and 4x take the first 2 and 4 times
as many, so each size holds the smaller ones and the mix of code stays alike (copies
of one slice would only measure exact dedup throwing the copies away).

Three curves, each a table and a PNG under ``benchmarks/figures/``:

* ``scaling_workers.png`` — ``curate`` wall-clock files/s on the 2x corpus with the
  local executor at 1 and 2 workers (anchor: 1 worker), and the Ray executor on a
  local 2-CPU cluster (``--ray``; cluster start-up excluded);
* ``scaling_corpus_size.png`` — ``curate`` files/s at 1x, 2x, 4x with ``--workers``
  workers (anchor: 1x): flat means linear total time;
* ``near_dedup_vs_size.png`` — the near-dedup clustering step (LSH band keys,
  candidate pairs, verification, union-find) over precomputed signatures of up to
  ``--dedup-max-files`` files (anchor: the smallest size), with the log-log slope
  (1.0 = linear, 2.0 = quadratic); the pipeline's whole dedup stage at 1x/2x/4x is in
  the corpus-size table.

Every figure is the median of ``--runs`` runs. Run:
``.venv/bin/python benchmarks/bench_scaling.py [--runs 3] [--ray]``.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import shutil
import statistics
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from litcode.curation import CurationConfig, CurationResult, curate
from litcode.dedup import MinHashDeduplicator

FIGURES = Path(__file__).parent / "figures"
MAX_FILE_BYTES = 200_000
# Licenses off: copied package folders carry no license file, and license lookup is not what scales here.
CONFIG = CurationConfig(licenses="off", batch_size=64)


def corpus_files(seed: int = 0) -> list[Path]:
    """Every eligible ``.py`` file of the stdlib and site-packages, in a fixed shuffled order."""
    roots = [Path(sysconfig.get_paths()["stdlib"]), Path(sysconfig.get_paths()["purelib"])]
    files: list[Path] = []
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            relative = path.relative_to(root).parts
            if any(part.startswith("test") or part == "site-packages" for part in relative[:-1]):
                continue
            if path.is_file() and 0 < path.stat().st_size <= MAX_FILE_BYTES:
                files.append(path)
    random.Random(seed).shuffle(files)
    return files


def build_tree(files: list[Path], destination: Path) -> int:
    """Copy ``files`` into ``destination/<top-level package>/<n>_<name>``; returns the bytes copied."""
    total = 0
    for number, path in enumerate(files):
        repo = _top_level(path)
        target = destination / repo / f"{number:06d}_{path.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        total += path.stat().st_size
    return total


def _top_level(path: Path) -> str:
    for root in (Path(sysconfig.get_paths()["purelib"]), Path(sysconfig.get_paths()["stdlib"])):
        if path.is_relative_to(root):
            parts = path.relative_to(root).parts
            return parts[0].removesuffix(".py") if len(parts) > 1 else "stdlib_modules"
    return "other"


def timed_curate(source: Path, workdir: Path, **options: Any) -> tuple[float, CurationResult]:
    output = Path(tempfile.mkdtemp(dir=workdir))
    started = time.perf_counter()
    result = curate(source, output, CONFIG, progress=False, **options)
    seconds = time.perf_counter() - started
    shutil.rmtree(output)
    return seconds, result


def median_run(function: Callable[[], tuple[float, CurationResult]], runs: int) -> dict[str, Any]:
    seconds: list[float] = []
    dedup: list[float] = []
    result: CurationResult | None = None
    for _ in range(runs):
        spent, result = function()
        seconds.append(spent)
        dedup.append(result.report["timings"]["stages"]["dedup"])
    assert result is not None
    return {
        "seconds": statistics.median(seconds),
        "dedup_seconds": statistics.median(dedup),
        "inputs": result.inputs,
        "kept": result.kept,
        "files_per_second": result.inputs / statistics.median(seconds),
    }


def workers_curve(source: Path, workdir: Path, runs: int, with_ray: bool) -> list[dict[str, Any]]:
    rows = []
    for workers in (1, 2):
        figures = median_run(functools.partial(timed_curate, source, workdir, num_workers=workers), runs)
        rows.append({"executor": "local", "workers": workers, **figures})
    if with_ray:
        import ray
        from litcode.curation.executors.ray import RayExecutor

        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
        try:
            figures = median_run(
                lambda: timed_curate(source, workdir, executor=RayExecutor(num_workers=2)), runs
            )
        finally:
            ray.shutdown()
        rows.append({"executor": "ray", "workers": 2, **figures})
    return rows


def size_curve(trees: dict[int, Path], workdir: Path, runs: int, workers: int) -> list[dict[str, Any]]:
    rows = []
    for factor, source in sorted(trees.items()):
        figures = median_run(functools.partial(timed_curate, source, workdir, num_workers=workers), runs)
        rows.append({"factor": factor, **figures})
    return rows


def near_dedup_curve(files: list[Path], sizes: list[int], runs: int) -> list[dict[str, Any]]:
    deduplicator = MinHashDeduplicator(num_perm=CONFIG.num_perm, threshold=CONFIG.near_dedup_threshold)
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in files[: max(sizes)]]
    started = time.perf_counter()
    signatures = np.asarray(deduplicator.signatures(texts))
    print(f"  signed {len(texts)} files in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    ids = [f"{number:06d}" for number in range(len(texts))]
    rows = []
    for size in sizes:
        spent: list[float] = []
        clustered = 0
        for _ in range(runs):
            begun = time.perf_counter()
            clusters = deduplicator.cluster(ids[:size], signatures[:size])
            spent.append(time.perf_counter() - begun)
            clustered = len(clusters)
        rows.append({"files": size, "seconds": statistics.median(spent), "clustered": clustered})
    return rows


def loglog_slope(x: list[float], y: list[float]) -> float:
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def plot(path: Path, title: str, xlabel: str, ylabel: str, series: dict[str, tuple[list, list]]) -> None:
    figure, axes = plt.subplots(figsize=(5.5, 3.6), dpi=100)
    for label, (x, y) in series.items():
        axes.plot(x, y, marker="o", label=label)
    axes.set_title(title)
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-files", type=int, default=300, help="files in the 1x corpus")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="workers for the corpus-size curve")
    parser.add_argument("--ray", action="store_true", help="add the Ray executor to the workers curve")
    parser.add_argument("--dedup-max-files", type=int, default=8000)
    args = parser.parse_args()

    files = corpus_files()
    if len(files) < 4 * args.base_files:
        parser.error(f"only {len(files)} eligible files; lower --base-files")
    FIGURES.mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="bench_scaling_"))
    try:
        trees: dict[int, Path] = {}
        for factor in (1, 2, 4):
            trees[factor] = workdir / f"corpus_x{factor}"
            megabytes = build_tree(files[: factor * args.base_files], trees[factor]) / 1e6
            print(f"corpus {factor}x: {factor * args.base_files} files, {megabytes:.1f} MB", file=sys.stderr)

        workers = workers_curve(trees[2], workdir, args.runs, args.ray)
        sizes = size_curve(trees, workdir, args.runs, args.workers)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    dedup_sizes = [size for size in (1000, 2000, 4000, 8000, 16000) if size <= args.dedup_max_files]
    near = near_dedup_curve(files, dedup_sizes, args.runs)

    anchor = workers[0]["files_per_second"]
    print(f"\ncurate, 2x corpus ({workers[0]['inputs']} files), median of {args.runs}")
    print("| executor | workers | seconds | files/s | vs 1 local worker |\n|---|---:|---:|---:|---:|")
    for row in workers:
        ratio = row["files_per_second"] / anchor
        print(
            f"| {row['executor']} | {row['workers']} | {row['seconds']:.2f} | "
            f"{row['files_per_second']:.0f} | {ratio:.2f}x |"
        )

    anchor = sizes[0]["files_per_second"]
    print(f"\ncurate vs corpus size, {args.workers} local workers, median of {args.runs}")
    print("| corpus | files | kept | seconds | files/s | vs 1x | dedup stage s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in sizes:
        print(
            f"| {row['factor']}x | {row['inputs']} | {row['kept']} | {row['seconds']:.2f} | "
            f"{row['files_per_second']:.0f} | {row['files_per_second'] / anchor:.2f}x | "
            f"{row['dedup_seconds']:.3f} |"
        )

    slope = loglog_slope([row["files"] for row in near], [row["seconds"] for row in near])
    anchor_seconds = near[0]["seconds"]
    print(f"\nnear-dedup clustering over precomputed signatures, median of {args.runs}")
    print("| files | clustered | seconds | time vs smallest | size vs smallest |\n|---:|---:|---:|---:|---:|")
    for row in near:
        print(
            f"| {row['files']} | {row['clustered']} | {row['seconds']:.3f} | "
            f"{row['seconds'] / anchor_seconds:.2f}x | {row['files'] / near[0]['files']:.0f}x |"
        )
    print(f"log-log slope of time vs files: {slope:.2f} (1 = linear, 2 = quadratic)")

    local = [row for row in workers if row["executor"] == "local"]
    series = {"local": ([row["workers"] for row in local], [row["files_per_second"] for row in local])}
    series.update(
        {
            f"ray ({row['workers']} CPUs)": ([row["workers"]], [row["files_per_second"]])
            for row in workers
            if row["executor"] == "ray"
        }
    )
    plot(
        FIGURES / "scaling_workers.png",
        "curate throughput vs workers (2x corpus)",
        "workers",
        "files/s",
        series,
    )
    plot(
        FIGURES / "scaling_corpus_size.png",
        f"curate throughput vs corpus size ({args.workers} workers)",
        "corpus size (x base)",
        "files/s",
        {"files/s": ([row["factor"] for row in sizes], [row["files_per_second"] for row in sizes])},
    )
    plot(
        FIGURES / "near_dedup_vs_size.png",
        f"near-dedup clustering time (slope {slope:.2f})",
        "files",
        "seconds",
        {
            "measured": ([row["files"] for row in near], [row["seconds"] for row in near]),
            "linear from smallest": (
                [row["files"] for row in near],
                [anchor_seconds * row["files"] / near[0]["files"] for row in near],
            ),
        },
    )
    results = {
        "workers": workers,
        "corpus_size": sizes,
        "near_dedup": near,
        "near_dedup_slope": slope,
        "runs": args.runs,
        "base_files": args.base_files,
    }
    (FIGURES / "scaling.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nfigures and scaling.json in {FIGURES}")


if __name__ == "__main__":
    main()
