"""API access tokens for other systems (the provincial platform, a mobile app).

Only the SHA-256 of a key is stored; the raw key is shown once, when it is issued. A token
is never deleted: it is revoked, with who revoked it and when, so that past calls still
point at the credential they used.
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import models


def hash_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="所属用户",
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    name = models.CharField("名称/用途", max_length=100)
    prefix = models.CharField(
        "令牌前缀", max_length=PREFIX_LENGTH, db_index=True, help_text="令牌的前8位，用于识别。"
    )
    key_hash = models.CharField("令牌摘要（SHA-256）", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    expires_at = models.DateTimeField("到期时间", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="吊销人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    def is_expired(self, at: datetime.datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= at

    def state(self, at: datetime.datetime) -> str:
        if self.revoked_at is not None:
            return "已吊销"
        if self.is_expired(at):
            return "已过期"
        return "有效"
