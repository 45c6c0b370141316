"""Errors a data user acts on: the corpus or the settings must change."""

from __future__ import annotations


class DataPreparationError(ValueError):
    """Prepared data cannot be built from this source with these settings; the message says what to change.

    >>> raise DataPreparationError("no windows: lower seq_len")
    Traceback (most recent call last):
    ...
    litcode.data.errors.DataPreparationError: no windows: lower seq_len
    """
