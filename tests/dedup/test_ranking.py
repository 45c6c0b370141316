from __future__ import annotations

import pytest

from litcode.dedup import DedupEntry, choose_kept, rank_key
from litcode.quality.sample import CodeSample


def test_entry_from_sample_takes_stars_path_and_score():
    sample = CodeSample("x = 1\r\n", "python", {"sample_id": "r/x.py", "path": "x.py", "stars": "12"})
    sample.quality_score = 0.75
    entry = DedupEntry.from_sample(sample)
    assert entry == DedupEntry("r/x.py", sample.content_hash, quality_score=0.75, stars=12, path="x.py")


def test_entry_from_sample_without_metadata_has_no_stars_or_path():
    entry = DedupEntry.from_sample(CodeSample("y", "python", {"sample_id": "y"}))
    assert (entry.stars, entry.path) == (None, None)


def test_rank_key_orders_score_then_stars_then_path_then_id():
    entries = [
        DedupEntry("d", "h", 0.5, 5, "b.py"),
        DedupEntry("c", "h", 0.5, 5, "a.py"),
        DedupEntry("e", "h", 0.5, 5, "a.py"),
        DedupEntry("b", "h", 0.5, 6, "z.py"),
        DedupEntry("a", "h", 0.6, None, None),
    ]
    assert [e.sample_id for e in sorted(entries, key=rank_key)] == ["a", "b", "c", "e", "d"]


def test_choose_kept_keeps_best_of_each_cluster_and_reports_the_rest():
    entries = {
        "a": DedupEntry("a", "1", 0.3),
        "b": DedupEntry("b", "2", 0.9),
        "c": DedupEntry("c", "3", 0.5),
        "d": DedupEntry("d", "4", 0.1, stars=2),
        "e": DedupEntry("e", "5", 0.1, stars=1),
    }
    dropped = choose_kept({"a": 0, "b": 0, "c": 0, "d": 1, "e": 1}, entries)
    assert dropped == {"a": (0, "b"), "c": (0, "b"), "e": (1, "d")}


def test_choose_kept_names_a_missing_entry():
    with pytest.raises(KeyError, match="'ghost'"):
        choose_kept({"ghost": 0, "a": 0}, {"a": DedupEntry("a", "1")})
