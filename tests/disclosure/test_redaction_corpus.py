"""Generated documents (``redaction_corpus``): every planted personal value is gone, in the
format it was written in and in every format the case's value takes; every public value is
still there (000 公示办法 第十七条)."""

from __future__ import annotations

import pytest

from sanxiang.disclosure.redaction import redact
from sanxiang.disclosure.redaction.normalize import normalize

from .redaction_corpus import Document, Generator

DOCUMENTS = 400


def check(document: Document) -> list[str]:
    result = redact(
        document.text, document.parties, mask_names=document.mask_names, keep=document.keep
    )
    redacted = normalize(result.text)
    problems = [
        f"{document.kind}: {what} left: {written}"
        for what, written in document.personal
        if normalize(written) in redacted
    ]
    problems += [
        f"{document.kind}: public value lost: {value}"
        for value in document.public
        if value not in result.text
    ]
    problems += [
        f"{document.kind}: name left: {n}" for n in document.masked_names if n in result.text
    ]
    problems += [f"{document.kind}: leaks(): {leak}" for leak in result.leaks(document.parties)]
    return problems


@pytest.mark.parametrize("seed", [1, 2])
def test_every_planted_personal_value_is_removed_and_every_public_value_kept(seed: int) -> None:
    documents = list(Generator(seed).documents(DOCUMENTS))
    assert {d.kind for d in documents} == {
        "penalty_natural",
        "penalty_legal",
        "inquiry",
        "inspection",
    }
    problems = [problem for document in documents for problem in check(document)]
    assert problems == []


def test_the_check_itself_catches_a_leak_and_a_loss() -> None:
    document = next(Generator(3).documents(1))
    # Forget the case's knowledge and keep nothing: the check must notice.
    blind = Document(
        kind=document.kind,
        text=document.text + "另：" + document.personal[0][1][::-1] + "。",
        parties=(),
        personal=[*document.personal, ("reversed", document.personal[0][1][::-1])],
        public=[*document.public, "此句不在原文中"],
        keep=(),
        mask_names=True,
        masked_names=document.masked_names or ["张三"],
    )
    problems = check(blind)
    assert any("public value lost: 此句不在原文中" in p for p in problems)
    assert any("reversed left" in p for p in problems)


def test_names_in_full_when_the_profile_says_so() -> None:
    document = next(d for d in Generator(4).documents(50) if d.masked_names)
    name = document.masked_names[0]
    result = redact(document.text, document.parties, mask_names=False, keep=document.keep)
    assert name in result.text
    assert name not in redact(document.text, document.parties, keep=document.keep).text
