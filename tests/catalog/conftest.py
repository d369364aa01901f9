"""Fixtures for the catalog tests: one Zhengzhou agency with its head, a plain officer, a
supervisor over the city, and helpers that write entries through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from sanxiang.catalog import services
from sanxiang.catalog.models import (
    Circumstance,
    DiscretionStandard,
    MultipleBase,
    PenaltyKind,
    PowerCategory,
    PowerItem,
)
from tests.factories import AgencyFactory, Role, UnitFactory, UserFactory, jinshui, zhengzhou

PAST = datetime.date(2024, 1, 1)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def agency(db):
    return AgencyFactory(name="郑州市市场监督管理局", jurisdiction=zhengzhou())


@pytest.fixture
def other_agency(db):
    return AgencyFactory(name="郑州市金水区市场监督管理局", jurisdiction=jinshui())


@pytest.fixture
def head(agency):
    return UserFactory(agency=agency, roles=[Role.AGENCY_HEAD], full_name="王局长")


@pytest.fixture
def officer_user(agency):
    return UserFactory(agency=agency, roles=[Role.OFFICER])


@pytest.fixture
def supervisor(db):
    justice = AgencyFactory(name="郑州市司法局", jurisdiction=zhengzhou())
    return UserFactory(agency=justice, roles=[Role.SUPERVISOR])


@pytest.fixture
def unit(agency):
    return UnitFactory(agency=agency, name="执法稽查科")


POWER_FIELDS: dict[str, Any] = {
    "code": "SJ-CF-0122",
    "category": PowerCategory.PENALTY,
    "name": "对未取得食品经营许可从事食品经营活动的行政处罚",
    "basis": "《中华人民共和国食品安全法》第一百二十二条第一款",
    "responsibility": "立案、调查、审查、告知、决定、送达、执行",
    "time_limit": "自立案之日起九十日内作出行政处罚决定（《中华人民共和国行政处罚法》第六十条）",
    "violation": "未取得食品经营许可从事食品经营活动",
}


def make_power(actor, agency, **overrides: Any) -> PowerItem:
    fields = {**POWER_FIELDS, **overrides}
    return services.create_power_item(actor=actor, agency=agency, valid_from=PAST, **fields)


FOOD_TIERS = [
    {
        "circumstance": Circumstance.MITIGATED,
        "description": "依法应当减轻处罚的",
        "penalty_kinds": [PenaltyKind.CONFISCATE_GAINS, PenaltyKind.FINE],
        "fine_min": Decimal("20000"),
        "fine_max": Decimal("50000"),
        "multiple_min": Decimal("5"),
        "multiple_max": Decimal("10"),
    },
    {
        "circumstance": Circumstance.ORDINARY,
        "description": "货值金额较小，初次被查处的",
        "penalty_kinds": [PenaltyKind.CONFISCATE_GAINS, PenaltyKind.FINE],
        "fine_min": Decimal("50000"),
        "fine_max": Decimal("70000"),
        "multiple_min": Decimal("10"),
        "multiple_max": Decimal("13"),
    },
    {
        "circumstance": Circumstance.SEVERE,
        "description": "造成严重后果的",
        "penalty_kinds": [PenaltyKind.CONFISCATE_GAINS, PenaltyKind.FINE],
        "fine_min": Decimal("85000"),
        "fine_max": Decimal("100000"),
        "multiple_min": Decimal("17"),
        "multiple_max": Decimal("20"),
    },
]

FOOD_STANDARD: dict[str, Any] = {
    "violation": "未取得食品经营许可从事食品经营活动",
    "basis": "《中华人民共和国食品安全法》第一百二十二条第一款",
    "multiple_base": MultipleBase.GOODS_VALUE,
    "base_threshold": Decimal("10000"),
    "statutory_fine_min": Decimal("50000"),
    "statutory_fine_max": Decimal("100000"),
    "statutory_multiple_min": Decimal("10"),
    "statutory_multiple_max": Decimal("20"),
}


def make_standard(actor, power: PowerItem, tiers=None, **overrides: Any) -> DiscretionStandard:
    return services.create_discretion_standard(
        actor=actor,
        power_item=power,
        tiers=FOOD_TIERS if tiers is None else tiers,
        valid_from=PAST,
        **{**FOOD_STANDARD, **overrides},
    )
