"""Publication, withdrawal and correction periods across holidays, per jurisdiction
(000 公示办法 第二十条、第二十一条; 001 河南公示办法 第二十一条、第二十二条; 002 第十八条、
第二十条), and the 日历未覆盖 state when the calendar lacks a year — never a guess."""

from __future__ import annotations

import datetime

import pytest

from sanxiang.core.models import CalendarYear
from sanxiang.disclosure import deadlines

# 2026-09-29 (Tue), before 国庆: Oct 1–7 off, Oct 10 (Sat) a working day.
BEFORE_NATIONAL_DAY = datetime.date(2026, 9, 29)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("profile", "action_type", "expected", "source"),
    [
        # 7 working days: Sep 30, Oct 8, 9, 10 (调休), 12, 13, 14
        ("zhengzhou", "penalty", datetime.date(2026, 10, 14), "000 公示办法 第二十条"),
        ("zhengzhou", "licensing", datetime.date(2026, 10, 14), "000 公示办法 第二十条"),
        ("henan", "penalty", datetime.date(2026, 10, 14), "001 河南公示办法 第二十一条"),
        # 20 working days for the others
        ("zhengzhou", "coercion", datetime.date(2026, 11, 2), "000 公示办法 第二十条"),
        ("henan", "inspection", datetime.date(2026, 11, 2), "001 河南公示办法 第二十一条"),
    ],
)
def test_publication_due_skips_the_national_day_holiday(profile, action_type, expected, source):
    due = deadlines.publication_due(profile, action_type, BEFORE_NATIONAL_DAY)
    assert due.state == "fixed"
    assert due.on == expected
    assert due.source == source


@pytest.mark.django_db
def test_withdrawal_and_correction_periods_differ_by_jurisdiction():
    # Zhengzhou: 7 working days (000 公示办法 第二十一条); Henan: 20 (001 第二十二条)
    zz = deadlines.withdrawal_due("zhengzhou", BEFORE_NATIONAL_DAY)
    hn = deadlines.withdrawal_due("henan", BEFORE_NATIONAL_DAY)
    assert (zz.on, zz.source) == (datetime.date(2026, 10, 14), "000 公示办法 第二十一条")
    assert (hn.on, hn.source) == (datetime.date(2026, 11, 2), "001 河南公示办法 第二十二条")
    assert deadlines.correction_due("zhengzhou", BEFORE_NATIONAL_DAY).on == datetime.date(
        2026, 10, 14
    )
    assert deadlines.correction_due("henan", BEFORE_NATIONAL_DAY).on == datetime.date(2026, 11, 2)


@pytest.mark.django_db
def test_zhoucun_fixes_no_period():
    """002 第十八条 / 第二十条 say only 及时: no due date, and the note says why."""
    for due in (
        deadlines.publication_due("zhoucun", "penalty", BEFORE_NATIONAL_DAY),
        deadlines.withdrawal_due("zhoucun", BEFORE_NATIONAL_DAY),
        deadlines.correction_due("zhoucun", BEFORE_NATIONAL_DAY),
    ):
        assert due.on is None and due.state == "unfixed"
        assert "002 第" in due.note and "及时" in due.note


@pytest.mark.django_db
def test_a_period_running_into_an_uncovered_year_has_no_due_date():
    assert not CalendarYear.objects.filter(year=2027).exists()
    due = deadlines.publication_due("zhengzhou", "penalty", datetime.date(2026, 12, 28))
    assert due.on is None and due.state == "uncovered"
    assert "日历未覆盖" in due.note and "2027" in due.note
    # the same period within the covered year is computed
    assert deadlines.publication_due("zhengzhou", "penalty", datetime.date(2026, 12, 1)).on == (
        datetime.date(2026, 12, 10)
    )
