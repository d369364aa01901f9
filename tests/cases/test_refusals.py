"""Bad input is refused with the rule and its article, and a refused action changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from sanxiang.cases import services
from sanxiang.cases.models import Case, Party, Record, Signature
from sanxiang.cases.state import build_case_state
from sanxiang.org.models import Certificate
from sanxiang.records.models import LedgerEntry
from tests.cases.factories import (
    RECORD_DATA,
    days_ago,
    fire,
    make_world,
    open_penalty,
    sign_all,
    signed_record,
)
from tests.factories import CertificateFactory, OfficerFactory, Role, UserFactory, zhengzhou

pytestmark = pytest.mark.django_db


def snapshot(case):
    case.refresh_from_db()
    return (
        case.stage,
        case.version,
        LedgerEntry.objects.count(),
        Record.objects.count(),
        Signature.objects.count(),
    )


def test_refused_transition_changes_nothing(world):
    case = open_penalty(world)
    before = snapshot(case)
    with pytest.raises(ValidationError) as excinfo:
        fire(world.head, case, "file")
    assert any("立案审批表" in m for m in excinfo.value.messages)
    assert all("（" in m and "）" in m for m in excinfo.value.messages)  # each cites its source
    assert snapshot(case) == before


def test_transition_not_in_definition_is_refused(world):
    case = open_penalty(world)
    before = snapshot(case)
    with pytest.raises(ValidationError, match="没有“fly”这一流转"):
        fire(world.head, case, "fly")
    with pytest.raises(ValidationError, match="不能执行“作出决定，送达”"):
        fire(world.head, case, "issue")
    assert snapshot(case) == before


def test_transition_needs_the_right_role(world):
    case = open_penalty(world)
    signed_record(world, case, "case_source_register", 10, ["officer"])
    signed_record(world, case, "filing_approval", 10, ["officer", "unit_head", "agency_head"])
    with pytest.raises(ValidationError, match="须由承办机构负责人、机关负责人执行"):
        fire(world.user_a, case, "file")
    assert fire(world.head, case, "file").stage == "investigation"


def test_officer_without_valid_certificate_is_refused(world):
    expired = OfficerFactory(agency=world.agency, unit=world.unit, name="过期证")
    CertificateFactory(
        officer=expired,
        issued_on=datetime.date(2018, 1, 1),
        expires_on=datetime.date(2023, 12, 31),
    )
    with pytest.raises(ValidationError, match=r"没有有效的执法证.*000 公示办法 第十四条"):
        open_penalty(world, officers=[world.officer_a, expired])
    assert not Case.objects.exists()
    case = open_penalty(world)
    with pytest.raises(ValidationError, match="已于2023年12月31日过期"):
        services.assign_officer(actor=world.user_a, case=case, officer=expired)
    uncertified = OfficerFactory(agency=world.agency, unit=world.unit, name="无证")
    with pytest.raises(ValidationError, match="未持有执法证"):
        services.assign_officer(actor=world.user_a, case=case, officer=uncertified)


def test_certificate_suspended_during_investigation_blocks_the_transition(world):
    case = open_penalty(world)
    signed_record(world, case, "case_source_register", 10, ["officer"])
    signed_record(world, case, "filing_approval", 10, ["officer", "unit_head", "agency_head"])
    case = fire(world.head, case, "file")
    services.assign_officer(actor=world.user_a, case=case, officer=world.officer_a)
    services.assign_officer(actor=world.user_a, case=case, officer=world.officer_b)
    Certificate.objects.filter(officer=world.officer_b).update(
        status=Certificate.Status.SUSPENDED, status_changed_on=days_ago(20)
    )
    signed_record(world, case, "inquiry_record", 9, ["officer", "party"])
    signed_record(world, case, "investigation_report", 8, ["officer", "unit_head"])
    before = snapshot(case)
    with pytest.raises(ValidationError) as excinfo:
        fire(world.user_a, case, "to_notice")
    text = "；".join(excinfo.value.messages)
    assert "执法证无效（执法证已被暂扣）" in text
    assert "第四十二条" in text
    assert snapshot(case) == before


@pytest.mark.parametrize(
    ("made_on", "message"),
    [
        (lambda: timezone.localdate() + datetime.timedelta(days=1), "晚于今天"),
        (lambda: days_ago(11), "早于案件启动日期"),
    ],
)
def test_record_date_in_future_or_before_opening_is_refused(world, made_on, message):
    case = open_penalty(world, opened_ago=10)
    before = snapshot(case)
    with pytest.raises(ValidationError, match=message):
        services.add_record(
            actor=world.user_a,
            case=case,
            kind="case_source_register",
            made_on=made_on(),
            data=RECORD_DATA["case_source_register"],
        )
    assert snapshot(case) == before


def test_missing_required_field_and_wrong_kind_are_refused(world):
    case = open_penalty(world)
    data = dict(RECORD_DATA["case_source_register"], summary="")
    with pytest.raises(ValidationError) as excinfo:
        services.add_record(
            actor=world.user_a,
            case=case,
            kind="case_source_register",
            made_on=days_ago(1),
            data=data,
        )
    assert excinfo.value.messages == [
        "案件来源登记表缺少必填事项：案源内容（002 第三十条；000 全过程记录办法 第十一条）"
    ]
    with pytest.raises(ValidationError, match="不属于行政处罚一般程序的立案环节"):
        services.add_record(
            actor=world.user_a,
            case=case,
            kind="statement_record",
            made_on=days_ago(1),
            data=RECORD_DATA["statement_record"],
        )
    with pytest.raises(ValidationError, match="未登记的文书种类"):
        services.add_record(
            actor=world.user_a, case=case, kind="nonsense", made_on=days_ago(1), data={}
        )
    assert not Record.objects.exists()


def test_party_identifiers_are_validated(world):
    case = open_penalty(world)
    with pytest.raises(ValidationError) as excinfo:
        services.add_party(
            actor=world.user_a,
            case=case,
            party=services.PartyInput(
                kind="natural_person", name="钱某", id_number="410105199001011234"
            ),
        )
    assert "id_number" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.add_party(
            actor=world.user_a,
            case=case,
            party=services.PartyInput(kind="legal_person", name="某公司", uscc="123"),
        )
    assert {"uscc", "representative"} <= set(excinfo.value.message_dict)
    assert Party.objects.filter(case=case).count() == 1


# ------------------------------------------------------------------ signatures


def test_signed_record_cannot_be_changed_by_service_or_database(world):
    case = open_penalty(world)
    record = signed_record(world, case, "case_source_register", 5, ["officer"])
    with pytest.raises(ValidationError, match="已签名完备，不可再修改"):
        services.sign_record(
            actor=world.user_b, record=record, role="officer", signer_name="王执法"
        )
    with pytest.raises(IntegrityError, match="已签名的文书不可修改"), transaction.atomic():
        Record.objects.filter(pk=record.pk).update(data={"summary": "改过的"})
    with (
        pytest.raises(IntegrityError, match="文书记录不可删除"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM cases_record WHERE id = %s", [record.pk])
    with pytest.raises(IntegrityError, match="签名及拒签记录不可修改或删除"), transaction.atomic():
        Signature.objects.filter(record=record).update(signer_name="别人")
    with (
        pytest.raises(IntegrityError, match="签名及拒签记录不可修改或删除"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM cases_signature WHERE record_id = %s", [record.pk])
    record.refresh_from_db()
    assert record.data == RECORD_DATA["case_source_register"]


def test_unsigned_record_is_not_frozen_by_the_trigger(world):
    case = open_penalty(world)
    record = services.add_record(
        actor=world.user_a,
        case=case,
        kind="case_source_register",
        made_on=days_ago(5),
        data=RECORD_DATA["case_source_register"],
    )
    assert Record.objects.filter(pk=record.pk).update(made_on=days_ago(4)) == 1
    with (
        pytest.raises(IntegrityError, match="文书记录不可删除"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM cases_record WHERE id = %s", [record.pk])


def test_refusal_to_sign_is_recorded_instead_of_a_signature(world):
    case = open_penalty(world)
    signed_record(world, case, "case_source_register", 10, ["officer"])
    signed_record(world, case, "filing_approval", 10, ["officer", "unit_head", "agency_head"])
    case = fire(world.head, case, "file")
    record = services.add_record(
        actor=world.user_a,
        case=case,
        kind="inquiry_record",
        made_on=days_ago(9),
        data=RECORD_DATA["inquiry_record"],
    )
    sign_all(world, record, ["officer"])
    with pytest.raises(ValidationError, match="必须签名"):
        services.record_refusal(
            actor=world.user_a, record=record, role="officer", signer_name="李执法", note="不签"
        )
    with pytest.raises(ValidationError, match="注明拒签情况"):
        services.record_refusal(
            actor=world.user_a, record=record, role="party", signer_name="赵某", note=" "
        )
    services.record_refusal(
        actor=world.user_a,
        record=record,
        role="party",
        signer_name="赵某",
        note="当事人拒绝签字，由执法人员注明并由见证人在场",
    )
    state = build_case_state(case, timezone.localdate())
    snap = state.record(record.ref)
    assert snap is not None and snap.refused_by == frozenset({"party"})
    with pytest.raises(ValidationError, match="已签名完备"):
        services.sign_record(actor=world.user_a, record=record, role="witness", signer_name="孙某")


def test_correction_supersedes_and_both_remain(world):
    case = open_penalty(world)
    old = signed_record(world, case, "case_source_register", 5, ["officer"])
    new = services.correct_record(
        actor=world.user_a,
        record=old,
        reason="登记的案源提供人姓名有误",
        made_on=days_ago(4),
        data=dict(RECORD_DATA["case_source_register"], provider="张某某"),
    )
    assert new.supersedes_id == old.pk
    assert Record.objects.filter(case=case).count() == 2
    state = build_case_state(case, timezone.localdate())
    assert state.record(old.ref).superseded is True
    assert state.record(new.ref).superseded is False
    assert [r.ref for r in state.current_records(kinds=["case_source_register"])] == [new.ref]
    with pytest.raises(ValidationError, match="已被更正"):
        services.correct_record(
            actor=world.user_a,
            record=old,
            reason="再改",
            made_on=days_ago(3),
            data=RECORD_DATA["case_source_register"],
        )
    with pytest.raises(ValidationError, match="应当说明理由"):
        services.correct_record(
            actor=world.user_a,
            record=new,
            reason="",
            made_on=days_ago(3),
            data=RECORD_DATA["case_source_register"],
        )
    with pytest.raises(ValidationError, match="已被更正，不能再签名"):
        services.sign_record(actor=world.user_a, record=old, role="officer", signer_name="李执法")
    old.refresh_from_db()
    assert old.data["provider"] == "张某"


# ------------------------------------------------------------------ locking


def test_two_transitions_with_the_same_version_one_succeeds_one_conflicts(world):
    case = open_penalty(world)
    signed_record(world, case, "case_source_register", 10, ["officer"])
    signed_record(world, case, "filing_approval", 10, ["officer", "unit_head", "agency_head"])
    case.refresh_from_db()
    version = case.version
    services.fire_transition(
        actor=world.head, case=case, transition_code="file", expected_version=version
    )
    ledger_count = LedgerEntry.objects.count()
    with pytest.raises(services.ConcurrentChange) as excinfo:
        services.fire_transition(
            actor=world.head, case=case, transition_code="file", expected_version=version
        )
    assert str(excinfo.value) == f"案件已被他人更新（版本{version + 1}），请刷新后重试"
    assert LedgerEntry.objects.count() == ledger_count
    case.refresh_from_db()
    assert (case.stage, case.version) == ("investigation", version + 1)


def test_lost_update_is_caught_by_the_conditional_update(world, monkeypatch):
    """Someone moves the case between our version check and our UPDATE."""
    case = open_penalty(world)
    signed_record(world, case, "case_source_register", 10, ["officer"])
    signed_record(world, case, "filing_approval", 10, ["officer", "unit_head", "agency_head"])
    case.refresh_from_db()
    from sanxiang.cases import services as module

    real = module.build_case_state

    def racing(c, today):
        state = real(c, today)
        Case.objects.filter(pk=c.pk).update(version=c.version + 1)
        return state

    monkeypatch.setattr(module, "build_case_state", racing)
    with pytest.raises(services.ConcurrentChange, match=f"版本{case.version + 1}"):
        services.fire_transition(
            actor=world.head, case=case, transition_code="file", expected_version=case.version
        )


# ------------------------------------------------------------------ isolation and ledger


def test_another_agency_cannot_act_on_the_case(world):
    case = open_penalty(world)
    other = make_world(name="郑州市城市管理局")
    supervisor_agency = other.agency
    for actor in (
        other.user_a,
        other.head,
        UserFactory(agency=supervisor_agency, roles=[Role.SUPERVISOR]),
        UserFactory(agency=world.agency, roles=[Role.PUBLISHER]),
    ):
        with pytest.raises(PermissionDenied, match="无权办理"):
            services.add_record(
                actor=actor,
                case=case,
                kind="case_source_register",
                made_on=days_ago(1),
                data=RECORD_DATA["case_source_register"],
            )
        with pytest.raises(PermissionDenied):
            services.fire_transition(
                actor=actor, case=case, transition_code="file", expected_version=0
            )
    with pytest.raises(PermissionDenied):
        open_penalty(world, actor=other.user_a)
    assert zhengzhou() is not None
    assert not Record.objects.exists()


def test_every_service_writes_exactly_one_ledger_entry(world):
    def count():
        return LedgerEntry.objects.count()

    n = count()
    case = open_penalty(world)
    assert count() == n + 1
    party = services.add_party(
        actor=world.user_a,
        case=case,
        party=services.PartyInput(
            kind="legal_person", name="某公司", uscc=world.agency.uscc, representative="钱某"
        ),
    )
    assert party.pk and count() == n + 2
    record = services.add_record(
        actor=world.user_a,
        case=case,
        kind="case_source_register",
        made_on=days_ago(1),
        data=RECORD_DATA["case_source_register"],
    )
    assert count() == n + 3
    services.sign_record(actor=world.user_a, record=record, role="officer", signer_name="李执法")
    assert count() == n + 4
    services.correct_record(
        actor=world.user_a,
        record=record,
        reason="笔误",
        made_on=days_ago(1),
        data=RECORD_DATA["case_source_register"],
    )
    assert count() == n + 5
    extra = OfficerFactory(agency=world.agency, unit=world.unit)
    CertificateFactory(officer=extra)
    services.assign_officer(actor=world.user_a, case=case, officer=extra)
    assert count() == n + 6
    now = timezone.now()
    evidence = services.add_evidence(
        actor=world.user_a,
        case=case,
        kind="documentary",
        description="营业执照复印件",
        collector=world.officer_a,
        collected_at=now,
        place="某餐饮店",
    )
    assert count() == n + 7
    services.add_av_recording(
        actor=world.user_a,
        case=case,
        device="执法记录仪 ZF-01",
        officer=world.officer_a,
        started_at=now - datetime.timedelta(hours=2),
        ended_at=now - datetime.timedelta(hours=1),
        place="某餐饮店",
        spoken_statement=True,
        evidence=evidence,
        interruptions=[
            services.InterruptionInput(
                at=now - datetime.timedelta(minutes=90), reason="电量不足更换电池"
            )
        ],
    )
    assert count() == n + 8
    # refusals write nothing
    with pytest.raises(ValidationError):
        services.add_record(
            actor=world.user_a, case=case, kind="nonsense", made_on=days_ago(1), data={}
        )
    with pytest.raises(ValidationError):
        fire(world.head, case, "file")
    assert count() == n + 8
    actions = list(LedgerEntry.objects.order_by("-seq").values_list("action", flat=True)[:8])
    assert actions[::-1] == [
        "cases.open_case",
        "cases.add_party",
        "cases.add_record",
        "cases.sign_record",
        "cases.correct_record",
        "cases.assign_officer",
        "cases.add_evidence",
        "cases.add_av_recording",
    ]


def test_av_stored_after_the_window_is_flagged(world):
    case = open_penalty(world, opened_ago=3)
    now = timezone.now()
    late = services.add_av_recording(
        actor=world.user_a,
        case=case,
        device="执法记录仪 ZF-01",
        officer=world.officer_a,
        started_at=now - datetime.timedelta(hours=50),
        ended_at=now - datetime.timedelta(hours=49),
        place="某餐饮店",
        spoken_statement=True,
        full_process=True,
        returned_at=now - datetime.timedelta(hours=48),
        stored_at=now - datetime.timedelta(hours=1),
    )
    assert "超过24小时的储存时限" in late.storage_warning
    assert "000 全过程记录办法 第二十六条" in late.storage_warning
    timely = services.add_av_recording(
        actor=world.user_a,
        case=case,
        device="执法记录仪 ZF-01",
        officer=world.officer_a,
        started_at=now - datetime.timedelta(hours=5),
        ended_at=now - datetime.timedelta(hours=4),
        place="某餐饮店",
        spoken_statement=True,
        returned_at=now - datetime.timedelta(hours=3),
        stored_at=now - datetime.timedelta(hours=2),
    )
    assert timely.storage_warning == ""
    state = build_case_state(case, timezone.localdate())
    assert len(state.av_items) == 2


def test_raw_sql_on_signature_table_is_refused(world):
    case = open_penalty(world)
    record = signed_record(world, case, "case_source_register", 5, ["officer"])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_record SET kind = 'x' WHERE id = %s", [record.pk])
