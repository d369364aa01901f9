"""The engine: applies a procedure definition to a case snapshot. Pure — no database.

The cases app builds a ``CaseState`` from the database, asks the engine what may happen next
and why not, and writes the result (``apply`` and ``add_record`` return the next state; the
cases app stores it with optimistic locking on ``state.version``)::

    for check in available_transitions(state):
        print(check.label, check.allowed, [v.message for v in check.violations])
    state = apply(state, "to_notice")          # TransitionRefused(violations) if refused
    state = add_record(state, record)          # RecordRefused(violations) if refused
    deadlines(state, due_date=core.workdays.due_date)

Every refusal is a list of ``Violation`` naming the rule and its article.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import cast

from sanxiang.core.rules import RuleProfile, get_profile

from .guards import (
    GUARDS,
    DueDateFn,
    GuardContext,
    cn_date,
    compute_due,
    dates_before_opening,
    future_dates,
    missing_signatures,
    review_violations,
    signature_specs,
    stage_gaps,
)
from .model import (
    ACTOR_ROLES,
    AV_LEVELS,
    DEADLINE_KINDS,
    RECORD_DATA_KEYS,
    REFUSABLE_ROLES,
    SIGNATURE_ROLES,
    DeadlineDef,
    Procedure,
    Registry,
    TransitionDef,
    UnknownProcedure,
)
from .state import (
    AVLevel,
    CaseState,
    RecordRefused,
    RecordSnapshot,
    StageEntry,
    TransitionRefused,
    Violation,
)

__all__ = [
    "DueItem",
    "RecordRefused",
    "TransitionCheck",
    "TransitionRefused",
    "add_record",
    "apply",
    "av_late_flags",
    "av_requirement",
    "available_transitions",
    "check_record",
    "check_transition",
    "closing_violations",
    "deadlines",
    "default_due_date",
    "is_finished",
    "open_requirements",
]

AV_STORAGE_SOURCE = "000 全过程记录办法 第二十六条；001 河南全过程记录办法 第二十二条"
# Signed records are never edited; a correction is a new record (004 第十三条; 002 第四十五条).
SIG_RULE = "004 第十三条；002 第四十五条"


def default_due_date(start: datetime.date, amount: int, unit: str) -> datetime.date:
    """core.workdays.due_date — needs the working-day calendar tables (and Django)."""
    from sanxiang.core.workdays import due_date

    return due_date(start, amount, unit)


def _registry(registry: Registry | None) -> Registry:
    if registry is not None:
        return registry
    from . import registry as shipped

    return shipped()


def _procedure(state: CaseState, registry: Registry) -> Procedure:
    try:
        return registry.procedures[state.procedure]
    except KeyError:
        raise UnknownProcedure(f"未知的执法程序“{state.procedure}”。") from None


def _dedupe(violations: Iterable[Violation]) -> list[Violation]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for v in violations:
        key = (v.code, v.message)
        if key not in seen:
            seen.add(key)
            unique.append(v)
    return unique


# ------------------------------------------------------------------ transitions


@dataclass(frozen=True)
class TransitionCheck:
    """A transition out of the current stage and whether it may be fired now."""

    transition: TransitionDef
    violations: tuple[Violation, ...]

    @property
    def allowed(self) -> bool:
        return not any(v.severity == "error" for v in self.violations)

    @property
    def code(self) -> str:
        return self.transition.code

    @property
    def label(self) -> str:
        return self.transition.label

    @property
    def to_stage(self) -> str:
        return self.transition.to_stage


def check_transition(
    state: CaseState,
    transition_code: str,
    *,
    actor_roles: Iterable[str] | None = None,
    due_date: DueDateFn | None = None,
    registry: Registry | None = None,
) -> list[Violation]:
    """Why the transition may not be fired now (empty: it may). ``actor_roles`` — the roles
    of the user firing it — are checked when given."""
    reg = _registry(registry)
    procedure = _procedure(state, reg)
    transition = procedure.transition(transition_code)
    basis = procedure.basis_text
    if transition is None:
        known = "、".join(f"{t.code}（{t.label}）" for t in procedure.transitions)
        return [
            Violation.make(
                "unknown_transition",
                f"执法程序“{procedure.name}”没有“{transition_code}”这一流转（可用：{known}）",
                basis,
            )
        ]
    if state.stage != transition.from_stage:
        return [
            Violation.make(
                "wrong_stage",
                f"案件处于{procedure.stage_name(state.stage)}环节，不能执行“{transition.label}”"
                f"（该流转自{procedure.stage_name(transition.from_stage)}环节出发）",
                basis,
                stage=state.stage,
            )
        ]
    violations: list[Violation] = []
    if actor_roles is not None:
        roles = set(actor_roles)
        if not roles & set(transition.roles):
            allowed = "、".join(ACTOR_ROLES[r] for r in transition.roles)
            violations.append(
                Violation.make(
                    "role_not_allowed",
                    f"“{transition.label}”须由{allowed}执行",
                    transition.source,
                    stage=state.stage,
                )
            )
    ctx = GuardContext(
        state=state,
        procedure=procedure,
        registry=reg,
        transition=transition,
        due_date=due_date or default_due_date,
    )
    implicit = [g for g in GUARDS.values() if g.implicit]
    for g in [*implicit, *(GUARDS[name] for name in transition.guards)]:
        violations.extend(g.check(ctx))
    return _dedupe(violations)


def available_transitions(
    state: CaseState,
    *,
    actor_roles: Iterable[str] | None = None,
    due_date: DueDateFn | None = None,
    registry: Registry | None = None,
) -> list[TransitionCheck]:
    """Every transition out of the current stage, each with what stands in its way."""
    reg = _registry(registry)
    procedure = _procedure(state, reg)
    return [
        TransitionCheck(
            transition=t,
            violations=tuple(
                check_transition(
                    state, t.code, actor_roles=actor_roles, due_date=due_date, registry=reg
                )
            ),
        )
        for t in procedure.transitions_from(state.stage)
    ]


def apply(
    state: CaseState,
    transition_code: str,
    *,
    actor_roles: Iterable[str] | None = None,
    due_date: DueDateFn | None = None,
    registry: Registry | None = None,
) -> CaseState:
    """The state after firing the transition today; TransitionRefused(violations) if it may
    not be fired. ``state`` itself is never changed."""
    violations = check_transition(
        state, transition_code, actor_roles=actor_roles, due_date=due_date, registry=registry
    )
    errors = [v for v in violations if v.severity == "error"]
    if errors:
        raise TransitionRefused(errors)
    procedure = _procedure(state, _registry(registry))
    transition = procedure.transition(transition_code)
    assert transition is not None
    entry = StageEntry(
        transition=transition.code,
        from_stage=transition.from_stage,
        to_stage=transition.to_stage,
        on=state.today,
    )
    return replace(
        state,
        stage=transition.to_stage,
        history=(*state.history, entry),
        version=state.version + 1,
    )


def closing_violations(
    state: CaseState, *, due_date: DueDateFn | None = None, registry: Registry | None = None
) -> list[Violation]:
    """In a final stage: what its closing guards (``closing_guards`` of the stage) still
    refuse — checked whichever transition brought the case there. Empty elsewhere."""
    reg = _registry(registry)
    procedure = _procedure(state, reg)
    if state.stage not in procedure.finals:
        return []
    stage = procedure.stage(state.stage)
    if not stage.closing_guards:
        return []
    finish = TransitionDef(
        code="finish",
        label="结案",
        from_stage=stage.code,
        to_stage=stage.code,
        guards=stage.closing_guards,
        roles=(),
        source=stage.source,
    )
    ctx = GuardContext(
        state=state,
        procedure=procedure,
        registry=reg,
        transition=finish,
        due_date=due_date or default_due_date,
    )
    return _dedupe(v for name in stage.closing_guards for v in GUARDS[name].check(ctx))


def open_requirements(state: CaseState, *, registry: Registry | None = None) -> list[Violation]:
    """What the current stage still lacks (records, signatures; in a final stage, its closing
    guards too) — the officer's to-do list."""
    reg = _registry(registry)
    gaps = stage_gaps(state, _procedure(state, reg), reg, state.stage)
    return _dedupe([*gaps, *closing_violations(state, registry=reg)])


