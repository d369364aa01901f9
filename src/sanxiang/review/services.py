"""Writes for legal review. One function per business action: keyword-only, atomic, checking
that the actor may act (the case's own agency, in the right role), refusing bad input with a
ValidationError whose message names the rule and its article, and appending exactly one
ledger entry in the same transaction.

The flow: the handling unit submits a round with its package (001 河南法制审核办法 第八条);
a reviewer of the legal unit who took no part in the case is assigned (002 第四十九条); the
reviewer records a finding on every checklist point (000 法制审核办法 第十六条), may ask for
materials (001 河南法制审核办法 第十条), and passes or fails the round with written reasons
(000 法制审核办法 第十七条) within the profile's period, extended once with the head's approval
(000 法制审核办法 第十九条). A failed round goes back: the handling unit fixes and resubmits
(a new round; every round is kept) or disputes the opinion, which, unresolved, goes to the
heads' collective discussion (000 法制审核办法 第十八条).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from sanxiang.cases import services as case_services
from sanxiang.cases.deadlines import refresh_next_due
from sanxiang.cases.models import Case, CaseOfficer, Evidence, Record, Signature
from sanxiang.cases.state import is_signed, load_records
from sanxiang.catalog.models import PowerItem
from sanxiang.core.rules import parse_citation
from sanxiang.core.workdays import CalendarNotCovered
from sanxiang.org import selectors as org_selectors
from sanxiang.org.models import Agency, Role, Unit, User
from sanxiang.procedures import get_procedure, registry
from sanxiang.records import ledger

from . import selectors
from .citations import cite
from .models import (
    ChecklistItem,
    CollectiveDiscussion,
    ConflictDeclaration,
    Criterion,
    Dispute,
    ExtensionRequest,
    LegalReview,
    MaterialRequest,
    ReviewCatalogue,
    ReviewFlag,
)

HANDLING_ROLES = (Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD)
SUBMITTING_ROLES = (Role.OFFICER, Role.UNIT_HEAD)
ASSIGNING_ROLES = (Role.LEGAL_REVIEWER, Role.AGENCY_HEAD)
APPRAISAL_KINDS = frozenset({"expert_opinion", "testing_record"})
REPORT_KIND = "investigation_report"
# What the investigation final report must state (001 河南法制审核办法 第八条第二款).
REPORT_FIELDS = ("facts_evidence", "legal_basis", "discretion")
# Points where 不涉及 (not applicable) is a possible finding; the others must be judged.
MAY_NOT_APPLY = frozenset({ChecklistItem.Item.OTHER, ChecklistItem.Item.LEGAL_RISK})


# ------------------------------------------------------------------ helpers


def _profile(case: Case) -> str:
    return case.agency.rule_profile_code


def _refuse(message: str | list[str]) -> ValidationError:
    return ValidationError(message)


def _deny(actor: User, agency: Agency, roles: Iterable[str], what: str) -> None:
    """Only accounts of the agency itself, holding one of the roles, may do ``what``."""
    wanted = tuple(roles)
    visible = org_selectors.agencies_visible_to(actor).filter(pk=agency.pk).exists()
    if not visible or actor.agency_id != agency.pk or not any(actor.has_role(r) for r in wanted):
        names = "、".join(str(Role(r).label) for r in wanted)
        raise PermissionDenied(f"您无权{what}：只有{agency.name}的{names}可以办理。")


def _save(obj: Any) -> Any:
    obj.full_clean()
    obj.save()
    return obj


def _lock(review: LegalReview) -> LegalReview:
    return (
        LegalReview.objects.select_for_update(of=("self",))
        .select_related("case__agency__jurisdiction", "reviewer")
        .get(pk=review.pk)
    )


def _latest(case: Case) -> LegalReview | None:
    return case.legal_reviews.order_by("-round").first()


def _check_day(day: datetime.date, case: Case, what: str) -> None:
    if day > timezone.localdate():
        raise _refuse(
            f"{what}（{day:%Y年%m月%d日}）晚于今天，不能预填日期（000 全过程记录办法 第九条）"
        )
    if day < case.opened_on:
        raise _refuse(
            f"{what}（{day:%Y年%m月%d日}）早于案件启动日期（{case.opened_on:%Y年%m月%d日}）"
            "（000 全过程记录办法 第九条）"
        )


def _require_open(review: LegalReview) -> None:
    if review.decided:
        raise _refuse(
            f"第{review.round}轮法制审核已于{review.decided_on:%Y年%m月%d日}审核完毕"
            f"（{review.get_status_display()}），不能再修改；如需再审，应重新报送"
            f"（{cite(_profile(review.case), 'dispute')}）"
        )


def _require_reviewer(actor: User, review: LegalReview) -> None:
    _deny(actor, review.case.agency, (Role.LEGAL_REVIEWER,), "办理法制审核")
    if review.reviewer_id != actor.pk:
        raise PermissionDenied("只有分配的审核人员可以办理本轮法制审核。")


def _review_snapshot(review: LegalReview) -> dict[str, Any]:
    data = ledger.snapshot(review)
    data["evidence"] = sorted(review.evidence.values_list("pk", flat=True))
    data["appraisals"] = sorted(review.appraisals.values_list("pk", flat=True))
    return data


# ------------------------------------------------------------------ catalogue


@transaction.atomic
def publish_catalogue_rule(
    *,
    actor: User,
    agency: Agency,
    title: str,
    action_type: str,
    source: str,
    published_on: datetime.date | None = None,
    matter: PowerItem | None = None,
    level: str = "",
    amount_kind: str = "",
    amount_at_least: Decimal | None = None,
    party_kind: str = "",
    after_hearing: bool = False,
    licence_revocation: bool = False,
    guidance: str = "",
) -> ReviewCatalogue:
    """Add a rule to the agency's review catalogue, with its source and thresholds, published
    from ``published_on`` (000 法制审核办法 第十四条: the thresholds are set and published by
    the agency)."""
    if not org_selectors.can_manage_agency(actor, agency):
        raise PermissionDenied(
            f"您无权制定“{agency.name}”的法制审核目录清单：由本机关负责人或上级执法监督机构办理。"
        )
    catalogue_rule = cite(agency.rule_profile_code, "catalogue")
    try:
        parse_citation(source.strip())
    except ValueError as exc:
        raise _refuse(f"目录清单事项应当载明依据：{exc}（{catalogue_rule}）") from None
    if amount_at_least is not None and amount_at_least <= 0:
        raise _refuse(f"金额标准应为正数（{catalogue_rule}）")
    if amount_at_least is not None and not amount_kind:
        raise _refuse(f"设定金额标准的，应当写明金额类别（{catalogue_rule}）")
    if matter is not None and (matter.agency_id != agency.pk or matter.category != action_type):
        raise _refuse(
            f"权责清单事项“{matter.name}”不属于{agency.name}该类别的权责清单（{catalogue_rule}）"
        )
    published_on = published_on or timezone.localdate()
    if published_on > timezone.localdate():
        raise _refuse(f"公布日期不能晚于今天（{catalogue_rule}）")
    rule = _save(
        ReviewCatalogue(
            agency=agency,
            title=title.strip(),
            action_type=action_type,
            matter=matter,
            level=level.strip(),
            amount_kind=amount_kind,
            amount_at_least=amount_at_least,
            party_kind=party_kind,
            after_hearing=after_hearing,
            licence_revocation=licence_revocation,
            source=source.strip(),
            guidance=guidance.strip(),
            published_on=published_on,
            created_by=actor,
        )
    )
    ledger.record(
        "review.publish_catalogue_rule", actor=actor, obj=rule, rule=ledger.snapshot(rule)
    )
    return rule


@transaction.atomic
def withdraw_catalogue_rule(*, actor: User, rule: ReviewCatalogue, reason: str) -> ReviewCatalogue:
    rule = ReviewCatalogue.objects.select_for_update().get(pk=rule.pk)
    if not org_selectors.can_manage_agency(actor, rule.agency):
        raise PermissionDenied(f"您无权修改“{rule.agency.name}”的法制审核目录清单。")
    if rule.withdrawn_on is not None:
        raise _refuse("该目录清单事项已撤销。")
    if not reason.strip():
        raise _refuse(
            f"撤销目录清单事项应当说明原因（{cite(rule.agency.rule_profile_code, 'catalogue')}）"
        )
    rule.withdrawn_on = timezone.localdate()
    rule.withdrawal_reason = reason.strip()
    _save(rule)
    ledger.record(
        "review.withdraw_catalogue_rule",
        actor=actor,
        obj=rule,
        withdrawn_on=rule.withdrawn_on,
        reason=rule.withdrawal_reason,
    )
    return rule


# ------------------------------------------------------------------ general criteria


@transaction.atomic
def set_review_flag(*, actor: User, case: Case, criterion: str, reason: str) -> ReviewFlag:
    """An officer says the decision meets a general criterion (001 河南法制审核办法 第六条,
    002 第五十一条): the case then needs review, and the reason is kept."""
    _deny(actor, case.agency, HANDLING_ROLES, "设定法制审核情形")
    source = cite(_profile(case), "criteria")
    if criterion not in Criterion.values:
        raise _refuse(f"未知的法制审核情形“{criterion}”（{source}）")
    if not reason.strip():
        raise _refuse(f"认定“{Criterion(criterion).label}”应当说明理由（{source}）")
    if case.status == Case.Status.CLOSED:
        raise _refuse("案件已办结，不能再设定法制审核情形。")
    if ReviewFlag.objects.filter(case=case, criterion=criterion).exists():
        raise _refuse(f"本案已认定“{Criterion(criterion).label}”（{source}）")
    flag = _save(ReviewFlag(case=case, criterion=criterion, reason=reason.strip(), set_by=actor))
    refresh_next_due(case)  # the case now needs review: its review deadline applies
    ledger.record(
        "review.set_flag", actor=actor, obj=flag, case_id=case.pk, flag=ledger.snapshot(flag)
    )
    return flag


# ------------------------------------------------------------------ submission


def _package_gaps(
    case: Case,
    records: list[Record],
    report: Record | None,
    evidence: list[Evidence],
    decision_record: Record | None,
    proposed_decision: str,
    proposed_basis: str,
    appraised: bool,
    appraisals: list[Record],
) -> list[str]:
    """What the package lacks (001 河南法制审核办法 第八条; 000 法制审核办法 第十五条)."""
    source = cite(_profile(case), "materials")
    gaps: list[str] = []

    def lacks(what: str) -> None:
        gaps.append(f"送审材料不完整：{what}（{source}）")

    ids = {r.pk for r in records}
    current = {r.pk for r in records if not hasattr(r, "superseded_by")}
    kinds = registry().kinds
    if decision_record is None and not proposed_decision.strip():
        lacks("缺少拟作出的行政执法决定")
    if decision_record is not None and (
        decision_record.pk not in current
        or decision_record.kind not in kinds
        or not kinds[decision_record.kind].decision
    ):
        lacks("所附决定书不是本案现行有效的决定文书")
    if not proposed_basis.strip():
        lacks("拟作出的决定未载明法律依据")
    if report is None:
        lacks("缺少调查（审查）终结报告")
    elif report.pk not in ids or report.kind != REPORT_KIND:
        lacks("所附调查终结报告不是本案的调查终结报告")
    elif report.pk not in current:
        lacks("所附调查终结报告已被更正，应附更正后的报告")
    else:
        labels = {f.name: f.label for f in kinds[REPORT_KIND].fields}
        for name in REPORT_FIELDS:
            value = report.data.get(name)
            if not (isinstance(value, str) and value.strip()):
                lacks(f"调查终结报告未载明{labels.get(name, name)}")
        if not is_signed(case, report):
            lacks("调查终结报告尚未签名完备")
    if not evidence:
        lacks("缺少调查取证相关材料（证据）")
    if any(e.case_id != case.pk for e in evidence):
        lacks("所附证据不属于本案")
    if appraised and not appraisals:
        lacks("经过鉴定、评估的，应当提交鉴定报告、评估报告")
    for item in appraisals:
        if item.pk not in current or item.kind not in APPRAISAL_KINDS:
            lacks("所附鉴定、评估报告不是本案现行有效的鉴定意见或检测报告")
    return gaps


@transaction.atomic
def submit_for_review(
    *,
    actor: User,
    case: Case,
    report: Record | None,
    evidence: Iterable[Evidence],
    proposed_decision: str = "",
    proposed_basis: str = "",
    proposed_amount: Decimal | None = None,
    decision_record: Record | None = None,
    appraised: bool = False,
    appraisals: Iterable[Record] = (),
    notes: str = "",
    received_on: datetime.date | None = None,
) -> LegalReview:
    """The handling unit hands the package to the legal unit: a new round, accepted only when
    complete. ``received_on`` is the day the legal unit received it (default today); the
    review period runs from then."""
    _deny(actor, case.agency, SUBMITTING_ROLES, "报送法制审核")
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("agency__jurisdiction")
        .get(pk=case.pk)
    )
    profile = _profile(case)
    if case.status == Case.Status.CLOSED:
        raise _refuse("案件已办结，不能再报送法制审核。")
    procedure = get_procedure(case.procedure)
    if "legal_review_opinion" not in procedure.stage(case.stage).allowed_kinds:
        raise _refuse(
            f"案件处于{procedure.stage_name(case.stage)}环节；应当在作出决定前的审核决定环节"
            f"报送法制审核（{cite(profile, 'materials')}）"
        )
    latest = _latest(case)
    if latest is not None and not latest.decided:
        raise _refuse(
            f"第{latest.round}轮法制审核尚未审核完毕，不能重复报送（{cite(profile, 'outcome')}）"
        )
    records = load_records(case)
    evidence_list = list(evidence)
    appraisal_list = list(appraisals)
    if decision_record is not None:
        record_basis = selectors.decision_basis(decision_record)
        if proposed_amount is not None and proposed_amount != decision_record.amount:
            raise _refuse(f"送审的拟决定金额与决定书不一致（{cite(profile, 'materials')}）")
        proposed_amount = decision_record.amount
        proposed_basis = proposed_basis or record_basis
        if record_basis and selectors.normal_text(proposed_basis) != selectors.normal_text(
            record_basis
        ):
            raise _refuse(f"送审的法律依据与决定书不一致（{cite(profile, 'materials')}）")
        if not proposed_decision.strip():
            proposed_decision = (
                f"{registry().kind_name(decision_record.kind)}（{decision_record.ref}）"
            )
    gaps = _package_gaps(
        case,
        records,
        report,
        evidence_list,
        decision_record,
        proposed_decision,
        proposed_basis,
        appraised,
        appraisal_list,
    )
    if gaps:
        raise _refuse(gaps)
    assert report is not None
    received_on = received_on or timezone.localdate()
    _check_day(received_on, case, "法制机构收到送审材料的日期")
    try:
        due = selectors.due_on(received_on, profile)
    except CalendarNotCovered as exc:
        raise _refuse(str(exc)) from None
    requirement = selectors.review_requirement(case, records=records)
    number = (case.legal_reviews.aggregate(n=Max("round"))["n"] or 0) + 1
    review = _save(
        LegalReview(
            case=case,
            round=number,
            requirement=requirement.summary(),
            proposed_decision=proposed_decision.strip(),
            proposed_amount=proposed_amount,
            proposed_basis=proposed_basis.strip(),
            decision_record=decision_record,
            report=report,
            notes=notes.strip(),
            submitted_by=actor,
            received_on=received_on,
            due_on=due,
        )
    )
    review.evidence.set(evidence_list)
    review.appraisals.set(appraisal_list)
    refresh_next_due(case)  # the review period runs from receipt
    ledger.record("review.submit", actor=actor, obj=review, review=_review_snapshot(review))
    return review


# ------------------------------------------------------------------ assignment and recusal


def recusal_reasons(case: Case, reviewer: User) -> list[str]:
    """Why ``reviewer`` may not review ``case``: took part in it, or declared a conflict."""
    reasons: list[str] = []
    officer_id = reviewer.officer_id
    if case.created_by_id == reviewer.pk:
        reasons.append("登记了本案")
    if officer_id is not None:
        stages = sorted(
            set(
                CaseOfficer.objects.filter(case=case, officer_id=officer_id).values_list(
                    "stage", flat=True
                )
            )
        )
        if stages:
            procedure = get_procedure(case.procedure)
            names = "、".join(procedure.stage_name(s) for s in stages)
            reasons.append(f"参与了本案{names}环节的办理")
    # The reviewer's own 法制审核意见 of an earlier round is review, not handling.
    handled = Record.objects.filter(case=case).exclude(kind=case_services.REVIEW_OPINION_KIND)
    if handled.filter(made_by=reviewer).exists():
        reasons.append("制作了本案的文书")
    signer = Q(entered_by=reviewer)
    if officer_id is not None:
        signer |= Q(officer_id=officer_id)
    signatures = Signature.objects.filter(signer, record__case=case).exclude(
        record__kind=case_services.REVIEW_OPINION_KIND
    )
    if signatures.exists():
        reasons.append("在本案文书上签名或录入签名")
    collected = Q(created_by=reviewer)
    if officer_id is not None:
        collected |= Q(collector_id=officer_id)
    if Evidence.objects.filter(collected, case=case).exists():
        reasons.append("收集或录入了本案证据")
    if LegalReview.objects.filter(case=case, submitted_by=reviewer).exists():
        reasons.append("报送了本案的法制审核")
    declared = ConflictDeclaration.objects.filter(case=case, reviewer=reviewer).first()
    if declared is not None:
        reasons.append(f"已申报回避（{declared.reason}）")
    return reasons


@transaction.atomic
def assign_reviewer(*, actor: User, review: LegalReview, reviewer: User) -> LegalReview:
    """Give the round to a reviewer of the agency's legal unit who took no part in the case
    (recusal, 002 第四十九条)."""
    review = _lock(review)
    case = review.case
    profile = _profile(case)
    _deny(actor, case.agency, ASSIGNING_ROLES, "分配法制审核")
    _require_open(review)
    unit_rule = cite(profile, "legal_unit")
    if (
        not reviewer.is_active
        or reviewer.agency_id != case.agency_id
        or not reviewer.has_role(Role.LEGAL_REVIEWER)
    ):
        raise _refuse(
            f"{reviewer}不是{case.agency.name}的法制审核人员，不能承担法制审核（{unit_rule}）"
        )
    officer = reviewer.officer
    if officer is not None and officer.unit is not None and officer.unit.kind != Unit.Kind.LEGAL:
        raise _refuse(
            f"{reviewer}所在的{officer.unit.name}不是法制机构，不能承担法制审核（{unit_rule}）"
        )
    if officer is not None and not officer.in_service(timezone.localdate()):
        raise _refuse(f"{reviewer}已离岗，不能承担法制审核（{unit_rule}）")
    reasons = recusal_reasons(case, reviewer)
    if reasons:
        raise _refuse(
            f"{reviewer}{'、'.join(reasons)}，应当回避，不得审核本案（{cite(profile, 'recusal')}）"
        )
    before = review.reviewer_id
    review.reviewer = reviewer
    review.assigned_by = actor
    review.assigned_at = timezone.now()
    review.status = LegalReview.Status.IN_REVIEW
    _save(review)
    ledger.record(
        "review.assign",
        actor=actor,
        obj=review,
        reviewer_id=reviewer.pk,
        previous_reviewer_id=before,
    )
    return review


@transaction.atomic
def declare_conflict(*, actor: User, case: Case, reason: str) -> ConflictDeclaration:
    """A reviewer stands aside from a case; a round assigned to them goes back to be
    reassigned (002 第四十九条)."""
    _deny(actor, case.agency, (Role.LEGAL_REVIEWER,), "申报法制审核回避")
    source = cite(_profile(case), "recusal")
    if not reason.strip():
        raise _refuse(f"申报回避应当说明理由（{source}）")
    if ConflictDeclaration.objects.filter(case=case, reviewer=actor).exists():
        raise _refuse(f"您已申报本案回避（{source}）")
    row = _save(ConflictDeclaration(case=case, reviewer=actor, reason=reason.strip()))
    released = list(
        LegalReview.objects.select_for_update()
        .filter(case=case, reviewer=actor, status=LegalReview.Status.IN_REVIEW)
        .values_list("pk", flat=True)
    )
    LegalReview.objects.filter(pk__in=released).update(
        reviewer=None, assigned_by=None, assigned_at=None, status=LegalReview.Status.SUBMITTED
    )
    ledger.record(
        "review.declare_conflict",
        actor=actor,
        obj=row,
        case_id=case.pk,
        reason=row.reason,
        released_reviews=released,
    )
    return row


# ------------------------------------------------------------------ checklist and inquiries


@transaction.atomic
def record_checklist_item(
    *, actor: User, review: LegalReview, item: str, finding: str, note: str = ""
) -> ChecklistItem:
    """The reviewer's finding on one checklist point (000 法制审核办法 第十六条; 001 河南法制
    审核办法 第九条), with a note; a point may be revised until the round is decided."""
    review = _lock(review)
    _require_reviewer(actor, review)
    _require_open(review)
    source = cite(_profile(review.case), "checklist")
    if item not in ChecklistItem.Item.values:
        raise _refuse(f"未知的审核内容“{item}”（{source}）")
    if finding not in ChecklistItem.Finding.values:
        raise _refuse(f"未知的审核结论“{finding}”（{source}）")
    label = ChecklistItem.Item(item).label
    if finding == ChecklistItem.Finding.NOT_APPLICABLE and item not in MAY_NOT_APPLY:
        raise _refuse(f"“{label}”是必审内容，应当作出符合或者存在问题的结论（{source}）")
    if finding == ChecklistItem.Finding.FAILS and not note.strip():
        raise _refuse(
            f"“{label}”存在问题的，应当写明具体问题（{cite(_profile(review.case), 'outcome')}）"
        )
    row, created = ChecklistItem.objects.update_or_create(
        review=review,
        item=item,
        defaults={"finding": finding, "note": note.strip(), "recorded_by": actor},
    )
    ledger.record(
        "review.record_checklist_item",
        actor=actor,
        obj=review,
        item=item,
        finding=finding,
        note=row.note,
        revised=not created,
    )
    return row


@transaction.atomic
def request_materials(
    *, actor: User, review: LegalReview, measure: str, request: str
) -> MaterialRequest:
    """Ask the handling unit for materials or explanations (001 河南法制审核办法 第十条)."""
    review = _lock(review)
    _require_reviewer(actor, review)
    _require_open(review)
    source = cite(_profile(review.case), "inquiry")
    if measure not in MaterialRequest.Measure.values:
        raise _refuse(f"未知的审核措施“{measure}”（{source}）")
    if not request.strip():
        raise _refuse(f"应当写明需要的材料或者说明的情况（{source}）")
    row = _save(
        MaterialRequest(
            review=review,
            measure=measure,
            request=request.strip(),
            requested_by=actor,
            requested_on=timezone.localdate(),
        )
    )
    ledger.record("review.request_materials", actor=actor, obj=row, request=ledger.snapshot(row))
    return row


@transaction.atomic
def answer_request(*, actor: User, request: MaterialRequest, answer: str) -> MaterialRequest:
    """The handling unit answers; it may not refuse (001 河南法制审核办法 第十条)."""
    request = (
        MaterialRequest.objects.select_for_update(of=("self",))
        .select_related("review__case")
        .get(pk=request.pk)
    )
    case = request.review.case
    _deny(actor, case.agency, HANDLING_ROLES, "答复法制审核")
    source = cite(_profile(case), "inquiry")
    if request.answered_on is not None:
        raise _refuse(f"该要求已于{request.answered_on:%Y年%m月%d日}答复（{source}）")
    if not answer.strip():
        raise _refuse(f"答复应当提供材料或者说明有关情况（{source}）")
    request.answer = answer.strip()
    request.answered_by = actor
    request.answered_on = timezone.localdate()
    _save(request)
    ledger.record("review.answer_request", actor=actor, obj=request, answer=request.answer)
    return request


# ------------------------------------------------------------------ outcome


@transaction.atomic
def decide_review(
    *, actor: User, review: LegalReview, passed: bool, reasons: str = ""
) -> LegalReview:
    """Pass, or fail with written reasons naming the failed points (000 法制审核办法
    第十七条). Every checklist point needs a finding first; a pass with a point that failed,
    or with a request for materials still unanswered, is refused."""
    review = _lock(review)
    _require_reviewer(actor, review)
    _require_open(review)
    case = review.case
    profile = _profile(case)
    outcome_rule = cite(profile, "outcome")
    items = {row.item: row for row in review.items.all()}
    missing = [str(label) for value, label in ChecklistItem.Item.choices if value not in items]
    if missing:
        raise _refuse(
            f"尚未对下列内容作出审核结论：{'、'.join(missing)}（{cite(profile, 'checklist')}）"
        )
    failed = [row for row in items.values() if row.finding == ChecklistItem.Finding.FAILS]
    if passed:
        if failed:
            names = "、".join(row.get_item_display() for row in failed)
            raise _refuse(f"审核内容“{names}”存在问题，不得提出审核通过的意见（{outcome_rule}）")
        pending = review.requests.filter(answered_on__isnull=True).count()
        if pending:
            raise _refuse(
                f"尚有{pending}项补充材料或说明未答复，不能审核完毕（{cite(profile, 'inquiry')}）"
            )
    else:
        if not failed:
            raise _refuse(f"不予审核通过的，应当指明存在问题的审核内容（{outcome_rule}）")
        if not reasons.strip():
            raise _refuse(f"不予审核通过的，应当提出具体书面审核意见并说明理由（{outcome_rule}）")
    today = timezone.localdate()
    review.status = LegalReview.Status.PASSED if passed else LegalReview.Status.FAILED
    review.decided_on = today
    review.reasons = reasons.strip()
    review.opinion_number = f"{case.agency.name[:2]}法审〔{today.year}〕{case.pk}-{review.round}号"
    _save(review)
    opinion = case_services.file_review_opinion(
        reviewer=actor, case=case, data=_opinion_data(review, failed)
    )
    refresh_next_due(case)  # the review period ends; the next step follows the gate
    ledger.record(
        "review.decide",
        actor=actor,
        obj=review,
        status=review.status,
        decided_on=today,
        reasons=review.reasons,
        failed_items=sorted(row.item for row in failed),
        opinion_number=review.opinion_number,
        overdue=review.due_on is not None and today > review.due_on,
        opinion_record=ledger.snapshot(opinion),
        opinion_signatures=[ledger.snapshot(x) for x in opinion.signatures.order_by("id")],
    )
    return review


def _opinion_data(review: LegalReview, failed: list[ChecklistItem]) -> dict[str, str]:
    """The matters of the case file's 法制审核意见 record (procedures/kinds.toml): who
    reviewed, the result, the reasons naming each failed point, the date."""
    assert review.reviewer is not None and review.decided_on is not None
    if review.status == LegalReview.Status.PASSED:
        reasons = review.reasons or "各项审核内容均符合规定，同意作出决定。"
    else:
        points = "；".join(f"{row.get_item_display()}：{row.note}" for row in failed)
        reasons = f"存在问题的审核内容：{points}。理由和建议：{review.reasons}"
    return {
        "reviewers": str(review.reviewer),
        "result": f"{review.get_status_display()}（第{review.round}轮，{review.opinion_number}）",
        "reasons": reasons,
        "date": f"{review.decided_on:%Y年%m月%d日}",
    }


# ------------------------------------------------------------------ extension


@transaction.atomic
def request_extension(
    *, actor: User, review: LegalReview, reason: str, requested_on: datetime.date | None = None
) -> ExtensionRequest:
    """The reviewer asks to extend a complex case's review (000 法制审核办法 第十九条); the
    period moves only when the agency head approves."""
    review = _lock(review)
    _require_reviewer(actor, review)
    _require_open(review)
    case = review.case
    periods = selectors.review_periods(_profile(case))
    source = periods.extension_source
    if periods.extension is None or review.due_on is None:
        raise _refuse(f"本辖区未规定法制审核期限的延长（{source}）")
    approved = review.extensions.filter(approved_on__isnull=False).count()
    if periods.max_extensions is not None and approved >= periods.max_extensions:
        raise _refuse(
            f"法制审核期限已延长{approved}次，不得再次延长（{source}：可以延长{periods.extension}）"
        )
    if review.extensions.filter(approved_on__isnull=True).exists():
        raise _refuse(f"已有待批准的延长申请（{source}）")
    if not reason.strip():
        raise _refuse(f"申请延长应当说明案件复杂的情况（{source}）")
    requested_on = requested_on or timezone.localdate()
    _check_day(requested_on, case, "申请日期")
    if requested_on > review.due_on:
        raise _refuse(f"审核期限已于{review.due_on:%Y年%m月%d日}届满，不能再申请延长（{source}）")
    row = _save(
        ExtensionRequest(
            review=review, reason=reason.strip(), requested_by=actor, requested_on=requested_on
        )
    )
    ledger.record("review.request_extension", actor=actor, obj=row, request=ledger.snapshot(row))
    return row


@transaction.atomic
def approve_extension(
    *, actor: User, extension: ExtensionRequest, approved_on: datetime.date | None = None
) -> ExtensionRequest:
    """The agency head approves: the review is due the profile's extension later."""
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    review = _lock(extension.review)
    case = review.case
    periods = selectors.review_periods(_profile(case))
    source = periods.extension_source
    if actor.agency_id != case.agency_id or not actor.has_role(Role.AGENCY_HEAD):
        raise _refuse(f"延长法制审核期限须经行政执法机关负责人批准（{source}）")
    _require_open(review)
    if extension.approved_on is not None:
        raise _refuse(f"该延长申请已于{extension.approved_on:%Y年%m月%d日}批准（{source}）")
    approved = review.extensions.filter(approved_on__isnull=False).count()
    if periods.max_extensions is not None and approved >= periods.max_extensions:
        raise _refuse(f"法制审核期限已延长{approved}次，不得再次延长（{source}）")
    approved_on = approved_on or timezone.localdate()
    _check_day(approved_on, case, "批准日期")
    if approved_on < extension.requested_on:
        raise _refuse("批准日期不能早于申请日期。")
    assert review.due_on is not None
    try:
        new_due = selectors.extended_due_on(review.due_on, _profile(case))
    except CalendarNotCovered as exc:
        raise _refuse(str(exc)) from None
    old_due = review.due_on
    extension.approved_by = actor
    extension.approved_on = approved_on
    extension.new_due_on = new_due
    _save(extension)
    review.due_on = new_due
    review.extended = True
    _save(review)
    refresh_next_due(case)  # the review is due the extension later
    ledger.record(
        "review.approve_extension",
        actor=actor,
        obj=extension,
        review_id=review.pk,
        old_due_on=old_due,
        new_due_on=new_due,
        approved_on=approved_on,
    )
    return extension


