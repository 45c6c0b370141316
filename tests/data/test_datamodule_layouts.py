"""The prepared cache with FIM, repository-level documents and special tokens, end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest

from litcode.data import CodeDataModule
from litcode.data.fim import unpermute
from litcode.data.special_tokens import SPECIAL_TOKENS, SpecialTokenIds
from litcode.data.tokenizers import ByteTokenizer, HuggingFaceTokenizer


def prepared(repo_tree: Path, cache_dir: Path, curation: Any, **overrides: Any) -> CodeDataModule:
    settings: dict[str, Any] = {"seq_len": 64, "batch_size": 4, "val_fraction": 0.25, "curation_workers": 0}
    settings.update(overrides)
    dm = CodeDataModule(source=repo_tree, cache_dir=cache_dir, curation=curation, **settings)
    dm.prepare_data()
    dm.setup("fit")
    return dm


def split_documents(dm: CodeDataModule, split: str) -> tuple[list[np.ndarray], np.ndarray, list[np.ndarray]]:
    """The split's token stream cut at end-of-text: whole documents, the cut tail, each window's segments."""
    dataset = dm.train_dataset if split == "train" else dm.val_dataset
    windows = dataset.windows(np.arange(len(dataset))).astype(np.int64)
    stream = windows.reshape(-1)
    eos = dm.special_tokens["<|endoftext|>"]
    pieces = np.split(stream, np.flatnonzero(stream == eos))
    pieces = [piece[1:] if piece.size and piece[0] == eos else piece for piece in pieces]
    segments = [part for window in windows for part in np.split(window, np.flatnonzero(window == eos))]
    return pieces[:-1], pieces[-1], [segment[segment != eos] for segment in segments]


def kept_rows(dm: CodeDataModule) -> list[dict[str, Any]]:
    return pq.read_table(dm.cache_path() / "curation" / "kept").to_pylist()


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("layouts")


@pytest.fixture(scope="module")
def fim_dm(repo_tree, cache_dir, curation_config) -> CodeDataModule:
    return prepared(repo_tree, cache_dir, curation_config, fim_rate=0.5)


def test_byte_special_tokens_are_appended_after_the_bytes(tmp_path) -> None:
    assert CodeDataModule(cache_dir=tmp_path).special_tokens == dict(
        zip(SPECIAL_TOKENS, range(256, 263), strict=True)
    )


@pytest.mark.parametrize("kind", ["byte", "bpe"])
def test_special_token_ids_round_trip_through_decode(kind) -> None:
    tokenizer = (
        ByteTokenizer()
        if kind == "byte"
        else HuggingFaceTokenizer.train_bpe(["def f():\n    pass\n"] * 20, 300)
    )
    for token, token_id in tokenizer.special_tokens.items():
        assert tokenizer.decode([token_id]) == token
        assert token_id not in tokenizer.encode(f"x = '{token}'").tolist()  # text never forges a special


def test_a_trained_bpe_reserves_the_special_tokens_first() -> None:
    tokenizer = HuggingFaceTokenizer.train_bpe(["def f():\n    pass\n"] * 20, 300)
    assert tokenizer.special_tokens == dict(zip(SPECIAL_TOKENS, range(7), strict=True))


def test_a_pretrained_tokenizer_json_keeps_its_own_special_ids(tmp_path) -> None:
    import tokenizers

    own = [
        "<|endoftext|>",
        "<fim_prefix>",
        "<fim_middle>",
        "<fim_suffix>",
        "<fim_pad>",
        "<filename>",
        "<repo_name>",
    ]
    backend = tokenizers.Tokenizer(tokenizers.models.BPE())
    backend.pre_tokenizer = tokenizers.pre_tokenizers.ByteLevel(add_prefix_space=False)
    backend.decoder = tokenizers.decoders.ByteLevel()
    trainer = tokenizers.trainers.BpeTrainer(
        vocab_size=300, special_tokens=own, initial_alphabet=tokenizers.pre_tokenizers.ByteLevel.alphabet()
    )
    backend.train_from_iterator(["x = 1\n"] * 10, trainer=trainer)
    backend.save(str(tmp_path / "tokenizer.json"))
    before = backend.get_vocab_size()
    tokenizer = HuggingFaceTokenizer.from_file(tmp_path / "tokenizer.json")
    assert {token: tokenizer.special_tokens[token] for token in own if token != "<filename>"} == {
        token: own.index(token) for token in own if token != "<filename>"
    }
    assert tokenizer.special_tokens["<file_sep>"] == before  # the one it lacked is appended


def test_fim_share_and_spm_counts_are_recorded_in_meta(fim_dm) -> None:
    documents, _, _ = split_documents(fim_dm, "train")
    prefix = fim_dm.special_tokens["<fim_prefix>"]
    suffix = fim_dm.special_tokens["<fim_suffix>"]
    meta = fim_dm.prepared.meta
    fim_docs = [doc for doc in documents if doc.size and doc[0] == prefix]
    # the last document may be cut by the end of the stream; all the others are whole
    assert meta["fim_documents"]["train"] - len(fim_docs) in (0, 1)
    assert meta["fim_spm_documents"]["train"] - sum(int(doc[1] == suffix) for doc in fim_docs) in (0, 1)
    assert 0 < meta["fim_documents"]["train"] < meta["documents"]["train"]


def test_every_fim_document_in_the_cache_rearranges_back_to_a_kept_file(fim_dm) -> None:
    documents, _, _ = split_documents(fim_dm, "train")
    tokenizer = fim_dm.tokenizer
    ids = SpecialTokenIds.from_mapping(fim_dm.special_tokens)
    train = [row["content"] for row in kept_rows(fim_dm) if row["repo"] in fim_dm.split_repos["train"]]
    restored = [tokenizer.decode(unpermute(doc, ids)) for doc in documents]
    assert restored == train[: len(restored)]


def test_no_window_segment_holds_sentinels_of_two_documents(fim_dm) -> None:
    documents, _, segments = split_documents(fim_dm, "train")
    ids = SpecialTokenIds.from_mapping(fim_dm.special_tokens)
    sentinels = [ids.fim_prefix, ids.fim_suffix, ids.fim_middle]  # their order in PSM and in SPM
    one_split = [sentinels[i:j] for i in range(3) for j in range(i, 4)]  # what a window may cut out of one
    for segment in segments:
        assert [int(token) for token in segment if int(token) in sentinels] in one_split
    for doc in documents:  # a whole document holds one whole split or none
        assert [int(token) for token in doc if int(token) in sentinels] in ([], sentinels)


@pytest.fixture(scope="module")
def repo_dm(repo_tree, cache_dir, curation_config) -> CodeDataModule:
    return prepared(repo_tree, cache_dir, curation_config, repo_level=True, seq_len=128)


def test_repository_documents_hold_their_files_together_in_path_order(repo_dm) -> None:
    documents, _, _ = split_documents(repo_dm, "train")
    tokenizer = repo_dm.tokenizer
    rows = kept_rows(repo_dm)
    expected = {
        repo: sorted(row["path"] for row in rows if row["repo"] == repo)
        for repo in sorted(repo_dm.split_repos["train"])
    }
    seen: dict[str, list[str]] = {}
    for doc in documents:
        text = tokenizer.decode(doc)
        assert text.startswith("<repo_name>")
        name, *files = text.removeprefix("<repo_name>").split("<file_sep>")
        seen[name] = [file.split("\n", 1)[0] for file in files]
    complete = list(expected)[: len(seen)]
    assert list(seen) == complete  # one document per repository, by name
    assert all(seen[repo] == expected[repo] for repo in complete)


def test_repository_documents_stay_on_their_side_of_the_split(repo_dm) -> None:
    documents, tail, _ = split_documents(repo_dm, "val")
    texts = [repo_dm.tokenizer.decode(doc) for doc in [*documents, tail]]
    names = {text.removeprefix("<repo_name>").split("<file_sep>")[0] for text in texts if text}
    assert names and names <= repo_dm.split_repos["val"]


def test_a_repository_longer_than_a_window_flows_on_across_windows(repo_dm) -> None:
    documents, _, _ = split_documents(repo_dm, "train")
    assert max(doc.size for doc in documents) > 10 * (repo_dm.seq_len + 1)


TOKEN_FILES = ("index.json", "split_repos.json", "tokenizer/tokenizer_config.json")


@pytest.mark.slow
def test_a_rebuilt_cache_is_byte_identical(repo_tree, tmp_path, curation_config) -> None:
    builds = [
        prepared(repo_tree, tmp_path / name, curation_config, fim_rate=0.5, repo_level=True)
        for name in ("a", "b")
    ]
    first, second = (dm.cache_path() for dm in builds)
    assert first.name == second.name
    names = sorted(p.name for p in first.glob("*.bin"))
    assert names == sorted(p.name for p in second.glob("*.bin"))
    for name in [*names, *TOKEN_FILES]:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