def is_finished(state: CaseState, *, registry: Registry | None = None) -> bool:
    """In a final stage whose own records are complete and whose closing guards pass: the
    act is over (结案/办结)."""
    reg = _registry(registry)
    procedure = _procedure(state, reg)
    if state.stage not in procedure.finals or stage_gaps(state, procedure, reg, state.stage):
        return False
    return not any(v.severity == "error" for v in closing_violations(state, registry=reg))


# ------------------------------------------------------------------ records


def check_record(
    state: CaseState, record: RecordSnapshot, *, registry: Registry | None = None
) -> list[Violation]:
    """Why the record may not be added (empty: it may). A record goes into the current
    stage; a correction (``record.supersedes`` = the ref of a current record) goes into the
    stage of the record it corrects and, for a stage already passed, must itself be complete
    so that the passed stage stays complete."""
    reg = _registry(registry)
    procedure = _procedure(state, reg)
    basis = "000 全过程记录办法 第十条；004 第十三条"
    kind = reg.kinds.get(record.kind)
    if kind is None:
        return [Violation.make("unknown_kind", f"未登记的文书种类“{record.kind}”", basis)]
    violations: list[Violation] = []
    old = None
    if record.supersedes:
        old = state.record(record.supersedes)
        if old is None:
            violations.append(
                Violation.make(
                    "unknown_record", f"要更正的记录“{record.supersedes}”不存在", SIG_RULE
                )
            )
        elif old.superseded:
            violations.append(
                Violation.make(
                    "already_superseded",
                    f"记录“{old.ref}”已被更正，应更正其最新版本",
                    SIG_RULE,
                )
            )
        elif old.stage != record.stage or not _interchangeable(
            procedure, old.stage, old.kind, record.kind
        ):
            violations.append(
                Violation.make(
                    "correction_mismatch",
                    f"更正记录应与原记录“{old.ref}”属于同一环节，且为同一种文书"
                    "（或同一项必备记录的另一种文书，如以不予受理通知书更正受理通知书）",
                    SIG_RULE,
                )
            )
    elif record.stage != state.stage:
        violations.append(
            Violation.make(
                "wrong_stage",
                f"案件处于{procedure.stage_name(state.stage)}环节，新记录应归入本环节，"
                f"不能归入{procedure.stage_name(record.stage)}环节",
                basis,
                stage=record.stage,
            )
        )
    if not procedure.has_stage(record.stage):
        violations.append(
            Violation.make(
                "unknown_stage",
                f"执法程序“{procedure.name}”没有“{record.stage}”环节",
                procedure.basis_text,
            )
        )
    elif record.kind not in procedure.stage(record.stage).allowed_kinds:
        stage = procedure.stage(record.stage)
        violations.append(
            Violation.make(
                "kind_not_in_stage",
                f"{kind.name}不属于{procedure.name}的{stage.name}环节",
                stage.source,
                stage=record.stage,
            )
        )
    if record.ref and state.record(record.ref) is not None:
        violations.append(
            Violation.make("duplicate_ref", f"记录编号“{record.ref}”已存在", SIG_RULE)
        )
    violations.extend(_record_dates(state, record))
    violations.extend(_record_fields(state, record, reg))
    if kind.decision and "agency_head" in record.signed_by:
        source = GUARDS["legal_review_passed_if_required"].source_for(procedure.action_type)
        violations.extend(review_violations(state, source))
    if old is not None and old.stage in state.passed_stages():
        specs = signature_specs(procedure, reg, record.stage, record.kind)
        missing = missing_signatures(record, specs)
        if missing:
            violations.append(
                Violation.make(
                    "correction_incomplete",
                    f"{procedure.stage_name(record.stage)}环节已办结，更正后的{kind.name}须签名完备"
                    f"（缺少{'、'.join(s.label for s in missing)}的签名或拒签记录）",
                    SIG_RULE,
                    stage=record.stage,
                )
            )
        if old.served_on is not None and record.served_on is None:
            violations.append(
                Violation.make(
                    "correction_unserved",
                    f"原{kind.name}已送达，更正记录须载明送达日期",
                    SIG_RULE,
                    stage=record.stage,
                )
            )
    return _dedupe(violations)


