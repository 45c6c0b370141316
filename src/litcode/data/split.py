"""Train/validation split by repository, so no repository's code is on both sides.

Files of one repository share style, names and often near-copies of each other; splitting by file
would leak them into validation and flatter the validation loss. Each repository goes to
validation when a seeded hash of its name falls below ``val_fraction``: deterministic across runs,
machines and corpus growth (adding a repository never moves another one).
"""

from __future__ import annotations

from collections.abc import Iterable

import xxhash

TRAIN = "train"
VAL = "val"


def repo_hash_fraction(repo: str, seed: int) -> float:
    """A uniform-looking number in [0, 1) fixed by ``(seed, repo)``."""
    return xxhash.xxh3_64_intdigest(f"{seed}\x00{repo}".encode("utf-8", "surrogatepass")) / 2.0**64


def split_repos(repos: Iterable[str], val_fraction: float, seed: int = 0) -> dict[str, set[str]]:
    """Assign each repository to ``"train"`` or ``"val"``.

    Training always keeps at least one repository (the highest-hashing one); with at least two
    repositories and ``val_fraction > 0`` validation gets at least one too (the lowest-hashing
    one), so a small corpus still gives a validation loss.

    >>> sides = split_repos(["a", "b", "c"], val_fraction=0.3, seed=0)
    >>> sides["train"].isdisjoint(sides["val"]), len(sides["val"]) >= 1
    (True, True)
    """
    if not 0.0 <= val_fraction < 1.0:
        raise ValueError(f"val_fraction must be in [0, 1), got {val_fraction}")
    ranked = sorted(set(repos), key=lambda repo: (repo_hash_fraction(repo, seed), repo))
    val = {repo for repo in ranked if repo_hash_fraction(repo, seed) < val_fraction}
    if val_fraction > 0 and len(ranked) >= 2 and not val:
        val.add(ranked[0])
    if ranked and len(val) == len(ranked):
        val.discard(ranked[-1])
    return {TRAIN: set(ranked) - val, VAL: val}
