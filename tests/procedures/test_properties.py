"""Property tests: random sequences of actions — adding records of any kind with random
signatures, refusals and dates, corrections, officers with valid or invalid certificates,
review results, AV, the passing of days, firing any transition — against every procedure.
Whatever the sequence, no reachable state breaks the rules the guards exist for.

The invariants are computed here independently of the guard library.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanxiang.procedures import all_procedures, registry
from sanxiang.procedures.engine import add_record, apply, check_record, is_finished
from sanxiang.procedures.model import Procedure, Registry
from sanxiang.procedures.state import (
    AVItem,
    CaseState,
    OfficerOnStage,
    RecordRefused,
    RecordSnapshot,
    ReviewStatus,
    TransitionRefused,
)

from .builders import OPENED, fake_due_date, new_state

CODES = [p.code for p in all_procedures()]
REFUSABLE = {"party", "witness"}
ALL_ROLES = [
    "officer",
    "party",
    "witness",
    "unit_head",
    "agency_head",
    "reviewer",
    "hearing_host",
    "recorder",
]
ACTORS = ["officer", "unit_head", "legal_reviewer", "agency_head"]


# ------------------------------------------------------------------ independent invariants


def signature_alternatives(
    procedure: Procedure, reg: Registry, stage: str, kind: str
) -> list[tuple[str, ...]]:
    for req in procedure.stage(stage).required:
        if kind in req.kinds and req.signatures is not None:
            return [spec.roles for spec in req.signatures]
    return [spec.roles for spec in reg.kinds[kind].signatures]


def signed(record: RecordSnapshot, alternatives: list[tuple[str, ...]]) -> bool:
    return all(
        any(r in record.signed_by or (r in REFUSABLE and r in record.refused_by) for r in roles)
        for roles in alternatives
    )


def stage_complete(state: CaseState, procedure: Procedure, reg: Registry, stage: str) -> bool:
    current = [r for r in state.records if not r.superseded and r.stage == stage]
    for record in current:
        if not signed(record, signature_alternatives(procedure, reg, stage, record.kind)):
            return False
    return all(
        sum(r.kind in req.kinds for r in current) >= req.min_count
        for req in procedure.stage(stage).required
    )


def valid_officers(state: CaseState, stage: str) -> set[str]:
    return {o.officer for o in state.officers if o.stage == stage and o.certificate_valid}


def review_ok(state: CaseState) -> bool:
    review = state.review
    return not review.required or (review.passed is True and review.matches_decision)


def check_state(state: CaseState, procedure: Procedure, reg: Registry) -> None:
    """Invariants of every reachable state."""
    # no record dated in the future or before the case was opened
    for record in state.records:
        assert state.opened_on <= record.made_on <= state.today, record
        if record.served_on is not None:
            assert state.opened_on <= record.served_on <= state.today, record
    # every stage the case has left is completely recorded and signed (so nothing reaches
    # closure with a required record of a passed stage missing)
    for stage in state.passed_stages():
        assert stage_complete(state, procedure, reg, stage), stage
    # never fewer officers than required where two are required
    for entry in state.history:
        t = procedure.transition(entry.transition)
        assert t is not None
        if "two_certified_officers" in t.guards:
            assert len(valid_officers(state, entry.from_stage)) >= 2
            assert all(o.certificate_valid for o in state.officers if o.stage == entry.from_stage)
        if "certified_officers" in t.guards:
            assert valid_officers(state, entry.from_stage)
    # no act is over while a source that must be told the outcome was not told (002 第三十条)
    if state.source_notify_required and is_finished(state, registry=reg):
        straight = all(
            e.from_stage == procedure.initial and e.to_stage in procedure.finals
            for e in state.history
        )
        counted = {state.stage, procedure.initial} if straight else {state.stage}
        told = [
            r
            for r in state.records
            if not r.superseded and r.kind == "source_notification" and r.stage in counted
        ]
        assert told or not procedure.stage(state.stage).closing_guards
    # the history is a walk of the definition
    stage = procedure.initial
    for entry in state.history:
        assert entry.from_stage == stage
        stage = entry.to_stage
    assert stage == state.stage


def check_fired(
    before: CaseState, after: CaseState, code: str, procedure: Procedure, reg: Registry
) -> None:
    """Invariants of a transition that was allowed, judged on the state it was fired in."""
    t = procedure.transition(code)
    assert t is not None
    assert stage_complete(before, procedure, reg, t.from_stage)
    if procedure.action_type == "penalty" and t.to_stage == "decision":
        # no penalty decided without a served rights notice and, if requested, a hearing
        notices = [r for r in before.records if not r.superseded and r.kind == "rights_notice"]
        assert notices
        assert before.served_on("rights_notice") is not None
        if before.hearing_requested():
            assert any(
                not r.superseded
                and r.kind == "hearing_record"
                and signed(r, [("hearing_host",), ("recorder",), ("party",)])
                for r in before.records
            )
    if "legal_review_passed_if_required" in t.guards:
        assert review_ok(before)  # no decision without a passed review where one is required
    if procedure.code == "penalty_simple" and t.from_stage == "decision":
        limit = Decimal(200) if before.party_kind == "natural_person" else Decimal(3000)
        for r in before.records:
            if not r.superseded and r.kind == "on_spot_decision" and r.amount is not None:
                assert r.amount <= limit
    assert after.version == before.version + 1
    assert after.records == before.records


# ------------------------------------------------------------------ random actions

Action = Callable[[CaseState, st.DataObject, Procedure, Registry], CaseState]


def _roles(
    data: st.DataObject, alternatives: list[tuple[str, ...]]
) -> tuple[frozenset[str], frozenset[str]]:
    """Signatures (mostly complete), sometimes a refusal, sometimes a gap or a stray role."""
    signers: set[str] = set()
    refusals: set[str] = set()
    mode = data.draw(st.sampled_from(["complete"] * 4 + ["refuse", "gap"]))
    for roles in alternatives:
        role = data.draw(st.sampled_from(roles))
        if mode == "gap" and data.draw(st.booleans()):
            continue
        if mode == "refuse" and role in REFUSABLE:
            refusals.add(role)
        else:
            signers.add(role)
    if data.draw(st.integers(0, 9)) == 0:
        signers.add(data.draw(st.sampled_from(ALL_ROLES)))
    if data.draw(st.integers(0, 19)) == 0:
        refusals.add(data.draw(st.sampled_from(ALL_ROLES)))
    return frozenset(signers), frozenset(refusals)


def _record(
    state: CaseState,
    data: st.DataObject,
    procedure: Procedure,
    reg: Registry,
    kind: str,
    stage: str,
) -> RecordSnapshot:
    spec = reg.kinds[kind]
    alternatives = (
        signature_alternatives(procedure, reg, stage, kind)
        if procedure.has_stage(stage)
        else [s.roles for s in spec.signatures]
    )
    signers, refusals = _roles(data, alternatives)
    shift = data.draw(st.sampled_from([0, 0, 0, 0, 1, 2, -1, -3, 5]))
    made_on = state.today - datetime.timedelta(days=shift)
    fields: dict[str, object] = {}
    if "served_on" in spec.data and data.draw(st.integers(0, 4)) > 0:
        fields["served_on"] = made_on + datetime.timedelta(
            days=data.draw(st.sampled_from([0, 0, 1, -1]))
        )
    if "service_method" in spec.data and "served_on" in fields:
        methods = [*reg.service_methods, "pigeon"]
        fields["service_method"] = data.draw(st.sampled_from(methods))
    if "document" in spec.data:
        served_kinds = [k for k in procedure.record_kinds_used() if reg.kinds[k].served]
        fields["document"] = data.draw(st.sampled_from([*sorted(served_kinds), "inquiry_record"]))
    if "hearing_requested" in spec.data:
        fields["hearing_requested"] = data.draw(st.booleans())
    if "statement_waived" in spec.data:
        fields["statement_waived"] = True
    if "amount" in spec.data:
        fields["amount"] = Decimal(
            data.draw(st.sampled_from([None, 50, 200, 201, 3000, 3001, 20000])) or 0
        )
    if "violations_found" in spec.data:
        fields["violations_found"] = data.draw(st.booleans())
    if data.draw(st.integers(0, 14)) == 0:  # data the kind does not carry
        fields["amount"] = Decimal(1)
    return RecordSnapshot(
        kind=kind,
        stage=stage,
        made_on=made_on,
        signed_by=signers,
        refused_by=refusals,
        **fields,  # type: ignore[arg-type]
    )


def _try_add(
    state: CaseState, record: RecordSnapshot, procedure: Procedure, reg: Registry
) -> CaseState:
    problems = [v for v in check_record(state, record) if v.severity == "error"]
    try:
        after = add_record(state, record)
    except RecordRefused as exc:
        assert problems and exc.violations == problems
        assert all(v.message.endswith(f"（{v.source}）") for v in exc.violations)
        return state
    assert not problems
    kind = reg.kinds[record.kind]
    if kind.decision and "agency_head" in record.signed_by:
        assert review_ok(state)  # no major decision signed without a passed review
    return after


def add_stage_record(state, data, procedure, reg):
    stage = procedure.stage(state.stage)
    kinds = sorted(stage.allowed_kinds)
    required = sorted({k for req in stage.required for k in req.kinds})
    kind = data.draw(st.sampled_from(required * 3 + kinds))
    return _try_add(state, _record(state, data, procedure, reg, kind, state.stage), procedure, reg)


def add_any_record(state, data, procedure, reg):
    kind = data.draw(st.sampled_from(sorted(reg.kinds)))
    stage = data.draw(st.sampled_from([s.code for s in procedure.stages] + ["nowhere"]))
    return _try_add(state, _record(state, data, procedure, reg, kind, stage), procedure, reg)


def correct_record(state, data, procedure, reg):
    current = [r for r in state.records if not r.superseded]
    if not current:
        return state
    old = data.draw(st.sampled_from(current))
    new = replace(_record(state, data, procedure, reg, old.kind, old.stage), supersedes=old.ref)
    return _try_add(state, new, procedure, reg)


def add_officer(state, data, procedure, reg):
    officer = OfficerOnStage(
        officer=data.draw(st.sampled_from(["O1", "O2", "O3"])),
        stage=state.stage,
        certificate_valid=data.draw(st.sampled_from([True] * 9 + [False])),
    )
    return replace(state, officers=(*state.officers, officer))


def set_review(state, data, procedure, reg):
    review = ReviewStatus(
        required=state.review.required,
        passed=data.draw(st.sampled_from([None, True, True, False])),
        matches_decision=data.draw(st.sampled_from([True, True, False])),
    )
    return replace(state, review=review)


def add_av(state, data, procedure, reg):
    item = AVItem(stage=state.stage, full_process=data.draw(st.booleans()))
    return replace(state, av_items=(*state.av_items, item))


def pass_days(state, data, procedure, reg):
    return replace(state, today=state.today + datetime.timedelta(days=data.draw(st.integers(0, 9))))


def _clean(state, data, procedure, reg, kind) -> RecordSnapshot:
    """The record a careful officer makes: every signature, served directly today."""
    alternatives = signature_alternatives(procedure, reg, state.stage, kind)
    spec = reg.kinds[kind]
    fields: dict[str, object] = {}
    if spec.served:
        fields.update(served_on=state.today, service_method="direct")
    if kind == "service_receipt":
        decisions = [
            r.kind for r in state.records if not r.superseded and reg.kinds[r.kind].decision
        ]
        fields.update(
            served_on=state.today,
            service_method="direct",
            document=decisions[-1] if decisions else "rights_notice",
        )
    if kind == "statement_waiver":
        fields["statement_waived"] = True
    if kind == "hearing_request":
        fields["hearing_requested"] = data.draw(st.booleans())
    if "amount" in spec.data:
        fields["amount"] = Decimal(data.draw(st.sampled_from([100, 100, 5000])))
    if "violations_found" in spec.data:
        fields["violations_found"] = data.draw(st.booleans())
    signers = {roles[0] for roles in alternatives}
    if kind == "service_receipt":
        signers.add("party")
    return RecordSnapshot(
        kind=kind,
        stage=state.stage,
        made_on=state.today,
        signed_by=frozenset(signers),
        **fields,  # type: ignore[arg-type]
    )


def _defective(record: RecordSnapshot, procedure: Procedure, reg: Registry) -> bool:
    if not signed(record, signature_alternatives(procedure, reg, record.stage, record.kind)):
        return True
    served = reg.kinds[record.kind].served or record.kind == "service_receipt"
    return served and (record.served_on is None or record.service_method != "direct")


def complete_stage(state, data, procedure, reg):
    """A diligent officer: corrects the defective records of the stage and adds every missing
    required one, complete, with days passing between them; two officers with valid
    certificates; the AV the list asks for; and, most of the time, the review and the
    collective discussion the decision needs."""
    stage = procedure.stage(state.stage)
    if state.review.required and data.draw(st.integers(0, 4)) > 0:
        state = replace(state, review=replace(state.review, passed=True, matches_decision=True))
    officers = tuple(
        OfficerOnStage(officer=name, stage=state.stage, certificate_valid=True)
        for name in ("O1", "O2")
    )
    state = replace(state, officers=(*state.officers, *officers))
    if state.av_requirements.get(state.stage, "none") != "none":
        state = replace(
            state, av_items=(*state.av_items, AVItem(stage=state.stage, full_process=True))
        )
    for old in [r for r in state.records if not r.superseded and r.stage == state.stage]:
        if _defective(old, procedure, reg) and data.draw(st.sampled_from([True, True, False])):
            fixed = replace(_clean(state, data, procedure, reg, old.kind), supersedes=old.ref)
            state = _try_add(state, fixed, procedure, reg)
    current = [r.kind for r in state.records if not r.superseded and r.stage == state.stage]
    wanted = [
        data.draw(st.sampled_from(req.kinds))
        for req in stage.required
        for _ in range(req.min_count - sum(kind in req.kinds for kind in current))
    ]
    if state.collective_discussion_required and "collective_discussion" in stage.allowed_kinds:
        wanted.insert(0, "collective_discussion")
    if state.hearing_eligible and "hearing_request" in stage.allowed_kinds:
        wanted.insert(0, "hearing_request")
    if (
        state.source_notify_required
        and stage.closing_guards
        and "source_notification" in stage.allowed_kinds
        and data.draw(st.integers(0, 3)) > 0
    ):
        wanted.append("source_notification")
    for kind in wanted:
        state = replace(
            state, today=state.today + datetime.timedelta(days=data.draw(st.integers(0, 12)))
        )
        state = _try_add(state, _clean(state, data, procedure, reg, kind), procedure, reg)
    return pass_days(state, data, procedure, reg)


def careless_stage(state, data, procedure, reg):
    """A careless officer: the stage's paperwork, signed, but documents left unserved, the
    review left as it is, a single officer — what the guards exist to stop."""
    state = replace(
        state,
        officers=(*state.officers, OfficerOnStage("O1", state.stage, certificate_valid=True)),
    )
    if state.review.required and data.draw(st.booleans()):
        # the amount or basis changed after the review: it no longer matches the decision
        state = replace(state, review=replace(state.review, matches_decision=False))
    stage = procedure.stage(state.stage)
    for req in stage.required:
        kind = data.draw(st.sampled_from(req.kinds))
        record = _clean(state, data, procedure, reg, kind)
        if kind != "service_receipt":
            record = replace(record, served_on=None, service_method=None)
        state = _try_add(state, record, procedure, reg)
    return pass_days(state, data, procedure, reg)


def fire(state, data, procedure, reg):
    # mostly onward, mostly away from the short cuts to the end, sometimes anything at all
    onward = [t.code for t in procedure.transitions_from(state.stage)]
    deeper = [
        t.code
        for t in procedure.transitions_from(state.stage)
        if t.to_stage not in procedure.finals
    ]
    everything = [t.code for t in procedure.transitions]
    code = data.draw(st.sampled_from(deeper * 6 + onward * 2 + everything))
    actors = data.draw(st.sampled_from([None, None, None, [data.draw(st.sampled_from(ACTORS))]]))
    try:
        after = apply(state, code, actor_roles=actors, due_date=fake_due_date)
    except TransitionRefused as exc:
        assert exc.violations
        assert all(v.message.endswith(f"（{v.source}）") for v in exc.violations)
        return state
    check_fired(state, after, code, procedure, reg)
    return after


ACTIONS: list[Action] = [
    add_stage_record,
    add_stage_record,
    add_any_record,
    correct_record,
    add_officer,
    set_review,
    add_av,
    pass_days,
    complete_stage,
    complete_stage,
    complete_stage,
    careless_stage,
    fire,
    fire,
    fire,
    fire,
    fire,
]


@pytest.mark.parametrize("code", CODES)
@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_random_actions_never_break_an_invariant(code, data):
    reg = registry()
    procedure = reg.procedures[code]
    levels = st.sampled_from(["none", "none", "av", "full_process"])
    state = new_state(
        code,
        hearing_eligible=data.draw(st.booleans()),
        collective_discussion_required=data.draw(st.booleans()),
        source_notify_required=data.draw(st.booleans()),
        party_kind=data.draw(
            st.sampled_from(["natural_person", "legal_person", "other_organisation"])
        ),
        review=ReviewStatus(required=data.draw(st.booleans())),
        av_requirements={s.code: data.draw(levels) for s in procedure.stages},
    )
    assert state.opened_on == OPENED
    check_state(state, procedure, reg)
    for _ in range(data.draw(st.integers(20, 120))):
        action = data.draw(st.sampled_from(ACTIONS))
        state = action(state, data, procedure, reg)
        check_state(state, procedure, reg)
