"""Strict JSON that still round-trips NaN and infinity.

Python's ``json`` writes ``NaN``/``Infinity`` by default, which is not JSON: pandas, ``jq`` and
browsers reject it. A diverging run is exactly when those values matter, so they are kept like this:
each non-finite float is written as ``null`` and its true value goes into a ``"non_finite"`` object
that mirrors the record's shape::

    {"step": 7, "loss": null, ..., "non_finite": {"loss": "NaN"}}

Readers that don't know the convention see a missing value (pandas: ``NaN``); :func:`loads` puts the
floats back. The fast path is one ``json.dumps``; the rewrite runs only when a value is non-finite.
"""

from __future__ import annotations

import json
import math
from typing import Any

NON_FINITE_KEY = "non_finite"

_NAMES = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def _coerce(value: Any) -> Any:
    """``json`` hook for numpy scalars/arrays and 0-d tensors: anything with ``item()``/``tolist()``."""
    for method in ("tolist", "item"):
        if hasattr(value, method):
            return getattr(value, method)()
    raise TypeError(f"value {value!r} of type {type(value).__name__} cannot be stored as JSON")


def _float_name(value: float) -> str:
    return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")


def _split_non_finite(value: Any) -> tuple[Any, Any]:
    """``(value with non-finite floats as None, mirror of where they were or None)``."""
    if isinstance(value, float):
        return (value, None) if math.isfinite(value) else (None, _float_name(value))
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return value, None
    clean: Any = {} if isinstance(value, dict) else []
    markers: dict[str, Any] = {}
    for key, item in items:
        clean_item, marker = _split_non_finite(item)
        if isinstance(clean, dict):
            clean[key] = clean_item
        else:
            clean.append(clean_item)
        if marker is not None:
            markers[str(key)] = marker
    return clean, (markers or None)


# Built once: json.dumps with keyword arguments would build a new encoder on every call.
_STRICT_ENCODER = json.JSONEncoder(allow_nan=False, default=_coerce)


def to_strict(record: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``record`` fit for strict JSON: non-finite floats as ``null`` plus ``"non_finite"``."""
    # Normalize through Python's lenient JSON first, so numpy scalars and tuples become plain
    # floats and lists before the split.
    plain = json.loads(json.dumps(record, default=_coerce))
    clean, markers = _split_non_finite(plain)
    if markers is not None:
        clean[NON_FINITE_KEY] = markers
    return dict(clean)


def dumps(record: dict[str, Any], indent: int | None = None) -> str:
    """Strict JSON for ``record`` (one line unless ``indent``); non-finite floats as described above."""
    try:
        if indent is None:
            return _STRICT_ENCODER.encode(record)
        return json.dumps(record, allow_nan=False, default=_coerce, indent=indent)
    except ValueError:  # rare: a NaN/inf somewhere
        return json.dumps(to_strict(record), allow_nan=False, indent=indent)


def _restore(target: Any, markers: dict[str, Any]) -> None:
    for key, marker in markers.items():
        index: Any = int(key) if isinstance(target, list) else key
        if isinstance(marker, dict):
            _restore(target[index], marker)
        else:
            target[index] = _NAMES[marker]


def restore_non_finite(record: dict[str, Any]) -> dict[str, Any]:
    """Put the floats recorded under ``"non_finite"`` back in place (in ``record`` itself)."""
    markers = record.pop(NON_FINITE_KEY, None)
    if markers:
        _restore(record, markers)
    return record


def loads(text: str) -> Any:
    """Parse what :func:`dumps` wrote, NaN and infinities restored."""
    value = json.loads(text)
    return restore_non_finite(value) if isinstance(value, dict) else value