# ------------------------------------------------------------------ disputes


@transaction.atomic
def raise_dispute(*, actor: User, review: LegalReview, grounds: str) -> Dispute:
    """The handling unit disagrees with a failed round's opinion (000 法制审核办法 第十八条)."""
    review = _lock(review)
    case = review.case
    _deny(actor, case.agency, SUBMITTING_ROLES, "对法制审核意见提出异议")
    source = cite(_profile(case), "dispute")
    if review.status != LegalReview.Status.FAILED:
        raise _refuse(f"只能对不予审核通过的意见提出异议（{source}）")
    latest = _latest(case)
    if latest is not None and latest.pk != review.pk:
        raise _refuse(
            f"本案已重新报送第{latest.round}轮审核，不能再对第{review.round}轮意见提出异议（{source}）"
        )
    if review.disputes.exclude(
        status__in=[Dispute.Status.SETTLED, Dispute.Status.DECIDED]
    ).exists():
        raise _refuse(f"对本轮意见的异议尚在处理中（{source}）")
    if not grounds.strip():
        raise _refuse(f"提出异议应当说明理由（{source}）")
    row = _save(
        Dispute(
            review=review, grounds=grounds.strip(), raised_by=actor, raised_on=timezone.localdate()
        )
    )
    ledger.record("review.raise_dispute", actor=actor, obj=row, dispute=ledger.snapshot(row))
    return row


