"""Builders for case tests: a Zhengzhou agency with a handling unit, two certified officers
with accounts, a head (unit head and agency head), a penalty matter, and helpers that open
cases and add signed records through the real services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from faker import Faker

from sanxiang.cases import services
from sanxiang.cases.models import Case, Record
from sanxiang.catalog import services as catalog_services
from sanxiang.catalog.models import PowerCategory, PowerItem
from sanxiang.org.models import Agency, Officer, Unit, User
from tests.factories import (
    AgencyFactory,
    CertificateFactory,
    OfficerFactory,
    Role,
    UnitFactory,
    UserFactory,
    make_uscc,
    zhengzhou,
)

fake = Faker("zh_CN")

POWER_FIELDS: dict[str, Any] = {
    "code": "SJ-CF-0122",
    "category": PowerCategory.PENALTY,
    "name": "对未取得食品经营许可从事食品经营活动的行政处罚",
    "basis": "《中华人民共和国食品安全法》第一百二十二条第一款",
    "responsibility": "立案、调查、审查、告知、决定、送达、执行",
    "time_limit": "自立案之日起九十日内作出行政处罚决定",
    "violation": "未取得食品经营许可从事食品经营活动",
}

# Every field of the record kinds the tests use (procedures/kinds.toml).
RECORD_DATA: dict[str, dict[str, Any]] = {
    "case_source_register": {
        "source_type": "投诉举报",
        "received_on": "2026-01-01",
        "provider": "张某",
        "party": "某餐饮店",
        "summary": "无证经营",
        "registrar": "李执法",
    },
    "filing_approval": {
        "reason": "涉嫌无证经营",
        "party": "某餐饮店",
        "facts": "现场发现未取得食品经营许可",
        "officer_opinion": "建议立案",
        "unit_head_opinion": "同意",
        "agency_head_opinion": "同意立案",
        "date": "2026-01-02",
    },
    "inquiry_record": {
        "time_place": "2026年1月3日 某餐饮店",
        "officers": "李执法、王执法",
        "certificates_shown": "已出示",
        "recorder": "王执法",
        "respondent": "赵某",
        "rights": "已告知陈述申辩及申请回避的权利",
        "content": "问：是否取得食品经营许可？答：没有。",
        "respondent_check": "以上笔录我看过，与我说的一致",
    },
    "investigation_report": {
        "case_source": "投诉举报",
        "party": "某餐饮店",
        "facts_evidence": "询问笔录、现场照片",
        "legal_basis": "《中华人民共和国食品安全法》第一百二十二条",
        "discretion": "一般情节",
        "proposal": "罚款五万元",
        "handler": "李执法",
        "date": "2026-01-04",
    },
    "rights_notice": {
        "proposed": "罚款五万元",
        "facts_reasons_basis": "未取得食品经营许可从事食品经营活动",
        "statement_right": "有权陈述申辩",
        "hearing_right": "有权要求听证",
        "recusal_right": "有权申请回避",
    },
    "statement_record": {
        "person": "赵某",
        "time_place": "2026年1月6日 执法局",
        "content": "当事人称已在办理许可",
        "officers": "李执法、王执法",
    },
    "penalty_decision": {
        "party": "赵某，郑州市金水区某路1号",
        "facts_evidence": "未取得食品经营许可从事食品经营活动；询问笔录、现场照片",
        "penalty_basis": "罚款；《中华人民共和国食品安全法》第一百二十二条第一款",
        "performance": "自收到本决定书之日起十五日内缴纳罚款",
        "remedy": "六十日内申请行政复议或者六个月内提起行政诉讼",
        "agency_seal_date": "郑州市市场监督管理局（印章）",
    },
    "collective_discussion": {
        "time_place": "局会议室",
        "attendees": "局长、副局长",
        "discussion": "案情复杂，集体讨论",
        "conclusion": "同意处罚",
    },
    "source_notification": {
        "recipient": "张某",
        "content": "经审查，不予立案：未发现违法事实",
        "method": "电话告知",
        "notified_on": "",  # set by the test: a date on or after the case was opened
    },
    "closure_approval": {
        "summary": "经审查不予立案",
        "result": "不予立案，已告知案源提供人",
        "officer_opinion": "建议结案",
        "unit_opinion": "同意结案",
        "date": "结案之日",
    },
    "inspection_record": {
        "time_place": "2026年1月3日 某餐饮店",
        "officers": "李执法、王执法",
        "certificates_shown": "已出示",
        "object": "某餐饮店",
        "content": "检查后厨及证照",
        "findings": "未发现问题",
    },
    "inspection_result": {
        "object": "某餐饮店",
        "result": "合格",
        "violations": "无",
        "handling": "无需处理",
    },
}


@dataclass
class World:
    agency: Agency
    unit: Unit
    officer_a: Officer
    officer_b: Officer
    user_a: User  # officer account (Officer A)
    user_b: User  # officer account (Officer B)
    head: User  # unit head and agency head
    matter: PowerItem


def make_world(name: str = "郑州市市场监督管理局") -> World:
    agency = AgencyFactory(name=name, jurisdiction=zhengzhou())
    unit = UnitFactory(agency=agency, name="执法稽查科")
    head = UserFactory(agency=agency, roles=[Role.UNIT_HEAD, Role.AGENCY_HEAD], full_name="王局长")
    officer_a = OfficerFactory(agency=agency, unit=unit, name="李执法")
    officer_b = OfficerFactory(agency=agency, unit=unit, name="王执法")
    CertificateFactory(officer=officer_a)
    CertificateFactory(officer=officer_b)
    user_a = UserFactory(agency=agency, officer=officer_a, roles=[Role.OFFICER], full_name="李执法")
    user_b = UserFactory(agency=agency, officer=officer_b, roles=[Role.OFFICER], full_name="王执法")
    matter = catalog_services.create_power_item(
        actor=head, agency=agency, valid_from=datetime.date(2024, 1, 1), **POWER_FIELDS
    )
    return World(agency, unit, officer_a, officer_b, user_a, user_b, head, matter)


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def natural_person() -> services.PartyInput:
    return services.PartyInput(
        kind="natural_person",
        name="赵某",
        id_number=fake.ssn(),
        address="郑州市金水区某路1号",
        phone="13800138000",
    )


def legal_person() -> services.PartyInput:
    return services.PartyInput(
        kind="legal_person",
        name="郑州某餐饮管理有限公司",
        uscc=make_uscc(region="410105"),
        representative="赵某",
        address="郑州市金水区某路1号",
    )


def open_penalty(world: World, *, opened_ago: int = 10, **overrides: Any) -> Case:
    kwargs: dict[str, Any] = {
        "actor": world.user_a,
        "agency": world.agency,
        "unit": world.unit,
        "action_type": "penalty",
        "title": "某餐饮店未取得食品经营许可从事食品经营活动案",
        "source": services.SourceInput(
            kind="complaint",
            received_on=days_ago(opened_ago),
            summary="群众投诉某餐饮店无证经营",
            provider_name="张某",
            provider_contact="13900139000",
            notify_required=True,
        ),
        "parties": [natural_person()],
        "officers": [world.officer_a, world.officer_b],
        "matter": world.matter,
        "opened_on": days_ago(opened_ago),
        **overrides,
    }
    return services.open_case(**kwargs)


def sign_all(world: World, record: Record, roles: list[str]) -> None:
    """Sign a record with each role: officer/heads by the staff, party/witness by name."""
    for role in roles:
        if role == "officer":
            services.sign_record(
                actor=world.user_a,
                record=record,
                role="officer",
                signer_name=world.officer_a.name,
                officer=world.officer_a,
            )
        elif role in ("unit_head", "agency_head"):
            services.sign_record(actor=world.head, record=record, role=role, signer_name="王局长")
        else:
            services.sign_record(actor=world.user_a, record=record, role=role, signer_name="赵某")


def signed_record(
    world: World,
    case: Case,
    kind: str,
    made_ago: int,
    roles: list[str],
    **extra: Any,
) -> Record:
    record = services.add_record(
        actor=world.user_a,
        case=case,
        kind=kind,
        made_on=days_ago(made_ago),
        data=RECORD_DATA[kind],
        **extra,
    )
    sign_all(world, record, roles)
    return record


def fire(actor: User, case: Case, code: str) -> Case:
    case.refresh_from_db()
    return services.fire_transition(
        actor=actor, case=case, transition_code=code, expected_version=case.version
    )
