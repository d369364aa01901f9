"""The review pages of the staff workbench, driven as a browser would (Django's client): a
major penalty goes submit → fail with reasons → fix → resubmit → pass → decision; a reviewer
who investigated the case cannot be assigned; a dispute goes to collective discussion; the
due list of reviewers and heads."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanxiang.cases import services as case_services
from sanxiang.review.models import ChecklistItem, Dispute, LegalReview
from tests.cases.factories import fire
from tests.factories import Role, UserFactory
from tests.review.helpers import CASE_REVIEW_FORM, DECISION_DATA, days_ago, submit, walk_to_decision

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def submit_form(client: Client, dc) -> LegalReview:
    response = client.post(
        reverse("workbench:review_case_submit", args=[dc.case.pk]),
        {
            "decision_record": dc.decision.pk,
            "report": dc.report.pk,
            "evidence": [dc.evidence.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    return LegalReview.objects.filter(case=dc.case).order_by("-round").first()


def fill_checklist(client: Client, review: LegalReview, failing: dict[str, str]) -> None:
    for item in ChecklistItem.Item.values:
        finding = "fails" if item in failing else "conforms"
        response = client.post(
            reverse("workbench:review_checklist", args=[review.pk, item]),
            {
                f"{item}-item": item,
                f"{item}-finding": finding,
                f"{item}-note": failing.get(item, ""),
            },
        )
        assert response.status_code == 302, response.content.decode()[-1500:]


def test_submit_fail_fix_resubmit_pass_decision_in_the_workbench(world, reviewers):
    dc = walk_to_decision(world, amount="80000")
    officer, head, reviewer = (
        as_user(world.user_a),
        as_user(world.head),
        as_user(reviewers.reviewer),
    )

    html = page(officer, reverse("workbench:review_case", args=[dc.case.pk]))
    assert "应当法制审核" in html and "000 法制审核办法 第六条" in html
    assert "尚未经法制审核" in html
    refused = officer.post(
        reverse("workbench:review_case_submit", args=[dc.case.pk]), {"report": dc.report.pk}
    )
    assert refused.status_code == 422
    assert "送审材料不完整" in refused.content.decode()

    first = submit_form(officer, dc)
    assert "待分配" in page(reviewer, reverse("workbench:reviews"))
    assert dc.case.title in page(head, reverse("workbench:reviews"))
    response = head.post(
        reverse("workbench:review_assign", args=[first.pk]), {"reviewer": reviewers.reviewer.pk}
    )
    assert response.status_code == 302
    fill_checklist(reviewer, first, {"law": "罚款数额超出一般情节档次"})
    no_pass = reviewer.post(reverse("workbench:review_outcome", args=[first.pk]), {"passed": "1"})
    assert no_pass.status_code == 422
    assert "000 法制审核办法 第十七条" in no_pass.content.decode()
    no_reasons = reviewer.post(
        reverse("workbench:review_outcome", args=[first.pk]), {"passed": "0"}
    )
    assert "具体书面审核意见并说明理由" in no_reasons.content.decode()
    failed = reviewer.post(
        reverse("workbench:review_outcome", args=[first.pk]),
        {"passed": "0", "reasons": "按一般情节档次重新确定罚款数额"},
    )
    assert failed.status_code == 302
    html = page(officer, reverse("workbench:review", args=[first.pk]))
    assert "不予审核通过" in html and "罚款数额超出一般情节档次" in html
    pdf = officer.get(reverse("workbench:review_opinion", args=[first.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    dc.decision = case_services.correct_record(
        actor=world.user_a,
        record=dc.decision,
        reason="按法制审核意见调整",
        made_on=timezone.localdate(),
        data=DECISION_DATA,
        amount=Decimal("50000"),
    )
    second = submit_form(officer, dc)
    assert second.round == 2
    head.post(
        reverse("workbench:review_assign", args=[second.pk]), {"reviewer": reviewers.reviewer.pk}
    )
    fill_checklist(reviewer, second, {})
    passed = reviewer.post(reverse("workbench:review_outcome", args=[second.pk]), {"passed": "1"})
    assert passed.status_code == 302
    html = page(officer, reverse("workbench:review_case", args=[dc.case.pk]))
    assert "最近一轮法制审核已通过" in html and "第2轮" in html and "第1轮" in html

    case_services.sign_record(
        actor=world.head, record=dc.decision, role="agency_head", signer_name="王局长"
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
    assert fire(world.head, dc.case, "issue").stage == "service"


def test_a_reviewer_who_investigated_cannot_be_assigned_in_the_workbench(world, reviewers):
    dc = walk_to_decision(world)
    case_services.assign_officer(
        actor=world.user_a, case=dc.case, officer=reviewers.reviewer_officer, stage="investigation"
    )
    officer, head = as_user(world.user_a), as_user(world.head)
    review = submit_form(officer, dc)
    html = page(head, reverse("workbench:review", args=[review.pk]))
    assert "应当回避" in html and "参与了本案调查取证环节的办理" in html
    refused = head.post(
        reverse("workbench:review_assign", args=[review.pk]), {"reviewer": reviewers.reviewer.pk}
    )
    assert refused.status_code == 422
    assert "002 第四十九条" in refused.content.decode()
    review.refresh_from_db()
    assert review.reviewer is None


def test_dispute_goes_to_collective_discussion_in_the_workbench(world, reviewers):
    dc = walk_to_decision(world)
    officer, head, reviewer = (
        as_user(world.user_a),
        as_user(world.head),
        as_user(reviewers.reviewer),
    )
    review = submit_form(officer, dc)
    head.post(
        reverse("workbench:review_assign", args=[review.pk]), {"reviewer": reviewers.reviewer.pk}
    )
    fill_checklist(reviewer, review, {"facts": "证据不足"})
    reviewer.post(
        reverse("workbench:review_outcome", args=[review.pk]),
        {"passed": "0", "reasons": "补充证据"},
    )
    assert (
        officer.post(
            reverse("workbench:review_dispute", args=[review.pk]), {"grounds": "证据已经充分"}
        ).status_code
        == 302
    )
    dispute = Dispute.objects.get(review=review)
    response = reviewer.post(
        reverse("workbench:review_consult", args=[review.pk, dispute.pk]),
        {f"c{dispute.pk}-consultation": "双方意见不一", f"c{dispute.pk}-agreed": "0"},
    )
    assert response.status_code == 302
    p = f"d{dispute.pk}"
    response = head.post(
        reverse("workbench:review_discuss", args=[review.pk, dispute.pk]),
        {
            f"{p}-held_on": timezone.localdate().isoformat(),
            f"{p}-place": "局会议室",
            f"{p}-participants": "王局长、李副局长",
            f"{p}-views": "承办机构认为证据充分；法制机构认为不足",
            f"{p}-conclusion": "resubmit",
            f"{p}-conclusion_text": "补充证据后重新报送",
        },
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    html = page(officer, reverse("workbench:review", args=[review.pk]))
    assert "王局长、李副局长" in html and "补充证据后重新报送" in html
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.DECIDED


def test_extension_in_the_workbench_needs_the_head(world, reviewers):
    dc = walk_to_decision(world)
    officer, head, reviewer = (
        as_user(world.user_a),
        as_user(world.head),
        as_user(reviewers.reviewer),
    )
    review = submit_form(officer, dc)
    head.post(
        reverse("workbench:review_assign", args=[review.pk]), {"reviewer": reviewers.reviewer.pk}
    )
    reviewer.post(reverse("workbench:review_extension", args=[review.pk]), {"reason": "案情复杂"})
    extension = review.extensions.get()
    refused = reviewer.post(reverse("workbench:review_approve", args=[review.pk, extension.pk]), {})
    assert refused.status_code == 422
    assert "须经行政执法机关负责人批准" in refused.content.decode()
    due = review.due_on
    assert (
        head.post(
            reverse("workbench:review_approve", args=[review.pk, extension.pk]), {}
        ).status_code
        == 302
    )
    review.refresh_from_db()
    assert review.extended and review.due_on > due
    assert "已延长" in page(reviewer, reverse("workbench:reviews"))


def test_a_success_message_shows_once(world, reviewers):
    """base.html renders the messages; the review pages do not render them again."""
    dc = walk_to_decision(world)
    officer = as_user(world.user_a)
    response = officer.post(
        reverse("workbench:review_case_submit", args=[dc.case.pk]),
        {"decision_record": dc.decision.pk, "report": dc.report.pk, "evidence": [dc.evidence.pk]},
        follow=True,
    )
    assert response.content.decode().count("已报送第1轮法制审核") == 1
    review = LegalReview.objects.get(case=dc.case)
    head = as_user(world.head)
    response = head.post(
        reverse("workbench:review_assign", args=[review.pk]),
        {"reviewer": reviewers.reviewer.pk},
        follow=True,
    )
    html = response.content.decode()
    assert html.count('class="notice notice-ok"') == 1, html


def test_the_sub_nav_links_to_the_reviews_for_reviewers_and_heads(world, reviewers):
    unit_head = UserFactory(agency=world.agency, roles=[Role.UNIT_HEAD])
    link = f'href="{reverse("workbench:reviews")}"'
    for user in (reviewers.reviewer, world.head, unit_head):
        html = page(as_user(user), reverse("workbench:home"))
        nav = html[html.index('class="sub-nav"') :].split("</nav>", 1)[0]
        assert link in nav and "法制审核" in nav, user
    html = page(as_user(reviewers.reviewer), reverse("workbench:reviews"))
    nav = html[html.index('class="sub-nav"') :].split("</nav>", 1)[0]
    assert 'aria-current="page" data-testid="nav-reviews"' in nav
    html = page(as_user(world.user_a), reverse("workbench:home"))
    nav = html[html.index('class="sub-nav"') :].split("</nav>", 1)[0]
    assert link not in nav


def test_the_reviewer_panel_counts_open_and_overdue_rounds(world, reviewers):
    late = walk_to_decision(world, opened_ago=40)
    submit(world, late, received_on=days_ago(30))
    submit(world, walk_to_decision(world))
    response = as_user(reviewers.reviewer).get(reverse("workbench:home"))
    panel = next(p for p in response.context["panels"] if p.role == Role.LEGAL_REVIEWER)
    assert panel.data["reviews"] == {"open": 2, "soon": 0, "overdue": 1}
    html = response.content.decode()
    counts = html[html.index('data-testid="review-counts"') :].split("</p>", 1)[0]
    assert f'href="{reverse("workbench:reviews")}?tab=overdue"' in counts
    assert "待审核 2 件" in counts and "已逾期 1 件" in counts
