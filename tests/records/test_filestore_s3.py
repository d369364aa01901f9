"""The S3 backend against botocore's Stubber: key layout, checksums, Object Lock retention,
multipart uploads, deduplication, reads — every request it makes, parameter by parameter."""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import ANY, Stubber

from sanxiang.records.filestore import DigestMismatch, FileTypeRefused, get_store
from sanxiang.records.filestore import s3 as s3_module
from sanxiang.records.filestore.s3 import S3FileStore, part_size_for
from tests.records.samples import sample, sha256

BUCKET = "sanxiang-evidence"
NOW = datetime.datetime(2026, 1, 31, 8, 0, tzinfo=datetime.UTC)
UNTIL = NOW + datetime.timedelta(days=3650)


@pytest.fixture
def client() -> Any:
    return boto3.client(
        "s3",
        region_name="cn-north-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def stub(client: Any) -> Iterator[Stubber]:
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


@pytest.fixture
def store(client: Any, tmp_path: Path) -> S3FileStore:
    return S3FileStore(
        client=client,
        bucket=BUCKET,
        location="sanxiang/",
        spool_dir=tmp_path / "spool",
        object_lock_mode="compliance",
        retention_days=3650,
        object_parameters={"ServerSideEncryption": "AES256"},
        now=lambda: NOW,
    )


def _b64(hex_digest: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_digest)).decode()


def _not_found(stub: Stubber, method: str = "head_object") -> None:
    stub.add_client_error(method, service_error_code="404", http_status_code=404)


def test_key_layout(store: S3FileStore) -> None:
    digest = "ab" + "cd" + "e" * 60
    assert store.key_for(digest) == f"sanxiang/ab/cd/{digest}"
    store.location = ""
    assert store.key_for(digest) == f"ab/cd/{digest}"
    with pytest.raises(ValueError):
        store.key_for("../../etc/passwd")


def test_small_file_is_one_put_with_checksum_and_object_lock(
    store: S3FileStore, stub: Stubber, tmp_path: Path
) -> None:
    data = sample("mp4", 100_000)
    digest = sha256(data)
    key = f"sanxiang/{digest[:2]}/{digest[2:4]}/{digest}"
    _not_found(stub)
    stub.add_response(
        "put_object",
        {"ETag": '"x"'},
        {
            "Bucket": BUCKET,
            "Key": key,
            "Body": ANY,
            "ContentLength": len(data),
            "ChecksumSHA256": _b64(digest),
            "ContentType": "video/mp4",
            "Metadata": {"sha256": digest},
            "ObjectLockMode": "COMPLIANCE",
            "ObjectLockRetainUntilDate": UNTIL,
            "ServerSideEncryption": "AES256",
        },
    )
    blob = store.put(io.BytesIO(data), expected_sha256=digest, media_type="video/mp4")
    assert (blob.sha256, blob.size, blob.media_type, blob.backend, blob.new) == (
        digest,
        len(data),
        "video/mp4",
        "s3",
        True,
    )
    assert list((tmp_path / "spool").iterdir()) == []


def test_existing_content_is_not_uploaded_again(store: S3FileStore, stub: Stubber) -> None:
    data = sample("jpeg", 5_000)
    digest = sha256(data)
    stub.add_response(
        "head_object",
        {"ContentLength": len(data)},
        {"Bucket": BUCKET, "Key": store.key_for(digest)},
    )
    blob = store.put(io.BytesIO(data), expected_sha256=digest, media_type="image/jpeg")
    assert not blob.new


