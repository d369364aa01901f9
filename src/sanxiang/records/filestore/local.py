"""The local-folder backend (the default): MEDIA_ROOT/store/ab/cd/abcd…

An ingest streams into store/tmp/ (same filesystem), hashing as it writes, fsyncs, checks
the digest and size, then hard-links the temporary file to its content address — a link
never replaces an existing file, so the first copy of any content stays the one that
counts — and removes the temporary name. Stored files are made read-only (0444).
Until the link, nothing is visible under the content address; a crash leaves only a file
in tmp/, which `sanxiang filestore cleanup` (and every ingest, for files older than a day)
removes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO

from .base import (
    CHUNK_SIZE,
    Blob,
    StoreBase,
    address,
    check_expectations,
    copy_and_hash,
    fsync_dir,
    is_sha256,
)

STALE_TEMP_SECONDS = 24 * 3600


class LocalFileStore(StoreBase):
    name = "local"

    def __init__(self, root: os.PathLike[str] | str, *, chunk_size: int = CHUNK_SIZE) -> None:
        self.root = Path(root)
        self.tmp_dir = self.root / "tmp"
        self.chunk_size = chunk_size

    # --- layout ----------------------------------------------------------------------

    def path_for(self, sha256: str) -> Path:
        return self.root / address(sha256)

    def exists(self, sha256: str) -> bool:
        return is_sha256(sha256) and self.path_for(sha256).is_file()

    def open(self, sha256: str) -> BinaryIO:
        return open(self.path_for(sha256), "rb", buffering=self.chunk_size)

    def iter_digests(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if len(first.name) != 2 or not first.is_dir():
                continue
            for second in sorted(first.iterdir()):
                if not second.is_dir():
                    continue
                for entry in sorted(second.iterdir()):
                    if is_sha256(entry.name) and entry.name.startswith(first.name + second.name):
                        yield entry.name

    # --- writing ---------------------------------------------------------------------

    def _new_temp(self) -> tuple[int, Path]:
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        self._sweep()
        fd, name = tempfile.mkstemp(dir=self.tmp_dir, prefix="ingest-", suffix=".tmp")
        return fd, Path(name)

    def put(
        self,
        stream: IO[bytes],
        *,
        expected_sha256: str | None = None,
        expected_size: int | None = None,
        media_type: str = "",
    ) -> Blob:
        fd, temp = self._new_temp()
        try:
            try:
                result = copy_and_hash(
                    stream,
                    fd,
                    expected_size=expected_size,
                    declared_type=media_type,
                    chunk_size=self.chunk_size,
                )
                os.fsync(fd)
            finally:
                os.close(fd)
            check_expectations(result, expected_sha256=expected_sha256, expected_size=expected_size)
            assert result.media_type is not None
            new = self._publish(temp, result.sha256)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
            raise
        return Blob(result.sha256, result.size, result.media_type, self.name, new)

    def adopt(
        self,
        path: os.PathLike[str] | str,
        *,
        expected_sha256: str,
        expected_size: int,
        media_type: str,
    ) -> Blob:
        source = Path(path)
        with open(source, "rb", buffering=0) as f:
            result = copy_and_hash(
                f,
                None,
                expected_size=expected_size,
                declared_type=media_type,
                chunk_size=self.chunk_size,
            )
            os.fsync(f.fileno())
        check_expectations(result, expected_sha256=expected_sha256, expected_size=expected_size)
        assert result.media_type is not None
        try:
            new = self._publish(source, result.sha256)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            # Another filesystem: copy (and hash again) through put().
            with open(source, "rb", buffering=0) as f:
                blob = self.put(
                    f,
                    expected_sha256=result.sha256,
                    expected_size=result.size,
                    media_type=media_type,
                )
            source.unlink()
            return blob
        return Blob(result.sha256, result.size, result.media_type, self.name, new)

    def _publish(self, temp: Path, sha256: str) -> bool:
        """Give the verified, fsynced `temp` its content address; True if it is new."""
        final = self.path_for(sha256)
        created_dirs = not final.parent.is_dir()
        final.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(temp, 0o444)
        try:
            os.link(temp, final)  # atomic, and never replaces an existing file
            new = True
        except FileExistsError:
            new = False
        temp.unlink()
        if new:
            fsync_dir(final.parent)
            if created_dirs:
                fsync_dir(final.parent.parent)
                fsync_dir(self.root)
        fsync_dir(temp.parent)
        return new

    # --- housekeeping ----------------------------------------------------------------

    def _sweep(self) -> None:
        """As part of every ingest (tmp/ holds only the ingests in flight, so this is a
        short listing): remove day-old temporary files."""
        with contextlib.suppress(OSError):
            self.cleanup(older_than_seconds=STALE_TEMP_SECONDS)

    def cleanup(self, *, older_than_seconds: float) -> list[str]:
        removed: list[str] = []
        if not self.tmp_dir.is_dir():
            return removed
        cutoff = time.time() - older_than_seconds
        for entry in self.tmp_dir.iterdir():
            try:
                if entry.is_file() and entry.stat().st_mtime < cutoff:
                    entry.unlink()
                    removed.append(str(entry))
            except FileNotFoundError:
                continue
        return removed
