"""Zhoucun: "法制审核通过的，应当提交本机关集体讨论决定" (002 第五十五条; profile rule
review.collective_discussion = after_pass). After a pass the gate stays closed until a signed
集体讨论记录 made after the pass is on the case; Zhengzhou (on_disagreement) has no such step."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanxiang.cases import services as case_services
from sanxiang.cases.state import build_case_state
from sanxiang.core.rules import get_profile
from sanxiang.procedures.guards import GUARDS, review_violations
from sanxiang.review import services
from tests.cases.factories import RECORD_DATA, days_ago, sign_all
from tests.review.helpers import (
    make_reviewers,
    make_zhoucun_world,
    review_round,
    submit,
    walk_to_decision,
)

pytestmark = pytest.mark.django_db


def gate(case) -> list[str]:
    source = GUARDS["legal_review_passed_if_required"].source_for(case.action_type)
    return [
        v.message for v in review_violations(build_case_state(case, timezone.localdate()), source)
    ]


def test_the_profiles_say_who_discusses():
    assert get_profile("zhoucun").rule("review.collective_discussion").value == "after_pass"
    assert get_profile("zhengzhou").rule("review.collective_discussion").value != "after_pass"


def test_in_zhoucun_a_passed_review_goes_to_the_heads_collective_discussion(db):
    world = make_zhoucun_world()
    reviewers = make_reviewers(world)
    dc = walk_to_decision(world)
    services.set_review_flag(
        actor=world.user_a, case=dc.case, criterion="complex", reason="涉及多个法律关系"
    )
    review_round(world, reviewers, submit(world, dc), passed=True)

    [message] = gate(dc.case)
    assert "应当提交本机关负责人集体讨论决定" in message and "002 第五十五条" in message
    with pytest.raises(ValidationError, match="002 第五十五条"):
        case_services.sign_record(
            actor=world.head, record=dc.decision, role="agency_head", signer_name="孙局长"
        )

    # A discussion record counts once every signature its kind requires is on it.
    record = case_services.add_record(
        actor=world.user_a,
        case=dc.case,
        kind="collective_discussion",
        made_on=days_ago(0),
        data=RECORD_DATA["collective_discussion"],
    )
    assert gate(dc.case) == [message]
    sign_all(world, record, ["agency_head"])
    assert gate(dc.case) == [message]
    sign_all(world, record, ["recorder"])
    assert gate(dc.case) == []
    case_services.sign_record(
        actor=world.head, record=dc.decision, role="agency_head", signer_name="孙局长"
    )


def test_a_discussion_before_the_pass_does_not_open_the_gate(db):
    world = make_zhoucun_world()
    reviewers = make_reviewers(world)
    dc = walk_to_decision(world)
    services.set_review_flag(
        actor=world.user_a, case=dc.case, criterion="complex", reason="涉及多个法律关系"
    )
    early = case_services.add_record(
        actor=world.user_a,
        case=dc.case,
        kind="collective_discussion",
        made_on=days_ago(1),
        data=RECORD_DATA["collective_discussion"],
    )
    sign_all(world, early, ["agency_head", "recorder"])
    review_round(world, reviewers, submit(world, dc), passed=True)
    assert any("002 第五十五条" in m for m in gate(dc.case))


def test_in_zhengzhou_a_pass_opens_the_gate(world, reviewers):
    dc = walk_to_decision(world)
    review_round(world, reviewers, submit(world, dc), passed=True)
    assert gate(dc.case) == []
