"""Reads for the public portal: only what the disclosure measures publish.

Officer rows carry public fields only (name, agency, post, certificate number, category,
area: 000 公示办法 第十二条, 002 第十一条); identity numbers and phone numbers of officers
never leave the database through here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet

from sanxiang.core.rules import UnknownProfile, get_profile
from sanxiang.org.models import Agency, Certificate, Entrustment, Jurisdiction, Unit
from sanxiang.org.selectors import (
    certificate_by_number,
    public_agencies,
    public_officers,
    valid_certificates,
)
from sanxiang.review.citations import cite
from sanxiang.review.models import Criterion, ReviewCatalogue
from sanxiang.review.selectors import catalogue_in_force, general_procedure_rule


def jurisdiction_options() -> QuerySet[Jurisdiction]:
    """Every jurisdiction, in tree order, for the agency-list filter (a few thousand at most)."""
    return Jurisdiction.objects.order_by("path").only("id", "code", "name", "level", "path")


def jurisdiction_by_code(code: str) -> Jurisdiction | None:
    if not code:
        return None
    return Jurisdiction.objects.filter(code=code.strip()).first()


def search_public_agencies(
    *, jurisdiction: Jurisdiction | None = None, query: str = ""
) -> QuerySet[Agency]:
    """The 执法主体清单 (000 公示办法 第八条), optionally within a jurisdiction and by name."""
    qs = public_agencies(jurisdiction)
    query = query.strip()
    if query:
        qs = qs.filter(name__icontains=query)
    return qs.order_by("jurisdiction__code", "name", "pk")


def public_agency(pk: int) -> Agency | None:
    """An agency as the public sees it, abolished ones included (their past acts stand)."""
    return Agency.objects.select_related("jurisdiction").filter(pk=pk).first()


def public_units(agency: Agency) -> QuerySet[Unit]:
    return Unit.objects.filter(agency=agency, is_active=True).order_by("kind", "name")


def entrustments_in_force(agency: Agency, on: datetime.date) -> QuerySet[Entrustment]:
    """委托执法 in force on `on`: what 002 第十条 requires the agency to publish."""
    return Entrustment.objects.filter(
        agency=agency,
        status=Entrustment.Status.ACTIVE,
        starts_on__lte=on,
        ends_on__gte=on,
    ).order_by("entrusted_body", "starts_on")


def search_public_officers(
    on: datetime.date, *, query: str = "", agency: Agency | None = None
) -> QuerySet[Certificate]:
    """One row per certificate valid on `on`, filtered by officer name or certificate number.

    Lazy: callers paginate it (a province lists 10^5 officers)."""
    qs = public_officers(on, agency)
    query = query.strip()
    if query:
        qs = qs.filter(Q(officer__name__icontains=query) | Q(number__istartswith=query))
    return qs.only(
        "id",
        "number",
        "category",
        "area",
        "officer__id",
        "officer__name",
        "officer__post",
        "officer__agency__id",
        "officer__agency__name",
    )


@dataclass(frozen=True)
class CertificateCheck:
    """The answer to "is this certificate valid today?" for the QR-code look-up page."""

    certificate: Certificate
    on: datetime.date
    valid: bool
    reason: str


def check_certificate(number: str, on: datetime.date) -> CertificateCheck | None:
    certificate = certificate_by_number(number)
    if certificate is None:
        # A number typed by hand may differ in letter case from the one on the card.
        certificate = (
            Certificate.objects.select_related("officer__agency__jurisdiction", "officer__unit")
            .filter(number__iexact=number.strip())
            .first()
        )
    if certificate is None:
        return None
    valid, reason = certificate.validity_on(on)
    return CertificateCheck(certificate=certificate, on=on, valid=valid, reason=reason)


@dataclass(frozen=True)
class PortalFigures:
    agencies: int
    certified_officers: int


def portal_figures(on: datetime.date) -> PortalFigures:
    """Two counts for the home page, each one aggregate query."""
    return PortalFigures(
        agencies=public_agencies().count(),
        # Distinct holders of a valid certificate: one pass over certificates, no per-officer
        # EXISTS (several times faster at 10^5 officers).
        certified_officers=valid_certificates(on).values("officer_id").distinct().count(),
    )


# ------------------------------------------------------------------ review catalogue


@dataclass(frozen=True)
class CatalogueRow:
    """One rule in force, as published: what it covers, its thresholds and its source."""

    rule: ReviewCatalogue
    thresholds: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class PublishedCatalogue:
    """The agency's 重大执法决定法制审核目录清单 as the public reads it (000 法制审核办法
    第十四条: the thresholds are set and published by the agency; 001 河南法制审核办法 第七条;
    002 第五十一条). Citations are the measures' public titles."""

    agency: Agency
    on: datetime.date
    rows: tuple[CatalogueRow, ...]
    last_changed: datetime.date | None
    required_basis: tuple[str, ...]
    catalogue_basis: tuple[str, ...]
    criteria: tuple[str, ...]
    criteria_basis: tuple[str, ...]
    general_procedure: str  # "" where the profile does not review every such penalty
    general_procedure_basis: str


