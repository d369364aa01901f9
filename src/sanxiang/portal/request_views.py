"""What the public asks through the portal and follows by number and code: 办理进度查询
(000 公示办法 第十五条) and 更正申请 (002 第二十一条).

Codes travel only in POST bodies (never in URLs or logs). Wrong codes are counted per
address, so a code cannot be guessed; the answer never says which of number and code was
wrong.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from sanxiang.disclosure import public_selectors
from sanxiang.disclosure.models import CorrectionRequest
from sanxiang.disclosure.public_requests import CorrectionInput, submit_correction_request
from sanxiang.portal import selectors, throttle
from sanxiang.portal.request_forms import (
    CorrectionRequestForm,
    CorrectionTrackForm,
    ProgressQueryForm,
)

LOOKUP_LIMIT = 20  # wrong number/code pairs per address per hour
SUBMIT_LIMIT = 10  # correction requests per address per hour
WINDOW = 3600
TRACKED_SESSION_KEY = "tracked_corrections"
NOT_FOUND = "编号或者查询码不正确，请核对凭证后重新输入。"
THROTTLED = "查询过于频繁，请一小时后再试。"


def _throttled(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    return render(request, template, {**context, "throttled": THROTTLED}, status=429)


@never_cache
@require_http_methods(["GET", "POST"])
def progress_query(request: HttpRequest) -> HttpResponse:
    """办理进度查询: the applicant enters the case number and the code on the receipt."""
    template = "portal/requests/progress.html"
    if request.method != "POST":
        return render(request, template, {"form": ProgressQueryForm()})
    form = ProgressQueryForm(request.POST)
    if throttle.exceeded(request, "progress", limit=LOOKUP_LIMIT, window=WINDOW):
        return _throttled(request, template, {"form": form})
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    found = public_selectors.progress(form.cleaned_data["number"], form.cleaned_data["code"])
    if found is None:
        throttle.count(request, "progress", window=WINDOW)
        form.add_error(None, NOT_FOUND)
        return render(request, template, {"form": form}, status=404)
    return render(request, template, {"form": ProgressQueryForm(), "progress": found})


@never_cache
@require_http_methods(["GET", "POST"])
def correction_new(request: HttpRequest, pk: int) -> HttpResponse:
    """更正申请: who shows that published information about them is inaccurate."""
    agency = selectors.public_agency(pk)
    if agency is None:
        raise Http404("未查询到该执法主体。")
    template = "portal/requests/correction_new.html"
    if request.method != "POST":
        initial = {"information": request.GET.get("information", "")[:500]}
        return render(
            request, template, {"agency": agency, "form": CorrectionRequestForm(initial=initial)}
        )
    form = CorrectionRequestForm(request.POST, request.FILES)
    context = {"agency": agency, "form": form}
    if throttle.exceeded(request, "correction", limit=SUBMIT_LIMIT, window=WINDOW):
        return _throttled(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=400)
    data = form.cleaned_data
    try:
        created, code = submit_correction_request(
            data=CorrectionInput(
                agency=agency,
                information=data["information"],
                inaccuracy=data["inaccuracy"],
                requested_correction=data["requested_correction"],
                requester_kind=data["requester_kind"],
                requester_name=data["requester_name"],
                contact_phone=data["contact_phone"],
                contact_email=data["contact_email"],
                contact_address=data["contact_address"],
            ),
            files=data["evidence"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return render(request, template, context, status=400)
    throttle.count(request, "correction", window=WINDOW)
    return render(
        request,
        "portal/requests/correction_receipt.html",
        {"agency": agency, "correction": created, "code": code},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def correction_track(request: HttpRequest) -> HttpResponse:
    """The requester follows the request (and downloads the written answer)."""
    template = "portal/requests/correction_track.html"
    if request.method != "POST":
        return render(request, template, {"form": CorrectionTrackForm()})
    form = CorrectionTrackForm(request.POST)
    if throttle.exceeded(request, "correction-track", limit=LOOKUP_LIMIT, window=WINDOW):
        return _throttled(request, template, {"form": form})
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    found = public_selectors.correction_request(
        form.cleaned_data["number"], form.cleaned_data["code"]
    )
    if found is None:
        throttle.count(request, "correction-track", window=WINDOW)
        form.add_error(None, NOT_FOUND)
        return render(request, template, {"form": form}, status=404)
    tracked = set(request.session.get(TRACKED_SESSION_KEY, []))
    tracked.add(found.pk)
    request.session[TRACKED_SESSION_KEY] = sorted(tracked)[-20:]
    return render(request, template, {"form": CorrectionTrackForm(), "correction": found})


@never_cache
@require_GET
def correction_reply_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """The 答复书, for a request this browser session has opened with its code."""
    found = CorrectionRequest.objects.filter(number=number).select_related("agency").first()
    if found is None or found.pk not in request.session.get(TRACKED_SESSION_KEY, []):
        raise Http404("请先输入申请编号和查询码查询该更正申请。")
    if found.status != CorrectionRequest.Status.ANSWERED:
        raise Http404("该更正申请尚未答复。")
    response = HttpResponse(public_selectors.reply_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{found.number}.pdf"'
    return response


urlpatterns: list[URLPattern] = [
    path("progress/", progress_query, name="progress"),
    path("corrections/", correction_track, name="correction_track"),
    path("corrections/<str:number>/reply.pdf", correction_reply_pdf, name="correction_reply"),
    path("agencies/<int:pk>/corrections/new/", correction_new, name="correction_new"),
]
