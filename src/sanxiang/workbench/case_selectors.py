"""Reads behind the officer's inbox and the case page: what each case waits for, what is
due, and the whole trail in the order it happened. The rules themselves stay in the
procedures engine; this only asks it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet

from sanxiang.access import selectors as access_selectors
from sanxiang.cases import selectors as case_selectors
from sanxiang.cases.deadlines import UNCOVERED_LABEL_PREFIX, case_deadlines
from sanxiang.cases.models import AVRecording, Case, CaseOfficer, Evidence, Record
from sanxiang.cases.state import build_case_state, record_snapshot
from sanxiang.core.workdays import CalendarNotCovered
from sanxiang.org.models import Officer, Role, User
from sanxiang.procedures import engine, get_procedure, registry
from sanxiang.procedures.engine import DueItem, TransitionCheck
from sanxiang.procedures.guards import missing_signatures, signature_specs
from sanxiang.procedures.model import ACTOR_ROLES, Procedure, RecordKind, SignatureSpec
from sanxiang.procedures.state import CaseState, Violation

from .case_forms import SCOPES

OPEN_DUE_STATUSES = frozenset({"pending", "overdue", "open"})


def transitions_or_gap(state: CaseState, roles: list[str]) -> tuple[list[TransitionCheck], str]:
    """The transitions out of the stage; a guard counting working days into a year the
    calendar does not cover cannot be checked (the message says how to add the year)."""
    try:
        return engine.available_transitions(state, actor_roles=roles or None), ""
    except CalendarNotCovered as exc:
        return [], str(exc)


def acting_roles(user: User) -> list[str]:
    return [r for r in ACTOR_ROLES if user.has_role(r)]


def may_act(user: User, case: Case) -> bool:
    """Officers and heads of the case's own agency handle it (cases.services checks again)."""
    return user.agency_id == case.agency_id and any(
        user.has_role(r) for r in (Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD)
    )


def inbox_queryset(user: User, scope: str, today: datetime.date) -> QuerySet[Case]:
    """The cases of one inbox tab: open ones soonest-due first (Case.next_due_on, kept by
    cases.deadlines; indexes case_agency_due and case_officer_by_officer), closed ones
    latest first."""
    qs = case_selectors.cases_visible_to(user)
    by_due = (F("next_due_on").asc(nulls_last=True), "-opened_on", "-id")
    if scope == "mine":
        if user.officer_id is None:
            return qs.none()
        mine = CaseOfficer.objects.filter(case=OuterRef("pk"), officer_id=user.officer_id)
        return qs.filter(Exists(mine), status=Case.Status.OPEN).order_by(*by_due)
    if scope == "closed":
        return qs.filter(status=Case.Status.CLOSED).order_by("-closed_on", "-id")
    open_cases = qs.filter(status=Case.Status.OPEN)
    if scope == "overdue":
        open_cases = open_cases.filter(next_due_on__lt=today)
    return open_cases.order_by(*by_due)


def default_scope(user: User) -> str:
    return "mine" if user.officer_id else "open"


@dataclass(frozen=True)
class InboxRow:
    """One case in the inbox, from the case row alone (no engine run per row)."""

    case: Case
    stage_name: str
    procedure_name: str
    overdue: bool
    uncovered: bool


def inbox_row(case: Case, today: datetime.date) -> InboxRow:
    procedure = get_procedure(case.procedure)
    due = case.next_due_on
    return InboxRow(
        case=case,
        stage_name=procedure.stage_name(case.stage),
        procedure_name=procedure.name,
        overdue=due is not None and due < today,
        uncovered=case.next_due_label.startswith(UNCOVERED_LABEL_PREFIX),
    )


def scope_counts(user: User, today: datetime.date) -> dict[str, int]:
    counts = {code: inbox_queryset(user, code, today).count() for code in SCOPES if code != "mine"}
    if user.officer_id:
        counts["mine"] = inbox_queryset(user, "mine", today).count()
    return counts


# ------------------------------------------------------------------ the case page


