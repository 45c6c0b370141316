"""Join documents with an end-of-text token and cut the stream into ``seq_len + 1`` token windows.

A window of ``seq_len + 1`` tokens gives one training example: inputs are its first ``seq_len``
tokens, labels its last ``seq_len`` (the inputs shifted by one). Documents run across window
borders, as in GPT-2/nanoGPT pretraining; the end-of-text token tells the model where one stops.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


class WindowPacker:
    """Streams token arrays in, hands full windows out; keeps fewer than one window in memory.

    >>> packer = WindowPacker(seq_len=3, eos_id=9, dtype=np.uint16)
    >>> packer.add([np.array([1, 2, 3]), np.array([4, 5])]).tolist()
    [[1, 2, 3, 9]]
    >>> packer.pending_tokens
    3
    """

    def __init__(self, seq_len: int, eos_id: int, dtype: np.dtype[Any] | type = np.uint16) -> None:
        if seq_len < 1:
            raise ValueError(f"seq_len must be at least 1, got {seq_len}")
        self.window = seq_len + 1
        self.dtype = np.dtype(dtype)
        self._eos = np.array([eos_id], dtype=self.dtype)
        self._carry = np.empty(0, dtype=self.dtype)
        self.documents = 0
        self.tokens = 0

    @property
    def pending_tokens(self) -> int:
        """Tokens waiting for the next window (dropped if the stream ends here)."""
        return int(self._carry.size)

    def add(self, documents: Sequence[np.ndarray]) -> np.ndarray:
        """Append ``documents`` (each followed by end-of-text); return the windows now complete."""
        if not documents:
            return np.empty((0, self.window), dtype=self.dtype)
        pieces: list[np.ndarray] = [self._carry]
        for document in documents:
            pieces.append(document)
            pieces.append(self._eos)
        stream = np.concatenate(pieces).astype(self.dtype, copy=False)
        self.documents += len(documents)
        self.tokens += stream.size - self._carry.size
        full = (stream.size // self.window) * self.window
        self._carry = stream[full:].copy()
        return stream[:full].reshape(-1, self.window)
