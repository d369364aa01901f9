"""Resumable uploads: a field officer on a weak connection sends a large video in chunks and
picks up where the connection broke.

    open_upload(…)            declare filename, size, SHA-256 and type → an UploadSession
    append_chunk(…, offset)   append at exactly `received` bytes; the last chunk completes it
    abandon_upload(…)         give up; the partial bytes are removed

The bytes gather in MEDIA_ROOT/uploads/<id>.part. A chunk counts only once it is fully
written and fsynced: `received` advances after that, and a chunk cut short (connection
dropped, body shorter than its Content-Length) is cut off the part file again, so the
session stays resumable at the old offset. When `received` reaches the declared size the
part file is hashed once more and, if it matches the declared SHA-256 and an allowed type,
moved into the store (no second copy on the local backend); otherwise the session fails,
the part file is deleted and the failure is written to the ledger.

Only the session's creator sees and appends to it. One request at a time writes a session
(a lock on the part file; a second writer is told the session is busy).
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import os
import re
import shutil
import time
import unicodedata
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn, Protocol

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sanxiang.org.models import User

from .filestore import get_store
from .filestore.base import Blob, IntegrityMismatch, is_sha256
from .filestore.services import log, record_blob
from .filestore.types import SNIFF_BYTES, FileTypeRefused, check_content, check_media_type
from .models import UploadSession

GIB = 1024**3
MIB = 1024**2
_READ_SIZE = 1 * MIB


# --- settings ------------------------------------------------------------------------------


def max_upload_size() -> int:
    return int(getattr(settings, "SANXIANG_UPLOAD_MAX_SIZE", 20 * GIB))


def max_chunk_size() -> int:
    return int(getattr(settings, "SANXIANG_UPLOAD_MAX_CHUNK", 8 * MIB))


def chunk_size() -> int:
    """What the server suggests to clients."""
    return min(int(getattr(settings, "SANXIANG_UPLOAD_CHUNK_SIZE", 4 * MIB)), max_chunk_size())


def max_open_sessions() -> int:
    return int(getattr(settings, "SANXIANG_UPLOAD_MAX_OPEN", 20))


def upload_dir() -> Path:
    configured = getattr(settings, "SANXIANG_UPLOAD_DIR", None)
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "uploads"


def part_path(session: UploadSession) -> Path:
    return upload_dir() / f"{session.pk}.part"


# --- errors --------------------------------------------------------------------------------


class UploadNotFound(ObjectDoesNotExist):
    def __init__(self, session_id: object) -> None:
        super().__init__(f"未找到上传会话 {session_id}，或您无权查看。")


class UploadConflict(Exception):
    """The request does not fit the session's state (HTTP 409)."""

    code = "conflict"

    def __init__(self, message: str, *, session: UploadSession) -> None:
        super().__init__(message)
        self.message = message
        self.session = session


class OffsetMismatch(UploadConflict):
    code = "offset_mismatch"

    def __init__(self, *, offset: int, session: UploadSession) -> None:
        super().__init__(
            f"偏移量不符：服务器已接收 {session.received} 字节，本次请求的偏移量为 {offset}。"
            f"请从偏移量 {session.received} 继续上传。",
            session=session,
        )


class UploadBusy(UploadConflict):
    code = "upload_busy"

    def __init__(self, *, session: UploadSession) -> None:
        super().__init__(
            "该上传会话正在被另一个请求写入，请稍后查询进度后再继续上传。", session=session
        )


class UploadClosed(UploadConflict):
    code = "upload_closed"

    def __init__(self, *, session: UploadSession) -> None:
        reason = f"（{session.failure}）" if session.failure else ""
        super().__init__(
            f"该上传会话的状态为“{session.get_status_display()}”{reason}，不能再上传数据。",
            session=session,
        )


class TruncatedChunk(Exception):
    """The body ended before its declared length: nothing of it was kept (HTTP 400)."""

    def __init__(self, *, expected: int, received: int, session: UploadSession) -> None:
        self.session = session
        self.message = (
            f"数据片段不完整：声明 {expected} 字节，只收到 {received} 字节。该片段已丢弃，"
            f"请从偏移量 {session.received} 重新发送。"
        )
        super().__init__(self.message)


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


