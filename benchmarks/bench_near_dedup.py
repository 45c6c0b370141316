"""Near-dedup benchmark: litcode's MinHash + LSH against datasketch on real Python code.

Corpus: the ``.py`` files of this interpreter's standard library and of the active
environment's site-packages (nobody here wrote them). Two measurements:

1. Speed — signatures/s and MB/s of ``MinHashDeduplicator.signatures`` next to
   datasketch ``MinHash.update_batch`` over the *same* shingles (word 5-grams by
   ``litcode.dedup.WORD_PATTERN``), 256 permutations, text already in memory;
   medians of ``--runs`` runs, printed as a ratio.
2. Quality — over the files that share a file name with another (vendored copies,
   forks, versions), the exact Jaccard of *every* pair of them (one sparse matrix
   product) is the ground truth. For each preset of :mod:`litcode.dedup.presets`
   (litcode's default, BigCode's 0.7 setting, datatrove's 14 x 8) and for datasketch's
   ``MinHashLSH(threshold=0.85, num_perm=256)``: pair recall per true-Jaccard bin
   (0.7-0.8, 0.8-0.85, 0.85-0.9, 0.9-1.0; a pair counts as found when both files end in
   one cluster), recall over pairs at or above the preset's threshold, and precision
   over pairs within 0.1 below it.
3. Isolated pairs — ``--planted`` files of the corpus, each next to an edited copy of
   itself (random words replaced so that the true Jaccard lands mostly between 0.8 and 1): the
   probability that a lone pair near the threshold is found, which the same-name groups
   (few pairs near 0.85, most inside larger clusters) cannot show. Graded by exact
   Jaccard, with the wave-1 default split (18 x 14) beside today's (25 x 10).

Run: ``.venv/bin/python benchmarks/bench_near_dedup.py`` (needs ``pip install datasketch``).
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sysconfig
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from litcode.dedup import WORD_PATTERN, MinHashDeduplicator
from litcode.dedup.presets import NEAR_DEDUP_PRESETS

THRESHOLD = 0.85
NUM_PERM = 256
SHINGLE_SIZE = 5
#: True-Jaccard bins the recall is reported in (the last one closed at 1.0).
BINS = ((0.7, 0.8), (0.8, 0.85), (0.85, 0.9), (0.9, 1.0001))


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
    parser.add_argument("--planted", type=int, default=2000, help="isolated planted pairs (0: skip)")
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

    # 2. Quality: every pair among files that share a name, graded by exact Jaccard.
    groups = same_name_groups(paths, max_group=12, max_files=args.quality_files)
    members = sorted({i for g in groups for i in g})
    member_texts = read([paths[i] for i in members])
    truth = all_pairs_jaccard([shingle_strings(t) for t in member_texts], 0.5)
    print(
        f"\nquality: {len(members)} files ({len(groups)} same-name groups), exact all-pairs Jaccard: "
        f"{sum(j >= 0.7 for j in truth.values())} pairs >= 0.7; per bin "
        + ", ".join(f"[{low}, {high}): {sum(low <= j < high for j in truth.values())}" for low, high in BINS)
    )
    ids = [str(position) for position in range(len(members))]
    header = "  ".join(f"[{low:.2f},{high:.2f})" for low, high in BINS)
    print(f"  {'pair recall per true-Jaccard bin':44s} {header}   recall>=thr  precision>=thr  cluster s")
    for name, preset in NEAR_DEDUP_PRESETS.items():
        dedup_variant = preset.deduplicator()
        signatures = dedup_variant.signatures(member_texts)
        start = time.perf_counter()
        clusters = dedup_variant.cluster(ids, signatures)
        cluster_seconds = time.perf_counter() - start
        predicted = predicted_pairs(clusters)
        label = f"{name} ({dedup_variant.bands}x{dedup_variant.rows}, thr {preset.threshold})"
        print(f"  {label:44s} {quality_row(predicted, truth, preset.threshold)}  {cluster_seconds:8.2f}")

    from datasketch import MinHashLSH

    minhashes = datasketch_minhashes(member_texts)
    start = time.perf_counter()
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    for position, minhash in enumerate(minhashes):
        lsh.insert(position, minhash)
    predicted = {
        (min(a, b), max(a, b)) for a, minhash in enumerate(minhashes) for b in lsh.query(minhash) if a != b
    }
    lsh_seconds = time.perf_counter() - start
    label = f"datasketch MinHashLSH ({lsh.b}x{lsh.r}, thr {THRESHOLD})"
    print(f"  {label:44s} {quality_row(predicted, truth, THRESHOLD)}  {lsh_seconds:8.2f}")

    if args.planted:
        planted_pairs(paths, args.planted)


def edited_copy(text: str, target: float, rng: random.Random) -> str:
    """``text`` with random words replaced so that its 5-gram Jaccard with ``text`` is about ``target``."""
    survive = 2 * target / (1 + target)  # shingles kept, from J = s / (2 - s)
    rate = 1 - survive ** (1 / SHINGLE_SIZE)
    words = text.split(" ")
    for position in range(len(words)):
        if rng.random() < rate:
            words[position] = f"edit{rng.randrange(1 << 30)}"
    return " ".join(words)


def planted_pairs(paths: list[Path], count: int) -> None:
    rng = random.Random(0)
    originals = [t for t in read(rng.sample(paths, min(len(paths), 3 * count))) if len(t.split(" ")) >= 400]
    originals = originals[:count]
    copies = [edited_copy(text, rng.uniform(0.86, 1.0), rng) for text in originals]
    truth = {
        (2 * i, 2 * i + 1): jaccard(shingle_strings(a), shingle_strings(b))
        for i, (a, b) in enumerate(zip(originals, copies, strict=True))
    }
    texts = [text for pair in zip(originals, copies, strict=True) for text in pair]
    ids = [str(position) for position in range(len(texts))]
    bins = ((0.8, 0.85), (0.85, 0.87), (0.87, 0.9), (0.9, 1.0001))
    print(
        f"\nisolated planted pairs: {len(truth)} (each file with an edited copy); per bin "
        + ", ".join(f"[{low}, {high}): {sum(low <= j < high for j in truth.values())}" for low, high in bins)
    )
    variants = [
        ("litcode default", MinHashDeduplicator()),
        ("litcode wave-1 split", MinHashDeduplicator(bands=18, rows=14)),
        ("BigCode's own split", MinHashDeduplicator(bands=32, rows=8)),
    ]
    for name, dedup in variants:
        predicted = predicted_pairs(dedup.cluster(ids, dedup.signatures(texts)))
        cells = []
        for low, high in bins:
            in_bin = [pair for pair, j in truth.items() if low <= j < high]
            cells.append(f"{sum(p in predicted for p in in_bin) / max(1, len(in_bin)):7.3f}")
        above = [pair for pair, j in truth.items() if j >= THRESHOLD]
        recall = sum(p in predicted for p in above) / max(1, len(above))
        label = f"{name} ({dedup.bands}x{dedup.rows})"
        print(f"  {label:36s} " + "  ".join(cells) + f"   recall >= 0.85: {recall:.3f}")


def all_pairs_jaccard(shingle_sets: list[set[str]], minimum: float) -> dict[tuple[int, int], float]:
    """Exact Jaccard of every pair with at least ``minimum``: one sparse ``A @ A.T`` of shingle sets."""
    from scipy import sparse  # comes with datasketch (the bench extra)

    vocabulary: dict[str, int] = {}
    columns = [
        [vocabulary.setdefault(shingle, len(vocabulary)) for shingle in shingles] for shingles in shingle_sets
    ]
    sizes = np.array([len(row) for row in columns], dtype=np.int64)
    matrix = sparse.csr_matrix(
        (
            np.ones(int(sizes.sum()), dtype=np.int32),
            np.concatenate([np.array(c, dtype=np.int64) for c in columns]),
            np.concatenate([[0], np.cumsum(sizes)]),
        ),
        shape=(len(columns), len(vocabulary)),
    )
    shared = sparse.triu(matrix @ matrix.T, k=1).tocoo()
    union = sizes[shared.row] + sizes[shared.col] - shared.data
    similarity = np.where(union > 0, shared.data / np.maximum(union, 1), 0.0)
    keep = similarity >= minimum
    return {
        (int(a), int(b)): float(j)
        for a, b, j in zip(shared.row[keep], shared.col[keep], similarity[keep], strict=True)
    }


def predicted_pairs(clusters: dict[str, int]) -> set[tuple[int, int]]:
    by_cluster: dict[int, list[int]] = defaultdict(list)
    for sample_id, cluster in clusters.items():
        by_cluster[cluster].append(int(sample_id))
    return {pair for members in by_cluster.values() for pair in itertools.combinations(sorted(members), 2)}


def quality_row(
    predicted: set[tuple[int, int]], truth: dict[tuple[int, int], float], threshold: float
) -> str:
    cells = []
    for low, high in BINS:
        in_bin = [pair for pair, j in truth.items() if low <= j < high]
        found = sum(pair in predicted for pair in in_bin)
        cells.append(f"{found / len(in_bin):13.3f}" if in_bin else f"{'-':>13s}")
    above = {pair for pair, j in truth.items() if j >= threshold}
    recall, _ = score(predicted, above)
    near = {pair for pair, j in truth.items() if j >= threshold - 0.1}  # precision counts pairs near the line
    _, precision = score(predicted, near)
    return "  ".join(cells) + f"   {recall:10.3f}  {precision:14.3f}"


if __name__ == "__main__":
    main()
