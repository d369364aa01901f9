"""What every backend shares: the interface, the errors, and the streaming copy that hashes
while it writes."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import io
import os
import queue
import re
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, BinaryIO, Protocol, runtime_checkable

from django.core.exceptions import ValidationError

from .types import SNIFF_BYTES, check_content

if TYPE_CHECKING:
    from sanxiang.org.models import User
    from sanxiang.records.models import StoredFile

# One read, one hash update, one write per chunk: large enough that the per-call overhead
# vanishes, small enough to stay in the CPU caches; WRITE_BUFFERS of them are in flight
# between the reading/hashing thread and the writing one (memory: 4 MiB, whatever the size).
CHUNK_SIZE = 1024 * 1024
WRITE_BUFFERS = 4

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def is_sha256(value: str) -> bool:
    return bool(SHA256_RE.match(value))


def address(sha256: str) -> str:
    """The content address: ab/cd/abcd… (two levels keep directories small)."""
    if not is_sha256(sha256):
        raise ValueError(f"not a lowercase hex SHA-256: {sha256!r}")
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


class IntegrityMismatch(ValidationError):
    """The bytes are not what the caller said they would be: nothing was stored."""

    def __init__(self, field: str, message: str, *, expected: object, actual: object) -> None:
        self.expected = expected
        self.actual = actual
        super().__init__({field: [message]}, code="integrity")


class DigestMismatch(IntegrityMismatch):
    def __init__(self, *, expected: str, actual: str) -> None:
        super().__init__(
            "sha256",
            f"文件校验失败：声明的 SHA-256 为 {expected}，实际收到内容的 SHA-256 为 {actual}，"
            "两者不一致，文件未入库。请检查文件是否完整后重新上传。",
            expected=expected,
            actual=actual,
        )


class SizeMismatch(IntegrityMismatch):
    def __init__(self, *, expected: int, actual: int, at_least: bool = False) -> None:
        got = f"至少 {actual}" if at_least else f"{actual}"
        super().__init__(
            "size",
            f"文件大小不符：声明为 {expected} 字节，实际收到 {got} 字节，文件未入库。",
            expected=expected,
            actual=actual,
        )


@dataclass(frozen=True)
class Blob:
    """Bytes that are in the store under their digest (no database row implied)."""

    sha256: str
    size: int
    media_type: str  # the sniffed, canonical type
    backend: str
    new: bool  # False when the same content was already stored


@runtime_checkable
class FileStore(Protocol):
    """A content-addressed store. Bytes only: rows and ledger entries are written by
    `sanxiang.records.filestore.services`, which `ingest` calls."""

    name: str

    def put(
        self,
        stream: IO[bytes],
        *,
        expected_sha256: str | None = None,
        expected_size: int | None = None,
        media_type: str = "",
    ) -> Blob:
        """Stream into the store under its SHA-256; refuse a mismatch or a refused type."""
        ...

    def adopt(
        self,
        path: os.PathLike[str] | str,
        *,
        expected_sha256: str,
        expected_size: int,
        media_type: str,
    ) -> Blob:
        """Take over a finished local file (an upload's part file) after the same checks as
        put(): moved, not copied, where the backend can. Accepted, the file is gone from
        `path`; refused (or on any error), it is left there for the caller."""
        ...

    def ingest(
        self,
        stream: IO[bytes],
        *,
        expected_sha256: str | None,
        expected_size: int | None,
        media_type: str,
        actor: User | None,
    ) -> StoredFile:
        """put() plus the StoredFile row and its ledger entry, in the caller's transaction."""
        ...

    def open(self, sha256: str) -> BinaryIO:
        """A streaming reader of stored content; FileNotFoundError when absent."""
        ...

    def exists(self, sha256: str) -> bool: ...

    def iter_digests(self) -> Iterator[str]:
        """Every digest stored (for verification), in no particular order."""
        ...

    def digest_of(self, sha256: str) -> str | None:
        """The SHA-256 of what is actually stored under `sha256` (None when absent): a
        mismatch means the stored bytes were altered."""
        ...

    def cleanup(self, *, older_than_seconds: float) -> list[str]:
        """Remove temporary files left by interrupted ingests; returns what was removed."""
        ...


class StoreBase:
    """Shared by the backends: ingest() and the streaming hash/copy loop."""

    name = "base"

    def ingest(
        self,
        stream: IO[bytes],
        *,
        expected_sha256: str | None,
        expected_size: int | None,
        media_type: str,
        actor: User | None,
    ) -> StoredFile:
        from .services import store_file

        return store_file(
            stream=stream,
            expected_sha256=expected_sha256,
            expected_size=expected_size,
            media_type=media_type,
            actor=actor,
            store=self,  # type: ignore[arg-type]
        )

    def digest_of(self, sha256: str) -> str | None:
        try:
            reader = self.open(sha256)  # type: ignore[attr-defined]
        except FileNotFoundError:
            return None
        with reader:
            return copy_and_hash(reader, None).sha256


@dataclass
class CopyResult:
    sha256: str
    size: int
    media_type: str | None  # None when no type check was asked for


def _readinto(stream: Any) -> Any:
    readinto = getattr(stream, "readinto", None)
    if readinto is not None:
        return readinto

    def fallback(view: memoryview) -> int:
        data = stream.read(len(view))
        n = len(data)
        view[:n] = data
        return n

    return fallback


class _Writer:
    """Writes filled buffers to `fd` on a second thread while the caller reads and hashes
    the next ones (os.write and hashlib both release the GIL): the copy costs about as much
    as the slower of the two instead of their sum. The buffers are a fixed set, reused."""

    def __init__(self, fd: int, chunk_size: int, buffers: int) -> None:
        self.fd = fd
        self.free: queue.SimpleQueue[bytearray] = queue.SimpleQueue()
        self.work: queue.SimpleQueue[tuple[bytearray, int] | None] = queue.SimpleQueue()
        for _ in range(buffers):
            self.free.put(bytearray(chunk_size))
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="filestore-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.work.get()
            if item is None:
                return
            buffer, n = item
            try:
                if self.error is None:
                    view = memoryview(buffer)
                    written = 0
                    while written < n:
                        written += os.write(self.fd, view[written:n])
            except BaseException as exc:
                self.error = exc
            finally:
                self.free.put(buffer)

    def buffer(self) -> bytearray:
        buffer = self.free.get()
        if self.error is not None:
            raise self.error
        return buffer

    def write(self, buffer: bytearray, n: int) -> None:
        self.work.put((buffer, n))

    def close(self) -> None:
        """Wait until everything handed over is written; raise the writer's error."""
        self.work.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


def _source_file(stream: Any) -> tuple[int, int, int] | None:
    """(fd, position, bytes left) when `stream` is a regular file read from its descriptor's
    own position (no read-ahead buffered in Python); otherwise None."""
    try:
        src = stream.fileno()
        position = stream.tell()
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None
    info = os.fstat(src)
    if not stat.S_ISREG(info.st_mode) or os.lseek(src, 0, os.SEEK_CUR) != position:
        return None
    return src, position, info.st_size - position


def _hash_fd(fd: int, chunk_size: int) -> str:
    digest = hashlib.sha256()
    buffer = bytearray(chunk_size)
    view = memoryview(buffer)
    offset = 0
    while n := os.preadv(fd, [buffer], offset):
        digest.update(view[:n])
        offset += n
    return digest.hexdigest()


def _kernel_copy_and_hash(
    stream: Any,
    fd: int,
    *,
    expected_size: int | None,
    declared_type: str | None,
    chunk_size: int,
) -> CopyResult | None:
    """From a regular file into `fd` (open read-write, empty): copy in the kernel
    (copy_file_range, as cp does), then hash what was written by reading it back — the
    digest is that of the stored bytes. None when the kernel cannot (then the caller
    streams)."""
    source = _source_file(stream)
    if source is None or fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE != os.O_RDWR:
        return None
    src, position, left = source
    if expected_size is not None and left > expected_size:
        raise SizeMismatch(expected=expected_size, actual=left, at_least=True)
    if declared_type is not None:  # refuse before copying anything
        check_content(
            os.pread(src, SNIFF_BYTES, position),
            declared=declared_type,
            complete=left <= SNIFF_BYTES,
        )
    copied = 0
    while True:
        try:
            n = os.copy_file_range(src, fd, 1 << 30)
        except OSError as exc:
            if copied == 0 and exc.errno in _NO_KERNEL_COPY:
                return None
            raise
        if not n:
            break
        copied += n
    if expected_size is not None and copied > expected_size:
        raise SizeMismatch(expected=expected_size, actual=copied, at_least=True)
    media_type = None
    if declared_type is not None:  # what was written decides
        media_type = check_content(
            os.pread(fd, SNIFF_BYTES, 0), declared=declared_type, complete=copied <= SNIFF_BYTES
        )
    stream.seek(position + copied)
    return CopyResult(sha256=_hash_fd(fd, chunk_size), size=copied, media_type=media_type)


_NO_KERNEL_COPY = {errno.EXDEV, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EBADF}


def copy_and_hash(
    stream: IO[bytes] | Any,
    fd: int | None,
    *,
    expected_size: int | None = None,
    declared_type: str | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> CopyResult:
    """Read `stream` to the end in fixed-size chunks, hashing each chunk and (when `fd` is
    given) writing it to `fd`. Memory is a few reused buffers, whatever the size.

    With `declared_type`, the content's type is checked against the allow-list as soon as
    the first SNIFF_BYTES are in, before anything is written, so a refused file fails
    early. With `expected_size`, a stream that runs past it fails at once.

    A regular file copied into a read-write `fd` takes the kernel's copy and is hashed as
    written (see _kernel_copy_and_hash).
    """
    if fd is not None:
        done = _kernel_copy_and_hash(
            stream,
            fd,
            expected_size=expected_size,
            declared_type=declared_type,
            chunk_size=chunk_size,
        )
        if done is not None:
            return done
    digest = hashlib.sha256()
    readinto = _readinto(stream)
    writer = _Writer(fd, chunk_size, WRITE_BUFFERS) if fd is not None else None
    own = bytearray(chunk_size) if writer is None else None
    size = 0
    head = bytearray()
    media_type: str | None = None
    check_type = declared_type is not None
    try:
        while True:
            buffer = writer.buffer() if writer is not None else own
            assert buffer is not None
            chunk = memoryview(buffer)
            n = readinto(chunk)
            if not n:
                if writer is not None:
                    writer.free.put(buffer)
                break
            chunk = chunk[:n]
            if expected_size is not None and size + n > expected_size:
                raise SizeMismatch(expected=expected_size, actual=size + n, at_least=True)
            if check_type and media_type is None and len(head) < SNIFF_BYTES:
                head += chunk[: SNIFF_BYTES - len(head)]
                if len(head) >= SNIFF_BYTES:
                    media_type = check_content(bytes(head), declared=declared_type or "")
            digest.update(chunk)
            del chunk
            if writer is not None:
                writer.write(buffer, n)
            size += n
        if check_type and media_type is None:
            media_type = check_content(bytes(head), declared=declared_type or "", complete=True)
    finally:
        if writer is not None:
            writer.close()
    return CopyResult(sha256=digest.hexdigest(), size=size, media_type=media_type)


def check_expectations(
    result: CopyResult, *, expected_sha256: str | None, expected_size: int | None
) -> None:
    if expected_size is not None and result.size != expected_size:
        raise SizeMismatch(expected=expected_size, actual=result.size)
    if expected_sha256 is not None and result.sha256 != expected_sha256.lower():
        raise DigestMismatch(expected=expected_sha256.lower(), actual=result.sha256)


def fsync_dir(path: os.PathLike[str] | str) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
