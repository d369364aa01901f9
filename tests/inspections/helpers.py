"""Builders for 双随机 tests: a Zhengzhou world (tests.cases.factories) with an inspection
matter on the 权责清单 and the 随机抽查事项清单, more certified officers, and targets."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from sanxiang.catalog import services as catalog_services
from sanxiang.catalog.models import PowerCategory, PowerItem, RandomInspectionItem
from sanxiang.inspections import services
from sanxiang.inspections.models import InspectionTarget, RandomInspection
from sanxiang.org.models import Officer
from tests.cases.factories import World, make_world
from tests.factories import CertificateFactory, OfficerFactory, make_uscc

CATEGORY = "食品销售"

INSPECTION_POWER: dict[str, object] = {
    "code": "SJ-JC-0001",
    "category": PowerCategory.INSPECTION,
    "name": "对食品销售者的监督检查",
    "basis": "《中华人民共和国食品安全法》第一百一十条",
    "responsibility": "检查、记录、处理",
    "time_limit": "按抽查计划",
}


@dataclass
class DrawWorld:
    world: World
    power: PowerItem
    matter: RandomInspectionItem
    officers: list[Officer]  # every certified officer of the agency


def make_draw_world(extra_officers: int = 2, ratio: str = "20") -> DrawWorld:
    world = make_world()
    head = world.head
    power = catalog_services.create_power_item(
        actor=head, agency=world.agency, valid_from=datetime.date(2024, 1, 1), **INSPECTION_POWER
    )
    matter = catalog_services.create_item(
        RandomInspectionItem,
        actor=head,
        agency=world.agency,
        valid_from=datetime.date(2024, 1, 1),
        name="食品销售者监督检查",
        basis="《中华人民共和国食品安全法》第一百一十条",
        subject=world.agency.name,
        targets="辖区内食品销售者",
        ratio=Decimal(ratio),
        frequency="每年1次",
        method="双随机抽查",
        content="进货查验记录、贮存条件",
        power_item=power,
    )
    officers = [world.officer_a, world.officer_b]
    for _ in range(extra_officers):
        officer = OfficerFactory(agency=world.agency, unit=world.unit)
        CertificateFactory(officer=officer)
        officers.append(officer)
    return DrawWorld(world, power, matter, officers)


def add_targets(dw: DrawWorld, n: int, *, category: str = CATEGORY) -> list[InspectionTarget]:
    out = []
    for i in range(n):
        out.append(
            services.create_target(
                actor=dw.world.head,
                agency=dw.world.agency,
                data=services.TargetInput(
                    kind="legal_person",
                    name=f"郑州某食品超市{len(out)}-{i}-{category}有限公司",
                    uscc=make_uscc(region="410105"),
                    representative="张某",
                    address="郑州市金水区某路1号",
                    category=category,
                ),
            )
        )
    return out


def plan(dw: DrawWorld, **overrides: object) -> RandomInspection:
    today = timezone.localdate()
    kwargs: dict[str, object] = {
        "actor": dw.world.head,
        "agency": dw.world.agency,
        "matter": dw.matter,
        "title": "2026年度食品销售者双随机抽查",
        "period_start": today,
        "period_end": today + datetime.timedelta(days=60),
        "target_category": CATEGORY,
    }
    kwargs.update(overrides)
    return services.plan_inspection(**kwargs)  # type: ignore[arg-type]
