"""The lists an agency publishes before it acts (事前公开, 000 公示办法 第七条) and that its
cases cite: 权责清单, 裁量基准, 随机抽查事项清单, 服务指南, 救济渠道, 监督方式 and the
音像记录事项清单.

Versioned, never deleted
------------------------
Every list entry is a *version*. All versions of one entry share a ``lineage``; the first is
version 1 and each later one ``supersedes`` the one before. Exactly one version of a lineage
is the head: ``published`` (现行有效) or ``withdrawn`` (已撤销); the others are
``superseded``. A version is in force on the days ``valid_from <= day < valid_to``
(``valid_to`` is empty while it is the published head). Editing a published entry never
changes its row: the services write a new version and close the old one, so a case that
applied version 3 of a discretion standard still reads version 3, and disclosure can tell
when each change was made against the profile's update deadline (000 公示办法 第二十一条,
001 河南公示办法 第二十二条). Writes go through sanxiang.catalog.services.
"""

from __future__ import annotations

import contextlib
import datetime
import uuid
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q

from sanxiang.core.validators import normalize_phone, validate_phone
from sanxiang.org.models import Agency, Unit

from .stages import AV_ARTICLES, FULL_PROCESS_STAGES, ActionType, Stage
from .validators import (
    regulation_citations,
    validate_citation_basis,
    validate_statute_basis,
)

YUAN = Decimal("0.01")


def _yuan(amount: Decimal) -> str:
    """50000 → 50,000元; 1234.5 → 1,234.50元."""
    if amount == amount.to_integral_value():
        return f"{int(amount):,}元"
    return f"{amount.quantize(YUAN):,}元"


def _multiple(value: Decimal) -> str:
    """10 → 10倍; 0.05 → 5%."""
    if value < 1:
        return f"{(value * 100).normalize():f}%"
    return f"{value.normalize():f}倍"


class ItemStatus(models.TextChoices):
    PUBLISHED = "published", "现行有效"
    SUPERSEDED = "superseded", "已被新版本取代"
    WITHDRAWN = "withdrawn", "已撤销"