def _interchangeable(procedure: Procedure, stage: str, old: str, new: str) -> bool:
    """Same kind, or alternatives of one requirement of the stage (any_of)."""
    if old == new:
        return True
    if not procedure.has_stage(stage):
        return False
    return any(old in req.kinds and new in req.kinds for req in procedure.stage(stage).required)


def _record_dates(state: CaseState, record: RecordSnapshot) -> list[Violation]:
    probe = replace(state, records=(record,))
    violations = future_dates(probe) + dates_before_opening(probe)
    if record.served_on is not None and record.served_on < record.made_on:
        violations.append(
            Violation.make(
                "served_before_made",
                f"送达日期（{cn_date(record.served_on)}）早于制作日期（{cn_date(record.made_on)}）",
                "002 第二十三条",
                ref=record.ref,
            )
        )
    return violations


def _record_fields(state: CaseState, record: RecordSnapshot, reg: Registry) -> list[Violation]:
    kind = reg.kinds[record.kind]
    violations = []
    unknown_signers = sorted(set(record.signed_by) - set(SIGNATURE_ROLES))
    if unknown_signers:
        violations.append(
            Violation.make(
                "unknown_signer", f"未知的签名角色：{'、'.join(unknown_signers)}", SIG_RULE
            )
        )
    bad_refusals = sorted(set(record.refused_by) - REFUSABLE_ROLES)
    if bad_refusals:
        violations.append(
            Violation.make(
                "staff_refusal",
                "只有当事人或者见证人拒绝签名可以记录在案，执法人员和负责人必须签名"
                f"（{'、'.join(SIGNATURE_ROLES.get(r, r) for r in bad_refusals)}）",
                SIG_RULE,
            )
        )
    both = sorted(set(record.signed_by) & set(record.refused_by))
    if both:
        violations.append(
            Violation.make(
                "signed_and_refused",
                f"同一角色不能既签名又拒签：{'、'.join(SIGNATURE_ROLES.get(r, r) for r in both)}",
                SIG_RULE,
            )
        )
    data = {
        "hearing_requested": record.hearing_requested,
        "statement_waived": record.statement_waived,
        "served_on": record.served_on,
        "service_method": record.service_method,
        "document": record.document,
        "amount": record.amount,
        "violations_found": record.violations_found,
    }
    for key, value in data.items():
        if value is not None and key not in kind.data:
            violations.append(
                Violation.make(
                    "unexpected_data",
                    f"{kind.name}不载明“{_data_label(key)}”",
                    kind.source,
                    ref=record.ref,
                )
            )
    if record.service_method is not None and record.service_method not in reg.service_methods:
        listed = "、".join(m.name for m in reg.service_methods.values())
        violations.append(
            Violation.make(
                "unknown_service_method",
                f"送达方式“{record.service_method}”不是法定送达方式（{listed}）",
                reg.service_source,
                ref=record.ref,
            )
        )
    if record.document is not None:
        target = reg.kinds.get(record.document)
        if target is None or not target.served:
            violations.append(
                Violation.make(
                    "unknown_document",
                    f"“{record.document}”不是须送达的文书",
                    reg.service_source,
                    ref=record.ref,
                )
            )
    if record.amount is not None and record.amount < 0:
        violations.append(
            Violation.make("negative_amount", "金额不能为负数", kind.source, ref=record.ref)
        )
    return violations


