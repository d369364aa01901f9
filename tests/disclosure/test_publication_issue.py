"""When a publication comes into being: on the decision's issue (the cases hook, in the
transition's transaction), on a signed inspection result (002 第十八条), or by
``sanxiang publications_due`` for decisions issued before; and the portal search index
following publish and withdraw."""

from __future__ import annotations

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanxiang.cases import hooks
from sanxiang.cases import services as case_services
from sanxiang.disclosure import services
from sanxiang.disclosure.models import Publication, PublicationSearch
from sanxiang.records.models import LedgerEntry
from tests.cases.factories import days_ago, fire, signed_record
from tests.disclosure.publication_helpers import (
    issue_penalty,
    publish,
    publisher,
    ready_to_issue,
)
from tests.review.helpers import make_reviewers, make_zhoucun_world


def test_no_publication_before_the_decision_is_issued(world):
    case, decision = ready_to_issue(world, make_reviewers(world))
    assert decision.signatures.filter(role="agency_head").exists()
    assert not Publication.objects.exists()  # signed, but not yet issued
    fire(world.head, case, "issue")
    assert Publication.objects.get().source_record == decision


def test_the_issue_transition_creates_it_in_its_transaction(world):
    case, decision = issue_penalty(world, make_reviewers(world))
    publication = Publication.objects.get()
    assert publication.source_record == decision and case.stage == "service"
    entry = LedgerEntry.objects.get(action="disclosure.create_publication")
    issue = LedgerEntry.objects.filter(action="cases.fire_transition").latest("seq")
    assert entry.seq == issue.seq + 1  # right after the transition, same transaction


def test_zhoucun_publication_has_no_fixed_due_date(db):
    world = make_zhoucun_world()
    issue_penalty(world, make_reviewers(world))
    publication = Publication.objects.get()
    assert publication.due_on is None and publication.next_due_on is None
    assert publication.due_rule == "002 第十八条"


def test_inspection_result_is_published_once_fully_signed(world):
    case = case_services.open_case(
        actor=world.user_a,
        agency=world.agency,
        unit=world.unit,
        action_type="inspection",
        title="某餐饮店日常检查",
        source=case_services.SourceInput(
            kind="inspection", received_on=days_ago(5), summary="年度随机抽查"
        ),
        officers=[world.officer_a, world.officer_b],
        opened_on=days_ago(5),
    )
    signed_record(world, case, "inspection_record", 5, ["officer", "witness"])
    case = fire(world.user_a, case, "conclude")
    record = case_services.add_record(
        actor=world.user_a,
        case=case,
        kind="inspection_result",
        made_on=days_ago(4),
        data={"object": "某餐饮店", "result": "合格", "violations": "无", "handling": "无需处理"},
        violations_found=False,
    )
    case_services.sign_record(
        actor=world.user_a,
        record=record,
        role="officer",
        signer_name=world.officer_a.name,
        officer=world.officer_a,
    )
    assert not Publication.objects.exists()  # the unit head has not signed yet
    case_services.sign_record(
        actor=world.head, record=record, role="unit_head", signer_name="王局长"
    )
    publication = Publication.objects.get()
    assert publication.kind == Publication.Kind.INSPECTION_RESULT
    assert publication.action_type == "inspection"
    assert "000 公示办法 第二十条" in publication.due_rule  # 20 working days (others)


def test_publications_due_creates_the_missing_ones_in_bounded_queries(world, monkeypatch):
    monkeypatch.setattr(hooks, "_after_transition", [])
    reviewers = make_reviewers(world)
    issue_penalty(world, reviewers)
    issue_penalty(world, reviewers)
    assert not Publication.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        ids = services.issued_records_without_publication(0, 100)
    assert len(ids) == 2 and len(queries) == 2
    call_command("publications_due", "--batch", "1")
    assert Publication.objects.count() == 2
    assert LedgerEntry.objects.filter(action="disclosure.create_publication").count() == 2
    call_command("publications_due")  # idempotent
    assert Publication.objects.count() == 2


def test_publish_indexes_and_withdraw_unindexes(world):
    issue_penalty(world, make_reviewers(world))
    publication = Publication.objects.get()
    p = publisher(world)
    assert not PublicationSearch.objects.exists()
    publish(p, publication)
    assert PublicationSearch.objects.filter(publication=publication).exists()
    services.record_decision_revoked(
        actor=world.head, publication=publication, kind="remade", on=timezone.localdate()
    )
    # still listed until it is taken down, within the period
    assert PublicationSearch.objects.filter(publication=publication).exists()
    services.withdraw_publication(actor=p, publication=publication)
    assert not PublicationSearch.objects.filter(publication=publication).exists()
