from __future__ import annotations

import random

import numpy as np
import pytest

from litcode.dedup import DedupEntry, MinHashDeduplicator, collision_probability, words


def shingle_jaccard(first: str, second: str, size: int = 5) -> float:
    def shingles(text: str) -> set[tuple[str, ...]]:
        tokens = words(text)
        return {tuple(tokens[i : i + size]) for i in range(max(1, len(tokens) - size + 1))}

    a, b = shingles(first), shingles(second)
    return len(a & b) / len(a | b)


def edited_copy(source: str) -> str:
    """A realistic fork: one function renamed, a few lines changed, one added."""
    lines = source.replace("def _get_action_name(", "def _action_display_name(").splitlines()
    lines[40] = "# local patch: " + lines[40]
    lines[400] = lines[400].replace("self", "this", 1)
    lines.insert(800, "    # vendored copy: keep in sync with upstream")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def dedup() -> MinHashDeduplicator:
    return MinHashDeduplicator(num_perm=256, threshold=0.85, shingle_size=5, seed=1)


@pytest.fixture(scope="module")
def argparse_source(stdlib_dir) -> str:
    return (stdlib_dir / "argparse.py").read_text(encoding="utf-8")


def test_defaults_verify_and_pick_recall_weighted_bands(dedup):
    assert (dedup.bands, dedup.rows) == (25, 10)
    assert collision_probability(0.85, dedup.bands, dedup.rows) >= 0.99  # issue 19: recall >= 0.99 at J
    assert dedup.verify
    assert 0.8 < dedup.verify_threshold < 0.85


def test_edited_copy_of_a_stdlib_module_is_found(dedup, argparse_source):
    fork = edited_copy(argparse_source)
    assert shingle_jaccard(argparse_source, fork) >= 0.85  # the premise: a true near duplicate
    clusters = dedup.cluster(
        ["upstream/argparse.py", "vendor/argparse.py"], dedup.signatures([argparse_source, fork])
    )
    assert clusters == {"upstream/argparse.py": 0, "vendor/argparse.py": 0}


@pytest.mark.parametrize("scheme", ["permutations", "one_permutation"])
def test_each_scheme_finds_the_edited_copy(scheme, argparse_source):
    dedup = MinHashDeduplicator(scheme=scheme)
    texts = [argparse_source, edited_copy(argparse_source), "unrelated = True"]
    assert dedup.cluster(["a", "b", "c"], dedup.signatures(texts)) == {"a": 0, "b": 0}


def test_unrelated_stdlib_modules_form_no_clusters(dedup, unrelated_stdlib_modules):
    ids = list(unrelated_stdlib_modules)
    assert dedup.cluster(ids, dedup.signatures(unrelated_stdlib_modules.values())) == {}


def test_near_duplicate_is_found_among_hundreds_of_unrelated_files(
    dedup, unrelated_stdlib_modules, argparse_source
):
    corpus = {
        **unrelated_stdlib_modules,
        "argparse.py": argparse_source,
        "fork/argparse.py": edited_copy(argparse_source),
    }
    clusters = dedup.cluster(list(corpus), dedup.signatures(corpus.values()))
    assert clusters == {"argparse.py": 0, "fork/argparse.py": 0}


def test_stdlib_codec_tables_are_found_as_real_near_duplicates(dedup, stdlib_dir):
    names = ["koi8_r.py", "koi8_u.py", "cp037.py", "cp1140.py", "cp1252.py"]
    texts = {name: (stdlib_dir / "encodings" / name).read_text(encoding="utf-8") for name in names}
    assert shingle_jaccard(texts["koi8_r.py"], texts["koi8_u.py"]) >= 0.85  # premise
    assert shingle_jaccard(texts["cp037.py"], texts["cp1140.py"]) >= 0.85  # premise
    clusters = dedup.cluster(names, dedup.signatures(texts.values()))
    # Numbered by smallest sample id: "cp037.py" < "koi8_r.py".
    assert clusters == {"cp037.py": 0, "cp1140.py": 0, "koi8_r.py": 1, "koi8_u.py": 1}


