"""Printable cards for staff: the 执法人员公示卡 with a QR code to the public check page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from sanxiang.core.rules import get_profile
from sanxiang.documents.officer_card import build_officer_card_pdf
from sanxiang.org.models import User
from sanxiang.org.selectors import officers_visible_to, valid_certificates


@login_required
@require_GET
def officer_card(request: HttpRequest, officer_id: int) -> HttpResponse:
    """The officer's card as a PDF download; only for a visible officer with a valid certificate."""
    user = request.user
    assert isinstance(user, User)
    officer = officers_visible_to(user).filter(pk=officer_id).first()
    if officer is None:
        raise Http404("未找到该执法人员。")
    today = timezone.localdate()
    certificate = (
        valid_certificates(today).filter(officer=officer).order_by("-expires_on", "-pk").first()
    )
    if certificate is None:
        raise Http404("该执法人员没有今日有效的执法证，不能打印公示卡。")
    url = request.build_absolute_uri(reverse("portal:certificate", args=[certificate.number]))
    profile = get_profile(officer.agency.rule_profile_code)
    basis = profile.public_citation(profile.rule("disclosure.officer_information").source)
    pdf = build_officer_card_pdf(
        name=officer.name,
        agency=officer.agency.name,
        post=officer.post,
        certificate_number=certificate.number,
        category=certificate.category,
        area=certificate.area,
        valid_until=certificate.expires_on,
        url=url,
        basis=basis,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    # the number may hold a Chinese character (豫A...): RFC 6266 filename* with UTF-8
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"执法人员公示卡-{certificate.number}.pdf"
    )
    return response
