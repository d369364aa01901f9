"""The legal-review pages of the staff workbench: the due and overdue reviews of reviewers and
heads, a case's review (why it needs review, the decision gate, every round, submission and
flags), and a round (assignment, checklist, outcome, materials, extension, dispute and
collective discussion, the opinion PDF). Views stay thin: forms check the input,
``sanxiang.review.services`` applies the rules and writes the ledger, and a refusal is shown
on the form it came from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from sanxiang.cases.models import Case
from sanxiang.cases.selectors import cases_visible_to
from sanxiang.cases.state import build_case_state, load_records
from sanxiang.core.workdays import CalendarNotCovered
from sanxiang.org.models import Role, User
from sanxiang.portal.pagination import paginate
from sanxiang.procedures.guards import GUARDS, review_violations
from sanxiang.review import selectors, services
from sanxiang.review.models import (
    ChecklistItem,
    Dispute,
    ExtensionRequest,
    LegalReview,
    MaterialRequest,
)
from sanxiang.review.opinion import opinion_filename, opinion_pdf
from sanxiang.workbench.auth import staff_user

from .review_forms import (
    AnswerForm,
    ApproveForm,
    AssignForm,
    ChecklistForm,
    ConflictForm,
    ConsultationForm,
    DiscussionForm,
    DisputeForm,
    ExtensionForm,
    FlagForm,
    MaterialRequestForm,
    OutcomeForm,
    SubmitForm,
)

REVIEWS_PER_PAGE = 25
HANDLING = (Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD)


def _case(user: User, pk: int) -> Case:
    case = cases_visible_to(user).select_related("agency__jurisdiction").filter(pk=pk).first()
    if case is None:
        raise Http404("未找到该案件，或您无权查看。")
    return case


def _review(user: User, pk: int) -> LegalReview:
    review = selectors.reviews_visible_to(user).select_related("report").filter(pk=pk).first()
    if review is None:
        raise Http404("未找到该法制审核，或您无权查看。")
    return review


def _in_agency(user: User, case: Case, *roles: str) -> bool:
    return user.agency_id == case.agency_id and any(user.has_role(r) for r in roles)


def _attempt(form: Form, action: Callable[[], Any]) -> Any:
    """Run a service call for a valid form; None (and the refusal on the form) if refused."""
    try:
        return action()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error.messages)
        else:
            form.add_error(None, exc.messages)
    except CalendarNotCovered as exc:
        form.add_error(None, str(exc))
    return None


# ------------------------------------------------------------------ the due list


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    today = timezone.localdate()
    base = selectors.reviews_for_workbench(user)
    tab = request.GET.get("tab", "open")
    tabs = [
        ("open", "待审核", base.count()),
        ("soon", "即将到期", selectors.due_soon(base, today).count()),
        ("overdue", "已逾期", selectors.overdue(base, today).count()),
    ]
    qs = {"soon": selectors.due_soon(base, today), "overdue": selectors.overdue(base, today)}.get(
        tab, base
    )
    page = paginate(request, qs.order_by("due_on", "id"), per_page=REVIEWS_PER_PAGE)
    soon = set(selectors.due_soon(base, today).values_list("pk", flat=True)[:500])
    rows = [
        {
            "review": r,
            "overdue": r.due_on is not None and r.due_on < today,
            "soon": r.pk in soon,
        }
        for r in page.object_list
    ]
    return render(
        request,
        "workbench/review/list.html",
        {"tab": tab, "tabs": tabs, "rows": rows, "page": page, "today": today},
    )


# ------------------------------------------------------------------ a case's review


def _case_page(
    request: HttpRequest, case: Case, bound: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    user = staff_user(request)
    bound = bound or {}
    records = load_records(case)
    requirement = selectors.review_requirement(case, records=records)
    state = build_case_state(case, timezone.localdate())
    source = GUARDS["legal_review_passed_if_required"].source_for(case.action_type)
    handling = _in_agency(user, case, *HANDLING) and case.status == Case.Status.OPEN
    reviewer = _in_agency(user, case, Role.LEGAL_REVIEWER)
    context = {
        "case": case,
        "requirement": requirement,
        "gate": state.review,
        "gate_violations": review_violations(state, source),
        "rounds": case.legal_reviews.select_related("reviewer").order_by("round"),
        "flags": case.review_flags.select_related("set_by"),
        "flag_form": bound.get("flag") or (FlagForm() if handling else None),
        "submit_form": bound.get("submit") or (SubmitForm(case=case) if handling else None),
        "conflict_form": bound.get("conflict") or (ConflictForm() if reviewer else None),
    }
    return render(request, "workbench/review/case.html", context, status=status)


@login_required
@require_GET
def case_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, _case(staff_user(request), pk))


def _case_done(request: HttpRequest, case: Case, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("workbench:review_case", args=[case.pk]))


@login_required
@require_POST
def case_flag(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    case = _case(user, pk)
    form = FlagForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        if _attempt(
            form,
            lambda: services.set_review_flag(
                actor=user, case=case, criterion=d["criterion"], reason=d["reason"]
            ),
        ):
            return _case_done(request, case, "已认定应当法制审核的情形。")
    return _case_page(request, case, {"flag": form}, status=422)


@login_required
@require_POST
def case_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    case = _case(user, pk)
    form = SubmitForm(request.POST, case=case)
    if form.is_valid():
        d = form.cleaned_data
        review = _attempt(
            form,
            lambda: services.submit_for_review(
                actor=user,
                case=case,
                report=d["report"],
                evidence=list(d["evidence"]),
                decision_record=d["decision_record"],
                proposed_decision=d["proposed_decision"],
                proposed_basis=d["proposed_basis"],
                proposed_amount=d["proposed_amount"],
                appraised=d["appraised"],
                appraisals=list(d["appraisals"]),
                notes=d["notes"],
                received_on=d["received_on"],
            ),
        )
        if review is not None:
            messages.success(request, f"已报送第{review.round}轮法制审核。")
            return redirect(reverse("workbench:review", args=[review.pk]))
    return _case_page(request, case, {"submit": form}, status=422)


@login_required
@require_POST
def case_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    case = _case(user, pk)
    form = ConflictForm(request.POST)
    if form.is_valid() and _attempt(
        form,
        lambda: services.declare_conflict(
            actor=user, case=case, reason=form.cleaned_data["reason"]
        ),
    ):
        return _case_done(request, case, "已申报回避，本案将另行分配审核人员。")
    return _case_page(request, case, {"conflict": form}, status=422)


# ------------------------------------------------------------------ a round


def _round_page(
    request: HttpRequest,
    review: LegalReview,
    bound: dict[str, Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = staff_user(request)
    bound = bound or {}
    case = review.case
    is_reviewer = review.reviewer_id == user.pk and not review.decided
    handling = _in_agency(user, case, Role.OFFICER, Role.UNIT_HEAD)
    head = _in_agency(user, case, Role.AGENCY_HEAD)
    items = {row.item: row for row in review.items.all()}
    checklist = []
    for value, label in ChecklistItem.Item.choices:
        row = items.get(value)
        form = bound.get(f"checklist:{value}")
        if form is None and is_reviewer:
            initial = {
                "item": value,
                "finding": row.finding if row else "",
                "note": row.note if row else "",
            }
            form = ChecklistForm(initial=initial, prefix=value)
        checklist.append({"item": value, "label": label, "row": row, "form": form})
    requests = [
        {
            "request": r,
            "form": bound.get(f"answer:{r.pk}")
            or (AnswerForm(prefix=f"a{r.pk}") if handling and r.answered_on is None else None),
        }
        for r in review.requests.all()
    ]
    extensions = [
        {
            "extension": e,
            "form": bound.get(f"approve:{e.pk}")
            or (
                ApproveForm(prefix=f"e{e.pk}")
                if head and e.approved_on is None and not review.decided
                else None
            ),
        }
        for e in review.extensions.select_related("approved_by")
    ]
    disputes = []
    for d in review.disputes.select_related("raised_by"):
        disputes.append(
            {
                "dispute": d,
                "discussion": getattr(d, "discussion", None),
                "consult_form": (
                    bound.get(f"consult:{d.pk}") or ConsultationForm(prefix=f"c{d.pk}")
                )
                if d.status == Dispute.Status.OPEN
                and _in_agency(user, case, Role.LEGAL_REVIEWER, Role.UNIT_HEAD, Role.AGENCY_HEAD)
                else None,
                "discuss_form": (bound.get(f"discuss:{d.pk}") or DiscussionForm(prefix=f"d{d.pk}"))
                if d.status == Dispute.Status.REFERRED and head
                else None,
            }
        )
    latest = selectors.latest_round(case)
    may_assign = not review.decided and _in_agency(
        user, case, Role.LEGAL_REVIEWER, Role.AGENCY_HEAD
    )
    context = {
        "review": review,
        "case": case,
        "checklist": checklist,
        "requests": requests,
        "extensions": extensions,
        "disputes": disputes,
        "evidence": review.evidence.all(),
        "appraisals": review.appraisals.all(),
        "recusals": selectors_recusal(case, user) if may_assign else [],
        "assign_form": bound.get("assign") or (AssignForm(case=case) if may_assign else None),
        "outcome_form": bound.get("outcome") or (OutcomeForm() if is_reviewer else None),
        "request_form": bound.get("request") or (MaterialRequestForm() if is_reviewer else None),
        "extension_form": bound.get("extension") or (ExtensionForm() if is_reviewer else None),
        "dispute_form": bound.get("dispute")
        or (
            DisputeForm()
            if handling
            and review.status == LegalReview.Status.FAILED
            and latest is not None
            and latest.pk == review.pk
            else None
        ),
        "today": timezone.localdate(),
    }
    return render(request, "workbench/review/round.html", context, status=status)


def selectors_recusal(case: Case, user: User) -> list[tuple[User, list[str]]]:
    """The agency's reviewers who must stand aside from this case, and why (shown before
    assigning, 002 第四十九条)."""
    reviewers = User.objects.filter(
        agency=case.agency, is_active=True, role_grants__role=Role.LEGAL_REVIEWER
    ).select_related("officer")[:50]
    found = []
    for reviewer in reviewers:
        reasons = services.recusal_reasons(case, reviewer)
        if reasons:
            found.append((reviewer, reasons))
    return found


@login_required
@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_page(request, _review(staff_user(request), pk))


def _round_done(request: HttpRequest, review: LegalReview, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("workbench:review", args=[review.pk]))


def _round_action(
    request: HttpRequest,
    pk: int,
    key: str,
    make_form: Callable[[LegalReview], Form],
    act: Callable[[User, LegalReview, dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    user = staff_user(request)
    review = _review(user, pk)
    form = make_form(review)
    if form.is_valid() and _attempt(form, lambda: act(user, review, form.cleaned_data)):
        return _round_done(request, review, done)
    return _round_page(request, review, {key: form}, status=422)


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_action(
        request,
        pk,
        "assign",
        lambda r: AssignForm(request.POST, case=r.case),
        lambda u, r, d: services.assign_reviewer(actor=u, review=r, reviewer=d["reviewer"]),
        "已分配审核人员。",
    )


@login_required
@require_POST
def checklist(request: HttpRequest, pk: int, item: str) -> HttpResponse:
    if item not in ChecklistItem.Item.values:
        raise Http404("未知的审核内容。")
    return _round_action(
        request,
        pk,
        f"checklist:{item}",
        lambda r: ChecklistForm(request.POST, prefix=item),
        lambda u, r, d: services.record_checklist_item(
            actor=u, review=r, item=d["item"], finding=d["finding"], note=d["note"]
        ),
        "已记录审核结论。",
    )


@login_required
@require_POST
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_action(
        request,
        pk,
        "outcome",
        lambda r: OutcomeForm(request.POST),
        lambda u, r, d: services.decide_review(
            actor=u, review=r, passed=d["passed"], reasons=d["reasons"]
        ),
        "已提出审核意见，法制审核意见书已生成。",
    )


@login_required
@require_POST
def material_request(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_action(
        request,
        pk,
        "request",
        lambda r: MaterialRequestForm(request.POST),
        lambda u, r, d: services.request_materials(
            actor=u, review=r, measure=d["measure"], request=d["request"]
        ),
        "已要求承办机构补充材料或说明情况。",
    )


@login_required
@require_POST
def answer(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    def act(u: User, r: LegalReview, d: dict[str, Any]) -> Any:
        row = MaterialRequest.objects.filter(review=r, pk=request_id).first()
        if row is None:
            raise Http404("未找到该补充材料要求。")
        return services.answer_request(actor=u, request=row, answer=d["answer"])

    return _round_action(
        request,
        pk,
        f"answer:{request_id}",
        lambda r: AnswerForm(request.POST, prefix=f"a{request_id}"),
        act,
        "已答复。",
    )


@login_required
@require_POST
def extension(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_action(
        request,
        pk,
        "extension",
        lambda r: ExtensionForm(request.POST),
        lambda u, r, d: services.request_extension(
            actor=u, review=r, reason=d["reason"], requested_on=d["requested_on"]
        ),
        "已申请延长审核期限，待机关负责人批准。",
    )


@login_required
@require_POST
def approve(request: HttpRequest, pk: int, extension_id: int) -> HttpResponse:
    def act(u: User, r: LegalReview, d: dict[str, Any]) -> Any:
        row = ExtensionRequest.objects.filter(review=r, pk=extension_id).first()
        if row is None:
            raise Http404("未找到该延长申请。")
        return services.approve_extension(actor=u, extension=row, approved_on=d["approved_on"])

    return _round_action(
        request,
        pk,
        f"approve:{extension_id}",
        lambda r: ApproveForm(request.POST, prefix=f"e{extension_id}"),
        act,
        "已批准延长审核期限。",
    )


@login_required
@require_POST
def dispute(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_action(
        request,
        pk,
        "dispute",
        lambda r: DisputeForm(request.POST),
        lambda u, r, d: services.raise_dispute(actor=u, review=r, grounds=d["grounds"]),
        "已提出异议，请与法制机构协商沟通。",
    )


def _dispute_of(review: LegalReview, pk: int) -> Dispute:
    row = Dispute.objects.filter(review=review, pk=pk).first()
    if row is None:
        raise Http404("未找到该异议。")
    return row


@login_required
@require_POST
def consult(request: HttpRequest, pk: int, dispute_id: int) -> HttpResponse:
    return _round_action(
        request,
        pk,
        f"consult:{dispute_id}",
        lambda r: ConsultationForm(request.POST, prefix=f"c{dispute_id}"),
        lambda u, r, d: services.record_consultation(
            actor=u,
            dispute=_dispute_of(r, dispute_id),
            consultation=d["consultation"],
            agreed=d["agreed"],
        ),
        "已记录协商沟通情况。",
    )


@login_required
@require_POST
def discuss(request: HttpRequest, pk: int, dispute_id: int) -> HttpResponse:
    return _round_action(
        request,
        pk,
        f"discuss:{dispute_id}",
        lambda r: DiscussionForm(request.POST, prefix=f"d{dispute_id}"),
        lambda u, r, d: services.record_collective_discussion(
            actor=u, dispute=_dispute_of(r, dispute_id), **d
        ),
        "已记录负责人集体讨论。",
    )


@login_required
@require_GET
def opinion(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(staff_user(request), pk)
    try:
        data = opinion_pdf(review)
    except ValidationError as exc:
        raise Http404(exc.messages[0]) from None
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(opinion_filename(review))}"
    return response


urlpatterns: list[URLPattern] = [
    path("reviews/", review_list, name="reviews"),
    path("reviews/case/<int:pk>/", case_review, name="review_case"),
    path("reviews/case/<int:pk>/flag/", case_flag, name="review_case_flag"),
    path("reviews/case/<int:pk>/submit/", case_submit, name="review_case_submit"),
    path("reviews/case/<int:pk>/conflict/", case_conflict, name="review_case_conflict"),
    path("reviews/<int:pk>/", review_detail, name="review"),
    path("reviews/<int:pk>/assign/", assign, name="review_assign"),
    path("reviews/<int:pk>/checklist/<slug:item>/", checklist, name="review_checklist"),
    path("reviews/<int:pk>/outcome/", outcome, name="review_outcome"),
    path("reviews/<int:pk>/requests/", material_request, name="review_request"),
    path("reviews/<int:pk>/requests/<int:request_id>/answer/", answer, name="review_answer"),
    path("reviews/<int:pk>/extensions/", extension, name="review_extension"),
    path("reviews/<int:pk>/extensions/<int:extension_id>/approve/", approve, name="review_approve"),
    path("reviews/<int:pk>/disputes/", dispute, name="review_dispute"),
    path("reviews/<int:pk>/disputes/<int:dispute_id>/consult/", consult, name="review_consult"),
    path("reviews/<int:pk>/disputes/<int:dispute_id>/discuss/", discuss, name="review_discuss"),
    path("reviews/<int:pk>/opinion.pdf", opinion, name="review_opinion"),
]
