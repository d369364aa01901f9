"""执法主体 and their 内设机构."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sanxiang.org import selectors as org_selectors
from sanxiang.org import services as org_services
from sanxiang.org.models import Agency, Jurisdiction, Unit

from .. import selectors
from ..auth import current_user
from ..pagination import Pagination
from ..schemas import AgencyDetailOut, AgencyIn, AgencyOut, UnitIn, UnitOut
from .common import ERRORS, agency_to_act_on, visible_agency

router = Router(tags=["执法主体"])


class AgencyFilter(Schema):
    jurisdiction: str | None = Field(
        None, pattern=r"^\d{6}$", description="行政区划代码：该辖区及其下级辖区的执法主体"
    )
    q: str | None = Field(None, max_length=64, description="名称关键字，或完整的统一社会信用代码")


@router.get(
    "/agencies",
    response={200: list[AgencyOut], **ERRORS},
    summary="执法主体列表",
    description="当前用户可见的执法主体：本主体；执法监督人员可见本辖区及下级辖区的全部主体。",
)
@paginate(Pagination)
def list_agencies(request: HttpRequest, filters: Query[AgencyFilter]) -> QuerySet[Agency]:
    qs = org_selectors.agencies_visible_to(current_user(request))
    q = filters.q.strip() if filters.q else None
    return selectors.filter_agencies(qs, jurisdiction_code=filters.jurisdiction, q=q).order_by("pk")


@router.get(
    "/agencies/{agency_id}",
    response={200: AgencyDetailOut, **ERRORS},
    summary="执法主体详情（含法制审核人员配置情况）",
)
def get_agency(request: HttpRequest, agency_id: int) -> Agency:
    return visible_agency(current_user(request), agency_id)


@router.post(
    "/agencies",
    response={201: AgencyDetailOut, **ERRORS},
    summary="登记执法主体",
    description="执法主体资格由本级人民政府确认，由辖区执法监督机构（司法行政部门）登记："
    "仅执法监督人员（本辖区及下级辖区）和平台管理员可以登记。",
)
def create_agency(request: HttpRequest, payload: AgencyIn) -> Status[Agency]:
    data = payload.model_dump()
    code = data.pop("jurisdiction")
    jurisdiction = Jurisdiction.objects.filter(code=code).first()
    if jurisdiction is None:
        raise ValidationError({"jurisdiction": f"未找到行政区划代码为 {code} 的辖区。"})
    agency = org_services.register_agency(
        actor=current_user(request), jurisdiction=jurisdiction, **data
    )
    return Status(201, agency)


@router.get(
    "/agencies/{agency_id}/units",
    response={200: list[UnitOut], **ERRORS},
    summary="执法主体的内设机构",
)
@paginate(Pagination)
def list_units(request: HttpRequest, agency_id: int) -> QuerySet[Unit]:
    agency = visible_agency(current_user(request), agency_id)
    return Unit.objects.filter(agency=agency).select_related("agency").order_by("pk")


@router.post(
    "/units",
    response={201: UnitOut, **ERRORS},
    summary="新增内设机构",
    description="由该执法主体的机关负责人或辖区执法监督人员办理。",
)
def create_unit(request: HttpRequest, payload: UnitIn) -> Status[Any]:
    agency = agency_to_act_on(payload.agency)
    unit = org_services.create_unit(
        actor=current_user(request), agency=agency, name=payload.name, kind=payload.kind
    )
    return Status(201, unit)
