"""prepare_data on the standard library (optionally + site-packages): wall time, files/s, peak RSS.

Each measurement runs ``CodeDataModule.prepare_data()`` in a fresh child process on a fresh cache,
so peak RSS (``ru_maxrss``) is that run's alone: the child's own peak and the largest peak among
its curation workers. The corpus is run at 1x and at 4x (four copies of the tree in a temp
dir) to show that memory stays bounded as the corpus grows. The anchor, measured in the same run,
is the irreducible I/O: reading every file and byte-encoding it in one process; ``prepare / read``
says what curation, tokenizing and packing cost on top.

    .venv/bin/python benchmarks/bench_prepare_data.py --copies 1 4 --repeats 3
    .venv/bin/python benchmarks/bench_prepare_data.py --site-packages
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

WORK = Path(__file__).resolve().parent / "_work"
SUFFIXES = (".py",)


IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.so", "test", "tests", "site-packages")


def build_corpus(roots: list[Path], copies: int, into: Path) -> Path:
    """A tree of repositories: each top-level package of each root, ``copies`` times.

    Top-level modules of a root (``os.py``, ...) go together into one ``<root>_modules_K`` repository.
    """
    corpus = into / f"corpus_x{copies}"
    for k in range(copies):
        for root in roots:
            for entry in sorted(root.iterdir()):
                if entry.is_dir() and not IGNORE(str(root), [entry.name]):
                    shutil.copytree(
                        entry, corpus / f"{entry.name}_{k}", ignore=IGNORE, ignore_dangling_symlinks=True
                    )
                elif entry.suffix in SUFFIXES and entry.is_file():
                    target = corpus / f"{root.name}_modules_{k}"
                    target.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(entry, target / entry.name)
    return corpus


def read_anchor(corpus: Path) -> tuple[float, int, int]:
    """Seconds to read and byte-encode every source file once; files; bytes."""
    started = time.perf_counter()
    files = total = 0
    for path in corpus.rglob("*"):
        if path.suffix in SUFFIXES and path.is_file():
            total += len(path.read_text(encoding="utf-8", errors="replace").encode())
            files += 1
    return time.perf_counter() - started, files, total


def run_child(corpus: Path, cache_dir: Path, workers: int | None, scanners: bool) -> dict[str, float]:
    """Run prepare_data in a child; return its wall time, peaks and curation counts."""
    command = [
        sys.executable,
        __file__,
        "--child",
        str(corpus),
        str(cache_dir),
        str(workers or 0),
        str(scanners),
    ]
    completed = subprocess.run(command, check=True, capture_output=True, text=True)
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


def child(corpus: str, cache_dir: str, workers: int, scanners: bool) -> None:
    from litcode.curation import CurationConfig
    from litcode.data import CodeDataModule

    # Copied trees carry no LICENSE file, so the license policy is off; the other scanners are optional.
    curation = (
        CurationConfig(licenses="off")
        if scanners
        else CurationConfig(licenses="off", secrets="off", insecure="off")
    )
    dm = CodeDataModule(
        source=corpus, cache_dir=cache_dir, curation=curation, curation_workers=workers or None
    )
    started = time.perf_counter()
    dm.prepare_data()
    wall = time.perf_counter() - started
    meta = json.loads((dm.cache_path() / "meta.json").read_text())
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result = {
        "wall_s": wall,
        "inputs": meta["curation"]["inputs"],
        "kept": meta["curation"]["kept"],
        "train_tokens": meta["tokens"]["train"],
        "curation_s": meta["seconds"]["curation"],
        "tokenize_and_pack_s": meta["seconds"]["tokenize_and_pack"],
        "peak_rss_mb": own,
        "peak_worker_rss_mb": workers_peak,
    }
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="curation processes (default: curate's)")
    parser.add_argument("--site-packages", action="store_true", help="add this venv's site-packages")
    parser.add_argument("--no-scanners", action="store_true", help="skip the secret and security scanners")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]), args.child[3] == "True")
        return

    roots = [Path(sysconfig.get_paths()["stdlib"])]
    if args.site_packages:
        roots.append(Path(sysconfig.get_paths()["purelib"]))
    WORK.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=WORK) as scratch:
        for copies in args.copies:
            corpus = build_corpus(roots, copies, Path(scratch))
            anchors, runs = [], []
            for repeat in range(args.repeats):
                anchors.append(read_anchor(corpus))
                cache_dir = Path(scratch) / f"cache_x{copies}_{repeat}"
                runs.append(run_child(corpus, cache_dir, args.workers, not args.no_scanners))
                shutil.rmtree(cache_dir, ignore_errors=True)
            anchor_s = statistics.median(a[0] for a in anchors)
            files, size = anchors[0][1], anchors[0][2]
            wall = statistics.median(r["wall_s"] for r in runs)
            peak = max(r["peak_rss_mb"] for r in runs)
            worker_peak = max(r["peak_worker_rss_mb"] for r in runs)
            print(
                f"x{copies}: {files} files, {size / 1e6:.1f} MB; "
                f"inputs={runs[0]['inputs']} kept={runs[0]['kept']} "
                f"train_tokens={runs[0]['train_tokens']}\n"
                f"    prepare_data wall {wall:7.1f} s (median of {args.repeats}), "
                f"{runs[0]['inputs'] / wall:.0f} input files/s; of which curation "
                f"{statistics.median(r['curation_s'] for r in runs):.1f} s, tokenize+pack "
                f"{statistics.median(r['tokenize_and_pack_s'] for r in runs):.1f} s\n"
                f"    read anchor  wall {anchor_s:7.2f} s, ratio prepare/read {wall / anchor_s:7.1f}\n"
                f"    peak RSS main {peak:7.0f} MB, largest worker {worker_peak:7.0f} MB (target < 1500 MB)"
            )


if __name__ == "__main__":
    main()
