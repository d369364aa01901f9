"""委托执法."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sanxiang.org import selectors as org_selectors
from sanxiang.org import services as org_services
from sanxiang.org.models import Entrustment

from ..auth import current_user
from ..pagination import Pagination
from ..schemas import EntrustmentIn, EntrustmentOut
from .common import ERRORS, agency_to_act_on

router = Router(tags=["委托执法"])


class EntrustmentFilter(Schema):
    agency: int | None = Field(None, description="委托机关（执法主体）id")
    status: Entrustment.Status | None = Field(None, description="active 有效；terminated 已终止")


@router.get(
    "/entrustments",
    response={200: list[EntrustmentOut], **ERRORS},
    summary="委托执法列表",
)
@paginate(Pagination)
def list_entrustments(
    request: HttpRequest, filters: Query[EntrustmentFilter]
) -> QuerySet[Entrustment]:
    qs = Entrustment.objects.filter(
        agency__in=org_selectors.agencies_visible_to(current_user(request))
    ).select_related("agency")
    if filters.agency is not None:
        qs = qs.filter(agency_id=filters.agency)
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    return qs.order_by("pk")


@router.post(
    "/entrustments",
    response={201: EntrustmentOut, **ERRORS},
    summary="登记委托执法",
    description="同一机关对同一受委托组织的委托期限不得重叠（002 第十条）。",
)
def create_entrustment(request: HttpRequest, payload: EntrustmentIn) -> Status[Entrustment]:
    data = payload.model_dump()
    agency = agency_to_act_on(data.pop("agency"))
    entrustment = org_services.create_entrustment(
        actor=current_user(request), agency=agency, **data
    )
    return Status(201, entrustment)
