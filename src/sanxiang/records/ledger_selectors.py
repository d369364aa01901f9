"""Reads of the ledger and its checkpoints."""

from __future__ import annotations

from django.db.models import QuerySet

from sanxiang.org.models import Role, User

from .models import Checkpoint, LedgerEntry


def may_read_ledger(user: User) -> bool:
    """Who may read ledger entries (their payloads name people and what was done to them).

    For now: platform administrators and supervisors (执法监督人员), who may look at any
    agency's records. Scoping entries to the reader's agencies needs the object's agency on
    the entry, which the ledger does not carry yet."""
    return bool(user.is_active and (user.is_superuser or user.has_role(Role.SUPERVISOR)))


def entries_visible_to(user: User) -> QuerySet[LedgerEntry]:
    if not may_read_ledger(user):
        return LedgerEntry.objects.none()
    return LedgerEntry.objects.all()


def entries_for(
    qs: QuerySet[LedgerEntry], *, object_type: str | None = None, object_id: str | None = None
) -> QuerySet[LedgerEntry]:
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    return qs.order_by("seq")


def checkpoints_newest_first() -> QuerySet[Checkpoint]:
    return Checkpoint.objects.order_by("-tree_size")


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-tree_size").first()
