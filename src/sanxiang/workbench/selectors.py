"""Reads for the staff workbench, each bounded by what the user may see (org.selectors).

Lists are querysets for the caller to paginate; per-row work happens only on one page.
Staffing figures for many agencies are computed with correlated COUNT subqueries, never by
looping over officers in Python.
"""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from sanxiang.core.rules import get_profile
from sanxiang.org.models import (
    Agency,
    Certificate,
    Entrustment,
    Jurisdiction,
    Officer,
    Role,
    Unit,
    User,
)
from sanxiang.org.selectors import (
    ReviewerStaffing,
    agencies_visible_to,
    certified_officers,
    reviewer_staffing,
    role_holders,
    valid_certificates,
)

# A certificate expiring within this many days is flagged to its holder and their heads.
EXPIRY_WARNING_DAYS = 90


# ----------------------------------------------------------------- reviewer staffing


@dataclass(frozen=True)
class StaffingRules:
    """The jurisdiction's numbers for 法制审核人员配置; None where its measure fixes none."""

    ratio: Decimal | None
    min_count: int | None
    source: str

    @property
    def fixed(self) -> bool:
        return self.ratio is not None or self.min_count is not None

    def required(self, staff: int) -> int:
        """Same arithmetic as org.selectors.reviewer_staffing, exact in fractions."""
        by_ratio = math.ceil(Fraction(self.ratio) * staff) if self.ratio is not None else 0
        return max(by_ratio, self.min_count or 0)


@functools.cache
def staffing_rules(profile_code: str) -> StaffingRules:
    profile = get_profile(profile_code)
    sources = sorted(
        {
            profile.rule("review.reviewer_min_ratio").source,
            profile.rule("review.reviewer_min_count").source,
        }
    )
    return StaffingRules(
        ratio=profile.decimal("review.reviewer_min_ratio"),
        min_count=profile.integer("review.reviewer_min_count"),
        source="；".join(sources),
    )


@dataclass(frozen=True)
class StaffingResult:
    """法制审核人员配置 of one agency: `adequate` is None where the rules fix no number."""

    staffing: ReviewerStaffing

    @property
    def adequate(self) -> bool | None:
        return self.staffing.adequate if self.staffing.rule_fixed else None

    @property
    def message(self) -> str:
        return self.staffing.message

    @property
    def shortfall(self) -> int:
        """How many more reviewers the rule requires (0 when adequate or not fixed)."""
        return max(self.staffing.required - self.staffing.reviewers, 0)


def agency_staffing(agency: Agency, on: datetime.date) -> StaffingResult:
    """The staffing rule applied to one agency, with the message citing its article."""
    return StaffingResult(reviewer_staffing(agency, on))


def jurisdiction_profiles(jurisdictions: Iterable[Jurisdiction]) -> dict[int, str]:
    """Effective rule-profile code of each jurisdiction (own, else nearest ancestor's), with
    one query for all their ancestors."""
    jurisdictions = list(jurisdictions)
    codes = {code for j in jurisdictions for code in j.path.strip("/").split("/") if code}
    own = dict(Jurisdiction.objects.filter(code__in=codes).values_list("code", "rule_profile"))
    result: dict[int, str] = {}
    for j in jurisdictions:
        chain = [c for c in j.path.strip("/").split("/") if c]
        result[j.pk] = next((own[c] for c in reversed(chain) if own.get(c)), "")
    return result


def _staff_count(on: datetime.date) -> Coalesce:
    per_agency = (
        certified_officers(on)
        .filter(agency=OuterRef("pk"))
        .order_by()
        .values("agency")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_agency, output_field=IntegerField()), Value(0))


def _reviewer_count(on: datetime.date) -> Coalesce:
    # Same definition as org.selectors.reviewer_staffing: active accounts holding the role,
    # unless linked to an officer who has left.
    per_agency = (
        User.objects.filter(
            is_active=True, agency=OuterRef("pk"), role_grants__role=Role.LEGAL_REVIEWER
        )
        .filter(
            Q(officer__isnull=True) | Q(officer__left_on__isnull=True) | Q(officer__left_on__gt=on)
        )
        .order_by()
        .values("agency")
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(per_agency, output_field=IntegerField()), Value(0))


