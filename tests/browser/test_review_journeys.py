"""Legal review of major decisions (重大执法决定法制审核) in headless Chromium, each person in
their own browser: the handling officer, the agency head and the legal unit's reviewers.

(a) a major penalty: submit → fail with reasons naming the failed checklist point → the
    officer corrects the decision on the case page → resubmit → pass → the head signs the
    decision and issues it;
(b) the handling unit disputes a failed opinion: consultation, then the heads' collective
    discussion with participants, views and conclusion;
(c) a reviewer who took part in the investigation cannot be assigned (002 第四十九条).

The cases are walked to the decision stage through the services (tests.review.helpers);
the review itself is done in the browser. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from sanxiang.cases import services as case_services
from sanxiang.cases.models import Case, Record
from sanxiang.core.calendar_seed import seed_years
from sanxiang.review.models import ChecklistItem, CollectiveDiscussion, Dispute, LegalReview
from tests.browser.case_steps import _ok, add_record, fire, goto_case, login, sign, stage
from tests.browser.test_journeys import shot
from tests.cases.factories import World, make_world
from tests.review.helpers import (
    DecisionCase,
    Reviewers,
    make_reviewers,
    review_round,
    submit,
    walk_to_decision,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAILED_NOTE = "罚款数额超出裁量基准一般情节档次"
FAILED_REASONS = "建议按裁量基准一般情节档次重新确定罚款数额"


class Tabs:
    """One browser context per person, opened on demand and closed at the end."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser
        self.pages: list[Any] = []

    def open(self, base: str, username: str) -> Any:
        context = self.browser.new_context(
            locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        self.pages.append(page)
        login(page, base, username)
        return page


@pytest.fixture
def tabs(browser: Any) -> Iterator[Tabs]:
    opened = Tabs(browser)
    yield opened
    for page in opened.pages:
        page.context.close()


@pytest.fixture
def world() -> World:
    # A transactional test starts from tables flushed by the previous one: the working-day
    # calendar seeded by core/0002 is gone, and review deadlines need it.
    today = timezone.localdate()
    seed_years(today.year - 1, today.year)
    return make_world()


@pytest.fixture
def reviewers(world: World) -> Reviewers:
    """The agency's legal unit (Unit kind "legal") with two 法制审核人员."""
    return make_reviewers(world)


def _errors(page: Any) -> str:
    return str(page.get_by_test_id("form-errors").first.inner_text())


def _submit_round(page: Any, base: str, case_id: int) -> str:
    """As the officer, on the case's review page: hand in the current decision, the final
    report and the evidence; returns the URL of the new round's page."""
    page.goto(f"{base}/staff/reviews/case/{case_id}/")
    page.locator("#form-submit summary").click()
    form = page.get_by_test_id("submit-form")
    form.locator('[name="decision_record"]').select_option(index=1)
    form.locator('[name="report"]').select_option(index=1)
    form.locator('[name="evidence"]').first.check()
    form.get_by_role("button", name="报送").click()
    _ok(page)
    latest = LegalReview.objects.filter(case_id=case_id).order_by("-round").first()
    assert latest is not None
    return f"{base}/staff/reviews/{latest.pk}/"


def _assign(page: Any, url: str, reviewer_pk: int) -> None:
    page.goto(url)
    form = page.get_by_test_id("assign-form")
    form.locator('[name="reviewer"]').select_option(str(reviewer_pk))
    form.get_by_role("button", name="分配").click()


def _checklist(page: Any, failing: dict[str, str]) -> None:
    """Record a finding on every checklist point: conforms, or fails with the note."""
    for item in ChecklistItem.Item.values:
        form = page.locator(f'form[data-item="{item}"]')
        finding = "fails" if item in failing else "conforms"
        form.locator(f'input[name="{item}-finding"][value="{finding}"]').check()
        if item in failing:
            form.locator(f'[name="{item}-note"]').fill(failing[item])
        form.get_by_role("button", name="保存").click()
        _ok(page)


def _outcome(page: Any, *, passed: bool, reasons: str = "") -> None:
    form = page.get_by_test_id("outcome-form")
    form.locator(f'input[name="passed"][value="{"1" if passed else "0"}"]').check()
    if reasons:
        form.locator('[name="reasons"]').fill(reasons)
    form.get_by_role("button", name="提出审核意见").click()


def test_major_penalty_fails_is_fixed_passes_and_is_issued(
    live_server: Any, tabs: Tabs, world: World, reviewers: Reviewers
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    today = timezone.localdate().isoformat()
    dc = walk_to_decision(world, amount="80000")
    case_id = dc.case.pk
    officer = tabs.open(base, world.user_a.username)
    head = tabs.open(base, world.head.username)
    reviewer = tabs.open(base, reviewers.reviewer.username)

    # Every general-procedure penalty is reviewed in Zhengzhou (000 法制审核办法 第六条);
    # without a review the head may not issue the decision.
    officer.goto(f"{base}/staff/reviews/case/{case_id}/")
    expect(officer.get_by_test_id("requirement")).to_contain_text("000 法制审核办法 第六条")
    goto_case(head, base, case_id)
    expect(head.locator('button[data-transition="issue"]').locator("..")).to_contain_text(
        "尚未经法制审核"
    )

    # An incomplete package is refused with its article.
    officer.goto(f"{base}/staff/reviews/case/{case_id}/")
    officer.locator("#form-submit summary").click()
    form = officer.get_by_test_id("submit-form")
    form.locator('[name="decision_record"]').select_option(index=1)
    form.locator('[name="report"]').select_option(index=1)
    form.get_by_role("button", name="报送").click()
    assert "缺少调查取证相关材料（证据）" in _errors(officer)
    assert "第八条" in _errors(officer)
    assert not LegalReview.objects.filter(case=dc.case).exists()

    first = _submit_round(officer, base, case_id)
    _assign(head, first, reviewers.reviewer.pk)
    _ok(head)

    # Round 1: the law/discretion point fails; a pass is refused, a fail needs reasons.
    reviewer.goto(first)
    _checklist(reviewer, {"law": FAILED_NOTE})
    _outcome(reviewer, passed=True)
    assert "000 法制审核办法 第十七条" in _errors(reviewer)
    _outcome(reviewer, passed=False)
    assert "具体书面审核意见并说明理由" in _errors(reviewer)
    _outcome(reviewer, passed=False, reasons=FAILED_REASONS)
    _ok(reviewer)
    expect(reviewer.get_by_test_id("status")).to_have_text("不予审核通过")
    checklist = reviewer.get_by_test_id("checklist")
    failed_row = checklist.locator("tr", has_text=str(ChecklistItem.Item.LAW.label))
    expect(failed_row).to_contain_text("存在问题")
    expect(failed_row).to_contain_text(FAILED_NOTE)
    shot(reviewer, "review-round-1-failed")

    # The opinion (法制审核意见书) is a PDF the officer can open.
    officer.goto(first)
    link = officer.get_by_test_id("opinion")
    pdf = officer.request.get(f"{base}{link.get_attribute('href')}")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    goto_case(head, base, case_id)
    expect(head.locator('button[data-transition="issue"]').locator("..")).to_contain_text(
        "法制审核未通过，不得作出决定"
    )

    # The handling unit fixes the decision through the case page's 更正 link.
    goto_case(officer, base, case_id)
    decision = officer.locator(
        'article.record[data-kind="penalty_decision"]:not(.record-superseded)'
    ).last
    decision.get_by_role("link", name="更正").click()
    correct = officer.get_by_test_id("correct-form")
    correct.locator('[name="penalty_decision-amount"]').fill("50000")
    correct.locator('[name="penalty_decision-served_on"]').fill(today)
    correct.locator('[name="penalty_decision-service_method"]').select_option("direct")
    correct.locator('[name="penalty_decision-reason"]').fill("按法制审核意见调整罚款数额")
    correct.get_by_role("button", name="制作更正记录").click()
    _ok(officer)
    current = Record.objects.get(case=dc.case, kind="penalty_decision", superseded_by__isnull=True)
    assert current.amount == Decimal("50000") and current.supersedes_id == dc.decision.pk

    # Round 2 on the corrected decision: every point conforms, pass.
    second = _submit_round(officer, base, case_id)
    assert second != first
    _assign(head, second, reviewers.reviewer.pk)
    _ok(head)
    reviewer.goto(second)
    _checklist(reviewer, {})
    _outcome(reviewer, passed=True)
    _ok(reviewer)
    expect(reviewer.get_by_test_id("status")).to_have_text("审核通过")
    officer.goto(f"{base}/staff/reviews/case/{case_id}/")
    expect(officer.get_by_test_id("gate")).to_contain_text("最近一轮法制审核已通过")
    rounds = officer.get_by_test_id("rounds")
    expect(rounds).to_contain_text("第1轮")
    expect(rounds).to_contain_text("第2轮")
    shot(officer, "review-case-two-rounds")

    # The case review form, then the head signs the decision and issues it.
    goto_case(officer, base, case_id)
    add_record(officer, "case_review_form")
    sign(officer, "case_review_form", "officer")
    goto_case(head, base, case_id)
    sign(head, "case_review_form", "unit_head", name=world.head.full_name)
    sign(head, "case_review_form", "agency_head", name=world.head.full_name)
    sign(head, "penalty_decision", "agency_head", name=world.head.full_name)
    fire(head, "issue")
    assert stage(head) == "送达"
    # Both rounds' opinions (法制审核意见书) are in the case's trail, signed by the reviewer.
    opinions = head.locator('article.record[data-kind="legal_review_opinion"]')
    expect(opinions).to_have_count(2)
    expect(opinions.first).to_contain_text("不予审核通过")
    expect(opinions.last).to_contain_text(reviewers.reviewer.full_name)
    shot(head, "review-decision-issued")
    rows = LegalReview.objects.filter(case=dc.case).order_by("round")
    assert [r.status for r in rows] == [LegalReview.Status.FAILED, LegalReview.Status.PASSED]
    assert Case.objects.get(pk=case_id).stage == "service"


def _failed_round(world: World, reviewers: Reviewers) -> tuple[DecisionCase, LegalReview]:
    dc = walk_to_decision(world, amount="80000")
    review = review_round(world, reviewers, submit(world, dc), passed=False)
    return dc, review


def test_a_disputed_opinion_goes_to_the_heads_collective_discussion(
    live_server: Any, tabs: Tabs, world: World, reviewers: Reviewers
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    dc, review = _failed_round(world, reviewers)
    url = f"{base}/staff/reviews/{review.pk}/"
    officer = tabs.open(base, world.user_a.username)
    reviewer = tabs.open(base, reviewers.reviewer.username)
    head = tabs.open(base, world.head.username)

    # The handling unit disagrees with the failed opinion (000 法制审核办法 第十八条).
    officer.goto(url)
    box = officer.locator("#disputes details.record-form")
    box.locator("summary").click()
    box.get_by_role("button", name="提出异议").click()
    assert _errors(officer)  # grounds are required
    box = officer.locator("#disputes details.record-form")
    box.locator('[name$="grounds"]').fill("罚款数额已考虑当事人多次违法的从重情节，符合裁量基准")
    box.get_by_role("button", name="提出异议").click()
    _ok(officer)
    dispute = Dispute.objects.get(review=review)

    # The units consult and do not agree: the dispute goes to the heads.
    reviewer.goto(url)
    consult = reviewer.locator(f'form[action$="/disputes/{dispute.pk}/consult/"]')
    consult.locator('[name$="consultation"]').fill(
        "法制机构与承办机构协商，对从重情节的认定未达成一致"
    )
    consult.locator('input[name$="agreed"][value="0"]').check()
    consult.get_by_role("button", name="记录协商结果").click()
    _ok(reviewer)
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.REFERRED

    # The heads' collective discussion: participants, views, conclusion.
    head.goto(url)
    form = head.get_by_test_id("discussion-form")
    form.locator('[name$="held_on"]').fill(timezone.localdate().isoformat())
    form.locator('[name$="place"]').fill("局三楼会议室")
    form.locator('[name$="participants"]').fill("王局长、副局长刘某、法制科科长、稽查科科长")
    form.locator('[name$="views"]').fill(
        "承办机构认为应从重处罚；法制机构认为从重情节证据不足；与会负责人多数同意法制机构意见"
    )
    form.locator('[name$="conclusion"]').select_option(CollectiveDiscussion.Conclusion.RESUBMIT)
    form.locator('[name$="conclusion_text"]').fill("维持审核意见，承办机构补充证据后重新报送")
    form.get_by_role("button", name="记录集体讨论").click()
    _ok(head)
    shown = head.get_by_test_id("discussion")
    expect(shown).to_contain_text("副局长刘某")
    expect(shown).to_contain_text("从重情节证据不足")
    expect(shown).to_contain_text("承办机构补充证据后重新报送")
    shot(head, "review-collective-discussion")
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.DECIDED
    assert dispute.discussion.participants.startswith("王局长")

    # The decision still waits for a round that passes.
    goto_case(head, base, dc.case.pk)
    expect(head.locator('button[data-transition="issue"]').locator("..")).to_contain_text(
        "法制审核未通过，不得作出决定"
    )


def test_a_reviewer_who_took_part_in_the_case_cannot_be_assigned(
    live_server: Any, tabs: Tabs, world: World, reviewers: Reviewers
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    dc = walk_to_decision(world)
    # The reviewer's officer record was put on the investigation (调查取证) stage.
    case_services.assign_officer(
        actor=world.user_a, case=dc.case, officer=reviewers.reviewer_officer, stage="investigation"
    )
    officer = tabs.open(base, world.user_a.username)
    head = tabs.open(base, world.head.username)
    url = _submit_round(officer, base, dc.case.pk)

    head.goto(url)
    warning = head.locator("#assign .notice-warn")
    expect(warning).to_contain_text(reviewers.reviewer.full_name)
    expect(warning).to_contain_text("参与了本案调查取证环节的办理")
    _assign(head, url, reviewers.reviewer.pk)
    message = _errors(head)
    assert "应当回避" in message and "002 第四十九条" in message, message
    shot(head, "review-recusal-refused")
    review = LegalReview.objects.get(case=dc.case)
    assert review.reviewer_id is None

    # Another reviewer of the legal unit, who took no part, may be assigned.
    _assign(head, url, reviewers.reviewer_b.pk)
    _ok(head)
    expect(head.get_by_test_id("status")).to_have_text("审核中")
    review.refresh_from_db()
    assert review.reviewer_id == reviewers.reviewer_b.pk