# --- validation ----------------------------------------------------------------------------

_BAD_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


def clean_filename(filename: str) -> str:
    """The name as the user's device called it, without any path, control characters or
    surrounding space (it is shown, never used as a path)."""
    name = unicodedata.normalize("NFC", filename).strip()
    name = re.split(r"[/\\]", name)[-1].strip()
    name = _BAD_NAME.sub("", name)
    if not name or name in (".", ".."):
        raise ValidationError({"filename": ["文件名不能为空。"]})
    if len(name) > 255:
        raise ValidationError({"filename": ["文件名不能超过255个字符。"]})
    return name


def _may_upload(actor: User) -> None:
    if not actor.is_active or (actor.agency_id is None and not actor.is_superuser):
        raise PermissionDenied("只有执法主体的在职工作人员可以上传文件。")


def _human(size: int) -> str:
    for unit, factor in (("GiB", GIB), ("MiB", MIB), ("KiB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} 字节"


# --- reads ---------------------------------------------------------------------------------


def session_for(*, actor: User, session_id: uuid.UUID | str) -> UploadSession:
    """The caller's own session; UploadNotFound for anyone else's (its existence is not
    revealed)."""
    try:
        pk = uuid.UUID(str(session_id))
    except ValueError:
        raise UploadNotFound(session_id) from None
    session = (
        UploadSession.objects.select_related("stored_file").filter(pk=pk, created_by=actor).first()
    )
    if session is None:
        raise UploadNotFound(session_id)
    return session


# --- writes --------------------------------------------------------------------------------


@transaction.atomic
def open_upload(
    *, actor: User, filename: str, size: int, sha256: str, media_type: str
) -> UploadSession:
    _may_upload(actor)
    errors: dict[str, list[str]] = {}
    try:
        filename = clean_filename(filename)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    limit = max_upload_size()
    if size < 1:
        errors["size"] = ["文件为空（0 字节），不能上传。"]
    elif size > limit:
        errors["size"] = [f"文件过大：{_human(size)}，单个文件不能超过 {_human(limit)}。"]
    sha256 = sha256.strip().lower()
    if not is_sha256(sha256):
        errors["sha256"] = ["SHA-256 应为64位十六进制字符。"]
    try:
        media_type = check_media_type(media_type)
    except FileTypeRefused as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)

    open_count = UploadSession.objects.filter(
        created_by=actor, status=UploadSession.Status.OPEN
    ).count()
    if open_count >= max_open_sessions():
        raise ValidationError(
            f"您已有 {open_count} 个未完成的上传，请先完成或放弃其中一些再开始新的上传。"
        )
    directory = upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(directory).free
    if free < size + 256 * MIB:
        raise ValidationError(
            {
                "size": [
                    f"服务器存储空间不足：剩余 {_human(free)}，无法接收 {_human(size)} 的文件，请联系系统管理员。"
                ]
            }
        )

    session = UploadSession.objects.create(
        created_by=actor,
        filename=filename,
        declared_sha256=sha256,
        declared_size=size,
        media_type=media_type,
    )
    # The part file exists from the start; appends never create it (see append_chunk).
    fd = os.open(part_path(session), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    log(
        actor=actor,
        action="records.upload_opened",
        obj=session,
        payload={
            "filename": filename,
            "size": size,
            "sha256": sha256,
            "media_type": media_type,
        },
    )
    return session


@contextlib.contextmanager
def _locked_part(session: UploadSession) -> Iterator[int]:
    """The part file, open for writing under an exclusive lock (UploadBusy if held)."""
    try:
        fd = os.open(part_path(session), os.O_RDWR)
    except FileNotFoundError:
        fd = -1
    try:
        if fd >= 0:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise UploadBusy(session=session) from None
        yield fd
    finally:
        if fd >= 0:
            os.close(fd)  # releases the lock


def append_chunk(
    *,
    actor: User,
    session_id: uuid.UUID | str,
    offset: int,
    length: int,
    stream: Readable,
) -> UploadSession:
    """Append `length` bytes read from `stream` at `offset`, which must equal the bytes
    received so far (OffsetMismatch otherwise). A zero-length append at the declared size
    retries the completion of a session whose last request was interrupted."""
    session = session_for(actor=actor, session_id=session_id)
    if session.status != UploadSession.Status.OPEN:
        raise UploadClosed(session=session)
    limit = max_chunk_size()
    if length < 0 or length > limit:
        raise ValidationError(
            {"Content-Length": [f"每个数据片段不能超过 {_human(limit)}（本次 {_human(length)}）。"]}
        )
    if offset < 0:
        raise OffsetMismatch(offset=offset, session=session)
    if offset + length > session.declared_size:
        raise ValidationError(
            {
                "Content-Length": [
                    f"数据超出声明的文件大小：偏移量 {offset} 加片段 {length} 字节，"
                    f"超过文件大小 {session.declared_size} 字节。"
                ]
            }
        )

    with _locked_part(session) as fd:
        session.refresh_from_db()
        if session.status != UploadSession.Status.OPEN:
            raise UploadClosed(session=session)
        if offset != session.received:
            raise OffsetMismatch(offset=offset, session=session)
        if fd < 0:
            return _recover(session, actor)
        if length:
            _write_chunk(session, fd, length, stream)
            before, after = session.received, session.received + length
            if before < SNIFF_BYTES and (after >= SNIFF_BYTES or after == session.declared_size):
                # Refuse a disallowed type at the first chunk, not after 20 GB.
                head = os.pread(fd, SNIFF_BYTES, 0)
                try:
                    check_content(
                        head, declared=session.media_type, complete=after == session.declared_size
                    )
                except FileTypeRefused as exc:
                    _fail(session, actor, exc)
            updated = UploadSession.objects.filter(
                pk=session.pk, status=UploadSession.Status.OPEN, received=before
            ).update(received=after, updated_at=timezone.now())
            if not updated:  # only if the lock was bypassed (another host without it)
                os.ftruncate(fd, before)
                session.refresh_from_db()
                raise OffsetMismatch(offset=offset, session=session)
            session.received = after
        if session.received == session.declared_size:
            return _complete(session, actor)
    return session


def _write_chunk(session: UploadSession, fd: int, length: int, stream: Readable) -> None:
    """Write exactly `length` bytes at `received` and fsync them, or nothing at all."""
    start = session.received
    got = 0
    try:
        os.ftruncate(fd, start)  # drop whatever an interrupted request left behind
        os.lseek(fd, start, os.SEEK_SET)
        while got < length:
            data = stream.read(min(_READ_SIZE, length - got))
            if not data:
                break
            view = memoryview(data)
            written = 0
            while written < len(view):
                written += os.write(fd, view[written:])
            got += len(data)
        if got == length:
            os.fsync(fd)
    except BaseException:
        os.ftruncate(fd, start)
        raise
    if got != length:
        os.ftruncate(fd, start)
        raise TruncatedChunk(expected=length, received=got, session=session)


def _fail(session: UploadSession, actor: User | None, exc: ValidationError) -> NoReturn:
    """Record the failure (status and ledger), delete the partial bytes, re-raise."""
    message = " ".join(exc.messages)
    details: dict[str, Any] = {"reason": message}
    if isinstance(exc, IntegrityMismatch):
        details.update(expected=exc.expected, actual=exc.actual)
    if isinstance(exc, FileTypeRefused):
        details.update(detected=exc.detected)
    with transaction.atomic():
        UploadSession.objects.filter(pk=session.pk, status=UploadSession.Status.OPEN).update(
            status=UploadSession.Status.FAILED,
            failure=message[:255],
            updated_at=timezone.now(),
        )
        log(
            actor=actor,
            action="records.upload_failed",
            obj=session,
            payload={
                "filename": session.filename,
                "size": session.declared_size,
                "sha256": session.declared_sha256,
                **details,
            },
        )
    with contextlib.suppress(FileNotFoundError):
        part_path(session).unlink()
    raise exc


def _complete(session: UploadSession, actor: User) -> UploadSession:
    store = get_store()
    try:
        blob = store.adopt(
            part_path(session),
            expected_sha256=session.declared_sha256,
            expected_size=session.declared_size,
            media_type=session.media_type,
        )
    except (IntegrityMismatch, FileTypeRefused) as exc:
        _fail(session, actor, exc)
    return _finish(session, actor, blob)


def _finish(session: UploadSession, actor: User, blob: Blob) -> UploadSession:
    with transaction.atomic():
        stored = record_blob(
            blob=blob,
            actor=actor,
            origin={"upload": str(session.pk), "filename": session.filename},
        )
        UploadSession.objects.filter(pk=session.pk, status=UploadSession.Status.OPEN).update(
            status=UploadSession.Status.COMPLETE, stored_file=stored, updated_at=timezone.now()
        )
    session.refresh_from_db()
    return session


def _recover(session: UploadSession, actor: User) -> UploadSession:
    """The part file is gone while the session is open: either a completion was interrupted
    after the bytes entered the store (finish it), or the bytes are lost (fail)."""
    store = get_store()
    if session.received == session.declared_size and store.exists(session.declared_sha256):
        with store.open(session.declared_sha256) as f:
            head = f.read(SNIFF_BYTES)
        try:
            media_type = check_content(
                head,
                declared=session.media_type,
                complete=session.declared_size <= SNIFF_BYTES,
            )
        except FileTypeRefused as exc:
            _fail(session, actor, exc)
        blob = Blob(
            session.declared_sha256, session.declared_size, media_type, store.name, new=False
        )
        return _finish(session, actor, blob)
    _fail(session, actor, ValidationError("上传的临时数据已丢失，请重新上传该文件。"))


def abandon_upload(*, actor: User | None, session: UploadSession) -> UploadSession:
    """Give up an open session (the uploader's choice, or the clean-up of stale ones); the
    partial bytes are removed. Abandoning an abandoned session changes nothing."""
    if session.status == UploadSession.Status.ABANDONED:
        return session
    if session.status != UploadSession.Status.OPEN:
        raise UploadClosed(session=session)
    with _locked_part(session):
        with transaction.atomic():
            updated = UploadSession.objects.filter(
                pk=session.pk, status=UploadSession.Status.OPEN
            ).update(status=UploadSession.Status.ABANDONED, updated_at=timezone.now())
            if updated:
                log(
                    actor=actor,
                    action="records.upload_abandoned",
                    obj=session,
                    payload={
                        "filename": session.filename,
                        "size": session.declared_size,
                        "sha256": session.declared_sha256,
                        "received": session.received,
                    },
                )
        with contextlib.suppress(FileNotFoundError):
            part_path(session).unlink()
    session.refresh_from_db()
    if session.status != UploadSession.Status.ABANDONED:
        raise UploadClosed(session=session)
    return session


def cleanup_stale_uploads(*, older_than_seconds: float) -> list[UploadSession]:
    """Abandon open sessions untouched for `older_than_seconds`, and remove part files no
    open session owns (left by a crash)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    abandoned: list[UploadSession] = []
    stale = UploadSession.objects.filter(status=UploadSession.Status.OPEN, updated_at__lt=cutoff)
    for session in stale.order_by("updated_at").iterator(chunk_size=500):
        try:
            abandoned.append(abandon_upload(actor=None, session=session))
        except UploadConflict:
            continue
    directory = upload_dir()
    if directory.is_dir():
        mtime_cutoff = time.time() - older_than_seconds
        for entry in directory.glob("*.part"):
            try:
                pk = uuid.UUID(entry.stem)
            except ValueError:
                continue
            if entry.stat().st_mtime >= mtime_cutoff:
                continue
            if not UploadSession.objects.filter(pk=pk, status=UploadSession.Status.OPEN).exists():
                with contextlib.suppress(FileNotFoundError):
                    entry.unlink()
    return abandoned
