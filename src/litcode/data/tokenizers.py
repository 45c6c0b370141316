"""Tokenizers behind one small protocol: byte-level (no files), or a Hugging Face ``tokenizers`` model.

The packer only needs ``encode_batch``, ``eos_id`` and ``vocab_size``; the cache only needs
``save``/``load_tokenizer``. Anything with those methods can feed :class:`CodeDataModule`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

CONFIG_FILE = "tokenizer_config.json"
HF_FILE = "tokenizer.json"
END_OF_TEXT = "<|endoftext|>"
# Special tokens that already mean "end of document" in common tokenizer.json files.
KNOWN_EOS_TOKENS = (END_OF_TEXT, "</s>", "<eos>", "<|end_of_text|>", "[SEP]")
MIN_BPE_VOCAB_SIZE = 257  # 256 byte symbols + the end-of-text token


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

    def encode(self, text: str) -> np.ndarray: ...

    def encode_batch(self, texts: Sequence[str]) -> list[np.ndarray]: ...

    def decode(self, ids: Iterable[int] | np.ndarray) -> str: ...

    def save(self, directory: str | os.PathLike[str]) -> None: ...


class ByteTokenizer:
    """UTF-8 bytes as tokens 0..255 plus one end-of-text token (256): vocabulary 257, no files.

    >>> tokenizer = ByteTokenizer()
    >>> tokenizer.encode("hé").tolist()
    [104, 195, 169]
    >>> tokenizer.decode([104, 195, 169, tokenizer.eos_id])
    'hé'
    >>> tokenizer.vocab_size
    257
    """

    kind = "byte"

    @property
    def vocab_size(self) -> int:
        return 257

    @property
    def eos_id(self) -> int:
        return 256

    def encode(self, text: str) -> np.ndarray:
        # surrogatepass: curated text may carry lone surrogates; they must not abort a build.
        return np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8).astype(np.uint16)

    def encode_batch(self, texts: Sequence[str]) -> list[np.ndarray]:
        return [self.encode(text) for text in texts]

    def decode(self, ids: Iterable[int] | np.ndarray) -> str:
        array = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids, dtype=np.int64)
        data = array[(array >= 0) & (array < 256)].astype(np.uint8).tobytes()
        return data.decode("utf-8", errors="replace")

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
    """A Hugging Face ``tokenizers.Tokenizer`` with a guaranteed end-of-text token.

    Build one with :meth:`train_bpe` (byte-level BPE learned from an iterator of texts) or
    :meth:`from_file` (an existing ``tokenizer.json``; an end-of-text token is added when it has none).

    >>> tokenizer = HuggingFaceTokenizer.train_bpe(["def f(x):\\n    return x\\n"] * 20, vocab_size=300)
    >>> tokenizer.decode(tokenizer.encode("def f(x):"))
    'def f(x):'
    >>> tokenizer.vocab_size <= 300
    True
    """

    kind = "hf"

    def __init__(self, backend: Any, eos_token: str | None = None) -> None:
        self.backend = backend
        eos_token = eos_token or next(
            (t for t in KNOWN_EOS_TOKENS if backend.token_to_id(t) is not None), None
        )
        if eos_token is None:
            backend.add_special_tokens([END_OF_TEXT])
            eos_token = END_OF_TEXT
        eos_id = backend.token_to_id(eos_token)
        if eos_id is None:
            raise ValueError(f"end-of-text token {eos_token!r} is not in the tokenizer's vocabulary")
        self.eos_token = eos_token
        self._eos_id = int(eos_id)

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
            special_tokens=[END_OF_TEXT],
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

    def encode(self, text: str) -> np.ndarray:
        return np.asarray(self.backend.encode(text, add_special_tokens=False).ids, dtype=np.uint32)

    def encode_batch(self, texts: Sequence[str]) -> list[np.ndarray]:
        # encode_batch runs in Rust threads; the GIL is released for the whole batch.
        encodings = self.backend.encode_batch(list(texts), add_special_tokens=False)
        return [np.asarray(encoding.ids, dtype=np.uint32) for encoding in encodings]

    def decode(self, ids: Iterable[int] | np.ndarray) -> str:
        return str(self.backend.decode([int(i) for i in ids], skip_special_tokens=True))

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
