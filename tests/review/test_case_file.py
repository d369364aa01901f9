"""The 法制审核意见书 of every decided round goes into the case's trail as a
``legal_review_opinion`` record signed by the reviewer, in the outcome's transaction and
ledger entry; the stage every gated decision leaves from holds that kind."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from sanxiang.cases import services as case_services
from sanxiang.cases.deadlines import compute_next_due
from sanxiang.cases.models import Record
from sanxiang.core.models import CalendarYear
from sanxiang.procedures import get_procedure, registry
from sanxiang.records.ledger import entry_data
from sanxiang.records.models import LedgerEntry
from sanxiang.review import services
from sanxiang.review.models import ChecklistItem
from tests.review.helpers import record_all, review_round, submit, walk_to_decision

pytestmark = pytest.mark.django_db


def test_every_stage_a_gated_decision_leaves_from_holds_the_opinion():
    gated = [
        (code, t.from_stage)
        for code in registry().procedures
        for t in get_procedure(code).transitions
        if "legal_review_passed_if_required" in t.guards
    ]
    assert len(gated) >= 8
    for code, stage in gated:
        allowed = get_procedure(code).stage(stage).allowed_kinds
        assert case_services.REVIEW_OPINION_KIND in allowed, (code, stage)


def opinions(case) -> list[Record]:
    return list(Record.objects.filter(case=case, kind="legal_review_opinion").order_by("id"))


def test_each_decided_round_files_a_signed_opinion_in_the_one_ledger_entry(world, reviewers):
    dc = walk_to_decision(world, amount="80000")
    first = services.assign_reviewer(
        actor=world.head, review=submit(world, dc), reviewer=reviewers.reviewer
    )
    record_all(reviewers.reviewer, first, {"law": "罚款数额超出一般情节档次"})
    before = LedgerEntry.objects.count()
    services.decide_review(
        actor=reviewers.reviewer, review=first, passed=False, reasons="按一般情节重新确定"
    )
    assert LedgerEntry.objects.count() == before + 1
    entry = LedgerEntry.objects.order_by("-seq").first()
    assert entry.action == "review.decide"

    [failed] = opinions(dc.case)
    assert failed.stage == "decision" and failed.made_by == reviewers.reviewer
    assert failed.data["result"].startswith("不予审核通过（第1轮")
    assert str(ChecklistItem.Item.LAW.label) in failed.data["reasons"]
    assert "罚款数额超出一般情节档次" in failed.data["reasons"]
    assert "按一般情节重新确定" in failed.data["reasons"]
    [signature] = failed.signatures.all()
    assert (signature.role, signature.signer_name) == ("reviewer", "周法制")
    data = entry_data(entry)
    assert data["opinion_record"]["id"] == failed.pk
    assert [s["role"] for s in data["opinion_signatures"]] == ["reviewer"]

    # Its own opinion is no reason for the reviewer to stand aside from round 2.
    assert services.recusal_reasons(dc.case, reviewers.reviewer) == []
    second = review_round(world, reviewers, submit(world, dc), passed=True)
    passed = opinions(dc.case)[1]
    assert passed.data["result"].startswith("审核通过（第2轮")
    assert second.opinion_number in passed.data["result"]


def test_only_a_reviewer_of_the_agency_files_an_opinion_and_only_inside_an_action(world, reviewers):
    dc = walk_to_decision(world)
    data = {"reviewers": "周法制", "result": "审核通过", "reasons": "符合规定", "date": "今日"}
    with transaction.atomic(), pytest.raises(PermissionDenied):
        case_services.file_review_opinion(reviewer=world.user_a, case=dc.case, data=data)
    assert opinions(dc.case) == []


def test_the_cases_next_deadline_follows_the_review(world, reviewers):
    """submit, the extension and the outcome refresh the case's stored next deadline
    (cases.deadlines; the procedures' legal_review deadline)."""
    # The case's later deadlines run into next year: give it a calendar (no holidays).
    next_year = timezone.localdate().year + 1
    CalendarYear.objects.get_or_create(year=next_year, defaults={"source": "测试用日历"})
    dc = walk_to_decision(world)
    dc.case.refresh_from_db()
    assert not dc.case.next_due_label.startswith("法制审核期限")
    review = services.assign_reviewer(
        actor=world.head, review=submit(world, dc), reviewer=reviewers.reviewer
    )
    dc.case.refresh_from_db()
    assert dc.case.next_due_label.startswith("法制审核期限")
    assert dc.case.next_due_on == review.due_on

    extension = services.request_extension(
        actor=reviewers.reviewer, review=review, reason="案情复杂，需要专家论证"
    )
    extension = services.approve_extension(actor=world.head, extension=extension)
    dc.case.refresh_from_db()
    # The review is no longer due on the old day; the stored deadline is the one computed now.
    assert extension.new_due_on > review.due_on
    assert dc.case.next_due_on > review.due_on
    stored = (dc.case.next_due_on, dc.case.next_due_label)
    assert stored == compute_next_due(dc.case, timezone.localdate())[:2]

    record_all(reviewers.reviewer, review)
    services.decide_review(actor=reviewers.reviewer, review=review, passed=True)
    dc.case.refresh_from_db()
    assert not dc.case.next_due_label.startswith("法制审核期限")
