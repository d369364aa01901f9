"""The S3-compatible backend (deployment): objects keyed by content address in a bucket with
versioning and Object Lock (see docs/storage.md).

The bucket, credentials and endpoint come from a django-storages S3Storage (the
STORAGES alias named by SANXIANG_FILE_STORE_STORAGE, default "evidence"); this module uses
its boto3 client directly, because a content-addressed, locked, checksummed write is not
what Storage.save() does.

An ingest spools the stream to a local temporary file while hashing it (memory stays
flat), checks digest, size and type, then uploads under the final key unless that key
already holds the content. S3 itself verifies the bytes: a single PUT carries the whole
object's SHA-256 (x-amz-checksum-sha256), a multipart upload carries each part's. Object
Lock retention (mode and retain-until date) is set on the object at write time.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import hashlib
import io
import math
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from botocore.exceptions import ClientError

from .base import (
    CHUNK_SIZE,
    Blob,
    StoreBase,
    address,
    check_expectations,
    copy_and_hash,
    is_sha256,
)

MIN_PART_SIZE = 16 * 1024 * 1024
MAX_PARTS = 10_000
OBJECT_LOCK_MODES = ("COMPLIANCE", "GOVERNANCE")


class _BodyReader(io.RawIOBase):
    """A botocore StreamingBody as a raw stream (for io.BufferedReader)."""

    def __init__(self, body: Any) -> None:
        self._body = body

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._body.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        return n

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._body.close()
        super().close()


def part_size_for(size: int) -> int:
    """Parts of at least 16 MiB, few enough for S3's 10,000-part limit (whole MiB)."""
    needed = math.ceil(size / MAX_PARTS)
    mib = 1024 * 1024
    return max(MIN_PART_SIZE, math.ceil(needed / mib) * mib)


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


