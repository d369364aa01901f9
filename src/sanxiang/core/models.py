"""The working-day calendar: State Council holiday notices, one year at a time.

Legal deadlines count Chinese working days, so every year's 国务院办公厅节假日安排通知 must be
entered before deadlines that reach into that year can be computed. A year is "covered" iff a
CalendarYear row exists; SpecialDay rows record the days that differ from the Mon–Fri rule.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(
        "年份",
        primary_key=True,
        validators=[MinValueValidator(1949), MaxValueValidator(2100)],
    )
    source = models.TextField(
        "依据文件",
        help_text="节假日安排所依据的通知，例如：国务院办公厅关于2026年部分节假日安排的通知"
        "（国办发明电〔2025〕7号）",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "工作日历年度"
        verbose_name_plural = "工作日历"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class SpecialDay(models.Model):
    class Kind(models.TextChoices):
        # Holiday: a day off, whether it falls on a weekday or inside a holiday period.
        HOLIDAY = "holiday", "法定节假日/休息日"
        # Workday: a Saturday or Sunday that is worked to make up for a bridged weekday.
        WORKDAY = "workday", "调休上班日"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    name = models.CharField("节日名称", max_length=100, help_text="例如：春节、国庆节")
    calendar_year = models.ForeignKey(
        CalendarYear,
        on_delete=models.CASCADE,
        related_name="special_days",
        verbose_name="所属年度",
    )

    class Meta:
        verbose_name = "节假日/调休日"
        verbose_name_plural = "节假日/调休日"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}（{self.get_kind_display()}）"

    @property
    def weekday_name(self) -> str:
        return WEEKDAY_NAMES[self.date.weekday()]

    def clean(self) -> None:
        if self.date is None:
            return  # the field's own validation already reports a missing date
        errors: list[str] = []
        if self.kind == self.Kind.WORKDAY and self.date.weekday() < 5:
            errors.append("调休上班日必须是周六或周日")
        if self.calendar_year_id is not None and self.date.year != self.calendar_year_id:
            errors.append(
                f"日期{self.date.isoformat()}不属于{self.calendar_year_id}年，请在对应年度下录入"
            )
        if errors:
            raise ValidationError({"date": errors})