def _data_label(key: str) -> str:
    return RECORD_DATA_KEYS.get(key, key)


def add_record(
    state: CaseState, record: RecordSnapshot, *, registry: Registry | None = None
) -> CaseState:
    """The state with the record added (a correction marks the record it supersedes);
    RecordRefused(violations) if it may not be added."""
    violations = check_record(state, record, registry=registry)
    errors = [v for v in violations if v.severity == "error"]
    if errors:
        raise RecordRefused(errors)
    if not record.ref:
        record = replace(record, ref=f"R{len(state.records) + 1}")
    records = tuple(
        replace(r, superseded=True) if record.supersedes and r.ref == record.supersedes else r
        for r in state.records
    )
    return replace(state, records=(*records, record), version=state.version + 1)


# ------------------------------------------------------------------ deadlines


@dataclass(frozen=True)
class DueItem:
    """One deadline of the case: started, with its due date and where it stands.

    status: pending (running), met (done in time), late (done after the due date), overdue
    (not done, past due), open / elapsed (a window still running / over, nobody acted),
    unfixed (the profile fixes no value, or no profile was given).
    """

    code: str
    label: str
    kind: str
    start_event: str
    start_on: datetime.date
    due_on: datetime.date | None
    done_on: datetime.date | None
    status: str
    source: str
    amount: int | None = None
    unit: str | None = None
    note: str = ""

    @property
    def kind_label(self) -> str:
        return DEADLINE_KINDS.get(self.kind, self.kind)

    @property
    def overdue(self) -> bool:
        return self.status in {"overdue", "late"}