@transaction.atomic
def record_consultation(
    *, actor: User, dispute: Dispute, consultation: str, agreed: bool
) -> Dispute:
    """The units consulted: agreed, or not — then the dispute goes to the heads."""
    dispute = (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("review__case")
        .get(pk=dispute.pk)
    )
    case = dispute.review.case
    _deny(
        actor, case.agency, (Role.LEGAL_REVIEWER, Role.UNIT_HEAD, Role.AGENCY_HEAD), "记录协商沟通"
    )
    source = cite(_profile(case), "dispute")
    if dispute.status != Dispute.Status.OPEN:
        raise _refuse(f"该异议已{dispute.get_status_display()}（{source}）")
    if not consultation.strip():
        raise _refuse(f"应当记录协商沟通的情况（{source}）")
    dispute.consultation = consultation.strip()
    dispute.status = Dispute.Status.SETTLED if agreed else Dispute.Status.REFERRED
    _save(dispute)
    ledger.record(
        "review.record_consultation",
        actor=actor,
        obj=dispute,
        consultation=dispute.consultation,
        status=dispute.status,
    )
    return dispute


@transaction.atomic
def record_collective_discussion(
    *,
    actor: User,
    dispute: Dispute,
    held_on: datetime.date,
    place: str,
    participants: str,
    views: str,
    conclusion: str,
    conclusion_text: str,
) -> CollectiveDiscussion:
    """The heads' collective discussion of a dispute consultation did not settle
    (000 法制审核办法 第十八条), with participants, views and conclusion. Either way the
    decision still waits for a round that passes (see ``gate``)."""
    dispute = (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("review__case")
        .get(pk=dispute.pk)
    )
    case = dispute.review.case
    source = cite(_profile(case), "dispute")
    if actor.agency_id != case.agency_id or not actor.has_role(Role.AGENCY_HEAD):
        raise PermissionDenied("负责人集体讨论由本机关负责人记录。")
    if dispute.status != Dispute.Status.REFERRED:
        raise _refuse(
            f"承办机构与法制机构经协商沟通未达成一致意见的，方提请负责人集体讨论（{source}）"
        )
    _check_day(held_on, case, "讨论日期")
    missing = [
        label
        for label, value in (
            ("地点", place),
            ("参加人员", participants),
            ("讨论情况", views),
            ("决定内容", conclusion_text),
        )
        if not value.strip()
    ]
    if missing:
        raise _refuse(
            f"集体讨论记录缺少{'、'.join(missing)}（{source}；000 全过程记录办法 第十三条）"
        )
    if conclusion not in CollectiveDiscussion.Conclusion.values:
        raise _refuse(f"未知的讨论决定“{conclusion}”（{source}）")
    row = _save(
        CollectiveDiscussion(
            dispute=dispute,
            held_on=held_on,
            place=place.strip(),
            participants=participants.strip(),
            views=views.strip(),
            conclusion=conclusion,
            conclusion_text=conclusion_text.strip(),
            recorded_by=actor,
        )
    )
    dispute.status = Dispute.Status.DECIDED
    _save(dispute)
    refresh_next_due(case)  # the gate, and so the next step, may read the discussion
    ledger.record(
        "review.record_collective_discussion",
        actor=actor,
        obj=row,
        dispute_id=dispute.pk,
        discussion=ledger.snapshot(row),
    )
    return row


__all__ = [
    "answer_request",
    "approve_extension",
    "assign_reviewer",
    "decide_review",
    "declare_conflict",
    "publish_catalogue_rule",
    "raise_dispute",
    "record_checklist_item",
    "record_collective_discussion",
    "record_consultation",
    "recusal_reasons",
    "request_extension",
    "request_materials",
    "set_review_flag",
    "submit_for_review",
    "withdraw_catalogue_rule",
]
