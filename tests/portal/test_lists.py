"""事前公开 pages (000 公示办法 第七条至第十三条): every list of an agency, current versions
only, with the day it last changed; the flowcharts drawn from the enforced definitions."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.catalog import services
from sanxiang.catalog.models import (
    AVMatter,
    AVRequirement,
    PowerCategory,
    PowerItem,
    RandomInspectionItem,
    RemedyChannel,
    ServiceGuide,
    SupervisionChannel,
)
from sanxiang.org.models import Agency, User
from sanxiang.procedures import all_procedures
from sanxiang.procedures.flowchart import render_svg
from tests.catalog.conftest import make_power, make_standard
from tests.factories import AgencyFactory, EntrustmentFactory, Role, UserFactory, zhengzhou

PAST = datetime.date(2024, 1, 1)


@dataclass
class World:
    agency: Agency
    head: User
    penalty: PowerItem
    licence: PowerItem
    guide: ServiceGuide
    inspection: RandomInspectionItem


def make_world() -> World:
    agency = AgencyFactory(
        name="郑州市市场监督管理局", jurisdiction=zhengzhou(), complaint_phone="0371-12315000"
    )
    head = UserFactory(agency=agency, roles=[Role.AGENCY_HEAD])
    penalty = make_power(head, agency)
    licence = make_power(
        head,
        agency,
        code="SJ-XK-0001",
        category=PowerCategory.LICENSING,
        name="食品经营许可",
        basis="《中华人民共和国食品安全法》第三十五条",
        responsibility="受理、审查、决定、送达",
        time_limit="10个工作日",
        violation="",
    )
    check = make_power(
        head,
        agency,
        code="SJ-JC-0001",
        category=PowerCategory.INSPECTION,
        name="食品经营者监督检查",
        basis="《中华人民共和国食品安全法》第一百一十条",
        responsibility="检查、记录、处理",
        time_limit="现场检查当日",
        violation="",
    )
    make_standard(head, penalty)
    inspection = services.create_item(
        RandomInspectionItem,
        actor=head,
        agency=agency,
        valid_from=PAST,
        name="食品经营者日常监督抽查",
        basis="《中华人民共和国食品安全法》第一百一十条",
        subject="郑州市市场监督管理局",
        targets="辖区内食品经营者",
        ratio=Decimal("5"),
        frequency="每年一次",
        method="双随机抽查",
        content="许可证照、从业人员健康证明、进货查验记录",
        power_item=check,
    )
    guide = services.create_service_guide(
        actor=head,
        matter=licence,
        valid_from=PAST,
        procedure="申请、受理、审查、决定、送达",
        accepting_body="郑州市市场监督管理局政务服务窗口",
        approving_body="郑州市市场监督管理局",
        conditions="具有与经营的食品品种、数量相适应的经营场所",
        time_limit="10个工作日",
        materials="食品经营许可申请书\n营业执照复印件",
        place="郑州市政务服务中心二楼",
        phone="0371-67180001",
    )
    services.create_item(
        RemedyChannel,
        actor=head,
        agency=agency,
        valid_from=PAST,
        kind=RemedyChannel.Kind.REVIEW,
        name="申请行政复议",
        body="郑州市人民政府",
        description="自知道该行政行为之日起六十日内提出",
    )
    services.create_item(
        SupervisionChannel,
        actor=head,
        agency=agency,
        valid_from=PAST,
        kind=SupervisionChannel.Kind.HOTLINE,
        name="市场监管投诉举报电话",
        description="受理对行政执法行为的投诉举报",
        phone="0371-12315000",
    )
    services.create_item(
        AVMatter,
        actor=head,
        agency=agency,
        valid_from=PAST,
        action_type="penalty",
        stage="investigation",
        activity="现场检查、调查取证",
        requirement=AVRequirement.AV,
        basis="000 全过程记录办法 第十八条",
    )
    EntrustmentFactory(
        agency=agency,
        entrusted_body="郑州市某街道综合执法队",
        starts_on=timezone.localdate() - datetime.timedelta(days=10),
        ends_on=timezone.localdate() + datetime.timedelta(days=300),
    )
    return World(agency, head, penalty, licence, guide, inspection)


@pytest.fixture
def world(db) -> World:
    return make_world()


def _get(client, name: str, *args, **query) -> str:
    response = client.get(reverse(f"portal:{name}", args=args), query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_agency_page_links_every_list(client, world):
    html = _get(client, "agency", world.agency.pk)
    for name in (
        "powers",
        "random_inspections",
        "discretion",
        "service_guides",
        "remedies",
        "supervision",
        "entrustments",
        "av_matters",
        "review_catalogue",
    ):
        assert reverse(f"portal:{name}", args=[world.agency.pk]) in html, name
    assert reverse("portal:procedures") in html


def test_power_list_has_the_fields_of_article_9_and_filters_by_category(client, world):
    html = _get(client, "powers", world.agency.pk)
    for text in (
        "对未取得食品经营许可从事食品经营活动的行政处罚",
        "《中华人民共和国食品安全法》第一百二十二条第一款",
        "立案、调查、审查、告知、决定、送达、执行",
        "不收费",
        "食品经营许可",
        "本清单最近更新：",
        "7个工作日内更新（000 公示办法 第二十一条）",
    ):
        assert text in html, text
    html = _get(client, "powers", world.agency.pk, category="licensing")
    assert "食品经营许可" in html
    assert "对未取得食品经营许可从事食品经营活动的行政处罚" not in html


def test_only_current_versions_are_published(client, world):
    services.revise_item(world.penalty, actor=world.head, name="对无证经营食品的行政处罚")
    html = _get(client, "powers", world.agency.pk)
    assert "对无证经营食品的行政处罚" in html
    assert "对未取得食品经营许可从事食品经营活动的行政处罚" not in html
    services.withdraw_item(world.guide, actor=world.head, reason="事项取消")
    html = _get(client, "service_guides", world.agency.pk)
    assert "暂无公示的服务指南" in html
    response = client.get(reverse("portal:service_guide", args=[world.agency.pk, world.guide.pk]))
    assert response.status_code == 404


def test_power_list_is_paginated(client, world):
    for n in range(25):
        make_power(
            world.head,
            world.agency,
            code=f"SJ-QT-{n:04d}",
            category=PowerCategory.OTHER,
            name=f"其他权力事项{n:02d}",
            violation="",
        )
    first = _get(client, "powers", world.agency.pk)
    assert "共 28 条" in first
    assert first.count("<tr>") - 1 == 20  # header row + 20
    second = _get(client, "powers", world.agency.pk, page=2)
    assert second.count("<tr>") - 1 == 8


def test_random_inspection_list_has_all_fields_of_article_10(client, world):
    html = _get(client, "random_inspections", world.agency.pk)
    for text in (
        "食品经营者日常监督抽查",
        "《中华人民共和国食品安全法》第一百一十条",
        "辖区内食品经营者",
        "5%",
        "每年一次",
        "双随机抽查",
        "许可证照、从业人员健康证明、进货查验记录",
    ):
        assert text in html, text


def test_discretion_page_shows_the_tiers(client, world):
    html = _get(client, "discretion", world.agency.pk)
    for text in ("减轻处罚情形", "一般", "严重", "货值金额较小，初次被查处的"):
        assert text in html, text


def test_service_guide_embeds_the_flowchart_of_its_procedure(client, world):
    html = _get(client, "service_guide", world.agency.pk, world.guide.pk)
    for text in (
        "郑州市市场监督管理局政务服务窗口",
        "食品经营许可申请书",
        "营业执照复印件",
        "郑州市政务服务中心二楼",
        "0371-67180001",
    ):
        assert text in html, text
    assert "<svg" in html and 'data-procedure="licensing"' in html


def test_remedies_supervision_entrustments_and_av_matters(client, world):
    assert "申请行政复议" in _get(client, "remedies", world.agency.pk)
    assert "市场监管投诉举报电话" in _get(client, "supervision", world.agency.pk)
    assert "郑州市某街道综合执法队" in _get(client, "entrustments", world.agency.pk)
    assert "现场检查、调查取证" in _get(client, "av_matters", world.agency.pk)


def test_empty_lists_say_so(client, db):
    agency = AgencyFactory(jurisdiction=zhengzhou())
    assert "本清单尚未发布事项" in _get(client, "powers", agency.pk)
    assert "暂无公示的随机抽查事项" in _get(client, "random_inspections", agency.pk)


def test_unknown_agency_is_404(client, db):
    assert client.get(reverse("portal:powers", args=[999999])).status_code == 404


@pytest.mark.parametrize("procedure", all_procedures(), ids=lambda p: p.code)
def test_every_stage_and_transition_of_the_definition_is_in_the_svg(client, procedure):
    response = client.get(reverse("portal:flowchart", args=[procedure.code]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg == render_svg(procedure)
    stages = set(re.findall(r'data-stage="([^"]+)"', svg))
    transitions = set(re.findall(r'data-transition="([^"]+)"', svg))
    assert stages == {s.code for s in procedure.stages}
    assert transitions == {t.code for t in procedure.transitions}
    for stage in procedure.stages:
        assert stage.name in svg
    for t in procedure.transitions:
        assert t.label in svg


def test_procedures_page_lists_every_procedure(client, db):
    html = _get(client, "procedures")
    for procedure in all_procedures():
        assert reverse("portal:flowchart", args=[procedure.code]) in html
        assert procedure.name in html


def test_unknown_procedure_is_404(client, db):
    assert client.get("/procedures/no_such/flowchart.svg").status_code == 404
