"""Whether an agency updated its published lists in time after a change (000 公示办法
第二十一条: 法律、法规、规章及机构职能变化、执法人员变动的，应当在变动之日起7个工作日内更新相关
行政执法信息; 001 河南公示办法 第二十二条: 20个工作日; 002 第二十条: 及时, no fixed period).

The period is the profile rule ``disclosure.update_deadline``. Reads only; derived from data
the system already holds:

* A list entry revised because the law or the agency's functions changed carries the day of
  that change (``change_occurred_on``). The portal shows a list's current versions live, so
  the list was updated the day the new version was registered (``created_at``); the
  obligation is met on time if that day is not after the due day.
* A change registered as obliging a list to be revised (``ListChange``, 待修订登记) is due
  the same way from its day; while open it is 待更新 or, past the due day, 已逾期; once
  resolved it is 按期更新 or 逾期更新 by the day the lists were updated.
* Staff changes — an officer leaving, a certificate suspended or revoked — need no action on
  the lists: the 执法人员清单 reads the officers and certificates live and drops the officer
  the same day (status 实时更新).

A due day in a year the working-day calendar does not cover is never guessed: the row says
日历未覆盖, unless the update came within as many calendar days as the period has working
days (then it is known to be on time).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import F, IntegerField, Q, TextField, Value
from django.db.models.functions import Cast
from django.utils import timezone

from sanxiang.core.rules import get_profile
from sanxiang.core.workdays import CalendarNotCovered, due_dates
from sanxiang.org.models import Agency, Certificate, Officer

from .models import (
    AVMatter,
    CatalogItem,
    DiscretionStandard,
    ListChange,
    PowerItem,
    RandomInspectionItem,
    RemedyChannel,
    ServiceGuide,
    SupervisionChannel,
)

RULE_KEY = "disclosure.update_deadline"

#: The lists whose entries are versioned, in the order of 000 公示办法 第七条.
LIST_MODELS: tuple[type[CatalogItem], ...] = (
    PowerItem,
    RandomInspectionItem,
    DiscretionStandard,
    ServiceGuide,
    RemedyChannel,
    SupervisionChannel,
    AVMatter,
)

#: How far back the log reaches by default, and how many rows per source it reads at most.
DEFAULT_WINDOW_DAYS = 365
ROWS_PER_SOURCE = 200


class UpdateStatus(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    LIVE = "live"
    NO_FIXED_PERIOD = "no_fixed_period"
    UNCOVERED = "uncovered"
    PENDING = "pending"
    OVERDUE = "overdue"
    PROMPTLY = "promptly"


STATUS_LABELS = {
    UpdateStatus.ON_TIME: "按期更新",
    UpdateStatus.LATE: "逾期更新",
    UpdateStatus.LIVE: "实时更新",
    UpdateStatus.NO_FIXED_PERIOD: "已更新（未规定固定期限）",
    UpdateStatus.UNCOVERED: "日历未覆盖",
    UpdateStatus.PENDING: "待更新",
    UpdateStatus.OVERDUE: "已逾期",
    UpdateStatus.PROMPTLY: "及时更新（未规定固定期限）",
}


@dataclass(frozen=True)
class UpdateObligation:
    """One change the published lists had to follow, and whether they did in time."""

    list_name: str  # 权责清单, 执法人员清单 …
    subject: str  # the entry or the officer
    event: str  # what changed
    occurred_on: datetime.date
    due_on: datetime.date | None
    updated_on: datetime.date | None  # None: not yet updated (an open 待修订登记)
    status: UpdateStatus
    citation: str  # the rule's source, e.g. "000 公示办法 第二十一条"
    period: str  # "7个工作日", or "" where none is fixed
    uncovered_year: int | None = None
    list_change_id: int | None = None  # the 待修订登记 the row comes from

    @property
    def is_open(self) -> bool:
        return self.updated_on is None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_overdue(self) -> bool:
        return self.status in (UpdateStatus.LATE, UpdateStatus.UNCOVERED, UpdateStatus.OVERDUE)

    @property
    def message(self) -> str:
        """The Chinese sentence shown to staff, with the rule's source."""
        if self.status == UpdateStatus.OVERDUE:
            assert self.due_on is not None
            return (
                f"{self.list_name}“{self.subject}”应于{self.due_on:%Y年%m月%d日}前更新，"
                f"至今尚未更新，已逾期（{self.citation}：变动之日起{self.period}内更新）。"
            )
        if self.status == UpdateStatus.PENDING and self.due_on is not None:
            return (
                f"{self.list_name}“{self.subject}”待更新，应于{self.due_on:%Y年%m月%d日}前更新"
                f"（{self.citation}）。"
            )
        if self.status == UpdateStatus.LATE:
            assert self.due_on is not None and self.updated_on is not None
            return (
                f"{self.list_name}“{self.subject}”应于{self.due_on:%Y年%m月%d日}前更新，"
                f"实际于{self.updated_on:%Y年%m月%d日}更新，已逾期（{self.citation}：变动之日起"
                f"{self.period}内更新）。"
            )
        if self.status == UpdateStatus.UNCOVERED:
            return (
                f"{self.list_name}“{self.subject}”的更新期限无法计算：工作日历未包含"
                f"{self.uncovered_year}年的节假日数据（日历未覆盖，{self.citation}）。"
            )
        return f"{self.list_name}“{self.subject}”：{self.status_label}（{self.citation}）。"


