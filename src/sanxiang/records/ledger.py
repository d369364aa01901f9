"""The append-only ledger: one entry per business action, written in the same transaction as
the change it records, chained by SHA-256 (000 全过程记录办法 第二十八条).

Entry format, version 1 — enough for anyone to recompute every hash without this code:

``payload`` (the stored text) is the canonical JSON of this envelope::

    {"action": "org.register_officer",
     "actor": {"id": 7, "label": "zhangsan（张三）"},      # id null for the system
     "data": {...},                                          # what the action did
     "object": {"id": "42", "type": "org.officer"},
     "recorded_at": "2026-01-31T01:02:03.456789Z",
     "v": 1}

so the columns ``recorded_at``, ``actor``, ``actor_label``, ``action``, ``object_type`` and
``object_id`` are covered by the hash too (`sanxiang verify` checks they match the envelope).

Canonical JSON: ``json.dumps(value, ensure_ascii=False, sort_keys=True,
separators=(",", ":"), allow_nan=False)``, encoded as UTF-8. Keys are strings, sorted by
code point (as Python sorts; RFC 8785 sorts by UTF-16 code unit, which differs only for
characters outside the BMP). Values JSON has no type for are written as strings:

- datetime (must be timezone-aware): UTC, ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (always 6 digits)
- date: ``YYYY-MM-DD``; time: ``HH:MM:SS`` or ``HH:MM:SS.ffffff`` (``time.isoformat()``)
- Decimal: ``str(value)`` (e.g. ``"12.50"``: the stored scale is kept, no float rounding)
- UUID: lowercase, hyphenated
- set / frozenset: a JSON array, sorted; tuple: a JSON array
- Enum (including Django's Choices): its ``value``

Anything else (a model instance, bytes, a naive datetime, NaN) is refused with TypeError.

Hashes (all stored as lowercase hex; the arithmetic is on the raw 32-byte digests)::

    payload_hash = SHA-256(UTF-8 bytes of payload)
    hash         = SHA-256(prev_hash || payload_hash || seq as 8-byte unsigned big-endian)
    prev_hash    = hash of entry seq-1; for seq 1 it is 32 zero bytes

``seq`` is gapless from 1. Appends are serialised by locking the single LedgerHead row
(SELECT … FOR UPDATE on PostgreSQL; on SQLite the project's IMMEDIATE transactions already
serialise writers), so two concurrent actions never get the same seq or prev_hash.

The Merkle tree over the ledger (see merkle.py) uses entry i's 32-byte ``hash`` as leaf
i-1's data.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone

from .models import LedgerEntry, LedgerHead

if TYPE_CHECKING:
    from sanxiang.org.models import User

FORMAT_VERSION = 1
HEAD_ID = 1
GENESIS_HASH = "00" * 32
SYSTEM_LABEL = "系统"

_ACTION_MAX = LedgerEntry._meta.get_field("action").max_length or 64
_OBJECT_TYPE_MAX = LedgerEntry._meta.get_field("object_type").max_length or 64
_OBJECT_ID_MAX = LedgerEntry._meta.get_field("object_id").max_length or 64
_LABEL_MAX = LedgerEntry._meta.get_field("actor_label").max_length or 128


class LedgerError(RuntimeError):
    """The ledger cannot be written as asked (a programming error, not bad user input)."""


# --- canonical JSON ---------------------------------------------------------------------


def format_datetime(value: datetime.datetime) -> str:
    if timezone.is_naive(value):
        raise TypeError(f"naive datetime {value!r} cannot go into the ledger: use an aware one")
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _encode(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise TypeError(f"{value!r} cannot go into the ledger")
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} {value!r} has no canonical JSON encoding")


def canonical_json(value: Any) -> str:
    """The canonical JSON text of `value` (see the module docstring)."""
    return json.dumps(
        value,
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        allow_nan=False,
        default=_encode,
    )


# --- hashes -----------------------------------------------------------------------------


def payload_digest(payload: str) -> str:
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def chain_hash(prev_hash: str, payload_hash: str, seq: int) -> str:
    """hash = SHA-256(prev_hash || payload_hash || seq as 8-byte big-endian), hex."""
    return hashlib.sha256(
        bytes.fromhex(prev_hash) + bytes.fromhex(payload_hash) + seq.to_bytes(8, "big")
    ).hexdigest()


# --- envelope ---------------------------------------------------------------------------


def actor_label(actor: User | None) -> str:
    """The actor as it reads at the time of the action: "username（full name）"."""
    if actor is None:
        return SYSTEM_LABEL
    full_name = getattr(actor, "full_name", "") or ""
    label = f"{actor.username}（{full_name}）" if full_name else actor.username
    return label[:_LABEL_MAX]


def envelope(
    *,
    action: str,
    actor_id: int | None,
    actor_label: str,
    object_type: str,
    object_id: str,
    recorded_at: datetime.datetime | str,
    data: Mapping[str, Any],
) -> dict[str, Any]:
    return {
        "v": FORMAT_VERSION,
        "action": action,
        "actor": {"id": actor_id, "label": actor_label},
        "object": {"type": object_type, "id": object_id},
        "recorded_at": recorded_at
        if isinstance(recorded_at, str)
        else format_datetime(recorded_at),
        "data": data,
    }


# --- snapshots for payloads ------------------------------------------------------------


def snapshot(
    obj: models.Model, *, fields: Iterable[str] | None = None, exclude: Iterable[str] = ()
) -> dict[str, Any]:
    """An object's concrete field values by attribute name (foreign keys as `x_id`)."""
    wanted = set(fields) if fields is not None else None
    skipped = set(exclude)
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in skipped or field.attname in skipped:
            continue
        if wanted is not None and field.name not in wanted and field.attname not in wanted:
            continue
        values[field.attname] = field.value_from_object(obj)
    return values


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """{field: {"old": …, "new": …}} for the fields whose value differs."""
    return {
        key: {"old": before.get(key), "new": value}
        for key, value in after.items()
        if before.get(key) != value
    }