class S3FileStore(StoreBase):
    name = "s3"

    def __init__(
        self,
        *,
        client: Any,
        bucket: str,
        location: str = "",
        spool_dir: os.PathLike[str] | str,
        object_lock_mode: str | None = None,
        retention_days: int | None = None,
        object_parameters: dict[str, Any] | None = None,
        chunk_size: int = CHUNK_SIZE,
        now: Any = None,
    ) -> None:
        if object_lock_mode is not None:
            object_lock_mode = object_lock_mode.upper()
            if object_lock_mode not in OBJECT_LOCK_MODES:
                raise ValueError(f"object_lock_mode must be one of {OBJECT_LOCK_MODES}")
            if not retention_days or retention_days < 1:
                raise ValueError("Object Lock needs a positive retention_days")
        self.client = client
        self.bucket = bucket
        self.location = location.strip("/")
        self.spool_dir = Path(spool_dir)
        self.object_lock_mode = object_lock_mode
        self.retention_days = retention_days
        self.object_parameters = dict(object_parameters or {})
        self.chunk_size = chunk_size
        self._now = now or (lambda: datetime.datetime.now(datetime.UTC))

    @classmethod
    def from_storage(cls, storage: Any, **kwargs: Any) -> S3FileStore:
        """Bucket, client and extra object parameters (e.g. server-side encryption) from a
        django-storages S3Storage."""
        return cls(
            client=storage.connection.meta.client,
            bucket=storage.bucket_name,
            location=storage.location or "",
            object_parameters=storage.get_object_parameters(""),
            **kwargs,
        )

    # --- layout ----------------------------------------------------------------------

    def key_for(self, sha256: str) -> str:
        key = address(sha256)
        return f"{self.location}/{key}" if self.location else key

    def _head(self, sha256: str) -> dict[str, Any] | None:
        try:
            return cast(
                dict[str, Any],
                self.client.head_object(Bucket=self.bucket, Key=self.key_for(sha256)),
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def exists(self, sha256: str) -> bool:
        return is_sha256(sha256) and self._head(sha256) is not None

    def open(self, sha256: str) -> BinaryIO:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.key_for(sha256))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise FileNotFoundError(sha256) from exc
            raise
        return cast(BinaryIO, io.BufferedReader(_BodyReader(response["Body"]), self.chunk_size))

    def iter_digests(self) -> Iterator[str]:
        prefix = f"{self.location}/" if self.location else ""
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                name = item["Key"].rsplit("/", 1)[-1]
                if is_sha256(name) and item["Key"] == self.key_for(name):
                    yield name

    # --- writing ---------------------------------------------------------------------

    def _lock_parameters(self) -> dict[str, Any]:
        if self.object_lock_mode is None:
            return {}
        assert self.retention_days is not None
        until = self._now() + datetime.timedelta(days=self.retention_days)
        return {"ObjectLockMode": self.object_lock_mode, "ObjectLockRetainUntilDate": until}

    def _object_parameters(self, sha256: str, media_type: str) -> dict[str, Any]:
        return {
            **self.object_parameters,
            "ContentType": media_type,
            "Metadata": {"sha256": sha256},
            **self._lock_parameters(),
        }

    def put(
        self,
        stream: IO[bytes],
        *,
        expected_sha256: str | None = None,
        expected_size: int | None = None,
        media_type: str = "",
    ) -> Blob:
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            self.cleanup(older_than_seconds=24 * 3600)
        fd, name = tempfile.mkstemp(dir=self.spool_dir, prefix="spool-", suffix=".tmp")
        spool = Path(name)
        try:
            try:
                result = copy_and_hash(
                    stream,
                    fd,
                    expected_size=expected_size,
                    declared_type=media_type,
                    chunk_size=self.chunk_size,
                )
            finally:
                os.close(fd)
            check_expectations(result, expected_sha256=expected_sha256, expected_size=expected_size)
            assert result.media_type is not None
            new = self._upload(spool, result.sha256, result.size, result.media_type)
        finally:
            with contextlib.suppress(FileNotFoundError):
                spool.unlink()
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
        check_expectations(result, expected_sha256=expected_sha256, expected_size=expected_size)
        assert result.media_type is not None
        new = self._upload(source, result.sha256, result.size, result.media_type)
        source.unlink()
        return Blob(result.sha256, result.size, result.media_type, self.name, new)

    def _upload(self, path: Path, sha256: str, size: int, media_type: str) -> bool:
        """Upload `path` (already verified) under its key; False when already there."""
        head = self._head(sha256)
        if head is not None and head.get("ContentLength") == size:
            return False
        key = self.key_for(sha256)
        params = self._object_parameters(sha256, media_type)
        if size <= MIN_PART_SIZE:
            with open(path, "rb") as body:
                self.client.put_object(
                    Bucket=self.bucket,
                    Key=key,
                    Body=body,
                    ContentLength=size,
                    ChecksumSHA256=_b64(bytes.fromhex(sha256)),
                    **params,
                )
            return True
        self._multipart(path, key, size, params)
        return True

    def _multipart(self, path: Path, key: str, size: int, params: dict[str, Any]) -> None:
        created = self.client.create_multipart_upload(
            Bucket=self.bucket, Key=key, ChecksumAlgorithm="SHA256", **params
        )
        upload_id = created["UploadId"]
        part_size = part_size_for(size)
        parts: list[dict[str, Any]] = []
        try:
            with open(path, "rb", buffering=0) as f:
                number = 0
                while True:
                    data = f.read(part_size)
                    if not data:
                        break
                    number += 1
                    checksum = _b64(hashlib.sha256(data).digest())
                    response = self.client.upload_part(
                        Bucket=self.bucket,
                        Key=key,
                        UploadId=upload_id,
                        PartNumber=number,
                        Body=data,
                        ContentLength=len(data),
                        ChecksumSHA256=checksum,
                    )
                    parts.append(
                        {"PartNumber": number, "ETag": response["ETag"], "ChecksumSHA256": checksum}
                    )
                    del data
            self.client.complete_multipart_upload(
                Bucket=self.bucket,
                Key=key,
                UploadId=upload_id,
                MultipartUpload={"Parts": parts},
            )
        except BaseException:
            with contextlib.suppress(Exception):
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
            raise

    # --- housekeeping ----------------------------------------------------------------

    def cleanup(self, *, older_than_seconds: float) -> list[str]:
        """Day-old spool files. (Incomplete multipart uploads are aborted by the bucket's
        lifecycle rule; see docs/storage.md.)"""
        removed: list[str] = []
        if not self.spool_dir.is_dir():
            return removed
        cutoff = time.time() - older_than_seconds
        for entry in self.spool_dir.iterdir():
            try:
                if entry.is_file() and entry.stat().st_mtime < cutoff:
                    entry.unlink()
                    removed.append(str(entry))
            except FileNotFoundError:
                continue
        return removed
