"""The tamper-evident store: the append-only ledger, its signed checkpoints, and the
content-addressed file store with its upload sessions.

LedgerEntry, Checkpoint and StoredFile rows are never updated or deleted: database triggers
refuse it (migration 0002) on SQLite and PostgreSQL alike (000 全过程记录办法 第二十八条,
001 河南全过程记录办法 第二十四条, 002 第四十五条).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class LedgerEntry(models.Model):
    """One business action. hash = SHA-256(prev_hash || payload_hash || seq)."""

    seq = models.BigIntegerField("序号", unique=True)
    recorded_at = models.DateTimeField("记录时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A snapshot, so the entry reads the same after the account is renamed.
    actor_label = models.CharField("操作人（记录时）", max_length=128)
    action = models.CharField("业务动作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象标识", max_length=64)
    payload = models.TextField("内容（规范化JSON）")
    payload_hash = models.CharField("内容摘要", max_length=64)
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("本条哈希", max_length=64, unique=True)

    class Meta:
        verbose_name = "台账记录"
        verbose_name_plural = "台账记录"
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class LedgerHead(models.Model):
    """The single row every append locks: it serialises appends on any database. It is a
    cache of the last entry; `verify` trusts only the entries themselves."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "台账头"
        verbose_name_plural = "台账头"

    def __str__(self) -> str:
        return f"#{self.seq}"


class Checkpoint(models.Model):
    """A signed statement of the ledger's size and Merkle root (RFC 6962 hashing)."""

    tree_size = models.BigIntegerField("台账条数", unique=True)
    root_hash = models.CharField("默克尔根", max_length=64)
    signed_at = models.DateTimeField("签署时间")
    key_id = models.CharField("公钥指纹", max_length=64)
    signature = models.CharField("签名（Base64）", max_length=128)

    class Meta:
        verbose_name = "签名检查点"
        verbose_name_plural = "签名检查点"
        ordering = ["tree_size"]

    def __str__(self) -> str:
        return f"检查点 {self.tree_size}"


class StoredFile(models.Model):
    """A stored file, named by its SHA-256: the same content is stored once."""

    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    size = models.BigIntegerField("字节数")
    media_type = models.CharField("文件类型", max_length=128)
    stored_at = models.DateTimeField("入库时间")
    stored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="入库人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    backend = models.CharField("存储后端", max_length=32)

    class Meta:
        verbose_name = "存储文件"
        verbose_name_plural = "存储文件"

    def __str__(self) -> str:
        return self.sha256


class UploadSession(models.Model):
    """A resumable upload: chunks are appended at `received` until the declared size is
    reached, then the digest is checked and the file enters the store."""

    class Status(models.TextChoices):
        OPEN = "open", "上传中"
        COMPLETE = "complete", "已完成"
        FAILED = "failed", "校验失败"
        ABANDONED = "abandoned", "已放弃"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    filename = models.CharField("原文件名", max_length=255)
    declared_sha256 = models.CharField("声明的SHA-256", max_length=64)
    declared_size = models.BigIntegerField("声明的字节数")
    media_type = models.CharField("声明的文件类型", max_length=128)
    received = models.BigIntegerField("已接收字节数", default=0)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN)
    failure = models.CharField("失败原因", max_length=255, blank=True)
    stored_file = models.ForeignKey(
        StoredFile,
        verbose_name="入库文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "上传会话"
        verbose_name_plural = "上传会话"
        indexes = [models.Index(fields=["created_by", "status"])]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"
