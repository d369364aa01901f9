"""Builders for review tests: a Zhengzhou world (tests.cases.factories) with a legal unit and
two reviewers, a penalty walked to the decision stage with a draft decision, and helpers that
submit, assign and decide rounds through the real services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from sanxiang.cases import services as case_services
from sanxiang.cases.models import Case, Evidence, Record
from sanxiang.catalog import services as catalog_services
from sanxiang.org.models import Officer, Unit, User
from sanxiang.review import services
from sanxiang.review.models import ChecklistItem, LegalReview
from tests.cases.factories import (
    POWER_FIELDS,
    RECORD_DATA,
    World,
    days_ago,
    fire,
    open_penalty,
    signed_record,
)
from tests.factories import (
    AgencyFactory,
    CertificateFactory,
    OfficerFactory,
    Role,
    UnitFactory,
    UserFactory,
    zhoucun,
)

DECISION_DATA: dict[str, Any] = {
    "party": "赵某，郑州市金水区某路1号",
    "facts_evidence": "未取得食品经营许可从事食品经营活动；询问笔录、现场照片",
    "penalty_basis": "《中华人民共和国食品安全法》第一百二十二条第一款",
    "performance": "自收到本决定书之日起十五日内缴纳罚款",
    "remedy": "六十日内申请行政复议或者六个月内提起行政诉讼",
    "agency_seal_date": "郑州市市场监督管理局（印章）",
}
BASIS = DECISION_DATA["penalty_basis"]
CASE_REVIEW_FORM: dict[str, Any] = {
    "facts": "未取得食品经营许可从事食品经营活动",
    "legal_basis": BASIS,
    "discretion": "一般情节",
    "handler_opinion": "建议罚款五万元",
    "unit_opinion": "同意",
    "review_opinion": "法制审核通过",
    "head_opinion": "同意",
}


@dataclass
class Reviewers:
    legal_unit: Unit
    reviewer: User  # 法制审核人员 of the legal unit, took no part in the case
    reviewer_b: User
    reviewer_officer: Officer


def make_reviewers(world: World) -> Reviewers:
    legal = UnitFactory(agency=world.agency, name="法制审核科", kind=Unit.Kind.LEGAL)
    officer = OfficerFactory(agency=world.agency, unit=legal, name="周法制")
    CertificateFactory(officer=officer)
    reviewer = UserFactory(
        agency=world.agency, officer=officer, roles=[Role.LEGAL_REVIEWER], full_name="周法制"
    )
    officer_b = OfficerFactory(agency=world.agency, unit=legal, name="吴法制")
    reviewer_b = UserFactory(
        agency=world.agency, officer=officer_b, roles=[Role.LEGAL_REVIEWER], full_name="吴法制"
    )
    return Reviewers(legal, reviewer, reviewer_b, officer)


def make_zhoucun_world() -> World:
    """The World of tests.cases.factories, for an agency of 周村区 (Shandong, profile zhoucun)."""
    agency = AgencyFactory(name="淄博市周村区市场监督管理局", jurisdiction=zhoucun())
    unit = UnitFactory(agency=agency, name="执法稽查科")
    head = UserFactory(agency=agency, roles=[Role.UNIT_HEAD, Role.AGENCY_HEAD], full_name="孙局长")
    officer_a = OfficerFactory(agency=agency, unit=unit, name="李执法")
    officer_b = OfficerFactory(agency=agency, unit=unit, name="王执法")
    CertificateFactory(officer=officer_a)
    CertificateFactory(officer=officer_b)
    user_a = UserFactory(agency=agency, officer=officer_a, roles=[Role.OFFICER], full_name="李执法")
    user_b = UserFactory(agency=agency, officer=officer_b, roles=[Role.OFFICER], full_name="王执法")
    matter = catalog_services.create_power_item(
        actor=head, agency=agency, valid_from=datetime.date(2024, 1, 1), **POWER_FIELDS
    )
    return World(agency, unit, officer_a, officer_b, user_a, user_b, head, matter)


@dataclass
class DecisionCase:
    case: Case
    report: Record
    evidence: Evidence
    decision: Record | None


def walk_to_decision(
    world: World,
    *,
    opened_ago: int = 10,
    draft: bool = True,
    amount: str = "50000",
    **open_kwargs: Any,
) -> DecisionCase:
    """A general-procedure penalty in the decision stage: report signed, one piece of evidence,
    and (``draft``) an unsigned decision document with ``amount``."""
    n = opened_ago
    case = open_penalty(world, opened_ago=n, **open_kwargs)
    signed_record(world, case, "case_source_register", n, ["officer"])
    signed_record(world, case, "filing_approval", n, ["officer", "unit_head", "agency_head"])
    case = fire(world.head, case, "file")
    case_services.assign_officer(actor=world.user_a, case=case, officer=world.officer_a)
    case_services.assign_officer(actor=world.user_a, case=case, officer=world.officer_b)
    signed_record(world, case, "inquiry_record", n - 1, ["officer", "party"])
    evidence = case_services.add_evidence(
        actor=world.user_a,
        case=case,
        kind="documentary",
        description="现场照片三张",
        collector=world.officer_a,
        collected_at=timezone.now() - datetime.timedelta(days=n - 1),
        place="某餐饮店",
    )
    report = signed_record(world, case, "investigation_report", n - 2, ["officer", "unit_head"])
    case = fire(world.user_a, case, "to_notice")
    signed_record(
        world,
        case,
        "rights_notice",
        n - 3,
        ["officer", "party"],
        served_on=days_ago(n - 3),
        service_method="direct",
    )
    case = fire(world.user_a, case, "hear_statement")
    signed_record(world, case, "statement_record", n - 4, ["officer", "party"])
    case = fire(world.user_a, case, "submit_decision")
    assert case.stage == "decision"
    decision = None
    if draft:
        decision = add_decision(world, case, amount)
    return DecisionCase(case, report, evidence, decision)


def add_decision(world: World, case: Case, amount: str, **data: Any) -> Record:
    return case_services.add_record(
        actor=world.user_a,
        case=case,
        kind="penalty_decision",
        made_on=days_ago(0),
        data={**DECISION_DATA, **data},
        amount=Decimal(amount),
    )


def submit(world: World, dc: DecisionCase, **overrides: Any) -> LegalReview:
    kwargs: dict[str, Any] = {
        "actor": world.user_a,
        "case": dc.case,
        "report": dc.report,
        "evidence": [dc.evidence],
        "decision_record": dc.decision,
        **overrides,
    }
    if kwargs["decision_record"] is None:
        kwargs.setdefault("proposed_decision", "罚款五万元")
        kwargs.setdefault("proposed_basis", BASIS)
        kwargs.setdefault("proposed_amount", Decimal("50000"))
    return services.submit_for_review(**kwargs)


def record_all(reviewer: User, review: LegalReview, failing: dict[str, str] | None = None) -> None:
    failing = failing or {}
    for item in ChecklistItem.Item.values:
        if item in failing:
            services.record_checklist_item(
                actor=reviewer, review=review, item=item, finding="fails", note=failing[item]
            )
        else:
            services.record_checklist_item(
                actor=reviewer, review=review, item=item, finding="conforms", note="经审查符合规定"
            )


def review_round(
    world: World, reviewers: Reviewers, review: LegalReview, *, passed: bool
) -> LegalReview:
    review = services.assign_reviewer(actor=world.head, review=review, reviewer=reviewers.reviewer)
    if passed:
        record_all(reviewers.reviewer, review)
        return services.decide_review(actor=reviewers.reviewer, review=review, passed=True)
    record_all(reviewers.reviewer, review, {"law": "罚款数额与裁量基准的一般情节档次不符"})
    return services.decide_review(
        actor=reviewers.reviewer,
        review=review,
        passed=False,
        reasons="建议按裁量基准一般情节档次重新确定罚款数额",
    )


__all__ = ["RECORD_DATA", "days_ago", "fire"]
