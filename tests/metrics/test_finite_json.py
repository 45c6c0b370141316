from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from litcode.metrics import finite_json

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)
records = st.dictionaries(
    st.text(min_size=1, max_size=8).filter(lambda key: key != finite_json.NON_FINITE_KEY), values, max_size=6
)


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same, a, b))
    return a == b and type(a) is type(b)


@settings(max_examples=40, deadline=None)
@given(records)
def test_any_record_round_trips_nan_and_infinity_included(record):
    assert _same(finite_json.loads(finite_json.dumps(record)), record)


@settings(max_examples=40, deadline=None)
@given(records)
def test_output_is_always_strict_json(record):
    def reject(constant: str):
        raise AssertionError(f"non-standard constant {constant}")

    json.loads(finite_json.dumps(record), parse_constant=reject)


def test_finite_record_is_plain_json_dumps():
    record = {"step": 3, "loss": 0.25, "learning_rates": {"lr": 1e-3}}

    assert finite_json.dumps(record) == json.dumps(record)
