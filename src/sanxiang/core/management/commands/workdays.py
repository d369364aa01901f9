"""`sanxiang workdays`: compute deadlines and maintain the working-day calendar from the shell.

sanxiang workdays add 2026-09-30 7 [--calendar-days]
sanxiang workdays between 2026-09-30 2026-10-12
sanxiang workdays seed --from 2004 --to 2026
sanxiang workdays show 2026
"""

from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.core import workdays
from sanxiang.core.calendar_seed import seed_years
from sanxiang.core.models import CalendarYear, SpecialDay


def _date(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise CommandError(
            f"日期“{text}”无效，应为 YYYY-MM-DD 格式的有效日期，例如 2026-09-30"
        ) from None


def _int(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CommandError(f"{what}“{text}”不是整数") from None


class Command(BaseCommand):
    help = "工作日历：按工作日或自然日计算期限，导入或查看节假日安排。"

    def add_arguments(self, parser: CommandParser) -> None:
        # Values are taken as strings and parsed in handle(), so errors come out in Chinese.
        sub = parser.add_subparsers(dest="action", required=True, metavar="操作")
        add = sub.add_parser("add", help="起算日加 N 个工作日（起算日不计入）后的到期日")
        add.add_argument("start", help="起算日期 YYYY-MM-DD")
        add.add_argument("n", help="天数")
        add.add_argument(
            "--calendar-days",
            action="store_true",
            help="按自然日计算，届满日为节假日的顺延至其后第一个工作日",
        )
        between = sub.add_parser("between", help="两日期之间的工作日数（不含起日，含止日）")
        between.add_argument("a", help="起日 YYYY-MM-DD")
        between.add_argument("b", help="止日 YYYY-MM-DD")
        seed = sub.add_parser("seed", help="从 chinesecalendar 导入节假日安排（已有年度跳过）")
        seed.add_argument("--from", dest="first", required=True, help="起始年份")
        seed.add_argument("--to", dest="last", help="结束年份（默认同起始年份）")
        show = sub.add_parser("show", help="列出某年的节假日与调休上班日")
        show.add_argument("year", help="年份")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "add":
                self._add(options)
            elif action == "between":
                n = workdays.workdays_between(_date(options["a"]), _date(options["b"]))
                self.stdout.write(str(n))
            elif action == "seed":
                self._seed(options)
            else:
                self._show(_int(options["year"], "年份"))
        except ValueError as exc:  # includes CalendarNotCovered and SeedUnavailable
            raise CommandError(str(exc)) from None

    def _add(self, options: dict[str, Any]) -> None:
        start, n = _date(options["start"]), _int(options["n"], "天数")
        unit = "calendar_days" if options["calendar_days"] else "workdays"
        self.stdout.write(workdays.due_date(start, n, unit).isoformat())

    def _seed(self, options: dict[str, Any]) -> None:
        first = _int(options["first"], "起始年份")
        last = _int(options["last"], "结束年份") if options["last"] else first
        created = seed_years(first, last)
        skipped = [y for y in range(first, last + 1) if y not in created]
        if created:
            self.stdout.write(f"已导入：{'、'.join(map(str, created))}")
        if skipped:
            self.stdout.write(f"已存在，跳过：{'、'.join(map(str, skipped))}")

    def _show(self, year: int) -> None:
        cy = CalendarYear.objects.filter(year=year).first()
        if cy is None:
            raise workdays.CalendarNotCovered(year)
        self.stdout.write(f"{year}年  依据：{cy.source}")
        for day in SpecialDay.objects.filter(calendar_year=cy).order_by("date"):
            self.stdout.write(
                f"{day.date.isoformat()}  {day.weekday_name}  {day.get_kind_display()}  {day.name}"
            )
