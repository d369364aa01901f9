"""The written opinion (法制审核意见书) of a decided round, as a PDF for the case file
(000 法制审核办法 第十七条: the handling unit keeps it in the case file; 001 河南法制审核办法
第十二条). Rendering is deterministic: the same round gives the same bytes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from sanxiang.core.rules import get_profile
from sanxiang.documents.builders import (
    Finding,
    LegalReviewOpinion,
    OfficerInfo,
    ReviewItem,
)
from sanxiang.documents.layout import Document
from sanxiang.documents.render import render_pdf
from sanxiang.documents.review_opinion import (
    MaterialExchange,
    ReviewOpinionDocument,
    build_review_opinion,
)
from sanxiang.org.models import Unit
from sanxiang.procedures import registry

from .citations import cite
from .models import ChecklistItem, LegalReview

_FINDINGS = {
    ChecklistItem.Finding.CONFORMS: Finding.PASS,
    ChecklistItem.Finding.FAILS: Finding.FAIL,
    ChecklistItem.Finding.NOT_APPLICABLE: Finding.NOT_APPLICABLE,
}
# The builder's checklist keys (documents.builders.REVIEW_CHECKLIST) where they differ.
_KEYS = {ChecklistItem.Item.LEGAL_RISK: "risk"}


def _legal_unit(review: LegalReview) -> str:
    officer = review.reviewer.officer if review.reviewer is not None else None
    if officer is not None and officer.unit is not None and officer.unit.kind == Unit.Kind.LEGAL:
        return officer.unit.name
    unit = Unit.objects.filter(agency=review.case.agency, kind=Unit.Kind.LEGAL).first()
    return unit.name if unit is not None else "法制机构"


def _reviewer(review: LegalReview) -> OfficerInfo:
    user = review.reviewer
    assert user is not None
    number = ""
    if user.officer is not None:
        assert review.decided_on is not None
        valid = [c for c in user.officer.certificates.all() if c.is_valid_on(review.decided_on)]
        number = valid[0].number if valid else ""
    return OfficerInfo(name=str(user), certificate_no=number)


def opinion_document(review: LegalReview) -> Document:
    """The opinion of a decided round; ValidationError for a round still under review."""
    if not review.decided or review.decided_on is None or review.reviewer is None:
        raise ValidationError(
            f"第{review.round}轮法制审核尚未审核完毕，还没有法制审核意见书"
            f"（{cite(review.case.agency.rule_profile_code, 'opinion')}）"
        )
    case = review.case
    profile_code = case.agency.rule_profile_code
    profile = get_profile(profile_code)
    kinds = registry()
    materials = [f"拟作出的行政执法决定（{review.proposed_decision}）"]
    materials.append(f"{kinds.kind_name(review.report.kind)}（{review.report.ref}）")
    evidence = review.evidence.count()
    materials.append(f"证据材料{evidence}件")
    materials += [f"{kinds.kind_name(r.kind)}（{r.ref}）" for r in review.appraisals.all()]
    if review.notes:
        materials.append(review.notes)
    opinion = LegalReviewOpinion(
        agency=case.agency.name,
        legal_unit=_legal_unit(review),
        number=review.opinion_number,
        handling_unit=case.unit.name,
        case_title=case.title,
        submitted_on=review.received_on,
        reviewed_on=review.decided_on,
        items=[
            ReviewItem(
                key=_KEYS.get(ChecklistItem.Item(row.item), row.item),
                finding=_FINDINGS[ChecklistItem.Finding(row.finding)],
                note=row.note,
            )
            for row in review.items.all()
        ],
        passed=review.status == LegalReview.Status.PASSED,
        reviewers=[_reviewer(review)],
        round_no=review.round,
        materials=materials,
        proposed_decision=review.proposed_decision,
        reasons=review.reasons,
    )
    extension = review.extensions.filter(approved_on__isnull=False).select_related("approved_by")
    approved = extension.first()
    basis = [
        profile.public_citation(source)
        for concept in ("checklist", "outcome")
        for source in cite(profile_code, concept).split("；")
    ]
    document = ReviewOpinionDocument(
        opinion=opinion,
        requirement=review.requirement,
        received_on=review.received_on,
        due_on=review.due_on if approved is None else None,
        extended_to=approved.new_due_on if approved is not None else None,
        extension_approved_by=str(approved.approved_by) if approved is not None else "",
        exchanges=[
            MaterialExchange(
                measure=r.get_measure_display(),
                request=r.request,
                requested_on=r.requested_on,
                answer=r.answer,
                answered_on=r.answered_on,
            )
            for r in review.requests.all()
        ],
        basis=list(dict.fromkeys(basis)),
    )
    return build_review_opinion(document)


def opinion_pdf(review: LegalReview) -> bytes:
    return render_pdf(opinion_document(review))


def opinion_filename(review: LegalReview) -> str:
    day = review.decided_on or timezone.localdate()
    return f"法制审核意见书-{review.case.number}-第{review.round}轮-{day:%Y%m%d}.pdf"
