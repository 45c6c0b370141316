from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litcode.dedup import shingle_hashes, word_hashes, words
from litcode.dedup import shingles as shingles_module
from litcode.dedup.shingles import shingle_keys, shingle_keys_batch

code_like_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("abcXYZ_019 \t\n\r()[]{}:.,=+-*/#'\"\\")),
        st.characters(min_codepoint=0x80, max_codepoint=0x2FFF),
    ),
    max_size=200,
)


@settings(max_examples=200, deadline=None)
@given(code_like_text)
def test_vectorized_words_match_the_reference_regex(text):
    reference = words(text)
    hashes = word_hashes(text)
    assert hashes.size == len(reference)
    # Equal words hash equal, different words differ: the hashes encode the token sequence.
    same_word = np.equal.outer(np.array(reference, dtype=object), np.array(reference, dtype=object))
    assert np.array_equal(np.equal.outer(hashes, hashes), same_word.astype(bool))


def test_words_are_not_case_folded():
    upper, lower = word_hashes("Foo foo")
    assert upper != lower


def test_non_ascii_letters_belong_to_words():
    assert words("naïve_名前 = 1") == ["naïve_名前", "1"]
    assert word_hashes("naïve_名前 = 1").size == 2


def test_lone_surrogates_do_not_raise():
    assert word_hashes("x\udcff y").size == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("  \n\t#()  ", 0),
        ("one", 1),
        ("one two three four", 1),
        ("a b c d e", 1),
        ("a b c d e f", 2),
        ("a b c d e a b c d e", 5),  # 6 windows, "a b c d e" twice
    ],
)
def test_number_of_distinct_shingles(text, expected):
    assert shingle_hashes(text, shingle_size=5).size == expected


def test_short_text_single_shingle_depends_on_all_its_words():
    assert not np.array_equal(shingle_hashes("alpha beta"), shingle_hashes("alpha gamma"))


def test_shingles_are_order_sensitive():
    assert not np.array_equal(shingle_hashes("a b c d e"), shingle_hashes("e d c b a"))


def test_shingle_size_must_be_positive():
    with pytest.raises(ValueError, match="shingle_size must be >= 1"):
        shingle_hashes("a b", shingle_size=0)


@pytest.mark.parametrize("block_bytes", [7, 64, 1000])
def test_block_processing_of_large_texts_gives_identical_hashes(monkeypatch, stdlib_dir, block_bytes):
    text = (stdlib_dir / "textwrap.py").read_text(encoding="utf-8")[:5000] + " " + "x" * 300
    whole = word_hashes(text)
    monkeypatch.setattr(shingles_module, "BLOCK_BYTES", block_bytes)
    assert np.array_equal(word_hashes(text), whole)


def test_a_word_longer_than_the_power_tables_hashes_the_same_anywhere():
    giant = "z" * 70_000
    alone = word_hashes(giant)
    after_other_words = word_hashes("a b " * 20_000 + giant)
    assert alone.size == 1
    assert after_other_words[-1] == alone[0]
    assert word_hashes("z" * 69_999)[0] != alone[0]


def test_words_far_into_a_long_text_hash_like_the_same_words_alone():
    text = "x_1 " * 30_000 + "needle haystack"
    assert np.array_equal(word_hashes(text)[-2:], word_hashes("needle haystack"))


def test_batch_keys_equal_per_text_keys(unrelated_stdlib_modules):
    texts = [
        *list(unrelated_stdlib_modules.values())[:80],
        "",
        "x",
        "a b",
        "a b c d e",
        " ;; ",
        "é ü",
        "x\udcff y",
    ]
    texts = texts[::2] + texts[1::2]  # interleave large and small texts
    batch = shingle_keys_batch(texts, shingle_size=5, seed=9)
    assert len(batch) == len(texts)
    for keys, text in zip(batch, texts, strict=True):
        assert np.array_equal(keys, shingle_keys(text, shingle_size=5, seed=9))
