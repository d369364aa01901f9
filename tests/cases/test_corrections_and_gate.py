"""Corrections of records in a stage already passed, the review gate on a decision the head
signs, and what a user may see."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanxiang.cases import selectors, services
from sanxiang.cases.models import Record, Signature
from sanxiang.cases.state import build_case_state
from sanxiang.records.models import LedgerEntry
from tests.cases.factories import RECORD_DATA, days_ago, fire, make_world, open_penalty
from tests.cases.test_lifecycle import walk_to_statement
from tests.factories import Role, UserFactory

pytestmark = pytest.mark.django_db

DECISION_DATA = {
    "party": "赵某",
    "facts_evidence": "未取得食品经营许可从事食品经营活动",
    "penalty_basis": "《中华人民共和国食品安全法》第一百二十二条",
    "performance": "十五日内缴纳罚款",
    "remedy": "六十日内申请行政复议或六个月内提起行政诉讼",
    "agency_seal_date": "盖章",
}


def test_correction_in_a_passed_stage_must_come_signed(world):
    case = walk_to_statement(world)
    old = Record.objects.get(case=case, kind="filing_approval")
    data = dict(RECORD_DATA["filing_approval"], facts="现场发现未取得食品经营许可（更正）")
    with pytest.raises(ValidationError, match="立案环节已办结，更正后的立案审批表须签名完备"):
        services.correct_record(
            actor=world.user_a, record=old, reason="事实表述不完整", made_on=days_ago(1), data=data
        )
    ledger_before = LedgerEntry.objects.count()
    new = services.correct_record(
        actor=world.user_a,
        record=old,
        reason="事实表述不完整",
        made_on=days_ago(1),
        data=data,
        signatures=[
            services.SignatureInput("officer", "李执法", officer=world.officer_a),
            services.SignatureInput("unit_head", "王局长"),
            services.SignatureInput("agency_head", "王局长"),
        ],
    )
    assert LedgerEntry.objects.count() == ledger_before + 1
    assert Signature.objects.filter(record=new).count() == 3
    trail = list(selectors.case_trail(case))
    assert old in trail and new in trail
    state = build_case_state(case, timezone.localdate())
    assert state.record(old.ref).superseded and not state.record(new.ref).superseded


def test_head_cannot_sign_a_decision_before_the_required_review(world):
    case = walk_to_statement(world)
    case = fire(world.user_a, case, "submit_decision")
    decision = services.add_record(
        actor=world.user_a,
        case=case,
        kind="penalty_decision",
        made_on=days_ago(0),
        data=DECISION_DATA,
        amount=Decimal("50000"),
    )
    before = Signature.objects.count(), LedgerEntry.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.sign_record(
            actor=world.head, record=decision, role="agency_head", signer_name="王局长"
        )
    assert "尚未经法制审核" in excinfo.value.messages[0]
    assert "000 法制审核办法 第三条" in excinfo.value.messages[0]
    assert (Signature.objects.count(), LedgerEntry.objects.count()) == before


def test_staff_cannot_record_a_refusal_on_entry(world):
    case = walk_to_statement(world)
    with pytest.raises(ValidationError, match="必须签名"):
        services.add_record(
            actor=world.user_a,
            case=case,
            kind="statement_record",
            made_on=days_ago(0),
            data=RECORD_DATA["statement_record"],
            signatures=[
                services.SignatureInput("officer", "李执法", refused=True, refusal_note="x")
            ],
        )


def test_cases_visible_to(world):
    mine = open_penalty(world)
    other = make_world(name="郑州市城市管理局")
    theirs = open_penalty(other)
    assert list(selectors.cases_visible_to(world.user_a)) == [mine]
    assert list(selectors.cases_visible_to(other.user_a)) == [theirs]
    supervisor = UserFactory(agency=other.agency, roles=[Role.SUPERVISOR])
    assert set(selectors.cases_visible_to(supervisor)) == {mine, theirs}