@dataclass
class RecordView:
    record: Record
    kind: RecordKind
    signed: bool
    superseded: bool
    missing: list[SignatureSpec]
    fields: list[tuple[str, str]]
    access: access_selectors.Decision | None = None  # set when the record is marked


@dataclass
class StageBlock:
    code: str
    name: str
    entered: str  # how and when the case entered the stage
    current: bool
    records: list[RecordView] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    av: list[AVRecording] = field(default_factory=list)
    officers: list[CaseOfficer] = field(default_factory=list)


@dataclass
class TimelineEvent:
    at: datetime.datetime
    what: str
    who: str
    stage: str
    anchor: str = ""


@dataclass
class CasePage:
    case: Case
    procedure: Procedure
    state: CaseState
    stages: list[StageBlock]
    timeline: list[TimelineEvent]
    transitions: list[TransitionCheck]
    requirements: list[Violation]
    deadlines: list[DueItem]
    calendar_gap: str
    transitions_gap: str
    next_kinds: list[RecordKind]
    required_kinds: set[str]
    av_level: str
    finished: bool
    officers: list[Officer]
    # confidentiality marks and what this user may read (sanxiang.access)
    access: access_selectors.CaseAccess | None = None


def record_view(procedure: Procedure, record: Record) -> RecordView:
    reg = registry()
    kind = reg.kind(record.kind)
    specs = signature_specs(procedure, reg, record.stage, record.kind)
    missing = list(missing_signatures(record_snapshot(record), specs))
    fields = [
        (f.label, str(record.data.get(f.name, "")))
        for f in kind.fields
        if f.name != "signatures" and record.data.get(f.name) not in (None, "")
    ]
    return RecordView(
        record=record,
        kind=kind,
        signed=not missing,
        superseded=hasattr(record, "superseded_by"),
        missing=missing,
        fields=fields,
    )


def _transition_label(procedure: Procedure, code: str) -> str:
    transition = procedure.transition(code)
    return transition.label if transition is not None else code


def _who(user: Any) -> str:
    return str(user) if user is not None else "系统"  # User.__str__: full name, else username


def case_page(user: User, case: Case, today: datetime.date) -> CasePage:
    procedure = get_procedure(case.procedure)
    state = build_case_state(case, today)
    records = list(
        case.records.select_related("made_by", "served_document", "superseded_by", "supersedes")
        .prefetch_related("signatures__entered_by")
        .order_by("made_on", "id")
    )
    evidence = list(case.evidence.select_related("collector", "created_by", "stored_file"))
    av = list(
        case.av_recordings.select_related("officer", "created_by", "stored_file").prefetch_related(
            "interruptions"
        )
    )
    officers = list(case.officers.select_related("officer"))
    fired = list(case.transitions.select_related("fired_by").order_by("version"))

    # stages in the order the case entered them; the initial stage first
    entered: dict[str, str] = {procedure.initial: f"{case.opened_on:%Y-%m-%d} 启动"}
    order = [procedure.initial]
    for t in fired:
        if t.to_stage not in entered:
            order.append(t.to_stage)
        label = _transition_label(procedure, t.transition)
        entered[t.to_stage] = f"{t.fired_on:%Y-%m-%d} {label} · {_who(t.fired_by)}"
    blocks = {
        code: StageBlock(
            code=code,
            name=procedure.stage_name(code),
            entered=entered[code],
            current=code == case.stage,
        )
        for code in order
    }

    def block(stage: str) -> StageBlock:
        if stage not in blocks:  # an item recorded for a stage the case has not entered
            blocks[stage] = StageBlock(
                code=stage, name=procedure.stage_name(stage), entered="", current=False
            )
            order.append(stage)
        return blocks[stage]

    for r in records:
        block(r.stage).records.append(record_view(procedure, r))
    for e in evidence:
        block(e.stage).evidence.append(e)
    for a in av:
        block(a.stage).av.append(a)
    for o in officers:
        block(o.stage).officers.append(o)

    access = access_selectors.case_access(user, case)
    for b in blocks.values():
        for rv in b.records:
            rv.access = access.get("record", rv.record.pk)
        for e in b.evidence:
            e.access = access.get("evidence", e.pk)  # type: ignore[attr-defined]
        for a in b.av:
            a.access = access.get("av", a.pk)  # type: ignore[attr-defined]
    timeline = _timeline(case, procedure, records, evidence, av, officers, fired)
    for event in timeline:  # a marked item's content stays off the timeline of who may not read it
        locked = access.locked_label(event.anchor)
        if locked:
            event.what = locked
    roles = acting_roles(user)
    due, gap = case_deadlines(state)
    transitions, transitions_gap = transitions_or_gap(state, roles)
    stage_def = procedure.stage(case.stage)
    required = {k for req in stage_def.required for k in req.kinds}
    reg = registry()
    kinds = [reg.kind(k) for req in stage_def.required for k in req.kinds]
    kinds += [reg.kind(k) for k in stage_def.optional_records if k not in required]
    return CasePage(
        case=case,
        procedure=procedure,
        state=state,
        stages=[blocks[c] for c in order],
        timeline=timeline,
        transitions=transitions,
        transitions_gap=transitions_gap,
        requirements=engine.open_requirements(state),
        deadlines=due,
        calendar_gap=gap,
        next_kinds=list(dict.fromkeys(kinds)),
        required_kinds=required,
        av_level=state.av_requirements.get(case.stage, "none"),
        finished=engine.is_finished(state),
        officers=list(Officer.objects.filter(agency_id=case.agency_id).order_by("name")[:500]),
        access=access,
    )


