"""Builders for procedure-engine tests: complete records, officers and happy-path walks."""

from __future__ import annotations

import datetime
from collections import deque
from dataclasses import replace
from decimal import Decimal

from sanxiang.procedures import registry
from sanxiang.procedures.engine import add_record, apply
from sanxiang.procedures.model import Procedure, Registry
from sanxiang.procedures.state import (
    CaseState,
    OfficerOnStage,
    RecordSnapshot,
    ReviewStatus,
)

OPENED = datetime.date(2024, 3, 4)  # a Monday


def fake_due_date(start: datetime.date, amount: int, unit: str) -> datetime.date:
    """Working days skip Saturdays and Sundays; calendar days are plain (no holidays)."""
    if unit == "calendar_days":
        return start + datetime.timedelta(days=amount)
    assert unit == "workdays", unit
    day = start
    for _ in range(amount):
        day += datetime.timedelta(days=1)
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
    return day


def new_state(code: str, **changes: object) -> CaseState:
    reg = registry()
    procedure = reg.procedures[code]
    state = CaseState(
        procedure=code,
        stage=procedure.initial,
        opened_on=OPENED,
        today=OPENED,
        profile="zhengzhou",
    )
    return replace(state, **changes)  # type: ignore[arg-type]


def complete_record(
    state: CaseState, kind_code: str, *, stage: str | None = None, **data: object
) -> RecordSnapshot:
    """A record of the kind for the current stage, signed by everyone it needs, dated today;
    served documents served today directly, 送达回证 naming a served document."""
    reg: Registry = registry()
    procedure = reg.procedures[state.procedure]
    stage = stage or state.stage
    kind = reg.kinds[kind_code]
    from sanxiang.procedures.guards import signature_specs

    signed = {spec.roles[0] for spec in signature_specs(procedure, reg, stage, kind_code)}
    fields: dict[str, object] = {}
    if kind.served:
        fields.update(served_on=state.today, service_method="direct")
    if kind_code == "service_receipt":
        signed.add("party")
        fields.update(
            served_on=state.today,
            service_method="direct",
            document=_document_to_serve(state, procedure),
        )
    if "amount" in kind.data:
        fields["amount"] = Decimal("100")
    if kind_code == "statement_waiver":
        fields["statement_waived"] = True
    fields.update(data)
    return RecordSnapshot(
        kind=kind_code,
        stage=stage,
        made_on=state.today,
        signed_by=frozenset(signed),
        **fields,  # type: ignore[arg-type]
    )


def _document_to_serve(state: CaseState, procedure: Procedure) -> str:
    reg = registry()
    decisions = [
        r.kind
        for r in state.current_records()
        if reg.kinds[r.kind].decision and reg.kinds[r.kind].served
    ]
    if decisions:
        return decisions[-1]
    return "rights_notice"


def fill_stage(state: CaseState, *, officers: int = 2) -> CaseState:
    """Add the first kind of every requirement of the current stage (as many as needed),
    and officers with valid certificates."""
    reg = registry()
    procedure = reg.procedures[state.procedure]
    stage = procedure.stage(state.stage)
    for req in stage.required:
        for _ in range(req.min_count):
            state = add_record(state, complete_record(state, req.kinds[0]))
    new_officers = tuple(
        OfficerOnStage(
            officer=f"O{i}", stage=state.stage, certificate_valid=True, certificate_number=f"Z{i}"
        )
        for i in range(1, officers + 1)
    )
    return replace(state, officers=(*state.officers, *new_officers))


def path_to(procedure: Procedure, target: str) -> list[str]:
    """Transition codes of a shortest path from the initial stage to ``target``."""
    queue: deque[tuple[str, list[str]]] = deque([(procedure.initial, [])])
    seen = {procedure.initial}
    while queue:
        stage, path = queue.popleft()
        if stage == target:
            return path
        for t in procedure.transitions_from(stage):
            if t.to_stage not in seen:
                seen.add(t.to_stage)
                queue.append((t.to_stage, [*path, t.code]))
    raise AssertionError(f"{target} unreachable")


