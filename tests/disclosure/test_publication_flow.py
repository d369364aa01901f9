"""A decision issued → its publication (due date, redacted draft) → confidentiality review
→ published version → revoked → withdrawn; corrections as new versions. Every refusal of
the issue's bad-input list, and one ledger entry per action."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanxiang.disclosure import services
from sanxiang.disclosure.models import ConfidentialityReview, Publication, PublicationVersion
from sanxiang.records.models import LedgerEntry
from tests.disclosure.publication_helpers import (
    PARTY_ADDRESS,
    PARTY_NAME,
    PARTY_PHONE,
    issue_penalty,
    publish,
    publisher,
)


@pytest.fixture
def issued(world, reviewers):
    case, decision = issue_penalty(world, reviewers)
    return case, decision


def entries(action: str) -> int:
    return LedgerEntry.objects.filter(action=action).count()


def messages(excinfo) -> str:
    return "；".join(excinfo.value.messages)


def test_issuing_the_decision_creates_the_publication_with_a_redacted_draft(world, issued):
    case, decision = issued
    publication = Publication.objects.get(source_record=decision)
    assert publication.case == case and publication.agency == world.agency
    assert publication.status == Publication.Status.AWAITING_REVIEW
    assert publication.kind == Publication.Kind.DECISION
    assert publication.action_type == "penalty"
    assert publication.decided_on == decision.made_on
    assert publication.due_on is not None and publication.due_on > decision.made_on
    assert "000 公示办法 第二十条" in publication.due_rule
    party = case.parties.get()
    review = publication.reviews.get()
    # the original holds everything, the draft none of the personal values
    assert party.id_number in review.original_text and PARTY_ADDRESS in review.original_text
    for value in (party.id_number, PARTY_ADDRESS, PARTY_PHONE, PARTY_NAME):
        assert value not in review.final_text
        assert all(value not in str(v) for v in review.fields.values())
    assert "赵某" in review.final_text and review.fields["party"] == "赵某"
    assert review.detected_spans and review.spans == review.detected_spans
    # the 第十六条 fields
    assert set(review.fields) == set(services.FIELD_LABELS)
    assert review.fields["agency"] == world.agency.name
    cert = world.officer_a.certificates.first().number
    assert cert in review.fields["officers"]
    assert "食品安全法" in review.fields["basis"] and "行政复议" in review.fields["remedy"]
    assert entries("disclosure.create_publication") == 1


def test_review_approve_publish_versions_and_ledger(world, issued):
    _case, decision = issued
    publication = Publication.objects.get(source_record=decision)
    p = publisher(world)
    version = publish(p, publication)
    publication.refresh_from_db()
    assert publication.status == Publication.Status.PUBLISHED
    assert publication.current_version == version and version.number == 1
    assert publication.published_at is not None
    assert version.review.status == ConfidentialityReview.Status.APPROVED
    assert version.review.reviewer == p
    assert entries("disclosure.approve_review") == 1 and entries("disclosure.publish") == 1


def test_publish_without_an_approved_review_is_refused(world, issued):
    publication = Publication.objects.get(source_record=issued[1])
    p = publisher(world)
    with pytest.raises(ValidationError) as excinfo:
        services.publish_publication(actor=p, publication=publication)
    assert "000 公示办法 第五条" in messages(excinfo)
    assert not PublicationVersion.objects.exists()
    assert entries("disclosure.publish") == 0


def test_approval_without_having_seen_the_draft_is_refused(world, issued):
    publication = Publication.objects.get(source_record=issued[1])
    review = publication.reviews.get()
    p = publisher(world)
    with pytest.raises(ValidationError) as excinfo:
        services.approve_review(actor=p, review=review, seen_digest="")
    assert "未经保密审查" in messages(excinfo) and "000 公示办法 第五条" in messages(excinfo)
    stale = services.review_digest(review)
    services.add_redaction(actor=p, review=review, start=0, end=2, type="other")
    with pytest.raises(ValidationError) as excinfo:
        services.approve_review(actor=p, review=review, seen_digest=stale)
    assert "已有变化" in messages(excinfo)
    review.refresh_from_db()
    assert review.status == ConfidentialityReview.Status.OPEN
    assert entries("disclosure.approve_review") == 0


def test_only_the_agencys_publisher_reviews(world, issued):
    publication = Publication.objects.get(source_record=issued[1])
    review = publication.reviews.get()
    with pytest.raises(PermissionDenied):
        services.approve_review(
            actor=world.user_a, review=review, seen_digest=services.review_digest(review)
        )


def test_reinstating_a_known_personal_value_is_refused(world, issued):
    case, decision = issued
    publication = Publication.objects.get(source_record=decision)
    review = publication.reviews.get()
    p = publisher(world)
    id_number = case.parties.get().id_number
    index = next(
        i
        for i, s in enumerate(review.spans)
        if review.original_text[s["start"] : s["end"]] == id_number
    )
    with pytest.raises(ValidationError) as excinfo:
        services.reinstate_detection(actor=p, review=review, index=index, reason="无需隐去")
    assert "000 公示办法 第十七条" in messages(excinfo)
    review.refresh_from_db()
    assert review.spans == review.detected_spans and not review.adjustments
    assert entries("disclosure.reinstate_detection") == 0


def test_a_leaking_draft_is_not_approved(world, issued):
    """A correction whose text brings back the party's phone in a form the draft kept (the
    publisher reinstated a detector hit, or edited the original): approval refused."""
    _case, decision = issued
    publication = Publication.objects.get(source_record=decision)
    review = publication.reviews.get()
    p = publisher(world)
    # Simulate a draft that lost a redaction (e.g. a bug elsewhere): the check still holds.
    ConfidentialityReview.objects.filter(pk=review.pk).update(
        final_text=review.final_text + f"\n联系电话：{PARTY_PHONE}"
    )
    review.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        services.approve_review(actor=p, review=review, seen_digest=services.review_digest(review))
    assert "000 公示办法 第十七条" in messages(excinfo)
    review.refresh_from_db()
    assert review.status == ConfidentialityReview.Status.OPEN


def test_publisher_adds_a_redaction_everywhere(world, issued):
    publication = Publication.objects.get(source_record=issued[1])
    review = publication.reviews.get()
    p = publisher(world)
    start = review.original_text.index("询问笔录")
    review = services.add_redaction(
        actor=p, review=review, start=start, end=start + 4, type="trade_secret"
    )
    assert "询问笔录" not in review.final_text
    assert "[商业秘密已隐去]" in review.final_text
    assert "询问笔录" not in review.fields["facts"]
    assert review.adjustments[-1]["action"] == "add"
    assert entries("disclosure.add_redaction") == 1


def test_revoked_then_withdrawn(world, issued):
    publication = Publication.objects.get(source_record=issued[1])
    p = publisher(world)
    publish(p, publication)
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.withdraw_publication(actor=p, publication=publication)
    publication = services.record_decision_revoked(
        actor=world.head, publication=publication, kind="revoked", on=today, note="行政复议撤销"
    )
    assert publication.status == Publication.Status.WITHDRAWAL_DUE
    assert publication.withdrawal_due_on is not None and publication.withdrawal_due_on > today
    assert publication.is_public  # still listed until taken down
    with pytest.raises(ValidationError) as excinfo:
        services.start_correction(
            actor=p, publication=publication, reason="x", found_on=today, text="x"
        )
    assert "只有已公开（未撤下）" in messages(excinfo)
    publication = services.withdraw_publication(actor=p, publication=publication)
    assert publication.status == Publication.Status.WITHDRAWN and not publication.is_public
    assert "撤下" in publication.withdrawal_notice
    assert "被依法撤销" in publication.withdrawal_notice
    with pytest.raises(ValidationError):
        services.publish_publication(actor=p, publication=publication)
    assert publication.versions.count() == 1  # the history stays
    assert entries("disclosure.record_revocation") == 1 and entries("disclosure.withdraw") == 1


def test_revoked_before_publication_is_never_published(world, issued):
    publication = Publication.objects.get(source_record=issued[1])
    p = publisher(world)
    services.record_decision_revoked(
        actor=world.head,
        publication=publication,
        kind="unlawful",
        on=timezone.localdate(),
    )
    publication.refresh_from_db()
    assert publication.status == Publication.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        services.publish_publication(actor=p, publication=publication)


def test_correction_makes_version_two_and_keeps_version_one(world, issued):
    publication = Publication.objects.get(source_record=issued[1])
    p = publisher(world)
    first = publish(p, publication)
    original = first.review.original_text
    review = services.start_correction(
        actor=p,
        publication=publication,
        reason="罚款数额笔误",
        found_on=timezone.localdate(),
        text=original.replace("50,000.00", "5,000.00"),
    )
    publication.refresh_from_db()
    assert publication.status == Publication.Status.CORRECTION_DUE
    assert publication.correction_due_on is not None and publication.is_public
    assert review.purpose == ConfidentialityReview.Purpose.CORRECTION
    with pytest.raises(ValidationError):
        services.publish_publication(actor=p, publication=publication)
    second = publish(p, publication)
    publication.refresh_from_db()
    assert second.number == 2 and second.reason == "罚款数额笔误"
    assert publication.current_version == second
    assert "5,000.00" in second.full_text
    assert list(publication.versions.values_list("number", flat=True)) == [1, 2]
    assert entries("disclosure.start_correction") == 1 and entries("disclosure.publish") == 2


def test_versions_are_append_only_in_the_database(world, issued):
    publication = Publication.objects.get(source_record=issued[1])
    version = publish(publisher(world), publication)
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicationVersion.objects.filter(pk=version.pk).update(full_text="篡改")
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicationVersion.objects.filter(pk=version.pk).delete()
    version.refresh_from_db()
    assert version.full_text != "篡改"


def test_a_field_left_unredacted_is_refused(world, issued):
    """The decision information (第十六条 fields) is checked like the full text."""
    case, decision = issued
    publication = Publication.objects.get(source_record=decision)
    review = publication.reviews.get()
    id_number = case.parties.get().id_number
    ConfidentialityReview.objects.filter(pk=review.pk).update(
        fields={**review.fields, "facts": f"当事人身份证号码{id_number}"}
    )
    review.refresh_from_db()
    p = publisher(world)
    with pytest.raises(ValidationError) as excinfo:
        services.approve_review(actor=p, review=review, seen_digest=services.review_digest(review))
    assert "000 公示办法 第十七条" in messages(excinfo)
    assert id_number not in messages(excinfo)  # the message names the field, not the value
    assert entries("disclosure.approve_review") == 0


def test_a_correction_is_redacted_again(world, issued):
    publication = Publication.objects.get(source_record=issued[1])
    p = publisher(world)
    first = publish(p, publication)
    review = services.start_correction(
        actor=p,
        publication=publication,
        reason="补充当事人联系方式的笔误说明",
        found_on=timezone.localdate(),
        text=first.review.original_text + f"\n当事人联系电话：{PARTY_PHONE}",
    )
    assert PARTY_PHONE in review.original_text and PARTY_PHONE not in review.final_text
    with pytest.raises(ValidationError) as excinfo:
        services.approve_review(actor=p, review=review, seen_digest="")
    assert "000 公示办法 第五条" in messages(excinfo)