class CatalogItem(models.Model):
    """The versioning every list entry shares (see the module docstring)."""

    # The fields a revision may change; each concrete model lists its own.
    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = ()
    # The ledger's name for the model: catalog.create_<LEDGER_NAME> …
    LEDGER_NAME: ClassVar[str] = ""

    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    lineage = models.UUIDField("事项标识", default=uuid.uuid4, editable=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    supersedes = models.OneToOneField(
        "self",
        verbose_name="取代的版本",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    status = models.CharField(
        "状态",
        max_length=16,
        choices=ItemStatus.choices,
        default=ItemStatus.PUBLISHED,
        editable=False,
    )
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField(
        "失效日期",
        null=True,
        blank=True,
        editable=False,
        help_text="被新版本取代或撤销之日；该日起不再适用。",
    )
    change_note = models.CharField("修订说明", max_length=255, blank=True)
    change_occurred_on = models.DateField(
        "变动之日",
        null=True,
        blank=True,
        help_text="引起本次修订的法律、法规、规章或机构职能变化之日；公示更新时限自该日起计算"
        "（000 公示办法 第二十一条；001 河南公示办法 第二十二条）。",
    )
    withdrawal_reason = models.CharField("撤销原因", max_length=255, blank=True, editable=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["agency", "lineage", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["lineage", "version"], name="%(app_label)s_%(class)s_lineage_version"
            ),
            # One published version per lineage: a revision closes the old one first.
            models.UniqueConstraint(
                fields=["lineage"],
                condition=Q(status="published"),
                name="%(app_label)s_%(class)s_one_published",
            ),
            models.CheckConstraint(
                condition=Q(status="published", valid_to__isnull=True)
                | (
                    Q(status__in=["superseded", "withdrawn"], valid_to__isnull=False)
                    & Q(valid_to__gte=F("valid_from"))
                ),
                name="%(app_label)s_%(class)s_validity_ordered",
            ),
            models.CheckConstraint(
                condition=Q(version=1, supersedes__isnull=True)
                | Q(version__gt=1, supersedes__isnull=False),
                name="%(app_label)s_%(class)s_version_chain",
            ),
        ]

    @property
    def is_published(self) -> bool:
        return self.status == ItemStatus.PUBLISHED

    def in_force_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    def content_values(self) -> dict[str, Any]:
        """The content fields, as a revision copies them (foreign keys as objects)."""
        return {name: getattr(self, name) for name in self.CONTENT_FIELDS}

    def versions(self) -> models.QuerySet[Any]:
        return type(self)._default_manager.filter(lineage=self.lineage).order_by("version")

    @property
    def version_label(self) -> str:
        return f"第{self.version}版"

    def _check_same_agency(self, field: str, other: Any) -> None:
        if other is not None and self.agency_id and other.agency_id != self.agency_id:
            raise ValidationError({field: "关联事项必须属于同一执法主体。"})


# --------------------------------------------------------------------------- 权责清单


class PowerCategory(models.TextChoices):
    """职权类别 (000 公示办法 第九条). The values are the action types (ActionType) a
    case of this power has, except 其他行政权力."""

    LICENSING = "licensing", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    EXPROPRIATION = "expropriation", "行政征收"
    PAYMENT = "payment", "行政给付"
    INSPECTION = "inspection", "行政检查"
    CONFIRMATION = "confirmation", "行政确认"
    REWARD = "reward", "行政奖励"
    ADJUDICATION = "adjudication", "行政裁决"
    OTHER = "other", "其他行政权力"


class PowerItem(CatalogItem):
    """权责清单事项: 职权类别、职权名称、实施依据、责任事项、办理期限、收费情况
    (000 公示办法 第九条; 001 河南公示办法 第十条)."""

    CONTENT_FIELDS = (
        "code",
        "category",
        "name",
        "basis",
        "responsibility",
        "time_limit",
        "statutory_days",
        "fees",
        "unit",
        "violation",
    )
    LEDGER_NAME = "power_item"

    code = models.CharField(
        "事项编码",
        max_length=64,
        validators=[
            RegexValidator(r"^[A-Za-z0-9-]{2,64}$", "事项编码只能包含字母、数字和连字符。")
        ],
    )
    category = models.CharField("职权类别", max_length=16, choices=PowerCategory.choices)
    name = models.CharField("职权名称", max_length=255)
    basis = models.TextField(
        "实施依据",
        validators=[validate_statute_basis],
        help_text="写明法律、法规、规章名称及条款，如“《中华人民共和国食品安全法》第一百二十四条”。",
    )
    responsibility = models.TextField("责任事项")
    time_limit = models.CharField("办理期限", max_length=255)
    statutory_days = models.PositiveSmallIntegerField(
        "法定办理时限（工作日）", null=True, blank=True
    )
    fees = models.CharField("收费情况", max_length=255, default="不收费")
    unit = models.ForeignKey(
        Unit,
        verbose_name="承办机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    violation = models.TextField("违法行为", blank=True, help_text="行政处罚事项所处罚的违法行为。")

    class Meta(CatalogItem.Meta):
        verbose_name = "权责清单事项"
        verbose_name_plural = "权责清单"
        ordering = ["agency", "code", "version"]
        constraints = [
            *CatalogItem.Meta.constraints,
            models.UniqueConstraint(
                fields=["agency", "code"],
                condition=Q(status="published"),
                name="catalog_poweritem_code_unique_published",
                violation_error_message="本执法主体已有使用该事项编码的现行事项。",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "category"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.version_label}）"

    @property
    def action_type(self) -> ActionType | None:
        if self.category == PowerCategory.OTHER:
            return None
        return ActionType(self.category)

    def clean(self) -> None:
        if self.unit_id is not None and self.unit is not None:
            self._check_same_agency("unit", self.unit)
        if self.category == PowerCategory.PENALTY and not self.violation.strip():
            raise ValidationError({"violation": "行政处罚事项须写明所处罚的违法行为。"})


# --------------------------------------------------------------------------- 裁量基准


class PenaltyKind(models.TextChoices):
    """行政处罚的种类 (《中华人民共和国行政处罚法》第九条), and 不予处罚 for the tier that
    imposes none (同法第三十三条)."""

    NONE = "none", "不予行政处罚"
    WARNING = "warning", "警告"
    CRITICISM = "criticism", "通报批评"
    FINE = "fine", "罚款"
    CONFISCATE_GAINS = "confiscate_gains", "没收违法所得"
    CONFISCATE_PROPERTY = "confiscate_property", "没收非法财物"
    SUSPEND_LICENCE = "suspend_licence", "暂扣许可证件"
    DOWNGRADE = "downgrade", "降低资质等级"
    REVOKE_LICENCE = "revoke_licence", "吊销许可证件"
    RESTRICT_BUSINESS = "restrict_business", "限制开展生产经营活动"
    SUSPEND_BUSINESS = "suspend_business", "责令停产停业"
    CLOSE = "close", "责令关闭"
    RESTRICT_PRACTICE = "restrict_practice", "限制从业"
    DETENTION = "detention", "行政拘留"
    OTHER = "other", "其他行政处罚"


class Circumstance(models.TextChoices):
    """裁量档次 (情节), from least to most serious."""

    EXEMPT = "exempt", "不予处罚情形"
    MITIGATED = "mitigated", "减轻处罚情形"
    MINOR = "minor", "轻微"
    ORDINARY = "ordinary", "一般"
    SERIOUS = "serious", "较重"
    SEVERE = "severe", "严重"


# Tiers whose fine must lie inside the statutory range: 不予处罚 imposes none, and 减轻处罚
# goes below the statutory minimum (《中华人民共和国行政处罚法》第三十二条).
_WITHIN_STATUTE = frozenset(
    {Circumstance.MINOR, Circumstance.ORDINARY, Circumstance.SERIOUS, Circumstance.SEVERE}
)


class MultipleBase(models.TextChoices):
    NONE = "none", "无（固定金额）"
    ILLEGAL_GAINS = "illegal_gains", "违法所得"
    GOODS_VALUE = "goods_value", "货值金额"
    CONSTRUCTION_COST = "construction_cost", "建设工程造价"


def _validate_penalty_kinds(value: Any) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError("请至少选择一种处罚种类。")
    unknown = [v for v in value if v not in PenaltyKind.values]
    if unknown:
        raise ValidationError(f"未知的处罚种类：{'、'.join(map(str, unknown))}。")
    if PenaltyKind.NONE in value and len(value) > 1:
        raise ValidationError("“不予行政处罚”不能与其他处罚种类同时选择。")


class DiscretionStandard(CatalogItem):
    """行政处罚裁量基准 for one violation of a penalty power: the statutory range, and the
    tiers (DiscretionTier) that divide it by circumstance (000 公示办法 第七条第（五）项、
    第十三条; 《中华人民共和国行政处罚法》第三十四条).

    A fine is fixed (元), a multiple of a base (违法所得, 货值金额, 建设工程造价), or — where
    the statute says so — fixed while the base is below ``base_threshold`` and a multiple from
    it upwards (食品安全法 第一百二十四条: 货值金额不足一万元的 … 一万元以上的 …).
    """

    CONTENT_FIELDS = (
        "power_item",
        "violation",
        "basis",
        "standard_basis",
        "multiple_base",
        "base_threshold",
        "statutory_fine_min",
        "statutory_fine_max",
        "statutory_multiple_min",
        "statutory_multiple_max",
    )
    LEDGER_NAME = "discretion_standard"

    power_item = models.ForeignKey(
        PowerItem,
        verbose_name="权责清单事项",
        on_delete=models.PROTECT,
        related_name="discretion_standards",
        help_text="制定时适用的事项版本；事项修订后按同一事项标识查找。",
    )
    violation = models.TextField("违法行为")
    basis = models.TextField(
        "处罚依据",
        validators=[validate_statute_basis],
        help_text="设定该违法行为及其处罚的法律、法规、规章条款。",
    )
    standard_basis = models.TextField(
        "制定依据",
        validators=[validate_citation_basis],
        default="《中华人民共和国行政处罚法》第三十四条",
        help_text="裁量基准本身的制定依据。",
    )
    multiple_base = models.CharField(
        "倍数计罚基数", max_length=24, choices=MultipleBase.choices, default=MultipleBase.NONE
    )
    base_threshold = models.DecimalField(
        "倍数计罚起点（元）",
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="基数不足该金额时按固定金额幅度计罚，达到该金额时按倍数计罚。",
    )
    statutory_fine_min = models.DecimalField(
        "法定罚款下限（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    statutory_fine_max = models.DecimalField(
        "法定罚款上限（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    statutory_multiple_min = models.DecimalField(
        "法定倍数下限", max_digits=10, decimal_places=4, null=True, blank=True
    )
    statutory_multiple_max = models.DecimalField(
        "法定倍数上限", max_digits=10, decimal_places=4, null=True, blank=True
    )

    class Meta(CatalogItem.Meta):
        verbose_name = "裁量基准"
        verbose_name_plural = "裁量基准"
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.violation[:40]}（{self.version_label}）"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.power_item_id is not None:
            item = self.power_item
            self._check_same_agency("power_item", item)
            if item.category != PowerCategory.PENALTY:
                errors["power_item"] = "裁量基准只能针对行政处罚事项制定。"
        _range_errors(errors, self, "statutory_fine_min", "statutory_fine_max", "法定罚款")
        _range_errors(errors, self, "statutory_multiple_min", "statutory_multiple_max", "法定倍数")
        has_multiple = (
            self.statutory_multiple_min is not None or self.statutory_multiple_max is not None
        )
        has_fixed = self.statutory_fine_min is not None or self.statutory_fine_max is not None
        if has_multiple and self.multiple_base == MultipleBase.NONE:
            errors["multiple_base"] = "按倍数计罚的，须指明计罚基数（违法所得、货值金额等）。"
        if self.base_threshold is not None and not (has_multiple and has_fixed):
            errors["base_threshold"] = "只有同时规定固定金额幅度和倍数幅度时才需填写倍数计罚起点。"
        if errors:
            raise ValidationError(errors)

    def statutory_description(self) -> str:
        parts = []
        base = self.get_multiple_base_display()
        if self.statutory_fine_min is not None or self.statutory_fine_max is not None:
            fixed = _range_text(self.statutory_fine_min, self.statutory_fine_max, _yuan)
            if self.base_threshold is not None:
                fixed = f"{base}不足{_yuan(self.base_threshold)}的，{fixed}"
            parts.append(fixed)
        if self.statutory_multiple_min is not None or self.statutory_multiple_max is not None:
            multiple = f"{base}" + _range_text(
                self.statutory_multiple_min, self.statutory_multiple_max, _multiple
            )
            if self.base_threshold is not None:
                multiple = f"{base}{_yuan(self.base_threshold)}以上的，{multiple}"
            parts.append(multiple)
        return "；".join(parts) or "不处罚款"


def _range_text(lo: Decimal | None, hi: Decimal | None, fmt: Any) -> str:
    if lo is not None and hi is not None:
        return f"{fmt(lo)}以上{fmt(hi)}以下"
    if hi is not None:
        return f"{fmt(hi)}以下"
    if lo is not None:
        return f"{fmt(lo)}以上"
    return ""


def _range_errors(errors: dict[str, str], obj: Any, lo_name: str, hi_name: str, what: str) -> None:
    lo, hi = getattr(obj, lo_name), getattr(obj, hi_name)
    if lo is not None and lo < 0:
        errors[lo_name] = f"{what}下限不能为负数。"
    if hi is not None and hi < 0:
        errors[hi_name] = f"{what}上限不能为负数。"
    if lo is not None and hi is not None and lo > hi:
        errors[hi_name] = f"{what}上限不能低于下限。"


class BaseRequired(ValueError):
    """The tier computes its fine as a multiple of a base the caller did not give."""


class DiscretionTier(models.Model):
    """One circumstance tier of a discretion standard version: the penalties it allows and,
    for a fine, its range. Tiers belong to one version of the standard and are never changed:
    a revision of the standard writes new tiers."""

    standard = models.ForeignKey(
        DiscretionStandard,
        verbose_name="裁量基准",
        on_delete=models.PROTECT,
        related_name="tiers",
    )
    circumstance = models.CharField("裁量档次", max_length=16, choices=Circumstance.choices)
    description = models.TextField("适用情形")
    penalty_kinds = models.JSONField("处罚种类", default=list, validators=[_validate_penalty_kinds])
    fine_min = models.DecimalField(
        "罚款下限（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    fine_max = models.DecimalField(
        "罚款上限（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    multiple_min = models.DecimalField(
        "倍数下限", max_digits=10, decimal_places=4, null=True, blank=True
    )
    multiple_max = models.DecimalField(
        "倍数上限", max_digits=10, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = "裁量档次"
        verbose_name_plural = "裁量档次"
        ordering = ["standard", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "circumstance"],
                name="catalog_tier_circumstance_unique",
                violation_error_message="同一裁量基准中每个裁量档次只能设置一次。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_circumstance_display()}：{self.penalty_text()}"

    # ------------------------------------------------------------------ shape

    @property
    def has_fixed(self) -> bool:
        return self.fine_min is not None or self.fine_max is not None

    @property
    def has_multiple(self) -> bool:
        return self.multiple_min is not None or self.multiple_max is not None

    @property
    def imposes_fine(self) -> bool:
        return PenaltyKind.FINE in (self.penalty_kinds or [])

    def penalty_text(self) -> str:
        kinds = "、".join(str(PenaltyKind(k).label) for k in self.penalty_kinds or [])
        return f"{kinds}（{self.fine_text()}）" if self.imposes_fine else kinds

    def fine_text(self) -> str:
        std = self.standard
        base = std.get_multiple_base_display()
        parts = []
        if self.has_fixed:
            fixed = "罚款" + _range_text(self.fine_min, self.fine_max, _yuan)
            if std.base_threshold is not None and self.has_multiple:
                fixed = f"{base}不足{_yuan(std.base_threshold)}的，{fixed}"
            parts.append(fixed)
        if self.has_multiple:
            multiple = f"{base}" + _range_text(self.multiple_min, self.multiple_max, _multiple)
            if std.base_threshold is not None and self.has_fixed:
                multiple = f"{base}{_yuan(std.base_threshold)}以上的，{multiple}"
            parts.append(multiple + "的罚款")
        return "；".join(parts)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        _range_errors(errors, self, "fine_min", "fine_max", "罚款")
        _range_errors(errors, self, "multiple_min", "multiple_max", "倍数")
        kinds = self.penalty_kinds if isinstance(self.penalty_kinds, list) else []
        fine = PenaltyKind.FINE in kinds
        if fine and not (self.has_fixed or self.has_multiple):
            errors["fine_max"] = "选择了罚款的，须填写罚款金额幅度或倍数幅度。"
        if not fine and (self.has_fixed or self.has_multiple):
            errors["penalty_kinds"] = "填写了罚款幅度的，处罚种类须包括“罚款”。"
        if self.circumstance == Circumstance.EXEMPT and kinds and kinds != [PenaltyKind.NONE]:
            errors["penalty_kinds"] = (
                "不予处罚情形的处罚种类只能是“不予行政处罚”（《中华人民共和国行政处罚法》第三十三条）。"
            )
        if self.standard_id is not None and not errors:
            errors.update(self.statute_errors(self.standard))
        if errors:
            raise ValidationError(errors)

    def statute_errors(self, std: DiscretionStandard) -> dict[str, str]:
        """A tier's range must lie inside the standard's statutory range (except 减轻处罚,
        which may go below the minimum, 《中华人民共和国行政处罚法》第三十二条). `std` may be
        an unsaved standard (the admin checks tiers before the standard is written)."""
        errors: dict[str, str] = {}
        if self.has_multiple and std.multiple_base == MultipleBase.NONE:
            errors["multiple_min"] = "该裁量基准未规定倍数计罚基数，不能按倍数设置罚款幅度。"
        if self.has_fixed and self.has_multiple and std.base_threshold is None:
            errors["multiple_min"] = "同时设置固定金额和倍数幅度的，裁量基准须规定倍数计罚起点。"
        if (
            std.base_threshold is not None
            and self.imposes_fine
            and not (self.has_fixed and self.has_multiple)
        ):
            errors["multiple_min"] = (
                f"该裁量基准按{std.get_multiple_base_display()}是否达到{_yuan(std.base_threshold)}"
                "分别规定固定金额和倍数幅度，罚款档次须同时设置两者。"
            )
        where = f"（{std.basis.strip()}：{std.statutory_description()}）"
        mitigated = self.circumstance == Circumstance.MITIGATED
        for lo_name, hi_name, s_lo, s_hi, what in (
            ("fine_min", "fine_max", std.statutory_fine_min, std.statutory_fine_max, "罚款金额"),
            (
                "multiple_min",
                "multiple_max",
                std.statutory_multiple_min,
                std.statutory_multiple_max,
                "罚款倍数",
            ),
        ):
            lo, hi = getattr(self, lo_name), getattr(self, hi_name)
            if lo is None and hi is None:
                continue
            if s_lo is None and s_hi is None:
                errors[lo_name] = f"法定幅度未规定{what}，该档次不能设置{what}幅度{where}。"
                continue
            if s_hi is not None and (hi is None or hi > s_hi):
                errors[hi_name] = f"{what}上限不能超过法定上限{where}。"
            if (
                self.circumstance in _WITHIN_STATUTE
                and s_lo is not None
                and (lo is None or lo < s_lo)
            ):
                errors[lo_name] = f"{what}下限不能低于法定下限{where}。"
            if mitigated and s_lo is not None and lo is not None and lo >= s_lo:
                errors[lo_name] = (
                    f"减轻处罚应在法定最低限以下确定（《中华人民共和国行政处罚法》第三十二条）{where}。"
                )
        return errors

    # ------------------------------------------------------------------ checks

    def fine_bounds(self, base: Decimal | None = None) -> tuple[Decimal, Decimal | None] | None:
        """The fine this tier allows (lowest, highest or None for no upper limit), in yuan;
        None if it imposes no fine. Raises BaseRequired when the fine is a multiple of a base
        (违法所得, 货值金额 …) and `base` is not given."""
        if not self.imposes_fine:
            return None
        std = self.standard
        use_multiple = self.has_multiple and (
            not self.has_fixed
            or (base is not None and std.base_threshold is not None and base >= std.base_threshold)
        )
        if self.has_fixed and self.has_multiple and base is None:
            raise BaseRequired(
                f"该裁量档次依{std.get_multiple_base_display()}确定罚款幅度，"
                f"须提供{std.get_multiple_base_display()}。"
            )
        if use_multiple:
            if base is None:
                raise BaseRequired(
                    f"该裁量档次按{std.get_multiple_base_display()}的倍数计罚，"
                    f"须提供{std.get_multiple_base_display()}。"
                )
            lo = (base * (self.multiple_min or Decimal(0))).quantize(YUAN)
            hi = (
                (base * self.multiple_max).quantize(YUAN) if self.multiple_max is not None else None
            )
            return lo, hi
        return self.fine_min or Decimal(0), self.fine_max

    def allows(self, amount: Decimal, *, base: Decimal | None = None) -> bool:
        """Whether a fine of `amount` yuan is within this tier (0 when it imposes none)."""
        bounds = self.fine_bounds(base)
        if bounds is None:
            return amount == 0
        lo, hi = bounds
        return lo <= amount and (hi is None or amount <= hi)

    def allows_kind(self, kind: str) -> bool:
        return kind in (self.penalty_kinds or [])

    def check_amount(self, amount: Decimal, *, base: Decimal | None = None) -> None:
        """Refuse a decision amount outside this tier, naming the standard and its basis."""
        try:
            ok = self.allows(amount, base=base)
        except BaseRequired as exc:
            raise ValidationError(str(exc), code="base_required") from None
        if ok:
            return
        std = self.standard
        name = f"裁量基准“{std.violation.strip()[:60]}”（{std.version_label}）"
        bounds = self.fine_bounds(base)
        if bounds is None:
            allowed = f"该档次（{self.get_circumstance_display()}）不处罚款"
        else:
            lo, hi = bounds
            allowed = (
                f"该档次（{self.get_circumstance_display()}）的罚款幅度为"
                f"{_range_text(lo, hi, _yuan) or _yuan(lo)}"
            )
        raise ValidationError(
            f"罚款金额{_yuan(amount)}超出{name}的裁量幅度：{allowed}（依据：{std.basis.strip()}）。",
            code="outside_discretion",
        )


# --------------------------------------------------------------------------- 随机抽查事项清单


class RandomInspectionItem(CatalogItem):
    """随机抽查事项: 抽查事项名称、抽查依据、抽查主体、抽查对象、抽查比例、抽查频次、抽查方式、
    抽查内容 (000 公示办法 第十条; 001 河南公示办法 第十一条; 002 第十三条)."""

    CONTENT_FIELDS = (
        "name",
        "basis",
        "subject",
        "targets",
        "ratio",
        "frequency",
        "method",
        "content",
        "power_item",
    )
    LEDGER_NAME = "random_inspection_item"

    name = models.CharField("抽查事项名称", max_length=255)
    basis = models.TextField("抽查依据", validators=[validate_statute_basis])
    subject = models.CharField("抽查主体", max_length=255)
    targets = models.TextField("抽查对象")
    ratio = models.DecimalField(
        "抽查比例（%）",
        max_digits=5,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.01"), "抽查比例应大于0。"),
            MaxValueValidator(Decimal("100"), "抽查比例不能超过%(limit_value)s%%。"),
        ],
    )
    frequency = models.CharField("抽查频次", max_length=255)
    method = models.CharField("抽查方式", max_length=255)
    content = models.TextField("抽查内容")
    power_item = models.ForeignKey(
        PowerItem,
        verbose_name="对应权责清单事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="random_inspection_items",
    )

    class Meta(CatalogItem.Meta):
        verbose_name = "随机抽查事项"
        verbose_name_plural = "随机抽查事项清单"
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.version_label}）"

    def clean(self) -> None:
        if self.power_item_id is not None and self.power_item is not None:
            self._check_same_agency("power_item", self.power_item)
            if self.power_item.category != PowerCategory.INSPECTION:
                raise ValidationError({"power_item": "随机抽查事项只能对应行政检查类事项。"})


# --------------------------------------------------------------------------- 服务指南


class ServiceGuide(CatalogItem):
    """服务指南: 执法事项名称、执法程序、受理机构、审批机构、受理条件、办理时限
    (000 公示办法 第十一条; 001 河南公示办法 第十二条), and the materials, place and contact
    of 002 第十五条."""

    CONTENT_FIELDS = (
        "matter",
        "procedure",
        "accepting_body",
        "approving_body",
        "conditions",
        "time_limit",
        "materials",
        "place",
        "phone",
    )
    LEDGER_NAME = "service_guide"

    matter = models.ForeignKey(
        PowerItem,
        verbose_name="执法事项",
        on_delete=models.PROTECT,
        related_name="service_guides",
    )
    procedure = models.TextField("执法程序")
    accepting_body = models.CharField("受理机构", max_length=255)
    approving_body = models.CharField("审批机构", max_length=255)
    conditions = models.TextField("受理条件")
    time_limit = models.CharField("办理时限", max_length=255)
    materials = models.TextField("申请材料", help_text="每行一项。")
    place = models.CharField("办理地点", max_length=255)
    phone = models.CharField("咨询电话", max_length=32, blank=True, validators=[validate_phone])

    class Meta(CatalogItem.Meta):
        verbose_name = "服务指南"
        verbose_name_plural = "服务指南"
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.matter.name}服务指南（{self.version_label}）"

    @property
    def materials_list(self) -> list[str]:
        return [line.strip() for line in self.materials.splitlines() if line.strip()]

    def clean(self) -> None:
        if self.phone:
            with contextlib.suppress(ValidationError):  # the field validator reports it
                self.phone = normalize_phone(self.phone)
        if self.matter_id is not None:
            self._check_same_agency("matter", self.matter)


# --------------------------------------------------------------------------- 救济渠道, 监督方式


class RemedyChannel(CatalogItem):
    """救济渠道 (000 公示办法 第七条第（八）项)."""

    class Kind(models.TextChoices):
        REVIEW = "review", "行政复议"
        LITIGATION = "litigation", "行政诉讼"
        OTHER = "other", "其他救济途径"

    CONTENT_FIELDS = ("kind", "name", "body", "description", "phone", "address", "url")
    LEDGER_NAME = "remedy_channel"

    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    name = models.CharField("名称", max_length=255)
    body = models.CharField("受理机关", max_length=255)
    description = models.TextField("说明")
    phone = models.CharField("联系电话", max_length=32, blank=True, validators=[validate_phone])
    address = models.CharField("地址", max_length=255, blank=True)
    url = models.URLField("网址", blank=True)

    class Meta(CatalogItem.Meta):
        verbose_name = "救济渠道"
        verbose_name_plural = "救济渠道"
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.version_label}）"

    def clean(self) -> None:
        if self.phone:
            with contextlib.suppress(ValidationError):
                self.phone = normalize_phone(self.phone)


