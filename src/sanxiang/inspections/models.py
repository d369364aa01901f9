"""双随机、一公开 as stored: 随机抽取检查对象、随机选派执法检查人员 (002 第十三条), and the
publication of the results (000 公示办法 第十六条; 001 河南公示办法 第十七条; 002 第十八条).

- ``InspectionTarget``: 检查对象名录库 — the market entities and organisations (and, where a
  matter covers them, natural persons) an agency may inspect. A natural person's ID number is
  never published (000 公示办法 第十七条; 001 河南公示办法 第十八条).
- ``InspectorExclusion``: an officer taken out of the 执法检查人员名录库 (with a reason). The
  registry itself is not a table: it is the agency's officers holding a certificate valid on
  the draw date (000 公示办法 第十四条; 002 第十七条), less the exclusions.
- ``InspectorConflict``: a declared conflict (回避) between an officer and a target.
- ``RandomInspection``: a planned random inspection of one 随机抽查事项 (000 公示办法 第十条;
  001 河南公示办法 第十一条; 002 第十三条): which targets, what ratio, how many inspectors each.
- ``Draw``: one draw — the seed and the candidate lists fixed (and written to the ledger)
  before the draw, then the result. See ``sanxiang.inspections.algorithm``.
- ``DrawResult`` / ``DrawInspector``: the targets drawn and the inspectors paired with each.
  Append-only (database triggers, migration 0002).
- ``InspectionTask``: the inspection case opened for a drawn target.

Writes go through ``sanxiang.inspections.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from sanxiang.cases.models import Case
from sanxiang.catalog.models import RandomInspectionItem
from sanxiang.org.models import Agency, Officer

# At least two enforcement officers carry out an inspection (《中华人民共和国行政处罚法》第四十二条:
# 执法人员不得少于两人; 《中华人民共和国行政强制法》第十八条). The plan may ask for more.
MIN_INSPECTORS = 2
MIN_INSPECTORS_RULE = "《中华人民共和国行政处罚法》第四十二条"
DRAW_RULE = "002 第十三条"
LIST_RULE = "000 公示办法 第十条；001 河南公示办法 第十一条；002 第十三条"
RESULT_RULE = "000 公示办法 第十六条；001 河南公示办法 第十七条；002 第十八条"
REDACTION_RULE = "000 公示办法 第十七条；001 河南公示办法 第十八条"


class InspectionTarget(models.Model):
    """检查对象: one entry of an agency's 检查对象名录库."""

    class Kind(models.TextChoices):
        LEGAL_PERSON = "legal_person", "法人"
        OTHER = "other_organisation", "其他组织"
        INDIVIDUAL_BUSINESS = "individual_business", "个体工商户"
        NATURAL_PERSON = "natural_person", "自然人"

    ORGANISATION_KINDS = frozenset({Kind.LEGAL_PERSON, Kind.OTHER, Kind.INDIVIDUAL_BUSINESS})

    agency = models.ForeignKey(
        Agency, verbose_name="名录库所属执法主体", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("对象类型", max_length=24, choices=Kind.choices)
    name = models.CharField("名称或姓名", max_length=128)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    id_number = models.CharField("身份证号码（不公开）", max_length=18, blank=True)
    representative = models.CharField("法定代表人（负责人）", max_length=32, blank=True)
    address = models.CharField("地址", max_length=255, blank=True)
    category = models.CharField(
        "行业类别",
        max_length=64,
        help_text="与抽查计划的“检查对象行业类别”相同的对象才会进入待抽取名单。",
    )
    is_active = models.BooleanField("在库", default=True)
    status_reason = models.CharField("出库/入库原因", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "检查对象"
        verbose_name_plural = "检查对象名录库"
        ordering = ["agency", "id"]
        indexes = [
            models.Index(fields=["agency", "category", "is_active", "id"], name="target_pool"),
            models.Index(fields=["agency", "name"], name="target_name"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "uscc"],
                condition=~Q(uscc=""),
                name="target_uscc_once_per_agency",
            ),
            models.UniqueConstraint(
                fields=["agency", "id_number"],
                condition=~Q(id_number=""),
                name="target_person_once_per_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_organisation(self) -> bool:
        return self.kind != self.Kind.NATURAL_PERSON

    @property
    def public_name(self) -> str:
        """What the portal shows: an organisation's name; a person's surname only
        (000 公示办法 第十七条; 001 河南公示办法 第十八条)."""
        if self.is_organisation:
            return self.name
        return (self.name[:1] + "某") if self.name else "某"


class InspectorExclusion(models.Model):
    """An officer kept out of the 执法检查人员名录库 from a day (and back from another)."""

    officer = models.ForeignKey(
        Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("排除原因", max_length=255)
    excluded_from = models.DateField("排除起始日期")
    lifted_on = models.DateField("恢复日期", null=True, blank=True)
    lifted_reason = models.CharField("恢复原因", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "检查人员排除"
        verbose_name_plural = "检查人员排除"
        ordering = ["-excluded_from", "-id"]
        indexes = [models.Index(fields=["officer", "excluded_from"], name="inspector_exclusion")]

    def __str__(self) -> str:
        return f"{self.officer}：{self.reason}"


class InspectorConflict(models.Model):
    """回避: an officer who must not inspect a target (relatives, interests, former work…)."""

    officer = models.ForeignKey(
        Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="+"
    )
    target = models.ForeignKey(
        InspectionTarget,
        verbose_name="检查对象",
        on_delete=models.PROTECT,
        related_name="conflicts",
    )
    reason = models.CharField("回避原因", max_length=255)
    declared_on = models.DateField("登记日期")
    withdrawn_on = models.DateField("撤销日期", null=True, blank=True)
    withdrawn_reason = models.CharField("撤销原因", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "回避关系"
        verbose_name_plural = "回避关系"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "target"],
                condition=Q(withdrawn_on__isnull=True),
                name="conflict_once_while_in_force",
            ),
        ]
        indexes = [models.Index(fields=["target", "officer"], name="conflict_by_target")]

    def __str__(self) -> str:
        return f"{self.officer} ↔ {self.target}"


class RandomInspection(models.Model):
    """抽查计划: one random inspection of a 随机抽查事项 in a period."""

    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    matter = models.ForeignKey(
        RandomInspectionItem,
        verbose_name="随机抽查事项",
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField("抽查任务名称", max_length=255)
    period_start = models.DateField("抽查期间起")
    period_end = models.DateField("抽查期间止")
    target_category = models.CharField(
        "检查对象行业类别",
        max_length=64,
        help_text="名录库中该行业类别的在库对象进入待抽取名单。",
    )
    ratio = models.DecimalField("抽查比例（%）", max_digits=5, decimal_places=2)
    ratio_reason = models.CharField("提高抽查比例的理由", max_length=255, blank=True)
    inspectors_per_target = models.PositiveSmallIntegerField(
        "每个对象选派检查人员数",
        default=MIN_INSPECTORS,
        validators=[MinValueValidator(MIN_INSPECTORS, "每个检查对象至少选派2名执法人员。")],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制定人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("制定时间", auto_now_add=True)

    class Meta:
        verbose_name = "随机抽查计划"
        verbose_name_plural = "随机抽查计划"
        ordering = ["-period_start", "-id"]
        indexes = [models.Index(fields=["agency", "-period_start"], name="inspection_by_agency")]

    def __str__(self) -> str:
        return self.title


class Draw(models.Model):
    """One draw of a plan. The seed and candidate lists are fixed (and in the ledger) first;
    the draw is then computed from them by ``algorithm.draw``."""

    class Status(models.TextChoices):
        SEED_FIXED = "seed_fixed", "已固定随机种子，待抽取"
        DRAWN = "drawn", "已抽取"
        ABANDONED = "abandoned", "已作废"

    inspection = models.ForeignKey(
        RandomInspection, verbose_name="抽查计划", on_delete=models.PROTECT, related_name="draws"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices)
    algorithm = models.CharField("抽取算法", max_length=32)
    seed = models.CharField("随机种子（十六进制）", max_length=64)
    draw_date = models.DateField("抽取基准日")
    ratio = models.DecimalField("抽查比例（%）", max_digits=5, decimal_places=2)
    per_target = models.PositiveSmallIntegerField("每个对象检查人员数")
    target_count = models.PositiveIntegerField("待抽取对象数")
    selected_count = models.PositiveIntegerField("应抽取对象数")
    target_ids = models.JSONField("待抽取对象（id，按id排序）")
    target_digest = models.CharField("待抽取对象名单摘要", max_length=64)
    inspector_ids = models.JSONField("检查人员（id，按id排序）")
    inspector_digest = models.CharField("检查人员名单摘要", max_length=64)
    conflict_pairs = models.JSONField("回避关系（执法人员id, 对象id）")
    conflict_digest = models.CharField("回避关系摘要", max_length=64)
    seed_entry_seq = models.BigIntegerField("固定种子台账序号")
    seed_fixed_at = models.DateTimeField("固定种子时间")
    seed_fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="固定种子人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="抽取人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result_digest = models.CharField("抽取结果摘要", max_length=64, blank=True)
    draw_entry_seq = models.BigIntegerField("抽取台账序号", null=True, blank=True)
    abandoned_reason = models.CharField("作废原因", max_length=255, blank=True)

    class Meta:
        verbose_name = "抽取"
        verbose_name_plural = "抽取"
        ordering = ["-seed_fixed_at", "-id"]
        indexes = [models.Index(fields=["agency", "-seed_fixed_at"], name="draw_by_agency")]

    def __str__(self) -> str:
        return f"抽取 #{self.pk}（{self.inspection}）"


class DrawResult(models.Model):
    """A target drawn, in draw order. Append-only."""

    draw = models.ForeignKey(
        Draw, verbose_name="抽取", on_delete=models.PROTECT, related_name="results"
    )
    position = models.PositiveIntegerField("序号")
    target = models.ForeignKey(
        InspectionTarget, verbose_name="检查对象", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "抽取结果"
        verbose_name_plural = "抽取结果"
        ordering = ["draw", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "position"], name="draw_result_position"),
            models.UniqueConstraint(fields=["draw", "target"], name="draw_result_target"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.target}"


class DrawInspector(models.Model):
    """An inspector paired with a drawn target; order 1 leads (主办). Append-only."""

    result = models.ForeignKey(
        DrawResult, verbose_name="抽取结果", on_delete=models.PROTECT, related_name="inspectors"
    )
    order = models.PositiveSmallIntegerField("顺序")
    officer = models.ForeignKey(
        Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "选派检查人员"
        verbose_name_plural = "选派检查人员"
        ordering = ["result", "order"]
        constraints = [
            models.UniqueConstraint(fields=["result", "officer"], name="draw_inspector_once"),
        ]

    def __str__(self) -> str:
        return str(self.officer)


class InspectionTask(models.Model):
    """The inspection case opened for a drawn target (one per target)."""

    result = models.OneToOneField(
        DrawResult, verbose_name="抽取结果", on_delete=models.PROTECT, related_name="task"
    )
    case = models.OneToOneField(
        Case, verbose_name="检查案件", on_delete=models.PROTECT, related_name="random_inspection"
    )
    created_at = models.DateTimeField("派发时间", auto_now_add=True)

    class Meta:
        verbose_name = "检查任务"
        verbose_name_plural = "检查任务"

    def __str__(self) -> str:
        return f"{self.result} → {self.case}"