# --- appending --------------------------------------------------------------------------


def _locked_head() -> LedgerHead:
    head = LedgerHead.objects.select_for_update().filter(pk=HEAD_ID).first()
    if head is not None:
        return head
    # First append (or the head row was lost): start from the last entry, if any. Two
    # transactions racing here both insert-or-ignore the same row, then queue on its lock.
    last = LedgerEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, last_hash = last if last is not None else (0, GENESIS_HASH)
    LedgerHead.objects.bulk_create(
        [LedgerHead(pk=HEAD_ID, seq=seq, hash=last_hash)], ignore_conflicts=True
    )
    return LedgerHead.objects.select_for_update().get(pk=HEAD_ID)


def append(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    payload: Mapping[str, Any],
    label: str | None = None,
) -> LedgerEntry:
    """Append one entry. Must be called inside the transaction that makes the change, so
    that the change and its entry commit or roll back together.

    `obj` names the object (type "app_label.model", id its pk); otherwise pass
    `object_type` and `object_id`. `label` overrides the actor's label (e.g. for the
    command line, where there is no account).
    """
    if not transaction.get_connection().in_atomic_block:
        raise LedgerError(
            "台账记录必须与业务操作在同一事务中写入：请在 transaction.atomic() 内调用 ledger.append()。"
        )
    if obj is not None:
        if obj.pk is None:
            raise LedgerError(f"cannot record an unsaved {type(obj).__name__}")
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    if not action or len(action) > _ACTION_MAX:
        raise LedgerError(f"action must be 1..{_ACTION_MAX} characters: {action!r}")
    if len(object_type) > _OBJECT_TYPE_MAX or len(object_id) > _OBJECT_ID_MAX:
        raise LedgerError(f"object type/id too long: {object_type!r} {object_id!r}")
    label = (label if label is not None else actor_label(actor))[:_LABEL_MAX]
    actor_id = actor.pk if actor is not None else None
    recorded_at = timezone.now()
    text = canonical_json(
        envelope(
            action=action,
            actor_id=actor_id,
            actor_label=label,
            object_type=object_type,
            object_id=object_id,
            recorded_at=recorded_at,
            data=payload,
        )
    )
    digest = payload_digest(text)

    head = _locked_head()
    seq = head.seq + 1
    entry_hash = chain_hash(head.hash, digest, seq)
    entry = LedgerEntry.objects.create(
        seq=seq,
        recorded_at=recorded_at,
        actor_id=actor_id,
        actor_label=label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        payload=text,
        payload_hash=digest,
        prev_hash=head.hash,
        hash=entry_hash,
    )
    LedgerHead.objects.filter(pk=HEAD_ID).update(seq=seq, hash=entry_hash)
    return entry


def record(
    action: str,
    *,
    actor: User | None,
    obj: models.Model | None = None,
    label: str | None = None,
    **data: Any,
) -> LedgerEntry:
    """Shorthand for services: ``ledger.record("org.create_unit", actor=u, obj=unit, unit=…)``."""
    return append(actor=actor, action=action, obj=obj, payload=data, label=label)


def entry_data(entry: LedgerEntry) -> dict[str, Any]:
    """The `data` part of an entry's payload."""
    data: dict[str, Any] = json.loads(entry.payload)["data"]
    return data
