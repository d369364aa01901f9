"""No path through the engine issues a review-required decision without a current passed review.

Random sequences of the actions the handling unit, the reviewer and the head can take —
submit, assign, pass, fail, change the decision's amount or basis, sign, issue — are driven
through the real services (cases.services.fire_transition for the decision). Whenever the
decision is issued, the latest round passed and the decision on file carries the amount and
basis it reviewed; refused actions change nothing that matters here.
"""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from sanxiang.cases import services as case_services
from sanxiang.cases.models import Case, Record
from sanxiang.review import selectors, services
from sanxiang.review.models import LegalReview
from tests.review.helpers import (
    CASE_REVIEW_FORM,
    DECISION_DATA,
    record_all,
    walk_to_decision,
)

pytestmark = pytest.mark.django_db

AMOUNTS = ("40000", "50000", "60000")
BASES = (DECISION_DATA["penalty_basis"], "《中华人民共和国食品安全法》第一百二十六条")

# Single steps, plus composites (a whole round, a signed issue).
STEP = st.sampled_from(
    [
        "submit",
        "assign",
        "pass",
        "fail",
        "sign",
        "issue",
        "full_pass",
        "full_fail",
        "sign_and_issue",
        *(("amount", a) for a in AMOUNTS),
        *(("basis", b) for b in BASES),
    ]
)
CHANGE = st.sampled_from([*(("amount", a) for a in AMOUNTS), *(("basis", b) for b in BASES)])
# A phase: maybe change the decision, maybe a round (passed, failed, left open), maybe change
# it again, maybe a random step, then try to sign and issue — so that most sequences reach the
# gate in one of the states that matter (no review, failed, open, passed, passed but stale).
PHASE = st.tuples(
    st.lists(CHANGE, max_size=1),
    st.sampled_from([["full_pass"], ["full_fail"], ["submit", "assign"], ["submit"], []]),
    st.lists(CHANGE, max_size=1),
    st.lists(STEP, max_size=1),
    st.sampled_from([["sign_and_issue"], ["issue"], []]),
).map(lambda parts: [step for part in parts for step in part])
ACTIONS = st.lists(PHASE, min_size=1, max_size=3).map(
    lambda phases: [step for phase in phases for step in phase]
)


def current_decision(case: Case) -> Record:
    decision = selectors.current_decision(list(case.records.select_related("superseded_by")))
    assert decision is not None
    return decision


def open_round(case: Case) -> LegalReview | None:
    return case.legal_reviews.filter(status__in=selectors.OPEN_STATUSES).first()


class Driver:
    def __init__(self, world, reviewers, dc) -> None:
        self.world, self.reviewers, self.dc = world, reviewers, dc

    @property
    def case(self) -> Case:
        return Case.objects.get(pk=self.dc.case.pk)

    def submit(self) -> None:
        services.submit_for_review(
            actor=self.world.user_a,
            case=self.case,
            report=self.dc.report,
            evidence=[self.dc.evidence],
            decision_record=current_decision(self.case),
        )

    def assign(self) -> None:
        review = open_round(self.case)
        if review is not None:
            services.assign_reviewer(
                actor=self.world.head, review=review, reviewer=self.reviewers.reviewer
            )

    def decide(self, passed: bool) -> None:
        review = open_round(self.case)
        if review is None:
            return
        failing = {} if passed else {"law": "裁量不当"}
        record_all(self.reviewers.reviewer, review, failing)
        services.decide_review(
            actor=self.reviewers.reviewer, review=review, passed=passed, reasons="理由"
        )

    def change(self, *, amount: str | None = None, basis: str | None = None) -> None:
        old = current_decision(self.case)
        data = dict(old.data)
        if basis is not None:
            data["penalty_basis"] = basis
        case_services.correct_record(
            actor=self.world.user_a,
            record=old,
            reason="调整决定内容",
            made_on=timezone.localdate(),
            data=data,
            amount=Decimal(amount) if amount is not None else old.amount,
        )

    def sign(self) -> None:
        case_services.sign_record(
            actor=self.world.head,
            record=current_decision(self.case),
            role="agency_head",
            signer_name="王局长",
        )

    def issue(self) -> bool:
        case = self.case
        case_services.fire_transition(
            actor=self.world.head, case=case, transition_code="issue", expected_version=case.version
        )
        return True

    def run(self, action) -> bool:
        """Do one action; True if it issued the decision."""
        name = action if isinstance(action, str) else action[0]
        try:
            if name == "submit":
                self.submit()
            elif name == "assign":
                self.assign()
            elif name in ("pass", "fail"):
                self.decide(name == "pass")
            elif name in ("full_pass", "full_fail"):
                self.submit()
                self.assign()
                self.decide(name == "full_pass")
            elif name == "amount":
                self.change(amount=action[1])
            elif name == "basis":
                self.change(basis=action[1])
            elif name == "sign":
                self.sign()
            elif name == "issue":
                return self.issue()
            elif name == "sign_and_issue":
                # Already signed, or refused: the issue is tried regardless.
                with contextlib.suppress(ValidationError):
                    self.sign()
                return self.issue()
        except (ValidationError, PermissionDenied):
            pass
        return False


def assert_current_passed_review(case: Case) -> None:
    latest = case.legal_reviews.order_by("-round").first()
    assert latest is not None, "issued without any review"
    assert latest.status == LegalReview.Status.PASSED, "issued after a round that did not pass"
    decision = current_decision(case)
    assert decision.amount == latest.proposed_amount, "issued with an amount not reviewed"
    assert selectors.normal_text(decision.data["penalty_basis"]) == selectors.normal_text(
        latest.proposed_basis
    ), "issued on a basis not reviewed"


@pytest.fixture
def base(world, reviewers):
    dc = walk_to_decision(world)
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
    assert selectors.review_requirement(dc.case).required
    return Driver(world, reviewers, dc)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=ACTIONS)
# The paths that matter, always tried besides the random ones: no review, an open round, a
# failed round, a passed round made stale by a new amount or basis, a pass after a fail.
@example(actions=["sign_and_issue"])
@example(actions=["submit", "assign", "sign_and_issue"])
@example(actions=["full_fail", "sign_and_issue"])
@example(actions=["full_pass", ("amount", "60000"), "sign_and_issue"])
@example(actions=["full_pass", ("basis", BASES[1]), "sign_and_issue"])
@example(actions=["full_pass", "sign", ("amount", "40000"), "sign_and_issue"])
@example(actions=["full_pass", "full_fail", "sign_and_issue"])
@example(actions=["full_fail", ("amount", "40000"), "full_pass", "sign_and_issue"])
def test_no_decision_without_a_current_passed_review(base, actions):
    savepoint = transaction.savepoint()
    try:
        issued = False
        for action in actions:
            if base.run(action):
                issued = True
                case = base.case
                assert case.stage == "service"
                assert_current_passed_review(case)
                break
        event("issued" if issued else "not issued")
        if not issued:
            assert base.case.stage == "decision"
    finally:
        transaction.savepoint_rollback(savepoint)


def test_the_driver_can_issue(base):
    """The property is not vacuous: the happy sequence issues, a stale one does not."""
    savepoint = transaction.savepoint()
    try:
        assert not base.run(("amount", "60000")) and base.run("full_pass") is False
        base.run(("amount", "40000"))  # changed after the pass: stale
        base.run("sign")
        assert base.run("issue") is False
        base.run("full_pass")
        base.run("sign")
        assert base.run("issue") is True
        assert_current_passed_review(base.case)
    finally:
        transaction.savepoint_rollback(savepoint)