def with_staffing_counts(qs: QuerySet[Agency], on: datetime.date) -> QuerySet[Agency]:
    """Annotate `staff_count` (officers with a valid certificate) and `reviewer_count`."""
    return qs.annotate(staff_count=_staff_count(on), reviewer_count=_reviewer_count(on))


def _inadequate_condition(by_profile: dict[str, list[int]]) -> tuple[dict[str, Any], Q]:
    """SQL twin of ReviewerStaffing.adequate being False, per profile:
    reviewers < min_count, or reviewers < staff x ratio (reviewers are whole people, so
    reviewers >= ceil(staff x ratio) iff reviewers >= staff x ratio; compared in integers)."""
    aliases: dict[str, Any] = {}
    condition = Q(pk__in=[])
    for index, (code, jurisdiction_ids) in enumerate(sorted(by_profile.items())):
        rules = staffing_rules(code) if code else None
        if rules is None or not rules.fixed:
            continue
        short = Q(pk__in=[])
        if rules.min_count is not None:
            short |= Q(reviewer_count__lt=rules.min_count)
        if rules.ratio is not None:
            numerator, denominator = Fraction(rules.ratio).as_integer_ratio()
            aliases[f"_rev_scaled_{index}"] = F("reviewer_count") * denominator
            aliases[f"_staff_scaled_{index}"] = F("staff_count") * numerator
            short |= Q(**{f"_rev_scaled_{index}__lt": F(f"_staff_scaled_{index}")})
        condition |= Q(jurisdiction_id__in=jurisdiction_ids) & short
    return aliases, condition


# ----------------------------------------------------------------- supervision


@dataclass(frozen=True)
class SupervisedAgencyRow:
    agency: Agency
    certified_officers: int
    reviewers: int
    staffing: StaffingResult


@dataclass(frozen=True)
class SupervisionSummary:
    agencies: int
    certified_officers: int
    inadequate: int
    not_fixed: int


def _scope(user: User, agency_field: str) -> Q | None:
    """Filter on `agency_field` matching org.selectors.agencies_visible_to as an indexed
    path prefix rather than an IN-subquery; None when the account sees no agency."""
    if user.is_superuser:
        return Q()
    if user.agency is None:
        return None
    if user.has_role(Role.SUPERVISOR):
        return Q(
            **{f"{agency_field}__jurisdiction__path__startswith": user.agency.jurisdiction.path}
        )
    return Q(**{f"{agency_field}_id": user.agency_id})


def _visible_jurisdictions(user: User) -> QuerySet[Jurisdiction]:
    if user.is_superuser:
        return Jurisdiction.objects.all()
    if user.agency is None:
        return Jurisdiction.objects.none()
    path = user.agency.jurisdiction.path
    if not user.has_role(Role.SUPERVISOR):
        return Jurisdiction.objects.filter(path=path)
    return Jurisdiction.objects.filter(path__startswith=path)