@dataclass(frozen=True)
class _Deadline:
    amount: int | None
    unit: str | None
    citation: str
    period: str


def _deadline(agency: Agency) -> _Deadline:
    rule = get_profile(agency.rule_profile_code).rule(RULE_KEY)
    period = rule.value
    if period is None:
        return _Deadline(None, None, rule.source, "")
    return _Deadline(period.amount, period.unit, rule.source, str(period))


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


Dues = dict[datetime.date, datetime.date | CalendarNotCovered]


def _dues(deadline: _Deadline, days: list[datetime.date]) -> Dues:
    """The due day of every change day of the log, reading the calendar once for them all."""
    if deadline.amount is None or deadline.unit is None or not days:
        return {}
    return due_dates(days, deadline.amount, deadline.unit)


def _judge(
    deadline: _Deadline,
    dues: Dues,
    occurred_on: datetime.date,
    updated_on: datetime.date | None,
    on: datetime.date,
) -> tuple[UpdateStatus, datetime.date | None, int | None]:
    """(status, due day, uncovered year) for a change on `occurred_on` reflected on
    `updated_on` — or, when `updated_on` is None, not yet reflected as of `on`."""
    if deadline.amount is None or deadline.unit is None:
        status = UpdateStatus.PROMPTLY if updated_on is None else UpdateStatus.NO_FIXED_PERIOD
        return status, None, None
    due = dues[occurred_on]
    if isinstance(due, CalendarNotCovered):
        # N working days are never fewer than N calendar days.
        if ((updated_on or on) - occurred_on).days <= deadline.amount:
            status = UpdateStatus.PENDING if updated_on is None else UpdateStatus.ON_TIME
            return status, None, None
        return UpdateStatus.UNCOVERED, None, due.year
    if updated_on is None:
        return (UpdateStatus.PENDING if on <= due else UpdateStatus.OVERDUE), due, None
    return (UpdateStatus.ON_TIME if updated_on <= due else UpdateStatus.LATE), due, None


#: The column that names an entry of each list, for the log.
_SUBJECT = {
    PowerItem: "name",
    RandomInspectionItem: "name",
    DiscretionStandard: "violation",
    ServiceGuide: "matter__name",
    RemedyChannel: "name",
    SupervisionChannel: "name",
    AVMatter: "activity",
}


_CatalogRow = tuple[int, str, int, datetime.date, datetime.datetime, str]


def _catalog_revisions(
    agency: Agency, since: datetime.date, on: datetime.date
) -> list[_CatalogRow]:
    """One query for all the lists: a UNION of the revisions that carry a change day."""
    parts = [
        model._default_manager.filter(
            agency=agency,
            change_occurred_on__isnull=False,
            change_occurred_on__gte=since,
            change_occurred_on__lte=on,
        )
        .order_by()
        .annotate(
            x_list=Value(index, output_field=IntegerField()),
            x_subject=Cast(F(_SUBJECT[model]), output_field=TextField()),
            x_version=F("version"),
            x_occurred=F("change_occurred_on"),
            x_registered=F("created_at"),
            x_note=F("change_note"),
        )
        .values_list("x_list", "x_subject", "x_version", "x_occurred", "x_registered", "x_note")
        for index, model in enumerate(LIST_MODELS)
    ]
    union = parts[0].union(*parts[1:], all=True).order_by("-x_occurred")[:ROWS_PER_SOURCE]
    return list(union)


def _catalog_rows(
    revisions: list[_CatalogRow], deadline: _Deadline, dues: Dues, on: datetime.date
) -> list[UpdateObligation]:
    rows: list[UpdateObligation] = []
    for index, subject, version, occurred, registered, note in revisions:
        updated = _local_day(registered)
        status, due, year = _judge(deadline, dues, occurred, updated, on)
        model = LIST_MODELS[index]
        rows.append(
            UpdateObligation(
                list_name=str(model._meta.verbose_name_plural),
                subject=f"{subject[:60]}（第{version}版）",
                event=f"{note.strip() or '法律、法规、规章或机构职能变化'}（修订为第{version}版）",
                occurred_on=occurred,
                due_on=due,
                updated_on=updated,
                status=status,
                citation=deadline.citation,
                period=deadline.period,
                uncovered_year=year,
            )
        )
    return rows