class SupervisionChannel(CatalogItem):
    """监督方式 (000 公示办法 第七条第（九）项)."""

    class Kind(models.TextChoices):
        HOTLINE = "hotline", "投诉举报电话"
        LETTER = "letter", "来信"
        VISIT = "visit", "来访"
        ONLINE = "online", "网上投诉"
        OTHER = "other", "其他"

    CONTENT_FIELDS = ("kind", "name", "description", "phone", "address", "url")
    LEDGER_NAME = "supervision_channel"

    kind = models.CharField("方式", max_length=16, choices=Kind.choices)
    name = models.CharField("名称", max_length=255)
    description = models.TextField("说明")
    phone = models.CharField("联系电话", max_length=32, blank=True, validators=[validate_phone])
    address = models.CharField("地址", max_length=255, blank=True)
    url = models.URLField("网址", blank=True)

    class Meta(CatalogItem.Meta):
        verbose_name = "监督方式"
        verbose_name_plural = "监督方式"
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.version_label}）"

    def clean(self) -> None:
        if self.phone:
            with contextlib.suppress(ValidationError):
                self.phone = normalize_phone(self.phone)


# --------------------------------------------------------------------------- 音像记录事项清单


class AVRequirement(models.TextChoices):
    AV = "av", "应当音像记录"
    FULL_PROCESS = "full_process", "全过程音像记录"


