"""Reads for organisations and people, bounded by what the asking user may see."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .models import Agency, Certificate, Jurisdiction, Officer, Role, RoleGrant, Unit, User


def agencies_visible_to(user: User) -> QuerySet[Agency]:
    """An account sees its own agency; a supervisor sees every agency of its jurisdiction and
    the jurisdictions below it; a platform administrator sees all."""
    qs = Agency.objects.select_related("jurisdiction")
    if user.is_superuser:
        return qs
    if user.agency_id is None:
        return qs.none()
    if user.has_role(Role.SUPERVISOR):
        assert user.agency is not None
        return qs.filter(jurisdiction__path__startswith=user.agency.jurisdiction.path)
    return qs.filter(pk=user.agency_id)


def can_view_agency(user: User, agency: Agency) -> bool:
    return agencies_visible_to(user).filter(pk=agency.pk).exists()


def agencies_managed_by(user: User) -> QuerySet[Agency]:
    """Master data of an agency is kept by its head, or by the supervisor above it."""
    if user.is_superuser:
        return agencies_visible_to(user)
    if not (user.has_role(Role.AGENCY_HEAD) or user.has_role(Role.SUPERVISOR)):
        return Agency.objects.none()
    return agencies_visible_to(user)


def can_manage_agency(user: User, agency: Agency) -> bool:
    return agencies_managed_by(user).filter(pk=agency.pk).exists()


def can_register_agency_in(user: User, jurisdiction: Jurisdiction) -> bool:
    """Agencies' legal status is confirmed by government; the supervisor (司法行政部门) keeps the list."""
    if user.is_superuser:
        return True
    if not user.has_role(Role.SUPERVISOR) or user.agency is None:
        return False
    return jurisdiction.path.startswith(user.agency.jurisdiction.path)


def units_visible_to(user: User) -> QuerySet[Unit]:
    return Unit.objects.filter(agency__in=agencies_visible_to(user)).select_related("agency")


def officers_visible_to(user: User) -> QuerySet[Officer]:
    return Officer.objects.filter(agency__in=agencies_visible_to(user)).select_related(
        "agency", "unit"
    )


def valid_certificates(on: datetime.date) -> QuerySet[Certificate]:
    """Certificates that let their holder enforce on `on` (set-based twin of Certificate.validity_on)."""
    return Certificate.objects.filter(
        Q(status=Certificate.Status.ACTIVE)
        | (~Q(status=Certificate.Status.ACTIVE) & Q(status_changed_on__gt=on)),
        issued_on__lte=on,
        expires_on__gte=on,
    ).filter(
        Q(officer__left_on__isnull=True) | Q(officer__left_on__gt=on),
        Q(officer__agency__abolished_on__isnull=True) | Q(officer__agency__abolished_on__gt=on),
    )


def certified_officers(on: datetime.date) -> QuerySet[Officer]:
    return Officer.objects.filter(Exists(valid_certificates(on).filter(officer=OuterRef("pk"))))


def certificate_by_number(number: str) -> Certificate | None:
    return (
        Certificate.objects.select_related("officer__agency__jurisdiction", "officer__unit")
        .filter(number=number.strip())
        .first()
    )


def public_agencies(jurisdiction: Jurisdiction | None = None) -> QuerySet[Agency]:
    qs = Agency.objects.filter(status=Agency.Status.ACTIVE).select_related("jurisdiction")
    if jurisdiction is not None:
        qs = qs.filter(jurisdiction__path__startswith=jurisdiction.path)
    return qs


def public_officers(on: datetime.date, agency: Agency | None = None) -> QuerySet[Certificate]:
    """One row per valid certificate: what 000 公示办法 第十二条 publishes
    (name, post, certificate number, area)."""
    qs = (
        valid_certificates(on)
        .select_related("officer__agency")
        .order_by(
            "officer__agency__jurisdiction__code",
            "officer__agency__name",
            "officer__name",
            "number",
        )
    )
    if agency is not None:
        qs = qs.filter(officer__agency=agency)
    return qs


@dataclass(frozen=True)
class ReviewerStaffing:
    """法制审核人员配置: reviewers >= ratio x enforcement staff, and >= a minimum head count.

    A jurisdiction whose measure fixes neither (002 第四十九条 only requires a reviewer system)
    has `min_ratio`/`min_count` None: nothing is required beyond what the profile states.
    """

    enforcement_staff: int
    reviewers: int
    min_ratio: Decimal | None
    min_count: int | None
    required: int
    source: str

    @property
    def rule_fixed(self) -> bool:
        return self.min_ratio is not None or self.min_count is not None

    @property
    def adequate(self) -> bool:
        return self.reviewers >= self.required

    @property
    def message(self) -> str:
        head = f"法制审核人员{self.reviewers}人，执法人员{self.enforcement_staff}人；"
        if not self.rule_fixed:
            return f"{head}本辖区规定未设定法制审核人员配置比例或最低人数（{self.source}）。"
        parts = []
        if self.min_ratio is not None:
            parts.append(f"不少于执法人员总数的{self.min_ratio:.0%}")
        if self.min_count is not None:
            parts.append(f"不少于{self.min_count}人")
        verdict = "符合" if self.adequate else "不符合"
        return f"{head}应{'且'.join(parts)}，即至少{self.required}人：{verdict}（{self.source}）。"


def reviewer_staffing(agency: Agency, on: datetime.date | None = None) -> ReviewerStaffing:
    from sanxiang.core.rules import get_profile

    on = on or timezone.localdate()
    profile = get_profile(agency.rule_profile_code)
    ratio = profile.decimal("review.reviewer_min_ratio")
    min_count = profile.integer("review.reviewer_min_count")
    staff = certified_officers(on).filter(agency=agency).count()
    reviewers = (
        User.objects.filter(
            is_active=True,
            agency=agency,
            role_grants__role=Role.LEGAL_REVIEWER,
        )
        .filter(
            Q(officer__isnull=True) | Q(officer__left_on__isnull=True) | Q(officer__left_on__gt=on)
        )
        .distinct()
        .count()
    )
    required = max(
        math.ceil(staff * ratio) if ratio is not None else 0,
        min_count if min_count is not None else 0,
    )
    sources = sorted(
        {
            profile.rule("review.reviewer_min_ratio").source,
            profile.rule("review.reviewer_min_count").source,
        }
    )
    return ReviewerStaffing(
        enforcement_staff=staff,
        reviewers=reviewers,
        min_ratio=ratio,
        min_count=min_count,
        required=required,
        source="；".join(sources),
    )


def role_holders(agency: Agency, role: str) -> QuerySet[User]:
    return User.objects.filter(
        agency=agency,
        is_active=True,
        pk__in=RoleGrant.objects.filter(role=role).values("user_id"),
    )