def _timeline(
    case: Case,
    procedure: Procedure,
    records: list[Record],
    evidence: list[Evidence],
    av: list[AVRecording],
    officers: list[CaseOfficer],
    transitions: list[Any],
) -> list[TimelineEvent]:
    reg = registry()
    stage = procedure.stage_name
    events: list[TimelineEvent] = [
        TimelineEvent(
            at=case.created_at,
            what=f"启动案件（{case.source.get_kind_display()}）",
            who=_who(case.created_by),
            stage=stage(procedure.initial),
        )
    ]
    for r in records:
        what = f"制作{reg.kind_name(r.kind)}"
        if r.supersedes_id:
            what += f"（更正 R{r.supersedes_id}：{r.correction_reason}）"
        events.append(
            TimelineEvent(
                at=r.made_at, what=what, who=_who(r.made_by), stage=stage(r.stage), anchor=r.ref
            )
        )
        for s in r.signatures.all():
            verb = f"拒绝签名（{s.refusal_note}）" if s.refused else "签名"
            events.append(
                TimelineEvent(
                    at=s.signed_at,
                    what=f"{s.get_role_display()}{s.signer_name}{verb}于{reg.kind_name(r.kind)}",
                    who=_who(s.entered_by),
                    stage=stage(r.stage),
                    anchor=r.ref,
                )
            )
    for t in transitions:
        events.append(
            TimelineEvent(
                at=t.fired_at,
                what=f"{_transition_label(procedure, t.transition)}：{stage(t.from_stage)} → {stage(t.to_stage)}",
                who=_who(t.fired_by),
                stage=stage(t.to_stage),
            )
        )
    for e in evidence:
        events.append(
            TimelineEvent(
                at=e.created_at,
                what=f"登记证据（{e.get_kind_display()}）：{e.description[:30]}",
                who=_who(e.created_by),
                stage=stage(e.stage),
                anchor=f"E{e.pk}",
            )
        )
    for a in av:
        events.append(
            TimelineEvent(
                at=a.created_at,
                what=f"登记音像记录：{a.device}，{a.place}",
                who=_who(a.created_by),
                stage=stage(a.stage),
                anchor=f"AV{a.pk}",
            )
        )
    for o in officers:
        events.append(
            TimelineEvent(
                at=o.assigned_at,
                what=f"指派执法人员{o.officer.name}（{o.role}，证号{o.certificate_number}）",
                who="",
                stage=stage(o.stage),
            )
        )
    return sorted(chain(events), key=lambda e: e.at)
