"""Telling the case source what was decided (002 第三十条): the 案源告知记录 writes back to
the case source in the same transaction, and a case whose source must be told is not closed
until it was."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanxiang.cases import services
from sanxiang.cases.models import Case, CaseSource, Record
from sanxiang.records import ledger
from sanxiang.records.models import LedgerEntry
from tests.cases.factories import RECORD_DATA, days_ago, fire, open_penalty, signed_record

pytestmark = pytest.mark.django_db


def not_filed(world, **source: Any) -> Case:
    case = open_penalty(world, **source)
    signed_record(world, case, "case_source_register", 10, ["officer"])
    signed_record(world, case, "filing_approval", 10, ["officer", "unit_head", "agency_head"])
    return fire(world.head, case, "not_filed")


def notify(world, case: Case, notified_ago: int, **data: Any) -> Record:
    record = services.add_record(
        actor=world.user_a,
        case=case,
        kind="source_notification",
        made_on=days_ago(notified_ago),
        data={
            **RECORD_DATA["source_notification"],
            "notified_on": days_ago(notified_ago).isoformat(),
            **data,
        },
    )
    services.sign_record(
        actor=world.user_a,
        record=record,
        role="officer",
        signer_name=world.officer_a.name,
        officer=world.officer_a,
    )
    return record


def approve_closure(world, case: Case) -> None:
    signed_record(world, case, "closure_approval", 0, ["officer", "unit_head"])


def test_case_not_filed_is_not_closed_until_the_source_is_told(world):
    case = not_filed(world)
    assert case.stage == "closure" and case.status == Case.Status.OPEN
    approve_closure(world, case)
    entries = LedgerEntry.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.close_if_finished(actor=world.head, case=case)
    [message] = excinfo.value.messages
    assert "不启动理由、依据" in message and message.endswith("（002 第三十条）")
    assert LedgerEntry.objects.count() == entries
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN

    record = notify(world, case, 1)
    source = CaseSource.objects.get(case=case)
    assert source.notified_on == days_ago(1)
    assert source.notification_summary.startswith("经审查，不予立案")
    assert "张某" in source.notification_summary and "电话告知" in source.notification_summary
    entry = LedgerEntry.objects.get(action="cases.add_record", object_id=str(record.pk))
    assert ledger.entry_data(entry)["source"]["notified_on"] == days_ago(1).isoformat()

    case = services.close_if_finished(actor=world.head, case=case)
    assert case.status == Case.Status.CLOSED and case.closed_on == timezone.localdate()


def test_a_notice_made_before_not_filing_counts(world):
    case = open_penalty(world)
    signed_record(world, case, "case_source_register", 10, ["officer"])
    signed_record(world, case, "filing_approval", 10, ["officer", "unit_head", "agency_head"])
    notify(world, case, 2)
    case = fire(world.head, case, "not_filed")
    approve_closure(world, case)
    case.refresh_from_db()
    assert services.close_if_finished(actor=world.head, case=case).status == Case.Status.CLOSED


def test_the_outcome_must_be_told_in_the_closing_stage_once_filed(world):
    """A notice from the filing stage does not tell the outcome of a filed case."""
    from sanxiang.cases.state import build_case_state
    from sanxiang.procedures import engine

    case = open_penalty(world)
    signed_record(world, case, "case_source_register", 10, ["officer"])
    notify(world, case, 9)
    signed_record(world, case, "filing_approval", 10, ["officer", "unit_head", "agency_head"])
    case = fire(world.head, case, "file")
    # jump to closure as if the case had been dismissed (the dismissal path needs no more)
    Case.objects.filter(pk=case.pk).update(stage="closure")
    case.refresh_from_db()
    approve_closure(world, case)
    state = build_case_state(case, timezone.localdate())
    [gap] = engine.open_requirements(state)
    assert "执法情况、执法结果" in gap.message and gap.source == "002 第三十条"
    assert not engine.is_finished(state)
    notify(world, case, 0, content="已作出处理决定并执行完毕")
    assert engine.is_finished(build_case_state(case, timezone.localdate()))


def test_source_without_the_duty_closes_without_a_notice(world):
    source = services.SourceInput(
        kind="inspection", received_on=days_ago(10), summary="日常检查发现", notify_required=False
    )
    case = not_filed(world, source=source)
    approve_closure(world, case)
    case.refresh_from_db()
    assert services.close_if_finished(actor=world.head, case=case).status == Case.Status.CLOSED
    assert CaseSource.objects.get(case=case).notified_on is None


@pytest.mark.parametrize(
    ("notified_on", "message"),
    [
        ("昨天", "告知日期“昨天”不是有效日期（002 第三十条）"),
        ("2999-01-01", "告知日期（2999年01月01日）晚于今天"),
        ("2000-01-01", "早于案件启动日期"),
    ],
)
def test_bad_notification_date_is_refused_and_nothing_written(world, notified_on, message):
    case = not_filed(world)
    records, entries = Record.objects.count(), LedgerEntry.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.add_record(
            actor=world.user_a,
            case=case,
            kind="source_notification",
            made_on=days_ago(0),
            data={**RECORD_DATA["source_notification"], "notified_on": notified_on},
        )
    assert any(message in m for m in excinfo.value.messages), excinfo.value.messages
    assert (Record.objects.count(), LedgerEntry.objects.count()) == (records, entries)
    assert CaseSource.objects.get(case=case).notified_on is None


def test_a_corrected_notice_writes_back_again(world):
    case = not_filed(world)
    record = notify(world, case, 2)
    services.correct_record(
        actor=world.user_a,
        record=record,
        reason="告知日期有误",
        made_on=days_ago(1),
        data={
            **RECORD_DATA["source_notification"],
            "notified_on": days_ago(1).isoformat(),
            "content": "经审查，不予立案：证据不足",
        },
    )
    source = CaseSource.objects.get(case=case)
    assert source.notified_on == days_ago(1)
    assert source.notification_summary.startswith("经审查，不予立案：证据不足")
    entry = LedgerEntry.objects.filter(action="cases.correct_record").get()
    assert ledger.entry_data(entry)["source"]["notified_on"] == days_ago(1).isoformat()
