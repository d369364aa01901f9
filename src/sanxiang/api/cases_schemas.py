"""Request and response schemas of the case endpoints (执法案件与全过程记录).

Inputs validate at the boundary (lengths, dates not in the future, enums, amounts); the
services then apply the procedure rules (each refusal naming its rule and article)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import ValidationInfo, field_validator

from sanxiang.cases.models import Case, CaseSource, Evidence, Party
from sanxiang.core.validators import mask_identifier
from sanxiang.procedures import registry
from sanxiang.procedures.model import ACTION_TYPES, SIGNATURE_ROLES

from .schemas import AgencyRef, InputSchema, UnitRef

SHA256_PATTERN = r"^[0-9a-fA-F]{64}$"


def _not_future_date(value: datetime.date | None, what: str) -> datetime.date | None:
    if value is not None and value > timezone.localdate():
        raise ValueError(f"{what}不能晚于今天，不能预填日期（000 全过程记录办法 第九条）。")
    return value


def _not_future_moment(value: datetime.datetime | None, what: str) -> datetime.datetime | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now():
        raise ValueError(f"{what}不能晚于当前时间（000 全过程记录办法 第九条）。")
    return value


# --- references ----------------------------------------------------------------------------


class MatterRef(Schema):
    id: int
    code: str
    name: str


class ViolationOut(Schema):
    code: str = Field(..., description="规则代码")
    message: str = Field(..., description="中文说明，末尾括注规则出处")
    source: str = Field(..., description="规则出处（条款）")
    severity: str = Field(..., description="error 阻止办理；warning 仅提示")


# --- cases ---------------------------------------------------------------------------------


class CaseOut(Schema):
    id: int
    number: str = Field(..., description="案件编号")
    title: str = Field(..., description="案由")
    agency: AgencyRef
    unit: UnitRef
    action_type: str
    action_type_label: str
    procedure: str
    procedure_name: str
    matter: MatterRef | None
    stage: str = Field(..., description="当前环节")
    stage_name: str
    version: int = Field(..., description="版本：执行流转时作为 expected_version 提交")
    status: Case.Status
    status_label: str
    opened_on: datetime.date
    closed_on: datetime.date | None

    @staticmethod
    def resolve_action_type_label(obj: Case) -> str:
        return ACTION_TYPES.get(obj.action_type, obj.action_type)

    @staticmethod
    def resolve_procedure_name(obj: Case) -> str:
        procedure = registry().procedures.get(obj.procedure)
        return procedure.name if procedure else obj.procedure

    @staticmethod
    def resolve_stage_name(obj: Case) -> str:
        procedure = registry().procedures.get(obj.procedure)
        return procedure.stage_name(obj.stage) if procedure else obj.stage

    @staticmethod
    def resolve_status_label(obj: Case) -> str:
        return obj.get_status_display()


class PartyOut(Schema):
    id: int
    kind: Party.Kind
    kind_label: str
    name: str
    id_number: str = Field(..., description="身份证号码（隐去中间位数）")
    uscc: str
    representative: str
    address: str
    phone: str = Field(..., description="联系电话（隐去中间位数）")

    @staticmethod
    def resolve_kind_label(obj: Party) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_id_number(obj: Party) -> str:
        return mask_identifier(obj.id_number, 4, 4) if obj.id_number else ""

    @staticmethod
    def resolve_phone(obj: Party) -> str:
        return mask_identifier(obj.phone, 3, 2) if obj.phone else ""


class SourceOut(Schema):
    kind: CaseSource.Kind
    kind_label: str
    received_on: datetime.date
    provider_name: str
    provider_contact: str
    summary: str
    notify_required: bool = Field(..., description="须告知案源提供人处理结果（002 第三十条）")
    notified_on: datetime.date | None

    @staticmethod
    def resolve_kind_label(obj: CaseSource) -> str:
        return obj.get_kind_display()


class CaseOfficerOut(Schema):
    id: int
    officer_id: int
    name: str
    stage: str
    role: str
    certificate_number: str = Field(..., description="指派时的执法证号")
    assigned_at: datetime.datetime

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.officer.name)


class TransitionCheckOut(Schema):
    code: str
    label: str
    to_stage: str
    to_stage_name: str
    allowed: bool = Field(..., description="当前用户现在能否执行")
    violations: list[ViolationOut] = Field(..., description="不能执行的原因（规则及条款）")


class NextOut(Schema):
    transitions: list[TransitionCheckOut]
    open_requirements: list[ViolationOut] = Field(..., description="本环节尚缺的记录和签名")


class CaseDetailOut(CaseOut):
    collective_discussion_required: bool = Field(
        ...,
        description="须经机关负责人集体讨论决定（《中华人民共和国行政处罚法》第五十七条第二款）",
    )
    collective_discussion_reason: str
    source: SourceOut | None
    parties: list[PartyOut]
    officers: list[CaseOfficerOut]
    next: NextOut = Field(..., description="下一步：可执行的流转及本环节待办事项")


class PartyIn(InputSchema):
    kind: Party.Kind
    name: str = Field(..., min_length=1, max_length=128)
    id_number: str = Field("", max_length=18, description="自然人必填")
    uscc: str = Field("", max_length=18, description="法人必填")
    representative: str = Field("", max_length=32, description="法人必填")
    representative_id_number: str = Field("", max_length=18)
    address: str = Field("", max_length=255)
    phone: str = Field("", max_length=32)
    bank_account: str = Field("", max_length=64)
    property_certificates: str = Field("", max_length=2000)


class SourceIn(InputSchema):
    kind: CaseSource.Kind
    received_on: datetime.date
    summary: str = Field(..., min_length=1, max_length=4000)
    provider_name: str = Field("", max_length=128)
    provider_contact: str = Field("", max_length=128)
    notify_required: bool = False

    @field_validator("received_on")
    @classmethod
    def _received(cls, value: datetime.date) -> datetime.date | None:
        return _not_future_date(value, "案件来源接收日期")


class CaseIn(InputSchema):
    agency: int = Field(..., description="执法主体 id")
    unit: int = Field(..., description="承办机构 id")
    action_type: str = Field(..., description="执法行为类别：" + "、".join(ACTION_TYPES))
    title: str = Field(..., min_length=1, max_length=255, description="案由")
    source: SourceIn
    parties: list[PartyIn] = Field(default_factory=list, max_length=50)
    officers: list[int] = Field(
        default_factory=list, max_length=20, description="执法人员 id，第一位为主办"
    )
    matter: int | None = Field(None, description="权责清单事项 id（行政检查可不填）")
    simple: bool = Field(False, description="适用简易程序（仅行政处罚）")
    opened_on: datetime.date | None = Field(None, description="启动日期，默认今天")

    @field_validator("action_type")
    @classmethod
    def _action_type(cls, value: str) -> str:
        if value not in ACTION_TYPES:
            raise ValueError(f"取值无效，可选值为：{'、'.join(ACTION_TYPES)}。")
        return value

    @field_validator("opened_on")
    @classmethod
    def _opened(cls, value: datetime.date | None) -> datetime.date | None:
        return _not_future_date(value, "案件启动日期")


class CaseFilter(Schema):
    status: Case.Status | None = None
    action_type: str | None = Field(None, max_length=16)
    stage: str | None = Field(None, max_length=32)


class TransitionIn(InputSchema):
    transition: str = Field(..., min_length=1, max_length=32, examples=["to_notice"])
    expected_version: int = Field(..., ge=0, description="读取案件时的版本（乐观锁）")


class CollectiveDiscussionIn(InputSchema):
    reason: str = Field(
        ..., min_length=1, max_length=2000, description="案件情节复杂或者重大违法的理由"
    )


class AssignOfficerIn(InputSchema):
    officer: int = Field(..., description="执法人员 id")
    stage: str | None = Field(None, max_length=32, description="环节，默认当前环节")
    role: str = Field("协办", min_length=1, max_length=16)


# --- records and signatures ----------------------------------------------------------------


class SignatureIn(InputSchema):
    role: str = Field(..., description="签名角色：" + "、".join(SIGNATURE_ROLES))
    signer_name: str = Field(..., min_length=1, max_length=64)
    officer: int | None = Field(None, description="签名的执法人员 id（执法人员签名时）")
    refused: bool = Field(False, description="拒绝签名（仅当事人、见证人）")
    refusal_note: str = Field("", max_length=2000, description="拒签情况说明")
    signed_at: datetime.datetime | None = Field(None, description="签名时间，默认当前时间")

    @field_validator("role")
    @classmethod
    def _role(cls, value: str) -> str:
        if value not in SIGNATURE_ROLES:
            raise ValueError(f"取值无效，可选值为：{'、'.join(SIGNATURE_ROLES)}。")
        return value

    @field_validator("signed_at")
    @classmethod
    def _signed_at(cls, value: datetime.datetime | None) -> datetime.datetime | None:
        return _not_future_moment(value, "签名时间")

    @field_validator("refusal_note")
    @classmethod
    def _note(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("refused") and not value:
            raise ValueError("记录拒绝签名的，应当写明拒签情况（004 第十三条）。")
        return value


class RecordIn(InputSchema):
    kind: str = Field(..., min_length=1, max_length=48, description="文书种类代码")
    made_on: datetime.date = Field(..., description="制作日期")
    data: dict[str, Any] = Field(default_factory=dict, description="文书内容（按文书种类的事项）")
    hearing_requested: bool | None = None
    statement_waived: bool | None = None
    served_on: datetime.date | None = None
    service_method: str | None = Field(None, max_length=24)
    served_document: int | None = Field(None, description="所送达的文书记录 id")
    amount: Decimal | None = Field(
        None, ge=0, max_digits=14, decimal_places=2, description="罚没金额（元）"
    )
    violations_found: bool | None = None
    signatures: list[SignatureIn] = Field(default_factory=list, max_length=20)

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str | None) -> str | None:
        if value is not None and value not in registry().kinds:
            raise ValueError(f"未登记的文书种类“{value}”（000 全过程记录办法 第十条）。")
        return value

    @field_validator("made_on")
    @classmethod
    def _made_on(cls, value: datetime.date) -> datetime.date | None:
        return _not_future_date(value, "制作日期")

    @field_validator("served_on")
    @classmethod
    def _served_on(cls, value: datetime.date | None) -> datetime.date | None:
        return _not_future_date(value, "送达日期")

    @field_validator("service_method")
    @classmethod
    def _service_method(cls, value: str | None) -> str | None:
        methods = registry().service_methods
        if value and value not in methods:
            raise ValueError(f"取值无效，可选值为：{'、'.join(methods)}（002 第三十九条）。")
        return value or None


class CorrectionIn(RecordIn):
    kind: str | None = Field(  # type: ignore[assignment]
        None, min_length=1, max_length=48, description="文书种类，默认与原记录相同"
    )
    reason: str = Field(..., min_length=1, max_length=255, description="更正理由")


class SignatureOut(Schema):
    id: int
    role: str
    role_label: str
    signer_name: str
    officer_id: int | None
    signed_at: datetime.datetime
    refused: bool
    refusal_note: str

    @staticmethod
    def resolve_role_label(obj: Any) -> str:
        return SIGNATURE_ROLES.get(obj.role, obj.role)


class RecordOut(Schema):
    id: int
    kind: str
    kind_name: str
    stage: str
    made_on: datetime.date
    made_by: str
    made_at: datetime.datetime
    data: dict[str, Any]
    supersedes_id: int | None = Field(..., description="本记录更正的原记录 id")
    superseded_by_id: int | None = Field(..., description="更正本记录的新记录 id")
    superseded: bool
    correction_reason: str
    hearing_requested: bool | None
    statement_waived: bool | None
    served_on: datetime.date | None
    service_method: str
    served_document_id: int | None
    amount: Decimal | None
    violations_found: bool | None
    signatures: list[SignatureOut]

    @staticmethod
    def resolve_kind_name(obj: Any) -> str:
        return registry().kind_name(obj.kind)

    @staticmethod
    def resolve_made_by(obj: Any) -> str:
        user = obj.made_by
        return str(getattr(user, "full_name", "") or user.username)

    @staticmethod
    def resolve_superseded_by_id(obj: Any) -> int | None:
        newer = getattr(obj, "superseded_by", None)
        return newer.pk if newer is not None else None

    @staticmethod
    def resolve_superseded(obj: Any) -> bool:
        return getattr(obj, "superseded_by", None) is not None

    @staticmethod
    def resolve_signatures(obj: Any) -> list[Any]:
        return list(obj.signatures.all())


# --- evidence and AV -----------------------------------------------------------------------


class EvidenceIn(InputSchema):
    kind: Evidence.Kind
    description: str = Field(..., min_length=1, max_length=4000)
    collector: int = Field(..., description="收集人（执法人员 id）")
    collected_at: datetime.datetime
    place: str = Field(..., min_length=1, max_length=255)
    stage: str | None = Field(None, max_length=32, description="环节，默认当前环节")
    file_sha256: str | None = Field(
        None, pattern=SHA256_PATTERN, description="已通过 /api/uploads 上传入库的文件的 SHA-256"
    )

    @field_validator("collected_at")
    @classmethod
    def _collected(cls, value: datetime.datetime) -> datetime.datetime | None:
        return _not_future_moment(value, "收集时间")


class EvidenceOut(Schema):
    id: int
    kind: Evidence.Kind
    kind_label: str
    stage: str
    description: str
    collector_id: int
    collected_at: datetime.datetime
    place: str
    file_sha256: str | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_kind_label(obj: Evidence) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_file_sha256(obj: Evidence) -> str | None:
        return obj.stored_file.sha256 if obj.stored_file_id else None  # type: ignore[union-attr]


class InterruptionIn(InputSchema):
    at: datetime.datetime
    reason: str = Field(..., min_length=1, max_length=255)
    resumed_at: datetime.datetime | None = None
    spoken_explanation: bool = False


class AVRecordingIn(InputSchema):
    device: str = Field(..., min_length=1, max_length=128)
    officer: int = Field(..., description="记录人（执法人员 id）")
    started_at: datetime.datetime
    ended_at: datetime.datetime
    place: str = Field(..., min_length=1, max_length=255)
    spoken_statement: bool = Field(..., description="已语音说明（000 全过程记录办法 第二十二条）")
    full_process: bool = False
    returned_at: datetime.datetime | None = None
    stored_at: datetime.datetime | None = None
    file_sha256: str | None = Field(
        None, pattern=SHA256_PATTERN, description="已通过 /api/uploads 上传入库的文件的 SHA-256"
    )
    evidence: int | None = Field(None, description="作为证据时，证据 id")
    stage: str | None = Field(None, max_length=32)
    interruptions: list[InterruptionIn] = Field(default_factory=list, max_length=50)

    @field_validator("started_at", "stored_at")
    @classmethod
    def _past(cls, value: datetime.datetime | None) -> datetime.datetime | None:
        return _not_future_moment(value, "时间")

    @field_validator("ended_at")
    @classmethod
    def _after_start(
        cls, value: datetime.datetime, info: ValidationInfo
    ) -> datetime.datetime | None:
        value = _not_future_moment(value, "结束时间")  # type: ignore[assignment]
        started = info.data.get("started_at")
        if started is not None and value < started:
            raise ValueError("结束时间不能早于开始时间。")
        return value


class InterruptionOut(Schema):
    at: datetime.datetime
    resumed_at: datetime.datetime | None
    reason: str
    spoken_explanation: bool


class AVRecordingOut(Schema):
    id: int
    stage: str
    device: str
    officer_id: int
    started_at: datetime.datetime
    ended_at: datetime.datetime
    place: str
    spoken_statement: bool
    full_process: bool
    returned_at: datetime.datetime | None
    stored_at: datetime.datetime | None
    file_sha256: str | None
    evidence_id: int | None
    storage_warning: str = Field(..., description="储存时限提示（000 全过程记录办法 第二十六条）")
    interruptions: list[InterruptionOut]

    @staticmethod
    def resolve_file_sha256(obj: Any) -> str | None:
        return obj.stored_file.sha256 if obj.stored_file_id else None

    @staticmethod
    def resolve_interruptions(obj: Any) -> list[Any]:
        return list(obj.interruptions.all())


# --- the trail -----------------------------------------------------------------------------


class StageTransitionOut(Schema):
    transition: str
    from_stage: str
    to_stage: str
    fired_by: str
    fired_at: datetime.datetime
    fired_on: datetime.date
    version: int


class TrailItemOut(Schema):
    type: Literal["transition", "record", "evidence", "av"]
    on: datetime.date = Field(..., description="日期（排序依据）")
    at: datetime.datetime = Field(..., description="时间（同日内的排序依据）")
    stage: str
    transition: StageTransitionOut | None = None
    record: RecordOut | None = None
    evidence: EvidenceOut | None = None
    av: AVRecordingOut | None = None


class TrailOut(Schema):
    case_id: int
    number: str
    stage: str
    version: int
    status: Case.Status
    items: list[TrailItemOut]
