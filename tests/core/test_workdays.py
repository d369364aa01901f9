"""The working-day calendar against the State Council notices, and the deadline arithmetic."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from sanxiang.core.calendar_seed import seed_years
from sanxiang.core.models import CalendarYear, SpecialDay
from sanxiang.core.workdays import (
    CalendarNotCovered,
    add_calendar_days,
    add_workdays,
    due_date,
    is_workday,
    workdays_between,
)

pytestmark = pytest.mark.django_db


def span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# 国办发明电〔2024〕12号：国务院办公厅关于2025年部分节假日安排的通知
NOTICE_2025_HOLIDAYS = {
    "元旦": span(date(2025, 1, 1), date(2025, 1, 1)),
    "春节": span(date(2025, 1, 28), date(2025, 2, 4)),
    "清明节": span(date(2025, 4, 4), date(2025, 4, 6)),
    "劳动节": span(date(2025, 5, 1), date(2025, 5, 5)),
    "端午节": span(date(2025, 5, 31), date(2025, 6, 2)),
    "国庆节、中秋节": span(date(2025, 10, 1), date(2025, 10, 8)),
}
NOTICE_2025_WORKDAYS = {
    date(2025, 1, 26): "春节",
    date(2025, 2, 8): "春节",
    date(2025, 4, 27): "劳动节",
    date(2025, 9, 28): "国庆节",
    date(2025, 10, 11): "国庆节",
}

# 国办发明电〔2025〕7号：国务院办公厅关于2026年部分节假日安排的通知
NOTICE_2026_HOLIDAYS = {
    "元旦": span(date(2026, 1, 1), date(2026, 1, 3)),
    "春节": span(date(2026, 2, 15), date(2026, 2, 23)),
    "清明节": span(date(2026, 4, 4), date(2026, 4, 6)),
    "劳动节": span(date(2026, 5, 1), date(2026, 5, 5)),
    "端午节": span(date(2026, 6, 19), date(2026, 6, 21)),
    "中秋节": span(date(2026, 9, 25), date(2026, 9, 27)),
    "国庆节": span(date(2026, 10, 1), date(2026, 10, 7)),
}
NOTICE_2026_WORKDAYS = {
    date(2026, 1, 4): "元旦",
    date(2026, 2, 14): "春节",
    date(2026, 2, 28): "春节",
    date(2026, 5, 9): "劳动节",
    date(2026, 9, 20): "国庆节",
    date(2026, 10, 10): "国庆节",
}

NOTICES = [
    (2025, NOTICE_2025_HOLIDAYS, NOTICE_2025_WORKDAYS),
    (2026, NOTICE_2026_HOLIDAYS, NOTICE_2026_WORKDAYS),
]


@pytest.mark.parametrize(("year", "holidays", "workdays"), NOTICES)
def test_seeded_calendar_matches_state_council_notice(year, holidays, workdays):
    assert CalendarYear.objects.filter(year=year).exists()
    stored = {d.date: d for d in SpecialDay.objects.filter(calendar_year=year)}

    for names, days in holidays.items():
        for d in days:
            assert d in stored, f"{d} ({names}) missing"
            assert stored[d].kind == SpecialDay.Kind.HOLIDAY, d
            assert stored[d].name in names.split("、"), (d, stored[d].name)
            assert not is_workday(d), d
    for d, name in workdays.items():
        assert d.weekday() >= 5, f"notice make-up day {d} should be a weekend"
        assert stored[d].kind == SpecialDay.Kind.WORKDAY, d
        assert stored[d].name == name
        assert is_workday(d), d

    # Nothing beyond the notice: every other day follows the plain Mon–Fri rule.
    notice_days = {d for days in holidays.values() for d in days} | set(workdays)
    assert set(stored) == notice_days
    for d in span(date(year, 1, 1), date(year, 12, 31)):
        if d not in notice_days:
            assert is_workday(d) == (d.weekday() < 5), d


def test_seeded_years_and_source():
    years = set(CalendarYear.objects.values_list("year", flat=True))
    assert set(range(2004, 2027)) <= years
    assert "chinesecalendar" in CalendarYear.objects.get(year=2026).source
    # The special 2015 holiday keeps its full Chinese name.
    assert SpecialDay.objects.get(date=date(2015, 9, 3)).name.startswith("中国人民抗日战争")
    names = set(SpecialDay.objects.values_list("name", flat=True))
    assert all(re.fullmatch(r"[\u4e00-\u9fff0-9]+", n) for n in names), names


def test_seed_is_idempotent():
    before = SpecialDay.objects.count()
    assert seed_years(2004, 2026) == []
    assert SpecialDay.objects.count() == before


def test_seed_recreates_a_deleted_year():
    CalendarYear.objects.filter(year=2025).delete()
    assert seed_years(2024, 2026) == [2025]
    assert SpecialDay.objects.filter(calendar_year=2025, kind="workday").count() == 5


def test_is_workday_plain_days():
    assert is_workday(date(2026, 3, 10))  # Tuesday
    assert not is_workday(date(2026, 3, 14))  # Saturday


def test_add_workdays_over_national_day_2026():
    # 10-01..07 off, 10-10 (Sat) worked: 10-08, 09, 10, 12, 13, 14, 15 after 09-30.
    assert add_workdays(date(2026, 9, 30), 7) == date(2026, 10, 15)


def test_start_day_not_counted():
    # Monday + 1 working day is Tuesday, not Monday.
    assert add_workdays(date(2026, 3, 9), 1) == date(2026, 3, 10)
    assert add_workdays(date(2026, 3, 9), 0) == date(2026, 3, 9)
    # Starting on a Saturday: the first working day after it is Monday.
    assert add_workdays(date(2026, 3, 14), 1) == date(2026, 3, 16)


def test_add_workdays_counts_make_up_saturday():
    # 2026-05-09 (Sat) is a 调休上班日, 5-01..05 off.
    assert add_workdays(date(2026, 4, 30), 1) == date(2026, 5, 6)
    assert add_workdays(date(2026, 5, 8), 1) == date(2026, 5, 9)
    assert add_workdays(date(2026, 5, 7), 3) == date(2026, 5, 11)


def test_add_workdays_across_year_boundary():
    # 2025-12-31 (Wed) -> 2026-01-01..03 off, 01-04 (Sun) worked.
    assert add_workdays(date(2025, 12, 31), 1) == date(2026, 1, 4)
    assert add_workdays(date(2025, 12, 30), 3) == date(2026, 1, 5)
    assert workdays_between(date(2025, 12, 30), date(2026, 1, 5)) == 3


def test_add_workdays_over_spring_festival_2026():
    # 02-14 (Sat) worked, 02-15..23 off.
    assert add_workdays(date(2026, 2, 13), 2) == date(2026, 2, 24)


def test_add_workdays_rejects_negative():
    with pytest.raises(ValueError, match="不能为负数"):
        add_workdays(date(2026, 3, 9), -1)


def test_workdays_between():
    assert workdays_between(date(2026, 9, 30), date(2026, 10, 12)) == 4
    assert workdays_between(date(2026, 10, 12), date(2026, 9, 30)) == -4
    assert workdays_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    # (a, b]: the end day counts, the start day does not.
    assert workdays_between(date(2026, 3, 9), date(2026, 3, 10)) == 1
    assert workdays_between(date(2026, 3, 13), date(2026, 3, 15)) == 0


def test_between_and_add_agree():
    start = date(2026, 1, 20)
    for n in range(0, 60):
        assert workdays_between(start, add_workdays(start, n)) == n


def test_uncovered_start_year():
    with pytest.raises(CalendarNotCovered, match="2027年") as exc:
        add_workdays(date(2027, 3, 1), 5)
    assert exc.value.year == 2027
    assert "sanxiang workdays seed --from 2027 --to 2027" in str(exc.value)
    with pytest.raises(CalendarNotCovered):
        is_workday(date(2027, 3, 1))
    with pytest.raises(CalendarNotCovered):
        workdays_between(date(2027, 1, 5), date(2027, 1, 8))
    with pytest.raises(CalendarNotCovered):
        add_workdays(date(2027, 3, 1), 0)


def test_uncovered_year_reached_by_the_count():
    # 2026-12-28 is a Monday: 29, 30, 31 are the last working days of 2026.
    assert add_workdays(date(2026, 12, 28), 3) == date(2026, 12, 31)
    with pytest.raises(CalendarNotCovered, match="2027年"):
        add_workdays(date(2026, 12, 28), 4)
    with pytest.raises(CalendarNotCovered, match="2027年"):
        workdays_between(date(2026, 12, 1), date(2027, 1, 10))
    assert add_calendar_days(date(2026, 12, 29), 2) == date(2026, 12, 31)
    with pytest.raises(CalendarNotCovered, match="2027年"):
        add_calendar_days(date(2026, 12, 29), 4)


def test_calendar_not_covered_is_value_error():
    assert issubclass(CalendarNotCovered, ValueError)


def test_admin_entered_year_is_used():
    cy = CalendarYear.objects.create(
        year=2027, source="国务院办公厅关于2027年部分节假日安排的通知（测试）"
    )
    SpecialDay.objects.create(date=date(2027, 1, 1), kind="holiday", name="元旦", calendar_year=cy)
    SpecialDay.objects.create(date=date(2027, 1, 4), kind="holiday", name="元旦", calendar_year=cy)
    SpecialDay.objects.create(date=date(2027, 1, 9), kind="workday", name="元旦", calendar_year=cy)
    # 2026-12-31 (Thu) -> 01-01 (Fri) off, 01-04 (Mon) off, 01-05..08 worked, 01-09 (Sat) worked.
    assert add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 5)
    assert add_workdays(date(2026, 12, 31), 5) == date(2027, 1, 9)
    assert is_workday(date(2027, 1, 9))
    assert not is_workday(date(2027, 1, 4))
    assert workdays_between(date(2026, 12, 30), date(2027, 1, 11)) == 7


def test_add_calendar_days_rolls_forward_over_holiday():
    # 2026-09-24 + 10 = 10-04 (in National Day) -> first working day after is 10-08.
    assert add_calendar_days(date(2026, 9, 24), 10) == date(2026, 10, 8)
    # Ending on a Saturday that is a 调休上班日 is a working day: no roll-forward.
    assert add_calendar_days(date(2026, 9, 30), 10) == date(2026, 10, 10)
    # Ending on a plain Sunday rolls to Monday.
    assert add_calendar_days(date(2026, 3, 1), 14) == date(2026, 3, 16)
    assert add_calendar_days(date(2026, 3, 1), 15) == date(2026, 3, 16)
    assert add_calendar_days(date(2026, 3, 1), 9) == date(2026, 3, 10)


def test_add_calendar_days_rejects_negative():
    with pytest.raises(ValueError, match="不能为负数"):
        add_calendar_days(date(2026, 3, 1), -3)


def test_due_date_dispatch():
    assert due_date(date(2026, 9, 30), 7, "workdays") == date(2026, 10, 15)
    assert due_date(date(2026, 9, 24), 10, "calendar_days") == date(2026, 10, 8)
    with pytest.raises(ValueError, match="未知的期限单位"):
        due_date(date(2026, 9, 30), 7, "weeks")


def test_queries_do_not_grow_with_the_period(django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        add_workdays(date(2026, 1, 5), 20)
    with django_assert_max_num_queries(4):
        add_workdays(date(2025, 1, 2), 200)
    with django_assert_max_num_queries(2):
        workdays_between(date(2025, 1, 2), date(2026, 12, 31))


def test_clean_rejects_weekday_workday():
    cy = CalendarYear.objects.get(year=2026)
    day = SpecialDay(date=date(2026, 3, 10), kind="workday", name="测试", calendar_year=cy)
    with pytest.raises(ValidationError) as exc:
        day.full_clean(validate_unique=False)
    assert "调休上班日必须是周六或周日" in exc.value.message_dict["date"]


def test_clean_rejects_date_outside_year():
    cy = CalendarYear.objects.create(year=2027, source="测试")
    day = SpecialDay(date=date(2026, 3, 14), kind="workday", name="测试", calendar_year=cy)
    with pytest.raises(ValidationError) as exc:
        day.full_clean()
    assert any("不属于2027年" in m for m in exc.value.message_dict["date"])


def test_clean_accepts_valid_days():
    cy = CalendarYear.objects.create(year=2027, source="测试")
    SpecialDay(date=date(2027, 1, 9), kind="workday", name="元旦", calendar_year=cy).full_clean()
    SpecialDay(date=date(2027, 1, 1), kind="holiday", name="元旦", calendar_year=cy).full_clean()


def test_admin_lists_render(admin_client):
    assert admin_client.get("/admin/core/calendaryear/").status_code == 200
    page = admin_client.get("/admin/core/specialday/?calendar_year__year__exact=2026&kind=workday")
    assert page.status_code == 200
    assert "2026年10月10日" in page.content.decode() or "2026-10-10" in page.content.decode()
    assert admin_client.get("/admin/core/specialday/?q=国庆").status_code == 200
    assert admin_client.get("/admin/core/calendaryear/2026/change/").status_code == 200


def test_admin_enters_a_new_year(admin_client):
    prefix = "special_days"
    form = {
        "year": "2027",
        "source": "国务院办公厅关于2027年部分节假日安排的通知",
        "note": "",
        f"{prefix}-TOTAL_FORMS": "2",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-date": "2027-01-01",
        f"{prefix}-0-kind": "holiday",
        f"{prefix}-0-name": "元旦",
        f"{prefix}-1-date": "2027-01-05",
        f"{prefix}-1-kind": "workday",
        f"{prefix}-1-name": "元旦",
    }
    page = admin_client.post("/admin/core/calendaryear/add/", form)
    # 2027-01-05 is a Tuesday: the inline row is rejected with the model's message.
    assert page.status_code == 200
    assert "调休上班日必须是周六或周日" in page.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()

    form[f"{prefix}-1-date"] = "2027-01-09"
    page = admin_client.post("/admin/core/calendaryear/add/", form)
    assert page.status_code == 302
    assert add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert is_workday(date(2027, 1, 9))
