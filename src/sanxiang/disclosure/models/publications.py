"""Publications (公示), their versions and confidentiality reviews (保密审查).

A ``Publication`` is the duty to publish one enforcement decision (or inspection result)
after it is made (事后公开, 000 公示办法 第十六条、第二十条; 002 第十八条): its due date comes
from the agency's profile; it moves awaiting review → approved → published, and, when the
decision is revoked, confirmed unlawful or to be remade, to withdrawal due → withdrawn
(000 公示办法 第二十一条).

Nothing is published without a ``ConfidentialityReview`` (000 公示办法 第五条): the
publisher sees the redacted draft with every detection, adjusts it and approves it. Each
publication or correction is a ``PublicationVersion`` — append-only, protected by database
triggers (migration 0002) like the project's other immutable tables; a correction is a new
version, the old one stays visible as history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sanxiang.cases.models import ACTION_TYPE_CHOICES, Case, Record
from sanxiang.org.models import Agency

__all__ = [
    "OPEN_STATUSES",
    "PUBLIC_STATUSES",
    "ConfidentialityReview",
    "Publication",
    "PublicationVersion",
]


class Publication(models.Model):
    """The publication of one decision or inspection result (事后公开)."""

    class Kind(models.TextChoices):
        DECISION = "decision", "执法决定"
        INSPECTION_RESULT = "inspection_result", "检查结果"

    class Status(models.TextChoices):
        AWAITING_REVIEW = "awaiting_review", "待保密审查"
        APPROVED = "approved", "已审查待公开"
        PUBLISHED = "published", "已公开"
        CORRECTION_DUE = "correction_due", "待更正"
        WITHDRAWAL_DUE = "withdrawal_due", "待撤下"
        WITHDRAWN = "withdrawn", "已撤下"

    class RevocationKind(models.TextChoices):
        REVOKED = "revoked", "被依法撤销"
        UNLAWFUL = "unlawful", "被确认违法"
        REMADE = "remade", "被要求重新作出"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="publications"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="publications"
    )
    action_type = models.CharField("执法行为类别", max_length=16, choices=ACTION_TYPE_CHOICES)
    kind = models.CharField("公开内容", max_length=20, choices=Kind.choices)
    source_record = models.OneToOneField(
        Record,
        verbose_name="决定文书（检查结果）",
        on_delete=models.PROTECT,
        related_name="publication",
    )
    document_number = models.CharField("文书号", max_length=64, blank=True)
    decided_on = models.DateField("决定日期")
    # None when the working-day calendar does not cover the period (日历未覆盖): never guessed.
    due_on = models.DateField("公开期限", null=True, blank=True)
    due_rule = models.CharField("期限依据", max_length=128, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.AWAITING_REVIEW
    )
    # The date the publisher's next step is due (publish, correct or withdraw), for the queue.
    next_due_on = models.DateField("待办期限", null=True, blank=True)
    published_at = models.DateTimeField("首次公开时间", null=True, blank=True)
    current_version = models.OneToOneField(
        "PublicationVersion",
        verbose_name="现行公开版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 000 公示办法 第二十一条: revoked, confirmed unlawful or to be remade → withdraw.
    revocation_kind = models.CharField(
        "撤下原因", max_length=12, choices=RevocationKind.choices, blank=True
    )
    revoked_on = models.DateField("知悉决定被撤销等之日", null=True, blank=True)
    revocation_note = models.TextField("撤下情况说明", blank=True)
    withdrawal_due_on = models.DateField("撤下期限", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤下时间", null=True, blank=True)
    # 000 公示办法 第二十一条: an inaccurate publication is corrected within the period.
    correction_found_on = models.DateField("发现信息不准确之日", null=True, blank=True)
    correction_due_on = models.DateField("更正期限", null=True, blank=True)
    correction_reason = models.TextField("更正理由", blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "执法决定公示"
        verbose_name_plural = "执法决定公示"
        ordering = ["due_on", "id"]
        indexes = [
            # the publisher's queue: an agency's open publications, soonest due first
            models.Index(fields=["agency", "status", "next_due_on"], name="publication_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.document_number or self.case.number}（{self.get_status_display()}）"

    @property
    def is_public(self) -> bool:
        """Listed on the portal: published, or published and awaiting withdrawal."""
        return self.status in PUBLIC_STATUSES

    @property
    def withdrawal_notice(self) -> str:
        """What the portal shows in place of a withdrawn decision (000 公示办法 第二十一条)."""
        if self.status != self.Status.WITHDRAWN or self.withdrawn_at is None:
            return ""
        from django.utils import timezone

        when = timezone.localtime(self.withdrawn_at)
        reason = self.get_revocation_kind_display()
        note = f"（{self.revocation_note}）" if self.revocation_note else ""
        return f"本执法决定信息已于{when:%Y年%m月%d日}撤下，原因：执法决定{reason}{note}。"


PUBLIC_STATUSES = frozenset(
    {
        Publication.Status.PUBLISHED,
        Publication.Status.CORRECTION_DUE,
        Publication.Status.WITHDRAWAL_DUE,
    }
)
# The publisher still has something to do.
OPEN_STATUSES = frozenset(
    {
        Publication.Status.AWAITING_REVIEW,
        Publication.Status.APPROVED,
        Publication.Status.CORRECTION_DUE,
        Publication.Status.WITHDRAWAL_DUE,
    }
)


class ConfidentialityReview(models.Model):
    """保密审查 of one draft (000 公示办法 第五条): the detections shown, the publisher's
    adjustments, the final redacted text, approval."""

    class Purpose(models.TextChoices):
        INITIAL = "initial", "首次公开"
        CORRECTION = "correction", "更正"

    class Status(models.TextChoices):
        OPEN = "open", "审查中"
        APPROVED = "approved", "审查通过"
        SUPERSEDED = "superseded", "已被新草稿取代"

    publication = models.ForeignKey(
        Publication, verbose_name="公示", on_delete=models.PROTECT, related_name="reviews"
    )
    purpose = models.CharField(
        "用途", max_length=12, choices=Purpose.choices, default=Purpose.INITIAL
    )
    reason = models.TextField("更正理由", blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.OPEN)
    # Staff only: the unredacted decision information and full text the draft came from.
    original_fields = models.JSONField("原始决定信息", default=dict)
    original_text = models.TextField("原始全文")
    # What the redaction found (list of span dicts), before the publisher's adjustments.
    detected_spans = models.JSONField("自动识别的隐去内容", default=list)
    # The spans in force now (after adjustments) and what the publisher changed.
    spans = models.JSONField("审查后的隐去内容", default=list)
    adjustments = models.JSONField("审查调整记录", default=list)
    fields = models.JSONField("公开的决定信息（已隐去）", default=dict)
    final_text = models.TextField("公开全文（已隐去）")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="草稿生成人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("草稿生成时间", auto_now_add=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审查时间", null=True, blank=True)
    approved_at = models.DateTimeField("审查通过时间", null=True, blank=True)

    class Meta:
        verbose_name = "保密审查"
        verbose_name_plural = "保密审查"
        ordering = ["id"]
        indexes = [
            models.Index(fields=["publication", "status"], name="confidentiality_review_open")
        ]

    def __str__(self) -> str:
        return f"保密审查 #{self.pk}（{self.get_status_display()}）"


class PublicationVersion(models.Model):
    """One published text of a publication (append-only): version 1, then each correction."""

    publication = models.ForeignKey(
        Publication, verbose_name="公示", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    # 000 公示办法 第十六条: 执法主体、执法人员、行政相对人、执法类别、事实、依据、决定、救济途径
    fields = models.JSONField("决定信息（已隐去）", default=dict)
    full_text = models.TextField("决定文书全文（已隐去）")
    spans = models.JSONField("隐去内容", default=list)
    review = models.OneToOneField(
        ConfidentialityReview,
        verbose_name="保密审查",
        on_delete=models.PROTECT,
        related_name="version",
    )
    reason = models.TextField("更正理由", blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="公开人", on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField("公开时间")

    class Meta:
        verbose_name = "公示版本"
        verbose_name_plural = "公示版本"
        ordering = ["publication", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "number"], name="publication_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"第{self.number}版"
