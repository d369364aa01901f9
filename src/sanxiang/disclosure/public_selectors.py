"""Reads for what the public follows by number and code, and the agency's correction queue."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from sanxiang.cases.models import Case, StageTransition
from sanxiang.documents.correction_reply import CorrectionReply, build_correction_reply
from sanxiang.documents.render import render_pdf
from sanxiang.org.models import Agency
from sanxiang.procedures import get_procedure
from sanxiang.procedures.model import UnknownProcedure

from .models import CorrectionRequest, ProgressCode
from .public_requests import code_matches

MAX_NUMBER_LENGTH = 64


@dataclass(frozen=True)
class ProgressStep:
    on: datetime.date
    stage: str


@dataclass(frozen=True)
class Progress:
    """What an applicant sees: where the application is and what is due, nothing about
    anyone else."""

    agency: str
    number: str
    matter: str
    received_on: datetime.date
    stage: str
    status: str
    closed_on: datetime.date | None
    next_due_on: datetime.date | None
    next_due_label: str
    steps: tuple[ProgressStep, ...]


def _stage_name(procedure_code: str, stage: str) -> str:
    try:
        return get_procedure(procedure_code).stage_name(stage)
    except (UnknownProcedure, KeyError):
        return stage


def _initial(case: Case) -> str:
    try:
        return get_procedure(case.procedure).initial
    except UnknownProcedure:
        return case.stage


def progress(number: str, code: str) -> Progress | None:
    """The case with this number whose current query code is `code`, as the applicant may
    see it; None when nothing matches (the caller does not say which part was wrong)."""
    number = number.strip()
    if not number or len(number) > MAX_NUMBER_LENGTH:
        return None
    # A case number is unique per agency: a handful of rows at most.
    candidates = ProgressCode.objects.filter(
        case__number=number, revoked_at__isnull=True
    ).select_related("case__agency", "case__matter")[:10]
    case: Case | None = next(
        (c.case for c in candidates if code_matches(code, c.code_digest)), None
    )
    if case is None:
        return None
    transitions = StageTransition.objects.filter(case=case).order_by("fired_at", "id")
    steps = [ProgressStep(on=case.opened_on, stage=_stage_name(case.procedure, _initial(case)))]
    steps += [
        ProgressStep(on=t.fired_on, stage=_stage_name(case.procedure, t.to_stage))
        for t in transitions[:100]
    ]
    return Progress(
        agency=case.agency.name,
        number=case.number,
        matter=case.matter.name if case.matter else case.get_action_type_display(),
        received_on=case.opened_on,
        stage=_stage_name(case.procedure, case.stage),
        status=case.get_status_display(),
        closed_on=case.closed_on,
        next_due_on=case.next_due_on if case.status == Case.Status.OPEN else None,
        next_due_label=case.next_due_label if case.status == Case.Status.OPEN else "",
        steps=tuple(steps),
    )


def correction_request(number: str, code: str) -> CorrectionRequest | None:
    number = number.strip().upper()
    if not number or len(number) > MAX_NUMBER_LENGTH:
        return None
    found = (
        CorrectionRequest.objects.filter(number=number)
        .select_related("agency")
        .prefetch_related("evidence")
        .first()
    )
    if found is None or not code_matches(code, found.code_digest):
        return None
    return found


def correction_queue(agency: Agency, *, answered: bool = False) -> QuerySet[CorrectionRequest]:
    """The agency's requests, soonest reply first (index correction_queue)."""
    status = CorrectionRequest.Status.ANSWERED if answered else CorrectionRequest.Status.RECEIVED
    qs = CorrectionRequest.objects.filter(agency=agency, status=status)
    if answered:
        return qs.order_by("-replied_at", "-id")
    return qs.order_by("reply_due_on", "submitted_at", "id")


def open_correction_count(agency: Agency) -> int:
    return CorrectionRequest.objects.filter(
        agency=agency, status=CorrectionRequest.Status.RECEIVED
    ).count()


def reply_pdf(request: CorrectionRequest) -> bytes:
    """The 答复书 of an answered request, as the requester downloads it."""
    if request.status != CorrectionRequest.Status.ANSWERED or request.replied_at is None:
        raise ValueError("该更正申请尚未答复")
    agency = request.agency
    reply = CorrectionReply(
        agency=agency.name,
        number=request.number,
        requester=request.requester_name,
        received_on=timezone.localdate(request.submitted_at),
        information=request.information,
        inaccuracy=request.inaccuracy,
        requested_correction=request.requested_correction,
        outcome=request.get_outcome_display(),
        reply_text=request.reply_text,
        replied_on=timezone.localdate(request.replied_at),
        contact=agency.phone,
    )
    return render_pdf(build_correction_reply(reply))
