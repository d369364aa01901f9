"""Seed CalendarYear/SpecialDay rows from the `chinesecalendar` package.

Used by the data migration (with the historical models) and by `sanxiang workdays seed`.
Every day the package lists is stored, including holiday-period weekends: the table then
reads like the notice itself, and a weekend `holiday` row is harmless to the arithmetic.
"""

from collections.abc import Iterable
from datetime import date
from importlib.metadata import version

import chinese_calendar
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import transaction

PACKAGE = "chinesecalendar"

HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


class SeedUnavailable(ValueError):
    """The installed chinesecalendar has no data for a requested year."""


def package_version() -> str:
    return version(PACKAGE)


def available_years() -> set[int]:
    return {d.year for d in chinese_calendar.holidays}


def chinese_name(english: str) -> str:
    # A holiday added by a newer package keeps its English name rather than failing the
    # seed; the admin can rename it.
    return HOLIDAY_NAMES_ZH.get(english, english)


def _days(table: dict[date, str], year: int) -> Iterable[tuple[date, str]]:
    return sorted((d, name) for d, name in table.items() if d.year == year)


def seed_years(first: int, last: int, apps: Apps | None = None) -> list[int]:
    """Create the calendar for years first..last that are not yet present; return those created.

    `apps` is the migration state registry when called from a migration.
    """
    registry = apps or global_apps
    calendar_year = registry.get_model("core", "CalendarYear")
    special_day = registry.get_model("core", "SpecialDay")
    if first > last:
        raise ValueError(f"起始年份{first}晚于结束年份{last}")
    present = set(
        calendar_year.objects.filter(year__range=(first, last)).values_list("year", flat=True)
    )
    wanted = [y for y in range(first, last + 1) if y not in present]
    missing = [y for y in wanted if y not in available_years()]
    if missing:
        years = "、".join(str(y) for y in missing)
        raise SeedUnavailable(
            f"{PACKAGE} {package_version()} 未收录{years}年的节假日安排，无法导入。"
            "请由监督人员在管理后台“工作日历”中按国务院办公厅通知手工录入。"
        )
    ver = package_version()
    with transaction.atomic():
        for year in wanted:
            cy = calendar_year.objects.create(
                year=year,
                source=f"由 {PACKAGE} {ver} 软件包导入"
                f"（该包汇编自国务院办公厅关于{year}年部分节假日安排的通知）",
            )
            rows = [
                special_day(date=d, kind="holiday", name=chinese_name(n), calendar_year=cy)
                for d, n in _days(chinese_calendar.holidays, year)
            ] + [
                special_day(date=d, kind="workday", name=chinese_name(n), calendar_year=cy)
                for d, n in _days(chinese_calendar.workdays, year)
            ]
            special_day.objects.bulk_create(rows)
    return wanted
