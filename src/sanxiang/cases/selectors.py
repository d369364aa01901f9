"""Reads for cases, bounded by what the asking user may see (org.selectors)."""

from __future__ import annotations

from django.db.models import QuerySet

from sanxiang.org import selectors as org_selectors
from sanxiang.org.models import User

from .models import Case, Record


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Cases of the agencies the user sees (own agency; a supervisor's jurisdiction)."""
    return Case.objects.filter(agency__in=org_selectors.agencies_visible_to(user)).select_related(
        "agency", "unit"
    )


def case_trail(case: Case) -> QuerySet[Record]:
    """Every record of the case, superseded ones included, with signatures, in order."""
    return (
        case.records.select_related("made_by", "supersedes", "served_document")
        .prefetch_related("signatures")
        .order_by("made_on", "id")
    )
