from __future__ import annotations

import numpy as np
import pytest

from litcode.data.tokenizers import (
    ByteTokenizer,
    HuggingFaceTokenizer,
    load_tokenizer,
    token_dtype,
)

CODE = [
    "def add(a, b):\n    return a + b\n",
    "class Point:\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n",
    "for i in range(10):\n    print(i)\n",
] * 30


@pytest.mark.parametrize("text", ["", "x = 1\n", "naïve — ünïcode ✓\n", "tab\tand\r\nCRLF"])
def test_byte_tokenizer_round_trips_text(text: str) -> None:
    tokenizer = ByteTokenizer()
    assert tokenizer.decode(tokenizer.encode(text)) == text


def test_byte_tokenizer_ids_are_utf8_bytes() -> None:
    assert ByteTokenizer().encode("é").tolist() == list("é".encode())


def test_byte_tokenizer_decode_can_skip_special_tokens() -> None:
    tokenizer = ByteTokenizer()
    assert tokenizer.decode([ord("a"), tokenizer.eos_id, ord("b")], skip_special_tokens=True) == "ab"


def test_byte_tokenizer_survives_lone_surrogates() -> None:
    assert ByteTokenizer().encode("a\ud800b").size == 5


def test_byte_tokenizer_save_and_load_round_trip(tmp_path) -> None:
    ByteTokenizer().save(tmp_path)
    loaded = load_tokenizer(tmp_path)
    assert isinstance(loaded, ByteTokenizer)
    assert (loaded.vocab_size, loaded.eos_id) == (263, 256)


def test_bpe_respects_requested_vocab_size() -> None:
    tokenizer = HuggingFaceTokenizer.train_bpe(CODE, vocab_size=300)
    assert 263 < tokenizer.vocab_size <= 300


def test_bpe_compresses_repeated_code_below_one_token_per_byte() -> None:
    tokenizer = HuggingFaceTokenizer.train_bpe(CODE, vocab_size=400)
    assert tokenizer.encode(CODE[0]).size < len(CODE[0].encode()) / 2


def test_bpe_round_trips_unseen_text() -> None:
    tokenizer = HuggingFaceTokenizer.train_bpe(CODE, vocab_size=300)
    text = "λ = lambda z: z ** 2  # unseen ✓\n"
    assert tokenizer.decode(tokenizer.encode(text)) == text


def test_bpe_has_end_of_text_token_outside_text_ids() -> None:
    tokenizer = HuggingFaceTokenizer.train_bpe(CODE, vocab_size=300)
    assert tokenizer.eos_id not in tokenizer.encode("\n".join(CODE[:3])).tolist()


def test_bpe_rejects_vocab_smaller_than_bytes() -> None:
    with pytest.raises(ValueError, match="at least 263"):
        HuggingFaceTokenizer.train_bpe(CODE, vocab_size=100)


def test_bpe_save_and_load_gives_same_ids(tmp_path) -> None:
    tokenizer = HuggingFaceTokenizer.train_bpe(CODE, vocab_size=300)
    tokenizer.save(tmp_path)
    loaded = load_tokenizer(tmp_path)
    assert loaded.encode(CODE[1]).tolist() == tokenizer.encode(CODE[1]).tolist()
    assert loaded.eos_id == tokenizer.eos_id


def test_tokenizer_json_without_special_tokens_gets_them_added(tmp_path) -> None:
    import tokenizers

    backend = tokenizers.Tokenizer(
        tokenizers.models.WordLevel({"a": 0, "b": 1, "[UNK]": 2}, unk_token="[UNK]")
    )
    backend.pre_tokenizer = tokenizers.pre_tokenizers.Whitespace()
    backend.save(str(tmp_path / "tokenizer.json"))
    tokenizer = HuggingFaceTokenizer.from_file(tmp_path / "tokenizer.json")
    assert tokenizer.eos_id == 3
    assert tokenizer.vocab_size == 3 + 7
    assert sorted(tokenizer.special_tokens.values()) == list(range(3, 10))


def test_tokenizer_file_that_is_missing_names_the_path(tmp_path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nope\.json"):
        HuggingFaceTokenizer.from_file(tmp_path / "nope.json")


def test_tokenizer_file_that_is_not_json_says_so(tmp_path) -> None:
    (tmp_path / "tokenizer.json").write_text("not json")
    with pytest.raises(ValueError, match=r"not a valid Hugging Face tokenizer\.json"):
        HuggingFaceTokenizer.from_file(tmp_path / "tokenizer.json")


def test_batch_encoding_matches_single_encoding() -> None:
    tokenizer = HuggingFaceTokenizer.train_bpe(CODE, vocab_size=300)
    batch = tokenizer.encode_batch(CODE[:3])
    assert [ids.tolist() for ids in batch] == [tokenizer.encode(text).tolist() for text in CODE[:3]]


def test_load_tokenizer_from_empty_directory_says_what_is_missing(tmp_path) -> None:
    with pytest.raises(FileNotFoundError, match=r"tokenizer_config\.json"):
        load_tokenizer(tmp_path)


@pytest.mark.parametrize(
    ("vocab_size", "dtype"),
    [(257, np.uint16), (65_536, np.uint16), (65_537, np.uint32), (200_000, np.uint32)],
)
def test_token_dtype_is_uint16_when_vocab_fits(vocab_size: int, dtype: type) -> None:
    assert token_dtype(vocab_size) == np.dtype(dtype)
