"""Deadline arithmetic over the working-day calendar (CalendarYear/SpecialDay).

Nothing is cached across calls: the admin may enter a year's notice in another process, and a
stale cache would silently miscount deadlines. Each call reads the date range it needs in a
couple of queries.

A date in a year without a CalendarYear row raises CalendarNotCovered, never a guess.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from .models import CalendarYear, SpecialDay

# How far ahead to read per query when walking forward; the walk reads more if it runs past.
_MIN_CHUNK_DAYS = 62
_MAX_CHUNK_DAYS = 400

UNITS = ("workdays", "calendar_days")


class CalendarNotCovered(ValueError):
    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"工作日历未包含{year}年的节假日数据，无法计算期限。"
            f"请由监督人员在管理后台“工作日历”中录入国务院办公厅{year}年节假日安排通知"
            f"（或运行 sanxiang workdays seed --from {year} --to {year}，"
            "如 chinese_calendar 已收录）。"
        )


class _Calendar:
    """The calendar from `first` onwards, read in chunks as a forward walk needs it."""

    def __init__(self, first: date, last: date) -> None:
        self._first = first
        self._last = first - timedelta(days=1)
        self._covered: set[int] = set()
        self._special: dict[date, str] = {}
        self._load_until(last)

    def _load_until(self, last: date) -> None:
        lo = self._last + timedelta(days=1)
        hi = max(last, lo + timedelta(days=_MIN_CHUNK_DAYS))
        years = range(lo.year, hi.year + 1)
        self._covered.update(
            CalendarYear.objects.filter(year__in=years).values_list("year", flat=True)
        )
        self._special.update(
            SpecialDay.objects.filter(date__range=(lo, hi)).values_list("date", "kind")
        )
        self._last = hi

    def check(self, d: date) -> None:
        if d > self._last:
            self._load_until(d)
        if d.year not in self._covered:
            raise CalendarNotCovered(d.year)

    def is_workday(self, d: date) -> bool:
        self.check(d)
        kind = self._special.get(d)
        if kind is not None:
            return kind == SpecialDay.Kind.WORKDAY
        return d.weekday() < 5

    def next_workday(self, d: date) -> date:
        """The first working day strictly after d."""
        d += timedelta(days=1)
        while not self.is_workday(d):
            d += timedelta(days=1)
        return d


def is_workday(d: date) -> bool:
    return _Calendar(d, d).is_workday(d)


def add_workdays(start: date, n: int) -> date:
    """The n-th working day after start; start itself is not counted."""
    if n < 0:
        raise ValueError(f"工作日天数不能为负数：{n}")
    # Roughly 5 working days a week, plus room for a long holiday.
    ahead = min(max(n * 2 + 14, _MIN_CHUNK_DAYS), _MAX_CHUNK_DAYS)
    cal = _Calendar(start, start + timedelta(days=ahead))
    cal.check(start)
    d = start
    for _ in range(n):
        d = cal.next_workday(d)
    return d


def workdays_between(a: date, b: date) -> int:
    """Working days in (a, b]; negative, counting (b, a], when b is before a."""
    if b < a:
        return -workdays_between(b, a)
    cal = _Calendar(a, b)
    cal.check(a)
    return sum(cal.is_workday(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


def add_calendar_days(start: date, n: int) -> date:
    """start + n days; a period ending on a holiday or rest day ends on the next working day.

    行政处罚法/民事诉讼法：期间届满的最后一日是法定节假日的，以法定节假日后的第一日为期间届满的日期。
    """
    if n < 0:
        raise ValueError(f"日历天数不能为负数：{n}")
    try:
        end = start + timedelta(days=n)
    except OverflowError:
        raise ValueError(f"期限天数过大：{n}") from None
    cal = _Calendar(start, end)
    # Every year the period spans must be covered, not only its two ends.
    for year in range(start.year, end.year + 1):
        cal.check(max(start, date(year, 1, 1)))
    if n == 0 or cal.is_workday(end):
        return end
    return cal.next_workday(end)


def due_date(start: date, amount: int, unit: str) -> date:
    if unit == "workdays":
        return add_workdays(start, amount)
    if unit == "calendar_days":
        return add_calendar_days(start, amount)
    raise ValueError(f"未知的期限单位“{unit}”，应为 workdays（工作日）或 calendar_days（自然日）")


def due_dates(
    starts: Iterable[date], amount: int, unit: str
) -> dict[date, date | CalendarNotCovered]:
    """``due_date`` for many start days at once (a log of changes), reading the calendar for
    the whole span in a couple of queries instead of per day. A start whose period the
    calendar does not cover maps to its CalendarNotCovered, never to a guess."""
    days = sorted(set(starts))
    if not days:
        return {}
    if unit != "workdays":
        out: dict[date, date | CalendarNotCovered] = {}
        for start in days:
            try:
                out[start] = due_date(start, amount, unit)
            except CalendarNotCovered as exc:
                out[start] = exc
        return out
    if amount < 0:
        raise ValueError(f"工作日天数不能为负数：{amount}")
    ahead = min(max(amount * 2 + 14, _MIN_CHUNK_DAYS), _MAX_CHUNK_DAYS)
    cal = _Calendar(days[0], days[-1] + timedelta(days=ahead))
    result: dict[date, date | CalendarNotCovered] = {}
    for start in days:  # the same walk as add_workdays
        try:
            cal.check(start)
            d = start
            for _ in range(amount):
                d = cal.next_workday(d)
            result[start] = d
        except CalendarNotCovered as exc:
            result[start] = exc
    return result
