"""What the public asks of an agency through the portal and follows by number and code:
the progress of an application (办理进度查询, 000 公示办法 第十五条) and a request to correct
published information (更正申请, 002 第二十一条).

Codes are never stored, only their keyed digest (HMAC-SHA256 with the site's secret), so a
copy of the database does not let anyone read an applicant's case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sanxiang.cases.models import Case
from sanxiang.org.models import Agency
from sanxiang.records.models import StoredFile

__all__ = ["CorrectionEvidence", "CorrectionRequest", "ProgressCode"]


class ProgressCode(models.Model):
    """The query code handed to an applicant with the case number. A reissue revokes the
    previous code (a new row; the old one keeps its history)."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="progress_codes"
    )
    code_digest = models.CharField("查询码摘要", max_length=64)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发放人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField("发放时间")
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = "办理进度查询码"
        verbose_name_plural = "办理进度查询码"
        indexes = [models.Index(fields=["case", "revoked_at"], name="progress_code_case")]

    def __str__(self) -> str:
        return f"{self.case} 查询码"


class CorrectionRequest(models.Model):
    """更正申请: a citizen or organisation shows that published information about them is
    inaccurate; the agency answers in writing (002 第二十一条)."""

    class Status(models.TextChoices):
        RECEIVED = "received", "已受理，待答复"
        ANSWERED = "answered", "已书面答复"

    class Outcome(models.TextChoices):
        CORRECTED = "corrected", "信息不准确，已予更正"
        NOT_CORRECTED = "not_corrected", "经核实信息准确，不予更正"
        EXPLAINED = "explained", "已作说明或者解释"

    class RequesterKind(models.TextChoices):
        NATURAL_PERSON = "natural_person", "公民"
        LEGAL_PERSON = "legal_person", "法人"
        OTHER = "other", "其他组织"

    number = models.CharField("申请编号", max_length=32, unique=True)
    code_digest = models.CharField("查询码摘要", max_length=64)
    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    information = models.CharField("所涉公示信息", max_length=500)
    inaccuracy = models.TextField("不准确之处")
    requested_correction = models.TextField("请求更正的内容")
    requester_kind = models.CharField("申请人类型", max_length=20, choices=RequesterKind.choices)
    requester_name = models.CharField("申请人姓名或名称", max_length=128)
    contact_phone = models.CharField("联系电话", max_length=32, blank=True)
    contact_email = models.EmailField("电子邮箱", blank=True)
    contact_address = models.CharField("通讯地址", max_length=255, blank=True)
    submitted_at = models.DateTimeField("提交时间")
    reply_due_on = models.DateField("答复期限", null=True, blank=True)
    reply_due_note = models.CharField("期限说明", max_length=255, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    outcome = models.CharField("答复结果", max_length=16, choices=Outcome.choices, blank=True)
    reply_text = models.TextField("答复内容", blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "执法信息更正申请"
        verbose_name_plural = "执法信息更正申请"
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "reply_due_on"], name="correction_queue"),
        ]

    def __str__(self) -> str:
        return self.number


class CorrectionEvidence(models.Model):
    """A file the requester gave as proof (证明材料)."""

    request = models.ForeignKey(
        CorrectionRequest,
        verbose_name="更正申请",
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    stored_file = models.ForeignKey(
        StoredFile, verbose_name="文件", on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField("文件名", max_length=255)

    class Meta:
        verbose_name = "更正申请证明材料"
        verbose_name_plural = "更正申请证明材料"

    def __str__(self) -> str:
        return self.filename