def test_large_file_is_a_multipart_upload_with_per_part_checksums(
    store: S3FileStore, stub: Stubber, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    mib = 1024 * 1024
    monkeypatch.setattr(s3_module, "MIN_PART_SIZE", mib)
    data = sample("mp4", 2 * mib + mib // 2)
    digest = sha256(data)
    key = store.key_for(digest)
    _not_found(stub)
    stub.add_response(
        "create_multipart_upload",
        {"UploadId": "up-1", "Bucket": BUCKET, "Key": key},
        {
            "Bucket": BUCKET,
            "Key": key,
            "ChecksumAlgorithm": "SHA256",
            "ContentType": "video/mp4",
            "Metadata": {"sha256": digest},
            "ObjectLockMode": "COMPLIANCE",
            "ObjectLockRetainUntilDate": UNTIL,
            "ServerSideEncryption": "AES256",
        },
    )
    parts = []
    for number, start in enumerate(range(0, len(data), mib), start=1):
        chunk = data[start : start + mib]
        checksum = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
        stub.add_response(
            "upload_part",
            {"ETag": f'"etag-{number}"'},
            {
                "Bucket": BUCKET,
                "Key": key,
                "UploadId": "up-1",
                "PartNumber": number,
                "Body": chunk,
                "ContentLength": len(chunk),
                "ChecksumSHA256": checksum,
            },
        )
        parts.append({"PartNumber": number, "ETag": f'"etag-{number}"', "ChecksumSHA256": checksum})
    assert len(parts) == 3
    stub.add_response(
        "complete_multipart_upload",
        {},
        {"Bucket": BUCKET, "Key": key, "UploadId": "up-1", "MultipartUpload": {"Parts": parts}},
    )

    # adopt(): an upload's part file is uploaded, then removed.
    part = tmp_path / "x.part"
    part.write_bytes(data)
    blob = store.adopt(part, expected_sha256=digest, expected_size=len(data), media_type="")
    assert blob.new and blob.size == len(data)
    assert not part.exists()


def test_failed_multipart_upload_is_aborted(
    store: S3FileStore, stub: Stubber, monkeypatch: pytest.MonkeyPatch
) -> None:
    mib = 1024 * 1024
    monkeypatch.setattr(s3_module, "MIN_PART_SIZE", mib)
    data = sample("mp4", 2 * mib)
    digest = sha256(data)
    key = store.key_for(digest)
    _not_found(stub)
    stub.add_response("create_multipart_upload", {"UploadId": "up-2"}, None)
    stub.add_client_error("upload_part", service_error_code="InternalError", http_status_code=500)
    stub.add_response(
        "abort_multipart_upload", {}, {"Bucket": BUCKET, "Key": key, "UploadId": "up-2"}
    )
    with pytest.raises(Exception, match="InternalError"):
        store.put(io.BytesIO(data), expected_sha256=digest, media_type="video/mp4")


def test_refusals_upload_nothing(store: S3FileStore, stub: Stubber, tmp_path: Path) -> None:
    data = sample("mp4", 10_000)
    with pytest.raises(DigestMismatch):
        store.put(io.BytesIO(data), expected_sha256="1" * 64, media_type="video/mp4")
    with pytest.raises(FileTypeRefused):
        store.put(io.BytesIO(sample("exe", 10_000)), media_type="")
    assert list((tmp_path / "spool").iterdir()) == []
    # A refused part file stays for the caller to deal with.
    part = tmp_path / "y.part"
    part.write_bytes(data)
    with pytest.raises(DigestMismatch):
        store.adopt(part, expected_sha256="1" * 64, expected_size=len(data), media_type="")
    assert part.exists()


def test_reads_stream_and_missing_objects(store: S3FileStore, stub: Stubber) -> None:
    data = sample("pdf", 50_000)
    digest = sha256(data)
    stub.add_response(
        "get_object",
        {"Body": StreamingBody(io.BytesIO(data), len(data)), "ContentLength": len(data)},
        {"Bucket": BUCKET, "Key": store.key_for(digest)},
    )
    with store.open(digest) as f:
        assert f.read(10) == data[:10]
        assert f.read() == data[10:]
    _not_found(stub, "get_object")
    with pytest.raises(FileNotFoundError):
        store.open(digest)
    _not_found(stub)
    assert not store.exists(digest)
    stub.add_response(
        "list_objects_v2",
        {
            "Contents": [
                {"Key": store.key_for(digest)},
                {"Key": "sanxiang/tmp/whatever"},
                {"Key": f"sanxiang/00/00/{digest}"},  # misplaced: not a content address
            ],
            "IsTruncated": False,
        },
        {"Bucket": BUCKET, "Prefix": "sanxiang/"},
    )
    assert list(store.iter_digests()) == [digest]


def test_part_size_respects_the_part_limit() -> None:
    mib = 1024 * 1024
    assert part_size_for(10 * mib) == 16 * mib
    assert part_size_for(20 * 1024 * mib) == 16 * mib  # 1,280 parts
    big = 500 * 1024 * 1024 * mib  # 500 TiB: never, but the arithmetic holds
    assert big / part_size_for(big) <= 10_000


def test_object_lock_needs_a_retention_period(client: Any, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        S3FileStore(client=client, bucket=BUCKET, spool_dir=tmp_path, object_lock_mode="COMPLIANCE")
    with pytest.raises(ValueError):
        S3FileStore(
            client=client,
            bucket=BUCKET,
            spool_dir=tmp_path,
            object_lock_mode="forever",
            retention_days=1,
        )


def test_get_store_builds_the_s3_backend_from_settings(settings) -> None:
    settings.SANXIANG_FILE_STORE = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "location": "prod",
                "region_name": "cn-north-1",
                "access_key": "testing",
                "secret_key": "testing",
                "object_parameters": {"ServerSideEncryption": "aws:kms"},
            },
        },
    }
    settings.SANXIANG_S3_OBJECT_LOCK_MODE = "COMPLIANCE"
    settings.SANXIANG_S3_RETENTION_DAYS = 365
    store = get_store()
    assert isinstance(store, S3FileStore)
    assert (store.bucket, store.location, store.object_lock_mode, store.retention_days) == (
        BUCKET,
        "prod",
        "COMPLIANCE",
        365,
    )
    assert store.object_parameters == {"ServerSideEncryption": "aws:kms"}
    assert store.spool_dir == Path(settings.MEDIA_ROOT) / "spool"


def test_unknown_backend_is_a_configuration_error(settings) -> None:
    from django.core.exceptions import ImproperlyConfigured

    settings.SANXIANG_FILE_STORE = "ftp"
    with pytest.raises(ImproperlyConfigured):
        get_store()
