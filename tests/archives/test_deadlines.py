"""The archiving deadline from the profile: 20 working days in Zhengzhou (000 全过程记录办法
第二十五条), counted across a holiday; 30 days in Zhoucun (002 第四十三条); a year the
calendar lacks gives no date (日历未覆盖), never a guess."""

from __future__ import annotations

import datetime

import pytest

from sanxiang.archives.models import CaseFile
from sanxiang.archives.services import archive_deadline, register_due_case_files
from sanxiang.cases.models import Case
from sanxiang.core.models import CalendarYear
from sanxiang.records.models import LedgerEntry
from tests.cases.factories import open_penalty

pytestmark = pytest.mark.django_db


def test_zhengzhou_counts_20_working_days_across_the_national_day_holiday():
    # closed on Fri 2025-09-26; 1-8 October are holidays, 28 Sep and 11 Oct working Sundays/Saturdays
    d = archive_deadline("zhengzhou", datetime.date(2025, 9, 26))
    assert d.source == "000 全过程记录办法 第二十五条" and d.text == "20个工作日"
    # 9/28, 9/29, 9/30 (3), 10/9, 10/10, 10/11 (6), 10/13-17 (11), 10/20-24 (16), 10/27-30 (20)
    assert d.due_on == datetime.date(2025, 10, 30)
    assert d.uncovered_year is None


def test_zhoucun_counts_30_days():
    d = archive_deadline("zhoucun", datetime.date(2025, 3, 3))
    assert d.source == "002 第四十三条" and d.text == "30日"
    assert d.due_on == datetime.date(2025, 4, 2)


def test_a_year_without_holiday_data_is_not_guessed():
    CalendarYear.objects.filter(year=2040).delete()
    d = archive_deadline("zhengzhou", datetime.date(2040, 12, 20))
    assert d.due_on is None and d.uncovered_year in (2040, 2041)


def test_registering_closed_cases_is_batched_and_ledgered(world):
    cases = [open_penalty(world, opened_ago=20) for _ in range(5)]
    Case.objects.filter(pk__in=[c.pk for c in cases[:3]]).update(
        status=Case.Status.CLOSED, closed_on=datetime.date(2025, 9, 26)
    )
    before = LedgerEntry.objects.filter(action="archives.register_due").count()
    assert register_due_case_files(actor=None, batch_size=2) == 3
    assert LedgerEntry.objects.filter(action="archives.register_due").count() == before + 2
    files = CaseFile.objects.order_by("case_id")
    assert [f.case_id for f in files] == [c.pk for c in cases[:3]]
    assert {f.due_on for f in files} == {datetime.date(2025, 10, 30)}
    assert register_due_case_files(actor=None) == 0  # nothing twice


def test_the_archive_due_command_registers_closed_cases(world):
    from io import StringIO

    from django.core.management import call_command

    case = open_penalty(world, opened_ago=20)
    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.CLOSED, closed_on=datetime.date(2025, 3, 3)
    )
    out = StringIO()
    call_command("archive_due", stdout=out)
    assert "已登记案卷 1 件" in out.getvalue()
    assert CaseFile.objects.get(case=case).due_on == datetime.date(2025, 3, 31)
