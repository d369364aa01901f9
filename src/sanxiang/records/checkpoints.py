"""Signed checkpoints: the platform's Ed25519 signature over the ledger's size and Merkle root.

The signed message is this UTF-8 text, four lines each ending in a line feed::

    sanxiang-ledger-checkpoint/v1
    <tree_size, decimal>
    <root hash, 64 lowercase hex digits>
    <signed_at, UTC, YYYY-MM-DDTHH:MM:SSZ>

and ``signature`` is the standard Base64 of the 64-byte Ed25519 signature. ``key_id`` is the
hex SHA-256 of the raw public key (keys.py). Anyone holding the public key (published on the
portal and at ``GET /api/ledger/public-key``) can check a checkpoint, and with a consistency
proof (``GET /api/ledger/proof/consistency``) that a later checkpoint extends it.

Checkpoints are made on demand and periodically (``sanxiang checkpoint``, e.g. from cron);
a new one is made only when the ledger has grown, and never when the entries up to the
previous checkpoint no longer give its root (history rewritten since then).
"""

from __future__ import annotations

import base64
import datetime
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import keys, proofs
from .models import Checkpoint

if TYPE_CHECKING:
    from sanxiang.org.models import User

MESSAGE_HEADER = "sanxiang-ledger-checkpoint/v1"


def format_signed_at(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def message(tree_size: int, root_hash: str, signed_at: datetime.datetime) -> bytes:
    """The exact bytes the platform signs."""
    return f"{MESSAGE_HEADER}\n{tree_size}\n{root_hash}\n{format_signed_at(signed_at)}\n".encode()


def checkpoint_message(checkpoint: Checkpoint) -> bytes:
    return message(checkpoint.tree_size, checkpoint.root_hash, checkpoint.signed_at)


def signature_valid(checkpoint: Checkpoint, public_key: Ed25519PublicKey) -> bool:
    try:
        signature = base64.b64decode(checkpoint.signature, validate=True)
        public_key.verify(signature, checkpoint_message(checkpoint))
    except (InvalidSignature, ValueError):
        return False
    return True


def create_checkpoint(*, actor: User | None = None) -> Checkpoint:
    """Sign the ledger as it stands. Returns the latest checkpoint unchanged when the ledger
    has not grown since. `actor` None is the operator at the command line (or the timer);
    through the site only a platform administrator may do it."""
    if actor is not None and not actor.is_superuser:
        raise PermissionDenied("只有平台管理员可以签署台账检查点。")
    size = proofs.ledger_size()
    latest = Checkpoint.objects.order_by("-tree_size").first()
    if latest is not None and latest.tree_size == size:
        return latest
    if size == 0:
        raise ValidationError("台账尚无记录，无需签署检查点。")
    if latest is not None and latest.tree_size > size:
        raise ValidationError(
            f"台账现有 {size} 条，少于上一检查点的 {latest.tree_size} 条：台账记录可能已被删除，"
            "拒绝签署新的检查点，请立即运行 sanxiang verify 核查。"
        )
    key = keys.signing_key(create=True)
    sizes = [size] if latest is None else [latest.tree_size, size]
    try:
        roots = proofs.roots_at(sizes)
    except proofs.LedgerIncomplete as exc:
        raise ValidationError(f"{exc}拒绝签署检查点，请运行 sanxiang verify 核查。") from None
    if latest is not None and roots[latest.tree_size].hex() != latest.root_hash:
        raise ValidationError(
            f"前 {latest.tree_size} 条台账记录的默克尔根与上一检查点不一致：台账历史可能已被改写，"
            "拒绝签署新的检查点，请立即运行 sanxiang verify 核查。"
        )
    root_hash = roots[size].hex()
    signed_at = timezone.now().replace(microsecond=0)
    signature = key.sign(message(size, root_hash, signed_at))
    try:
        with transaction.atomic():
            return Checkpoint.objects.create(
                tree_size=size,
                root_hash=root_hash,
                signed_at=signed_at,
                key_id=keys.key_id(key.public_key()),
                signature=base64.b64encode(signature).decode("ascii"),
            )
    except IntegrityError:
        # Signed by another process meanwhile.
        return Checkpoint.objects.get(tree_size=size)
