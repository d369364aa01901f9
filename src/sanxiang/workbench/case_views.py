"""The officer's case pages: the inbox, opening a case, the case page (the whole trail and
the forms of the next step), and each action on it. Views stay thin: forms check the input,
``sanxiang.cases.services`` applies the rules (and writes the ledger), and a refusal is
shown on the form it came from, with everything the user typed kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanxiang.access import copies as access_copies
from sanxiang.access import selectors as access_selectors
from sanxiang.access import services as access_services
from sanxiang.cases import selectors as case_selectors
from sanxiang.cases import services
from sanxiang.cases.documents import record_filename, record_pdf
from sanxiang.cases.models import AVRecording, Case, Evidence, Record
from sanxiang.core.workdays import CalendarNotCovered
from sanxiang.org.models import Officer, Role, User
from sanxiang.portal.pagination import paginate
from sanxiang.procedures import get_procedure, registry
from sanxiang.procedures.guards import signature_specs
from sanxiang.procedures.model import REFUSABLE_ROLES
from sanxiang.records.filestore import get_store
from sanxiang.records.models import StoredFile
from sanxiang.review import selectors as review_selectors
from sanxiang.workbench.auth import staff_user

from . import access_views
from . import case_selectors as sel
from .case_forms import (
    SCOPES,
    AssignOfficerForm,
    AVRecordingForm,
    CloseForm,
    CollectiveDiscussionForm,
    CorrectionForm,
    EvidenceForm,
    OpenCaseForm,
    RecordForm,
    SignatureForm,
    SignatureRowFormSet,
    TransitionForm,
)

CASES_PER_PAGE = 25
# Signatures the signed-in person gives in their own name (a head signs as themself).
_OWN_ROLES = {"unit_head": Role.UNIT_HEAD, "agency_head": Role.AGENCY_HEAD}


def _case(user: User, pk: int) -> Case:
    case = case_selectors.visible_case(user, pk)
    if case is None:
        raise Http404("未找到该案件，或您无权查看。")
    return case


def _acting_case(user: User, pk: int) -> Case:
    case = _case(user, pk)
    if not sel.may_act(user, case):
        raise PermissionDenied("您只能查看该案件：只有本执法主体的执法人员和负责人可以办理。")
    return case


def _record(user: User, pk: int) -> Record:
    record = case_selectors.visible_record(user, pk)
    if record is None:
        raise Http404("未找到该文书记录，或您无权查看。")
    return record


def _show_refusal(form: Form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: per field where it names one, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = next((n for n in (name, f"party_{name}") if n in form.fields), None)
            for error in errors:
                form.add_error(target, error.messages)
    else:
        form.add_error(None, exc.messages)


def _attempt(form: Form, action: Callable[[], Any]) -> Any:
    """Run a service call for a valid form; None (and the refusal on the form) if refused."""
    try:
        return action()
    except ValidationError as exc:
        _show_refusal(form, exc)
    except services.ConcurrentChange as exc:
        form.add_error(None, f"{exc}。")
    except CalendarNotCovered as exc:  # a guard counts working days into an unknown year
        form.add_error(None, str(exc))
    return None


# ------------------------------------------------------------------ inbox


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    today = timezone.localdate()
    scope = request.GET.get("scope") or sel.default_scope(user)
    if scope not in SCOPES or (scope == "mine" and not user.officer_id):
        scope = sel.default_scope(user)
    counts = sel.scope_counts(user, today)
    page = paginate(request, sel.inbox_queryset(user, scope, today), per_page=CASES_PER_PAGE)
    context: dict[str, Any] = {
        "scope": scope,
        "scopes": [
            (code, label, count)
            for code, label in SCOPES.items()
            if (count := counts.get(code)) is not None
        ],
        "today": today,
        "may_open": user.agency_id is not None
        and any(user.has_role(r) for r in (Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD)),
        "page": page,
        "rows": [sel.inbox_row(c, today) for c in page.object_list],
    }
    return render(request, "workbench/cases/inbox.html", context)


# ------------------------------------------------------------------ opening


@login_required
@require_http_methods(["GET", "POST"])
def open_case(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if user.agency is None or not any(
        user.has_role(r) for r in (Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD)
    ):
        raise PermissionDenied("只有执法主体的执法人员和负责人可以启动案件。")
    agency = user.agency
    initial: dict[str, Any] = {}
    if user.officer_id:
        initial["officers"] = [user.officer_id]
        officer = user.officer
        if officer is not None and officer.unit_id:
            initial["unit"] = officer.unit_id
    form = OpenCaseForm(request.POST or None, agency=agency, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        parties = []
        if d["party_kind"]:
            parties.append(
                services.PartyInput(
                    kind=d["party_kind"],
                    name=d["party_name"],
                    id_number=d["party_id_number"],
                    uscc=d["party_uscc"],
                    representative=d["party_representative"],
                    address=d["party_address"],
                    phone=d["party_phone"],
                )
            )
        officers = list(d["officers"])
        if user.officer_id and user.officer in officers:  # the opener handles it (主办)
            officers.remove(user.officer)
            officers.insert(0, user.officer)
        case = _attempt(
            form,
            lambda: services.open_case(
                actor=user,
                agency=agency,
                unit=d["unit"],
                action_type=d["action_type"],
                title=d["title"],
                matter=d["matter"],
                simple=d["simple"],
                opened_on=d["opened_on"],
                officers=officers,
                parties=parties,
                source=services.SourceInput(
                    kind=d["source_kind"],
                    received_on=d["source_received_on"],
                    summary=d["source_summary"],
                    provider_name=d["source_provider_name"],
                    provider_contact=d["source_provider_contact"],
                    notify_required=d["source_notify_required"],
                ),
            ),
        )
        if case is not None:
            messages.success(request, f"已启动案件 {case.number}。")
            return redirect("workbench:case", case.pk)
    return render(request, "workbench/cases/open.html", {"form": form, "agency": agency})


# ------------------------------------------------------------------ the case page


def _signature_roles(user: User, missing: list[Any]) -> list[str]:
    # officers, the party and witnesses may sign any record (004 第十三条); the others only
    # where the record needs them
    roles: list[str] = ["officer", "party", "witness"]
    for spec in missing:
        for role in spec.roles:
            needed = _OWN_ROLES.get(role)
            if needed is not None and not user.has_role(needed):
                continue
            if role not in roles:
                roles.append(role)
    return roles


def _render_case(
    request: HttpRequest, case: Case, bound: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    """The case page; ``bound`` replaces the blank form of the step that was just refused."""
    user = staff_user(request)
    bound = bound or {}
    page = sel.case_page(user, case, timezone.localdate())
    if page.access is not None:  # marked items shown to this user are on the ledger
        access_services.log_case_view(actor=user, access=page.access)
    acting = sel.may_act(user, case) and case.status == Case.Status.OPEN
    record_forms = []
    sign_forms: dict[int, Form] = {}
    if acting:
        for kind in page.next_kinds:
            key = f"record:{kind.code}"
            record_forms.append(
                (
                    kind,
                    kind.code in page.required_kinds,
                    bound.get(key) or RecordForm(kind=kind, case=case),
                )
            )
        for block in page.stages:
            for rv in block.records:
                if rv.superseded or rv.signed:
                    continue
                key = f"sign:{rv.record.pk}"
                form = bound.get(key) or SignatureForm(
                    roles=_signature_roles(user, rv.missing),
                    case=case,
                    prefix=f"sign{rv.record.pk}",
                    initial={"signer_name": user.full_name, "officer": user.officer_id},
                )
                sign_forms[rv.record.pk] = form
    review: dict[str, Any] | None = None
    if any("legal_review_passed_if_required" in t.guards for t in page.procedure.transitions):
        review = {
            "requirement": review_selectors.review_requirement(case),
            "latest": review_selectors.latest_round(case),
        }
    context = {
        "case": case,
        "p": page,
        "review": review,
        "stage_name": page.procedure.stage_name(case.stage),
        "transitions": [(t, page.procedure.stage_name(t.to_stage)) for t in page.transitions],
        "acting": acting,
        "record_forms": record_forms,
        "sign_forms": sign_forms,
        "transition_error": bound.get("transition"),
        "assign_form": bound.get("assign") or AssignOfficerForm(case=case),
        "evidence_form": bound.get("evidence") or EvidenceForm(case=case),
        "av_form": bound.get("av") or AVRecordingForm(case=case),
        "close_form": bound.get("close"),
        "collective_form": bound.get("collective") or CollectiveDiscussionForm(),
        "collective_applies": any(
            "collective_discussion_if_required" in t.guards for t in page.procedure.transitions
        )
        and not case.collective_discussion_required,
        "parties": list(case.parties.all()),
        "refusable": REFUSABLE_ROLES,
        "may_mark": access_selectors.may_mark(user, case),
        "may_lift": access_selectors.may_lift(user, case),
        "mark_levels": access_selectors.level_choices(),
    }
    return render(request, "workbench/cases/detail.html", context, status=status)


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_case(request, _case(staff_user(request), pk))


def _done(request: HttpRequest, case: Case, message: str, anchor: str = "") -> HttpResponse:
    messages.success(request, message)
    url = reverse("workbench:case", args=[case.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


@login_required
@require_POST
def add_record(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    user = staff_user(request)
    case = _acting_case(user, pk)
    record_kind = registry().kinds.get(kind)
    if record_kind is None:
        raise Http404("未登记的文书种类。")
    form = RecordForm(request.POST, kind=record_kind, case=case)
    if form.is_valid():
        kwargs = form.service_kwargs()
        record = _attempt(
            form, lambda: services.add_record(actor=user, case=case, kind=kind, **kwargs)
        )
        if record is not None:
            return _done(request, case, f"已保存{record_kind.name}（R{record.pk}）。", record.ref)
    return _render_case(request, case, {f"record:{kind}": form}, status=422)


@login_required
@require_POST
def sign_record(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    record = _record(user, pk)
    case = _acting_case(user, record.case_id)
    page_view = sel.record_view(get_procedure(case.procedure), record)
    form = SignatureForm(
        request.POST,
        roles=_signature_roles(user, page_view.missing),
        case=case,
        prefix=f"sign{record.pk}",
    )
    if form.is_valid():
        d = form.cleaned_data
        if d["refused"]:
            result = _attempt(
                form,
                lambda: services.record_refusal(
                    actor=user,
                    record=record,
                    role=d["role"],
                    signer_name=d["signer_name"],
                    note=d["refusal_note"],
                    signed_at=d["signed_at"],
                ),
            )
        else:
            officer: Officer | None = d["officer"] if d["role"] == "officer" else None
            result = _attempt(
                form,
                lambda: services.sign_record(
                    actor=user,
                    record=record,
                    role=d["role"],
                    signer_name=officer.name if officer is not None else d["signer_name"],
                    officer=officer,
                    signed_at=d["signed_at"],
                ),
            )
        if result is not None:
            return _done(request, case, f"已记录{result}。", record.ref)
    return _render_case(request, case, {f"sign:{record.pk}": form}, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def correct_record(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    record = _record(user, pk)
    case = _acting_case(user, record.case_id)
    # the form shows the record's content: a marked record only to those who may read it
    decision = access_services.open_item(actor=user, item=record, how="view", where="correction")
    access_services.refuse(decision)
    kind = registry().kind(record.kind)
    if hasattr(record, "superseded_by"):
        messages.error(request, "该记录已被更正，应更正最新的记录。")
        return redirect("workbench:case", case.pk)
    initial: dict[str, Any] = {f"data__{k}": v for k, v in record.data.items()}
    initial |= {f"extra__{k}": v for k, v in record.data.items()}
    for key in ("hearing_requested", "statement_waived", "violations_found"):
        value = getattr(record, key)
        initial[key] = "" if value is None else ("1" if value else "0")
    initial.update(
        served_on=record.served_on,
        service_method=record.service_method,
        served_document=record.served_document_id,
        amount=record.amount,
    )
    form = CorrectionForm(request.POST or None, kind=kind, case=case, initial=initial)
    procedure = get_procedure(case.procedure)
    specs = signature_specs(procedure, registry(), record.stage, record.kind)
    rows = SignatureRowFormSet(
        request.POST or None,
        prefix="sig",
        form_kwargs={"case": case},
        initial=[{} for _ in specs],
    )
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        kwargs = form.service_kwargs()
        kwargs["signatures"] = [
            services.SignatureInput(
                role=row["role"],
                signer_name=row["officer"].name if row.get("officer") else row["signer_name"],
                officer=row.get("officer") if row["role"] == "officer" else None,
                refused=row["refused"],
                refusal_note=row["refusal_note"],
            )
            for row in rows.cleaned_data
            if row.get("role")
        ]
        new = _attempt(
            form,
            lambda: services.correct_record(
                actor=user, record=record, reason=form.cleaned_data["reason"], **kwargs
            ),
        )
        if new is not None:
            return _done(
                request, case, f"已制作更正记录 R{new.pk}，原记录 R{record.pk} 保留。", new.ref
            )
    return render(
        request,
        "workbench/cases/correct.html",
        {
            "case": case,
            "record": record,
            "kind": kind,
            "form": form,
            "rows": rows,
            "needed": "、".join(spec.label for spec in specs),
        },
        status=422 if form.errors or (rows.is_bound and not rows.is_valid()) else 200,
    )


@login_required
@require_POST
def fire_transition(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    case = _acting_case(user, pk)
    form = TransitionForm(request.POST)
    status = 422
    if form.is_valid():
        d = form.cleaned_data
        try:
            moved = services.fire_transition(
                actor=user,
                case=case,
                transition_code=d["transition"],
                expected_version=d["expected_version"],
            )
        except services.ConcurrentChange as exc:  # someone else moved it first
            form.add_error(None, f"{exc}。")
            status = 409
        except (ValidationError, CalendarNotCovered) as exc:
            _show_refusal(
                form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
            )
        else:
            stage = get_procedure(moved.procedure).stage_name(moved.stage)
            done = "，案件已办结" if moved.status == Case.Status.CLOSED else ""
            return _done(request, moved, f"案件已进入“{stage}”环节{done}。")
    case.refresh_from_db()
    return _render_case(request, case, {"transition": form}, status=status)


@login_required
@require_POST
def close_case(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    case = _acting_case(user, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        if form.cleaned_data["expected_version"] != case.version:
            form.add_error(None, f"{services.ConcurrentChange(case.version)}。")
        elif _attempt(form, lambda: services.close_if_finished(actor=user, case=case)):
            return _done(request, case, "案件已办结。")
    return _render_case(request, case, {"close": form}, status=422)


@login_required
@require_POST
def mark_collective_discussion(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    case = _acting_case(user, pk)
    form = CollectiveDiscussionForm(request.POST)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        marked = _attempt(
            form,
            lambda: services.mark_collective_discussion(actor=user, case=case, reason=reason),
        )
        if marked is not None:
            return _done(request, case, "已提请机关负责人集体讨论决定。")
    return _render_case(request, case, {"collective": form}, status=422)


@login_required
@require_POST
def assign_officer(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    case = _acting_case(user, pk)
    form = AssignOfficerForm(request.POST, case=case)
    if form.is_valid():
        rows = _attempt(
            form,
            lambda: services.assign_officers(
                actor=user, case=case, officers=list(form.cleaned_data["officers"])
            ),
        )
        if rows:
            names = "、".join(f"{r.officer.name}（{r.role}）" for r in rows)
            return _done(request, case, f"已指派执法人员{names}。")
    return _render_case(request, case, {"assign": form}, status=422)


def _stored_file(form: Form, case: Case) -> tuple[bool, StoredFile | None]:
    sha = (form.cleaned_data.get("file_sha256") or "").lower()
    if not sha:
        return True, None
    stored = case_selectors.agency_stored_file(case, sha)
    if stored is None:
        form.add_error("file_sha256", "未找到该文件：请先用上方的上传工具上传文件。")
        return False, None
    return True, stored


@login_required
@require_POST
def add_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    case = _acting_case(user, pk)
    form = EvidenceForm(request.POST, case=case)
    if form.is_valid():
        ok, stored = _stored_file(form, case)
        d = form.cleaned_data
        evidence = ok and _attempt(
            form,
            lambda: services.add_evidence(
                actor=user,
                case=case,
                kind=d["kind"],
                description=d["description"],
                collector=d["collector"],
                collected_at=d["collected_at"],
                place=d["place"],
                stored_file=stored,
            ),
        )
        if evidence:
            return _done(request, case, "已登记证据。", f"E{evidence.pk}")
    return _render_case(request, case, {"evidence": form}, status=422)


@login_required
@require_POST
def add_av_recording(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    case = _acting_case(user, pk)
    form = AVRecordingForm(request.POST, case=case)
    if form.is_valid():
        ok, stored = _stored_file(form, case)
        d = form.cleaned_data
        interruptions = []
        if d["interruption_at"]:
            interruptions.append(
                services.InterruptionInput(
                    at=d["interruption_at"],
                    resumed_at=d["interruption_resumed_at"],
                    reason=d["interruption_reason"],
                    spoken_explanation=d["interruption_spoken"],
                )
            )
        recording = ok and _attempt(
            form,
            lambda: services.add_av_recording(
                actor=user,
                case=case,
                device=d["device"],
                officer=d["officer"],
                started_at=d["started_at"],
                ended_at=d["ended_at"],
                place=d["place"],
                spoken_statement=d["spoken_statement"],
                full_process=d["full_process"],
                returned_at=d["returned_at"],
                stored_at=d["stored_at"],
                stored_file=stored,
                interruptions=interruptions,
            ),
        )
        if recording:
            if recording.storage_warning:
                messages.warning(request, recording.storage_warning)
            return _done(request, case, "已登记音像记录。", f"AV{recording.pk}")
    return _render_case(request, case, {"av": form}, status=422)


# ------------------------------------------------------------------ documents


@login_required
@require_GET
def record_document(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    record = _record(user, pk)
    # a marked record: logged, refused without entitlement or grant, watermarked under a grant
    decision = access_services.open_item(actor=user, item=record, how="pdf")
    access_services.refuse(decision)
    pdf = access_copies.watermark_pdf(record_pdf(record), decision.watermark(timezone.now()))
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if request.GET.get("inline") else "attachment"
    response["Content-Disposition"] = (
        f'{disposition}; filename="R{record.pk}.pdf"; '
        f"filename*=UTF-8''{quote(record_filename(record))}"
    )
    return response


@login_required
@require_GET
def stored_file(request: HttpRequest, kind: str, pk: int) -> FileResponse:
    """An evidence or AV file, streamed from the content-addressed store (never read into
    memory), after the download is written to the ledger."""
    user = staff_user(request)
    model: type[Evidence] | type[AVRecording] = AVRecording if kind == "av" else Evidence
    item = (
        model.objects.select_related("stored_file", "case")
        .filter(case__in=case_selectors.cases_visible_to(user), pk=pk)
        .first()
    )
    if item is None or item.stored_file is None:
        raise Http404("未找到该文件，或您无权查看。")
    stored = item.stored_file
    # a marked item: access.download (or access.denied) on the ledger instead, copy grant needed
    decision = access_services.open_item(actor=user, item=item, how="download", copy=True)
    access_services.refuse(decision)
    if decision.mark is None:
        services.log_file_download(actor=user, case=item.case, item=item, stored=stored)
    copy = access_views.watermarked_copy(decision, stored)
    if copy is not None:
        return copy
    return FileResponse(
        get_store().open(stored.sha256),
        as_attachment=True,
        filename=f"{item.case.number}-{kind}{item.pk}-{stored.sha256[:12]}",
        content_type=stored.media_type,
    )
