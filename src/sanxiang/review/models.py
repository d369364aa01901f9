"""Legal review as stored.

- ``ReviewCatalogue``: one rule of an agency's 重大执法决定法制审核目录清单 (000 法制审核办法
  第十四条, 001 河南法制审核办法 第七条, 002 第五十一条): a case of an action type (and
  optionally a matter, a party kind) needs review when its amount reaches a threshold, it was
  decided after a hearing, or it revokes a licence. Rules are withdrawn, never deleted.
- ``ReviewFlag``: a general criterion (001 河南法制审核办法 第六条, 002 第五十一条) an officer
  sets on a case, with the reason.
- ``LegalReview``: one submission round — the package, the reviewer, the deadline and
  extension, the outcome and the written opinion (法制审核意见书). Every round is kept.
- ``ChecklistItem``: a finding and note on each point of the checklist (000 法制审核办法
  第十六条, 001 河南法制审核办法 第九条).
- ``MaterialRequest``: the reviewer asks for materials or explanations (001 河南法制审核办法
  第十条).
- ``ConflictDeclaration``: a reviewer declares a conflict on a case (002 第四十九条).
- ``ExtensionRequest``: one extension, with the head's approval (000 法制审核办法 第十九条).
- ``Dispute`` and ``CollectiveDiscussion``: the handling unit disputes an opinion; unresolved,
  the agency heads discuss it collectively (000 法制审核办法 第十八条).

Writes go through ``sanxiang.review.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from sanxiang.cases.models import ACTION_TYPE_CHOICES, Case, Evidence, Party, Record
from sanxiang.catalog.models import PowerItem
from sanxiang.org.models import Agency


class ReviewCatalogue(models.Model):
    """One rule of an agency's review catalogue. All conditions set must hold."""

    class AmountKind(models.TextChoices):
        FINE = "fine", "罚款数额"
        SEIZED_VALUE = "seized_value", "查封、扣押财物价值"
        PAYMENT = "payment", "给付、奖励金额"

    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="review_catalogue"
    )
    title = models.CharField("事项", max_length=255)
    action_type = models.CharField("执法行为类别", max_length=16, choices=ACTION_TYPE_CHOICES)
    matter = models.ForeignKey(
        PowerItem,
        verbose_name="所属领域（权责清单事项）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="留空则适用于该类别的全部事项。",
    )
    level = models.CharField("执法层级", max_length=64, blank=True)
    amount_kind = models.CharField(
        "金额类别", max_length=16, choices=AmountKind.choices, blank=True
    )
    amount_at_least = models.DecimalField(
        "金额标准（元，达到即须审核）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    party_kind = models.CharField(
        "当事人类型", max_length=20, choices=Party.Kind.choices, blank=True
    )
    after_hearing = models.BooleanField("经过听证程序作出的", default=False)
    licence_revocation = models.BooleanField("撤回、撤销行政许可的", default=False)
    source = models.CharField(
        "依据",
        max_length=255,
        help_text="引用形式“文件号 [办法简称 ]第N条”，如“000 法制审核办法 第九条”。",
    )
    guidance = models.CharField("上级机关指导意见", max_length=255, blank=True)
    published_on = models.DateField("公布日期")
    withdrawn_on = models.DateField("撤销日期", null=True, blank=True)
    withdrawal_reason = models.CharField("撤销原因", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制定人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "重大执法决定法制审核目录清单"
        verbose_name_plural = "重大执法决定法制审核目录清单"
        ordering = ["agency", "action_type", "id"]
        indexes = [models.Index(fields=["agency", "action_type"], name="review_catalogue_agency")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_at_least__isnull=True) | ~Q(amount_kind=""),
                name="review_catalogue_amount_has_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def conditions(self) -> str:
        """The rule's thresholds in words (shown where the catalogue is published)."""
        parts = [dict(ACTION_TYPE_CHOICES).get(self.action_type, self.action_type)]
        if self.matter_id and self.matter is not None:
            parts.append(f"事项“{self.matter.name}”")
        if self.level:
            parts.append(f"层级：{self.level}")
        if self.party_kind:
            parts.append(f"当事人为{self.get_party_kind_display()}")
        if self.amount_at_least is not None:
            parts.append(f"{self.get_amount_kind_display()}达到{self.amount_at_least:,.2f}元")
        if self.after_hearing:
            parts.append("经过听证程序作出")
        if self.licence_revocation:
            parts.append("撤回、撤销行政许可")
        return "，".join(parts)


class Criterion(models.TextChoices):
    """The general criteria (001 河南法制审核办法 第六条; 002 第五十一条)."""

    PUBLIC_INTEREST = "public_interest", "涉及重大公共利益的"
    SOCIAL_IMPACT = "social_impact", "可能造成重大社会影响或者引发社会风险的"
    MAJOR_RIGHTS = "major_rights", "直接关系行政相对人或者第三人重大权益的"
    AFTER_HEARING = "after_hearing", "经过听证程序作出行政执法决定的"
    COMPLEX = "complex", "案件情况疑难复杂、涉及多个法律关系的"
    OTHER = "other", "其他依法应当进行法制审核的"


class ReviewFlag(models.Model):
    """A general criterion an officer says the case meets, with the reason."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="review_flags"
    )
    criterion = models.CharField("情形", max_length=20, choices=Criterion.choices)
    reason = models.TextField("理由")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="设定人", on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField("设定时间", auto_now_add=True)

    class Meta:
        verbose_name = "法制审核情形"
        verbose_name_plural = "法制审核情形"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "criterion"], name="review_flag_once"),
        ]

    def __str__(self) -> str:
        return self.get_criterion_display()


class LegalReview(models.Model):
    """One submission round of a case to the legal unit, and its outcome."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "已送审，待分配"
        IN_REVIEW = "in_review", "审核中"
        PASSED = "passed", "审核通过"
        FAILED = "failed", "不予审核通过"

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="legal_reviews"
    )
    round = models.PositiveSmallIntegerField("送审轮次")
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    requirement = models.TextField("须审核的依据", blank=True)
    # the package (001 河南法制审核办法 第八条)
    proposed_decision = models.TextField("拟作出的行政执法决定")
    proposed_amount = models.DecimalField(
        "拟决定金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    proposed_basis = models.TextField("拟决定的法律依据")
    decision_record = models.ForeignKey(
        Record,
        verbose_name="决定书（草稿）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    report = models.ForeignKey(
        Record, verbose_name="调查（审查）终结报告", on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.ManyToManyField(Evidence, verbose_name="证据材料", related_name="+")
    appraisals = models.ManyToManyField(
        Record, verbose_name="鉴定、评估报告", blank=True, related_name="+"
    )
    notes = models.TextField("其他材料说明", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="送审人", on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField("法制机构收到日期")
    due_on = models.DateField("审核期限", null=True, blank=True)
    extended = models.BooleanField("已延长", default=False)
    # assignment
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_reviews",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="分配人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField("分配时间", null=True, blank=True)
    # outcome and the written opinion (法制审核意见书)
    decided_on = models.DateField("审核完毕日期", null=True, blank=True)
    reasons = models.TextField("理由和建议", blank=True)
    opinion_number = models.CharField("意见书编号", max_length=64, blank=True)
    created_at = models.DateTimeField("送审时间", auto_now_add=True)

    class Meta:
        verbose_name = "法制审核"
        verbose_name_plural = "法制审核"
        ordering = ["case", "round"]
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="legal_review_round_unique"),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="legal_review_due"),
            models.Index(fields=["reviewer", "status"], name="legal_review_reviewer"),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} 第{self.round}轮法制审核"

    @property
    def decided(self) -> bool:
        return self.status in (self.Status.PASSED, self.Status.FAILED)


