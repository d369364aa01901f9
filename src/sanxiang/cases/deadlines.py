"""The case's next deadline and next step, kept on the case row so that inboxes and
supervisors can ask "what is due, what is overdue, what is it waiting for" with one indexed
query over millions of cases, instead of running the procedure engine on every case.

``refresh_next_due(case)`` runs the engine for one case and stores the soonest open
deadline (``Case.next_due_on`` / ``next_due_label``) and the next step (``next_step``: what
the current stage still lacks, else the transitions it is ready for). Every service that changes
what a deadline depends on (records, signatures, transitions, closure, the legal review)
calls it in its own transaction; ``sanxiang refresh_case_deadlines`` recomputes in batches
(after a bulk load, or when a new year's holiday notice is entered). Whether a deadline is
overdue is a comparison with today, so it needs no refresh as days pass.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import replace

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from sanxiang.core.workdays import CalendarNotCovered
from sanxiang.procedures import engine, get_procedure
from sanxiang.procedures.engine import DueItem
from sanxiang.procedures.state import CaseState

from .models import Case
from .state import build_case_state

# What the officer has to act on: the agency's own deadlines and the party's, running or
# passed; a window (e.g. the hearing-request period) only says when the next step may come.
ACTION_STATUSES = frozenset({"pending", "overdue"})
UNCOVERED_LABEL_PREFIX = "无法计算："


def case_deadlines(state: CaseState) -> tuple[list[DueItem], str]:
    """The case's deadlines, each computed on its own: one that runs into a year the
    working-day calendar does not cover gets no due date — status "uncovered", never a
    guess — unless it was met within as many calendar days as it allows, which no holiday
    can shorten (status "met"). The second value says which year is missing and how to add
    it, when an open deadline needs it."""
    missing: list[CalendarNotCovered] = []

    def due(start: datetime.date, amount: int, unit: str) -> datetime.date:
        if start == datetime.date.max:  # an extension of a due date already unknown
            return start
        try:
            return engine.default_due_date(start, amount, unit)
        except CalendarNotCovered as exc:
            missing.append(exc)
            return datetime.date.max

    items = []
    for item in engine.deadlines(state, due_date=due):
        if item.due_on == datetime.date.max:
            surely_by = item.start_on + datetime.timedelta(days=item.amount or 0)
            met = item.done_on is not None and item.done_on <= surely_by
            year = missing[0].year if missing else item.start_on.year
            item = replace(
                item,
                due_on=None,
                status="met" if met else "uncovered",
                note=f"工作日历未包含{year}年的节假日数据，无法计算届满日",
            )
        items.append(item)
    gap = str(missing[0]) if missing and any(i.status == "uncovered" for i in items) else ""
    return items, gap


def next_due(items: Iterable[DueItem]) -> DueItem | None:
    """The soonest deadline still to be met; else the soonest open window."""
    open_items = [i for i in items if i.due_on is not None]
    acting = [i for i in open_items if i.status in ACTION_STATUSES]
    waiting = [i for i in open_items if i.status == "open"]
    for group in (acting, waiting):
        if group:
            return min(group, key=lambda i: (i.due_on, i.code))
    return None


def next_step(state: CaseState) -> str:
    """In words, for any reader: what the stage lacks, else what it is ready for."""
    procedure = get_procedure(state.procedure)
    gaps = [v for v in engine.open_requirements(state) if v.severity == "error"]
    if gaps:
        more = f"等{len(gaps)}项" if len(gaps) > 1 else ""
        return f"待补：{gaps[0].message.split('（')[0]}{more}"[:255]
    if state.stage in procedure.finals:
        return "记录已完备，待办结" if engine.is_finished(state) else ""
    try:
        checks = engine.available_transitions(state)
    except CalendarNotCovered as exc:
        return f"{UNCOVERED_LABEL_PREFIX}工作日历未包含{exc.year}年的节假日数据"
    ready = [c.label for c in checks if c.allowed]
    if ready:
        return ("可办理：" + "、".join(ready))[:255]
    return ("待条件满足：" + "、".join(c.label for c in checks))[:255] if checks else ""


def compute_next_due(
    case: Case, today: datetime.date, state: CaseState | None = None
) -> tuple[datetime.date | None, str, str]:
    state = state or build_case_state(case, today)
    step = next_step(state) if case.status == Case.Status.OPEN else ""
    items, _ = case_deadlines(state)
    item = next_due(items)
    uncovered = [i for i in items if i.status == "uncovered"]
    if item is None:
        if uncovered:
            first = uncovered[0]
            return None, f"{UNCOVERED_LABEL_PREFIX}{first.label}（{first.note}）"[:255], step
        return None, "", step
    more = "；另有期限因日历未覆盖无法计算" if uncovered else ""
    return item.due_on, f"{item.label}（{item.source}）{more}"[:255], step


def refresh_next_due(case: Case, *, state: CaseState | None = None) -> Case:
    """Store the case's next deadline and step (no version bump: nothing the user decided
    changed). Reads the case afresh — the caller's copy may predate the action just taken —
    unless the caller hands over the engine's state after the action (a transition does)."""
    fresh = Case.objects.select_related("agency__jurisdiction").get(pk=case.pk)
    due_on, label, step = compute_next_due(fresh, timezone.localdate(), state)
    Case.objects.filter(pk=case.pk).update(next_due_on=due_on, next_due_label=label, next_step=step)
    case.next_due_on, case.next_due_label, case.next_step = due_on, label, step
    return case


def refresh_all(cases: QuerySet[Case], *, batch: int = 500) -> int:
    """Refresh every case of ``cases`` in id order, a batch per transaction (never the whole
    table in memory); the number refreshed."""
    done, last = 0, 0
    while True:
        ids = list(cases.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return done
        with transaction.atomic():
            for case in Case.objects.filter(pk__in=ids).order_by("pk"):
                refresh_next_due(case)
        done, last = done + len(ids), ids[-1]
