"""Request and response schemas. Inputs validate at the boundary (lengths, dates, enums,
identifiers); outputs decide what a caller may see (ID numbers only to managers)."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import ConfigDict, ValidationInfo, field_validator

from sanxiang.org.models import Agency, Certificate, Entrustment, Officer, Unit
from sanxiang.org.selectors import reviewer_staffing

from .fields import IdNumber, Phone, Uscc
from .selectors import mask_id_number

# --- shared --------------------------------------------------------------------------------


class ErrorDetail(Schema):
    code: str = Field(..., description="机器可读的错误代码", examples=["validation_error"])
    message: str = Field(..., description="中文说明")
    fields: dict[str, list[str]] = Field(..., description="按字段列出的错误信息")


class ErrorOut(Schema):
    error: ErrorDetail


class InputSchema(Schema):
    """Strips surrounding whitespace and rejects fields the endpoint does not know."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")


def _today() -> datetime.date:
    return timezone.localdate()


class JurisdictionRef(Schema):
    code: str
    name: str
    level: str


class AgencyRef(Schema):
    id: int
    name: str


class UnitRef(Schema):
    id: int
    name: str
    kind: Unit.Kind


# --- agencies ------------------------------------------------------------------------------


class AgencyOut(Schema):
    id: int
    name: str
    uscc: str
    jurisdiction: JurisdictionRef
    legal_status: Agency.LegalStatus
    legal_status_label: str
    enforcement_fields: str
    address: str
    phone: str
    complaint_phone: str
    status: Agency.Status
    status_label: str
    abolished_on: datetime.date | None

    @staticmethod
    def resolve_legal_status_label(obj: Agency) -> str:
        return obj.get_legal_status_display()

    @staticmethod
    def resolve_status_label(obj: Agency) -> str:
        return obj.get_status_display()


class StaffingOut(Schema):
    """法制审核人员配置: reviewers against what the jurisdiction's rules require."""

    enforcement_staff: int = Field(..., description="持有效执法证的执法人员数")
    reviewers: int = Field(..., description="法制审核人员数")
    min_ratio: float | None = Field(..., description="不少于执法人员总数的比例；本辖区未规定时为空")
    min_count: int | None = Field(..., description="最低人数；本辖区未规定时为空")
    rule_fixed: bool = Field(..., description="本辖区规定是否设定了比例或最低人数")
    required: int = Field(..., description="应配备的法制审核人员最少人数")
    adequate: bool
    message: str
    source: str = Field(..., description="规则出处")


class AgencyDetailOut(AgencyOut):
    qualification_basis: str
    confirmed_by: str
    confirmed_on: datetime.date
    staffing: StaffingOut

    @staticmethod
    def resolve_staffing(obj: Agency) -> Any:
        return reviewer_staffing(obj, _today())


class AgencyIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=128)
    uscc: Uscc
    jurisdiction: str = Field(
        ..., pattern=r"^\d{6}$", description="所属辖区的行政区划代码", examples=["410105"]
    )
    legal_status: Agency.LegalStatus
    qualification_basis: str = Field(..., min_length=1, max_length=2000)
    confirmed_by: str = Field(..., min_length=1, max_length=128)
    confirmed_on: datetime.date
    enforcement_fields: str = Field("", max_length=255)
    address: str = Field("", max_length=255)
    phone: Phone = ""
    complaint_phone: Phone = ""


# --- units ---------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    agency: AgencyRef
    name: str
    kind: Unit.Kind
    kind_label: str
    is_active: bool

    @staticmethod
    def resolve_kind_label(obj: Unit) -> str:
        return obj.get_kind_display()


class UnitIn(InputSchema):
    agency: int = Field(..., description="执法主体 id")
    name: str = Field(..., min_length=1, max_length=128)
    kind: Unit.Kind


# --- officers and certificates -------------------------------------------------------------


class CertificateOut(Schema):
    id: int
    number: str
    category: str
    area: str
    issued_by: str
    issued_on: datetime.date
    expires_on: datetime.date
    status: Certificate.Status
    status_label: str
    status_changed_on: datetime.date | None
    status_reason: str
    valid_today: bool = Field(..., description="今天是否可以持证执法")
    validity_reason: str = Field(..., description="有效，或不能执法的原因")

    @staticmethod
    def resolve_status_label(obj: Certificate) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_valid_today(obj: Certificate) -> bool:
        return obj.validity_on(_today())[0]

    @staticmethod
    def resolve_validity_reason(obj: Certificate) -> str:
        return obj.validity_on(_today())[1]


def _can_manage(obj: Officer) -> bool:
    """Set on each officer by the endpoint (see endpoints.officers.mark_managed)."""
    return bool(getattr(obj, "viewer_can_manage", False))


class OfficerOut(Schema):
    id: int
    name: str
    gender: Officer.Gender
    gender_label: str
    agency: AgencyRef
    unit: UnitRef | None
    post: str
    joined_on: datetime.date | None
    left_on: datetime.date | None
    in_service: bool = Field(..., description="今天是否在岗")
    id_number: str | None = Field(
        ...,
        description="身份证号码：仅对可管理该执法主体的用户显示；列表中隐去中间位数",
        examples=["4101**********1234"],
    )

    @staticmethod
    def resolve_gender_label(obj: Officer) -> str:
        return obj.get_gender_display()

    @staticmethod
    def resolve_in_service(obj: Officer) -> bool:
        return obj.in_service(_today())

    @staticmethod
    def resolve_id_number(obj: Officer) -> str | None:
        return mask_id_number(obj.id_number) if _can_manage(obj) else None


