"""公示清单更新时限 (000 公示办法 第二十一条; 001 河南公示办法 第二十二条; 002 第二十条):
a revision made because the law changed is due within the profile's working days, across
holidays; an uncovered calendar year is reported, never guessed; staff changes are live."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from sanxiang.catalog import services
from sanxiang.catalog.models import PowerItem
from sanxiang.catalog.updates import (
    UpdateStatus,
    deadline_text,
    overdue_updates,
    update_obligations,
)
from sanxiang.core.models import CalendarYear
from tests.catalog.conftest import make_power
from tests.factories import (
    AgencyFactory,
    CertificateFactory,
    OfficerFactory,
    Role,
    UserFactory,
    henan,
    zhoucun,
)

# 2026: 国庆 10月1日至7日放假, 10月10日（星期六）上班.
CHANGE = datetime.date(2026, 9, 29)
SINCE = datetime.date(2026, 1, 1)

pytestmark = pytest.mark.skipif(
    timezone.localdate() < CHANGE, reason="the change day must not be in the future"
)


def _revise(head, power: PowerItem, registered: datetime.date) -> PowerItem:
    new = services.revise_item(
        power,
        actor=head,
        change_note="《中华人民共和国食品安全法》修正",
        change_occurred_on=CHANGE,
        basis="《中华人民共和国食品安全法》第一百二十二条",
    )
    moment = timezone.make_aware(datetime.datetime.combine(registered, datetime.time(10)))
    PowerItem.objects.filter(pk=new.pk).update(created_at=moment)
    return new


def _row(agency):
    rows = [r for r in update_obligations(agency, since=SINCE) if r.list_name == "权责清单"]
    assert len(rows) == 1
    return rows[0]


def test_zhengzhou_seven_working_days_run_past_the_national_day_holiday(agency, head):
    power = make_power(head, agency)
    _revise(head, power, datetime.date(2026, 10, 14))
    row = _row(agency)
    # 9月30日, 10月8日, 9日, 10日（调休上班）, 12日, 13日, 14日
    assert row.due_on == datetime.date(2026, 10, 14)
    assert row.status == UpdateStatus.ON_TIME
    assert row.citation == "000 公示办法 第二十一条"
    assert overdue_updates(agency, since=SINCE) == []


def test_zhengzhou_a_day_after_the_due_day_is_late(agency, head):
    power = make_power(head, agency)
    _revise(head, power, datetime.date(2026, 10, 15))
    row = _row(agency)
    assert row.status == UpdateStatus.LATE
    assert row.is_overdue
    assert "2026年10月14日前更新" in row.message
    assert "000 公示办法 第二十一条" in row.message
    assert overdue_updates(agency, since=SINCE) == [row]


def test_henan_allows_twenty_working_days(db):
    agency = AgencyFactory(name="河南省市场监督管理局", jurisdiction=henan())
    head = UserFactory(agency=agency, roles=[Role.AGENCY_HEAD])
    power = make_power(head, agency)
    _revise(head, power, datetime.date(2026, 10, 15))
    row = _row(agency)
    assert row.due_on == datetime.date(2026, 11, 2)
    assert row.status == UpdateStatus.ON_TIME
    assert row.citation == "001 河南公示办法 第二十二条"
    assert deadline_text(agency) == "变动之日起20个工作日内更新（001 河南公示办法 第二十二条）"


def test_zhoucun_fixes_no_period_and_is_never_overdue(db):
    agency = AgencyFactory(name="淄博市周村区综合行政执法局", jurisdiction=zhoucun())
    head = UserFactory(agency=agency, roles=[Role.AGENCY_HEAD])
    power = make_power(head, agency)
    _revise(head, power, timezone.localdate())
    row = _row(agency)
    assert row.status == UpdateStatus.NO_FIXED_PERIOD
    assert row.due_on is None
    assert overdue_updates(agency, since=SINCE) == []
    assert "未规定固定期限" in deadline_text(agency)


def test_uncovered_calendar_year_is_reported_not_guessed(agency, head):
    power = make_power(head, agency)
    _revise(head, power, datetime.date(2026, 10, 20))
    CalendarYear.objects.filter(year=2026).delete()
    row = _row(agency)
    assert row.status == UpdateStatus.UNCOVERED
    assert row.due_on is None
    assert row.uncovered_year == 2026
    assert "日历未覆盖" in row.message
    assert overdue_updates(agency, since=SINCE) == [row]


def test_update_within_as_many_calendar_days_is_known_on_time_without_calendar(agency, head):
    power = make_power(head, agency)
    _revise(head, power, datetime.date(2026, 10, 3))
    CalendarYear.objects.filter(year=2026).delete()
    row = _row(agency)
    assert row.status == UpdateStatus.ON_TIME


def test_staff_changes_are_live_and_never_overdue(agency):
    today = timezone.localdate()
    OfficerFactory(agency=agency, name="孙离岗", left_on=today - datetime.timedelta(days=3))
    CertificateFactory(
        officer=OfficerFactory(agency=agency, name="钱注销"),
        status="revoked",
        status_changed_on=today - datetime.timedelta(days=2),
    )
    rows = update_obligations(agency)
    assert {(r.subject.split("（")[0], r.event) for r in rows} == {
        ("孙离岗", "执法人员离岗"),
        ("钱注销", "执法证注销/吊销"),
    }
    assert all(r.status == UpdateStatus.LIVE and not r.is_overdue for r in rows)


def test_entries_created_without_a_change_day_are_no_obligation(agency, head):
    make_power(head, agency)
    assert update_obligations(agency) == []