class ChecklistItem(models.Model):
    """One point of the checklist, with the reviewer's finding and note."""

    class Item(models.TextChoices):
        SUBJECT = "subject", "行政执法主体是否合法，行政执法人员是否具备执法资格"
        PROCEDURE = "procedure", "行政执法程序是否合法"
        FACTS = "facts", "事实是否清楚，证据是否合法充分"
        LAW = "law", "适用法律、法规、规章是否准确，裁量基准运用是否适当"
        AUTHORITY = "authority", "是否超越法定权限"
        DOCUMENTS = "documents", "行政执法文书是否规范、完备"
        CRIME = "crime", "违法行为是否涉嫌犯罪、需要移送司法机关"
        OTHER = "other", "其他应当审核的内容"
        LEGAL_RISK = "legal_risk", "执法的法律风险评估情况"

    class Finding(models.TextChoices):
        CONFORMS = "conforms", "符合"
        FAILS = "fails", "存在问题"
        NOT_APPLICABLE = "na", "不涉及"

    review = models.ForeignKey(
        LegalReview, verbose_name="法制审核", on_delete=models.PROTECT, related_name="items"
    )
    item = models.CharField("审核内容", max_length=16, choices=Item.choices)
    finding = models.CharField("审核结论", max_length=12, choices=Finding.choices)
    note = models.TextField("说明", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人员",
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField("记录时间", auto_now=True)

    class Meta:
        verbose_name = "法制审核内容"
        verbose_name_plural = "法制审核内容"
        ordering = ["review", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="checklist_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()}：{self.get_finding_display()}"


class MaterialRequest(models.Model):
    """The reviewer asks for materials or explanations (001 河南法制审核办法 第十条)."""

    class Measure(models.TextChoices):
        MATERIALS = "materials", "查阅、复制、调取有关材料"
        EXPLANATION = "explanation", "要求承办机构及其执法人员说明有关情况"
        MEETING = "meeting", "组织召开座谈会、专家论证会"

    review = models.ForeignKey(
        LegalReview, verbose_name="法制审核", on_delete=models.PROTECT, related_name="requests"
    )
    measure = models.CharField("措施", max_length=12, choices=Measure.choices)
    request = models.TextField("需要的材料或说明")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField("提出日期")
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_on = models.DateField("答复日期", null=True, blank=True)

    class Meta:
        verbose_name = "补充材料或说明"
        verbose_name_plural = "补充材料或说明"
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return self.get_measure_display()


class ConflictDeclaration(models.Model):
    """A reviewer declares a conflict of interest on a case and stands aside (002 第四十九条)."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="review_conflicts"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人员",
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField("回避理由")
    declared_at = models.DateTimeField("申报时间", auto_now_add=True)

    class Meta:
        verbose_name = "法制审核回避"
        verbose_name_plural = "法制审核回避"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "reviewer"], name="review_conflict_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} 回避"


class ExtensionRequest(models.Model):
    """A request to extend the review period, and the agency head's approval."""

    review = models.ForeignKey(
        LegalReview, verbose_name="法制审核", on_delete=models.PROTECT, related_name="extensions"
    )
    reason = models.TextField("延长理由（案件复杂的情况）")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField("申请日期")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准人（机关负责人）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_on = models.DateField("批准日期", null=True, blank=True)
    new_due_on = models.DateField("延长后期限", null=True, blank=True)

    class Meta:
        verbose_name = "法制审核延长"
        verbose_name_plural = "法制审核延长"
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return f"{self.review} 延长"


class Dispute(models.Model):
    """The handling unit disagrees with an opinion (000 法制审核办法 第十八条)."""

    class Status(models.TextChoices):
        OPEN = "open", "协商中"
        SETTLED = "settled", "经沟通达成一致"
        REFERRED = "referred", "提请集体讨论"
        DECIDED = "decided", "已集体讨论决定"

    review = models.ForeignKey(
        LegalReview, verbose_name="法制审核", on_delete=models.PROTECT, related_name="disputes"
    )
    grounds = models.TextField("异议理由")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    raised_on = models.DateField("提出日期")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.OPEN)
    consultation = models.TextField("协商沟通情况", blank=True)

    class Meta:
        verbose_name = "审核意见异议"
        verbose_name_plural = "审核意见异议"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.review} 异议"


class CollectiveDiscussion(models.Model):
    """The agency heads' collective discussion of an unresolved dispute."""

    class Conclusion(models.TextChoices):
        RESUBMIT = "resubmit", "维持审核意见，承办机构研究处理后重新报送审核"
        RE_REVIEW = "re_review", "采纳承办机构意见，由法制机构重新审核"

    dispute = models.OneToOneField(
        Dispute, verbose_name="异议", on_delete=models.PROTECT, related_name="discussion"
    )
    held_on = models.DateField("讨论日期")
    place = models.CharField("地点", max_length=128)
    participants = models.TextField("参加人员")
    views = models.TextField("讨论情况（各方意见）")
    conclusion = models.CharField("讨论决定", max_length=12, choices=Conclusion.choices)
    conclusion_text = models.TextField("决定内容")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "负责人集体讨论"
        verbose_name_plural = "负责人集体讨论"

    def __str__(self) -> str:
        return f"{self.dispute} 集体讨论"
