"""Reads for legal review: does a case need review and which rule says so, the decision as it
stands against what was reviewed, deadlines, and the due/overdue lists."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from sanxiang.cases.models import Case, Record
from sanxiang.cases.selectors import cases_visible_to
from sanxiang.cases.state import load_records
from sanxiang.core import workdays
from sanxiang.core.rules import Period, UnknownRule, get_profile
from sanxiang.org.models import Role, User
from sanxiang.procedures import registry

from .citations import cite
from .models import LegalReview, ReviewCatalogue, ReviewFlag

# Where a decision kind keeps its legal basis (procedures/kinds.toml), in order of preference.
BASIS_FIELDS = ("penalty_basis", "basis", "reason_basis", "reason_basis_term", "legal_basis")
OPEN_STATUSES = (LegalReview.Status.SUBMITTED, LegalReview.Status.IN_REVIEW)


@dataclass(frozen=True)
class RequirementReason:
    text: str
    source: str

    def __str__(self) -> str:
        return f"{self.text}（{self.source}）"


@dataclass(frozen=True)
class Requirement:
    """Whether the case's decision needs legal review, and every rule that makes it so."""

    required: bool
    reasons: tuple[RequirementReason, ...] = ()

    def summary(self) -> str:
        if not self.reasons:
            return "不属于应当法制审核的范围"
        return "；".join(str(r) for r in self.reasons)


def _is_current(record: Record) -> bool:
    return not hasattr(record, "superseded_by")


def current_decision(records: Sequence[Record]) -> Record | None:
    """The decision document (a kind marked ``decision``) now on file: the latest current one."""
    kinds = registry().kinds
    found = [r for r in records if _is_current(r) and r.kind in kinds and kinds[r.kind].decision]
    return max(found, key=lambda r: (r.made_on, r.pk)) if found else None


def decision_basis(record: Record) -> str:
    for name in BASIS_FIELDS:
        value = record.data.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def normal_text(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def decision_matches(
    proposed_amount: Decimal | None, proposed_basis: str, records: Sequence[Record]
) -> bool:
    """The decision on file has the amount and legal basis the review saw (a decision not yet
    drafted matches: the engine's head_signed guard asks for one)."""
    decision = current_decision(records)
    if decision is None:
        return True
    if decision.amount != proposed_amount:
        return False
    basis = decision_basis(decision)
    return not basis or normal_text(basis) == normal_text(proposed_basis)


def decision_amount(records: Sequence[Record], proposed: Decimal | None) -> Decimal | None:
    """The amount the catalogue thresholds apply to: the decision on file, else the amount
    last proposed for review."""
    decision = current_decision(records)
    if decision is not None and decision.amount is not None:
        return decision.amount
    return proposed


def catalogue_in_force(agency_id: int, on: datetime.date) -> QuerySet[ReviewCatalogue]:
    return ReviewCatalogue.objects.filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on),
        agency_id=agency_id,
        published_on__lte=on,
    ).select_related("matter")


def _rule_matches(
    rule: ReviewCatalogue,
    case: Case,
    records: Sequence[Record],
    party_kinds: set[str],
    amount: Decimal | None,
) -> bool:
    if rule.matter_id is not None and rule.matter_id != case.matter_id:
        return False
    if rule.party_kind and rule.party_kind not in party_kinds:
        return False
    if rule.amount_at_least is not None and (amount is None or amount < rule.amount_at_least):
        return False
    current = [r for r in records if _is_current(r)]
    if rule.after_hearing and not any(r.kind == "hearing_record" for r in current):
        return False
    return not (
        rule.licence_revocation
        and case.stage != "revocation"
        and not any(r.stage == "revocation" for r in current)
    )


def general_procedure_rule(profile_code: str) -> RequirementReason | None:
    """The profile's rule that every general-procedure penalty is reviewed (000 法制审核办法
    第六条; 001 河南法制审核办法 第十八条), where it says so; None where it does not (002
    第五十一条: 可以)."""
    try:
        rule = get_profile(profile_code).rule("review.general_procedure_penalties")
    except UnknownRule:
        return None
    if rule.value != "required":
        return None
    return RequirementReason("适用一般程序作出的行政处罚决定应当进行法制审核", rule.source)


def profile_reason(case: Case) -> RequirementReason | None:
    """``general_procedure_rule`` for a general-procedure penalty."""
    if case.procedure != "penalty_general":
        return None
    return general_procedure_rule(case.agency.rule_profile_code)


def catalogue_reasons(
    case: Case, records: Sequence[Record], amount: Decimal | None, on: datetime.date
) -> list[RequirementReason]:
    """The agency's catalogue rules the case meets (000 法制审核办法 第十四条)."""
    catalogue = list(catalogue_in_force(case.agency_id, on).filter(action_type=case.action_type))
    if not catalogue:
        return []
    party_kinds = set(case.parties.values_list("kind", flat=True))
    return [
        RequirementReason(
            f"属于本机关重大执法决定法制审核目录清单事项“{item.title}”（{item.conditions()}）",
            item.source,
        )
        for item in catalogue
        if _rule_matches(item, case, records, party_kinds, amount)
    ]