def test_cluster_ids_do_not_depend_on_input_order(dedup, stdlib_dir):
    names = ["textwrap.py", "fnmatch.py", "shlex.py", "colorsys.py"]
    texts = {name: (stdlib_dir / name).read_text(encoding="utf-8") for name in names}
    items = [(f"{copy}/{name}", text + "\n" * copy) for name, text in texts.items() for copy in (1, 2)]
    expected = dedup.cluster([i for i, _ in items], dedup.signatures([t for _, t in items]))
    random.Random(4).shuffle(items)
    shuffled = dedup.cluster([i for i, _ in items], dedup.signatures([t for _, t in items]))
    assert shuffled == expected
    assert sorted(set(expected.values())) == [0, 1, 2, 3]
    assert expected["1/colorsys.py"] == 0  # numbered by smallest sample id


def test_chain_of_edits_is_one_cluster_by_transitivity(dedup, argparse_source):
    versions = [argparse_source]
    for step in range(3):
        lines = versions[-1].splitlines()
        for offset in range(0, len(lines), 90):
            lines[(offset + 31 * step) % len(lines)] += f"  # edit {step}"
        versions.append("\n".join(lines))
    clusters = dedup.cluster([f"v{i}" for i in range(4)], dedup.signatures(versions))
    assert set(clusters) == {"v0", "v1", "v2", "v3"}
    assert len(set(clusters.values())) == 1


def test_verification_rejects_bucket_collisions_below_threshold():
    # One shared band is enough to be candidates; verification then looks at all 256 values.
    strict = MinHashDeduplicator(num_perm=16, threshold=0.5, bands=16, rows=1)
    loose = MinHashDeduplicator(num_perm=16, threshold=0.5, bands=16, rows=1, verify=False)
    signatures = np.arange(32, dtype=np.uint32).reshape(2, 16)
    signatures[1, 0] = signatures[0, 0]
    assert strict.cluster(["a", "b"], signatures) == {}
    assert loose.cluster(["a", "b"], signatures) == {"a": 0, "b": 0}


def test_empty_texts_are_never_clustered(dedup):
    assert dedup.cluster(["e1", "e2", "e3"], dedup.signatures(["", "  ", "# ()"])) == {}


def test_short_identical_texts_cluster(dedup):
    assert dedup.cluster(["a", "b"], dedup.signatures(["pass", "pass"])) == {"a": 0, "b": 0}


def test_streaming_index_matches_one_shot_clustering(dedup, unrelated_stdlib_modules, argparse_source):
    ids = [*list(unrelated_stdlib_modules)[:60], "fork/argparse.py", "argparse-copy.py"]
    texts = [*list(unrelated_stdlib_modules.values())[:60], edited_copy(argparse_source), argparse_source]
    signatures = dedup.signatures(texts)
    index = dedup.new_index()
    for start in range(0, len(ids), 7):
        index.add(ids[start : start + 7], signatures[start : start + 7])
    assert len(index) == len(ids)
    assert index.clusters() == dedup.cluster(ids, signatures)


def test_band_keys_only_index_finds_the_same_pair(argparse_source):
    keys_only = MinHashDeduplicator(verify=False)
    texts = [argparse_source, edited_copy(argparse_source)]
    assert keys_only.cluster(["a", "b"], keys_only.signatures(texts)) == {"a": 0, "b": 0}


def test_index_rejects_repeated_ids(dedup):
    index = dedup.new_index()
    index.add(["a"], dedup.signatures(["x y z"]))
    with pytest.raises(ValueError, match="sample ids must be unique"):
        index.add(["a"], dedup.signatures(["x y z"]))


def test_index_rejects_signatures_of_the_wrong_shape(dedup):
    with pytest.raises(ValueError, match=r"expected uint32 signatures of shape \(2, 256\)"):
        dedup.new_index().add(["a", "b"], np.zeros((2, 128), dtype=np.uint32))


def test_choose_kept_keeps_the_better_scored_copy(dedup, argparse_source):
    clusters = dedup.cluster(
        ["old", "new"], dedup.signatures([argparse_source, edited_copy(argparse_source)])
    )
    entries = {"old": DedupEntry("old", "h1", 0.4, stars=100), "new": DedupEntry("new", "h2", 0.6, stars=1)}
    assert dedup.choose_kept(clusters, entries) == {"old": (0, "new")}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"threshold": 1.0}, "threshold must be in"),
        ({"bands": 4}, "give both bands and rows"),
        ({"bands": 20, "rows": 20}, "exceeds num_perm"),
    ],
)
def test_invalid_configuration_is_rejected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        MinHashDeduplicator(**kwargs)
