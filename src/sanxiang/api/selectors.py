"""Reads used only by the API: token look-up, identifier masking, officer lists."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from sanxiang.core.validators import mask_identifier
from sanxiang.org import selectors as org_selectors
from sanxiang.org.models import Agency, Certificate, Jurisdiction, Officer, User

from .models import ApiToken, hash_key


def token_for_key(raw_key: str) -> ApiToken | None:
    """The token whose key is `raw_key`, looked up by its SHA-256 (revoked ones included)."""
    if not raw_key:
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=hash_key(raw_key)).first()


def tokens(user: User | None = None) -> QuerySet[ApiToken]:
    qs = ApiToken.objects.select_related("user")
    if user is not None:
        qs = qs.filter(user=user)
    return qs.order_by("-created_at", "-id")


def managed_agency_ids(user: User, agency_ids: Iterable[int]) -> set[int]:
    """Which of `agency_ids` the user may manage: a set-based twin of
    org.selectors.can_manage_agency, one query for a whole page of rows."""
    ids = set(agency_ids)
    if not ids:
        return set()
    return set(
        org_selectors.agencies_managed_by(user).filter(pk__in=ids).values_list("pk", flat=True)
    )


def mask_id_number(value: str) -> str:
    return mask_identifier(value)


def filter_agencies(
    qs: QuerySet[Agency], *, jurisdiction_code: str | None, q: str | None
) -> QuerySet[Agency]:
    """`jurisdiction_code` takes the jurisdiction and those below it."""
    if jurisdiction_code:
        path = (
            Jurisdiction.objects.filter(code=jurisdiction_code)
            .values_list("path", flat=True)
            .first()
        )
        if path is None:
            return qs.none()
        qs = qs.filter(jurisdiction__path__startswith=path)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(uscc=q.upper()))
    return qs


def filter_officers(
    qs: QuerySet[Officer], *, agency_id: int | None, q: str | None
) -> QuerySet[Officer]:
    """`q` matches part of a name or a whole certificate number (never an ID number)."""
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Exists(Certificate.objects.filter(officer=OuterRef("pk"), number=q))
        )
    return qs
