"""The publisher's pages (执法决定公示, /staff/publications/): the queue of publications due
and overdue; one publication with its confidentiality review — the redacted text with every
detection highlighted, the original beside it (publishers only), adding a redaction,
reinstating a detection, approving (000 公示办法 第五条) and publishing; recording a
revocation, withdrawing, correcting (000 公示办法 第二十一条); the versions and the ledger.
Views stay thin: forms check the input, ``sanxiang.disclosure.services`` applies the rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanxiang.core.workdays import CalendarNotCovered
from sanxiang.disclosure import deadlines, selectors, services
from sanxiang.disclosure.models import ConfidentialityReview, Publication
from sanxiang.org.models import Role, User
from sanxiang.workbench.auth import staff_user

from .publication_forms import (
    AddRedactionForm,
    ApproveForm,
    CorrectionForm,
    ReinstateForm,
    RevocationForm,
)

PER_PAGE = 25

TABS = (
    ("open", "待办"),
    ("overdue", "已逾期"),
    ("soon", "即将到期"),
    ("published", "已公开"),
    ("withdrawn", "已撤下"),
)


def _publication(user: User, pk: int) -> Publication:
    publication = selectors.publication_for(user, pk)
    if publication is None:
        raise Http404("未找到该公示，或您无权查看。")
    return publication


def _is_publisher(user: User, publication: Publication) -> bool:
    return user.agency_id == publication.agency_id and user.has_role(Role.PUBLISHER)


def _attempt(form: Form | None, request: HttpRequest, action: Callable[[], Any]) -> Any:
    """Run a service call; None (and the refusal on the form, or as a message) if refused."""
    try:
        return action()
    except ValidationError as exc:
        text = "；".join(exc.messages)
        if form is not None:
            form.add_error(None, exc.messages)
        else:
            messages.error(request, text)
    except CalendarNotCovered as exc:
        if form is not None:
            form.add_error(None, str(exc))
        else:
            messages.error(request, str(exc))
    except PermissionDenied as exc:
        if form is not None:
            form.add_error(None, str(exc))
        else:
            messages.error(request, str(exc))
    return None


# ------------------------------------------------------------------ the queue


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    from sanxiang.portal.pagination import paginate

    user = staff_user(request)
    if not any(user.has_role(r) for r in selectors.STAFF_ROLES):
        raise PermissionDenied("只有公示审核人员和机关负责人可以查看执法决定公示。")
    today = timezone.localdate()
    tab = request.GET.get("tab", "open")
    if tab not in dict(TABS):
        tab = "open"
    counts = selectors.queue_counts(user, today)
    page = paginate(request, selectors.queue(user, tab, today), per_page=PER_PAGE)
    rows = [
        {
            "p": p,
            "overdue": p.next_due_on is not None and p.next_due_on < today,
            "undated": p.next_due_on is None and p.status in selectors.OPEN_STATUSES,
        }
        for p in page.object_list
    ]
    return render(
        request,
        "workbench/disclosure/queue.html",
        {
            "tab": tab,
            "tabs": [(code, label, getattr(counts, code, None)) for code, label in TABS],
            "counts": counts,
            "rows": rows,
            "page": page,
            "today": today,
        },
    )


# ------------------------------------------------------------------ one publication


@dataclass(frozen=True)
class Segment:
    text: str
    original: str = ""
    type: str = ""
    type_label: str = ""
    source: str = ""
    index: int = -1

    @property
    def marked(self) -> bool:
        return self.index >= 0


def segments(original: str, spans: list[dict[str, Any]]) -> list[Segment]:
    """The text cut at the spans: plain runs, and each span (its replacement and the
    original it hides), for the side-by-side view."""
    out: list[Segment] = []
    at = 0
    ordered = sorted(enumerate(spans), key=lambda pair: int(pair[1]["start"]))
    for index, span in ordered:
        start, end = int(span["start"]), int(span["end"])
        if start < at:
            continue
        if start > at:
            out.append(Segment(text=original[at:start], original=original[at:start]))
        kind = str(span["type"])
        out.append(
            Segment(
                text=str(span["replacement"]),
                original=original[start:end],
                type=kind,
                type_label=services.ADDED_TYPE_LABELS.get(kind, kind),
                source=str(span.get("source", "")),
                index=index,
            )
        )
        at = end
    if at < len(original):
        out.append(Segment(text=original[at:], original=original[at:]))
    return out


SOURCE_LABELS = {"party": "案件登记信息", "detector": "自动识别", "publisher": "审核人员添加"}


def _due_text(publication: Publication) -> str:
    profile = publication.agency.rule_profile_code
    if publication.due_on is not None:
        return f"{publication.due_on:%Y-%m-%d}（{publication.due_rule}）"
    due = deadlines.publication_due(profile, publication.action_type, publication.decided_on)
    return due.note or "未规定期限"


def _page(
    request: HttpRequest,
    publication: Publication,
    bound: dict[str, Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = staff_user(request)
    bound = bound or {}
    publisher = _is_publisher(user, publication)
    head = user.agency_id == publication.agency_id and user.has_role(Role.AGENCY_HEAD)
    review = selectors.current_review(publication)
    is_open = review is not None and review.status == ConfidentialityReview.Status.OPEN
    segs = segments(review.original_text, review.spans) if review is not None else []
    spans = []
    if review is not None:
        for i, span in enumerate(review.spans):
            kind = str(span["type"])
            spans.append(
                {
                    "index": i,
                    "type": services.ADDED_TYPE_LABELS.get(kind, kind),
                    "source": SOURCE_LABELS.get(str(span.get("source")), ""),
                    "party": span.get("source") == "party",
                    "original": review.original_text[int(span["start"]) : int(span["end"])]
                    if publisher
                    else "",
                    "replacement": span["replacement"],
                }
            )
    can_revoke = (publisher or head) and publication.status not in (
        Publication.Status.WITHDRAWAL_DUE,
        Publication.Status.WITHDRAWN,
    )
    context = {
        "publication": publication,
        "review": review,
        "review_open": is_open,
        "segments": segs,
        "spans": spans,
        "publisher": publisher,
        "fields": [
            (label, (review.fields if review else {}).get(key, ""))
            for key, label in services.FIELD_LABELS.items()
        ],
        "digest": services.review_digest(review) if review is not None else "",
        "add_form": bound.get("add")
        or (
            AddRedactionForm(original=review.original_text)
            if publisher and is_open and review is not None
            else None
        ),
        "approve_form": bound.get("approve")
        or (
            ApproveForm(initial={"digest": services.review_digest(review)})
            if publisher and is_open and review is not None
            else None
        ),
        "reinstate_error": bound.get("reinstate"),
        "can_publish": publisher
        and review is not None
        and review.status == ConfidentialityReview.Status.APPROVED
        and publication.status in (Publication.Status.APPROVED, Publication.Status.CORRECTION_DUE),
        "revoke_form": bound.get("revoke") or (RevocationForm() if can_revoke else None),
        "can_withdraw": publisher and publication.status == Publication.Status.WITHDRAWAL_DUE,
        "can_correct": publisher
        and publication.status in (Publication.Status.PUBLISHED, Publication.Status.CORRECTION_DUE),
        "versions": selectors.versions(publication),
        "ledger": selectors.ledger_entries(publication),
        "due_text": _due_text(publication),
        "today": timezone.localdate(),
    }
    return render(request, "workbench/disclosure/publication.html", context, status=status)


@login_required
@require_GET
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _publication(staff_user(request), pk))


def _done(request: HttpRequest, publication: Publication, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("workbench:publication", args=[publication.pk]))


def _review_of(publication: Publication, rid: int) -> ConfidentialityReview:
    review = publication.reviews.filter(pk=rid).first()
    if review is None:
        raise Http404("未找到该保密审查。")
    return review


@login_required
@require_POST
def add_redaction(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    user = staff_user(request)
    publication = _publication(user, pk)
    review = _review_of(publication, rid)
    form = AddRedactionForm(request.POST, original=review.original_text)
    if form.is_valid():
        d = form.cleaned_data
        if _attempt(
            form,
            request,
            lambda: services.add_redaction(
                actor=user, review=review, start=d["start"], end=d["end"], type=d["type"]
            ),
        ):
            return _done(request, publication, "已添加隐去内容。")
    return _page(request, publication, {"add": form}, status=422)


@login_required
@require_POST
def reinstate(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    user = staff_user(request)
    publication = _publication(user, pk)
    review = _review_of(publication, rid)
    form = ReinstateForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        if _attempt(
            form,
            request,
            lambda: services.reinstate_detection(
                actor=user, review=review, index=d["index"], reason=d["reason"]
            ),
        ):
            return _done(request, publication, "已恢复显示该处内容。")
    return _page(request, publication, {"reinstate": form}, status=422)


@login_required
@require_POST
def approve(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    user = staff_user(request)
    publication = _publication(user, pk)
    review = _review_of(publication, rid)
    form = ApproveForm(request.POST)
    if form.is_valid() and _attempt(
        form,
        request,
        lambda: services.approve_review(
            actor=user, review=review, seen_digest=form.cleaned_data["digest"]
        ),
    ):
        return _done(request, publication, "保密审查已通过，可以公开。")
    return _page(request, publication, {"approve": form}, status=422)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    publication = _publication(user, pk)
    version = _attempt(
        None, request, lambda: services.publish_publication(actor=user, publication=publication)
    )
    if version is None:
        return redirect(reverse("workbench:publication", args=[publication.pk]))
    return _done(request, publication, f"已公开（第{version.number}版）。")


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    publication = _publication(user, pk)
    form = RevocationForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        done = _attempt(
            form,
            request,
            lambda: services.record_decision_revoked(
                actor=user, publication=publication, kind=d["kind"], on=d["on"], note=d["note"]
            ),
        )
        if done is not None:
            return _done(request, publication, "已登记，请在期限内撤下原执法决定信息。")
    return _page(request, publication, {"revoke": form}, status=422)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    publication = _publication(user, pk)
    done = _attempt(
        None, request, lambda: services.withdraw_publication(actor=user, publication=publication)
    )
    if done is None:
        return redirect(reverse("workbench:publication", args=[publication.pk]))
    return _done(request, publication, "已撤下，公示平台显示撤下说明。")


@login_required
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    publication = _publication(user, pk)
    if not _is_publisher(user, publication):
        raise PermissionDenied("只有本机关的公示审核人员可以更正执法决定信息。")
    last = selectors.versions(publication).last()
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            fields = {k: d[k] for k in ("facts", "basis", "decision", "remedy") if d[k]}
            review = _attempt(
                form,
                request,
                lambda: services.start_correction(
                    actor=user,
                    publication=publication,
                    reason=d["reason"],
                    found_on=d["found_on"],
                    text=d["text"],
                    fields=fields,
                ),
            )
            if review is not None:
                return _done(request, publication, "更正稿已生成，请完成保密审查后重新公开。")
        status = 422
    else:
        original = last.review.original_text if last is not None else ""
        fields_initial = last.review.original_fields if last is not None else {}
        form = CorrectionForm(
            initial={
                "text": original,
                **{k: fields_initial.get(k, "") for k in ("facts", "basis", "decision", "remedy")},
            }
        )
        status = 200
    return render(
        request,
        "workbench/disclosure/correct.html",
        {"publication": publication, "form": form, "last": last},
        status=status,
    )


urlpatterns: list[URLPattern] = [
    path("publications/", queue, name="publications"),
    path("publications/<int:pk>/", publication_detail, name="publication"),
    path(
        "publications/<int:pk>/reviews/<int:rid>/redact/",
        add_redaction,
        name="publication_redact",
    ),
    path(
        "publications/<int:pk>/reviews/<int:rid>/reinstate/",
        reinstate,
        name="publication_reinstate",
    ),
    path(
        "publications/<int:pk>/reviews/<int:rid>/approve/",
        approve,
        name="publication_approve",
    ),
    path("publications/<int:pk>/publish/", publish, name="publication_publish"),
    path("publications/<int:pk>/revoke/", revoke, name="publication_revoke"),
    path("publications/<int:pk>/withdraw/", withdraw, name="publication_withdraw"),
    path("publications/<int:pk>/correct/", correct, name="publication_correct"),
]
