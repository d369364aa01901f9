"""The push of published decisions to the unified disclosure platform in the province's
standard format (000 公示办法 第十八条, 001 河南公示办法 第十九条): one row per published
version or withdrawal, with its delivery state, so that every record's status is known and
a failure is retried."""

from __future__ import annotations

from django.db import models

from .publications import Publication, PublicationVersion

__all__ = ["PushRecord"]


class PushRecord(models.Model):
    class Operation(models.TextChoices):
        PUBLISH = "publish", "公开（含更正后的新版本）"
        WITHDRAW = "withdraw", "撤下"

    class Status(models.TextChoices):
        PENDING = "pending", "待推送"
        SENT = "sent", "已推送"
        FAILED = "failed", "推送失败，待重试"

    publication = models.ForeignKey(
        Publication, verbose_name="公示", on_delete=models.PROTECT, related_name="pushes"
    )
    version = models.ForeignKey(
        PublicationVersion, verbose_name="公示版本", on_delete=models.PROTECT, related_name="+"
    )
    operation = models.CharField("推送内容", max_length=10, choices=Operation.choices)
    status = models.CharField(
        "推送状态", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次推送时间")
    last_error = models.CharField("最近一次失败原因", max_length=500, blank=True)
    sent_at = models.DateTimeField("推送成功时间", null=True, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "省级平台推送记录"
        verbose_name_plural = "省级平台推送记录"
        constraints = [
            models.UniqueConstraint(
                fields=["version", "operation"], name="push_record_once_per_version"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="push_record_due"),
            models.Index(fields=["publication", "status"], name="push_record_publication"),
        ]

    def __str__(self) -> str:
        return f"{self.publication} {self.get_operation_display()}（{self.get_status_display()}）"
