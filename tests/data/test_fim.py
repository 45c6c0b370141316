"""Fill-in-the-middle examples: shares, exact rearrangement, determinism, sentinels never shared."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import numpy as np
import pytest

from litcode.data.documents import Document, DocumentEncoder, Special
from litcode.data.fim import FillInTheMiddle, unpermute
from litcode.data.special_tokens import FIM_MIDDLE, FIM_PREFIX, FIM_SUFFIX, SpecialTokenIds
from litcode.data.tokenizers import ByteTokenizer, HuggingFaceTokenizer

STDLIB = Path(sysconfig.get_paths()["stdlib"])


@pytest.fixture(scope="module")
def stdlib_documents() -> list[Document]:
    """Every top-level stdlib module and package file (no tests): about a thousand documents."""
    paths = sorted(
        p for p in STDLIB.rglob("*.py") if "test" not in p.parts and "site-packages" not in p.parts
    )
    return [
        Document.of_file(
            str(p.relative_to(STDLIB)), p.relative_to(STDLIB).parts[0], p.read_text(errors="replace")
        )
        for p in paths
    ]


@pytest.mark.parametrize("spm_rate", [0.5, 0.2])
def test_share_of_fim_and_spm_documents_on_the_stdlib(stdlib_documents, spm_rate) -> None:
    fim = FillInTheMiddle(rate=0.5, spm_rate=spm_rate, seed=0)
    choices = [fim.choose(doc.id, doc.text_length()) for doc in stdlib_documents]
    drawn = [choice for choice in choices if choice is not None]
    assert len(stdlib_documents) > 800
    assert abs(len(drawn) / len(choices) - 0.5) <= 0.05
    assert abs(sum(choice.spm for choice in drawn) / len(drawn) - spm_rate) <= 0.05


def test_split_points_are_ordered_and_inside_the_document(stdlib_documents) -> None:
    fim = FillInTheMiddle(rate=1.0, seed=3)
    for doc in stdlib_documents[:300]:
        choice = fim.choose(doc.id, doc.text_length())
        assert choice is not None and 0 <= choice.start <= choice.end <= doc.text_length()


def test_split_points_spread_over_the_whole_document(stdlib_documents) -> None:
    fim = FillInTheMiddle(rate=1.0, seed=0)
    relative = [
        (choice.start + choice.end) / 2 / doc.text_length()
        for doc in stdlib_documents
        if (choice := fim.choose(doc.id, doc.text_length())) is not None and doc.text_length()
    ]
    assert abs(float(np.mean(relative)) - 0.5) < 0.05  # the mean of two uniform cuts is centred


def test_every_fim_example_rearranges_back_to_its_document(stdlib_documents) -> None:
    tokenizer = ByteTokenizer()
    ids = SpecialTokenIds.from_mapping(tokenizer.special_tokens)
    fim = FillInTheMiddle(rate=1.0, spm_rate=0.5, seed=0)
    encoded = DocumentEncoder(tokenizer).encode([fim.apply(doc) for doc in stdlib_documents])
    for doc, tokens in zip(stdlib_documents, encoded, strict=True):
        assert tokens[0] == ids.fim_prefix
        assert tokenizer.decode(unpermute(tokens, ids)) == doc.text()


def test_bpe_fim_example_decodes_back_to_its_document(stdlib_documents) -> None:
    documents = stdlib_documents[:12]
    tokenizer = HuggingFaceTokenizer.train_bpe((doc.text() for doc in documents), vocab_size=400)
    ids = SpecialTokenIds.from_mapping(tokenizer.special_tokens)
    fim = FillInTheMiddle(rate=1.0, spm_rate=0.5, seed=1)
    for doc, tokens in zip(
        documents, DocumentEncoder(tokenizer).encode([fim.apply(d) for d in documents]), strict=True
    ):
        assert tokenizer.decode(unpermute(tokens, ids)) == doc.text()


def test_the_draw_depends_only_on_seed_and_document_id() -> None:
    doc = Document.of_file("pkg/mod.py", "pkg", "x = 1\n" * 50)
    same_id_other_text = Document.of_file("pkg/mod.py", "other", "y = 2\n" * 50)
    fim = FillInTheMiddle(rate=1.0, seed=5)
    assert fim.choose(doc.id, 300) == FillInTheMiddle(rate=1.0, seed=5).choose(doc.id, 300)
    assert fim.apply(doc)[0] == fim.apply(same_id_other_text)[0] == Special(FIM_PREFIX)
    seeds = {FillInTheMiddle(rate=1.0, seed=seed).choose(doc.id, 300) for seed in range(10)}
    assert len(seeds) > 5


def test_psm_and_spm_orders_follow_starcoder() -> None:
    doc = Document.of_file("a", "r", "0123456789")
    from litcode.data.fim import FimChoice, permute

    psm = permute(doc.pieces, FimChoice(start=3, end=7, spm=False))
    spm = permute(doc.pieces, FimChoice(start=3, end=7, spm=True))
    p, s, m = Special(FIM_PREFIX), Special(FIM_SUFFIX), Special(FIM_MIDDLE)
    assert psm == (p, "012", s, "789", m, "3456")
    assert spm == (p, s, "789", m, "012", "3456")


def test_rate_zero_leaves_every_document_as_it_is(stdlib_documents) -> None:
    fim = FillInTheMiddle(rate=0.0)
    assert all(fim.apply(doc) == doc.pieces for doc in stdlib_documents[:100])


@pytest.mark.parametrize(("rate", "spm_rate"), [(-0.1, 0.5), (1.5, 0.5), (0.5, 2.0)])
def test_rates_outside_zero_one_are_refused(rate, spm_rate) -> None:
    with pytest.raises(ValueError, match="must be in"):
        FillInTheMiddle(rate=rate, spm_rate=spm_rate)


def test_a_repository_document_keeps_its_specials_whole_under_fim() -> None:
    doc = Document.of_repository("demo", [("a.py", "A" * 20), ("b.py", "B" * 20)])
    tokenizer = ByteTokenizer()
    ids = SpecialTokenIds.from_mapping(tokenizer.special_tokens)
    for seed in range(20):
        tokens = DocumentEncoder(tokenizer).encode([FillInTheMiddle(rate=1.0, seed=seed).apply(doc)])[0]
        assert tokenizer.decode(unpermute(tokens, ids)) == doc.text()
        assert (tokens == ids.file_sep).sum() == 2 and (tokens == ids.repo_name).sum() == 1
