"""Builders for the publication tests: a penalty issued through the real services (the
review helpers walk it to the decision stage and pass the legal review), a publisher of the
agency, and a publication published through the confidentiality review."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from sanxiang.cases import services as case_services
from sanxiang.cases.models import Case, Record
from sanxiang.disclosure import services
from sanxiang.disclosure.models import Publication, PublicationVersion
from sanxiang.org.models import User
from tests.cases.factories import World, fire
from tests.factories import Role, UserFactory
from tests.review.helpers import (
    CASE_REVIEW_FORM,
    DECISION_DATA,
    Reviewers,
    review_round,
    submit,
    walk_to_decision,
)

PARTY_NAME = "赵大明"
PARTY_ADDRESS = "郑州市金水区某路1号"
PARTY_PHONE = "13800138000"


def natural_party(**overrides: Any) -> case_services.PartyInput:
    from tests.cases.factories import fake

    values: dict[str, Any] = {
        "kind": "natural_person",
        "name": PARTY_NAME,
        "id_number": fake.ssn(),
        "address": PARTY_ADDRESS,
        "phone": PARTY_PHONE,
        **overrides,
    }
    return case_services.PartyInput(**values)


def publisher(world: World, name: str = "钱公示") -> User:
    user: User = UserFactory(agency=world.agency, roles=[Role.PUBLISHER], full_name=name)
    return user


def decision_data(case: Case) -> dict[str, Any]:
    party = case.parties.get()
    return {
        **DECISION_DATA,
        "party": f"{party.name}，住{party.address}，身份证号码{party.id_number}，电话{party.phone}",
        "facts_evidence": f"{party.name}未取得食品经营许可从事食品经营活动；询问笔录、现场照片",
    }


def issue_penalty(world: World, reviewers: Reviewers, **open_kwargs: Any) -> tuple[Case, Record]:
    """A general-procedure penalty decision, legally reviewed, signed by the head and issued
    (作出决定，送达): the transition that creates its publication."""
    case, decision = ready_to_issue(world, reviewers, **open_kwargs)
    return fire(world.head, case, "issue"), decision


def ready_to_issue(world: World, reviewers: Reviewers, **open_kwargs: Any) -> tuple[Case, Record]:
    """The penalty decision reviewed and signed by the head, not yet issued."""
    open_kwargs.setdefault("parties", [natural_party()])
    dc = walk_to_decision(world, draft=False, **open_kwargs)
    decision = case_services.add_record(
        actor=world.user_a,
        case=dc.case,
        kind="penalty_decision",
        made_on=timezone.localdate(),
        data=decision_data(dc.case),
        amount=Decimal("50000"),
    )
    dc.decision = decision
    review = submit(world, dc)
    review_round(world, reviewers, review, passed=True)
    case_services.sign_record(
        actor=world.head, record=decision, role="agency_head", signer_name="王局长"
    )
    case_services.add_record(
        actor=world.user_a,
        case=dc.case,
        kind="case_review_form",
        made_on=timezone.localdate(),
        data=CASE_REVIEW_FORM,
        signatures=[
            case_services.SignatureInput("officer", "李执法", officer=world.officer_a),
            case_services.SignatureInput("unit_head", "王局长"),
            case_services.SignatureInput("agency_head", "王局长"),
        ],
    )
    return dc.case, decision


def approve(user: User, publication: Publication) -> None:
    review = publication.reviews.filter(status="open").latest("id")
    services.approve_review(actor=user, review=review, seen_digest=services.review_digest(review))


def publish(user: User, publication: Publication) -> PublicationVersion:
    approve(user, publication)
    return services.publish_publication(actor=user, publication=publication)