def event_date(state: CaseState, event: str, *, earliest: bool = True) -> datetime.date | None:
    """When an event of the definitions' vocabulary happened, or None."""
    if event == "opened":
        return state.opened_on
    if event == "review_submitted":
        return state.review.submitted_on
    if event == "review_decided":
        return state.review.decided_on
    if event == "archived":
        return state.archived_on
    prefix, _, code = event.partition(":")
    if prefix == "entered":
        return state.entered_on(code)
    if prefix == "served":
        return state.served_on(code)
    if prefix == "record":
        dates = [r.made_on for r in state.current_records(kinds=(code,))]
        if not dates:
            return None
        return min(dates) if earliest else max(dates)
    raise ValueError(f"无法识别的事件“{event}”。")


def _condition(state: CaseState, name: str | None) -> bool:
    if name is None:
        return True
    return {
        "hearing_eligible": state.hearing_eligible,
        "hearing_requested": state.hearing_requested(),
        "review_required": state.review.required,
        "review_extended": state.review.extended,
    }[name]


def deadlines(
    state: CaseState,
    *,
    due_date: DueDateFn | None = None,
    profile: RuleProfile | None = None,
    registry: Registry | None = None,
) -> list[DueItem]:
    """The deadlines that have started, soonest first. Working days and calendar days are
    counted by ``due_date`` (default: core.workdays, which reads the calendar tables and
    raises CalendarNotCovered for a year without holiday data — never a guess)."""
    reg = _registry(registry)
    procedure = _procedure(state, reg)
    due_fn = due_date or default_due_date
    if profile is None and state.profile:
        profile = get_profile(state.profile)
    items = []
    for d in procedure.deadlines:
        if not _condition(state, d.condition):
            continue
        start_on = event_date(state, d.start)
        if start_on is None:
            continue
        items.append(_due_item(state, d, start_on, due_fn, profile))
    far = datetime.date.max
    return sorted(items, key=lambda i: (i.due_on or far, i.code))


