"""Upload-session services: concurrency, interrupted completion, clean-up, limits."""

from __future__ import annotations

import datetime
import fcntl
import io
import os
from collections import namedtuple
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from sanxiang.records import uploads
from sanxiang.records.filestore import get_store
from sanxiang.records.models import LedgerEntry, StoredFile, UploadSession
from tests.factories import UserFactory
from tests.records.samples import sample, sha256

pytestmark = pytest.mark.django_db

KIB = 1024


@pytest.fixture
def officer() -> Any:
    return UserFactory()


def open_for(officer: Any, data: bytes, media_type: str = "video/mp4") -> UploadSession:
    return uploads.open_upload(
        actor=officer,
        filename="现场.mp4",
        size=len(data),
        sha256=sha256(data),
        media_type=media_type,
    )


def append(officer: Any, session: UploadSession, offset: int, chunk: bytes) -> UploadSession:
    return uploads.append_chunk(
        actor=officer,
        session_id=session.pk,
        offset=offset,
        length=len(chunk),
        stream=io.BytesIO(chunk),
    )


def test_a_second_writer_is_told_the_session_is_busy(officer: Any) -> None:
    data = sample("mp4", 32 * KIB)
    session = open_for(officer, data)
    fd = os.open(uploads.part_path(session), os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another request is writing
        with pytest.raises(uploads.UploadBusy) as caught:
            append(officer, session, 0, data[: 8 * KIB])
        assert "正在被另一个请求写入" in caught.value.message
    finally:
        os.close(fd)
    assert append(officer, session, 0, data[: 8 * KIB]).received == 8 * KIB


def test_an_interrupted_completion_is_finished_by_a_retry(
    officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process dies after the bytes entered the store but before the session was marked
    complete: a zero-length PUT at the end finishes it."""
    data = sample("mp4", 20 * KIB)
    session = open_for(officer, data)
    real_finish = uploads._finish

    def crash(*args: Any, **kwargs: Any) -> Any:
        raise SystemExit("killed")

    monkeypatch.setattr(uploads, "_finish", crash)
    with pytest.raises(SystemExit):
        append(officer, session, 0, data)
    session.refresh_from_db()
    assert session.status == "open" and session.received == len(data)
    assert get_store().exists(sha256(data)) and not uploads.part_path(session).exists()
    assert not StoredFile.objects.exists()

    monkeypatch.setattr(uploads, "_finish", real_finish)
    done = append(officer, session, len(data), b"")
    assert done.status == "complete" and done.stored_file.sha256 == sha256(data)


def test_a_retry_after_a_crash_before_the_store_completes_from_the_part_file(
    officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = sample("mp4", 20 * KIB)
    session = open_for(officer, data)
    real_complete = uploads._complete
    monkeypatch.setattr(uploads, "_complete", lambda *a, **k: (_ for _ in ()).throw(SystemExit()))
    with pytest.raises(SystemExit):
        append(officer, session, 0, data)
    monkeypatch.setattr(uploads, "_complete", real_complete)
    assert append(officer, session, len(data), b"").status == "complete"


def test_lost_part_file_fails_the_session(officer: Any) -> None:
    data = sample("mp4", 20 * KIB)
    session = open_for(officer, data)
    append(officer, session, 0, data[: 10 * KIB])
    uploads.part_path(session).unlink()
    with pytest.raises(ValidationError) as caught:
        append(officer, session, 10 * KIB, data[10 * KIB :])
    assert "临时数据已丢失" in caught.value.messages[0]
    session.refresh_from_db()
    assert session.status == "failed"


def test_leftover_bytes_of_an_interrupted_request_are_dropped(officer: Any) -> None:
    """A process killed mid-write leaves bytes past `received`; the next append at the
    right offset overwrites them."""
    data = sample("mp4", 20 * KIB)
    session = open_for(officer, data)
    append(officer, session, 0, data[: 8 * KIB])
    with open(uploads.part_path(session), "ab") as f:
        f.write(b"garbage" * 100)
    done = append(officer, session, 8 * KIB, data[8 * KIB :])
    assert done.status == "complete"


def test_stale_sessions_are_abandoned_by_cleanup(officer: Any) -> None:
    data = sample("mp4", 20 * KIB)
    stale = open_for(officer, data)
    append(officer, stale, 0, data[: 8 * KIB])
    fresh = open_for(officer, sample("mp4", 10 * KIB, seed=1))
    UploadSession.objects.filter(pk=stale.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=8)
    )
    orphan = uploads.upload_dir() / "00000000-0000-0000-0000-000000000001.part"
    orphan.write_bytes(b"x")
    old = (timezone.now() - datetime.timedelta(days=9)).timestamp()
    os.utime(orphan, (old, old))

    out = io.StringIO()
    call_command("filestore", "cleanup", stdout=out)
    assert "放弃 1 个" in out.getvalue()
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == "abandoned" and fresh.status == "open"
    assert not uploads.part_path(stale).exists() and uploads.part_path(fresh).exists()
    assert not orphan.exists()
    entry = LedgerEntry.objects.get(action="records.upload_abandoned")
    assert entry.actor is None and entry.actor_label == "系统"


def test_open_sessions_per_user_are_limited(officer: Any, settings) -> None:
    settings.SANXIANG_UPLOAD_MAX_OPEN = 2
    for seed in range(2):
        open_for(officer, sample("mp4", KIB, seed=seed))
    with pytest.raises(ValidationError) as caught:
        open_for(officer, sample("mp4", KIB, seed=3))
    assert "2 个未完成的上传" in caught.value.messages[0]


def test_refused_when_the_disk_cannot_hold_the_file(
    officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(uploads.shutil, "disk_usage", lambda path: usage(10, 10, 100 * KIB))
    with pytest.raises(ValidationError) as caught:
        open_for(officer, sample("mp4", 50 * KIB))
    assert "存储空间不足" in caught.value.message_dict["size"][0]


def test_only_agency_staff_upload() -> None:
    outsider = UserFactory(agency=None)
    with pytest.raises(PermissionDenied):
        open_for(outsider, sample("mp4", KIB))
    inactive = UserFactory(is_active=False)
    with pytest.raises(PermissionDenied):
        open_for(inactive, sample("mp4", KIB))
