"""The platform's Ed25519 key that signs ledger checkpoints.

Where the private key is read from:

- ``SANXIANG_SIGNING_KEY_FILE`` (a Django setting, or the environment variable of that name):
  a PKCS#8 PEM file; it must exist (a configured but missing key is an error, never silently
  replaced by a new one);
- otherwise ``VAR_DIR/keys/ledger-ed25519.pem``, created with mode 0600 (its folder 0700) the
  first time a checkpoint is signed.

The key never goes into the repository. Its key id is the lowercase hex SHA-256 of the
32-byte raw public key (64 hex digits).
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("sanxiang.records")

ENV_VAR = "SANXIANG_SIGNING_KEY_FILE"
DEFAULT_NAME = "ledger-ed25519.pem"


class KeyMissing(ImproperlyConfigured):
    pass


def configured_path() -> Path | None:
    value = getattr(settings, ENV_VAR, None) or os.environ.get(ENV_VAR)
    return Path(value) if value else None


def key_path() -> Path:
    return configured_path() or Path(settings.VAR_DIR) / "keys" / DEFAULT_NAME


def _create(path: Path) -> Ed25519PrivateKey:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        # O_EXCL: if another process created it meanwhile, use theirs.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
        out.flush()
        os.fsync(out.fileno())
    logger.warning("已生成台账检查点签名密钥：%s（请妥善备份，勿提交到代码仓库）", path)
    return key


def _read(path: Path) -> Ed25519PrivateKey:
    mode = path.stat().st_mode
    if mode & 0o077:
        logger.warning("签名私钥文件 %s 的权限过宽（%o），应为 0600。", path, mode & 0o777)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"签名私钥文件 {path} 不是 Ed25519 私钥。")
    return key


def signing_key(*, create: bool = True) -> Ed25519PrivateKey:
    """The private key; the default one is created on first use when `create`."""
    configured = configured_path()
    path = key_path()
    if path.exists():
        return _read(path)
    if configured is not None:
        raise KeyMissing(f"签名私钥文件不存在：{path}（由 {ENV_VAR} 指定）。")
    if not create:
        raise KeyMissing(f"尚未生成签名密钥：{path}。")
    return _create(path)


def public_key(*, create: bool = False) -> Ed25519PublicKey | None:
    """The public key, or None while no key exists (and `create` is False)."""
    try:
        return signing_key(create=create).public_key()
    except KeyMissing:
        if create:
            raise
        return None


def raw_public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(raw_public_bytes(key)).hexdigest()


def public_key_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_public_key(data: bytes) -> Ed25519PublicKey:
    """A public key from PEM (SubjectPublicKeyInfo) — or from a private key PEM."""
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        private = serialization.load_pem_private_key(data, password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise ValueError("不是 Ed25519 密钥。") from None
        return private.public_key()
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("不是 Ed25519 公钥。")
    return key
