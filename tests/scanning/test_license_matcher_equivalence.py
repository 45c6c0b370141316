"""The matcher's fast paths give what the straightforward code gives, on real license texts.

The reference functions below are the matcher's earlier, plain versions (a binary search per
template trigram, kept here as the answer key; each candidate's fields come from its pool group.
"""

from __future__ import annotations

import sysconfig
from pathlib import Path

import numpy as np
import pytest

from litcode.scanning.licenses import matcher
from litcode.scanning.licenses.index import LicenseIndex, license_index, numeric_positions, trigram_codes
from litcode.scanning.licenses.scoring import Candidate, Query
from support.license_evaluation import near_miss_texts, notice_texts, package_texts

SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])


def sample_texts() -> list[str]:
    """Notices, near-misses and the first installed packages' license files (bundles included)."""
    packages = sorted(package_texts(SITE_PACKAGES), key=lambda item: len(item.text))
    chosen = packages[:: max(1, len(packages) // 12)] + packages[-2:]
    return [item.text for item in notice_texts()[:10] + near_miss_texts() + chosen]


def query_of(index: LicenseIndex, text: str) -> Query:
    ids = index.encode(text)
    codes = trigram_codes(ids, len(index.vocabulary))
    unique, inverse = np.unique(codes, return_inverse=True)
    inverse = inverse.reshape(-1)
    unique_numeric = np.zeros(len(unique), dtype=np.bool_)
    unique_numeric[inverse] = numeric_positions(ids, index.numeric_tokens)
    return Query(ids, codes, unique, inverse, unique_numeric)


def reference_positions(index: LicenseIndex, candidate: Candidate, query: Query) -> np.ndarray:
    trigrams = index.template_trigrams(candidate.template)
    slots = np.minimum(np.searchsorted(query.unique, trigrams), len(query.unique) - 1)
    present = np.zeros(len(query.unique), dtype=np.bool_)
    present[slots[query.unique[slots] == trigrams]] = True
    return np.nonzero(present[query.inverse])[0]


@pytest.mark.slow
@pytest.mark.parametrize("text", sample_texts(), ids=lambda text: f"{len(text)}-chars")
def test_candidates_and_positions_match_the_reference(text: str) -> None:
    index = license_index()
    query = query_of(index, text)
    rows, pool = matcher._candidates(index, query)
    candidates = [matcher._make(row) for row in rows]
    if pool is None:
        assert candidates == []
        return
    possible, bounds = pool.bounds(*pool.counts())
    expected = np.nonzero(possible)[0].tolist()
    assert [candidate.pool_index for candidate in candidates] == expected
    query_bytes = query.ids.astype("<i4").tobytes()
    for candidate in candidates:
        number = candidate.pool_index
        template = candidate.template
        assert candidate.bound == float(bounds[number])
        assert candidate.exact == bool(pool.exact[number])
        assert candidate.size == int(pool.sizes[number]) == len(index.template_trigrams(template))
        assert candidate.length == len(index.template_tokens(template))
        if not candidate.exact:
            found = matcher._positions(index, candidate, query, query_bytes, pool)
            assert np.array_equal(found, reference_positions(index, candidate, query))