class AVMatter(CatalogItem):
    """音像记录事项: which stage of which kind of act is recorded on audio/video, and whether
    the recording must run the whole on-site activity, from arrival to departure
    (000 全过程记录办法 第十七条、第十八条、第二十二条; 001 河南全过程记录办法 第十五条、
    第十六条、第十八条; 002 第二十五条)."""

    CONTENT_FIELDS = ("action_type", "stage", "activity", "requirement", "method", "basis")
    LEDGER_NAME = "av_matter"

    action_type = models.CharField("执法行为类别", max_length=16, choices=ActionType.choices)
    stage = models.CharField("执法环节", max_length=32, choices=Stage.choices)
    activity = models.CharField("记录事项", max_length=255)
    requirement = models.CharField("记录要求", max_length=16, choices=AVRequirement.choices)
    method = models.CharField("记录方式", max_length=255, default="执法记录仪录音录像")
    basis = models.CharField(
        "依据",
        max_length=255,
        validators=[validate_citation_basis],
        help_text="如“000 全过程记录办法 第十八条”；多项以“；”分隔。",
    )

    class Meta(CatalogItem.Meta):
        verbose_name = "音像记录事项"
        verbose_name_plural = "音像记录事项清单"
        indexes = [models.Index(fields=["agency", "status", "action_type", "stage"])]

    def __str__(self) -> str:
        return f"{self.get_action_type_display()}·{self.get_stage_display()}：{self.activity}"

    @property
    def is_full_process(self) -> bool:
        return self.requirement == AVRequirement.FULL_PROCESS

    def clean(self) -> None:
        if not self.agency_id or not self.basis:
            return
        try:
            profile = self.agency.rule_profile_code
        except ValidationError:
            profile = ""
        articles = AV_ARTICLES.get(profile)
        if self.stage in FULL_PROCESS_STAGES and self.requirement != AVRequirement.FULL_PROCESS:
            source = articles.full_process if articles else "000 全过程记录办法 第十八条"
            raise ValidationError(
                {
                    "requirement": f"{Stage(self.stage).label}等直接涉及人身自由、生命健康、重大财产权益的"
                    f"现场执法活动应当全过程音像记录（{source}）。"
                }
            )
        if articles is None:
            return
        cited = {str(c) for c in regulation_citations(self.basis)}
        # Full-process AV rests on the full-process article; other AV on the article for
        # contentious acts or, for what an agency adds itself, on the list article.
        accepted = (
            (articles.full_process,)
            if self.is_full_process
            else (articles.av, articles.matter_list)
        )
        if not cited.intersection(accepted):
            raise ValidationError(
                {
                    "basis": f"本辖区{self.get_requirement_display()}的依据是{accepted[0]}，"
                    "依据中应引用该条。"
                }
            )


