"""Confidentiality marks on a case's records, evidence and AV recordings, and the look-up
and copy requests (调阅、复制) that give time-limited access to them.

- ``ConfidentialityMark`` is append-only (database triggers, migration 0002): the current
  mark of an item is its latest entry; a lift is an entry too. Signed records never change,
  so the mark cannot be a field on them (cases.triggers).
  Levels: 国家秘密、商业秘密、个人隐私 (001 河南全过程记录办法 第二十五条; 000 全过程记录办法
  第二十九条) and 依法不予公开 (002 第四十四条).
- ``AccessRequest`` names the items and the reason; an agency head approves it for a
  number of days or refuses it (001 河南全过程记录办法 第二十四条), and may revoke it early.
  Every step is a service writing the ledger; the row keeps the current state only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sanxiang.cases.models import Case


class TargetKind(models.TextChoices):
    RECORD = "record", "文书记录"
    EVIDENCE = "evidence", "证据"
    AV = "av", "音像记录"


class Level(models.TextChoices):
    STATE_SECRET = "state_secret", "国家秘密"
    COMMERCIAL_SECRET = "commercial_secret", "商业秘密"
    PRIVACY = "privacy", "个人隐私"
    NOT_DISCLOSED = "not_disclosed", "依法不予公开"
    LIFTED = "lifted", "已解除标识"


class ConfidentialityMark(models.Model):
    """One entry in an item's mark history (append-only). The latest entry is in force."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="confidentiality_marks"
    )
    target_kind = models.CharField("对象类型", max_length=12, choices=TargetKind.choices)
    target_id = models.PositiveBigIntegerField("对象标识")
    level = models.CharField("保密标识", max_length=20, choices=Level.choices)
    reason = models.TextField("理由")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="标注人", on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField("标注时间", auto_now_add=True)

    class Meta:
        verbose_name = "保密标识"
        verbose_name_plural = "保密标识"
        ordering = ["id"]
        indexes = [
            # the latest entry of one item
            models.Index(fields=["target_kind", "target_id", "-id"], name="mark_target_latest"),
            # every mark of a case (the case page)
            models.Index(fields=["case", "id"], name="mark_case"),
        ]

    def __str__(self) -> str:
        return f"{self.get_target_kind_display()} {self.target_id}：{self.get_level_display()}"

    @property
    def in_force(self) -> bool:
        return self.level != Level.LIFTED


class AccessRequest(models.Model):
    """调阅、复制申请 (001 河南全过程记录办法 第二十四条)."""

    class Purpose(models.TextChoices):
        VIEW = "view", "调阅"
        COPY = "copy", "复制"

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "不予批准"
        REVOKED = "revoked", "已撤销"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="access_requests"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人（账号）",
        on_delete=models.PROTECT,
        related_name="access_requests",
    )
    # The person or body the copy is for: the requester themself, or an outside requester
    # (e.g. a court) a records custodian registers the request for. Goes on the watermark.
    requester_name = models.CharField("申请人（单位或个人）", max_length=128)
    on_behalf = models.BooleanField("档案管理员代为登记", default=False)
    purpose = models.CharField("申请事项", max_length=8, choices=Purpose.choices)
    reason = models.TextField("申请理由")
    requested_days = models.PositiveSmallIntegerField("申请期限（天）")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)
    valid_from = models.DateTimeField("许可起始", null=True, blank=True)
    valid_until = models.DateTimeField("许可截止", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoke_reason = models.TextField("撤销理由", blank=True)

    class Meta:
        verbose_name = "调阅、复制申请"
        verbose_name_plural = "调阅、复制申请"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["requester", "status", "-id"], name="access_req_requester"),
            models.Index(fields=["case", "status", "-id"], name="access_req_case"),
            models.Index(fields=["status", "-id"], name="access_req_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_purpose_display()}"

    @property
    def number(self) -> str:
        return f"DY{self.pk:06d}" if self.pk else "DY（未保存）"


class AccessRequestItem(models.Model):
    """One record, evidence item or AV recording a request names."""

    request = models.ForeignKey(
        AccessRequest, verbose_name="申请", on_delete=models.PROTECT, related_name="items"
    )
    target_kind = models.CharField("对象类型", max_length=12, choices=TargetKind.choices)
    target_id = models.PositiveBigIntegerField("对象标识")

    class Meta:
        verbose_name = "申请调阅的材料"
        verbose_name_plural = "申请调阅的材料"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "target_kind", "target_id"], name="access_item_once"
            ),
        ]
        indexes = [models.Index(fields=["target_kind", "target_id"], name="access_item_target")]

    def __str__(self) -> str:
        return f"{self.get_target_kind_display()} {self.target_id}"
