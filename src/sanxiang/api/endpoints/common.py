"""Look-ups shared by the endpoints: scoped by what the caller may see."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404

from sanxiang.org import selectors as org_selectors
from sanxiang.org.models import Agency, User

from ..schemas import ErrorOut

# Declared on every authenticated operation, so that the OpenAPI document shows the error shape.
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def visible_agency(user: User, pk: int) -> Agency:
    agency = org_selectors.agencies_visible_to(user).filter(pk=pk).first()
    if agency is None:
        raise Http404(f"未找到 id 为 {pk} 的执法主体，或您无权查看。")
    return agency


def agency_to_act_on(pk: int, field: str = "agency") -> Agency:
    """The agency a write names. Its existence is public (the portal lists agencies); whether
    the caller may act on it is the service's decision (403 with the reason)."""
    agency = Agency.objects.select_related("jurisdiction").filter(pk=pk).first()
    if agency is None:
        raise ValidationError({field: f"未找到 id 为 {pk} 的执法主体。"})
    return agency
