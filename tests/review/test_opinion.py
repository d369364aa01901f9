"""The written opinion (法制审核意见书) of a round: a PDF with the checklist findings, the
outcome and reasons, the materials exchanged, the extension and the articles, for the case
file; the same round renders to the same bytes; no opinion before the round is decided."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from django.core.exceptions import ValidationError

from sanxiang.documents.builders import DocumentInputError, LegalReviewOpinion
from sanxiang.documents.review_opinion import (
    MaterialExchange,
    ReviewOpinionDocument,
    build_review_opinion,
)
from sanxiang.review import services
from sanxiang.review.opinion import opinion_document, opinion_filename, opinion_pdf
from tests.review.helpers import record_all, review_round, submit, walk_to_decision

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "".join((page.extract_text() or "") for page in reader.pages)
    flat = "".join(text.replace("\x00", "").split())
    return re.sub(r"第\d+页共\d+页", "", flat)  # page footers break running text


def test_failed_round_opinion_names_the_failed_items_and_reasons(world, reviewers):
    dc = walk_to_decision(world)
    review = review_round(world, reviewers, submit(world, dc), passed=False)
    pdf = opinion_pdf(review)
    assert pdf.startswith(b"%PDF")
    assert opinion_pdf(review) == pdf  # deterministic: goes into a hash-verified archive
    text = text_of(pdf)
    assert "法制审核意见书" in text
    assert "不予通过" in text
    assert "适用法律、法规、规章是否准确" in text
    assert "罚款数额与裁量基准的一般情节档次不符" in text
    assert "建议按裁量基准一般情节档次重新确定罚款数额" in text
    assert "《郑州市重大行政执法决定法制审核办法》第十七条" in text
    assert review.opinion_number in text
    assert opinion_filename(review).endswith("第1轮-" + f"{review.decided_on:%Y%m%d}.pdf")


def test_passed_round_opinion_with_materials_and_extension(world, reviewers):
    dc = walk_to_decision(world)
    review = submit(world, dc)
    services.assign_reviewer(actor=world.head, review=review, reviewer=reviewers.reviewer)
    request = services.request_materials(
        actor=reviewers.reviewer, review=review, measure="explanation", request="说明裁量理由"
    )
    services.answer_request(actor=world.user_a, request=request, answer="属一般情节")
    extension = services.request_extension(
        actor=reviewers.reviewer, review=review, reason="案件复杂"
    )
    services.approve_extension(actor=world.head, extension=extension)
    record_all(reviewers.reviewer, review)
    review = services.decide_review(actor=reviewers.reviewer, review=review, passed=True)
    text = text_of(opinion_pdf(review))
    assert "审核通过" in text
    assert "说明裁量理由" in text and "属一般情节" in text
    assert "经王局长批准" in text
    assert "适用一般程序作出的行政处罚决定应当进行法制审核" in text


def test_no_opinion_before_the_round_is_decided(world, reviewers):
    dc = walk_to_decision(world)
    review = submit(world, dc)
    with pytest.raises(ValidationError, match="尚未审核完毕"):
        opinion_document(review)


def opinion(passed: bool = True) -> LegalReviewOpinion:
    import datetime

    from sanxiang.documents.builders import REVIEW_CHECKLIST, Finding, OfficerInfo, ReviewItem

    return LegalReviewOpinion(
        agency="郑州市市场监督管理局",
        legal_unit="法制审核科",
        number="郑州法审〔2026〕1-1号",
        handling_unit="执法稽查科",
        case_title="某案",
        submitted_on=datetime.date(2026, 9, 29),
        reviewed_on=datetime.date(2026, 10, 9),
        items=[ReviewItem(key=k, finding=Finding.PASS) for k, _ in REVIEW_CHECKLIST],
        passed=passed,
        reviewers=[OfficerInfo(name="周法制")],
    )


def test_builder_refuses_an_extension_without_approver_or_a_pass_with_open_requests():
    import datetime

    with pytest.raises(DocumentInputError, match="000 法制审核办法 第十九条"):
        build_review_opinion(
            ReviewOpinionDocument(opinion=opinion(), extended_to=datetime.date(2026, 10, 19))
        )
    with pytest.raises(DocumentInputError, match="001 河南法制审核办法 第十条"):
        build_review_opinion(
            ReviewOpinionDocument(
                opinion=opinion(),
                exchanges=[
                    MaterialExchange(
                        measure="查阅材料",
                        request="营业执照",
                        requested_on=datetime.date(2026, 10, 1),
                    )
                ],
            )
        )
    document = build_review_opinion(
        ReviewOpinionDocument(
            opinion=opinion(), requirement="适用一般程序（000 法制审核办法 第六条）"
        )
    )
    assert document.title == "法制审核意见书"
