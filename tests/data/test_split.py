from __future__ import annotations

import pytest

from litcode.data.split import split_repos

REPOS = [f"owner{i}/project{i}" for i in range(400)]


def test_split_sides_are_disjoint_and_cover_every_repo() -> None:
    sides = split_repos(REPOS, val_fraction=0.1, seed=0)
    assert sides["train"].isdisjoint(sides["val"])
    assert sides["train"] | sides["val"] == set(REPOS)


def test_val_share_is_close_to_val_fraction() -> None:
    sides = split_repos(REPOS, val_fraction=0.25, seed=3)
    assert 0.17 < len(sides["val"]) / len(REPOS) < 0.33


def test_split_is_deterministic_for_a_seed() -> None:
    assert split_repos(REPOS, 0.1, seed=7) == split_repos(list(reversed(REPOS)), 0.1, seed=7)


def test_different_seeds_pick_different_val_repos() -> None:
    assert split_repos(REPOS, 0.1, seed=0)["val"] != split_repos(REPOS, 0.1, seed=1)["val"]


def test_adding_a_repo_does_not_move_others() -> None:
    before = split_repos(REPOS, 0.1, seed=0)
    after = split_repos([*REPOS, "new/repo"], 0.1, seed=0)
    assert before["val"] <= after["val"]
    assert before["train"] <= after["train"]


@pytest.mark.parametrize("repos", [["a", "b"], ["a", "b", "c"], ["x/y", "z/w"]])
def test_small_corpus_gets_at_least_one_val_and_one_train_repo(repos: list[str]) -> None:
    sides = split_repos(repos, val_fraction=0.01, seed=0)
    assert len(sides["val"]) == 1
    assert len(sides["train"]) == len(repos) - 1


def test_val_fraction_near_one_still_leaves_a_train_repo() -> None:
    sides = split_repos(["a", "b", "c"], val_fraction=0.999, seed=0)
    assert len(sides["train"]) >= 1


def test_zero_val_fraction_puts_everything_in_train() -> None:
    assert split_repos(REPOS[:5], val_fraction=0.0) == {"train": set(REPOS[:5]), "val": set()}


def test_single_repo_stays_in_train() -> None:
    assert split_repos(["only"], val_fraction=0.5) == {"train": {"only"}, "val": set()}


@pytest.mark.parametrize("val_fraction", [-0.1, 1.0, 1.5])
def test_val_fraction_outside_unit_interval_is_rejected(val_fraction: float) -> None:
    with pytest.raises(ValueError, match="val_fraction"):
        split_repos(REPOS, val_fraction)
