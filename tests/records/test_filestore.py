"""The local content-addressed store: streaming ingest, deduplication, refusals that leave
nothing behind, bounded memory, and the ledger entry of each ingest."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from sanxiang.records.filestore import (
    DigestMismatch,
    FileTypeRefused,
    LocalFileStore,
    SizeMismatch,
    get_store,
)
from sanxiang.records.filestore.services import store_file
from sanxiang.records.models import LedgerEntry, StoredFile
from tests.factories import UserFactory
from tests.records.samples import sample, sha256

pytestmark = pytest.mark.django_db


def _store() -> LocalFileStore:
    store = get_store()
    assert isinstance(store, LocalFileStore)
    return store


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _ingest(data: bytes, *, media_type: str = "video/mp4", expected: str | None = None, actor=None):
    return store_file(
        stream=io.BytesIO(data),
        expected_sha256=expected if expected is not None else sha256(data),
        expected_size=len(data),
        media_type=media_type,
        actor=actor,
    )


def test_store_root_is_under_media_root(settings) -> None:
    assert _store().root == Path(settings.MEDIA_ROOT) / "store"


def test_ingest_stores_by_content_address_read_only_and_records_it() -> None:
    officer = UserFactory()
    data = sample("mp4", 300_000)
    digest = sha256(data)

    stored = _ingest(data, actor=officer)

    store = _store()
    path = store.path_for(digest)
    assert path == store.root / digest[:2] / digest[2:4] / digest
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert (stored.sha256, stored.size, stored.media_type) == (digest, len(data), "video/mp4")
    assert stored.stored_by == officer and stored.backend == "local"
    assert store.exists(digest) and list(store.iter_digests()) == [digest]
    with store.open(digest) as f:
        assert f.read() == data
    assert store.digest_of(digest) == digest
    assert _files(store.tmp_dir) == []

    entry = LedgerEntry.objects.get(action="records.store_file")
    assert entry.object_type == "records.storedfile" and entry.object_id == str(stored.pk)
    assert digest in entry.payload and '"already_stored":false' in entry.payload


def test_same_content_twice_is_stored_once() -> None:
    data = sample("jpeg", 50_000)
    first = _ingest(data, media_type="image/jpeg", actor=UserFactory())
    second = _ingest(data, media_type="image/jpeg", actor=UserFactory())

    assert first.pk == second.pk
    assert StoredFile.objects.count() == 1
    store = _store()
    assert [p.name for p in _files(store.root)] == [sha256(data)]
    # Both ingests are on the ledger; the second says the content was already there.
    entries = list(LedgerEntry.objects.filter(action="records.store_file").order_by("seq"))
    assert len(entries) == 2
    assert '"already_stored":true' in entries[1].payload


def test_digest_mismatch_is_refused_and_leaves_nothing_visible() -> None:
    data = sample("mp4", 100_000)
    wrong = "0" * 64
    with pytest.raises(DigestMismatch) as caught:
        _ingest(data, expected=wrong)
    message = caught.value.message_dict["sha256"][0]
    assert wrong in message and sha256(data) in message and "未入库" in message
    assert _files(_store().root) == []
    assert not StoredFile.objects.exists()
    assert not LedgerEntry.objects.filter(action="records.store_file").exists()


def test_size_mismatch_is_refused_early_and_leaves_nothing() -> None:
    data = sample("mp4", 100_000)
    with pytest.raises(SizeMismatch) as caught:
        store_file(
            stream=io.BytesIO(data),
            expected_sha256=None,
            expected_size=1000,
            media_type="video/mp4",
            actor=None,
        )
    assert "声明为 1000 字节" in caught.value.messages[0]
    with pytest.raises(SizeMismatch):
        _store().put(io.BytesIO(data), expected_size=len(data) + 1, media_type="video/mp4")
    assert _files(_store().root) == []


def test_disallowed_type_is_refused_naming_the_detected_type() -> None:
    data = sample("exe", 20_000)
    with pytest.raises(FileTypeRefused) as caught:
        _ingest(data, media_type="application/octet-stream")
    message = caught.value.message_dict["media_type"][0]
    assert "application/x-msdownload" in message and "可执行程序" in message
    assert _files(_store().root) == []
    assert not StoredFile.objects.exists()


def test_declared_type_contradicting_the_content_is_refused() -> None:
    data = sample("pdf", 20_000)
    with pytest.raises(FileTypeRefused) as caught:
        _ingest(data, media_type="video/mp4")
    message = caught.value.messages[0]
    assert "声明为" in message and "application/pdf" in message and "video/mp4" in message
    assert _files(_store().root) == []


def test_stored_type_is_the_sniffed_one() -> None:
    data = sample("mov", 10_000)
    stored = _ingest(data, media_type="")
    assert stored.media_type == "video/quicktime"


class _Exploding(io.RawIOBase):
    """A stream whose connection drops after `good` bytes."""

    def __init__(self, data: bytes, good: int) -> None:
        self._data = io.BytesIO(data)
        self._left = good

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._left <= 0:
            raise ConnectionResetError("connection dropped")
        n = self._data.readinto(memoryview(buffer)[: self._left])
        self._left -= n
        return n


def test_interrupted_ingest_leaves_nothing_and_can_be_retried() -> None:
    store = _store()
    store.chunk_size = 64 * 1024
    data = sample("mp4", 1_000_000)
    with pytest.raises(ConnectionResetError):
        store.put(_Exploding(data, 300_000), expected_sha256=sha256(data), media_type="video/mp4")
    assert _files(store.root) == []

    blob = store.put(io.BytesIO(data), expected_sha256=sha256(data), media_type="video/mp4")
    assert blob.new and store.path_for(blob.sha256).read_bytes() == data


def test_row_rolls_back_with_the_callers_transaction_and_the_bytes_are_reused() -> None:
    data = sample("png", 5_000)
    with pytest.raises(RuntimeError), transaction.atomic():
        _ingest(data, media_type="image/png")
        raise RuntimeError("the caller's business action failed")
    assert not StoredFile.objects.exists()
    # The orphaned bytes are harmless: the next ingest finds them and records them.
    stored = _ingest(data, media_type="image/png")
    assert stored.sha256 == sha256(data)
    assert len(_files(_store().root)) == 1


def test_store_ingest_method_records_row_and_ledger() -> None:
    data = sample("pdf", 2_000)
    stored = _store().ingest(
        io.BytesIO(data),
        expected_sha256=sha256(data),
        expected_size=len(data),
        media_type="application/pdf",
        actor=None,
    )
    assert stored.media_type == "application/pdf"
    assert LedgerEntry.objects.filter(action="records.store_file").count() == 1


def test_stored_file_rows_cannot_be_changed_or_deleted() -> None:
    stored = _ingest(sample("jpeg", 1_000), media_type="image/jpeg")
    with pytest.raises(IntegrityError), transaction.atomic():
        StoredFile.objects.filter(pk=stored.pk).update(size=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        StoredFile.objects.filter(pk=stored.pk).delete()


def test_tampered_bytes_show_up_in_digest_of() -> None:
    data = sample("mp4", 10_000)
    stored = _ingest(data)
    path = _store().path_for(stored.sha256)
    os.chmod(path, 0o644)
    with open(path, "r+b") as f:
        f.seek(5000)
        f.write(b"\x00" if data[5000] else b"\x01")
    actual = _store().digest_of(stored.sha256)
    assert actual is not None and actual != stored.sha256
    assert _store().digest_of("f" * 64) is None


def test_cleanup_removes_only_stale_temporary_files(tmp_path) -> None:
    store = _store()
    store.tmp_dir.mkdir(parents=True)
    stale = store.tmp_dir / "ingest-crashed.tmp"
    fresh = store.tmp_dir / "ingest-running.tmp"
    stale.write_bytes(b"x" * 10)
    fresh.write_bytes(b"y" * 10)
    old = time.time() - 2 * 24 * 3600
    os.utime(stale, (old, old))

    out = io.StringIO()
    call_command("filestore", "cleanup", stdout=out)
    assert not stale.exists() and fresh.exists()
    assert "1" in out.getvalue()

    # An ingest also sweeps day-old leftovers.
    os.utime(fresh, (old, old))
    _ingest(sample("png", 1_000), media_type="image/png")
    assert not fresh.exists()


class _Generated(io.RawIOBase):
    """`size` bytes of an MP4-looking stream, generated on the fly (never held whole)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.pos = 0
        self.block = sample("mp4", 1024 * 1024)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), self.size - self.pos)
        view = memoryview(buffer)
        done = 0
        while done < n:
            offset = (self.pos + done) % len(self.block)
            take = min(n - done, len(self.block) - offset)
            view[done : done + take] = self.block[offset : offset + take]
            done += take
        self.pos += n
        return n


