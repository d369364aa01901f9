"""Which decisions need review, and which rule says so: the profile (general-procedure
penalties), the agency's catalogue with its thresholds, and the general criteria an officer
flags with a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sanxiang.cases import services as case_services
from sanxiang.cases.state import build_case_state
from sanxiang.review import selectors, services
from tests.cases.factories import fire, legal_person
from tests.factories import Role, UserFactory
from tests.review.helpers import make_zhoucun_world, walk_to_decision

pytestmark = pytest.mark.django_db


def test_zhengzhou_reviews_every_general_procedure_penalty(world):
    dc = walk_to_decision(world)
    requirement = selectors.review_requirement(dc.case)
    assert requirement.required
    assert requirement.summary() == (
        "适用一般程序作出的行政处罚决定应当进行法制审核（000 法制审核办法 第六条）"
    )


@pytest.fixture
def zc(db):
    return make_zhoucun_world()


def fine_rule(world, **overrides):
    kwargs = dict(
        actor=world.head,
        agency=world.agency,
        title="对法人或者其他组织处以较大数额罚款",
        action_type="penalty",
        source="002 第五十一条",
        amount_kind="fine",
        amount_at_least=Decimal("100000"),
        party_kind="legal_person",
    )
    kwargs.update(overrides)
    return services.publish_catalogue_rule(**kwargs)


def test_zhoucun_needs_review_only_where_the_catalogue_or_a_criterion_says(zc):
    dc = walk_to_decision(zc, amount="150000", parties=[legal_person()])
    assert not selectors.review_requirement(dc.case).required  # 002 第五十一条: 可以
    state = build_case_state(dc.case, timezone.localdate())
    assert state.review.required is False

    rule = fine_rule(zc)
    requirement = selectors.review_requirement(dc.case)
    assert requirement.required
    assert requirement.summary() == (
        "属于本机关重大执法决定法制审核目录清单事项“对法人或者其他组织处以较大数额罚款”"
        "（行政处罚，当事人为法人，罚款数额达到100,000.00元）（002 第五十一条）"
    )
    assert build_case_state(dc.case, timezone.localdate()).review.required is True

    # Below the threshold, or withdrawn: not required.
    small = walk_to_decision(zc, amount="90000", parties=[legal_person()])
    assert not selectors.review_requirement(small.case).required
    person = walk_to_decision(zc, amount="150000")
    assert not selectors.review_requirement(person.case).required
    services.withdraw_catalogue_rule(actor=zc.head, rule=rule, reason="标准调整")
    assert not selectors.review_requirement(dc.case).required


def test_a_flagged_criterion_needs_review_and_gates_the_decision(zc):
    dc = walk_to_decision(zc)
    with pytest.raises(ValidationError, match="应当说明理由（002 第五十一条）"):
        services.set_review_flag(actor=zc.user_a, case=dc.case, criterion="major_rights", reason="")
    services.set_review_flag(
        actor=zc.user_a,
        case=dc.case,
        criterion="major_rights",
        reason="罚款数额接近当事人年营业收入",
    )
    requirement = selectors.review_requirement(dc.case)
    assert requirement.reasons[0].source == "002 第五十一条"
    assert "直接关系行政相对人或者第三人重大权益" in requirement.summary()
    with pytest.raises(ValidationError, match=r"尚未经法制审核.*002 第五十条"):
        case_services.sign_record(
            actor=zc.head, record=dc.decision, role="agency_head", signer_name="孙局长"
        )
    with pytest.raises(ValidationError, match="尚未经法制审核"):
        fire(zc.head, dc.case, "issue")


def test_flag_citation_follows_the_jurisdiction(world):
    dc = walk_to_decision(world)
    flag = services.set_review_flag(
        actor=world.user_a, case=dc.case, criterion="after_hearing", reason="当事人申请听证"
    )
    assert flag.pk
    reasons = selectors.review_requirement(dc.case).reasons
    assert reasons[-1].source == "001 河南法制审核办法 第六条"
    with pytest.raises(ValidationError, match="已认定"):
        services.set_review_flag(
            actor=world.user_a, case=dc.case, criterion="after_hearing", reason="重复"
        )


def test_catalogue_rules_are_cited_and_kept_by_the_head(zc):
    with pytest.raises(ValidationError, match="应当载明依据"):
        fine_rule(zc, source="第五十一条")
    with pytest.raises(ValidationError, match="应当写明金额类别"):
        fine_rule(zc, amount_kind="")
    with pytest.raises(PermissionDenied):
        fine_rule(zc, actor=zc.user_a)
    reviewer = UserFactory(agency=zc.agency, roles=[Role.LEGAL_REVIEWER])
    with pytest.raises(PermissionDenied):
        fine_rule(zc, actor=reviewer)
    rule = fine_rule(zc, after_hearing=True)
    assert "经过听证程序作出" in rule.conditions()