# --------------------------------------------------------------------------- 待修订登记


class ListKind(models.TextChoices):
    """The published lists a change may oblige to be revised; the values are the lists'
    ledger names, the labels their names as the update log shows them (verbose_name_plural)."""

    POWER_ITEM = "power_item", "权责清单"
    DISCRETION_STANDARD = "discretion_standard", "裁量基准"
    RANDOM_INSPECTION_ITEM = "random_inspection_item", "随机抽查事项清单"
    SERVICE_GUIDE = "service_guide", "服务指南"
    REMEDY_CHANNEL = "remedy_channel", "救济渠道"
    SUPERVISION_CHANNEL = "supervision_channel", "监督方式"
    AV_MATTER = "av_matter", "音像记录事项清单"


class ChangeReason(models.TextChoices):
    LAW = "law", "法律法规规章变化"
    FUNCTIONS = "functions", "机构职能变化"
    OTHER = "other", "其他"


class ListChange(models.Model):
    """A change in law or in the agency's functions that obliges a published list to be
    updated within the profile's period from the day of the change (000 公示办法 第二十一条;
    001 河南公示办法 第二十二条), registered as soon as it is known — before the revision is
    entered — so that an agency that has not yet updated shows as due or overdue. Resolved
    (never deleted) when the lists were updated."""

    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    list_kind = models.CharField("须更新的清单", max_length=32, choices=ListKind.choices)
    reason_kind = models.CharField("变动原因", max_length=16, choices=ChangeReason.choices)
    description = models.CharField("变动内容", max_length=500)
    occurred_on = models.DateField(
        "变动之日",
        help_text="法律、法规、规章或机构职能变化之日；更新时限自该日起计算"
        "（000 公示办法 第二十一条；001 河南公示办法 第二十二条）。",
    )
    registered_at = models.DateTimeField("登记时间", auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_on = models.DateField("更新之日", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办结人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution_note = models.CharField("更新说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "待修订登记"
        verbose_name_plural = "待修订登记"
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["agency", "resolved_on", "occurred_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True, resolved_by__isnull=True, resolution_note="")
                | (
                    Q(resolved_on__isnull=False, resolved_by__isnull=False)
                    & ~Q(resolution_note="")
                    & Q(resolved_on__gte=F("occurred_on"))
                ),
                name="catalog_listchange_resolution_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_list_kind_display()}：{self.description[:40]}"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None
