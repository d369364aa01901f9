"""The review period and its one extension, counted in working days across National Day 2026
(国办发明电〔2025〕7号: 10月1日至7日放假, 10月10日（星期六）上班), as the engine counts them too."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanxiang.cases.state import build_case_state
from sanxiang.procedures import engine
from sanxiang.review import selectors, services
from sanxiang.review.models import LegalReview
from tests.review.helpers import make_reviewers, make_zhoucun_world, submit, walk_to_decision

pytestmark = pytest.mark.django_db

D = datetime.date
RECEIVED = D(2026, 9, 29)


def test_period_arithmetic_over_national_day():
    # 9-30 is the 1st working day; 10-1..10-7 holiday; 10-8, 10-9, 10-10 (adjusted Saturday
    # working day), 10-12 → the 5th working day.
    assert selectors.due_on(RECEIVED, "zhengzhou") == D(2026, 10, 12)
    assert selectors.due_on(RECEIVED, "henan") == D(2026, 10, 12)
    # One extension of 5 working days from the original due date: 13, 14, 15, 16, 19.
    assert selectors.extended_due_on(D(2026, 10, 12), "zhengzhou") == D(2026, 10, 19)
    # Zhoucun's measure fixes no period (002 第五十五条 "在规定期限内").
    assert selectors.due_on(RECEIVED, "zhoucun") is None


def opened_before_national_day(world):
    opened_ago = (timezone.localdate() - D(2026, 9, 15)).days
    return walk_to_decision(world, opened_ago=opened_ago, draft=False)


def legal_review_deadline(case):
    state = build_case_state(case, timezone.localdate())
    [item] = [i for i in engine.deadlines(state) if i.code == "legal_review"]
    return item


def test_submitted_on_29_september_with_one_extension(world, reviewers):
    dc = opened_before_national_day(world)
    review = submit(world, dc, received_on=RECEIVED)
    assert review.due_on == D(2026, 10, 12)
    assert legal_review_deadline(dc.case).due_on == D(2026, 10, 12)  # the engine agrees
    services.assign_reviewer(actor=world.head, review=review, reviewer=reviewers.reviewer)

    request = services.request_extension(
        actor=reviewers.reviewer,
        review=review,
        reason="涉及多个法律关系，需组织专家论证",
        requested_on=D(2026, 10, 9),
    )
    review.refresh_from_db()
    assert review.due_on == D(2026, 10, 12) and not review.extended  # not before approval
    services.approve_extension(actor=world.head, extension=request, approved_on=D(2026, 10, 9))
    review.refresh_from_db()
    assert review.due_on == D(2026, 10, 19) and review.extended
    item = legal_review_deadline(dc.case)
    assert item.due_on == D(2026, 10, 19)
    assert "000 法制审核办法 第十九条" in item.source
    # Today (after 10-19) the open review is overdue on the reviewers' list.
    assert list(selectors.overdue(selectors.reviews_for_workbench(reviewers.reviewer))) == [review]
    with pytest.raises(ValidationError, match="不得再次延长"):
        services.request_extension(
            actor=reviewers.reviewer, review=review, reason="再延", requested_on=D(2026, 10, 16)
        )


def test_an_expired_period_cannot_be_extended(world, reviewers):
    dc = opened_before_national_day(world)
    review = submit(world, dc, received_on=RECEIVED)
    services.assign_reviewer(actor=world.head, review=review, reviewer=reviewers.reviewer)
    with pytest.raises(ValidationError) as excinfo:
        services.request_extension(
            actor=reviewers.reviewer, review=review, reason="案情复杂", requested_on=D(2026, 10, 13)
        )
    assert "已于2026年10月12日届满" in excinfo.value.messages[0]
    assert "000 法制审核办法 第十九条" in excinfo.value.messages[0]


def test_receipt_cannot_be_in_the_future_or_before_the_case(world, reviewers):
    dc = walk_to_decision(world, draft=False)
    with pytest.raises(ValidationError, match="晚于今天"):
        submit(world, dc, received_on=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="早于案件启动日期"):
        submit(world, dc, received_on=D(2026, 9, 29))
    assert not LegalReview.objects.exists()


def test_no_period_and_no_extension_in_zhoucun(db):
    world = make_zhoucun_world()
    reviewers = make_reviewers(world)
    dc = walk_to_decision(world)
    review = submit(world, dc)
    assert review.due_on is None
    services.assign_reviewer(actor=world.head, review=review, reviewer=reviewers.reviewer)
    with pytest.raises(ValidationError, match="本辖区未规定法制审核期限的延长（002 第五十五条）"):
        services.request_extension(actor=reviewers.reviewer, review=review, reason="案情复杂")
