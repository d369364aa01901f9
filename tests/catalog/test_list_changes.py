"""待修订登记 (000 公示办法 第二十一条; 001 河南公示办法 第二十二条; 002 第二十条): a change in law
or in the agency's functions registered before the list revision is entered is due within the
profile's period from the day of the change; open past that day it is 已逾期, resolved it is
按期更新 or 逾期更新; bad input is refused with nothing written."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sanxiang.catalog import services
from sanxiang.catalog.models import ChangeReason, ListChange, ListKind
from sanxiang.catalog.updates import LIST_MODELS, UpdateStatus, overdue_updates, update_obligations
from sanxiang.core.models import CalendarYear
from sanxiang.core.workdays import CalendarNotCovered, due_date, due_dates
from sanxiang.records.models import LedgerEntry
from tests.factories import AgencyFactory, Role, UserFactory, zhoucun

# 2026: 国庆 10月1日至7日放假, 10月10日（星期六）上班 — as in test_updates.py.
CHANGE = datetime.date(2026, 9, 29)
DUE = datetime.date(2026, 10, 14)
SINCE = datetime.date(2026, 1, 1)

pytestmark = pytest.mark.skipif(
    timezone.localdate() <= DUE, reason="the change day and its due day must lie in the past"
)


def _register(actor, agency, **overrides):
    fields = {
        "list_kind": ListKind.POWER_ITEM,
        "reason_kind": ChangeReason.LAW,
        "description": "《中华人民共和国食品安全法》第一百二十二条修正",
        "occurred_on": CHANGE,
        **overrides,
    }
    return services.register_list_change(actor=actor, agency=agency, **fields)


def _row(agency, on=None):
    rows = [r for r in update_obligations(agency, on, since=SINCE) if r.list_change_id]
    assert len(rows) == 1
    return rows[0]


def _ledger(action: str) -> int:
    return LedgerEntry.objects.filter(action=f"catalog.{action}").count()


def test_list_kinds_are_the_names_the_update_log_uses():
    assert sorted(ListKind.labels) == sorted(str(m._meta.verbose_name_plural) for m in LIST_MODELS)


def test_registered_change_is_due_seven_working_days_across_national_day(agency, head):
    change = _register(head, agency)
    assert _ledger("register_list_change") == 1
    pending = _row(agency, on=DUE)
    assert pending.due_on == DUE
    assert pending.status == UpdateStatus.PENDING and pending.status_label == "待更新"
    assert pending.list_name == "权责清单" and pending.updated_on is None
    assert not pending.is_overdue
    assert overdue_updates(agency, DUE, since=SINCE) == []
    late = _row(agency, on=DUE + datetime.timedelta(days=1))
    assert late.status == UpdateStatus.OVERDUE and late.status_label == "已逾期"
    assert "2026年10月14日前更新" in late.message and "000 公示办法 第二十一条" in late.message
    assert overdue_updates(agency, since=SINCE) == [_row(agency)]
    assert _row(agency).list_change_id == change.pk


@pytest.mark.parametrize(
    ("resolved_on", "status", "label"),
    [
        (DUE, UpdateStatus.ON_TIME, "按期更新"),
        (DUE + datetime.timedelta(days=1), UpdateStatus.LATE, "逾期更新"),
    ],
)
def test_resolving_judges_the_update_day_against_the_due_day(
    agency, head, resolved_on, status, label
):
    change = _register(head, agency)
    services.resolve_list_change(change, actor=head, note="权责清单已修订为第2版", on=resolved_on)
    change.refresh_from_db()
    assert (change.resolved_on, change.resolved_by, change.resolution_note) == (
        resolved_on,
        head,
        "权责清单已修订为第2版",
    )
    row = _row(agency)
    assert (row.status, row.status_label, row.updated_on, row.due_on) == (
        status,
        label,
        resolved_on,
        DUE,
    )
    assert _ledger("resolve_list_change") == 1
    # Seen as of a day before it was resolved, it was still open then.
    assert _row(agency, on=resolved_on - datetime.timedelta(days=1)).is_open


def test_an_open_change_older_than_the_window_stays_listed(agency, head):
    _register(head, agency)
    rows = update_obligations(agency, since=timezone.localdate())
    assert [r.status for r in rows] == [UpdateStatus.OVERDUE]


def test_zhoucun_fixes_no_period_and_an_open_change_is_never_overdue(db):
    agency = AgencyFactory(name="淄博市周村区综合行政执法局", jurisdiction=zhoucun())
    head = UserFactory(agency=agency, roles=[Role.AGENCY_HEAD])
    change = _register(head, agency, reason_kind=ChangeReason.FUNCTIONS)
    row = _row(agency)
    assert row.status == UpdateStatus.PROMPTLY and row.due_on is None
    assert "及时更新" in row.status_label
    assert overdue_updates(agency, since=SINCE) == []
    services.resolve_list_change(change, actor=head, note="已更新", on=timezone.localdate())
    assert _row(agency).status == UpdateStatus.NO_FIXED_PERIOD
    assert overdue_updates(agency, since=SINCE) == []


def test_uncovered_calendar_is_reported_not_guessed(agency, head):
    _register(head, agency)
    CalendarYear.objects.filter(year=2026).delete()
    assert _row(agency, on=CHANGE + datetime.timedelta(days=7)).status == UpdateStatus.PENDING
    row = _row(agency)
    assert row.status == UpdateStatus.UNCOVERED and row.uncovered_year == 2026
    assert row.due_on is None and row.is_overdue


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "  "}, "description"),
        ({"occurred_on": None}, "occurred_on"),
        ({"list_kind": "officers"}, "list_kind"),
        ({"reason_kind": "whim"}, "reason_kind"),
    ],
)
def test_bad_registration_is_refused_naming_the_field(agency, head, overrides, field):
    with pytest.raises(ValidationError) as exc:
        _register(head, agency, **overrides)
    assert field in exc.value.message_dict
    assert not ListChange.objects.exists() and _ledger("register_list_change") == 0


def test_a_future_change_day_is_refused_citing_the_rule(agency, head):
    with pytest.raises(ValidationError) as exc:
        _register(head, agency, occurred_on=timezone.localdate() + datetime.timedelta(days=1))
    assert "000 公示办法 第二十一条" in exc.value.message_dict["occurred_on"][0]
    assert not ListChange.objects.exists()


def test_others_may_not_register_or_resolve(agency, head, officer_user, other_agency):
    stranger = UserFactory(agency=other_agency, roles=[Role.AGENCY_HEAD])
    for user in (officer_user, stranger):
        with pytest.raises(PermissionDenied):
            _register(user, agency)
    change = _register(head, agency)
    for user in (officer_user, stranger):
        with pytest.raises(PermissionDenied):
            services.resolve_list_change(change, actor=user, note="已更新")
    change.refresh_from_db()
    assert change.is_open and _ledger("resolve_list_change") == 0
    assert ListChange.objects.count() == 1


@pytest.mark.parametrize(
    ("note", "on", "field"),
    [
        ("", None, "resolution_note"),
        ("已更新", CHANGE - datetime.timedelta(days=1), "resolved_on"),
        ("已更新", "future", "resolved_on"),
    ],
)
def test_bad_resolution_is_refused(agency, head, note, on, field):
    change = _register(head, agency)
    if on == "future":
        on = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.resolve_list_change(change, actor=head, note=note, on=on)
    assert field in exc.value.message_dict
    change.refresh_from_db()
    assert change.is_open and _ledger("resolve_list_change") == 0


def test_resolving_twice_is_refused(agency, head):
    change = _register(head, agency)
    services.resolve_list_change(change, actor=head, note="已更新", on=DUE)
    with pytest.raises(ValidationError, match="不能重复办结"):
        services.resolve_list_change(change, actor=head, note="再次", on=DUE)
    change.refresh_from_db()
    assert change.resolution_note == "已更新" and _ledger("resolve_list_change") == 1


# --------------------------------------------------------------------------- the page


def test_page_registers_shows_and_resolves_a_change(client, agency, head):
    client.force_login(head)
    page = reverse("workbench:agency", args=[agency.pk])
    html = client.get(page).content.decode()
    assert "登记待修订变动" in html
    response = client.post(
        reverse("workbench:list_change_register", args=[agency.pk]),
        {
            "list_kind": "discretion_standard",
            "reason_kind": "law",
            "description": "《河南省食品安全条例》修订",
            "occurred_on": CHANGE.isoformat(),
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0].startswith(page)
    html = response.content.decode()
    assert "已登记待修订变动" in html
    assert "《河南省食品安全条例》修订" in html and "已逾期" in html and "2026-10-14" in html
    change = ListChange.objects.get()
    assert change.list_kind == "discretion_standard" and change.registered_by == head
    resolve = reverse("workbench:list_change_resolve", args=[change.pk])
    assert resolve in html
    response = client.post(
        resolve, {"resolved_on": "2026-10-20", "note": "裁量基准已修订"}, follow=True
    )
    html = response.content.decode()
    assert "已登记公示清单更新" in html and "逾期更新" in html
    change.refresh_from_db()
    assert change.resolved_on == datetime.date(2026, 10, 20)
    assert resolve not in html


def test_page_refusals_are_shown_and_write_nothing(client, agency, head):
    client.force_login(head)
    response = client.post(
        reverse("workbench:list_change_register", args=[agency.pk]),
        {
            "list_kind": "power_item",
            "reason_kind": "law",
            "description": "法律修正",
            "occurred_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
        },
        follow=True,
    )
    assert "变动之日不能晚于今天" in response.content.decode()
    assert not ListChange.objects.exists()
    change = _register(head, agency)
    response = client.post(
        reverse("workbench:list_change_resolve", args=[change.pk]),
        {"resolved_on": DUE.isoformat(), "note": ""},
        follow=True,
    )
    assert "请写明公示清单如何更新" in response.content.decode()
    change.refresh_from_db()
    assert change.is_open


def test_page_offers_no_forms_to_an_officer_and_refuses_posts(client, agency, head, officer_user):
    change = _register(head, agency)
    client.force_login(officer_user)
    html = client.get(reverse("workbench:agency", args=[agency.pk])).content.decode()
    assert "已逾期" in html
    assert "登记待修订变动" not in html
    assert reverse("workbench:list_change_resolve", args=[change.pk]) not in html
    response = client.post(
        reverse("workbench:list_change_resolve", args=[change.pk]),
        {"resolved_on": DUE.isoformat(), "note": "已更新"},
    )
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.is_open


def test_another_agencys_user_cannot_reach_the_change(client, agency, head, other_agency):
    change = _register(head, agency)
    client.force_login(UserFactory(agency=other_agency, roles=[Role.AGENCY_HEAD]))
    response = client.post(
        reverse("workbench:list_change_resolve", args=[change.pk]),
        {"resolved_on": DUE.isoformat(), "note": "已更新"},
    )
    assert response.status_code == 404
    change.refresh_from_db()
    assert change.is_open


def test_page_reads_the_changes_in_one_query_however_many(client, agency, head):
    client.force_login(head)
    page = reverse("workbench:agency", args=[agency.pk])
    client.get(page)
    with CaptureQueriesContext(connection) as empty:
        client.get(page)
    for n in range(12):  # twelve different change days
        _register(
            head,
            agency,
            description=f"变动{n}",
            occurred_on=CHANGE - datetime.timedelta(days=n * 9),
        )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page)
    assert response.status_code == 200
    assert response.content.decode().count("登记已更新") == 12
    table = ListChange._meta.db_table
    assert sum(table in q["sql"] for q in queries.captured_queries) == 1
    # The due days of all twelve come from one read of the calendar (two queries).
    assert len(queries.captured_queries) <= len(empty.captured_queries) + 3


def test_batched_due_days_match_one_at_a_time(db):
    days = [CHANGE + datetime.timedelta(days=n) for n in range(0, 40, 3)]
    batch = due_dates(days, 7, "workdays")
    assert all(batch[d] == due_date(d, 7, "workdays") for d in days)
    assert batch[CHANGE] == DUE
    late = datetime.date(2026, 12, 28)  # runs into a year the calendar may lack
    CalendarYear.objects.filter(year=2027).delete()
    result = due_dates([CHANGE, late], 7, "workdays")
    assert result[CHANGE] == DUE
    assert isinstance(result[late], CalendarNotCovered) and result[late].year == 2027
