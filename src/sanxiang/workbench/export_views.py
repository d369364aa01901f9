"""数据报送: the agency's published licensing and penalty decisions in the 双公示 data items
(CSV or JSON download, each download a ledger entry), and the state of the push of every
record to the unified disclosure platform, with retry (000 公示办法 第十八条)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_POST

from sanxiang.disclosure.exports import (
    FORMATS,
    ExportFilter,
    ExportLeak,
    exportable,
    log_export,
    rows,
)
from sanxiang.disclosure.exports import (
    render as render_export,
)
from sanxiang.disclosure.models import PushRecord
from sanxiang.disclosure.push import RETRY_ROLES, retry_now
from sanxiang.org.models import User
from sanxiang.portal.pagination import paginate

PER_PAGE = 25
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


class ExportForm(forms.Form):
    action_type = forms.ChoiceField(
        label="类别", choices=[("penalty", "行政处罚"), ("licensing", "行政许可")]
    )
    fmt = forms.ChoiceField(label="格式", choices=[(f, f.upper()) for f in FORMATS])
    date_from = forms.DateField(
        label="决定日期起",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "日期格式应为 年-月-日。"},
    )
    date_to = forms.DateField(
        label="决定日期止",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "日期格式应为 年-月-日。"},
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and start > end:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if user.agency_id is None or not any(user.has_role(r) for r in RETRY_ROLES):
        raise PermissionDenied("只有公示审核人员或者机关负责人可以导出和报送公示数据。")
    return user


@login_required
@require_GET
def exports(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    user = _staff(request)
    form = ExportForm(request.GET if "action_type" in request.GET else None)
    if form.is_bound and form.is_valid():
        f = ExportFilter(
            action_type=form.cleaned_data["action_type"],
            agency=user.agency,
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
        )
        fmt = form.cleaned_data["fmt"]
        log_export(actor=user, f=f, fmt=fmt)
        parts = render_export(fmt, f.action_type, rows(exportable(f)))

        def stream() -> Iterator[bytes]:
            try:
                for part in parts:
                    yield part.encode("utf-8")
            except ExportLeak as exc:  # the file ends with the reason, nothing personal
                yield f"\n导出中止：{exc}\n".encode()

        response = StreamingHttpResponse(stream(), content_type=CONTENT_TYPES[fmt])
        name = f"{f.action_type}-{datetime.date.today():%Y%m%d}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    pushes = PushRecord.objects.filter(publication__agency=user.agency)
    counts = dict(pushes.values_list("status").annotate(n=Count("id")).order_by())
    failed = paginate(
        request,
        pushes.filter(status=PushRecord.Status.FAILED)
        .select_related("publication", "version")
        .order_by("next_attempt_at", "id"),
        per_page=PER_PAGE,
    )
    return render(
        request,
        "workbench/exports/index.html",
        {
            "form": form if form.is_bound else ExportForm(),
            "counts": [(label, counts.get(value, 0)) for value, label in PushRecord.Status.choices],
            "failed": failed,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def retry(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    ids = [int(x) for x in request.POST.getlist("record") if x.isdigit()]
    if not ids:
        messages.error(request, "请选择要重新推送的记录。")
        return redirect("workbench:exports")
    try:
        n = retry_now(actor=user, records=list(PushRecord.objects.filter(pk__in=ids)))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"已安排 {n} 条记录在下次推送时重新推送。")
    return redirect("workbench:exports")


urlpatterns: list[URLPattern] = [
    path("exports/", exports, name="exports"),
    path("exports/retry/", retry, name="exports_retry"),
]