class Supervision:
    """The agencies a supervisor oversees, with staffing adequacy, computed set-wise."""

    def __init__(self, user: User, on: datetime.date) -> None:
        self.user = user
        self.on = on
        self._profiles = jurisdiction_profiles(_visible_jurisdictions(user))
        self._by_profile: dict[str, list[int]] = {}
        for jurisdiction_id, code in self._profiles.items():
            self._by_profile.setdefault(code, []).append(jurisdiction_id)

    def agencies(self, *, query: str = "", only_inadequate: bool = False) -> QuerySet[Agency]:
        qs = with_staffing_counts(
            agencies_visible_to(self.user).filter(status=Agency.Status.ACTIVE), self.on
        )
        if query.strip():
            qs = qs.filter(name__icontains=query.strip())
        if only_inadequate:
            aliases, condition = _inadequate_condition(self._by_profile)
            qs = qs.alias(**aliases).filter(condition)
        return qs.order_by("jurisdiction__code", "name", "pk")

    def summary(self) -> SupervisionSummary:
        base = agencies_visible_to(self.user).filter(status=Agency.Status.ACTIVE)
        aliases, condition = _inadequate_condition(self._by_profile)
        not_fixed_ids = [
            jid
            for code, ids in self._by_profile.items()
            if not code or not staffing_rules(code).fixed
            for jid in ids
        ]
        return SupervisionSummary(
            agencies=base.count(),
            certified_officers=self._certified_officers(),
            inadequate=with_staffing_counts(base, self.on)
            .alias(**aliases)
            .filter(condition)
            .count(),
            not_fixed=base.filter(jurisdiction_id__in=not_fixed_ids).count(),
        )

    def _certified_officers(self) -> int:
        scope = _scope(self.user, "officer__agency")
        if scope is None:
            return 0
        return (
            valid_certificates(self.on)
            .filter(scope, officer__agency__status=Agency.Status.ACTIVE)
            .values("officer_id")
            .distinct()
            .count()
        )

    def rows(self, agencies: Sequence[Agency]) -> list[SupervisedAgencyRow]:
        """Rows for one page of `agencies()` (already annotated with the counts)."""
        rows = []
        for agency in agencies:
            staff: int = getattr(agency, "staff_count", 0)
            reviewers: int = getattr(agency, "reviewer_count", 0)
            code = self._profiles.get(agency.jurisdiction_id) or agency.rule_profile_code
            rows.append(
                SupervisedAgencyRow(
                    agency=agency,
                    certified_officers=staff,
                    reviewers=reviewers,
                    staffing=self._staffing(staffing_rules(code), staff, reviewers),
                )
            )
        return rows

    @staticmethod
    def _staffing(rules: StaffingRules, staff: int, reviewers: int) -> StaffingResult:
        return StaffingResult(
            ReviewerStaffing(
                enforcement_staff=staff,
                reviewers=reviewers,
                min_ratio=rules.ratio,
                min_count=rules.min_count,
                required=rules.required(staff),
                source=rules.source,
            )
        )


# ----------------------------------------------------------------- officers and certificates


@dataclass(frozen=True)
class CertificateStatus:
    certificate: Certificate
    valid: bool
    reason: str
    days_left: int

    @property
    def expiring(self) -> bool:
        return self.valid and self.days_left < EXPIRY_WARNING_DAYS


def certificate_status(certificate: Certificate, on: datetime.date) -> CertificateStatus:
    valid, reason = certificate.validity_on(on)
    return CertificateStatus(
        certificate=certificate,
        valid=valid,
        reason=reason,
        days_left=(certificate.expires_on - on).days,
    )


def my_certificates(user: User, on: datetime.date) -> list[CertificateStatus]:
    """The certificates of the officer this account belongs to, newest first."""
    if user.officer_id is None:
        return []
    certificates = Certificate.objects.select_related("officer__agency").filter(
        officer_id=user.officer_id
    )
    return [certificate_status(c, on) for c in certificates.order_by("-issued_on", "-pk")]


@dataclass(frozen=True)
class OfficerRow:
    officer: Officer
    current: CertificateStatus | None


OFFICER_FILTERS = {
    "": "全部人员",
    "valid": "持有效执法证",
    "expiring": f"执法证{EXPIRY_WARNING_DAYS}日内到期",
    "invalid": "无有效执法证",
    "left": "已离岗",
}


def agency_officers(
    agency: Agency,
    on: datetime.date,
    *,
    unit: Unit | None = None,
    query: str = "",
    status: str = "",
) -> QuerySet[Officer]:
    """An agency's officers for the staff page, filtered set-wise by certificate status."""
    qs = Officer.objects.filter(agency=agency).select_related("unit", "agency")
    if unit is not None:
        qs = qs.filter(unit=unit)
    if query.strip():
        qs = qs.filter(
            Q(name__icontains=query.strip()) | Q(certificates__number__istartswith=query.strip())
        ).distinct()
    valid = valid_certificates(on).filter(officer=OuterRef("pk"))
    if status == "valid":
        qs = qs.filter(Exists(valid))
    elif status == "expiring":
        soon = on + datetime.timedelta(days=EXPIRY_WARNING_DAYS - 1)
        qs = qs.filter(Exists(valid.filter(expires_on__lte=soon))).exclude(
            Exists(valid.filter(expires_on__gt=soon))
        )
    elif status == "invalid":
        qs = qs.exclude(Exists(valid))
    elif status == "left":
        qs = qs.filter(left_on__isnull=False, left_on__lte=on)
    return qs.order_by("unit__name", "name", "pk")


