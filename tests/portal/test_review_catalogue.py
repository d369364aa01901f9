"""The published 重大执法决定法制审核目录清单 (000 法制审核办法 第十四条): rules in force with
their thresholds and sources, the general criteria, and the profile's rule on general-procedure
penalties where it applies; no login, nothing withdrawn, nothing of another agency."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.review import services
from sanxiang.review.models import ReviewCatalogue
from tests.cases.factories import World, make_world
from tests.review.helpers import make_zhoucun_world

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def url(agency_pk: int) -> str:
    return reverse("portal:review_catalogue", args=[agency_pk])


def rule(world: World, **overrides) -> ReviewCatalogue:
    kwargs = dict(
        actor=world.head,
        agency=world.agency,
        title="对法人或者其他组织处以较大数额罚款",
        action_type="penalty",
        source="000 法制审核办法 第十四条",
        amount_kind="fine",
        amount_at_least=Decimal("100000"),
        party_kind="legal_person",
        published_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    kwargs.update(overrides)
    return services.publish_catalogue_rule(**kwargs)


@pytest.fixture
def zz(db) -> World:
    return make_world()


@pytest.fixture
def zc(db) -> World:
    return make_zhoucun_world()


def test_lists_rules_in_force_with_thresholds_and_citations(client, zz):
    rule(zz)
    rule(
        zz,
        title="查封、扣押财物价值较大的",
        action_type="coercion",
        amount_kind="seized_value",
        amount_at_least=Decimal("500000"),
        party_kind="",
        level="市级",
        guidance="参照省局重大执法决定事项标准",
    )
    rule(
        zz,
        title="对食品经营违法行为经听证作出的处罚",
        matter=zz.matter,
        after_hearing=True,
        amount_kind="",
        amount_at_least=None,
        party_kind="",
    )
    response = client.get(url(zz.agency.pk))
    assert response.status_code == 200
    page = text(response)
    assert "重大执法决定法制审核目录清单" in page and zz.agency.name in page
    assert "对法人或者其他组织处以较大数额罚款" in page
    assert "罚款数额达到100,000.00元" in page and "当事人为法人" in page
    assert "查封、扣押财物价值达到500,000.00元" in page and "市级" in page
    assert "参照省局重大执法决定事项标准" in page
    assert zz.matter.name in page and "经过听证程序作出" in page
    assert "行政处罚" in page and "行政强制" in page
    # Sources and bases under the measures' public titles, not the internal file codes.
    assert "《郑州市重大行政执法决定法制审核办法》第十四条" in page
    assert "《郑州市重大行政执法决定法制审核办法》第三条" in page  # no decision unreviewed
    assert "000 法制审核办法" not in page
    assert "《河南省重大行政执法决定法制审核办法》第六条" in page  # the general criteria
    assert "涉及重大公共利益的" in page and "经过听证程序作出行政执法决定的" in page
    assert response.context["catalogue"].last_changed == timezone.localdate() - datetime.timedelta(
        days=30
    )


def test_withdrawn_rules_and_other_agencies_rules_are_not_listed(client, zz, zc):
    kept = rule(zz, title="保留的事项")
    gone = rule(zz, title="按旧标准列入的事项")
    services.withdraw_catalogue_rule(actor=zz.head, rule=gone, reason="标准调整")
    rule(zc, title="周村区的事项", source="002 第五十一条")
    page = text(client.get(url(zz.agency.pk)))
    assert kept.title in page
    assert gone.title not in page and "标准调整" not in page
    assert "周村区的事项" not in page
    catalogue = client.get(url(zz.agency.pk)).context["catalogue"]
    assert [row.rule for row in catalogue.rows] == [kept]
    assert catalogue.last_changed == timezone.localdate()  # the withdrawal
    today = timezone.localdate()
    assert f"最近更新</dt><dd>{today.year}年{today.month}月{today.day}日" in page


def test_zhengzhou_shows_the_general_procedure_rule_and_zhoucun_does_not(client, zz, zc):
    page = text(client.get(url(zz.agency.pk)))
    assert "适用一般程序作出的行政处罚决定应当进行法制审核" in page
    assert "《郑州市重大行政执法决定法制审核办法》第六条" in page
    assert "该执法主体尚未公布目录清单事项" in page

    rule(zc, title="周村区较大数额罚款", source="002 第五十一条")
    page = text(client.get(url(zc.agency.pk)))
    assert "周村区较大数额罚款" in page
    assert "适用一般程序作出的行政处罚决定应当进行法制审核" not in page
    assert "郑州市" not in page and "河南省" not in page
    assert (
        "《周村区行政执法公示制度执法全过程记录制度重大执法决定法制审核制度实施办法》第五十一条"
        in page
    )


def test_linked_from_the_agency_page(client, zz):
    page = text(client.get(reverse("portal:agency", args=[zz.agency.pk])))
    assert url(zz.agency.pk) in page
    assert "重大执法决定法制审核目录清单" in page


def test_unknown_agency_is_404_and_no_login_needed(client, zz):
    assert client.get(url(zz.agency.pk + 1000)).status_code == 404
    response = client.get(url(zz.agency.pk))
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
