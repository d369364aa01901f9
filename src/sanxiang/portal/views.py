"""The public portal (行政执法公示平台): no login, public fields only."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sanxiang.disclosure.search import latest_decisions
from sanxiang.portal import selectors
from sanxiang.portal.forms import CertificateLookupForm
from sanxiang.portal.pagination import paginate

OFFICERS_PER_PAGE = 20
AGENCIES_PER_PAGE = 20


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "portal/home.html",
        {
            "figures": selectors.portal_figures(today),
            "today": today,
            "lookup_form": CertificateLookupForm(),
            "latest_decisions": latest_decisions(8),
        },
    )


@require_GET
def agency_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    code = request.GET.get("jurisdiction", "").strip()
    jurisdiction = selectors.jurisdiction_by_code(code)
    agencies = selectors.search_public_agencies(jurisdiction=jurisdiction, query=query)
    page = paginate(request, agencies, per_page=AGENCIES_PER_PAGE)
    return render(
        request,
        "portal/agency_list.html",
        {
            "page": page,
            "query": query,
            "jurisdiction": jurisdiction,
            "jurisdiction_code": jurisdiction.code if jurisdiction else "",
            "jurisdictions": selectors.jurisdiction_options(),
        },
    )


@require_GET
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = selectors.public_agency(pk)
    if agency is None:
        raise Http404("未查询到该执法主体。")
    today = timezone.localdate()
    officers = paginate(
        request, selectors.search_public_officers(today, agency=agency), per_page=OFFICERS_PER_PAGE
    )
    return render(
        request,
        "portal/agency_detail.html",
        {
            "agency": agency,
            "units": selectors.public_units(agency),
            "entrustments": selectors.entrustments_in_force(agency, today),
            "page": officers,
            "today": today,
        },
    )


@require_GET
def review_catalogue(request: HttpRequest, pk: int) -> HttpResponse:
    """重大执法决定法制审核目录清单: the agency's rules in force, with their thresholds."""
    agency = selectors.public_agency(pk)
    if agency is None:
        raise Http404("未查询到该执法主体。")
    today = timezone.localdate()
    return render(
        request,
        "portal/review_catalogue.html",
        {"agency": agency, "catalogue": selectors.published_catalogue(agency, today)},
    )


@require_GET
def officer_list(request: HttpRequest) -> HttpResponse:
    """执法人员清单, with a certificate look-up form (`?cert=`) that leads to the check page."""
    lookup_form = CertificateLookupForm(request.GET if "cert" in request.GET else None)
    if lookup_form.is_bound and lookup_form.is_valid():
        return redirect("portal:certificate", number=lookup_form.cleaned_data["cert"])
    today = timezone.localdate()
    query = request.GET.get("q", "").strip()
    page = paginate(
        request, selectors.search_public_officers(today, query=query), per_page=OFFICERS_PER_PAGE
    )
    return render(
        request,
        "portal/officer_list.html",
        {"page": page, "query": query, "today": today, "lookup_form": lookup_form},
    )


@never_cache
@require_GET
def certificate(request: HttpRequest, number: str) -> HttpResponse:
    """What a citizen reaches from the QR code on an officer's card: valid today or not."""
    today = timezone.localdate()
    check = selectors.check_certificate(number, today)
    if check is None:
        return render(
            request,
            "portal/certificate_not_found.html",
            {"number": number, "lookup_form": CertificateLookupForm(initial={"cert": number})},
            status=404,
        )
    return render(
        request,
        "portal/certificate.html",
        {"check": check, "certificate": check.certificate, "officer": check.certificate.officer},
    )