def flag_reasons(case: Case) -> list[RequirementReason]:
    source = cite(case.agency.rule_profile_code, "criteria")
    return [
        RequirementReason(
            f"{flag.get_criterion_display().removesuffix('的')}：{flag.reason}", source
        )
        for flag in ReviewFlag.objects.filter(case=case)
    ]


def review_requirement(
    case: Case,
    *,
    records: Sequence[Record] | None = None,
    on: datetime.date | None = None,
) -> Requirement:
    """Required or not, and which rule made it so (each reason cites its article): the
    profile's rule on general-procedure penalties (000 法制审核办法 第六条), the agency's
    catalogue (000 法制审核办法 第十四条) and the general criteria an officer flagged
    (001 河南法制审核办法 第六条, 002 第五十一条)."""
    on = on or timezone.localdate()
    records = load_records(case) if records is None else records
    latest = case.legal_reviews.order_by("-round").first()
    amount = decision_amount(records, latest.proposed_amount if latest is not None else None)
    reasons: list[RequirementReason] = []
    first = profile_reason(case)
    if first is not None:
        reasons.append(first)
    reasons += catalogue_reasons(case, records, amount, on)
    reasons += flag_reasons(case)
    return Requirement(required=bool(reasons), reasons=tuple(reasons))


# ------------------------------------------------------------------ deadlines


@dataclass(frozen=True)
class ReviewPeriods:
    """The profile's review period and extension (None where the measure fixes none)."""

    deadline: Period | None
    extension: Period | None
    max_extensions: int | None
    deadline_source: str
    extension_source: str


def review_periods(profile_code: str) -> ReviewPeriods:
    profile = get_profile(profile_code)
    return ReviewPeriods(
        deadline=profile.period("review.deadline"),
        extension=profile.period("review.extension"),
        max_extensions=profile.integer("review.max_extensions"),
        deadline_source=profile.rule("review.deadline").source,
        extension_source=profile.rule("review.extension").source,
    )


def due_on(received_on: datetime.date, profile_code: str) -> datetime.date | None:
    """The day the review must be done: the profile's period from receipt (the day of receipt
    not counted); None where the measure fixes no period (002 第五十五条 规定期限)."""
    period = review_periods(profile_code).deadline
    if period is None:
        return None
    return workdays.due_date(received_on, period.amount, period.unit)


def extended_due_on(current_due: datetime.date, profile_code: str) -> datetime.date | None:
    period = review_periods(profile_code).extension
    if period is None:
        return None
    return workdays.due_date(current_due, period.amount, period.unit)


# ------------------------------------------------------------------ lists


def reviews_visible_to(user: User) -> QuerySet[LegalReview]:
    """Rounds of the cases the user may see (its agency; a supervisor: the jurisdiction)."""
    return LegalReview.objects.filter(case__in=cases_visible_to(user)).select_related(
        "case__agency__jurisdiction", "reviewer", "submitted_by"
    )


def reviews_for_workbench(user: User) -> QuerySet[LegalReview]:
    """Open rounds a reviewer or head works on: a reviewer sees the rounds assigned to them
    and those waiting for assignment; a head every open round of the agency."""
    qs = reviews_visible_to(user).filter(status__in=OPEN_STATUSES)
    if user.has_role(Role.AGENCY_HEAD) or user.has_role(Role.SUPERVISOR) or user.is_superuser:
        return qs.order_by("due_on", "id")
    if user.has_role(Role.LEGAL_REVIEWER):
        return qs.filter(Q(reviewer=user) | Q(reviewer__isnull=True)).order_by("due_on", "id")
    return qs.none()


def overdue(qs: QuerySet[LegalReview], on: datetime.date | None = None) -> QuerySet[LegalReview]:
    on = on or timezone.localdate()
    return qs.filter(status__in=OPEN_STATUSES, due_on__lt=on)


def due_soon(
    qs: QuerySet[LegalReview], on: datetime.date | None = None, days: int = 2
) -> QuerySet[LegalReview]:
    """Open rounds due today or within ``days`` working days. Where the working-day calendar
    does not cover the days ahead (a new year's holiday notice not yet entered), the rounds
    due within ``days`` calendar days: those are surely within ``days`` working days, and no
    holiday is guessed."""
    on = on or timezone.localdate()
    try:
        limit = workdays.add_workdays(on, days)
    except workdays.CalendarNotCovered:
        limit = on + datetime.timedelta(days=days)
    return qs.filter(status__in=OPEN_STATUSES, due_on__gte=on, due_on__lte=limit)


def latest_round(case: Case) -> LegalReview | None:
    return case.legal_reviews.order_by("-round").first()
