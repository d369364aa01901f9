"""Request and response schemas of the legal-review endpoints (重大执法决定法制审核).

Inputs validate at the boundary (lengths, enums, dates not in the future); the services
apply the review rules, each refusal naming its rule and article."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import field_validator

from sanxiang.review.models import (
    CollectiveDiscussion,
    Dispute,
    ExtensionRequest,
    LegalReview,
    MaterialRequest,
)

from .schemas import InputSchema

CriterionCode = Literal[
    "public_interest", "social_impact", "major_rights", "after_hearing", "complex", "other"
]
ItemCode = Literal[
    "subject",
    "procedure",
    "facts",
    "law",
    "authority",
    "documents",
    "crime",
    "other",
    "legal_risk",
]
FindingCode = Literal["conforms", "fails", "na"]
MeasureCode = Literal["materials", "explanation", "meeting"]


def _not_future(value: datetime.date | None) -> datetime.date | None:
    if value is not None and value > timezone.localdate():
        raise ValueError("日期不能晚于今天，不能预填日期（000 全过程记录办法 第九条）。")
    return value


class _Dated(InputSchema):
    @field_validator("received_on", "requested_on", "approved_on", "held_on", check_fields=False)
    @classmethod
    def _dates(cls, value: datetime.date | None) -> datetime.date | None:
        return _not_future(value)


# --- inputs -------------------------------------------------------------------------------


class SubmissionIn(_Dated):
    report: int = Field(..., description="调查（审查）终结报告的文书记录 id")
    evidence: list[int] = Field(..., description="证据 id（调查取证相关材料）")
    decision_record: int | None = Field(None, description="拟作出的决定书（草稿）的文书记录 id")
    proposed_decision: str = Field("", max_length=2000, description="拟作出的行政执法决定")
    proposed_basis: str = Field("", max_length=2000, description="拟决定的法律依据")
    proposed_amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    appraised: bool = Field(False, description="经过鉴定、评估的（须附鉴定、评估报告）")
    appraisals: list[int] = Field(
        default_factory=list, description="鉴定意见、检测报告的文书记录 id"
    )
    notes: str = Field("", max_length=2000)
    received_on: datetime.date | None = Field(None, description="法制机构收到日期（默认今天）")


class AssignmentIn(InputSchema):
    reviewer: int = Field(..., description="法制审核人员的用户 id")


class ChecklistItemIn(InputSchema):
    item: ItemCode
    finding: FindingCode
    note: str = Field("", max_length=2000)


class OutcomeIn(InputSchema):
    passed: bool
    reasons: str = Field("", max_length=4000, description="不予通过的，书面理由（必填）")


class MaterialRequestIn(InputSchema):
    measure: MeasureCode
    request: str = Field(..., max_length=2000)


class AnswerIn(InputSchema):
    answer: str = Field(..., max_length=4000)


class ExtensionIn(_Dated):
    reason: str = Field(..., max_length=2000, description="案件复杂的情况")
    requested_on: datetime.date | None = None


class ApprovalIn(_Dated):
    approved_on: datetime.date | None = None


class DisputeIn(InputSchema):
    grounds: str = Field(..., max_length=4000)


class ConsultationIn(InputSchema):
    consultation: str = Field(..., max_length=4000)
    agreed: bool


class DiscussionIn(_Dated):
    held_on: datetime.date
    place: str = Field(..., max_length=128)
    participants: str = Field(..., max_length=2000)
    views: str = Field(..., max_length=8000)
    conclusion: Literal["resubmit", "re_review"]
    conclusion_text: str = Field(..., max_length=4000)


class FlagIn(InputSchema):
    criterion: CriterionCode
    reason: str = Field(..., max_length=2000)


class ConflictIn(InputSchema):
    reason: str = Field(..., max_length=2000)


class CatalogueRuleIn(InputSchema):
    title: str = Field(..., min_length=1, max_length=255)
    action_type: str = Field(..., max_length=16)
    source: str = Field(..., max_length=255, description="依据，如“000 法制审核办法 第九条”")
    matter: int | None = None
    level: str = Field("", max_length=64)
    amount_kind: Literal["", "fine", "seized_value", "payment"] = ""
    amount_at_least: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2)
    party_kind: Literal["", "natural_person", "legal_person", "other_organisation"] = ""
    after_hearing: bool = False
    licence_revocation: bool = False
    guidance: str = Field("", max_length=255)


# --- outputs ------------------------------------------------------------------------------


class ReasonOut(Schema):
    text: str
    source: str = Field(..., description="规则出处（条款）")


class GateOut(Schema):
    required: bool = Field(..., description="是否属于应当法制审核的范围")
    passed: bool | None = Field(..., description="最近一轮审核是否通过；null：尚未审核完毕")
    matches_decision: bool = Field(..., description="现行决定与审核通过的内容是否一致")
    submitted_on: datetime.date | None
    decided_on: datetime.date | None
    extended: bool
    violations: list[str] = Field(..., description="作出决定前尚须满足的要求（含条款）")


class ChecklistItemOut(Schema):
    item: str
    item_label: str
    finding: str
    finding_label: str
    note: str


class MaterialRequestOut(Schema):
    id: int
    measure: str
    request: str
    requested_on: datetime.date
    answer: str
    answered_on: datetime.date | None


class ExtensionOut(Schema):
    id: int
    reason: str
    requested_on: datetime.date
    approved_on: datetime.date | None
    new_due_on: datetime.date | None


class DiscussionOut(Schema):
    held_on: datetime.date
    place: str
    participants: str
    views: str
    conclusion: str
    conclusion_text: str


class DisputeOut(Schema):
    id: int
    grounds: str
    raised_on: datetime.date
    status: str
    consultation: str
    discussion: DiscussionOut | None

    @staticmethod
    def resolve_discussion(obj: Dispute) -> CollectiveDiscussion | None:
        return getattr(obj, "discussion", None)


class ReviewOut(Schema):
    id: int
    case_id: int = Field(..., description="案件 id")
    round: int = Field(..., description="送审轮次")
    status: str
    status_label: str
    requirement: str = Field(..., description="须审核的依据（送审时）")
    proposed_decision: str
    proposed_amount: Decimal | None
    proposed_basis: str
    decision_record_id: int | None
    report_id: int
    evidence: list[int]
    appraisals: list[int]
    received_on: datetime.date
    due_on: datetime.date | None
    extended: bool
    reviewer_id: int | None
    reviewer_name: str
    decided_on: datetime.date | None
    reasons: str
    opinion_number: str

    @staticmethod
    def resolve_status_label(obj: LegalReview) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_evidence(obj: LegalReview) -> list[int]:
        return sorted(e.pk for e in obj.evidence.all())

    @staticmethod
    def resolve_appraisals(obj: LegalReview) -> list[int]:
        return sorted(r.pk for r in obj.appraisals.all())

    @staticmethod
    def resolve_reviewer_name(obj: LegalReview) -> str:
        return str(obj.reviewer) if obj.reviewer is not None else ""


class ReviewDetailOut(ReviewOut):
    items: list[ChecklistItemOut]
    requests: list[MaterialRequestOut]
    extensions: list[ExtensionOut]
    disputes: list[DisputeOut]

    @staticmethod
    def resolve_items(obj: LegalReview) -> list[dict[str, Any]]:
        return [
            {
                "item": i.item,
                "item_label": i.get_item_display(),
                "finding": i.finding,
                "finding_label": i.get_finding_display(),
                "note": i.note,
            }
            for i in obj.items.all()
        ]

    @staticmethod
    def resolve_requests(obj: LegalReview) -> list[MaterialRequest]:
        return list(obj.requests.all())

    @staticmethod
    def resolve_extensions(obj: LegalReview) -> list[ExtensionRequest]:
        return list(obj.extensions.all())

    @staticmethod
    def resolve_disputes(obj: LegalReview) -> list[Dispute]:
        return list(obj.disputes.select_related("discussion"))


class CaseReviewOut(Schema):
    case: int
    requirement: list[ReasonOut]
    gate: GateOut
    rounds: list[ReviewOut]


class CatalogueRuleOut(Schema):
    id: int
    title: str
    action_type: str
    conditions: str
    source: str
    published_on: datetime.date
    withdrawn_on: datetime.date | None


class FlagOut(Schema):
    id: int
    criterion: str
    criterion_label: str
    reason: str


class OkOut(Schema):
    id: int
    message: str
