"""The role home page: one panel per role held, each showing what exists now."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.factories import (
    AgencyFactory,
    CertificateFactory,
    OfficerFactory,
    Role,
    UnitFactory,
    UserFactory,
    jinshui,
    zhengzhou,
    zhoucun,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def text(response) -> str:
    return response.content.decode()


def panels(response) -> list[str]:
    return [p.role for p in response.context["panels"]]


def panel(response, role: str):
    """The first panel of ``role`` ("not-cases": the first after the cases panel)."""
    items = response.context["panels"]
    if role == "not-cases":
        return next(p for p in items if p.role != "cases")
    return next(p for p in items if p.role == role)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def agency(db):
    return AgencyFactory(name="郑州市市场监督管理局", jurisdiction=zhengzhou())


def certified(agency, today, n: int, **officer_fields):
    return [
        CertificateFactory(
            officer=OfficerFactory(agency=agency, **officer_fields),
            issued_on=today - 100 * DAY,
            expires_on=today + 700 * DAY,
        )
        for _ in range(n)
    ]


def test_home_shows_name_agency_and_roles(client, agency):
    user = UserFactory(
        full_name="刘洋", agency=agency, roles=[Role.OFFICER, Role.RECORDS_CUSTODIAN]
    )
    client.force_login(user)
    page = text(client.get("/staff/"))
    assert "刘洋" in page and "郑州市市场监督管理局" in page
    assert "执法人员" in page and "档案管理员" in page


def test_user_without_roles_is_told_to_ask_for_them(client, agency):
    client.force_login(UserFactory(agency=agency))
    response = client.get("/staff/")
    assert panels(response) == []
    assert "尚未被授予任何角色" in text(response)


def test_officer_panel_shows_certificate_and_expiry_warning(client, agency, today):
    officer = OfficerFactory(agency=agency, name="陈立", post="科员")
    soon = CertificateFactory(
        officer=officer,
        number="豫A30000001",
        issued_on=today - 700 * DAY,
        expires_on=today + 30 * DAY,
    )
    client.force_login(UserFactory(agency=agency, officer=officer, roles=[Role.OFFICER]))
    response = client.get("/staff/")
    assert panels(response) == ["cases", Role.OFFICER]
    page = text(response)
    assert "我的执法证" in page and soon.number in page
    assert "还剩 30 天" in page and "请及时向发证机关申请换证" in page
    assert "有效 · 30天后到期" in page


def test_officer_panel_without_warning_when_far_from_expiry(client, agency, today):
    officer = OfficerFactory(agency=agency)
    CertificateFactory(officer=officer, issued_on=today - DAY, expires_on=today + 365 * DAY)
    client.force_login(UserFactory(agency=agency, officer=officer, roles=[Role.OFFICER]))
    page = text(client.get("/staff/"))
    assert "申请换证" not in page and "badge-ok" in page


def test_officer_panel_with_only_an_expired_certificate(client, agency, today):
    officer = OfficerFactory(agency=agency)
    CertificateFactory(officer=officer, issued_on=today - 900 * DAY, expires_on=today - DAY)
    client.force_login(UserFactory(agency=agency, officer=officer, roles=[Role.OFFICER]))
    page = text(client.get("/staff/"))
    assert "您目前没有有效的执法证" in page and "过期" in page


def test_officer_panel_for_account_without_officer_record(client, agency):
    client.force_login(UserFactory(agency=agency, roles=[Role.OFFICER]))
    assert "尚未关联执法人员档案" in text(client.get("/staff/"))


def test_unit_head_panel_lists_the_units_officers(client, agency, today):
    unit = UnitFactory(agency=agency, name="执法一科")
    other_unit = UnitFactory(agency=agency, name="执法二科")
    head = OfficerFactory(agency=agency, unit=unit, name="黄科长", post="科长")
    member = certified(agency, today, 1, unit=unit, name="郑队员")[0]
    certified(agency, today, 1, unit=other_unit, name="别科人")
    OfficerFactory(agency=agency, unit=unit, name="已离岗者", left_on=today - DAY)
    client.force_login(UserFactory(agency=agency, officer=head, roles=[Role.UNIT_HEAD]))
    response = client.get("/staff/")
    page = text(response)
    assert panels(response) == ["cases", Role.UNIT_HEAD]
    assert "执法一科执法人员" in page
    assert "黄科长" in page and "郑队员" in page and member.number in page
    assert "未持证" in page  # the head holds no certificate
    assert "别科人" not in page and "已离岗者" not in page


def test_unit_head_without_unit_sees_the_agencys_units(client, agency, today):
    unit = UnitFactory(agency=agency, name="执法三科")
    certified(agency, today, 2, unit=unit)
    client.force_login(UserFactory(agency=agency, roles=[Role.UNIT_HEAD]))
    response = client.get("/staff/")
    units = list(panel(response, "not-cases").data["units"])
    assert [(u.name, u.officer_count, u.certified_count) for u in units] == [("执法三科", 2, 2)]


def test_legal_reviewer_panel_warns_when_staffing_is_short(client, agency, today):
    certified(agency, today, 3)
    reviewer = UserFactory(agency=agency, full_name="法审甲", roles=[Role.LEGAL_REVIEWER])
    client.force_login(reviewer)
    response = client.get("/staff/")
    page = text(response)
    assert panels(response) == [Role.LEGAL_REVIEWER]
    # Zhengzhou: at least 5% and at least 2 (000 法制审核办法 第五条); 1 reviewer is short.
    assert "法制审核人员配置不足" in page and 'data-staffing="inadequate"' in page
    assert "000 法制审核办法 第五条" in page
    assert "法审甲" in page
    assert "法制审核时限" in page and "5个工作日" in page


def test_legal_reviewer_panel_when_staffing_is_adequate(client, agency, today):
    certified(agency, today, 3)
    UserFactory(agency=agency, roles=[Role.LEGAL_REVIEWER])
    client.force_login(UserFactory(agency=agency, roles=[Role.LEGAL_REVIEWER]))
    page = text(client.get("/staff/"))
    assert 'data-staffing="adequate"' in page and "符合" in page


def test_zhoucun_staffing_is_reported_as_not_fixed(client, today):
    agency = AgencyFactory(name="淄博市周村区综合行政执法局", jurisdiction=zhoucun())
    client.force_login(UserFactory(agency=agency, roles=[Role.LEGAL_REVIEWER]))
    page = text(client.get("/staff/"))
    assert 'data-staffing="not-fixed"' in page and "002 第四十九条" in page
    assert "未规定" in page


def test_agency_head_panel_shows_figures_staffing_and_expiring_certificates(client, agency, today):
    certified(agency, today, 2)
    expiring = CertificateFactory(
        officer=OfficerFactory(agency=agency, name="将到期"),
        issued_on=today - 700 * DAY,
        expires_on=today + 10 * DAY,
    )
    client.force_login(UserFactory(agency=agency, roles=[Role.AGENCY_HEAD, Role.LEGAL_REVIEWER]))
    response = client.get("/staff/")
    page = text(response)
    assert panels(response) == ["cases", Role.AGENCY_HEAD, Role.LEGAL_REVIEWER]
    figures = panel(response, "not-cases").data["figures"]
    assert figures.certified_officers == 3 and figures.expiring == 1
    assert "将到期" in page and expiring.number in page
    # Staffing is shown once, in the agency panel, not again in the reviewer panel.
    assert page.count("data-staffing=") == 1


def test_records_custodian_panel_shows_the_archiving_rules_with_sources(client, agency):
    client.force_login(UserFactory(agency=agency, roles=[Role.RECORDS_CUSTODIAN]))
    page = text(client.get("/staff/"))
    assert "档案管理职责" in page
    assert "执法案卷归档时限" in page and "20个工作日" in page
    assert "000 全过程记录办法 第二十五条" in page
    assert "经行政执法机关负责人批准" in page


def test_records_custodian_in_zhoucun_sees_zhoucun_rules(client):
    agency = AgencyFactory(name="淄博市周村区市场监督管理局", jurisdiction=zhoucun())
    client.force_login(UserFactory(agency=agency, roles=[Role.RECORDS_CUSTODIAN]))
    page = text(client.get("/staff/"))
    assert "30日" in page and "002 第四十三条" in page


def test_publisher_panel_shows_disclosure_rules_and_public_page(client, agency, today):
    certified(agency, today, 2)
    client.force_login(UserFactory(agency=agency, roles=[Role.PUBLISHER]))
    response = client.get("/staff/")
    page = text(response)
    assert "公示审核职责" in page
    assert "行政许可、行政处罚决定信息公开时限" in page and "7个工作日" in page
    assert "000 公示办法 第二十条" in page
    assert f"/agencies/{agency.pk}/" in page
    assert panel(response, "not-cases").data["figures"].certified_officers == 2


def test_supervisor_panel_lists_jurisdiction_agencies_with_staffing(client, agency, today):
    district = AgencyFactory(name="郑州市金水区城市管理局", jurisdiction=jinshui())
    far = AgencyFactory(name="淄博市周村区城市管理局", jurisdiction=zhoucun())
    certified(agency, today, 3)
    certified(district, today, 1)
    certified(far, today, 4)
    UserFactory(agency=district, roles=[Role.LEGAL_REVIEWER])
    UserFactory(agency=district, roles=[Role.LEGAL_REVIEWER])
    bureau = AgencyFactory(name="郑州市司法局", jurisdiction=zhengzhou())
    client.force_login(UserFactory(agency=bureau, roles=[Role.SUPERVISOR]))
    response = client.get("/staff/")
    page = text(response)
    assert panels(response) == [Role.SUPERVISOR]
    assert agency.name in page and district.name in page and bureau.name in page
    assert far.name not in page
    assert "000 法制审核办法 第五条" in page  # each verdict names the rule it applies
    rows = {r.agency.name: r for r in response.context["panels"][0].data["rows"]}
    assert rows[agency.name].certified_officers == 3
    assert rows[agency.name].staffing.adequate is False
    assert rows[district.name].staffing.adequate is True
    summary = response.context["panels"][0].data["summary"]
    assert summary.agencies == 3 and summary.certified_officers == 4
    assert summary.inadequate == 2  # the market bureau and the justice bureau itself


def test_supervisor_can_filter_to_inadequate_agencies_and_search(client, agency, today):
    district = AgencyFactory(name="郑州市金水区城市管理局", jurisdiction=jinshui())
    UserFactory(agency=district, roles=[Role.LEGAL_REVIEWER])
    UserFactory(agency=district, roles=[Role.LEGAL_REVIEWER])
    client.force_login(UserFactory(agency=agency, roles=[Role.SUPERVISOR]))
    names = [
        r.agency.name
        for r in client.get("/staff/", {"staffing": "inadequate"}).context["panels"][0].data["rows"]
    ]
    assert names == [agency.name]
    names = [
        r.agency.name
        for r in client.get("/staff/", {"q": "金水"}).context["panels"][0].data["rows"]
    ]
    assert names == [district.name]


def test_cases_panel_counts_my_open_and_the_agencys_overdue_cases(client):
    from django.urls import reverse

    from sanxiang.cases.models import Case
    from tests.cases.factories import make_world, open_penalty

    world = make_world()
    mine, other = open_penalty(world), open_penalty(world, officers=[world.officer_b])
    Case.objects.filter(pk=other.pk).update(next_due_on=timezone.localdate() - DAY)
    client.force_login(world.user_a)
    response = client.get(reverse("workbench:home"))
    data = response.context["panels"][0].data
    assert data["counts"]["mine"] == 1 and data["counts"]["overdue"] == 1
    assert data["counts"]["open"] == 2
    assert mine.number in response.content.decode()
