"""``language_weights``: the train split's language mix, set as StarCoder sets it."""

from __future__ import annotations

import json
import sysconfig
from pathlib import Path
from typing import Any

import pytest

from litcode.curation import CurationConfig
from litcode.data import CodeDataModule
from litcode.data.language_mix import LanguageMix

STDLIB = Path(sysconfig.get_paths()["stdlib"])
INCLUDE = Path(sysconfig.get_paths()["include"])
PYTHON_FILES = [
    "json/decoder.py",
    "json/encoder.py",
    "json/scanner.py",
    "html/parser.py",
    "bisect.py",
    "heapq.py",
]
C_HEADERS = ["object.h", "longobject.h", "pymem.h", "listobject.h", "dictobject.h", "abstract.h"]


def test_whole_weights_repeat_and_zero_leaves_out():
    mix = LanguageMix({"python": 3.0, "c": 0.0})
    assert [mix.copies(f"doc{i}", "python") for i in range(5)] == [3] * 5
    assert [mix.copies(f"doc{i}", "c") for i in range(5)] == [0] * 5


def test_a_fractional_weight_keeps_that_share_deterministically():
    mix = LanguageMix({"go": 0.3}, seed=7)
    copies = [mix.copies(f"repo/file{i}.go", "go") for i in range(4000)]
    assert set(copies) == {0, 1}
    assert sum(copies) / len(copies) == pytest.approx(0.3, abs=0.03)
    assert copies == [LanguageMix({"go": 0.3}, seed=7).copies(f"repo/file{i}.go", "go") for i in range(4000)]
    assert copies != [LanguageMix({"go": 0.3}, seed=8).copies(f"repo/file{i}.go", "go") for i in range(4000)]


def test_a_weight_of_1_5_gives_one_or_two_copies_averaging_1_5():
    copies = [LanguageMix({"rust": 1.5}).copies(str(i), "rust") for i in range(4000)]
    assert set(copies) == {1, 2}
    assert sum(copies) / len(copies) == pytest.approx(1.5, abs=0.03)


def test_language_names_are_normalized_and_star_weighs_the_rest():
    mix = LanguageMix({"C++": 2.0, "*": 0.0})
    assert mix.weight("cpp") == 2.0
    assert mix.weight("CPP") == 2.0
    assert mix.weight("python") == 0.0
    assert mix.weight(None) == 0.0
    assert LanguageMix({"Python": 2.0}).weight("rust") == 1.0


@pytest.mark.parametrize("weight", [-1.0, float("nan"), float("inf")])
def test_a_negative_or_non_finite_weight_is_refused(weight):
    with pytest.raises(ValueError, match="language_weights"):
        LanguageMix({"python": weight})


def test_weights_of_one_change_nothing_not_even_the_cache_key():
    assert LanguageMix({"python": 1.0, "*": 1.0}).identity() is None
    assert LanguageMix({"python": 2.0}).identity() == {"python": 2.0, "*": 1.0}


@pytest.fixture(scope="module")
def mixed_source(tmp_path_factory) -> Path:
    """Real Python (stdlib) and real C (the interpreter's headers), one repository per file."""
    rows = [
        {"content": (STDLIB / name).read_text(encoding="utf-8"), "max_stars_repo_name": f"py/{name}",
         "max_stars_repo_path": name, "lang": "Python"}
        for name in PYTHON_FILES
    ] + [
        {"content": (INCLUDE / name).read_text(encoding="utf-8"), "max_stars_repo_name": f"c/{name}",
         "max_stars_repo_path": name, "lang": "C"}
        for name in C_HEADERS
    ]  # fmt: skip
    path = tmp_path_factory.mktemp("mixed") / "mixed.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def prepared_meta(source: Path, cache: Path, **kwargs: Any) -> dict[str, Any]:
    dm = CodeDataModule(
        source=source,
        cache_dir=cache,
        seq_len=32,
        val_fraction=0.3,
        curation=CurationConfig(licenses="off", near_dedup=False, decontamination=()),
        curation_workers=0,
        **kwargs,
    )
    dm.prepare_data()
    (meta,) = cache.glob("*/meta.json")
    return json.loads(meta.read_text())


@pytest.fixture(scope="module")
def natural(mixed_source, tmp_path_factory) -> dict[str, Any]:
    return prepared_meta(mixed_source, tmp_path_factory.mktemp("natural"))


def test_doubling_python_doubles_its_train_documents_and_tokens(mixed_source, natural, tmp_path):
    weighted = prepared_meta(mixed_source, tmp_path, language_weights={"python": 2.0})
    for key in ("documents_by_language", "tokens_by_language"):
        assert weighted[key]["train"]["python"] == 2 * natural[key]["train"]["python"] > 0
        assert weighted[key]["train"]["c"] == natural[key]["train"]["c"] > 0
    assert weighted["documents_by_language"]["val"] == natural["documents_by_language"]["val"]
    assert weighted["tokens"]["val"] == natural["tokens"]["val"]


def test_star_zero_trains_on_the_named_languages_only(mixed_source, natural, tmp_path):
    only_python = prepared_meta(mixed_source, tmp_path, language_weights={"*": 0.0, "python": 1.0})
    assert set(only_python["tokens_by_language"]["train"]) == {"python"}
    assert only_python["tokens"]["train"] == natural["tokens_by_language"]["train"]["python"]
    assert set(only_python["tokens_by_language"]["val"]) == set(natural["tokens_by_language"]["val"])


def test_tokens_by_language_add_up_to_the_split_tokens(natural):
    for split in ("train", "val"):
        assert sum(natural["tokens_by_language"][split].values()) == natural["tokens"][split]
