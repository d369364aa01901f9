"""Writes for the file store: every stored file gets its StoredFile row and its ledger entry
in one transaction (the caller's, when there is one).

The bytes go in first, outside that transaction (a multi-GB stream must not hold a database
write lock): until the row commits nothing refers to them, and content-addressed bytes
without a row are harmless — the next ingest of the same content finds them in place.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from sanxiang.records.models import StoredFile

from . import get_store
from .base import Blob, FileStore

if TYPE_CHECKING:
    from sanxiang.org.models import User


def log(*, actor: User | None, action: str, obj: Model, payload: dict[str, Any]) -> None:
    """Append to the ledger, in the current transaction (records.ledger.append refuses to
    write outside one)."""
    from sanxiang.records.ledger import append

    append(actor=actor, action=action, obj=obj, payload=payload)


def store_file(
    *,
    stream: IO[bytes],
    expected_sha256: str | None,
    expected_size: int | None,
    media_type: str,
    actor: User | None,
    store: FileStore | None = None,
    origin: dict[str, Any] | None = None,
) -> StoredFile:
    """Stream `stream` into the store and record it (row + ledger entry "records.store_file").

    Refuses, storing nothing, when the digest or size differ from what was expected
    (DigestMismatch, SizeMismatch) or the content's type is not allowed or not the declared
    one (FileTypeRefused): all are ValidationErrors with a Chinese message.
    """
    store = store or get_store()
    blob = store.put(
        stream,
        expected_sha256=expected_sha256,
        expected_size=expected_size,
        media_type=media_type,
    )
    return record_blob(blob=blob, actor=actor, origin=origin)


@transaction.atomic
def record_blob(
    *, blob: Blob, actor: User | None, origin: dict[str, Any] | None = None
) -> StoredFile:
    """The StoredFile row for bytes already in the store (the existing row when the same
    content was stored before), and the ledger entry that records the ingest."""
    stored = StoredFile.objects.filter(sha256=blob.sha256).first()
    new_row = False
    if stored is None:
        try:
            with transaction.atomic():
                stored = StoredFile.objects.create(
                    sha256=blob.sha256,
                    size=blob.size,
                    media_type=blob.media_type,
                    stored_at=timezone.now(),
                    stored_by=actor,
                    backend=blob.backend,
                )
                new_row = True
        except IntegrityError:
            # The same content, stored at the same moment by someone else.
            stored = StoredFile.objects.get(sha256=blob.sha256)
    log(
        actor=actor,
        action="records.store_file",
        obj=stored,
        payload={
            "sha256": blob.sha256,
            "size": blob.size,
            "media_type": stored.media_type,
            "backend": stored.backend,
            "already_stored": not new_row,
            **(origin or {}),
        },
    )
    return stored