def test_large_stream_ingest_uses_bounded_memory() -> None:
    size = 200 * 1024 * 1024
    expected = hashlib.sha256()
    reference = _Generated(size)
    buffer = bytearray(4 * 1024 * 1024)
    while n := reference.readinto(buffer):
        expected.update(memoryview(buffer)[:n])
    del buffer

    stream = _Generated(size)
    tracemalloc.start()
    try:
        stored = store_file(
            stream=stream,  # type: ignore[arg-type]
            expected_sha256=expected.hexdigest(),
            expected_size=size,
            media_type="video/mp4",
            actor=None,
        )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stored.size == size
    assert _store().path_for(stored.sha256).stat().st_size == size
    assert peak < 16 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_validation_errors_are_django_validation_errors() -> None:
    # So the API and the workbench report them like any other bad input.
    assert issubclass(DigestMismatch, ValidationError)
    assert issubclass(FileTypeRefused, ValidationError)


def test_ingest_from_a_file_uses_the_kernel_copy_and_hashes_what_was_written(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sanxiang.records.filestore import base

    calls: list[int] = []
    real = os.copy_file_range

    def spy(*args: Any) -> int:
        n = real(*args)
        calls.append(n)
        return n

    monkeypatch.setattr(base.os, "copy_file_range", spy)
    data = sample("mp4", 3 * 1024 * 1024 + 17)
    source = tmp_path / "video.mp4"
    source.write_bytes(data)
    with open(source, "rb") as f:
        stored = _store().ingest(
            f,
            expected_sha256=sha256(data),
            expected_size=len(data),
            media_type="video/mp4",
            actor=None,
        )
        assert f.tell() == len(data)
    assert sum(calls) == len(data)
    assert _store().path_for(stored.sha256).read_bytes() == data

    # Refusals on that path leave nothing either, and the type is refused before copying.
    calls.clear()
    exe = tmp_path / "setup.mp4"
    exe.write_bytes(sample("exe", 100_000))
    with open(exe, "rb") as f, pytest.raises(FileTypeRefused):
        _store().put(f, media_type="video/mp4")
    assert calls == []
    with open(source, "rb") as f, pytest.raises(DigestMismatch):
        _store().put(f, expected_sha256="a" * 64, media_type="video/mp4")
    with open(source, "rb") as f, pytest.raises(SizeMismatch):
        _store().put(f, expected_size=len(data) - 1, media_type="video/mp4")
    assert len(_files(_store().root)) == 1


def test_a_partly_read_buffered_file_is_streamed_from_where_it_stands(tmp_path) -> None:
    head = b"junk-before-the-content"
    data = sample("pdf", 200_000)
    source = tmp_path / "bundle.bin"
    source.write_bytes(head + data)
    with open(source, "rb") as f:
        assert f.read(len(head)) == head  # the buffer has read ahead of the descriptor
        blob = _store().put(f, expected_sha256=sha256(data), media_type="application/pdf")
    assert blob.size == len(data)
