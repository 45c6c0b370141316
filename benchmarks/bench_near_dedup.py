"""Near-dedup benchmark: litcode's MinHash + LSH against datasketch on real Python code.

Corpus: the ``.py`` files of this interpreter's standard library and of the active
environment's site-packages (nobody here wrote them). Two measurements:

1. Speed — signatures/s and MB/s of ``MinHashDeduplicator.signatures`` next to
   datasketch ``MinHash.update_batch`` over the *same* shingles (word 5-grams by
   ``litcode.dedup.WORD_PATTERN``), 256 permutations, text already in memory;
   medians of ``--runs`` runs, printed as a ratio.
2. Quality — over files that share a file name (vendored copies, forks, versions),
   the true Jaccard of their shingle sets decides which pairs are near duplicates
   (>= 0.85). Recall and precision of litcode's clusters and of datasketch's
   ``MinHashLSH(threshold=0.85, num_perm=256)`` query results are printed.

Run: ``.venv/bin/python benchmarks/bench_near_dedup.py`` (needs ``pip install datasketch``).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sysconfig
import time
from collections import defaultdict
from pathlib import Path

from litcode.dedup import WORD_PATTERN, MinHashDeduplicator

THRESHOLD = 0.85
NUM_PERM = 256
SHINGLE_SIZE = 5


def corpus_files(max_file_bytes: int) -> list[Path]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    purelib = Path(sysconfig.get_paths()["purelib"])
    files = [p for p in stdlib.rglob("*.py") if "site-packages" not in p.parts]
    files += list(purelib.rglob("*.py"))
    return sorted(p for p in files if p.is_file() and 0 < p.stat().st_size <= max_file_bytes)


def read(paths: list[Path]) -> list[str]:
    return [p.read_text(encoding="utf-8", errors="replace") for p in paths]


def shingle_strings(text: str) -> set[str]:
    tokens = WORD_PATTERN.findall(text)
    if not tokens:
        return set()
    if len(tokens) < SHINGLE_SIZE:
        return {" ".join(tokens)}
    return {" ".join(tokens[i : i + SHINGLE_SIZE]) for i in range(len(tokens) - SHINGLE_SIZE + 1)}


def datasketch_minhashes(texts: list[str]) -> list:
    from datasketch import MinHash

    hashes = []
    for text in texts:
        minhash = MinHash(num_perm=NUM_PERM, seed=1)
        minhash.update_batch([s.encode("utf-8") for s in shingle_strings(text)])
        hashes.append(minhash)
    return hashes


def sample_by_bytes(paths: list[Path], budget: int) -> list[Path]:
    """Every k-th file so the sample spans the whole corpus, up to ``budget`` bytes."""
    total = sum(p.stat().st_size for p in paths)
    step = max(1, round(total / budget))
    chosen, used = [], 0
    for path in paths[::step]:
        if used >= budget:
            break
        chosen.append(path)
        used += path.stat().st_size
    return chosen


def same_name_groups(paths: list[Path], max_group: int, max_files: int) -> list[list[int]]:
    by_name: dict[str, list[int]] = defaultdict(list)
    for index, path in enumerate(paths):
        by_name[path.name].append(index)
    groups = [g for name, g in sorted(by_name.items()) if 2 <= len(g) <= max_group and name != "__init__.py"]
    chosen, used = [], 0
    for group in groups:
        if used + len(group) > max_files:
            break
        chosen.append(group)
        used += len(group)
    return chosen


def jaccard(first: set[str], second: set[str]) -> float:
    union = len(first | second)
    return len(first & second) / union if union else 0.0


def score(predicted: set[tuple[int, int]], truth: set[tuple[int, int]]) -> tuple[float, float]:
    hits = len(predicted & truth)
    recall = hits / len(truth) if truth else 1.0
    precision = hits / len(predicted) if predicted else 1.0
    return recall, precision


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed-mb", type=float, default=15.0, help="corpus sample for the speed race")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quality-files", type=int, default=3000, help="files in same-name groups")
    parser.add_argument("--max-file-kb", type=int, default=1024)
    args = parser.parse_args()

    paths = corpus_files(args.max_file_kb * 1024)
    print(f"corpus: {len(paths)} .py files, {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB")
    dedup = MinHashDeduplicator(num_perm=NUM_PERM, threshold=THRESHOLD, shingle_size=SHINGLE_SIZE)
    print(f"litcode: {dedup!r}")

    # 1. Speed, on a sample spanning the corpus; the contenders alternate within each run.
    speed_texts = read(sample_by_bytes(paths, int(args.speed_mb * 1e6)))
    megabytes = sum(len(t.encode("utf-8", "surrogatepass")) for t in speed_texts) / 1e6
    classic = MinHashDeduplicator(scheme="permutations")
    contenders = {
        "litcode one_permutation (default)": lambda: dedup.signatures(speed_texts),
        "litcode permutations": lambda: classic.signatures(speed_texts),
        "datasketch MinHash.update_batch": lambda: datasketch_minhashes(speed_texts),
    }
    seconds: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(args.runs):
        for name, function in contenders.items():
            start = time.perf_counter()
            function()
            seconds[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    anchor = medians["datasketch MinHash.update_batch"]
    print(f"\nspeed: {len(speed_texts)} files, {megabytes:.1f} MB, median of {args.runs} runs")
    for name, median in medians.items():
        print(
            f"  {name:36s} {len(speed_texts) / median:7.0f} signatures/s {megabytes / median:7.2f} MB/s"
            f"  {anchor / median:5.1f}x datasketch"
        )

    # 2. Quality, over pairs of files sharing a name.
    groups = same_name_groups(paths, max_group=12, max_files=args.quality_files)
    members = sorted({i for g in groups for i in g})
    texts = dict(zip(members, read([paths[i] for i in members]), strict=True))
    shingles = {i: shingle_strings(t) for i, t in texts.items()}
    pairs = [pair for g in groups for pair in itertools.combinations(sorted(g), 2)]
    truth = {pair for pair in pairs if jaccard(shingles[pair[0]], shingles[pair[1]]) >= THRESHOLD}
    print(
        f"\nquality: {len(groups)} same-name groups, {len(members)} files, {len(pairs)} pairs, "
        f"{len(truth)} with true Jaccard >= {THRESHOLD}"
    )
    pair_set = set(pairs)

    ids = [str(i) for i in members]
    signatures = dedup.signatures([texts[i] for i in members])
    classic_signatures = classic.signatures([texts[i] for i in members])
    variants = {
        f"litcode default ({dedup.bands}x{dedup.rows}, verified)": (dedup, signatures),
        f"litcode ({dedup.bands}x{dedup.rows}, unverified)": (MinHashDeduplicator(verify=False), signatures),
        "litcode (13x19 like datasketch, verified)": (MinHashDeduplicator(bands=13, rows=19), signatures),
        "litcode permutations (18x14, verified)": (classic, classic_signatures),
    }
    for name, (variant, variant_signatures) in variants.items():
        start = time.perf_counter()
        clusters = variant.cluster(ids, variant_signatures)
        cluster_seconds = time.perf_counter() - start
        predicted = {
            (a, b) for a, b in pair_set if str(a) in clusters and clusters.get(str(a)) == clusters.get(str(b))
        }
        recall, precision = score(predicted, truth)
        quality = f"recall {recall:.3f}  precision {precision:.3f}"
        print(f"  {name:44s} {quality}  index+query {cluster_seconds:.3f} s")

    from datasketch import MinHashLSH

    minhashes = dict(zip(members, datasketch_minhashes([texts[i] for i in members]), strict=True))
    start = time.perf_counter()
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    for i, minhash in minhashes.items():
        lsh.insert(str(i), minhash)
    neighbours = {i: set(lsh.query(minhash)) for i, minhash in minhashes.items()}
    lsh_seconds = time.perf_counter() - start
    predicted = {(a, b) for a, b in pair_set if str(b) in neighbours[a]}
    recall, precision = score(predicted, truth)
    label = f"datasketch MinHashLSH ({lsh.b}x{lsh.r})"
    quality = f"recall {recall:.3f}  precision {precision:.3f}"
    print(f"  {label:44s} {quality}  index+query {lsh_seconds:.3f} s")


if __name__ == "__main__":
    main()
