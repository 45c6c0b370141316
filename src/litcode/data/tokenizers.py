"""Tokenizers behind one small protocol: byte-level (no files), or a Hugging Face ``tokenizers`` model.

The packer only needs ``encode_batch``, ``eos_id``, ``special_tokens`` and ``vocab_size``; the cache
only needs ``save``/``load_tokenizer``. Anything with those methods can feed :class:`CodeDataModule`.

Both kinds give every special token of :mod:`litcode.data.special_tokens` one id: the byte
tokenizer appends them after the 256 byte values; a trained BPE reserves them first; a
``tokenizer.json`` that already has them (StarCoder's) keeps its own ids, and the ones it lacks
are added at the end of its vocabulary. Text is always encoded as text: a file that contains the
string ``<fim_prefix>`` gets the bytes of that string, never the sentinel.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from litcode.data.special_tokens import END_OF_TEXT, SPECIAL_TOKENS

CONFIG_FILE = "tokenizer_config.json"
HF_FILE = "tokenizer.json"
# Special tokens that already mean "end of document" in common tokenizer.json files.
KNOWN_EOS_TOKENS = (END_OF_TEXT, "</s>", "<eos>", "<|end_of_text|>", "[SEP]")
MIN_BPE_VOCAB_SIZE = 256 + len(SPECIAL_TOKENS)  # the byte alphabet + the special tokens


@runtime_checkable
class Tokenizer(Protocol):
    """What the data pipeline needs from a tokenizer.

    >>> isinstance(ByteTokenizer(), Tokenizer)
    True
    """

    @property
    def vocab_size(self) -> int: ...

    @property
    def eos_id(self) -> int: ...

    @property
    def special_tokens(self) -> dict[str, int]: ...

    def encode(self, text: str) -> np.ndarray: ...

    def encode_batch(self, texts: Sequence[str]) -> list[np.ndarray]: ...

    def decode(self, ids: Iterable[int] | np.ndarray, skip_special_tokens: bool = False) -> str: ...

    def save(self, directory: str | os.PathLike[str]) -> None: ...


class ByteTokenizer:
    """UTF-8 bytes as tokens 0..255, then the special tokens (256 ``<|endoftext|>``, ...): no files.

    >>> tokenizer = ByteTokenizer()
    >>> tokenizer.encode("hé").tolist()
    [104, 195, 169]
    >>> tokenizer.decode([104, 195, 169, tokenizer.eos_id])
    'hé<|endoftext|>'
    >>> tokenizer.vocab_size, tokenizer.special_tokens["<fim_prefix>"]
    (263, 257)
    """

    kind = "byte"

    @property
    def vocab_size(self) -> int:
        return 256 + len(SPECIAL_TOKENS)

    @property
    def eos_id(self) -> int:
        return 256

    @property
    def special_tokens(self) -> dict[str, int]:
        return {token: 256 + offset for offset, token in enumerate(SPECIAL_TOKENS)}

    def encode(self, text: str) -> np.ndarray:
        # surrogatepass: curated text may carry lone surrogates; they must not abort a build.
        return np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8).astype(np.uint16)

    def encode_batch(self, texts: Sequence[str]) -> list[np.ndarray]:
        return [self.encode(text) for text in texts]

    def decode(self, ids: Iterable[int] | np.ndarray, skip_special_tokens: bool = False) -> str:
        """Text of ``ids``; special tokens as their strings unless ``skip_special_tokens``."""
        array = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids, dtype=np.int64).ravel()
        specials = np.flatnonzero((array < 0) | (array >= 256))
        pieces, start = [], 0
        for position in [*specials.tolist(), array.size]:
            pieces.append(array[start:position].astype(np.uint8).tobytes().decode("utf-8", errors="replace"))
            if position < array.size and not skip_special_tokens:
                offset = int(array[position]) - 256
                pieces.append(SPECIAL_TOKENS[offset] if 0 <= offset < len(SPECIAL_TOKENS) else "")
            start = position + 1
        return "".join(pieces)

    def save(self, directory: str | os.PathLike[str]) -> None:
        _write_config(directory, {"kind": self.kind, "vocab_size": self.vocab_size, "eos_id": self.eos_id})


def _import_hf_tokenizers() -> Any:
    try:
        import tokenizers
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(
            "BPE and tokenizer.json tokenizers need Hugging Face `tokenizers`: "
            "pip install 'litcode[hf]' (or pip install tokenizers), or use tokenizer='byte'."
        ) from error
    return tokenizers


class HuggingFaceTokenizer:
    """A Hugging Face ``tokenizers.Tokenizer`` that has every special token litcode's data uses.

    Build one with :meth:`train_bpe` (byte-level BPE learned from an iterator of texts; the special
    tokens are reserved as ids 0..6) or :meth:`from_file` (an existing ``tokenizer.json``: special
    tokens it already has keep their ids, missing ones are added). The document separator is
    ``<|endoftext|>``, or the tokenizer's own end-of-sequence token when it has one of
    :data:`KNOWN_EOS_TOKENS` instead; ``special_tokens["<|endoftext|>"]`` is that separator.

    >>> tokenizer = HuggingFaceTokenizer.train_bpe(["def f(x):\\n    return x\\n"] * 20, vocab_size=300)
    >>> tokenizer.decode(tokenizer.encode("def f(x):"))
    'def f(x):'
    >>> tokenizer.vocab_size <= 300
    True
    """

    kind = "hf"

    def __init__(self, backend: Any, eos_token: str | None = None) -> None:
        self.backend = backend
        # Text that spells a special token stays text; the specials are spliced in as ids.
        backend.encode_special_tokens = True
        eos_token = eos_token or next(
            (t for t in KNOWN_EOS_TOKENS if backend.token_to_id(t) is not None), None
        )
        missing = [t for t in SPECIAL_TOKENS if backend.token_to_id(t) is None]
        if eos_token is not None and eos_token != END_OF_TEXT and END_OF_TEXT in missing:
            missing.remove(END_OF_TEXT)  # the tokenizer's own end-of-sequence token separates documents
        if missing:
            backend.add_special_tokens(missing)
        eos_token = eos_token or END_OF_TEXT
        eos_id = backend.token_to_id(eos_token)
        if eos_id is None:
            raise ValueError(f"end-of-text token {eos_token!r} is not in the tokenizer's vocabulary")
        self.eos_token = eos_token
        self._eos_id = int(eos_id)
        self._special_tokens = {
            token: self._eos_id if token == END_OF_TEXT else int(backend.token_to_id(token))
            for token in SPECIAL_TOKENS
        }

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> HuggingFaceTokenizer:
        tokenizers = _import_hf_tokenizers()
        path = Path(path)
        if path.is_dir():
            path = path / HF_FILE
        if not path.is_file():
            raise FileNotFoundError(f"tokenizer file not found: {path}")
        try:
            backend = tokenizers.Tokenizer.from_file(str(path))
        except Exception as error:
            raise ValueError(f"{path} is not a valid Hugging Face tokenizer.json: {error}") from error
        return cls(backend)

    @classmethod
    def train_bpe(cls, texts: Iterable[str], vocab_size: int) -> HuggingFaceTokenizer:
        """Learn a byte-level BPE vocabulary of at most ``vocab_size`` tokens from ``texts``."""
        if vocab_size < MIN_BPE_VOCAB_SIZE:
            raise ValueError(f"bpe_vocab_size must be at least {MIN_BPE_VOCAB_SIZE}, got {vocab_size}")
        tokenizers = _import_hf_tokenizers()
        backend = tokenizers.Tokenizer(tokenizers.models.BPE())
        backend.pre_tokenizer = tokenizers.pre_tokenizers.ByteLevel(add_prefix_space=False)
        backend.decoder = tokenizers.decoders.ByteLevel()
        trainer = tokenizers.trainers.BpeTrainer(
            vocab_size=vocab_size,
            special_tokens=list(SPECIAL_TOKENS),
            initial_alphabet=tokenizers.pre_tokenizers.ByteLevel.alphabet(),
            show_progress=False,
        )
        backend.train_from_iterator(texts, trainer=trainer)
        return cls(backend, eos_token=END_OF_TEXT)

    @property
    def vocab_size(self) -> int:
        return int(self.backend.get_vocab_size(with_added_tokens=True))

    @property
    def eos_id(self) -> int:
        return self._eos_id

    @property
    def special_tokens(self) -> dict[str, int]:
        return dict(self._special_tokens)

    def encode(self, text: str) -> np.ndarray:
        return np.asarray(self.backend.encode(text, add_special_tokens=False).ids, dtype=np.uint32)

    def encode_batch(self, texts: Sequence[str]) -> list[np.ndarray]:
        # encode_batch runs in Rust threads; the GIL is released for the whole batch.
        encodings = self.backend.encode_batch(list(texts), add_special_tokens=False)
        return [np.asarray(encoding.ids, dtype=np.uint32) for encoding in encodings]

    def decode(self, ids: Iterable[int] | np.ndarray, skip_special_tokens: bool = False) -> str:
        """Text of ``ids``; special tokens as their strings unless ``skip_special_tokens``."""
        return str(self.backend.decode([int(i) for i in ids], skip_special_tokens=skip_special_tokens))

    def save(self, directory: str | os.PathLike[str]) -> None:
        Path(directory).mkdir(parents=True, exist_ok=True)
        self.backend.save(str(Path(directory) / HF_FILE))
        _write_config(
            directory,
            {
                "kind": self.kind,
                "vocab_size": self.vocab_size,
                "eos_id": self.eos_id,
                "eos_token": self.eos_token,
            },
        )


def load_tokenizer(directory: str | os.PathLike[str]) -> Tokenizer:
    """Read back a tokenizer written by ``save(directory)``."""
    config_path = Path(directory) / CONFIG_FILE
    try:
        config = json.loads(config_path.read_text())
    except FileNotFoundError:
        raise FileNotFoundError(f"no tokenizer saved in {directory} ({CONFIG_FILE} missing)") from None
    if config.get("kind") == ByteTokenizer.kind:
        return ByteTokenizer()
    if config.get("kind") == HuggingFaceTokenizer.kind:
        tokenizer = HuggingFaceTokenizer.from_file(Path(directory) / HF_FILE)
        return HuggingFaceTokenizer(tokenizer.backend, eos_token=config.get("eos_token"))
    raise ValueError(f"unknown tokenizer kind {config.get('kind')!r} in {config_path}")


def token_dtype(vocab_size: int) -> np.dtype[Any]:
    """``uint16`` when every id fits (vocab_size <= 65536), else ``uint32``: half the disk and page cache."""
    return np.dtype(np.uint16) if vocab_size <= 2**16 else np.dtype(np.uint32)


def _write_config(directory: str | os.PathLike[str], config: dict[str, Any]) -> None:
    Path(directory).mkdir(parents=True, exist_ok=True)
    (Path(directory) / CONFIG_FILE).write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
