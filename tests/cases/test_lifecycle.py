"""A penalty case walked through its stages with the real services, and an inspection taken
to its final stage."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanxiang.cases import services
from sanxiang.cases.models import Case, CaseSource, Party, StageTransition
from sanxiang.cases.state import build_case_state
from sanxiang.records.models import LedgerEntry
from tests.cases.factories import RECORD_DATA, days_ago, fire, open_penalty, signed_record

pytestmark = pytest.mark.django_db


def walk_to_statement(world):
    case = open_penalty(world)
    signed_record(world, case, "case_source_register", 10, ["officer"])
    signed_record(world, case, "filing_approval", 10, ["officer", "unit_head", "agency_head"])
    case = fire(world.head, case, "file")
    assert case.stage == "investigation"
    services.assign_officer(actor=world.user_a, case=case, officer=world.officer_a, role="主办")
    services.assign_officer(actor=world.user_a, case=case, officer=world.officer_b)
    signed_record(world, case, "inquiry_record", 9, ["officer", "party"])
    signed_record(world, case, "investigation_report", 8, ["officer", "unit_head"])
    case = fire(world.user_a, case, "to_notice")
    assert case.stage == "notice"
    signed_record(
        world,
        case,
        "rights_notice",
        7,
        ["officer", "party"],
        served_on=days_ago(7),
        service_method="direct",
    )
    case = fire(world.user_a, case, "hear_statement")
    assert case.stage == "statement"
    signed_record(world, case, "statement_record", 6, ["officer", "party"])
    return case


def test_open_case_stores_source_parties_officers_and_number(world):
    case = open_penalty(world)
    assert case.procedure == "penalty_general"
    assert case.stage == "filing"
    assert case.version == 0
    assert case.number == f"郑州立〔{case.opened_on.year}〕1号"
    assert open_penalty(world).number == f"郑州立〔{case.opened_on.year}〕2号"
    assert CaseSource.objects.get(case=case).notify_required is True
    party = Party.objects.get(case=case)
    assert len(party.id_number) == 18
    assert case.officers.count() == 2
    assert LedgerEntry.objects.filter(action="cases.open_case", object_id=str(case.pk)).count() == 1


def test_simple_procedure_on_request(world):
    case = open_penalty(world, simple=True)
    assert case.procedure == "penalty_simple"


def test_penalty_walk_to_statement_then_decision_refused_while_review_required(world):
    case = walk_to_statement(world)
    # No proposed decision on file yet: hearing not applicable → the statement suffices.
    case = fire(world.user_a, case, "submit_decision")
    assert case.stage == "decision"
    assert [t.to_stage for t in StageTransition.objects.filter(case=case)] == [
        "investigation",
        "notice",
        "statement",
        "decision",
    ]
    assert case.version == 4
    with pytest.raises(ValidationError) as excinfo:
        fire(world.head, case, "issue")
    messages = excinfo.value.messages
    review = [m for m in messages if "法制审核" in m]
    assert review, messages
    assert "000 法制审核办法 第三条" in review[0]
    case.refresh_from_db()
    assert case.stage == "decision" and case.version == 4


def test_build_case_state_uses_few_queries(world):
    case = walk_to_statement(world)
    case = Case.objects.select_related("agency__jurisdiction").get(pk=case.pk)
    with CaptureQueriesContext(connection) as queries:
        state = build_case_state(case, timezone.localdate())
    assert len(queries) <= 10
    assert state.review.required is True and state.review.passed is None
    assert len(state.records) == 6
    assert {o.stage for o in state.officers} == {"filing", "investigation"}


def test_inspection_taken_to_its_final_stage(world):
    case = services.open_case(
        actor=world.user_a,
        agency=world.agency,
        unit=world.unit,
        action_type="inspection",
        title="某餐饮店日常检查",
        source=services.SourceInput(
            kind="inspection", received_on=days_ago(5), summary="年度随机抽查"
        ),
        officers=[world.officer_a, world.officer_b],
        opened_on=days_ago(5),
    )
    assert case.procedure == "inspection" and case.matter is None
    signed_record(world, case, "inspection_record", 5, ["officer", "witness"])
    case = fire(world.user_a, case, "conclude")
    assert case.stage == "inspection_result"
    assert case.status == Case.Status.OPEN  # the result record is still to be made
    signed_record(
        world,
        case,
        "inspection_result",
        4,
        ["officer", "unit_head"],
        violations_found=False,
    )
    case = services.close_if_finished(actor=world.head, case=case)
    assert case.status == Case.Status.CLOSED
    assert case.closed_on == timezone.localdate()


def test_inspection_matter_must_match_category(world):
    with pytest.raises(ValidationError, match="职权类别"):
        services.open_case(
            actor=world.user_a,
            agency=world.agency,
            unit=world.unit,
            action_type="inspection",
            title="检查",
            source=services.SourceInput(kind="inspection", received_on=days_ago(1), summary="抽查"),
            matter=world.matter,
        )
    assert not Case.objects.exists()


def test_penalty_needs_a_matter(world):
    with pytest.raises(ValidationError, match="权责清单"):
        open_penalty(world, matter=None)


def test_record_data_fixture_is_complete():
    from sanxiang.procedures import registry

    for kind, data in RECORD_DATA.items():
        names = {f.name for f in registry().kinds[kind].fields} - {"signatures", "served_on"}
        assert names <= set(data), kind
