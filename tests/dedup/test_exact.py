from __future__ import annotations

import pytest

from litcode.dedup import DedupEntry, ExactDeduplicator
from litcode.quality.sample import content_hash


def entry(sample_id: str, text: str, score: float = 0.5, stars: int | None = None, path: str | None = None):
    return DedupEntry(sample_id, content_hash(text), quality_score=score, stars=stars, path=path)


def test_crlf_cr_and_lf_copies_are_exact_duplicates():
    found = ExactDeduplicator().find_duplicates(
        [
            entry("lf.py", "a = 1\nb = 2\n"),
            entry("crlf.py", "a = 1\r\nb = 2\r\n"),
            entry("cr.py", "a = 1\rb = 2\r"),
        ]
    )
    # Equal scores, stars and paths: the smallest sample id is kept.
    assert found == {"crlf.py": "cr.py", "lf.py": "cr.py"}


def test_distinct_contents_are_not_duplicates():
    assert ExactDeduplicator().find_duplicates([entry("a", "x = 1\n"), entry("b", "x = 2\n")]) == {}


def test_trailing_whitespace_difference_is_not_an_exact_duplicate():
    assert ExactDeduplicator().find_duplicates([entry("a", "x = 1\n"), entry("b", "x = 1 \n")]) == {}


@pytest.mark.parametrize(
    ("entries", "kept"),
    [
        ([entry("a", "t", score=0.2), entry("b", "t", score=0.9)], "b"),
        ([entry("a", "t", stars=3), entry("b", "t", stars=30)], "b"),
        ([entry("a", "t", stars=None), entry("b", "t", stars=1)], "b"),
        ([entry("a", "t", path="z/x.py"), entry("b", "t", path="a/x.py")], "b"),
        ([entry("a", "t", path=None), entry("b", "t", path="a/x.py")], "b"),
        ([entry("b", "t"), entry("a", "t")], "a"),
        ([entry("a", "t", score=0.9, stars=0), entry("b", "t", score=0.1, stars=10_000)], "a"),
    ],
    ids=[
        "higher-score",
        "more-stars",
        "stars-none-is-zero",
        "path-order",
        "path-none-last",
        "id-order",
        "score-first",
    ],
)
def test_kept_copy_follows_rank_rule(entries, kept):
    duplicates = ExactDeduplicator().find_duplicates(entries)
    assert set(duplicates.values()) == {kept}
    assert kept not in duplicates


def test_choice_does_not_depend_on_arrival_order():
    group = [
        entry(f"id{i}", "same", score=s, stars=st) for i, (s, st) in enumerate([(0.5, 1), (0.7, 2), (0.7, 9)])
    ]
    forward = ExactDeduplicator().find_duplicates(group)
    backward = ExactDeduplicator().find_duplicates(reversed(group))
    assert forward == backward == {"id0": "id2", "id1": "id2"}


def test_streaming_batches_equal_one_shot():
    group = [entry(f"f{i}", f"content {i % 3}", score=i / 10) for i in range(9)]
    streaming = ExactDeduplicator()
    streaming.add_all(group[:4])
    streaming.add_all(group[4:])
    assert streaming.duplicates() == ExactDeduplicator().find_duplicates(group)
    assert len(streaming) == 9


def test_kept_maps_each_distinct_hash_to_its_survivor():
    dedup = ExactDeduplicator()
    dedup.add_all([entry("a", "x", score=0.1), entry("b", "x", score=0.3), entry("c", "y")])
    assert dedup.kept() == {content_hash("x"): "b", content_hash("y"): "c"}


def test_repeated_sample_id_is_rejected_with_clear_message():
    dedup = ExactDeduplicator()
    dedup.add(entry("a.py", "x"))
    with pytest.raises(ValueError, match=r"'a\.py' was added twice"):
        dedup.add(entry("a.py", "y"))


def test_find_duplicates_forgets_previous_calls():
    dedup = ExactDeduplicator()
    dedup.find_duplicates([entry("a", "x"), entry("b", "x")])
    assert dedup.find_duplicates([entry("a", "x")]) == {}
