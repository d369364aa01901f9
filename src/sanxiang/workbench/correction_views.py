"""Staff pages for what the public asks: the agency's correction requests and their written
answer (002 第二十一条), and the progress code handed to an applicant at the window
(000 公示办法 第十五条)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanxiang.cases.selectors import cases_visible_to
from sanxiang.disclosure import public_selectors
from sanxiang.disclosure.models import CorrectionEvidence, CorrectionRequest
from sanxiang.disclosure.public_requests import (
    ANSWERING_ROLES,
    answer_correction_request,
    issue_progress_code,
    log_evidence_download,
)
from sanxiang.org.models import User
from sanxiang.portal.pagination import paginate
from sanxiang.records.filestore import get_store
from sanxiang.workbench.auth import staff_user

PER_PAGE = 25


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label="答复结果",
        choices=CorrectionRequest.Outcome.choices,
        error_messages={"required": "请选择答复结果。"},
    )
    reply_text = forms.CharField(
        label="书面答复内容",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请填写书面答复的内容（002 第二十一条）。"},
    )


def _answerer(request: HttpRequest) -> User:
    user = staff_user(request)
    if user.agency_id is None or not any(user.has_role(r) for r in ANSWERING_ROLES):
        raise PermissionDenied("只有公示审核人员或者机关负责人可以办理更正申请。")
    return user


def _request_of(user: User, pk: int) -> CorrectionRequest:
    found = (
        CorrectionRequest.objects.filter(agency=user.agency, pk=pk)
        .select_related("agency", "replied_by")
        .first()
    )
    if found is None:
        raise Http404("未找到该更正申请，或您无权查看。")
    return found


@login_required
@require_GET
def correction_list(request: HttpRequest) -> HttpResponse:
    user = _answerer(request)
    answered = request.GET.get("tab") == "answered"
    assert user.agency is not None
    page = paginate(
        request,
        public_selectors.correction_queue(user.agency, answered=answered),
        per_page=PER_PAGE,
    )
    return render(
        request,
        "workbench/corrections/list.html",
        {
            "page": page,
            "answered": answered,
            "open_count": public_selectors.open_correction_count(user.agency),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def correction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _answerer(request)
    found = _request_of(user, pk)
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                answer_correction_request(
                    actor=user,
                    request=found,
                    outcome=form.cleaned_data["outcome"],
                    reply_text=form.cleaned_data["reply_text"],
                )
                return redirect("workbench:correction", pk=found.pk)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
        status = 400
    return render(
        request,
        "workbench/corrections/detail.html",
        {
            "correction": found,
            "evidence": found.evidence.select_related("stored_file"),
            "form": form,
        },
        status=status,
    )


@login_required
@require_GET
def correction_evidence(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    user = _answerer(request)
    found = _request_of(user, pk)
    evidence = (
        CorrectionEvidence.objects.filter(request=found, pk=evidence_pk)
        .select_related("stored_file", "request")
        .first()
    )
    if evidence is None:
        raise Http404("未找到该证明材料。")
    log_evidence_download(actor=user, evidence=evidence)
    stored = evidence.stored_file
    return FileResponse(
        get_store().open(stored.sha256),
        as_attachment=True,
        filename=evidence.filename,
        content_type=stored.media_type,
    )


@login_required
@require_GET
def correction_reply(request: HttpRequest, pk: int) -> HttpResponse:
    user = _answerer(request)
    found = _request_of(user, pk)
    if found.status != CorrectionRequest.Status.ANSWERED:
        raise Http404("该更正申请尚未答复。")
    response = HttpResponse(public_selectors.reply_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{found.number}.pdf"'
    return response


@login_required
@require_POST
def progress_code(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue (or reissue) the applicant's query code and show the receipt once."""
    user = staff_user(request)
    case = cases_visible_to(user).select_related("agency", "matter").filter(pk=pk).first()
    if case is None:
        raise Http404("未找到该案件，或您无权查看。")
    try:
        code = issue_progress_code(actor=user, case=case)
    except (ValidationError, PermissionDenied) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        return render(
            request,
            "workbench/corrections/progress_refused.html",
            {"case": case, "message": message},
            status=400 if isinstance(exc, ValidationError) else 403,
        )
    return render(
        request,
        "workbench/corrections/progress_receipt.html",
        {
            "case": case,
            "code": code,
            "portal_url": request.build_absolute_uri("/progress/"),
        },
    )


urlpatterns: list[URLPattern] = [
    path("corrections/", correction_list, name="corrections"),
    path("corrections/<int:pk>/", correction_detail, name="correction"),
    path(
        "corrections/<int:pk>/evidence/<int:evidence_pk>/",
        correction_evidence,
        name="correction_evidence",
    ),
    path("corrections/<int:pk>/reply.pdf", correction_reply, name="correction_reply"),
    path("cases/<int:pk>/progress-code/", progress_code, name="case_progress_code"),
]
