"""Reads for the public portal: only what the disclosure measures publish.

Officer rows carry public fields only (name, agency, post, certificate number, category,
area: 000 公示办法 第十二条, 002 第十一条); identity numbers and phone numbers of officers
never leave the database through here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from sanxiang.org.models import Agency, Certificate, Entrustment, Jurisdiction, Unit
from sanxiang.org.selectors import (
    certificate_by_number,
    public_agencies,
    public_officers,
    valid_certificates,
)


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
