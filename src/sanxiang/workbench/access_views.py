"""Confidentiality marks and look-up/copy requests (调阅、复制) in the staff workbench: marking
an item on the case page, opening a marked item (logged, or refused with the article and a
link to apply), the request form, the list (my requests, the head's pending approvals, the
custodian's queue), a request's page with its ledger steps, and the head's approve / refuse
/ revoke forms. Views stay thin: ``sanxiang.access.services`` applies the rules and writes
the ledger; ``sanxiang.access.selectors.can_read`` decides who reads what."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanxiang.access import copies, services
from sanxiang.access import selectors as access_selectors
from sanxiang.access.models import AccessRequest, TargetKind
from sanxiang.access.selectors import Decision, Item
from sanxiang.cases import selectors as case_selectors
from sanxiang.cases.models import AVRecording, Evidence, Record
from sanxiang.org.models import Role, User
from sanxiang.portal.pagination import paginate
from sanxiang.procedures import get_procedure
from sanxiang.records.filestore import get_store
from sanxiang.records.models import LedgerEntry, StoredFile
from sanxiang.workbench.auth import staff_user

from .access_forms import ApproveForm, LiftForm, MarkForm, RefuseForm, RequestForm, RevokeForm
from .case_selectors import record_view

PER_PAGE = 25
_MODEL_LABELS = {
    TargetKind.RECORD: Record._meta.label_lower,
    TargetKind.EVIDENCE: Evidence._meta.label_lower,
    TargetKind.AV: AVRecording._meta.label_lower,
}


def _item(user: User, kind: str, pk: int) -> Item:
    if kind not in TargetKind.values:
        raise Http404("未知的材料类型。")
    item = access_selectors.visible_item(user, kind, pk)
    if item is None:
        raise Http404("未找到该材料，或您无权查看该案件。")
    return item


def _show_refusal(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error.messages)
    else:
        form.add_error(None, exc.messages)


def denied(request: HttpRequest, decision: Decision, item: Item) -> HttpResponse:
    """The refusal page (403): the mark, the article, and the way to apply."""
    return render(
        request,
        "workbench/access/denied.html",
        {
            "decision": decision,
            "case": item.case,
            "label": access_selectors.item_label(decision.kind, decision.pk),
            "apply_url": reverse("workbench:access_request_new", args=[item.case_id])
            + f"?item={decision.kind}:{decision.pk}",
        },
        status=403,
    )


def watermarked_copy(decision: Decision, stored: StoredFile) -> FileResponse | None:
    """A file handed out under a grant: images carry the watermark; PDFs too; others (video,
    audio) go out unchanged (their download is logged all the same). None: serve as is."""
    text = decision.watermark(timezone.now())
    if not text:
        return None
    media = stored.media_type.lower()
    name = f"{stored.sha256[:12]}-copy"
    if copies.is_image(media):
        try:
            with get_store().open(stored.sha256) as stream:
                data = copies.watermark_image(stream, stored.size, media, text)
        except copies.CannotWatermark as exc:
            raise PermissionDenied(str(exc)) from exc
        return FileResponse(io.BytesIO(data), as_attachment=True, filename=name, content_type=media)
    if media == "application/pdf":
        limit = access_selectors.watermark_max_bytes()
        if stored.size > limit:
            raise PermissionDenied(
                f"PDF 文件超过{limit // (1024 * 1024)} MB，无法加注申请人水印，不能提供复制件。"
            )
        with get_store().open(stored.sha256) as stream:
            data = copies.watermark_pdf(stream.read(), text)
        return FileResponse(io.BytesIO(data), as_attachment=True, filename=name, content_type=media)
    return None


# ------------------------------------------------------------------ opening and marking


@login_required
@require_GET
def item_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """One record, evidence item or AV recording: its content, if the user may read it."""
    user = staff_user(request)
    item = _item(user, kind, pk)
    decision = services.open_item(actor=user, item=item, how="view")
    if not decision.allowed:
        return denied(request, decision, item)
    context: dict[str, Any] = {
        "item": item,
        "kind": kind,
        "case": item.case,
        "decision": decision,
        "label": access_selectors.item_label(kind, pk),
        "history": list(access_selectors.mark_history(kind, pk)[:100]),
        "watermark": decision.watermark(timezone.now()),
    }
    if isinstance(item, Record):
        context["rv"] = record_view(get_procedure(item.case.procedure), item)
    return render(request, "workbench/access/item.html", context)


@login_required
@require_POST
def mark_item(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user = staff_user(request)
    item = _item(user, kind, pk)
    ref = access_selectors.item_ref(kind, pk)
    case_url = reverse("workbench:case", args=[item.case_id]) + f"#{ref}"
    lifting = request.POST.get("action") == "lift"
    form: Form = LiftForm(request.POST) if lifting else MarkForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            if lifting:
                services.lift_mark(actor=user, item=item, reason=d["reason"])
                messages.success(
                    request, f"已解除{access_selectors.item_label(kind, pk)}的保密标识。"
                )
            else:
                mark = services.set_mark(
                    actor=user, item=item, level=d["level"], reason=d["reason"]
                )
                messages.success(
                    request,
                    f"已将{access_selectors.item_label(kind, pk)}标注为“{mark.get_level_display()}”。",
                )
            return redirect(case_url)
        except ValidationError as exc:
            _show_refusal(form, exc)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect(case_url)


# ------------------------------------------------------------------ requests


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    case = case_selectors.visible_case(user, pk)
    if case is None:
        raise Http404("未找到该案件，或您无权查看。")
    if user.agency_id != case.agency_id:
        raise PermissionDenied("只能申请调阅、复制本执法主体的执法记录。")
    marks = access_selectors.case_marks(case)
    choices = []
    for kind, item_pk, label in access_selectors.case_items(case):
        mark = marks.get((kind, item_pk))
        if mark is not None:
            label += f" 🔒{mark.get_level_display()}"
        choices.append((f"{kind}:{item_pk}", label))
    custodian = user.has_role(Role.RECORDS_CUSTODIAN)
    initial = {"items": [request.GET["item"]]} if request.GET.get("item") else {}
    form = RequestForm(request.POST or None, choices=choices, custodian=custodian, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            created = services.file_request(
                actor=user,
                case=case,
                items=form.item_keys(),
                purpose=d["purpose"],
                reason=d["reason"],
                days=d["days"],
                requester_name=d.get("requester_name") or "",
            )
        except ValidationError as exc:
            _show_refusal(form, exc)
        else:
            messages.success(
                request,
                f"已提交{created.get_purpose_display()}申请 {created.number}，待机关负责人审批。",
            )
            return redirect("workbench:access_request", created.pk)
    return render(
        request,
        "workbench/access/request_form.html",
        {"case": case, "form": form, "rule": access_selectors.approval_rule_source(case)},
        status=422 if form.is_bound and form.errors else 200,
    )


TABS = {"mine": "我的申请", "pending": "待我审批", "queue": "本机关申请登记"}


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    tabs = {"mine": access_selectors.my_requests(user)}
    if user.has_role(Role.AGENCY_HEAD):
        tabs["pending"] = access_selectors.pending_for_head(user)
    if user.has_role(Role.RECORDS_CUSTODIAN):
        tabs["queue"] = access_selectors.custodian_queue(user)
    tab = request.GET.get("tab") or ("pending" if "pending" in tabs else "mine")
    if tab not in tabs:
        tab = "mine"
    page = paginate(request, tabs[tab], per_page=PER_PAGE)
    return render(
        request,
        "workbench/access/list.html",
        {
            "tab": tab,
            "tabs": [(code, TABS[code], qs.count()) for code, qs in tabs.items()],
            "page": page,
            "rows": page.object_list,
            "now": timezone.now(),
        },
    )


def _visible_request(user: User, pk: int) -> AccessRequest:
    found = (
        access_selectors.requests_visible_to(user)
        .select_related("case__agency", "revoked_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("未找到该申请，或您无权查看。")
    return found


def _steps(access_request: AccessRequest) -> list[LedgerEntry]:
    """The ledger entries of the request, and the requester's reads and refused reads of its
    items (the refusal that led to the request included): the latest 300, oldest first
    (index object_type, object_id, seq)."""
    items = access_selectors.request_items(access_request)
    reads = Q()
    for kind, label in _MODEL_LABELS.items():
        ids = [str(i.target_id) for i in items if i.target_kind == kind]
        if ids:
            reads |= Q(object_type=label, object_id__in=ids)
    own = Q(object_type=AccessRequest._meta.label_lower, object_id=str(access_request.pk))
    item_reads = reads & Q(actor_id=access_request.requester_id, action__startswith="access.")
    query = own | item_reads if reads else own
    latest = list(LedgerEntry.objects.filter(query).order_by("-seq")[:300])
    return latest[::-1]


def _render_request(
    request: HttpRequest,
    access_request: AccessRequest,
    bound: dict[str, Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = staff_user(request)
    bound = bound or {}
    case = access_request.case
    head = access_selectors.is_agency_head(user, case)
    items = access_selectors.request_items(access_request)
    marks = access_selectors.case_marks(case)
    rows = []
    for i in items:
        mark = marks.get((i.target_kind, i.target_id))
        rows.append(
            {
                "kind": i.target_kind,
                "pk": i.target_id,
                "label": access_selectors.item_label(i.target_kind, i.target_id),
                "mark": mark.get_level_display() if mark is not None else "",
            }
        )
    pending = access_request.status == AccessRequest.Status.PENDING
    context = {
        "r": access_request,
        "case": case,
        "rows": rows,
        "steps": [(e, _step_label(e)) for e in _steps(access_request)],
        "in_force": access_selectors.in_force(access_request),
        "mine": access_request.requester_id == user.pk,
        "may_decide": head and pending and access_request.requester_id != user.pk,
        "may_revoke": head and access_selectors.in_force(access_request),
        "approve_form": bound.get("approve")
        or ApproveForm(initial={"days": access_request.requested_days}),
        "refuse_form": bound.get("refuse") or RefuseForm(),
        "revoke_form": bound.get("revoke") or RevokeForm(),
        "rule": access_selectors.approval_rule_source(case),
    }
    return render(request, "workbench/access/request.html", context, status=status)


STEP_LABELS = {
    "access.request": "提交申请",
    "access.approve": "批准",
    "access.refuse": "不予批准",
    "access.revoke": "撤销许可",
    "access.view": "查阅",
    "access.download": "下载",
    "access.denied": "拒绝访问",
}


def _step_label(entry: LedgerEntry) -> str:
    return STEP_LABELS.get(entry.action, entry.action)


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_request(request, _visible_request(staff_user(request), pk))


def _decide(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    user = staff_user(request)
    access_request = _visible_request(user, pk)
    form: Form
    if which == "approve":
        form = ApproveForm(request.POST)
    elif which == "refuse":
        form = RefuseForm(request.POST)
    else:
        form = RevokeForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            if which == "approve":
                done = services.approve_request(
                    actor=user, request=access_request, days=d["days"], note=d["note"]
                )
                until = timezone.localtime(done.valid_until).strftime("%Y-%m-%d %H:%M")
                messages.success(request, f"已批准申请 {done.number}，有效至 {until}。")
            elif which == "refuse":
                done = services.refuse_request(actor=user, request=access_request, note=d["note"])
                messages.success(request, f"已不予批准申请 {done.number}。")
            else:
                done = services.revoke_grant(actor=user, request=access_request, reason=d["reason"])
                messages.success(request, f"已撤销申请 {done.number} 的许可。")
            return redirect("workbench:access_request", access_request.pk)
        except ValidationError as exc:
            _show_refusal(form, exc)
    access_request.refresh_from_db()
    return _render_request(request, access_request, {which: form}, status=422)


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "approve")


@login_required
@require_POST
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "refuse")


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "revoke")


urlpatterns: list[URLPattern] = [
    path("access/", request_list, name="access"),
    path("access/items/<slug:kind>/<int:pk>/", item_detail, name="access_item"),
    path("access/items/<slug:kind>/<int:pk>/mark/", mark_item, name="access_mark"),
    path("access/cases/<int:pk>/request/", request_new, name="access_request_new"),
    path("access/requests/<int:pk>/", request_detail, name="access_request"),
    path("access/requests/<int:pk>/approve/", approve, name="access_approve"),
    path("access/requests/<int:pk>/refuse/", refuse, name="access_refuse"),
    path("access/requests/<int:pk>/revoke/", revoke, name="access_revoke"),
]