def prepare_for(state: CaseState, transition_code: str) -> CaseState:
    """Satisfy the transition's special guards (records beyond the stage's own)."""
    reg = registry()
    procedure = reg.procedures[state.procedure]
    t = procedure.transition(transition_code)
    assert t is not None
    for name in t.guards:
        if name == "hearing_requested":
            state = replace(state, hearing_eligible=True)
            state = add_record(
                state, complete_record(state, "hearing_request", hearing_requested=True)
            )
        elif name == "application_rejected":
            state = _swap(state, "acceptance_notice", "rejection_notice")
        elif name == "violations_found":
            latest = state.latest("inspection_result")
            assert latest is not None
            state = add_record(
                state,
                replace(
                    complete_record(state, "inspection_result", violations_found=True),
                    supersedes=latest.ref,
                ),
            )
        elif name == "legal_review_passed_if_required":
            state = replace(state, review=ReviewStatus(required=True, passed=True))
        elif name == "hearing_notice_timely":
            notice = state.latest("hearing_notice")
            hearing = state.latest("hearing_record")
            assert notice is not None and hearing is not None
            later = fake_due_date(state.today, 7, "workdays")
            state = replace(state, today=later)
            state = add_record(
                state, replace(complete_record(state, "hearing_record"), supersedes=hearing.ref)
            )
    return state


def _swap(state: CaseState, old_kind: str, new_kind: str) -> CaseState:
    old = state.latest(old_kind)
    records = tuple(
        replace(r, superseded=True) if old is not None and r.ref == old.ref else r
        for r in state.records
    )
    state = replace(state, records=records)
    return add_record(state, complete_record(state, new_kind))


def walk(code: str, target: str, **changes: object) -> CaseState:
    """Drive a case of procedure ``code`` along a shortest path to stage ``target``."""
    reg = registry()
    procedure = reg.procedures[code]
    state = new_state(code, **changes)
    for transition_code in path_to(procedure, target):
        state = fill_stage(state)
        state = prepare_for(state, transition_code)
        state = replace(state, today=state.today + datetime.timedelta(days=10))
        state = apply(state, transition_code, due_date=fake_due_date)
    return fill_stage(state)


def walk_path(code: str, transitions: list[str], **changes: object) -> CaseState:
    """Drive a case through the given transitions, filling each stage first."""
    state = new_state(code, **changes)
    for transition_code in transitions:
        state = fill_stage(state)
        state = prepare_for(state, transition_code)
        state = replace(state, today=state.today + datetime.timedelta(days=10))
        state = apply(state, transition_code, due_date=fake_due_date)
    return fill_stage(state)


# The longest lawful path of each procedure, through every non-optional stage (and the
# optional ones where a path needs them).
FULL_PATHS: dict[str, list[str]] = {
    "penalty_general": [
        "file",
        "to_notice",
        "hear_statement",
        "to_hearing",
        "hearing_done",
        "issue",
        "execute",
        "close",
    ],
    "penalty_simple": ["hand_over", "execute", "close"],
    "coercion": [
        "approve",
        "hear_statement",
        "submit_decision",
        "issue",
        "implement",
        "release",
        "close_after_release",
    ],
    "inspection": ["conclude", "hand_over"],
    "expropriation": ["announce", "implement"],
    "licensing": [
        "receive",
        "accept",
        "to_hearing",
        "hearing_done",
        "issue",
        "revoke",
        "revocation_done",
    ],
    "confirmation": ["receive", "accept", "submit_decision", "issue", "conclude"],
    "payment": ["receive", "accept", "submit_decision", "issue", "conclude"],
    "reward": ["receive", "accept", "submit_decision", "issue", "conclude"],
    "adjudication": ["receive", "accept", "submit_decision", "issue", "conclude"],
}
