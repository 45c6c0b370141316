from __future__ import annotations

import pickle
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litcode.dedup import MinHasher, estimated_jaccard, is_empty_signature, words
from litcode.dedup import minhash as minhash_module
from litcode.dedup.minhash import SCHEMES


def true_jaccard(first: str, second: str, size: int = 5) -> float:
    def shingle_set(text: str) -> set[tuple[str, ...]]:
        tokens = words(text)
        if len(tokens) < size:
            return {tuple(tokens)} if tokens else set()
        return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}

    a, b = shingle_set(first), shingle_set(second)
    return len(a & b) / len(a | b)


def test_signature_shape_and_dtype():
    signature = MinHasher(num_perm=256).signature("def f(x):\n    return x\n")
    assert signature.shape == (256,)
    assert signature.dtype == np.uint32


def test_identical_texts_have_identical_signatures_and_line_endings_do_not_matter():
    hasher = MinHasher()
    assert np.array_equal(hasher.signature("a = b + c\nd = e\n"), hasher.signature("a = b + c\r\nd = e\r\n"))


def test_seed_changes_the_permutations():
    text = "import os\nprint(os.getcwd())\n"
    assert not np.array_equal(MinHasher(seed=1).signature(text), MinHasher(seed=2).signature(text))


def test_empty_text_gets_sentinel_that_matches_nothing():
    hasher = MinHasher(num_perm=64)
    empty = hasher.signature("   \n# \n")
    assert bool(is_empty_signature(empty))
    assert float(estimated_jaccard(empty, empty)) == 0.0
    assert float(estimated_jaccard(empty, hasher.signature("x y"))) == 0.0


def test_short_text_is_not_empty():
    assert not bool(is_empty_signature(MinHasher().signature("x")))


def test_signatures_stack_in_order():
    hasher = MinHasher(num_perm=32)
    texts = ["a b c", "d e f g h i", ""]
    stacked = hasher.signatures(texts)
    assert stacked.shape == (3, 32)
    for row, text in zip(stacked, texts, strict=True):
        assert np.array_equal(row, hasher.signature(text))


def test_no_texts_give_empty_matrix():
    assert MinHasher(num_perm=16).signatures([]).shape == (0, 16)


def test_signature_is_stable_across_processes_and_hash_seeds(stdlib_dir):
    path = stdlib_dir / "textwrap.py"
    program = (
        "import sys; from pathlib import Path; from litcode.dedup import MinHasher; "
        f"text = Path({str(path)!r}).read_text(); "
        "sys.stdout.write(MinHasher(num_perm=256, seed=7).signature(text).tobytes().hex())"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", program],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": hash_seed, "PATH": ""},
        ).stdout
        for hash_seed in ("1", "12345")
    }
    here = MinHasher(num_perm=256, seed=7).signature(path.read_text()).tobytes().hex()
    assert outputs == {here}


def test_chunking_does_not_change_signatures(monkeypatch, stdlib_dir):
    text = (stdlib_dir / "argparse.py").read_text(encoding="utf-8")
    whole = MinHasher(num_perm=64).signature(text)
    monkeypatch.setattr(minhash_module, "CHUNK_SHINGLES", 5)
    assert np.array_equal(MinHasher(num_perm=64).signature(text), whole)


@pytest.mark.parametrize("bad", [{"num_perm": 0}, {"shingle_size": 0}])
def test_invalid_parameters_are_rejected(bad):
    with pytest.raises(ValueError, match="must be >= 1"):
        MinHasher(**bad)


vocabulary = [f"w{i}" for i in range(40)]


@pytest.mark.parametrize("scheme", SCHEMES)
@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from(vocabulary), min_size=10, max_size=300),
    st.lists(st.sampled_from(vocabulary), min_size=0, max_size=60),
    st.integers(min_value=0, max_value=300),
)
def test_estimated_jaccard_is_close_to_true_shingle_jaccard(scheme, base, insert, position):
    first = " ".join(base)
    second = " ".join(base[:position] + insert + base[position:])
    hasher = MinHasher(num_perm=256, scheme=scheme)
    estimate = float(estimated_jaccard(hasher.signature(first), hasher.signature(second)))
    # Standard error is at most 0.5 / sqrt(256) = 0.031; allow four of them.
    assert abs(estimate - true_jaccard(first, second)) <= 0.125


def test_one_permutation_fills_every_bin_of_a_nonempty_text():
    signature = MinHasher(num_perm=256, scheme="one_permutation").signature("only a few words here")
    assert not (signature == minhash_module.EMPTY_VALUE).any()


def test_one_permutation_single_shingle_fills_all_bins_with_its_value():
    signature = MinHasher(num_perm=64, scheme="one_permutation").signature("lonely")
    assert np.unique(signature).size == 1


@pytest.mark.parametrize("scheme", SCHEMES)
def test_schemes_differ_but_each_is_deterministic(scheme, stdlib_dir):
    text = (stdlib_dir / "fnmatch.py").read_text(encoding="utf-8")
    signature = MinHasher(scheme=scheme).signature(text)
    assert np.array_equal(MinHasher(scheme=scheme).signature(text), signature)
    other = next(s for s in SCHEMES if s != scheme)
    assert not np.array_equal(MinHasher(scheme=other).signature(text), signature)


def test_unknown_scheme_is_rejected():
    with pytest.raises(ValueError, match="scheme must be one of"):
        MinHasher(scheme="bogus")  # type: ignore[arg-type]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_pickled_hasher_computes_the_same_signatures(scheme, stdlib_dir):
    text = (stdlib_dir / "shlex.py").read_text(encoding="utf-8")
    hasher = MinHasher(num_perm=128, scheme=scheme, seed=3)
    clone = pickle.loads(pickle.dumps(hasher))
    assert len(pickle.dumps(hasher)) < 200_000
    assert np.array_equal(clone.signature(text), hasher.signature(text))


def test_multi_megabyte_single_line_file_gets_the_same_signature_in_blocks(monkeypatch, stdlib_dir):
    from litcode.dedup import shingles as shingles_module

    line = (stdlib_dir / "argparse.py").read_text(encoding="utf-8").replace("\n", " ; ") * 30
    assert len(line) > 2 * shingles_module.BLOCK_BYTES
    blocked = MinHasher().signature(line)
    monkeypatch.setattr(shingles_module, "BLOCK_BYTES", len(line.encode()) + 1)
    assert np.array_equal(MinHasher().signature(line), blocked)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_batched_signatures_equal_one_by_one(scheme, unrelated_stdlib_modules):
    texts = [*list(unrelated_stdlib_modules.values())[:40], "", "tiny", "a b c d e f"] * 2
    hasher = MinHasher(num_perm=64, scheme=scheme)
    assert np.array_equal(hasher.signatures(iter(texts)), np.stack([hasher.signature(t) for t in texts]))