def _list_changes(agency: Agency, since: datetime.date, on: datetime.date) -> list[ListChange]:
    """One query: the registered changes (待修订登记) of the window, and every one still open
    however old — an open change never drops out of sight."""
    return list(
        ListChange.objects.filter(agency=agency, occurred_on__lte=on)
        .filter(Q(occurred_on__gte=since) | Q(resolved_on__isnull=True) | Q(resolved_on__gt=on))
        .order_by("-occurred_on", "-pk")[:ROWS_PER_SOURCE]
    )


def _list_change_rows(
    changes: list[ListChange], deadline: _Deadline, dues: Dues, on: datetime.date
) -> list[UpdateObligation]:
    rows: list[UpdateObligation] = []
    for change in changes:
        # Seen as of `on`: a change resolved later was still open then.
        updated = change.resolved_on if change.resolved_on and change.resolved_on <= on else None
        status, due, year = _judge(deadline, dues, change.occurred_on, updated, on)
        rows.append(
            UpdateObligation(
                list_name=change.get_list_kind_display(),
                subject=change.description[:60],
                event=f"{change.get_reason_kind_display()}（待修订登记）",
                occurred_on=change.occurred_on,
                due_on=due,
                updated_on=updated,
                status=status,
                citation=deadline.citation,
                period=deadline.period,
                uncovered_year=year,
                list_change_id=change.pk,
            )
        )
    return rows


def _staff_rows(
    agency: Agency, deadline: _Deadline, since: datetime.date, on: datetime.date
) -> list[UpdateObligation]:
    rows: list[UpdateObligation] = []
    left = Officer.objects.filter(agency=agency, left_on__gte=since, left_on__lte=on).order_by(
        "-left_on", "-pk"
    )[:ROWS_PER_SOURCE]
    for officer in left:
        assert officer.left_on is not None
        rows.append(
            UpdateObligation(
                list_name="执法人员清单",
                subject=officer.name,
                event="执法人员离岗",
                occurred_on=officer.left_on,
                due_on=officer.left_on,
                updated_on=officer.left_on,
                status=UpdateStatus.LIVE,
                citation=deadline.citation,
                period=deadline.period,
            )
        )
    changed = (
        Certificate.objects.filter(
            officer__agency=agency,
            status__in=[Certificate.Status.SUSPENDED, Certificate.Status.REVOKED],
            status_changed_on__gte=since,
            status_changed_on__lte=on,
        )
        .select_related("officer")
        .order_by("-status_changed_on", "-pk")[:ROWS_PER_SOURCE]
    )
    for cert in changed:
        assert cert.status_changed_on is not None
        rows.append(
            UpdateObligation(
                list_name="执法人员清单",
                subject=f"{cert.officer.name}（{cert.number}）",
                event=f"执法证{cert.get_status_display()}",
                occurred_on=cert.status_changed_on,
                due_on=cert.status_changed_on,
                updated_on=cert.status_changed_on,
                status=UpdateStatus.LIVE,
                citation=deadline.citation,
                period=deadline.period,
            )
        )
    return rows


def update_obligations(
    agency: Agency,
    on: datetime.date | None = None,
    *,
    since: datetime.date | None = None,
) -> list[UpdateObligation]:
    """Every change from `since` (default a year before `on`) to `on` the agency's published
    lists had to follow, newest first, with its due day and whether it was met."""
    on = on or timezone.localdate()
    since = since or on - datetime.timedelta(days=DEFAULT_WINDOW_DAYS)
    deadline = _deadline(agency)
    revisions = _catalog_revisions(agency, since, on)
    changes = _list_changes(agency, since, on)
    dues = _dues(deadline, [r[3] for r in revisions] + [c.occurred_on for c in changes])
    rows = (
        _catalog_rows(revisions, deadline, dues, on)
        + _list_change_rows(changes, deadline, dues, on)
        + _staff_rows(agency, deadline, since, on)
    )
    rows.sort(key=lambda r: (r.occurred_on, r.list_name), reverse=True)
    return rows


def overdue_updates(
    agency: Agency, on: datetime.date | None = None, *, since: datetime.date | None = None
) -> list[UpdateObligation]:
    """The changes the lists followed late, the registered changes still open past their due
    day (已逾期), and those whose due day the calendar cannot tell (日历未覆盖) — what a
    supervisor looks at (000 公示办法 第二十一条)."""
    return [row for row in update_obligations(agency, on, since=since) if row.is_overdue]


def deadline_text(agency: Agency) -> str:
    """ "变动之日起7个工作日内（000 公示办法 第二十一条）", or the profile's note where the
    measure fixes no period."""
    rule = get_profile(agency.rule_profile_code).rule(RULE_KEY)
    if rule.value is None:
        return f"及时更新，未规定固定期限（{rule.source}）"
    return f"变动之日起{rule.value}内更新（{rule.source}）"
