"""/staff/signage/: who may print a window's 岗位信息公示牌, and what the sheet is built from
(the unit's current 权责清单 and 服务指南, the agency's phones, the officers chosen)."""

from __future__ import annotations

import datetime
import io

import pypdf
import pytest
from django.urls import reverse

from sanxiang.catalog import services
from sanxiang.catalog.models import PowerCategory
from sanxiang.documents.signage import qr_payloads
from sanxiang.org.models import Certificate
from sanxiang.workbench import signage_views
from tests.catalog.conftest import make_power
from tests.documents.helpers import squash
from tests.factories import (
    AgencyFactory,
    CertificateFactory,
    OfficerFactory,
    Role,
    UnitFactory,
    UserFactory,
    zhengzhou,
)

URL = reverse("workbench:signage")


@pytest.fixture
def world(db):
    agency = AgencyFactory(
        name="郑州市市场监督管理局",
        jurisdiction=zhengzhou(),
        phone="0371-67180000",
        complaint_phone="0371-12315000",
    )
    window = UnitFactory(agency=agency, name="行政审批科")
    other = UnitFactory(agency=agency, name="执法稽查科")
    head = UserFactory(agency=agency, roles=[Role.AGENCY_HEAD])
    on_duty = CertificateFactory(
        officer=OfficerFactory(agency=agency, unit=window, name="李受理", post="科员"),
        number="豫A20000001",
    )
    CertificateFactory(
        officer=OfficerFactory(agency=agency, unit=other, name="王稽查"), number="豫A20000002"
    )
    CertificateFactory(
        officer=OfficerFactory(agency=agency, unit=window, name="赵过期"),
        number="豫A20000003",
        expires_on=datetime.date(2020, 1, 1),
        issued_on=datetime.date(2015, 1, 1),
    )
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
        unit=window,
    )
    make_power(head, agency, unit=other)  # another unit's duty: not on this window's sheet
    services.create_service_guide(
        actor=head,
        matter=licence,
        procedure="申请、受理、审查、决定、送达",
        accepting_body="政务服务窗口",
        approving_body="郑州市市场监督管理局",
        conditions="有经营场所",
        time_limit="10个工作日",
        materials="食品经营许可申请书\n营业执照复印件",
        place="郑州市政务服务中心二楼",
    )
    return {"agency": agency, "window": window, "other": other, "head": head, "cert": on_duty}


def test_head_prints_the_sheet_of_a_window(client, world, monkeypatch):
    sheets = []
    real = signage_views.build_signage_pdf
    monkeypatch.setattr(
        signage_views, "build_signage_pdf", lambda sheet: sheets.append(sheet) or real(sheet)
    )
    client.force_login(world["head"])
    page = client.get(URL, {"unit": world["window"].pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert "李受理" in html
    assert "王稽查" not in html  # another unit
    assert "赵过期" not in html  # no valid certificate
    response = client.get(
        URL, {"unit": world["window"].pk, "post": "综合受理窗口", "officers": world["cert"].pk}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = squash("".join(p.extract_text() for p in reader.pages).replace("\x00", ""))
    for snippet in (
        "综合受理窗口",
        "食品经营许可（行政许可）：受理、审查、决定、送达",
        "食品经营许可申请书",
        "0371-67180000",
        "0371-12315000",
        "豫A20000001",
        "《郑州市行政执法公示办法》第十五条",
    ):
        assert squash(snippet) in text, snippet
    assert "对未取得食品经营许可从事食品经营活动的行政处罚" not in text
    # the QR code encodes the public certificate page of the officer
    number = world["cert"].number
    assert qr_payloads(sheets[0]) == [
        "http://testserver" + reverse("portal:certificate", args=[number])
    ]


def test_missing_post_or_officers_gives_chinese_errors(client, world):
    client.force_login(world["head"])
    html = client.get(URL, {"unit": world["window"].pk, "post": ""}).content.decode()
    assert "请填写窗口岗位名称" in html
    assert "请至少选择一名在岗工作人员" in html


def test_officer_of_another_unit_is_refused(client, world):
    client.force_login(world["head"])
    other_cert = Certificate.objects.get(number="豫A20000002")
    html = client.get(
        URL, {"unit": world["window"].pk, "post": "窗口", "officers": other_cert.pk}
    ).content.decode()
    assert "所选人员不是该机构持有效执法证的人员" in html


def test_unit_head_sees_only_the_own_unit(client, world):
    officer = OfficerFactory(agency=world["agency"], unit=world["other"], name="孙科长")
    user = UserFactory(agency=world["agency"], roles=[Role.UNIT_HEAD], officer=officer)
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert "执法稽查科" in html
    assert "行政审批科" not in html
    html = client.get(URL, {"unit": world["window"].pk}).content.decode()
    assert "请选择列出的机构" in html


def test_plain_officer_is_refused(client, world):
    client.force_login(UserFactory(agency=world["agency"], roles=[Role.OFFICER]))
    assert client.get(URL).status_code == 403
