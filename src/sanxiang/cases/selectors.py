"""Reads for cases, bounded by what the asking user may see (org.selectors)."""

from __future__ import annotations

from django.db.models import QuerySet

from sanxiang.org import selectors as org_selectors
from sanxiang.org.models import User
from sanxiang.records.models import StoredFile

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


def visible_case(user: User, pk: int) -> Case | None:
    """One case, if the user may see it, with what its pages and the API show at once."""
    return (
        cases_visible_to(user)
        .select_related("agency__jurisdiction", "matter", "source", "created_by")
        .filter(pk=pk)
        .first()
    )


def visible_record(user: User, pk: int) -> Record | None:
    """One record, if the user may see its case."""
    return (
        Record.objects.select_related(
            "case__agency__jurisdiction", "made_by", "served_document", "superseded_by"
        )
        .prefetch_related("signatures", "case__parties")
        .filter(case__in=cases_visible_to(user), pk=pk)
        .first()
    )


def agency_stored_file(case: Case, sha256: str) -> StoredFile | None:
    """A file already in the store, uploaded by someone of the case's agency: the only
    files a case's evidence and AV items may point at."""
    return StoredFile.objects.filter(
        sha256=sha256.lower(), stored_by__agency_id=case.agency_id
    ).first()
