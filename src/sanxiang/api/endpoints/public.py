"""Open to anyone, without logging in: what the public may check."""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Path, Router
from ninja.throttling import AnonRateThrottle

from sanxiang.org import selectors as org_selectors

from ..schemas import ErrorOut, PublicCertificateOut

router = Router(tags=["公开查询"], auth=None)


@router.get(
    "/public/certificates/{number}",
    response={200: PublicCertificateOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="执法证核验（公开）",
    description="输入执法证号，核验今日是否可以持证执法，并显示持证人姓名、所属执法主体、职务、"
    "执法类别和区域。不显示身份证号码和联系电话。",
    throttle=[AnonRateThrottle("60/m")],
)
def check_certificate(
    request: HttpRequest,
    number: str = Path(..., min_length=1, max_length=32, description="执法证号"),
) -> dict[str, Any]:
    certificate = org_selectors.certificate_by_number(number)
    if certificate is None:
        raise Http404(f"未查询到执法证号为“{number.strip()}”的执法证，请核对证号后重试。")
    today = timezone.localdate()
    valid, reason = certificate.validity_on(today)
    officer = certificate.officer
    return {
        "number": certificate.number,
        "checked_on": today,
        "valid": valid,
        "reason": reason,
        "name": officer.name,
        "agency": officer.agency.name,
        "post": officer.post,
        "category": certificate.category,
        "area": certificate.area,
        "issued_by": certificate.issued_by,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "status": certificate.status,
        "status_label": certificate.get_status_display(),
    }
