"""A major penalty through review: submit → fail with reasons → fix → resubmit → pass →
decision; every refusal of the issue's "bad input" list, each naming its article; one ledger
entry per action."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sanxiang.cases import services as case_services
from sanxiang.cases.models import Record
from sanxiang.cases.state import build_case_state
from sanxiang.records.models import LedgerEntry
from sanxiang.review import selectors, services
from sanxiang.review.models import ChecklistItem, Dispute, LegalReview
from tests.cases.factories import fire, make_world
from tests.factories import CertificateFactory, OfficerFactory, Role, UserFactory
from tests.review.helpers import (
    CASE_REVIEW_FORM,
    DECISION_DATA,
    add_decision,
    record_all,
    review_round,
    submit,
    walk_to_decision,
)

pytestmark = pytest.mark.django_db


def messages(excinfo: pytest.ExceptionInfo[ValidationError]) -> str:
    return "；".join(excinfo.value.messages)


def sign_decision(world, record: Record) -> None:
    case_services.sign_record(
        actor=world.head, record=record, role="agency_head", signer_name="王局长"
    )


def case_review_form(world, case) -> None:
    case_services.add_record(
        actor=world.user_a,
        case=case,
        kind="case_review_form",
        made_on=timezone.localdate(),
        data=CASE_REVIEW_FORM,
        signatures=[
            case_services.SignatureInput("officer", "李执法", officer=world.officer_a),
            case_services.SignatureInput("unit_head", "王局长"),
            case_services.SignatureInput("agency_head", "王局长"),
        ],
    )


# ------------------------------------------------------------------ the whole way


def test_fail_fix_resubmit_pass_then_decision(world, reviewers):
    dc = walk_to_decision(world, amount="80000")
    first = submit(world, dc)
    assert first.round == 1 and first.status == LegalReview.Status.SUBMITTED
    assert "000 法制审核办法 第六条" in first.requirement
    first = review_round(world, reviewers, first, passed=False)
    assert first.status == LegalReview.Status.FAILED
    state = build_case_state(dc.case, timezone.localdate())
    assert state.review.passed is False
    with pytest.raises(ValidationError) as excinfo:
        fire(world.head, dc.case, "issue")
    assert "法制审核未通过" in messages(excinfo)
    assert "000 法制审核办法 第三条" in messages(excinfo)

    # The handling unit fixes the amount (a correction) and resubmits: round 2.
    fixed = case_services.correct_record(
        actor=world.user_a,
        record=dc.decision,
        reason="按法制审核意见调整罚款数额",
        made_on=timezone.localdate(),
        data=DECISION_DATA,
        amount=Decimal("50000"),
    )
    dc.decision = fixed
    second = submit(world, dc)
    assert second.round == 2 and second.proposed_amount == Decimal("50000")
    second = review_round(world, reviewers, second, passed=True)
    assert second.status == LegalReview.Status.PASSED
    assert second.opinion_number.endswith(f"{dc.case.pk}-2号")
    state = build_case_state(dc.case, timezone.localdate())
    assert state.review.passed is True and state.review.matches_decision is True
    assert state.review.submitted_on == second.received_on

    sign_decision(world, fixed)
    case_review_form(world, dc.case)
    case = fire(world.head, dc.case, "issue")
    assert case.stage == "service"
    assert list(dc.case.legal_reviews.values_list("round", "status")) == [
        (1, "failed"),
        (2, "passed"),
    ]


def test_every_action_writes_one_ledger_entry(world, reviewers):
    dc = walk_to_decision(world)

    def latest() -> LegalReview:
        return dc.case.legal_reviews.get()

    for action, call in [
        ("review.submit", lambda: submit(world, dc)),
        (
            "review.assign",
            lambda: services.assign_reviewer(
                actor=world.head, review=latest(), reviewer=reviewers.reviewer
            ),
        ),
        (
            "review.record_checklist_item",
            lambda: services.record_checklist_item(
                actor=reviewers.reviewer, review=latest(), item="subject", finding="conforms"
            ),
        ),
        (
            "review.request_materials",
            lambda: services.request_materials(
                actor=reviewers.reviewer,
                review=latest(),
                measure="explanation",
                request="请说明罚款数额的裁量理由",
            ),
        ),
        (
            "review.answer_request",
            lambda: services.answer_request(
                actor=world.user_a,
                request=latest().requests.get(),
                answer="按一般情节档次确定",
            ),
        ),
        (
            "review.request_extension",
            lambda: services.request_extension(
                actor=reviewers.reviewer, review=latest(), reason="案情复杂，需专家论证"
            ),
        ),
        (
            "review.approve_extension",
            lambda: services.approve_extension(
                actor=world.head, extension=latest().extensions.get()
            ),
        ),
    ]:
        before = LedgerEntry.objects.count()
        call()
        assert LedgerEntry.objects.count() == before + 1, action
        assert LedgerEntry.objects.order_by("-seq").first().action == action


# ------------------------------------------------------------------ bad input


def test_incomplete_package_is_refused(world, reviewers):
    dc = walk_to_decision(world, draft=False)
    before = LedgerEntry.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.submit_for_review(
            actor=world.user_a, case=dc.case, report=None, evidence=[], proposed_basis=""
        )
    text = messages(excinfo)
    for gap in ("拟作出的行政执法决定", "法律依据", "调查（审查）终结报告", "证据"):
        assert gap in text, gap
    assert "000 法制审核办法 第十五条；001 河南法制审核办法 第八条" in text
    assert LedgerEntry.objects.count() == before
    assert not LegalReview.objects.exists()
    with pytest.raises(ValidationError, match="鉴定报告、评估报告"):
        submit(world, dc, appraised=True)


def test_the_report_must_be_the_cases_final_report(world, reviewers):
    dc = walk_to_decision(world, draft=False)
    with pytest.raises(ValidationError, match="所附调查终结报告不是本案的调查终结报告"):
        submit(world, dc, report=dc.case.records.get(kind="inquiry_record"))
    other = walk_to_decision(world, draft=False)
    with pytest.raises(ValidationError, match="所附调查终结报告不是本案的调查终结报告"):
        submit(world, dc, report=other.report)


def test_decision_and_submission_must_agree(world, reviewers):
    dc = walk_to_decision(world)
    with pytest.raises(ValidationError, match="拟决定金额与决定书不一致"):
        submit(world, dc, proposed_amount=Decimal("1"))


def test_no_second_open_round(world, reviewers):
    dc = walk_to_decision(world)
    submit(world, dc)
    with pytest.raises(ValidationError, match="尚未审核完毕，不能重复报送"):
        submit(world, dc)


def test_a_reviewer_who_investigated_the_case_cannot_be_assigned(world, reviewers):
    # An officer of the legal unit who also took part in the investigation.
    dc = walk_to_decision(world)
    case_services.assign_officer(
        actor=world.user_a, case=dc.case, officer=reviewers.reviewer_officer, stage="investigation"
    )
    review = submit(world, dc)
    with pytest.raises(ValidationError) as excinfo:
        services.assign_reviewer(actor=world.head, review=review, reviewer=reviewers.reviewer)
    assert "参与了本案调查取证环节的办理" in messages(excinfo)
    assert "应当回避" in messages(excinfo) and "002 第四十九条" in messages(excinfo)
    review.refresh_from_db()
    assert review.reviewer is None
    # The other reviewer may.
    services.assign_reviewer(actor=world.head, review=review, reviewer=reviewers.reviewer_b)


def test_the_officer_who_handled_the_case_cannot_review_it(world, reviewers):
    world.user_a.role_grants.create(role=Role.LEGAL_REVIEWER)
    dc = walk_to_decision(world)
    review = submit(world, dc)
    with pytest.raises(ValidationError) as excinfo:
        services.assign_reviewer(
            actor=world.head,
            review=review,
            reviewer=type(world.user_a).objects.get(pk=world.user_a.pk),
        )
    text = messages(excinfo)
    assert "不是法制机构" in text or "应当回避" in text


def test_declared_conflict_blocks_and_releases(world, reviewers):
    dc = walk_to_decision(world)
    review = submit(world, dc)
    services.assign_reviewer(actor=world.head, review=review, reviewer=reviewers.reviewer)
    services.declare_conflict(actor=reviewers.reviewer, case=dc.case, reason="当事人系本人亲属")
    review.refresh_from_db()
    assert review.reviewer is None and review.status == LegalReview.Status.SUBMITTED
    with pytest.raises(ValidationError, match="已申报回避"):
        services.assign_reviewer(actor=world.head, review=review, reviewer=reviewers.reviewer)
    with pytest.raises(ValidationError, match="002 第四十九条"):
        services.declare_conflict(actor=reviewers.reviewer_b, case=dc.case, reason=" ")


def test_only_reviewers_of_the_legal_unit(world, reviewers):
    dc = walk_to_decision(world)
    review = submit(world, dc)
    handling = OfficerFactory(agency=world.agency, unit=world.unit)
    CertificateFactory(officer=handling)
    outsider = UserFactory(agency=world.agency, officer=handling, roles=[Role.LEGAL_REVIEWER])
    with pytest.raises(ValidationError, match=r"不是法制机构.*000 法制审核办法 第五条"):
        services.assign_reviewer(actor=world.head, review=review, reviewer=outsider)
    other = make_world(name="郑州市城市管理局")
    foreign = UserFactory(agency=other.agency, roles=[Role.LEGAL_REVIEWER])
    with pytest.raises(ValidationError, match="不是郑州市市场监督管理局的法制审核人员"):
        services.assign_reviewer(actor=world.head, review=review, reviewer=foreign)
    with pytest.raises(PermissionDenied):
        services.assign_reviewer(actor=world.user_a, review=review, reviewer=reviewers.reviewer)


def test_only_the_assigned_reviewer_works_the_round(world, reviewers):
    dc = walk_to_decision(world)
    review = submit(world, dc)
    services.assign_reviewer(actor=world.head, review=review, reviewer=reviewers.reviewer)
    with pytest.raises(PermissionDenied):
        services.record_checklist_item(
            actor=reviewers.reviewer_b, review=review, item="subject", finding="conforms"
        )
    with pytest.raises(PermissionDenied):
        services.decide_review(actor=world.user_a, review=review, passed=True)


def test_pass_with_a_failed_item_is_refused(world, reviewers):
    dc = walk_to_decision(world)
    review = submit(world, dc)
    services.assign_reviewer(actor=world.head, review=review, reviewer=reviewers.reviewer)
    with pytest.raises(
        ValidationError, match=r"尚未对下列内容作出审核结论.*000 法制审核办法 第十六条"
    ):
        services.decide_review(actor=reviewers.reviewer, review=review, passed=True)
    record_all(reviewers.reviewer, review, {"facts": "主要事实不清，缺少经营天数的证据"})
    with pytest.raises(ValidationError) as excinfo:
        services.decide_review(actor=reviewers.reviewer, review=review, passed=True)
    assert "事实是否清楚，证据是否合法充分" in messages(excinfo)
    assert "000 法制审核办法 第十七条" in messages(excinfo)
    review.refresh_from_db()
    assert review.status == LegalReview.Status.IN_REVIEW


def test_a_failed_item_needs_its_problem_written(world, reviewers):
    dc = walk_to_decision(world)
    review = submit(world, dc)
    services.assign_reviewer(actor=world.head, review=review, reviewer=reviewers.reviewer)
    with pytest.raises(ValidationError, match="应当写明具体问题"):
        services.record_checklist_item(
            actor=reviewers.reviewer, review=review, item="law", finding="fails"
        )
    with pytest.raises(ValidationError, match="必审内容"):
        services.record_checklist_item(
            actor=reviewers.reviewer, review=review, item="procedure", finding="na"
        )


def test_fail_without_reasons_is_refused(world, reviewers):
    dc = walk_to_decision(world)
    review = submit(world, dc)
    services.assign_reviewer(actor=world.head, review=review, reviewer=reviewers.reviewer)
    record_all(reviewers.reviewer, review)
    with pytest.raises(ValidationError, match="应当指明存在问题的审核内容"):
        services.decide_review(actor=reviewers.reviewer, review=review, passed=False, reasons="x")
    services.record_checklist_item(
        actor=reviewers.reviewer, review=review, item="documents", finding="fails", note="文书缺页"
    )
    with pytest.raises(ValidationError) as excinfo:
        services.decide_review(actor=reviewers.reviewer, review=review, passed=False, reasons="  ")
    assert "具体书面审核意见并说明理由" in messages(excinfo)
    assert "000 法制审核办法 第十七条" in messages(excinfo)
    decided = services.decide_review(
        actor=reviewers.reviewer, review=review, passed=False, reasons="补正文书后重新报送"
    )
    assert decided.status == LegalReview.Status.FAILED
    with pytest.raises(ValidationError, match=r"已于.*审核完毕"):
        services.record_checklist_item(
            actor=reviewers.reviewer, review=review, item="documents", finding="conforms"
        )


def test_pass_waits_for_requested_materials(world, reviewers):
    dc = walk_to_decision(world)
    review = submit(world, dc)
    services.assign_reviewer(actor=world.head, review=review, reviewer=reviewers.reviewer)
    request = services.request_materials(
        actor=reviewers.reviewer, review=review, measure="materials", request="调取营业执照复印件"
    )
    record_all(reviewers.reviewer, review)
    with pytest.raises(ValidationError, match="001 河南法制审核办法 第十条"):
        services.decide_review(actor=reviewers.reviewer, review=review, passed=True)
    services.answer_request(actor=world.user_a, request=request, answer="已补充营业执照复印件")
    assert services.decide_review(actor=reviewers.reviewer, review=review, passed=True).status == (
        LegalReview.Status.PASSED
    )


def test_extension_needs_the_heads_approval_and_comes_once(world, reviewers):
    dc = walk_to_decision(world)
    review = submit(world, dc)
    services.assign_reviewer(actor=world.head, review=review, reviewer=reviewers.reviewer)
    due = review.due_on
    request = services.request_extension(
        actor=reviewers.reviewer, review=review, reason="涉及多个法律关系，需组织专家论证"
    )
    review.refresh_from_db()
    assert review.due_on == due and not review.extended  # not without approval
    with pytest.raises(ValidationError) as excinfo:
        services.approve_extension(actor=reviewers.reviewer, extension=request)
    assert "须经行政执法机关负责人批准（000 法制审核办法 第十九条）" in messages(excinfo)
    with pytest.raises(ValidationError, match="待批准"):
        services.request_extension(actor=reviewers.reviewer, review=review, reason="再延")
    services.approve_extension(actor=world.head, extension=request)
    review.refresh_from_db()
    assert review.extended and review.due_on > due
    with pytest.raises(ValidationError) as excinfo:
        services.request_extension(actor=reviewers.reviewer, review=review, reason="仍需论证")
    assert "不得再次延长" in messages(excinfo)
    assert "000 法制审核办法 第十九条" in messages(excinfo)
    with pytest.raises(ValidationError, match=r"已于.*批准"):
        services.approve_extension(actor=world.head, extension=request)


def test_decision_after_a_stale_review_is_refused(world, reviewers):
    dc = walk_to_decision(world)
    review_round(world, reviewers, submit(world, dc), passed=True)
    # The amount changes after the review passed: the review no longer covers the decision.
    changed = case_services.correct_record(
        actor=world.user_a,
        record=dc.decision,
        reason="调整罚款数额",
        made_on=timezone.localdate(),
        data=DECISION_DATA,
        amount=Decimal("60000"),
    )
    state = build_case_state(dc.case, timezone.localdate())
    assert state.review.passed is True and state.review.matches_decision is False
    with pytest.raises(ValidationError) as excinfo:
        sign_decision(world, changed)
    assert "须重新法制审核" in messages(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        fire(world.head, dc.case, "issue")
    assert "须重新法制审核" in messages(excinfo)
    assert "000 法制审核办法 第三条" in messages(excinfo)


def test_a_changed_basis_also_needs_a_new_review(world, reviewers):
    dc = walk_to_decision(world)
    review_round(world, reviewers, submit(world, dc), passed=True)
    add_decision(
        world, dc.case, "50000", penalty_basis="《中华人民共和国食品安全法》第一百二十六条"
    )
    state = build_case_state(dc.case, timezone.localdate())
    assert state.review.matches_decision is False


def test_decision_after_a_failed_review_is_refused(world, reviewers):
    dc = walk_to_decision(world)
    review_round(world, reviewers, submit(world, dc), passed=False)
    with pytest.raises(ValidationError, match="法制审核未通过"):
        sign_decision(world, dc.decision)


def test_submission_outside_the_decision_stage_is_refused(world, reviewers):
    dc = walk_to_decision(world)
    review_round(world, reviewers, submit(world, dc), passed=True)
    sign_decision(world, dc.decision)
    case_review_form(world, dc.case)
    fire(world.head, dc.case, "issue")
    with pytest.raises(ValidationError, match="送达环节"):
        submit(world, dc)


def test_outsiders_cannot_submit(world, reviewers):
    dc = walk_to_decision(world)
    other = make_world(name="郑州市城市管理局")
    with pytest.raises(PermissionDenied):
        submit(world, dc, actor=other.user_a)
    with pytest.raises(PermissionDenied):
        submit(world, dc, actor=reviewers.reviewer)


# ------------------------------------------------------------------ disputes


def test_dispute_goes_to_collective_discussion(world, reviewers):
    dc = walk_to_decision(world)
    failed = review_round(world, reviewers, submit(world, dc), passed=False)
    with pytest.raises(ValidationError, match="应当说明理由"):
        services.raise_dispute(actor=world.user_a, review=failed, grounds=" ")
    dispute = services.raise_dispute(
        actor=world.user_a, review=failed, grounds="罚款数额符合裁量基准的较重情节档次"
    )
    discussion_kwargs = dict(
        held_on=timezone.localdate(),
        place="局三楼会议室",
        participants="王局长、李副局长、张副局长；列席：周法制、李执法",
        views="承办机构认为属较重情节；法制机构认为属一般情节",
        conclusion="resubmit",
        conclusion_text="维持法制审核意见，承办机构按一般情节档次重新确定罚款数额后报送审核",
    )
    with pytest.raises(
        ValidationError, match=r"经协商沟通未达成一致意见的.*000 法制审核办法 第十八条"
    ):
        services.record_collective_discussion(
            actor=world.head, dispute=dispute, **discussion_kwargs
        )
    dispute = services.record_consultation(
        actor=reviewers.reviewer, dispute=dispute, consultation="双方沟通未达成一致", agreed=False
    )
    assert dispute.status == Dispute.Status.REFERRED
    with pytest.raises(PermissionDenied):
        services.record_collective_discussion(
            actor=world.user_a, dispute=dispute, **discussion_kwargs
        )
    with pytest.raises(ValidationError, match="参加人员"):
        services.record_collective_discussion(
            actor=world.head, dispute=dispute, **{**discussion_kwargs, "participants": ""}
        )
    discussion = services.record_collective_discussion(
        actor=world.head, dispute=dispute, **discussion_kwargs
    )
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.DECIDED and discussion.participants.startswith("王局长")
    # The discussion does not open the gate: a new round must pass.
    with pytest.raises(ValidationError, match="法制审核未通过"):
        fire(world.head, dc.case, "issue")
    with pytest.raises(ValidationError, match="只能对不予审核通过的意见"):
        passed = review_round(world, reviewers, submit(world, dc), passed=True)
        services.raise_dispute(actor=world.user_a, review=passed, grounds="x")


# ------------------------------------------------------------------ checklist content


def test_checklist_covers_the_articles():
    labels = dict(ChecklistItem.Item.choices)
    assert len(labels) == 9
    assert labels["crime"] == "违法行为是否涉嫌犯罪、需要移送司法机关"
    assert labels["legal_risk"] == "执法的法律风险评估情况"


def test_selectors_list_due_and_overdue(world, reviewers):
    dc = walk_to_decision(world)
    review = submit(world, dc)
    mine = selectors.reviews_for_workbench(reviewers.reviewer)
    assert list(mine) == [review]
    assert list(selectors.reviews_for_workbench(world.head)) == [review]
    assert list(selectors.reviews_for_workbench(world.user_a)) == []
    assert review.due_on is not None
    assert list(selectors.overdue(mine, on=review.due_on)) == []
    from datetime import timedelta

    assert list(selectors.overdue(mine, on=review.due_on + timedelta(days=1))) == [review]
    assert list(selectors.due_soon(mine, on=review.due_on)) == [review]


def test_the_other_actions_write_one_ledger_entry_each(world, reviewers):
    dc = walk_to_decision(world)
    review = submit(world, dc)
    services.assign_reviewer(actor=world.head, review=review, reviewer=reviewers.reviewer)
    record_all(reviewers.reviewer, review, {"law": "裁量不当"})
    state: dict[str, object] = {}
    steps = [
        (
            "review.decide",
            lambda: services.decide_review(
                actor=reviewers.reviewer, review=review, passed=False, reasons="裁量不当"
            ),
        ),
        (
            "review.raise_dispute",
            lambda: state.setdefault(
                "dispute",
                services.raise_dispute(actor=world.user_a, review=review, grounds="裁量适当"),
            ),
        ),
        (
            "review.record_consultation",
            lambda: services.record_consultation(
                actor=reviewers.reviewer,
                dispute=state["dispute"],
                consultation="未一致",
                agreed=False,
            ),
        ),
        (
            "review.record_collective_discussion",
            lambda: services.record_collective_discussion(
                actor=world.head,
                dispute=state["dispute"],
                held_on=timezone.localdate(),
                place="会议室",
                participants="王局长",
                views="各方意见",
                conclusion="resubmit",
                conclusion_text="重新报送",
            ),
        ),
        (
            "review.set_flag",
            lambda: services.set_review_flag(
                actor=world.user_a, case=dc.case, criterion="complex", reason="多个法律关系"
            ),
        ),
        (
            "review.declare_conflict",
            lambda: services.declare_conflict(
                actor=reviewers.reviewer_b, case=dc.case, reason="曾为当事人提供咨询"
            ),
        ),
        (
            "review.publish_catalogue_rule",
            lambda: state.setdefault(
                "rule",
                services.publish_catalogue_rule(
                    actor=world.head,
                    agency=world.agency,
                    title="较大数额罚款",
                    action_type="penalty",
                    source="000 法制审核办法 第十四条",
                    amount_kind="fine",
                    amount_at_least=Decimal("100000"),
                ),
            ),
        ),
        (
            "review.withdraw_catalogue_rule",
            lambda: services.withdraw_catalogue_rule(
                actor=world.head, rule=state["rule"], reason="标准调整"
            ),
        ),
    ]
    for action, call in steps:
        before = LedgerEntry.objects.count()
        call()
        assert LedgerEntry.objects.count() == before + 1, action
        assert LedgerEntry.objects.order_by("-seq").first().action == action