def officer_rows(officers: Sequence[Officer], on: datetime.date) -> list[OfficerRow]:
    """One page of officers with the certificate that matters today: a valid one if any
    (the one lasting longest), else the most recent one with why it is not valid."""
    ids = [o.pk for o in officers]
    by_officer: dict[int, list[Certificate]] = {}
    for certificate in Certificate.objects.filter(officer_id__in=ids).order_by(
        "-expires_on", "-pk"
    ):
        by_officer.setdefault(certificate.officer_id, []).append(certificate)
    rows = []
    for officer in officers:
        statuses = []
        for certificate in by_officer.get(officer.pk, []):
            certificate.officer = officer  # validity_on reads the holder; no extra query
            statuses.append(certificate_status(certificate, on))
        current = next((s for s in statuses if s.valid), statuses[0] if statuses else None)
        rows.append(OfficerRow(officer=officer, current=current))
    return rows


def expiring_certificates(agency: Agency, on: datetime.date) -> QuerySet[Certificate]:
    """Valid certificates of the agency that expire within the warning window."""
    soon = on + datetime.timedelta(days=EXPIRY_WARNING_DAYS - 1)
    return (
        valid_certificates(on)
        .filter(officer__agency=agency, expires_on__lte=soon)
        .select_related("officer__agency", "officer__unit")
        .order_by("expires_on", "pk")
    )


# ----------------------------------------------------------------- agency page


@dataclass(frozen=True)
class AgencyFigures:
    officers_in_service: int
    certified_officers: int
    units: int
    entrustments_in_force: int
    expiring: int


def agency_figures(agency: Agency, on: datetime.date) -> AgencyFigures:
    return AgencyFigures(
        officers_in_service=Officer.objects.filter(agency=agency).filter(_in_service(on)).count(),
        certified_officers=certified_officers(on).filter(agency=agency).count(),
        units=Unit.objects.filter(agency=agency, is_active=True).count(),
        entrustments_in_force=Entrustment.objects.filter(
            agency=agency, status=Entrustment.Status.ACTIVE, starts_on__lte=on, ends_on__gte=on
        ).count(),
        expiring=expiring_certificates(agency, on).count(),
    )


def _in_service(on: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": on})


def agency_units(agency: Agency, on: datetime.date) -> QuerySet[Unit]:
    """Units with their head counts: officers in service and those with a valid certificate."""
    in_service = (
        Officer.objects.filter(unit=OuterRef("pk"))
        .filter(_in_service(on))
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    certified = (
        certified_officers(on)
        .filter(unit=OuterRef("pk"))
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Unit.objects.filter(agency=agency)
        .annotate(
            officer_count=Coalesce(Subquery(in_service, output_field=IntegerField()), Value(0)),
            certified_count=Coalesce(Subquery(certified, output_field=IntegerField()), Value(0)),
        )
        .order_by("-is_active", "kind", "name")
    )


def agency_entrustments(agency: Agency) -> QuerySet[Entrustment]:
    return Entrustment.objects.filter(agency=agency).order_by("status", "-starts_on", "pk")


def visible_agency(user: User, pk: int) -> Agency | None:
    """The agency if the user may see it; None if they may not (or it does not exist)."""
    return agencies_visible_to(user).filter(pk=pk).first()


def agency_exists(pk: int) -> bool:
    return Agency.objects.filter(pk=pk).exists()


# ----------------------------------------------------------------- unit head


def headed_unit(user: User) -> Unit | None:
    """The unit a unit head runs: the unit of the officer record linked to the account."""
    if user.officer_id is None:
        return None
    return Unit.objects.filter(officers__pk=user.officer_id).select_related("agency").first()


def unit_officers(unit: Unit, on: datetime.date) -> QuerySet[Officer]:
    """Officers in service in the unit."""
    return agency_officers(unit.agency, on, unit=unit).filter(_in_service(on))


def reviewers_of(agency: Agency) -> QuerySet[User]:
    return (
        role_holders(agency, Role.LEGAL_REVIEWER)
        .select_related("officer")
        .order_by("full_name", "username")
    )
