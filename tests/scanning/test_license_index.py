"""The template index: built once from the data packages, cached as memory-mapped arrays."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from litcode.scanning.licenses import index as license_index_module
from litcode.scanning.licenses.index import cache_path, license_index, load_saved_index, tokens


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("LITCODE_CACHE_DIR", str(tmp_path))
    license_index.cache_clear()
    yield tmp_path
    license_index.cache_clear()  # the next test maps the usual cache again


def test_tokens_keep_the_plus_of_or_later_versions() -> None:
    assert tokens("GPL-2.0+ and GPL-2.0") == ["gpl", "2", "0+", "and", "gpl", "2", "0"]


@pytest.mark.slow
def test_index_is_built_once_then_mapped_from_the_cache(fresh_cache: Path) -> None:
    (fresh_cache / "license-index-0000000000000000").mkdir()  # an index of older data

    built = license_index()
    folder = cache_path()
    mapped = load_saved_index(folder)

    assert (folder / "complete").is_file()
    assert [path.name for path in fresh_cache.iterdir()] == [folder.name]
    assert mapped.size == built.size > 30_000
    assert mapped.expressions == built.expressions
    assert isinstance(mapped.trigrams.base, np.memmap)  # a view of the map, not a copy
    assert np.array_equal(mapped.posting_offsets, built.posting_offsets)
    assert np.array_equal(mapped.trigram_vocabulary[mapped.trigram_ids], mapped.trigrams)


def test_an_unfinished_cache_folder_is_not_read(fresh_cache: Path) -> None:
    folder = cache_path()
    folder.mkdir(parents=True)
    (folder / "vocabulary.npy").write_bytes(b"half written")

    with pytest.raises(FileNotFoundError):
        license_index_module.load_saved_index(folder)


def test_spdx_standard_headers_are_notices_and_shared_headers_name_no_one() -> None:
    from litcode.scanning.licenses.dataset import _spdx_standard_headers

    headers = {template.expression: template for template in _spdx_standard_headers()}
    assert headers["TGPPL-1.0"].kind == "notice"
    assert "Transitive Grace Period Public Licen" in headers["TGPPL-1.0"].text
    assert "Business Source License" in headers["BUSL-1.1"].text
    # GFDL-1.3-only and GFDL-1.3-invariants-only differ only by a doubled "with": neither is kept.
    assert "GFDL-1.3-only" not in headers and "GFDL-1.3-invariants-only" not in headers


def test_tokens_are_the_regex_definition_on_real_and_tricky_texts() -> None:
    """The byte-table tokenizer gives exactly ``[a-z0-9]+\\+?`` over the lowered text (word
    comment leaders at a line start removed), on stdlib code and license texts alike."""
    import re
    import sysconfig

    from litcode.scanning.licenses.dataset import license_text

    token, comment_word = re.compile(r"[a-z0-9]+\+?"), re.compile(r"^[ \t]*(?:rem|dnl)\b", re.MULTILINE)

    def reference(text: str) -> list[str]:
        return token.findall(comment_word.sub(" ", text.lower()))

    stdlib = Path(sysconfig.get_paths()["stdlib"])
    texts = [path.read_text("utf-8", "replace") for path in sorted(stdlib.glob("*.py"))[:150]]
    texts += [license_text(spdx) or "" for spdx in ("GPL-2.0-or-later", "Apache-2.0", "MIT")]
    texts += ["C++ +x ++ a+b+c 1++2 é+ +é ü+1 \u0130x REM ok\n  dnl x\nremark\r\nrem y", "K\u212a", ""]
    texts += ["+", "++", "+a", "a+", "a++b +++abc+++def", "x+\n+y", "gpl-2.0+ or c++, a+b;"]
    assert [tokens(text) for text in texts] == [reference(text) for text in texts]