class OfficerDetailOut(OfficerOut):
    id_number: str | None = Field(..., description="身份证号码：仅对可管理该执法主体的用户显示")
    phone: str | None = Field(..., description="联系电话：仅对可管理该执法主体的用户显示")
    left_reason: str
    can_manage: bool = Field(..., description="当前用户是否可以管理该执法人员的数据")
    certificates: list[CertificateOut]

    @staticmethod
    def resolve_id_number(obj: Officer) -> str | None:
        return obj.id_number if _can_manage(obj) else None

    @staticmethod
    def resolve_phone(obj: Officer) -> str | None:
        return obj.phone if _can_manage(obj) else None

    @staticmethod
    def resolve_can_manage(obj: Officer) -> bool:
        return _can_manage(obj)


class OfficerIn(InputSchema):
    agency: int = Field(..., description="执法主体 id")
    unit: int | None = Field(None, description="内设机构 id")
    name: str = Field(..., min_length=1, max_length=32)
    gender: Officer.Gender
    id_number: IdNumber
    post: str = Field(..., min_length=1, max_length=64)
    phone: Phone = ""
    joined_on: datetime.date | None = None


class CertificateIn(InputSchema):
    number: str = Field(..., min_length=4, max_length=32, examples=["豫A00000001"])
    category: str = Field(..., min_length=1, max_length=64)
    area: str = Field(..., min_length=1, max_length=128)
    issued_by: str = Field(..., min_length=1, max_length=128)
    issued_on: datetime.date
    expires_on: datetime.date

    @field_validator("expires_on")
    @classmethod
    def _after_issue(cls, value: datetime.date, info: ValidationInfo) -> datetime.date:
        issued_on = info.data.get("issued_on")
        if issued_on is not None and value <= issued_on:
            raise ValueError("执法证有效期截止日期必须晚于发证日期。")
        return value


class CertificateStatusIn(InputSchema):
    status: Certificate.Status = Field(
        ..., description="suspended 暂扣；revoked 注销/吊销；active 恢复（撤销暂扣）"
    )
    reason: str = Field(..., min_length=1, max_length=255, description="变更原因")
    on: datetime.date | None = Field(None, description="生效日期，默认今天")


# --- entrustments --------------------------------------------------------------------------


class EntrustmentOut(Schema):
    id: int
    agency: AgencyRef
    entrusted_body: str
    entrusted_body_uscc: str
    basis: str
    matters: str
    powers: str
    starts_on: datetime.date
    ends_on: datetime.date
    liability: str
    status: Entrustment.Status
    status_label: str
    terminated_on: datetime.date | None
    termination_reason: str
    in_force_today: bool

    @staticmethod
    def resolve_status_label(obj: Entrustment) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_in_force_today(obj: Entrustment) -> bool:
        return obj.is_in_force(_today())


class EntrustmentIn(InputSchema):
    agency: int = Field(..., description="委托机关（执法主体）id")
    entrusted_body: str = Field(..., min_length=1, max_length=128)
    entrusted_body_uscc: Uscc
    basis: str = Field(..., min_length=1, max_length=2000)
    matters: str = Field(..., min_length=1, max_length=4000)
    powers: str = Field(..., min_length=1, max_length=4000)
    starts_on: datetime.date
    ends_on: datetime.date
    liability: str = Field(..., min_length=1, max_length=4000)

    @field_validator("ends_on")
    @classmethod
    def _after_start(cls, value: datetime.date, info: ValidationInfo) -> datetime.date:
        starts_on = info.data.get("starts_on")
        if starts_on is not None and value < starts_on:
            raise ValueError("委托期限的终止日期不能早于起始日期（002 第十条：委托期限）。")
        return value


# --- the caller ----------------------------------------------------------------------------


class RoleOut(Schema):
    code: str
    label: str


class MyAgencyOut(Schema):
    id: int
    name: str
    jurisdiction: JurisdictionRef


class TokenInfoOut(Schema):
    name: str
    prefix: str
    expires_at: datetime.datetime | None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    is_superuser: bool
    agency: MyAgencyOut | None
    roles: list[RoleOut]
    auth_method: Literal["session", "token"]
    token: TokenInfoOut | None = Field(None, description="以接口令牌访问时，所用令牌的信息")


# --- public --------------------------------------------------------------------------------


class PublicCertificateOut(Schema):
    """What anyone may learn from a certificate number (000 公示办法 第十二条); never the
    holder's ID number or phone."""

    number: str
    checked_on: datetime.date = Field(..., description="核验日期")
    valid: bool = Field(..., description="核验日是否可以持证执法")
    reason: str = Field(..., description="有效，或不能执法的原因")
    name: str = Field(..., description="持证人姓名")
    agency: str = Field(..., description="所属执法主体")
    post: str
    category: str = Field(..., description="执法类别")
    area: str = Field(..., description="执法区域")
    issued_by: str
    issued_on: datetime.date
    expires_on: datetime.date
    status: Certificate.Status
    status_label: str
