"""The decision gate: the legal-review status the procedure engine reads (``CaseState.review``).

Registered with the cases app (``cases.state.register_review_status_provider``) from this
app's AppConfig.ready(). The engine's ``legal_review_passed_if_required`` guard refuses the
decision (and the head's signature on it) unless, where review is required, the LATEST round
passed and the decision on file has the amount and legal basis that round reviewed
(000 法制审核办法 第三条; 001 河南法制审核办法 第三条; 002 第五十条). A failed round stays
failed whatever the heads' collective discussion concludes: a new round must pass, since
Henan and Zhoucun forbid a decision "审核未通过的" (001 河南法制审核办法 第三条, 002 第五十条).
Where the profile's ``review.collective_discussion`` is ``after_pass`` (Zhoucun: "法制审核
通过的，应当提交本机关集体讨论决定", 002 第五十五条), a pass is not enough: the gate stays
closed until a current 集体讨论记录 (kind ``collective_discussion``), with every signature its
kind requires and made on or after the day the round passed, is on the case.

``build_case_state`` runs on every action, so the status costs one query (the latest round
and whether flags or catalogue rules exist, as annotations of the case row), plus two when
the agency's catalogue has rules for the action type.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from sanxiang.cases.models import Case, Record
from sanxiang.cases.state import is_signed
from sanxiang.core.rules import UnknownProfile, UnknownRule, get_profile
from sanxiang.procedures.state import ReviewStatus

from .models import LegalReview, ReviewFlag
from .selectors import (
    catalogue_in_force,
    catalogue_reasons,
    decision_amount,
    decision_matches,
    profile_reason,
)

DISCUSSION_KIND = "collective_discussion"
DISCUSSION_AFTER_PASS = "after_pass"
_LATEST_FIELDS = (
    "status",
    "received_on",
    "decided_on",
    "extended",
    "proposed_amount",
    "proposed_basis",
)


def _row(case: Case) -> dict[str, Any]:
    today = timezone.localdate()
    latest = LegalReview.objects.filter(case=OuterRef("pk")).order_by("-round")
    annotations: dict[str, Any] = {
        f"latest_{name}": Subquery(latest.values(name)[:1]) for name in _LATEST_FIELDS
    }
    catalogue = catalogue_in_force(case.agency_id, today).filter(action_type=case.action_type)
    row: dict[str, Any] = (
        Case.objects.filter(pk=case.pk)
        .annotate(
            has_flags=Exists(ReviewFlag.objects.filter(case=OuterRef("pk"))),
            has_catalogue=Exists(catalogue),
            **annotations,
        )
        .values("has_flags", "has_catalogue", *annotations)
        .get()
    )
    return row


def review_status(case: Case, records: Sequence[Record]) -> ReviewStatus:
    row = _row(case)
    status = row["latest_status"]
    required = profile_reason(case) is not None or bool(row["has_flags"])
    if not required and row["has_catalogue"]:
        amount = decision_amount(records, row["latest_proposed_amount"])
        required = bool(catalogue_reasons(case, records, amount, timezone.localdate()))
    if status is None:
        return ReviewStatus(required=required, passed=None)
    passed: bool | None = None
    if status == LegalReview.Status.PASSED:
        passed = True
    elif status == LegalReview.Status.FAILED:
        passed = False
    matches = True
    discussion_source = ""
    discussion_done = False
    if passed:
        matches = decision_matches(
            row["latest_proposed_amount"], row["latest_proposed_basis"] or "", records
        )
        discussion_source = _discussion_after_pass(case)
        if discussion_source:
            discussion_done = _discussed_since(case, records, row["latest_decided_on"])
    return ReviewStatus(
        required=required,
        passed=passed,
        matches_decision=matches,
        submitted_on=row["latest_received_on"],
        decided_on=row["latest_decided_on"],
        extended=bool(row["latest_extended"]),
        discussion_required=bool(discussion_source),
        discussion_done=discussion_done,
        discussion_source=discussion_source,
    )


def _discussion_after_pass(case: Case) -> str:
    """The source of the profile's rule when it sends every passed review to the heads'
    collective discussion (``review.collective_discussion = after_pass``, e.g. 002
    第五十五条), else ""."""
    try:
        rule = get_profile(case.agency.rule_profile_code).rule("review.collective_discussion")
    except (UnknownProfile, UnknownRule):
        return ""
    return rule.source if rule.value == DISCUSSION_AFTER_PASS else ""


def _discussed_since(
    case: Case, records: Sequence[Record], passed_on: datetime.date | None
) -> bool:
    """A current 集体讨论记录, every required signature on it, made on or after the pass."""
    return any(
        r.kind == DISCUSSION_KIND
        and not hasattr(r, "superseded_by")
        and (passed_on is None or r.made_on >= passed_on)
        and is_signed(case, r)
        for r in records
    )
