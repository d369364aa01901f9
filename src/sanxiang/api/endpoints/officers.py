"""执法人员 and their 执法证."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sanxiang.org import selectors as org_selectors
from sanxiang.org import services as org_services
from sanxiang.org.models import Certificate, Officer, User

from .. import selectors
from ..auth import current_user
from ..pagination import Pagination
from ..schemas import (
    CertificateIn,
    CertificateOut,
    CertificateStatusIn,
    OfficerDetailOut,
    OfficerIn,
    OfficerOut,
)
from .common import ERRORS, agency_to_act_on

router = Router(tags=["执法人员与执法证"])


def mark_managed(request: HttpRequest, officers: list[Officer]) -> None:
    """Tell the output schema which officers' personal data the caller may see (one query)."""
    managed = selectors.managed_agency_ids(current_user(request), {o.agency_id for o in officers})
    for officer in officers:
        officer.viewer_can_manage = officer.agency_id in managed  # type: ignore[attr-defined]


def _visible_officer(user: User, pk: int) -> Officer:
    officer = (
        org_selectors.officers_visible_to(user)
        .select_related("agency__jurisdiction")
        .prefetch_related("certificates")
        .filter(pk=pk)
        .first()
    )
    if officer is None:
        raise Http404(f"未找到 id 为 {pk} 的执法人员，或您无权查看。")
    return officer


def _detail(user: User, officer: Officer) -> Officer:
    officer.viewer_can_manage = org_selectors.can_manage_agency(user, officer.agency)  # type: ignore[attr-defined]
    return officer


class OfficerFilter(Schema):
    agency: int | None = Field(None, description="执法主体 id")
    q: str | None = Field(None, max_length=64, description="姓名关键字，或完整的执法证号")


@router.get(
    "/officers",
    response={200: list[OfficerOut], **ERRORS},
    summary="执法人员列表",
    description="身份证号码仅对可管理该执法主体的用户显示，且隐去中间位数。",
)
@paginate(Pagination, prepare=mark_managed)
def list_officers(request: HttpRequest, filters: Query[OfficerFilter]) -> QuerySet[Officer]:
    qs = org_selectors.officers_visible_to(current_user(request))
    q = filters.q.strip() if filters.q else None
    return selectors.filter_officers(qs, agency_id=filters.agency, q=q).order_by("pk")


@router.get(
    "/officers/{officer_id}",
    response={200: OfficerDetailOut, **ERRORS},
    summary="执法人员详情（含执法证及其今日有效性）",
    description="完整身份证号码和联系电话仅对可管理该执法主体的用户显示。",
)
def get_officer(request: HttpRequest, officer_id: int) -> Officer:
    user = current_user(request)
    return _detail(user, _visible_officer(user, officer_id))


@router.post(
    "/officers",
    response={201: OfficerDetailOut, **ERRORS},
    summary="登记执法人员",
)
def create_officer(request: HttpRequest, payload: OfficerIn) -> Status[Officer]:
    user = current_user(request)
    data = payload.model_dump()
    agency = agency_to_act_on(data.pop("agency"))
    unit_id = data.pop("unit")
    unit = None
    if unit_id is not None:
        unit = org_selectors.units_visible_to(user).filter(pk=unit_id).first()
        if unit is None:
            raise ValidationError({"unit": f"未找到 id 为 {unit_id} 的内设机构，或您无权使用。"})
    officer = org_services.register_officer(actor=user, agency=agency, unit=unit, **data)
    return Status(201, _detail(user, _visible_officer(user, officer.pk)))


@router.post(
    "/officers/{officer_id}/certificates",
    response={201: CertificateOut, **ERRORS},
    summary="登记执法证",
)
def create_certificate(
    request: HttpRequest, officer_id: int, payload: CertificateIn
) -> Status[Certificate]:
    user = current_user(request)
    officer = _visible_officer(user, officer_id)
    certificate = org_services.issue_certificate(
        actor=user, officer=officer, **payload.model_dump()
    )
    return Status(201, certificate)


@router.post(
    "/certificates/{certificate_id}/status",
    response={200: CertificateOut, **ERRORS},
    summary="暂扣、注销/吊销或恢复执法证",
    description="须写明原因；注销/吊销后不能再变更。",
)
def change_certificate_status(
    request: HttpRequest, certificate_id: int, payload: CertificateStatusIn
) -> Any:
    user = current_user(request)
    certificate = (
        Certificate.objects.select_related("officer__agency")
        .filter(officer__agency__in=org_selectors.agencies_visible_to(user), pk=certificate_id)
        .first()
    )
    if certificate is None:
        raise Http404(f"未找到 id 为 {certificate_id} 的执法证，或您无权查看。")
    return org_services.change_certificate_status(
        actor=user,
        certificate=certificate,
        status=payload.status,
        on=payload.on or timezone.localdate(),
        reason=payload.reason,
    )
