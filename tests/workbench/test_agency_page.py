"""The staff agency page and data isolation between agencies and jurisdictions."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from sanxiang.org.models import Entrustment
from sanxiang.org.selectors import reviewer_staffing
from sanxiang.workbench import selectors
from tests.factories import (
    AgencyFactory,
    CertificateFactory,
    EntrustmentFactory,
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


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def world(db):
    city = AgencyFactory(name="郑州市市场监督管理局", jurisdiction=zhengzhou())
    other = AgencyFactory(name="郑州市生态环境局", jurisdiction=zhengzhou())
    district = AgencyFactory(name="郑州市金水区城市管理局", jurisdiction=jinshui())
    shandong = AgencyFactory(name="淄博市周村区城市管理局", jurisdiction=zhoucun())
    justice = AgencyFactory(name="郑州市司法局", jurisdiction=zhengzhou())
    return city, other, district, shandong, justice


def test_own_agency_page_shows_units_officers_entrustments_and_staffing(client, world, today):
    city = world[0]
    unit = UnitFactory(agency=city, name="执法稽查科")
    good = CertificateFactory(
        officer=OfficerFactory(agency=city, unit=unit, name="有证人"),
        issued_on=today - 10 * DAY,
        expires_on=today + 400 * DAY,
    )
    CertificateFactory(
        officer=OfficerFactory(agency=city, unit=unit, name="过期人"),
        issued_on=today - 900 * DAY,
        expires_on=today - 2 * DAY,
    )
    EntrustmentFactory(agency=city, entrusted_body="某街道综合执法队")
    EntrustmentFactory(
        agency=city,
        entrusted_body="已终止的执法队",
        status=Entrustment.Status.TERMINATED,
        terminated_on=today - DAY,
        termination_reason="机构撤并",
    )
    client.force_login(UserFactory(agency=city, roles=[Role.OFFICER]))
    response = client.get(f"/staff/agencies/{city.pk}/")
    page = text(response)
    assert response.status_code == 200
    assert "执法稽查科" in page and "有证人" in page and good.number in page
    assert "过期人" in page and "执法证已于" in page  # staff see invalid ones, with the reason
    assert "某街道综合执法队" in page and "已终止的执法队" in page and "机构撤并" in page
    assert "法制审核人员配置" in page and "000 法制审核办法 第五条" in page
    assert 'data-staffing="inadequate"' in page


def test_agency_page_filters_officers(client, world, today):
    city = world[0]
    unit_a = UnitFactory(agency=city, name="一科")
    unit_b = UnitFactory(agency=city, name="二科")
    CertificateFactory(
        officer=OfficerFactory(agency=city, unit=unit_a, name="甲有效"),
        issued_on=today - 10 * DAY,
        expires_on=today + 400 * DAY,
    )
    CertificateFactory(
        officer=OfficerFactory(agency=city, unit=unit_b, name="乙将到期"),
        issued_on=today - 700 * DAY,
        expires_on=today + 20 * DAY,
    )
    OfficerFactory(agency=city, unit=unit_b, name="丙无证")
    client.force_login(UserFactory(agency=city, roles=[Role.AGENCY_HEAD]))
    url = f"/staff/agencies/{city.pk}/"

    def names(**params):
        rows = client.get(url, params).context["rows"]
        return sorted(r.officer.name for r in rows)

    assert names() == ["丙无证", "乙将到期", "甲有效"]
    assert names(status="valid") == ["乙将到期", "甲有效"]
    assert names(status="expiring") == ["乙将到期"]
    assert names(status="invalid") == ["丙无证"]
    assert names(unit=unit_a.pk) == ["甲有效"]
    assert names(q="丙") == ["丙无证"]
    assert names(status="bogus") == ["丙无证", "乙将到期", "甲有效"]


def test_agency_page_paginates_officers_with_bounded_queries(
    client, world, today, django_assert_max_num_queries
):
    city = world[0]
    for n in range(60):
        CertificateFactory(
            officer=OfficerFactory(agency=city, name=f"人员{n:02d}"),
            issued_on=today - DAY,
            expires_on=today + 300 * DAY,
        )
    client.force_login(UserFactory(agency=city, roles=[Role.OFFICER]))
    client.get(f"/staff/agencies/{city.pk}/")  # warm the session/user caches
    with django_assert_max_num_queries(25):
        response = client.get(f"/staff/agencies/{city.pk}/", {"page": 3})
    assert response.context["page"].paginator.num_pages == 3
    assert len(response.context["rows"]) == 10


def test_user_of_agency_a_gets_403_on_agency_b(client, world):
    city, other = world[0], world[1]
    client.force_login(UserFactory(agency=city, roles=[Role.AGENCY_HEAD]))
    response = client.get(f"/staff/agencies/{other.pk}/")
    assert response.status_code == 403
    page = text(response)
    assert "无权访问" in page and "您无权查看该执法主体的信息" in page
    assert other.name not in page


def test_unknown_agency_is_404(client, world):
    client.force_login(UserFactory(agency=world[0]))
    assert client.get("/staff/agencies/999999/").status_code == 404


def test_supervisor_of_zhengzhou_sees_jinshui_but_not_zhoucun(client, world):
    city, _, district, shandong, justice = world
    client.force_login(UserFactory(agency=justice, roles=[Role.SUPERVISOR]))
    assert client.get(f"/staff/agencies/{district.pk}/").status_code == 200
    assert client.get(f"/staff/agencies/{city.pk}/").status_code == 200
    assert client.get(f"/staff/agencies/{shandong.pk}/").status_code == 403
    home = text(client.get("/staff/"))
    assert district.name in home and shandong.name not in home


def test_supervisor_of_jinshui_does_not_see_the_city(client, world):
    city, _, district, _, _ = world
    bureau = AgencyFactory(name="郑州市金水区司法局", jurisdiction=jinshui())
    client.force_login(UserFactory(agency=bureau, roles=[Role.SUPERVISOR]))
    assert client.get(f"/staff/agencies/{district.pk}/").status_code == 200
    assert client.get(f"/staff/agencies/{city.pk}/").status_code == 403


def test_anonymous_user_is_sent_to_login(client, world):
    response = client.get(f"/staff/agencies/{world[0].pk}/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_set_based_staffing_matches_org_reviewer_staffing(world, today):
    """The supervisor table computes staffing in SQL; it must agree with org's per-agency rule."""
    city, other, district, shandong, justice = world
    for agency, staff, reviewers in (
        (city, 45, 2),  # 5% of 45 -> 3 required: short
        (other, 60, 3),  # exactly 3
        (district, 0, 2),
        (shandong, 5, 0),  # Zhoucun fixes no number
        (justice, 1, 1),  # minimum 2: short
    ):
        for _ in range(staff):
            CertificateFactory(
                officer=OfficerFactory(agency=agency),
                issued_on=today - DAY,
                expires_on=today + 300 * DAY,
            )
        for _ in range(reviewers):
            UserFactory(agency=agency, roles=[Role.LEGAL_REVIEWER])
    superuser = UserFactory(agency=None, is_superuser=True, is_staff=True)
    supervision = selectors.Supervision(superuser, today)
    rows = supervision.rows(list(supervision.agencies()))
    assert len(rows) == 5
    for row in rows:
        expected = reviewer_staffing(row.agency, today)
        assert row.staffing.staffing == expected, row.agency.name
        assert row.staffing.message == expected.message
    inadequate = {a.name for a in supervision.agencies(only_inadequate=True)}
    assert inadequate == {city.name, justice.name}
    summary = supervision.summary()
    assert summary.agencies == 5 and summary.inadequate == 2 and summary.not_fixed == 1


def test_supervisor_home_query_count_does_not_grow_with_agencies(
    client, world, today, django_assert_max_num_queries
):
    justice = world[4]
    supervisor = UserFactory(agency=justice, roles=[Role.SUPERVISOR])
    client.force_login(supervisor)
    client.get("/staff/")
    for n in range(30):
        agency = AgencyFactory(name=f"郑州市第{n}测试局", jurisdiction=zhengzhou())
        CertificateFactory(
            officer=OfficerFactory(agency=agency), issued_on=today - DAY, expires_on=today + 9 * DAY
        )
    with django_assert_max_num_queries(15):
        response = client.get("/staff/")
    assert len(response.context["panels"][0].data["rows"]) == 20
