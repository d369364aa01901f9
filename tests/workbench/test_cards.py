"""The staff download of an officer's 公示卡: visibility, a valid certificate, login."""

from __future__ import annotations

import datetime
import io
from urllib.parse import quote

import pypdf
import pytest
from django.utils import timezone

from tests.factories import AgencyFactory, CertificateFactory, OfficerFactory, Role, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def card_url(officer) -> str:
    return f"/staff/officers/{officer.pk}/card.pdf"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def city(db):
    return AgencyFactory(name="郑州市市场监督管理局")


@pytest.fixture
def certified(city, today):
    return CertificateFactory(
        officer=OfficerFactory(agency=city, name="有证人", post="科长"),
        number="豫A20260001",
        issued_on=today - 10 * DAY,
        expires_on=today + 400 * DAY,
    )


def test_agency_head_downloads_the_card(client, city, certified):
    client.force_login(UserFactory(agency=city, roles=[Role.AGENCY_HEAD]))
    response = client.get(card_url(certified.officer))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert quote("豫A20260001") in disposition
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().replace("\x00", "")
    text = "".join(text.split())
    assert "有证人" in text and "豫A20260001" in text and "郑州市市场监督管理局" in text


def test_qr_url_is_the_absolute_portal_certificate_page(client, city, certified, monkeypatch):
    from sanxiang.workbench import cards

    seen = {}

    def fake_build(**kwargs):
        seen.update(kwargs)
        return b"%PDF-1.4 fake"

    monkeypatch.setattr(cards, "build_officer_card_pdf", fake_build)
    client.force_login(UserFactory(agency=city, roles=[Role.AGENCY_HEAD]))
    assert client.get(card_url(certified.officer)).status_code == 200
    assert seen["url"] == f"http://testserver/officers/{quote('豫A20260001')}/"
    assert client.get(f"/officers/{quote('豫A20260001')}/").status_code == 200
    assert seen["valid_until"] == certified.expires_on


def test_user_of_another_agency_gets_404(client, certified):
    client.force_login(UserFactory(agency=AgencyFactory(name="郑州市生态环境局")))
    assert client.get(card_url(certified.officer)).status_code == 404


def test_unknown_officer_gets_404(client, city):
    client.force_login(UserFactory(agency=city, roles=[Role.AGENCY_HEAD]))
    assert client.get("/staff/officers/999999/card.pdf").status_code == 404


def test_officer_with_expired_certificate_gets_404(client, city, today):
    expired = CertificateFactory(
        officer=OfficerFactory(agency=city, name="过期人"),
        issued_on=today - 900 * DAY,
        expires_on=today - DAY,
    )
    uncertified = OfficerFactory(agency=city, name="无证人")
    client.force_login(UserFactory(agency=city, roles=[Role.AGENCY_HEAD]))
    assert client.get(card_url(expired.officer)).status_code == 404
    assert client.get(card_url(uncertified)).status_code == 404


def test_anonymous_is_sent_to_login(client, certified):
    response = client.get(card_url(certified.officer))
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


def test_agency_page_links_the_card_only_for_valid_certificates(client, city, certified, today):
    expired = CertificateFactory(
        officer=OfficerFactory(agency=city, name="过期人"),
        issued_on=today - 900 * DAY,
        expires_on=today - DAY,
    )
    client.force_login(UserFactory(agency=city, roles=[Role.AGENCY_HEAD]))
    page = client.get(f"/staff/agencies/{city.pk}/").content.decode()
    assert "打印执法人员公示卡" in page
    assert card_url(certified.officer) in page
    assert card_url(expired.officer) not in page


@pytest.mark.parametrize(
    ("jurisdiction", "basis"),
    [
        ("zhengzhou", "《郑州市行政执法公示办法》第十二条"),
        ("henan", "《河南省行政执法公示办法》第九条"),
        ("zhoucun", "第十一条"),
    ],
)
def test_card_cites_the_agencys_own_measure(client, today, jurisdiction, basis):
    from tests import factories

    agency = AgencyFactory(name="某执法局", jurisdiction=getattr(factories, jurisdiction)())
    cert = CertificateFactory(
        officer=OfficerFactory(agency=agency),
        issued_on=today - 10 * DAY,
        expires_on=today + 400 * DAY,
    )
    client.force_login(UserFactory(agency=agency, roles=[Role.AGENCY_HEAD]))
    pdf = client.get(card_url(cert.officer)).content
    text = "".join(
        pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().replace("\x00", "").split()
    )
    assert f"依据{basis}" in text or basis in text
