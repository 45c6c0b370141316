"""prepare_data on the standard library (optionally + site-packages): wall time, files/s, peak RSS.

Each measurement runs ``CodeDataModule.prepare_data()`` in a fresh child process on a fresh cache,
so peak RSS (``ru_maxrss``) is that run's alone: the child's own peak and the largest peak among
its curation workers. The corpus is run at 1x and at 4x (four copies of the tree in a temp
dir) to show that memory stays bounded as the corpus grows. The anchor, measured in the same run,
is the irreducible I/O: reading every file and byte-encoding it in one process; ``prepare / read``
says what curation, tokenizing and packing cost on top.

    .venv/bin/python benchmarks/bench_prepare_data.py --copies 1 4 --repeats 3
    .venv/bin/python benchmarks/bench_prepare_data.py --site-packages

``--layouts`` measures what fill-in-the-middle and repository-level documents cost: the corpus is
curated once, then the packing stage (tokenize + FIM + pack + write shards) runs for each layout
over the same kept files, ``--repeats`` times each, interleaved. The anchor is plain packing in the
same run; the prepare_data ratio adds the one curation time to both sides (target <= 1.10).

    .venv/bin/python benchmarks/bench_prepare_data.py --layouts --repeats 5
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


LAYOUTS = {
    "plain": {"fim_rate": 0.0, "repo_level": False},
    "fim 0.5": {"fim_rate": 0.5, "repo_level": False},
    "repo-level": {"fim_rate": 0.0, "repo_level": True},
    "repo-level + fim 0.5": {"fim_rate": 0.5, "repo_level": True},
}


def layouts(corpus: Path, scratch: Path, repeats: int, workers: int | None) -> None:
    """Curate once; time the packing stage of each layout on the same kept files."""
    from litcode.curation import CurationConfig, curate
    from litcode.data import kept
    from litcode.data.fim import FillInTheMiddle
    from litcode.data.pack_stage import pack_corpus
    from litcode.data.split import split_repos
    from litcode.data.tokenizers import ByteTokenizer

    started = time.perf_counter()
    curate(corpus, scratch / "curation", CurationConfig(licenses="off"), num_workers=workers)
    curation_s = time.perf_counter() - started
    files = kept.kept_files(scratch / "curation")
    sides = split_repos(kept.all_repos(files), 0.05, 0)
    times: dict[str, list[float]] = {name: [] for name in LAYOUTS}
    counts = {}
    for repeat in range(repeats):
        for name, layout in LAYOUTS.items():
            out = scratch / f"pack_{repeat}_{name.replace(' ', '_')}"
            started = time.perf_counter()
            counts[name] = pack_corpus(
                files,
                sides,
                ByteTokenizer(),
                out,
                seq_len=256,
                fim=FillInTheMiddle(rate=layout["fim_rate"], spm_rate=0.5, seed=0),
                repo_level=bool(layout["repo_level"]),
            )
            times[name].append(time.perf_counter() - started)
            shutil.rmtree(out, ignore_errors=True)
    plain = statistics.median(times["plain"])
    print(
        f"curation (once) {curation_s:.1f} s; packing median of {repeats} runs, byte tokenizer, seq_len 256"
    )
    for name in LAYOUTS:
        pack = statistics.median(times[name])
        train = counts[name]["train"]
        shares = (
            f"FIM share {train.fim / train.documents:.3f}, SPM share of FIM {train.fim_spm / train.fim:.3f}"
            if train.fim
            else ""
        )
        print(
            f"  {name:22s} pack {pack:6.2f} s  pack/plain {pack / plain:5.2f}  "
            f"prepare_data/plain {(curation_s + pack) / (curation_s + plain):5.3f}  "
            f"{train.documents} train documents {shares}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="curation processes (default: curate's)")
    parser.add_argument("--site-packages", action="store_true", help="add this venv's site-packages")
    parser.add_argument("--no-scanners", action="store_true", help="skip the secret and security scanners")
    parser.add_argument("--layouts", action="store_true", help="cost of FIM and repo-level packing")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]), args.child[3] == "True")
        return

    roots = [Path(sysconfig.get_paths()["stdlib"])]
    if args.site_packages:
        roots.append(Path(sysconfig.get_paths()["purelib"]))
    WORK.mkdir(parents=True, exist_ok=True)
    if args.layouts:
        with tempfile.TemporaryDirectory(dir=WORK) as scratch:
            layouts(build_corpus(roots, 1, Path(scratch)), Path(scratch), args.repeats, args.workers)
        return
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
