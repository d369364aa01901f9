"""Reads of publications: the publisher's queue (due and overdue, soonest first), one
publication for its staff, what the portal may show of one, and its history."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from sanxiang.org.models import Role, User
from sanxiang.records.models import LedgerEntry

from .models import (
    OPEN_STATUSES,
    PUBLIC_STATUSES,
    ConfidentialityReview,
    Publication,
    PublicationVersion,
)

STAFF_ROLES = (Role.PUBLISHER, Role.AGENCY_HEAD)
DUE_SOON_DAYS = 3
HISTORY_LIMIT = 200


def publications_visible_to(user: User) -> QuerySet[Publication]:
    """An agency's publications, for its publishers and heads."""
    if user.agency_id is None or not any(user.has_role(r) for r in STAFF_ROLES):
        return Publication.objects.none()
    return Publication.objects.filter(agency_id=user.agency_id)


def queue(
    user: User, tab: str = "open", today: datetime.date | None = None
) -> QuerySet[Publication]:
    """The publisher's to-do list: open publications, soonest due first (undated ones —
    日历未覆盖, or a measure that says only 及时 — first, since nobody can tell how late
    they are). ``tab``: open, overdue, soon, published, withdrawn."""
    qs = publications_visible_to(user).select_related("case")
    if tab == "published":
        qs = qs.filter(status__in=PUBLIC_STATUSES).order_by("-published_at", "-id")
        return qs
    if tab == "withdrawn":
        return qs.filter(status=Publication.Status.WITHDRAWN).order_by("-withdrawn_at", "-id")
    qs = qs.filter(status__in=OPEN_STATUSES)
    if today is not None and tab == "overdue":
        qs = qs.filter(next_due_on__lt=today)
    elif today is not None and tab == "soon":
        qs = qs.filter(
            next_due_on__gte=today, next_due_on__lte=today + datetime.timedelta(DUE_SOON_DAYS)
        )
    return qs.order_by(F("next_due_on").asc(nulls_first=True), "id")


@dataclass(frozen=True)
class QueueCounts:
    open: int
    overdue: int
    soon: int
    undated: int


def queue_counts(user: User, today: datetime.date) -> QueueCounts:
    base = publications_visible_to(user).filter(status__in=OPEN_STATUSES)
    return QueueCounts(
        open=base.count(),
        overdue=base.filter(next_due_on__lt=today).count(),
        soon=base.filter(
            next_due_on__gte=today, next_due_on__lte=today + datetime.timedelta(DUE_SOON_DAYS)
        ).count(),
        undated=base.filter(next_due_on__isnull=True).count(),
    )


def publication_for(user: User, pk: int) -> Publication | None:
    return (
        publications_visible_to(user)
        .select_related("case", "agency__jurisdiction", "source_record", "current_version")
        .filter(pk=pk)
        .first()
    )


def current_review(publication: Publication) -> ConfidentialityReview | None:
    """The draft under review (open), else the approved one waiting to be published."""
    reviews = publication.reviews.select_related("reviewer")
    open_review = reviews.filter(status=ConfidentialityReview.Status.OPEN).order_by("-id").first()
    if open_review is not None:
        return open_review
    return (
        reviews.filter(status=ConfidentialityReview.Status.APPROVED, version__isnull=True)
        .order_by("-id")
        .first()
    )


def versions(publication: Publication) -> QuerySet[PublicationVersion]:
    return publication.versions.select_related("made_by", "review__reviewer").order_by("number")


def ledger_entries(publication: Publication) -> QuerySet[LedgerEntry]:
    """The ledger entries of the publication and its reviews (newest last, bounded)."""
    review_ids = [str(pk) for pk in publication.reviews.values_list("pk", flat=True)[:100]]
    return LedgerEntry.objects.filter(
        Q(object_type="disclosure.publication", object_id=str(publication.pk))
        | Q(object_type="disclosure.confidentialityreview", object_id__in=review_ids)
    ).order_by("seq")[:HISTORY_LIMIT]


# ------------------------------------------------------------------ the portal


def public_publication(pk: int) -> Publication | None:
    """A publication the portal may show: listed (published, correcting, withdrawal due) or
    withdrawn (the notice only). Never one that has not passed the review."""
    return (
        Publication.objects.filter(pk=pk, current_version__isnull=False)
        .filter(status__in=[*PUBLIC_STATUSES, Publication.Status.WITHDRAWN])
        .select_related("agency", "current_version")
        .first()
    )


def public_history(publication: Publication) -> list[PublicationVersion]:
    """The published versions, oldest first (000 公示办法 第二十一条: corrections visible)."""
    return list(publication.versions.order_by("number")[:50])
