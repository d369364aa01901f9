"""Every business action writes exactly one ledger entry, in the same transaction as the
change; a refused action writes none."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from sanxiang.api import services as api_services
from sanxiang.org import services
from sanxiang.org.models import Agency, Certificate, Entrustment, Jurisdiction, Unit
from sanxiang.records.models import LedgerEntry
from tests.factories import (
    AgencyFactory,
    CertificateFactory,
    EntrustmentFactory,
    OfficerFactory,
    Role,
    UserFactory,
    make_uscc,
    zhengzhou,
    zhoucun,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def world(fast_passwords):
    zz = AgencyFactory(name="郑州市市场监督管理局", jurisdiction=zhengzhou())
    zc = AgencyFactory(name="淄博市周村区市场监督管理局", jurisdiction=zhoucun())
    justice = AgencyFactory(name="郑州市司法局", jurisdiction=zhengzhou())
    officer = OfficerFactory(agency=zz, id_number="410105199001011233")
    return {
        "zz": zz,
        "zc": zc,
        "officer": officer,
        "certificate": CertificateFactory(officer=officer, number="豫A10000001"),
        "entrustment": EntrustmentFactory(agency=zz),
        "head": UserFactory(
            username="zz-head", full_name="郑局长", agency=zz, roles=[Role.AGENCY_HEAD]
        ),
        "zc_head": UserFactory(agency=zc, roles=[Role.AGENCY_HEAD]),
        "supervisor": UserFactory(
            username="sfj", full_name="司法局监督员", agency=justice, roles=[Role.SUPERVISOR]
        ),
        "admin": UserFactory(username="root", agency=None, is_superuser=True),
    }


def _one_new_entry(before: int) -> LedgerEntry:
    new = list(LedgerEntry.objects.filter(seq__gt=before).order_by("seq"))
    assert len(new) == 1, [e.action for e in new]
    return new[0]


def _data(entry: LedgerEntry) -> dict[str, Any]:
    return json.loads(entry.payload)["data"]


def _top() -> int:
    last = LedgerEntry.objects.order_by("-seq").first()
    return last.seq if last else 0


# Each case: (action name, call(world) -> the object acted on, check(data, obj, world)).
Case = tuple[str, Callable[[dict[str, Any]], Any], Callable[[dict[str, Any], Any, dict], None]]

CASES: list[Case] = [
    (
        "org.create_jurisdiction",
        lambda w: services.create_jurisdiction(
            actor=w["admin"],
            code="410200",
            name="开封市",
            level=Jurisdiction.Level.CITY,
            government_name="开封市人民政府",
            parent=w["zz"].jurisdiction.parent,
        ),
        lambda d, obj, w: (
            d["jurisdiction"]["code"] == "410200"
            and d["jurisdiction"]["parent_id"] == obj.parent_id
        ),
    ),
    (
        "org.register_agency",
        lambda w: services.register_agency(
            actor=w["supervisor"],
            jurisdiction=zhengzhou(),
            name="郑州市交通运输局",
            uscc=make_uscc(),
            legal_status=Agency.LegalStatus.ORGAN,
            qualification_basis="《中华人民共和国道路运输条例》",
            confirmed_by="郑州市人民政府",
            confirmed_on=D(2021, 5, 1),
        ),
        lambda d, obj, w: (
            d["agency"]["name"] == "郑州市交通运输局"
            and d["agency"]["uscc"] == obj.uscc
            and d["agency"]["confirmed_on"] == "2021-05-01"
        ),
    ),
    (
        "org.abolish_agency",
        lambda w: services.abolish_agency(actor=w["supervisor"], agency=w["zz"], on=D(2026, 6, 30)),
        lambda d, obj, w: (
            d["changes"]
            == {
                "status": {"old": "active", "new": "abolished"},
                "abolished_on": {"old": None, "new": "2026-06-30"},
            }
            and d["on"] == "2026-06-30"
        ),
    ),
    (
        "org.create_unit",
        lambda w: services.create_unit(
            actor=w["head"], agency=w["zz"], name="法制科", kind=Unit.Kind.LEGAL
        ),
        lambda d, obj, w: (
            d["unit"]
            == {
                "id": obj.pk,
                "agency_id": w["zz"].pk,
                "name": "法制科",
                "kind": "legal",
                "is_active": True,
            }
        ),
    ),
    (
        "org.register_officer",
        lambda w: services.register_officer(
            actor=w["head"],
            agency=w["zz"],
            name="赵六",
            gender="M",
            id_number="11010519491231002X",
            post="科员",
            joined_on=D(2020, 3, 1),
        ),
        lambda d, obj, w: (
            d["officer"]["name"] == "赵六"
            and d["officer"]["id_number"] == "1101**********002X"  # masked: the ledger is permanent
            and d["officer"]["agency_id"] == w["zz"].pk
            and d["officer"]["joined_on"] == "2020-03-01"
        ),
    ),
    (
        "org.record_officer_departure",
        lambda w: services.record_officer_departure(
            actor=w["head"], officer=w["officer"], on=D(2026, 5, 1), reason="调离执法岗位"
        ),
        lambda d, obj, w: (
            d["reason"] == "调离执法岗位"
            and d["changes"]["left_on"] == {"old": None, "new": "2026-05-01"}
        ),
    ),
    (
        "org.issue_certificate",
        lambda w: services.issue_certificate(
            actor=w["head"],
            officer=w["officer"],
            number="豫A20000002",
            category="市场监管",
            area="郑州市",
            issued_by="河南省人民政府",
            issued_on=D(2025, 1, 1),
            expires_on=D(2030, 12, 31),
        ),
        lambda d, obj, w: (
            d["certificate"]["number"] == "豫A20000002"
            and d["certificate"]["officer_id"] == w["officer"].pk
        ),
    ),
    (
        "org.change_certificate_status",
        lambda w: services.change_certificate_status(
            actor=w["head"],
            certificate=w["certificate"],
            status=Certificate.Status.SUSPENDED,
            on=D(2026, 3, 1),
            reason="涉嫌违规执法，暂扣调查",
        ),
        lambda d, obj, w: (
            d["old_status"] == "active"
            and d["new_status"] == "suspended"
            and d["reason"] == "涉嫌违规执法，暂扣调查"
            and d["on"] == "2026-03-01"
            and d["certificate"]["number"] == "豫A10000001"
        ),
    ),
    (
        "org.create_entrustment",
        lambda w: services.create_entrustment(
            actor=w["head"],
            agency=w["zz"],
            entrusted_body="郑州市某乡镇综合执法队",
            entrusted_body_uscc=make_uscc(region="410105"),
            basis="《中华人民共和国行政处罚法》第二十条",
            matters="占道经营",
            powers="警告",
            starts_on=D(2026, 1, 1),
            ends_on=D(2026, 12, 31),
            liability="委托机关承担法律责任",
        ),
        lambda d, obj, w: (
            d["entrustment"]["entrusted_body"] == "郑州市某乡镇综合执法队"
            and d["entrustment"]["ends_on"] == "2026-12-31"
        ),
    ),
    (
        "org.terminate_entrustment",
        lambda w: services.terminate_entrustment(
            actor=w["head"], entrustment=w["entrustment"], on=D(2026, 2, 1), reason="机构改革"
        ),
        lambda d, obj, w: (
            d["changes"]["status"] == {"old": "active", "new": "terminated"}
            and d["reason"] == "机构改革"
        ),
    ),
    (
        "org.create_account",
        lambda w: services.create_account(
            actor=w["head"],
            agency=w["zz"],
            username="zz-clerk",
            password="Sx-test-pass-2026",
            full_name="钱七",
            roles=[Role.RECORDS_CUSTODIAN, Role.PUBLISHER],
        ),
        lambda d, obj, w: (
            d["user"]["username"] == "zz-clerk"
            and "password" not in d["user"]
            and "last_login" not in d["user"]
            and d["roles"] == ["publisher", "records_custodian"]
        ),
    ),
]


@pytest.mark.parametrize(("action", "call", "check"), CASES, ids=[c[0] for c in CASES])
def test_each_service_writes_exactly_one_entry(world, action, call, check):
    before = _top()
    obj = call(world)
    entry = _one_new_entry(before)
    assert entry.action == action
    assert entry.object_type == obj._meta.label_lower
    assert entry.object_id == str(obj.pk)
    assert check(_data(entry), obj, world)


def test_every_org_service_is_covered():
    import inspect

    public = {
        name
        for name, fn in inspect.getmembers(services, inspect.isfunction)
        if not name.startswith("_") and fn.__module__ == services.__name__
    }
    assert public == {action.removeprefix("org.") for action, _, _ in CASES}


def test_actor_is_recorded(world):
    services.create_unit(actor=world["head"], agency=world["zz"], name="二科", kind="handling")
    entry = LedgerEntry.objects.get(action="org.create_unit")
    assert entry.actor_id == world["head"].pk
    assert entry.actor_label == "zz-head（郑局长）"


def test_a_refused_action_writes_nothing(world):
    before = LedgerEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.register_officer(
            actor=world["zc_head"],
            agency=world["zz"],
            name="越权",
            gender="M",
            id_number="11010519491231002X",
            post="科员",
        )
    with pytest.raises(ValidationError):
        services.change_certificate_status(
            actor=world["head"],
            certificate=world["certificate"],
            status=Certificate.Status.SUSPENDED,
            on=D(2026, 3, 1),
            reason="   ",
        )
    with pytest.raises(ValidationError):
        services.terminate_entrustment(
            actor=world["head"], entrustment=world["entrustment"], on=D(2026, 2, 1), reason=""
        )
    assert LedgerEntry.objects.count() == before


def test_the_entry_and_the_change_roll_back_together(world):
    before = LedgerEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.terminate_entrustment(
            actor=world["head"], entrustment=world["entrustment"], on=D(2026, 2, 1), reason="改革"
        )
        raise RuntimeError("a later step of the caller failed")
    assert LedgerEntry.objects.count() == before
    assert Entrustment.objects.get(pk=world["entrustment"].pk).status == "active"


# --- API tokens ---------------------------------------------------------------------------


def test_issuing_and_revoking_tokens_are_recorded_without_secrets(world):
    before = _top()
    token, raw_key = api_services.issue_token(
        user=world["head"], name="省平台对接", actor=world["admin"]
    )
    issued = _one_new_entry(before)
    assert issued.action == "api.issue_token"
    assert issued.actor_id == world["admin"].pk
    data = _data(issued)
    assert data["token"]["prefix"] == token.prefix
    assert data["token"]["username"] == "zz-head"
    assert raw_key not in issued.payload
    assert token.key_hash not in issued.payload

    before = _top()
    api_services.revoke_token(token=token, actor=None)
    revoked = _one_new_entry(before)
    assert revoked.action == "api.revoke_token"
    assert revoked.actor_id is None
    assert revoked.actor_label == "平台运维（命令行）"


def test_a_refused_revocation_writes_nothing(world):
    token, _ = api_services.issue_token(user=world["head"], name="对接")
    before = LedgerEntry.objects.count()
    with pytest.raises(PermissionDenied):
        api_services.revoke_token(token=token, actor=world["zc_head"])
    assert LedgerEntry.objects.count() == before


def test_noting_a_token_use_is_not_a_business_action(world):
    from django.utils import timezone

    token, _ = api_services.issue_token(user=world["head"], name="对接")
    before = LedgerEntry.objects.count()
    api_services.record_token_use(token=token, at=timezone.now())
    assert LedgerEntry.objects.count() == before
