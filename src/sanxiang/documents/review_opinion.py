"""法制审核意见书 as the review app issues it: the checklist opinion of
``builders.build_legal_review_opinion`` (findings on every point of 000 法制审核办法 第十六条
and the outcome of 第十七条), completed with what the round's file holds — why the decision
needed review, the requests for materials and their answers (001 河南法制审核办法 第十条),
the review period and its extension (000 法制审核办法 第十九条) and the articles the review
rests on, named as the public reads them.

Plain data in (the review app fills it from its models; this app imports none of theirs),
a :class:`~sanxiang.documents.layout.Document` out.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sanxiang.documents.builders import (
    DocumentInputError,
    LegalReviewOpinion,
    build_legal_review_opinion,
)
from sanxiang.documents.layout import Block, Document, Heading, Paragraph, SignatureBlock
from sanxiang.documents.text import cn_date


@dataclass(frozen=True, kw_only=True)
class MaterialExchange:
    """A request for materials or explanations and the handling unit's answer."""

    measure: str  # e.g. 要求承办机构及其执法人员说明有关情况
    request: str
    requested_on: datetime.date
    answer: str = ""
    answered_on: datetime.date | None = None


@dataclass(frozen=True, kw_only=True)
class ReviewOpinionDocument:
    """The opinion of one round, with the round's file around it."""

    opinion: LegalReviewOpinion
    requirement: str = ""  # why review was required, each rule with its article
    received_on: datetime.date | None = None
    due_on: datetime.date | None = None
    extended_to: datetime.date | None = None  # the due date after the approved extension
    extension_approved_by: str = ""
    exchanges: Sequence[MaterialExchange] = ()
    basis: Sequence[str] = field(default_factory=tuple)  # 《…》第N条, as published


def _check(d: ReviewOpinionDocument) -> None:
    if d.extended_to is not None and not d.extension_approved_by.strip():
        raise DocumentInputError(
            "延长法制审核期限须经行政执法机关负责人批准，意见书应当载明批准人"
            "（000 法制审核办法 第十九条）。"
        )
    if d.extended_to is not None and d.due_on is not None and d.extended_to <= d.due_on:
        raise DocumentInputError(
            "延长后的审核期限应当晚于原审核期限（000 法制审核办法 第十九条）。"
        )
    unanswered = [e for e in d.exchanges if not e.answer.strip()]
    if d.opinion.passed and unanswered:
        raise DocumentInputError(
            "尚有补充材料或者说明未答复，不能出具审核通过的意见（001 河南法制审核办法 第十条）。"
        )


def _file_blocks(d: ReviewOpinionDocument) -> list[Block]:
    blocks: list[Block] = []
    if d.requirement:
        blocks.append(Paragraph(label="审核范围：", text=d.requirement, indent=0))
    if d.received_on is not None:
        period = f"本机构于{cn_date(d.received_on)}收到送审材料"
        if d.due_on is not None and d.extended_to is None:
            period += f"，审核期限至{cn_date(d.due_on)}"
        if d.extended_to is not None:
            period += (
                f"；因案件复杂，经{d.extension_approved_by}批准，审核期限延长至"
                f"{cn_date(d.extended_to)}"
            )
        blocks.append(Paragraph(label="审核期限：", text=period + "。", indent=0))
    if d.exchanges:
        blocks.append(Heading(text="补充材料和说明", indent=0))
        for n, e in enumerate(d.exchanges, start=1):
            answer = (
                f"承办机构于{cn_date(e.answered_on)}答复：{e.answer}"
                if e.answer and e.answered_on
                else "承办机构尚未答复。"
            )
            blocks.append(
                Paragraph(
                    text=f"{n}．{cn_date(e.requested_on)}，{e.measure}：{e.request}。{answer}",
                    indent=0,
                )
            )
    if d.basis:
        blocks.append(Paragraph(label="审核依据：", text="；".join(d.basis) + "。", indent=0))
    return blocks


def build_review_opinion(d: ReviewOpinionDocument) -> Document:
    """The checklist opinion with the round's file inserted before the signatures."""
    _check(d)
    base = build_legal_review_opinion(d.opinion)
    blocks = list(base.blocks)
    at = next(
        (i for i, block in enumerate(blocks) if isinstance(block, SignatureBlock)), len(blocks)
    )
    blocks[at:at] = _file_blocks(d)
    return replace(base, blocks=tuple(blocks))
