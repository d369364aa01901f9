"""The stored next deadline (cases.deadlines) where the working-day calendar does not cover
a deadline's end: no guess, but a deadline met within as many calendar days as it allows
is known to be met."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sanxiang.cases.deadlines import case_deadlines, compute_next_due
from sanxiang.cases.state import build_case_state
from sanxiang.core.workdays import CalendarNotCovered
from sanxiang.procedures import engine
from tests.cases.factories import open_penalty, signed_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def uncovered(monkeypatch):
    def due(start, amount, unit):
        raise CalendarNotCovered(start.year + 1)

    monkeypatch.setattr(engine, "default_due_date", due)


def test_an_open_deadline_beyond_the_calendar_is_uncovered_not_guessed(world, uncovered):
    case = open_penalty(world)
    signed_record(world, case, "filing_approval", 10, ["officer", "unit_head", "agency_head"])
    items, gap = case_deadlines(build_case_state(case, timezone.localdate()))
    decision = next(i for i in items if i.code == "decision_within_90_days")
    assert decision.status == "uncovered" and decision.due_on is None
    assert f"{case.opened_on.year + 1}年" in gap
    due_on, label, _ = compute_next_due(case, timezone.localdate())
    assert due_on is None and label.startswith("无法计算：")


def test_a_deadline_met_within_its_calendar_days_is_met_without_the_calendar(world, uncovered):
    from tests.cases.test_decision_rules import add_decision, in_decision

    case = in_decision(world)
    add_decision(world, case, "50000")
    items, _ = case_deadlines(build_case_state(case, timezone.localdate()))
    decision = next(i for i in items if i.code == "decision_within_90_days")
    assert decision.status == "met" and decision.due_on is None