def _public(profile_code: str, sources: str) -> tuple[str, ...]:
    """Each citation of ``sources`` (joined by "；") under its measure's public title."""
    try:
        profile = get_profile(profile_code)
    except UnknownProfile:
        return tuple(s for s in sources.split("；") if s)
    out = []
    for source in sources.split("；"):
        try:
            out.append(profile.public_citation(source.strip()))
        except ValueError:
            out.append(source.strip())
    return tuple(s for s in out if s)


def _public_one(profile_code: str, source: str) -> str:
    found = _public(profile_code, source)
    return found[0] if found else source


def _thresholds(rule: ReviewCatalogue) -> tuple[str, ...]:
    parts: list[str] = []
    if rule.amount_at_least is not None:
        parts.append(f"{rule.get_amount_kind_display()}达到{rule.amount_at_least:,.2f}元")
    if rule.party_kind:
        parts.append(f"当事人为{rule.get_party_kind_display()}")
    if rule.after_hearing:
        parts.append("经过听证程序作出")
    if rule.licence_revocation:
        parts.append("撤回、撤销行政许可")
    return tuple(parts)


def catalogue_last_changed(agency: Agency, on: datetime.date) -> datetime.date | None:
    """The last day a rule was published or withdrawn, up to ``on``."""
    rules = ReviewCatalogue.objects.filter(agency=agency)
    published = rules.filter(published_on__lte=on).aggregate(d=Max("published_on"))["d"]
    withdrawn = rules.filter(withdrawn_on__lte=on).aggregate(d=Max("withdrawn_on"))["d"]
    days = [d for d in (published, withdrawn) if d is not None]
    return max(days) if days else None


def published_catalogue(agency: Agency, on: datetime.date) -> PublishedCatalogue:
    """Every rule in force on ``on`` (withdrawn ones left out), the general criteria of the
    agency's jurisdiction and, where the profile says so, the rule that every
    general-procedure penalty is reviewed (000 法制审核办法 第六条)."""
    code = agency.rule_profile_code
    rules = catalogue_in_force(agency.pk, on).order_by("action_type", "published_on", "id")
    rows = tuple(
        CatalogueRow(rule=rule, thresholds=_thresholds(rule), source=_public_one(code, rule.source))
        for rule in rules
    )
    general = general_procedure_rule(code)
    return PublishedCatalogue(
        agency=agency,
        on=on,
        rows=rows,
        last_changed=catalogue_last_changed(agency, on),
        required_basis=_public(code, cite(code, "required")),
        catalogue_basis=_public(code, cite(code, "catalogue")),
        criteria=tuple(label for _, label in Criterion.choices),
        criteria_basis=_public(code, cite(code, "criteria")),
        general_procedure=general.text if general is not None else "",
        general_procedure_basis=(_public_one(code, general.source) if general is not None else ""),
    )
