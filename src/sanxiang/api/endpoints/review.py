"""重大执法决定法制审核: submission, assignment, checklist, outcome, materials, extensions,
disputes and collective discussion, the opinion PDF and the decision gate's status — thin over
sanxiang.review.services and selectors, so every rule (each refusal naming its article)
applies here as in the workbench."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import paginate

from sanxiang.cases import selectors as case_selectors
from sanxiang.cases.models import Case, Evidence, Record
from sanxiang.cases.state import build_case_state, load_records
from sanxiang.catalog.models import PowerItem
from sanxiang.org.models import User
from sanxiang.procedures.guards import GUARDS, review_violations
from sanxiang.review import selectors, services
from sanxiang.review.models import (
    Dispute,
    ExtensionRequest,
    LegalReview,
    MaterialRequest,
    ReviewCatalogue,
)
from sanxiang.review.opinion import opinion_filename, opinion_pdf

from ..auth import current_user
from ..pagination import Pagination
from ..review_schemas import (
    AnswerIn,
    ApprovalIn,
    AssignmentIn,
    CaseReviewOut,
    CatalogueRuleIn,
    CatalogueRuleOut,
    ChecklistItemIn,
    ConflictIn,
    ConsultationIn,
    DiscussionIn,
    DisputeIn,
    ExtensionIn,
    FlagIn,
    FlagOut,
    MaterialRequestIn,
    OkOut,
    OutcomeIn,
    ReviewDetailOut,
    ReviewOut,
    SubmissionIn,
)
from .common import ERRORS, visible_agency

router = Router(tags=["重大执法决定法制审核"])


# --- look-ups ------------------------------------------------------------------------------


def _case(user: User, pk: int) -> Case:
    case = (
        case_selectors.cases_visible_to(user)
        .select_related("agency__jurisdiction")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404(f"未找到 id 为 {pk} 的案件，或您无权查看。")
    return case


def _review(user: User, pk: int) -> LegalReview:
    review = selectors.reviews_visible_to(user).filter(pk=pk).first()
    if review is None:
        raise Http404(f"未找到 id 为 {pk} 的法制审核，或您无权查看。")
    return review


def _records(case: Case, ids: list[int], field: str) -> list[Record]:
    found = {r.pk: r for r in Record.objects.filter(case=case, pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ValidationError(
            {field: f"本案没有 id 为 {'、'.join(map(str, missing))} 的文书记录。"}
        )
    return [found[pk] for pk in ids]


# --- outputs -------------------------------------------------------------------------------


def _detail(user: User, pk: int) -> LegalReview:
    return (
        selectors.reviews_visible_to(user)
        .prefetch_related("evidence", "appraisals", "items", "requests", "extensions")
        .get(pk=pk)
    )


# --- the case's review ---------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/review",
    response={200: CaseReviewOut, **ERRORS},
    summary="案件的法制审核状态（是否须审核及依据、决定前的审核关口、各轮审核）",
)
def case_review(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = _case(current_user(request), case_id)
    records = load_records(case)
    requirement = selectors.review_requirement(case, records=records)
    state = build_case_state(case, timezone.localdate())
    source = GUARDS["legal_review_passed_if_required"].source_for(case.action_type)
    review = state.review
    return {
        "case": case.pk,
        "requirement": [{"text": r.text, "source": r.source} for r in requirement.reasons],
        "gate": {
            "required": review.required,
            "passed": review.passed,
            "matches_decision": review.matches_decision,
            "submitted_on": review.submitted_on,
            "decided_on": review.decided_on,
            "extended": review.extended,
            "violations": [v.message for v in review_violations(state, source)],
        },
        "rounds": list(
            case.legal_reviews.select_related("reviewer")
            .prefetch_related("evidence", "appraisals")
            .order_by("round")
        ),
    }


@router.post(
    "/cases/{case_id}/reviews",
    response={201: ReviewDetailOut, **ERRORS},
    summary="报送法制审核（送审材料齐全方予接收）",
)
def submit(request: HttpRequest, case_id: int, payload: SubmissionIn) -> Status[LegalReview]:
    user = current_user(request)
    case = _case(user, case_id)
    [report] = _records(case, [payload.report], "report")
    decision = (
        _records(case, [payload.decision_record], "decision_record")[0]
        if payload.decision_record is not None
        else None
    )
    evidence = list(Evidence.objects.filter(case=case, pk__in=payload.evidence))
    if len(evidence) != len(set(payload.evidence)):
        raise ValidationError({"evidence": "部分证据不属于本案。"})
    review = services.submit_for_review(
        actor=user,
        case=case,
        report=report,
        evidence=evidence,
        decision_record=decision,
        proposed_decision=payload.proposed_decision,
        proposed_basis=payload.proposed_basis,
        proposed_amount=payload.proposed_amount,
        appraised=payload.appraised,
        appraisals=_records(case, payload.appraisals, "appraisals"),
        notes=payload.notes,
        received_on=payload.received_on,
    )
    return Status(201, _detail(user, review.pk))


@router.post(
    "/cases/{case_id}/review-flags",
    response={201: FlagOut, **ERRORS},
    summary="认定应当法制审核的情形（并说明理由）",
)
def set_flag(request: HttpRequest, case_id: int, payload: FlagIn) -> Status[dict[str, Any]]:
    user = current_user(request)
    flag = services.set_review_flag(
        actor=user, case=_case(user, case_id), criterion=payload.criterion, reason=payload.reason
    )
    return Status(
        201,
        {
            "id": flag.pk,
            "criterion": flag.criterion,
            "criterion_label": flag.get_criterion_display(),
            "reason": flag.reason,
        },
    )


@router.post(
    "/cases/{case_id}/review-conflicts",
    response={201: OkOut, **ERRORS},
    summary="法制审核人员申报回避",
)
def declare_conflict(
    request: HttpRequest, case_id: int, payload: ConflictIn
) -> Status[dict[str, Any]]:
    user = current_user(request)
    row = services.declare_conflict(actor=user, case=_case(user, case_id), reason=payload.reason)
    return Status(201, {"id": row.pk, "message": "已申报回避。"})


# --- rounds --------------------------------------------------------------------------------


@router.get(
    "/reviews",
    response={200: list[ReviewOut], **ERRORS},
    summary="待办法制审核（审核人员：分配给本人的和待分配的；负责人：本机关全部）",
    description="`overdue=true` 只列出已超过审核期限的。",
)
@paginate(Pagination)
def list_reviews(request: HttpRequest, overdue: bool = False) -> QuerySet[LegalReview]:
    qs = selectors.reviews_for_workbench(current_user(request))
    if overdue:
        qs = selectors.overdue(qs)
    return qs.prefetch_related("evidence", "appraisals").order_by("pk")


@router.get(
    "/reviews/{review_id}", response={200: ReviewDetailOut, **ERRORS}, summary="一轮法制审核详情"
)
def get_review(request: HttpRequest, review_id: int) -> LegalReview:
    return _detail(current_user(request), review_id)


@router.post(
    "/reviews/{review_id}/assignment",
    response={200: ReviewDetailOut, **ERRORS},
    summary="分配审核人员（参与本案办理或申报回避的不得分配）",
)
def assign(request: HttpRequest, review_id: int, payload: AssignmentIn) -> LegalReview:
    user = current_user(request)
    review = _review(user, review_id)
    reviewer = User.objects.filter(pk=payload.reviewer, agency=review.case.agency).first()
    if reviewer is None:
        raise ValidationError(
            {"reviewer": f"{review.case.agency.name}没有 id 为 {payload.reviewer} 的用户。"}
        )
    services.assign_reviewer(actor=user, review=review, reviewer=reviewer)
    return _detail(user, review_id)


@router.post(
    "/reviews/{review_id}/checklist",
    response={200: ReviewDetailOut, **ERRORS},
    summary="记录一项审核内容的结论和说明",
)
def checklist(request: HttpRequest, review_id: int, payload: ChecklistItemIn) -> LegalReview:
    user = current_user(request)
    services.record_checklist_item(
        actor=user,
        review=_review(user, review_id),
        item=payload.item,
        finding=payload.finding,
        note=payload.note,
    )
    return _detail(user, review_id)


@router.post(
    "/reviews/{review_id}/outcome",
    response={200: ReviewDetailOut, **ERRORS},
    summary="提出审核意见：通过，或不予通过并书面说明理由",
)
def outcome(request: HttpRequest, review_id: int, payload: OutcomeIn) -> LegalReview:
    user = current_user(request)
    services.decide_review(
        actor=user, review=_review(user, review_id), passed=payload.passed, reasons=payload.reasons
    )
    return _detail(user, review_id)


@router.post(
    "/reviews/{review_id}/requests",
    response={201: ReviewDetailOut, **ERRORS},
    summary="要求补充材料或说明情况",
)
def request_materials(
    request: HttpRequest, review_id: int, payload: MaterialRequestIn
) -> Status[LegalReview]:
    user = current_user(request)
    services.request_materials(
        actor=user,
        review=_review(user, review_id),
        measure=payload.measure,
        request=payload.request,
    )
    return Status(201, _detail(user, review_id))


@router.post(
    "/review-requests/{request_id}/answer",
    response={200: ReviewDetailOut, **ERRORS},
    summary="答复补充材料或说明的要求",
)
def answer(request: HttpRequest, request_id: int, payload: AnswerIn) -> LegalReview:
    user = current_user(request)
    row = MaterialRequest.objects.filter(
        pk=request_id, review__in=selectors.reviews_visible_to(user)
    ).first()
    if row is None:
        raise Http404(f"未找到 id 为 {request_id} 的补充材料要求，或您无权查看。")
    services.answer_request(actor=user, request=row, answer=payload.answer)
    return _detail(user, row.review_id)


@router.post(
    "/reviews/{review_id}/extensions",
    response={201: ReviewDetailOut, **ERRORS},
    summary="申请延长审核期限（须经机关负责人批准，只可延长一次）",
)
def request_extension(
    request: HttpRequest, review_id: int, payload: ExtensionIn
) -> Status[LegalReview]:
    user = current_user(request)
    services.request_extension(
        actor=user,
        review=_review(user, review_id),
        reason=payload.reason,
        requested_on=payload.requested_on,
    )
    return Status(201, _detail(user, review_id))


@router.post(
    "/review-extensions/{extension_id}/approval",
    response={200: ReviewDetailOut, **ERRORS},
    summary="机关负责人批准延长审核期限",
)
def approve_extension(request: HttpRequest, extension_id: int, payload: ApprovalIn) -> LegalReview:
    user = current_user(request)
    row = ExtensionRequest.objects.filter(
        pk=extension_id, review__in=selectors.reviews_visible_to(user)
    ).first()
    if row is None:
        raise Http404(f"未找到 id 为 {extension_id} 的延长申请，或您无权查看。")
    services.approve_extension(actor=user, extension=row, approved_on=payload.approved_on)
    return _detail(user, row.review_id)


@router.post(
    "/reviews/{review_id}/disputes",
    response={201: ReviewDetailOut, **ERRORS},
    summary="承办机构对不予通过的意见提出异议",
)
def raise_dispute(request: HttpRequest, review_id: int, payload: DisputeIn) -> Status[LegalReview]:
    user = current_user(request)
    services.raise_dispute(actor=user, review=_review(user, review_id), grounds=payload.grounds)
    return Status(201, _detail(user, review_id))


def _dispute(user: User, pk: int) -> Dispute:
    row = Dispute.objects.filter(pk=pk, review__in=selectors.reviews_visible_to(user)).first()
    if row is None:
        raise Http404(f"未找到 id 为 {pk} 的异议，或您无权查看。")
    return row


@router.post(
    "/review-disputes/{dispute_id}/consultation",
    response={200: ReviewDetailOut, **ERRORS},
    summary="记录协商沟通结果（未达成一致的，提请负责人集体讨论）",
)
def consultation(request: HttpRequest, dispute_id: int, payload: ConsultationIn) -> LegalReview:
    user = current_user(request)
    row = _dispute(user, dispute_id)
    services.record_consultation(
        actor=user, dispute=row, consultation=payload.consultation, agreed=payload.agreed
    )
    return _detail(user, row.review_id)


@router.post(
    "/review-disputes/{dispute_id}/discussion",
    response={201: ReviewDetailOut, **ERRORS},
    summary="记录机关负责人集体讨论（参加人员、讨论情况、决定）",
)
def discussion(request: HttpRequest, dispute_id: int, payload: DiscussionIn) -> Status[LegalReview]:
    user = current_user(request)
    row = _dispute(user, dispute_id)
    services.record_collective_discussion(actor=user, dispute=row, **payload.model_dump())
    return Status(201, _detail(user, row.review_id))


@router.get(
    "/reviews/{review_id}/opinion.pdf",
    response={200: None, **ERRORS},
    summary="法制审核意见书（PDF）",
    openapi_extra={
        "responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}}}
    },
)
def opinion(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _review(current_user(request), review_id)
    response = HttpResponse(opinion_pdf(review), content_type="application/pdf")
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{_quote(opinion_filename(review))}"
    )
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


# --- catalogue ----------------------------------------------------------------------------


def _rule_out(rule: ReviewCatalogue) -> dict[str, Any]:
    return {
        "id": rule.pk,
        "title": rule.title,
        "action_type": rule.action_type,
        "conditions": rule.conditions(),
        "source": rule.source,
        "published_on": rule.published_on,
        "withdrawn_on": rule.withdrawn_on,
    }


@router.get(
    "/agencies/{agency_id}/review-catalogue",
    response={200: list[CatalogueRuleOut], **ERRORS},
    summary="重大执法决定法制审核目录清单（现行有效的事项及其标准）",
)
def catalogue(request: HttpRequest, agency_id: int) -> list[dict[str, Any]]:
    agency = visible_agency(current_user(request), agency_id)
    rules = selectors.catalogue_in_force(agency.pk, timezone.localdate())
    return [_rule_out(r) for r in rules.order_by("pk")]


@router.post(
    "/agencies/{agency_id}/review-catalogue",
    response={201: CatalogueRuleOut, **ERRORS},
    summary="在目录清单中增加事项（载明依据和标准）",
)
def add_catalogue_rule(
    request: HttpRequest, agency_id: int, payload: CatalogueRuleIn
) -> Status[dict[str, Any]]:
    user = current_user(request)
    agency = visible_agency(user, agency_id)
    data = payload.model_dump()
    matter_id = data.pop("matter")
    matter = None
    if matter_id is not None:
        matter = PowerItem.objects.filter(agency=agency, pk=matter_id).first()
        if matter is None:
            raise ValidationError(
                {"matter": f"{agency.name}的权责清单中没有 id 为 {matter_id} 的事项。"}
            )
    rule = services.publish_catalogue_rule(actor=user, agency=agency, matter=matter, **data)
    return Status(201, _rule_out(rule))


__all__ = ["router"]
