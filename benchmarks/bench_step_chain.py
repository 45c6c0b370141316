"""Cost of the one step loop: litcode's ``SampleChain`` against a bare loop over the same steps.

The chain times every step (two ``perf_counter`` calls), counts samples and drops
and asks ``explain`` on a drop; the anchor calls the same step objects in a plain
``for`` loop with none of that bookkeeping. Both run curation's default steps
(``build_steps(CurationConfig(...))``: heuristics, license resolution and check,
secret redaction, scoring, insecure tagging) over the same decoded samples, interleaved,
so the ratio is the bookkeeping's share. It also prints where the time goes per step.

Corpus: the ``.py`` files of this interpreter's standard library (tests left out),
capped at ``--max-mb``, decoded once before timing.
Run: ``.venv/bin/python benchmarks/bench_step_chain.py [--max-mb 8] [--runs 5]``.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sysconfig
import time
from pathlib import Path

from litcode.curation import CurationConfig
from litcode.curation.filter_chain import build_steps
from litcode.quality import CodeSample, Filter, SampleChain, Step, merge_step_stats


def corpus(max_bytes: int) -> list[CodeSample]:
    root = Path(sysconfig.get_paths()["stdlib"])
    samples: list[CodeSample] = []
    total = 0
    for path in sorted(root.rglob("*.py")):
        if total >= max_bytes:
            break
        if "test" in path.parts or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        samples.append(CodeSample(text, "python", {}, path=str(path.relative_to(root)), license="PSF-2.0"))
        total += len(text)
    return samples


def bare_loop(steps: list[Step], samples: list[CodeSample]) -> int:
    kept = 0
    for sample in samples:
        for step in steps:
            if isinstance(step, Filter):
                if not step.keep(sample):
                    break
            else:
                sample = step.apply(sample)
        else:
            kept += 1
    return kept


def chained(chain: SampleChain, samples: list[CodeSample]) -> int:
    return sum(chain.run(sample).kept for sample in samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-mb", type=float, default=8.0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    samples = corpus(int(args.max_mb * 1e6))
    megabytes = sum(sample.size_bytes for sample in samples) / 1e6
    config = CurationConfig(default_license="PSF-2.0", min_quality_score=0.1)
    steps = build_steps(config)
    chain = SampleChain(steps)
    seconds: dict[str, list[float]] = {"bare loop": [], "SampleChain": []}
    kept: dict[str, int] = {}
    per_run_stats = []
    for run in range(args.runs):
        order = list(seconds) if run % 2 == 0 else list(reversed(seconds))  # neither always goes first
        for name in order:
            fresh = copy.deepcopy(samples)  # transforms rewrite content: each contender gets clean input
            started = time.perf_counter()
            if name == "bare loop":
                kept[name] = bare_loop(steps, fresh)
            else:
                chain.reset()
                kept[name] = chained(chain, fresh)
                per_run_stats.append(chain.stats)
            seconds[name].append(time.perf_counter() - started)
    assert kept["bare loop"] == kept["SampleChain"], kept
    print(f"{len(samples)} stdlib files, {megabytes:.1f} MB, {kept['SampleChain']} kept, {args.runs} runs")
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    for name, median in medians.items():
        print(f"  {name:12s} {median:7.3f} s  {megabytes / median:6.2f} MB/s")
    print(f"  SampleChain / bare loop: {medians['SampleChain'] / medians['bare loop']:.3f}x")
    print("where the time goes (SampleChain, summed over runs):")
    total = merge_step_stats(per_run_stats)
    spent = sum(stats.seconds for stats in total)
    for stats in total:
        print(f"  {stats.step:22s} {stats.seconds / args.runs:7.3f} s/run  {100 * stats.seconds / spent:5.1f}%")


if __name__ == "__main__":
    main()
