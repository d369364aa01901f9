"""The content-addressed file store: evidence, AV recordings and documents, kept by SHA-256.

    store = get_store()                       # chosen by settings.SANXIANG_FILE_STORE
    blob = store.put(stream, expected_sha256=…, expected_size=…, media_type=…)
    stored = services.store_file(stream=…, …)  # put + StoredFile row + ledger entry

Settings (all optional):

    SANXIANG_FILE_STORE            "local" (default) or "s3"
    SANXIANG_FILE_STORE_ROOT       local root; default MEDIA_ROOT / "store"
    SANXIANG_FILE_STORE_STORAGE    STORAGES alias of the S3Storage to use; default "evidence"
    SANXIANG_FILE_STORE_SPOOL      S3 only: local spool folder; default MEDIA_ROOT / "spool"
    SANXIANG_S3_OBJECT_LOCK_MODE   S3 only: "COMPLIANCE", "GOVERNANCE" or None (default)
    SANXIANG_S3_RETENTION_DAYS     S3 only: retention with Object Lock; default 10950 (30 years)

Stored content is never changed or removed through this interface (000 全过程记录办法
第二十八条; 001 河南全过程记录办法 第二十四条; 002 第四十五条).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import (
    CHUNK_SIZE,
    Blob,
    DigestMismatch,
    FileStore,
    IntegrityMismatch,
    SizeMismatch,
    address,
    is_sha256,
)
from .local import LocalFileStore
from .types import ALLOWED_TYPES, FileTypeRefused, check_content, check_media_type, sniff

DEFAULT_RETENTION_DAYS = 30 * 365


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def get_store() -> FileStore:
    """The configured backend. Cheap to call: it holds no open resources."""
    kind = getattr(settings, "SANXIANG_FILE_STORE", "local")
    if kind == "local":
        root = getattr(settings, "SANXIANG_FILE_STORE_ROOT", None) or _media_root() / "store"
        return LocalFileStore(root)
    if kind == "s3":
        from django.core.files.storage import storages

        from .s3 import S3FileStore

        alias = getattr(settings, "SANXIANG_FILE_STORE_STORAGE", "evidence")
        try:
            storage = storages[alias]
        except Exception as exc:
            raise ImproperlyConfigured(
                f'SANXIANG_FILE_STORE = "s3" needs STORAGES["{alias}"] (an S3Storage).'
            ) from exc
        return S3FileStore.from_storage(
            storage,
            spool_dir=getattr(settings, "SANXIANG_FILE_STORE_SPOOL", None)
            or _media_root() / "spool",
            object_lock_mode=getattr(settings, "SANXIANG_S3_OBJECT_LOCK_MODE", None),
            retention_days=getattr(settings, "SANXIANG_S3_RETENTION_DAYS", DEFAULT_RETENTION_DAYS),
        )
    raise ImproperlyConfigured(f'SANXIANG_FILE_STORE must be "local" or "s3", not {kind!r}.')


__all__ = [
    "ALLOWED_TYPES",
    "CHUNK_SIZE",
    "Blob",
    "DigestMismatch",
    "FileStore",
    "FileTypeRefused",
    "IntegrityMismatch",
    "LocalFileStore",
    "SizeMismatch",
    "address",
    "check_content",
    "check_media_type",
    "get_store",
    "is_sha256",
    "sniff",
]