def _due_item(
    state: CaseState,
    d: DeadlineDef,
    start_on: datetime.date,
    due_fn: DueDateFn,
    profile: RuleProfile | None,
) -> DueItem:
    ends = [event_date(state, e) for e in d.end]
    done = [day for day in ends if day is not None and day >= start_on]
    done_on = min(done) if done else None
    amount, unit, source, note = d.amount, d.unit, d.source, d.note
    due_on: datetime.date | None = None
    if d.profile_key is not None:
        if profile is None:
            note = "未指定规则配置，无法确定期限。"
        else:
            rule = profile.rule(d.profile_key)
            period = profile.period(d.profile_key)
            source = rule.source
            if period is None:
                note = rule.note or "所依据的办法未规定具体期限。"
            else:
                amount, unit = period.amount, period.unit
    if amount is not None and unit is not None:
        due_on = compute_due(due_fn, start_on, amount, unit)
        if d.extend_by is not None and profile is not None and _condition(state, d.extend_when):
            extension = profile.period(d.extend_by)
            if extension is not None:
                due_on = compute_due(due_fn, due_on, extension.amount, extension.unit)
                source = f"{source}；{profile.rule(d.extend_by).source}"
                amount = amount + extension.amount
    return DueItem(
        code=d.code,
        label=d.label,
        kind=d.kind,
        start_event=d.start,
        start_on=start_on,
        due_on=due_on,
        done_on=done_on,
        status=_status(d.kind, due_on, done_on, state.today),
        source=source,
        amount=amount,
        unit=unit,
        note=note,
    )


def _status(
    kind: str,
    due_on: datetime.date | None,
    done_on: datetime.date | None,
    today: datetime.date,
) -> str:
    if due_on is None:
        return "unfixed"
    if kind == "window":
        if done_on is not None:
            return "met" if done_on <= due_on else "late"
        return "open" if today <= due_on else "elapsed"
    if done_on is not None:
        return "met" if done_on <= due_on else "late"
    return "pending" if today <= due_on else "overdue"


# ------------------------------------------------------------------ audio and video


def av_requirement(procedure: Procedure, stage_code: str, levels: Mapping[str, str]) -> AVLevel:
    """The AV a stage needs, from the AV matter list (``levels``: catalogue code → level):
    the strictest of the stage's own entry and those of the on-site activities it holds."""
    order = list(AV_LEVELS)
    stage = procedure.stage(stage_code)
    found = [levels.get(code, "none") for code in (stage.code, *stage.activities)]
    best = max(found, key=lambda level: order.index(level) if level in order else 0)
    return cast(AVLevel, best)


def av_late_flags(
    state: CaseState,
    window_hours: int | None,
    *,
    source: str = AV_STORAGE_SOURCE,
    now: datetime.datetime | None = None,
) -> list[Violation]:
    """AV stored later than ``window_hours`` after the officers returned (a warning, not a
    refusal). ``window_hours`` is the profile's ``recording.av_storage.remote_hours``; None
    (the measure fixes none) flags nothing. With ``now``, AV not yet stored past the window
    is flagged too."""
    if window_hours is None:
        return []
    window = datetime.timedelta(hours=window_hours)
    flags = []
    for item in state.av_items:
        if item.returned_at is None:
            continue
        limit = item.returned_at + window
        if item.stored_at is not None and item.stored_at > limit:
            late = item.stored_at - item.returned_at
            hours = late.days * 24 + late.seconds // 3600
            flags.append(
                Violation.make(
                    "av_stored_late",
                    f"音像记录于返回后约{hours}小时才储存，超过{window_hours}小时的储存时限",
                    source,
                    severity="warning",
                    stage=item.stage,
                    ref=item.ref,
                )
            )
        elif item.stored_at is None and now is not None and now > limit:
            flags.append(
                Violation.make(
                    "av_not_stored",
                    f"音像记录在返回后{window_hours}小时内尚未储存",
                    source,
                    severity="warning",
                    stage=item.stage,
                    ref=item.ref,
                )
            )
    return flags
