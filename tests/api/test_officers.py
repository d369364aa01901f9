"""Officers and certificates: isolation, ID-number exposure, validation, status changes."""

import datetime

import pytest
from django.utils import timezone

from sanxiang.api import selectors as api_selectors
from sanxiang.org import selectors as org_selectors
from sanxiang.org.models import Certificate, Officer
from tests.factories import CertificateFactory, OfficerFactory, Role, UnitFactory, UserFactory

from .conftest import assert_error, login

pytestmark = pytest.mark.django_db

OFFICER = {
    "name": "张三",
    "gender": "M",
    "id_number": "410105198506150023",
    "post": "科员",
    "phone": "138 0013 8001",
    "joined_on": "2020-03-01",
}


def test_list_excludes_other_agencies(client, world):
    login(client, world["zz_clerk"])
    body = client.get("/api/officers").json()
    assert {o["id"] for o in body["items"]} == {world["zz_officer"].pk}
    assert body["count"] == 1


def test_detail_of_another_agencys_officer_is_404(client, world):
    login(client, world["zz_head"])
    error = assert_error(client.get(f"/api/officers/{world['zc_officer'].pk}"), 404, "not_found")
    assert "执法人员" in error["message"]


def test_supervisor_lists_the_jurisdiction_and_filters_by_agency(client, world):
    login(client, world["supervisor"])
    ids = {o["id"] for o in client.get("/api/officers").json()["items"]}
    assert ids == {world["zz_officer"].pk, world["js_officer"].pk}
    body = client.get(f"/api/officers?agency={world['jinshui'].pk}").json()
    assert [o["id"] for o in body["items"]] == [world["js_officer"].pk]


def test_search_by_name_or_certificate_number(client, world):
    login(client, world["zz_head"])
    officer = world["zz_officer"]
    assert client.get(f"/api/officers?q={officer.name[:1]}").json()["count"] >= 1
    body = client.get("/api/officers?q=豫A10000001").json()
    assert [o["id"] for o in body["items"]] == [officer.pk]
    # Never by ID number: that would tell non-managers who works where.
    assert client.get(f"/api/officers?q={officer.id_number}").json()["count"] == 0


def test_plain_user_never_sees_id_numbers(client, world):
    login(client, world["zz_clerk"])
    item = client.get("/api/officers").json()["items"][0]
    assert item["id_number"] is None
    detail = client.get(f"/api/officers/{world['zz_officer'].pk}").json()
    assert detail["id_number"] is None and detail["phone"] is None
    assert detail["can_manage"] is False
    assert (
        "410105199001011233"
        not in client.get(f"/api/officers/{world['zz_officer'].pk}").content.decode()
    )


def test_manager_sees_masked_in_list_and_full_in_detail(client, world):
    login(client, world["zz_head"])
    item = client.get("/api/officers").json()["items"][0]
    assert item["id_number"] == "4101**********1233"
    detail = client.get(f"/api/officers/{world['zz_officer'].pk}").json()
    assert detail["id_number"] == "410105199001011233"
    assert detail["phone"] == "13800138000"
    assert detail["can_manage"] is True


def test_supervisor_sees_masked_numbers_of_the_jurisdiction(client, world):
    login(client, world["supervisor"])
    items = client.get("/api/officers").json()["items"]
    assert all(o["id_number"] and "*" in o["id_number"] for o in items)


def test_managed_agency_ids_matches_can_manage_agency(world):
    agencies = [world["zz"], world["jinshui"], world["zhoucun"], world["justice"]]
    ids = {a.pk for a in agencies}
    superuser = UserFactory(agency=None, is_superuser=True)
    for user in [
        world["zz_clerk"],
        world["zz_head"],
        world["zc_head"],
        world["supervisor"],
        superuser,
    ]:
        expected = {a.pk for a in agencies if org_selectors.can_manage_agency(user, a)}
        assert api_selectors.managed_agency_ids(user, ids) == expected, user


def test_detail_lists_certificates_with_validity_today(client, world):
    officer = world["zz_officer"]
    today = timezone.localdate()
    CertificateFactory(
        officer=officer,
        number="豫A10000002",
        issued_on=today - datetime.timedelta(days=800),
        expires_on=today - datetime.timedelta(days=1),
    )
    login(client, world["zz_clerk"])
    certs = {
        c["number"]: c for c in client.get(f"/api/officers/{officer.pk}").json()["certificates"]
    }
    assert certs["豫A10000001"]["valid_today"] is True
    assert certs["豫A10000001"]["validity_reason"] == "有效"
    assert certs["豫A10000002"]["valid_today"] is False
    assert "过期" in certs["豫A10000002"]["validity_reason"]


def test_register_officer(client, world):
    unit = UnitFactory(agency=world["zz"])
    login(client, world["zz_head"])
    response = client.post(
        "/api/officers",
        {**OFFICER, "agency": world["zz"].pk, "unit": unit.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["unit"]["id"] == unit.pk
    assert body["phone"] == "13800138001"
    assert body["id_number"] == "410105198506150023"
    assert Officer.objects.get(pk=body["id"]).agency == world["zz"]


def test_bad_id_number_is_422_with_the_chinese_field_message(client, world):
    login(client, world["zz_head"])
    response = client.post(
        "/api/officers",
        {**OFFICER, "agency": world["zz"].pk, "id_number": "410105198506150024"},
        content_type="application/json",
    )
    error = assert_error(response, 422, "validation_error")
    assert error["fields"]["id_number"] == [
        "身份证号码“410105198506150024”校验码错误（GB 11643）。"
    ]
    assert "校验码错误" in error["message"]


def test_bad_phone_and_gender(client, world):
    login(client, world["zz_head"])
    response = client.post(
        "/api/officers",
        {**OFFICER, "agency": world["zz"].pk, "phone": "12345", "gender": "X"},
        content_type="application/json",
    )
    error = assert_error(response, 422)
    assert "电话" in error["fields"]["phone"][0]
    assert "取值无效" in error["fields"]["gender"][0]


def test_duplicate_id_number_is_422(client, world):
    login(client, world["zz_head"])
    response = client.post(
        "/api/officers",
        {**OFFICER, "agency": world["zz"].pk, "id_number": "410105199001011233"},
        content_type="application/json",
    )
    error = assert_error(response, 422)
    assert "已存在" in error["fields"]["id_number"][0]


def test_register_officer_outside_own_agency_is_403(client, world):
    login(client, world["zz_head"])
    response = client.post(
        "/api/officers",
        {**OFFICER, "agency": world["zhoucun"].pk},
        content_type="application/json",
    )
    assert_error(response, 403, "permission_denied")
    assert not Officer.objects.filter(id_number=OFFICER["id_number"]).exists()


def test_unit_of_another_agency_is_rejected(client, world):
    other_unit = UnitFactory(agency=world["zhoucun"])
    login(client, world["zz_head"])
    response = client.post(
        "/api/officers",
        {**OFFICER, "agency": world["zz"].pk, "unit": other_unit.pk},
        content_type="application/json",
    )
    assert "unit" in assert_error(response, 422)["fields"]


CERT = {
    "number": "豫A30000001",
    "category": "市场监管",
    "area": "郑州市",
    "issued_by": "河南省人民政府",
    "issued_on": "2025-01-01",
    "expires_on": "2030-12-31",
}


def test_issue_certificate(client, world):
    login(client, world["zz_head"])
    response = client.post(
        f"/api/officers/{world['zz_officer'].pk}/certificates",
        CERT,
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["valid_today"] is True


def test_issue_certificate_validation(client, world):
    login(client, world["zz_head"])
    url = f"/api/officers/{world['zz_officer'].pk}/certificates"
    error = assert_error(
        client.post(url, {**CERT, "expires_on": "2024-01-01"}, content_type="application/json"), 422
    )
    assert error["fields"]["expires_on"] == ["执法证有效期截止日期必须晚于发证日期。"]
    error = assert_error(
        client.post(url, {**CERT, "number": "豫A 0001!"}, content_type="application/json"), 422
    )
    assert "执法证号" in error["fields"]["number"][0]


def test_issue_certificate_for_another_agency_is_404_or_403(client, world):
    login(client, world["zz_head"])
    assert_error(
        client.post(
            f"/api/officers/{world['zc_officer'].pk}/certificates",
            CERT,
            content_type="application/json",
        ),
        404,
    )
    client.force_login(world["zz_clerk"])
    assert_error(
        client.post(
            f"/api/officers/{world['zz_officer'].pk}/certificates",
            CERT,
            content_type="application/json",
        ),
        403,
    )


def test_suspend_reinstate_and_revoke(client, world):
    cert = world["zz_cert"]
    url = f"/api/certificates/{cert.pk}/status"
    login(client, world["zz_head"])
    body = client.post(
        url,
        {"status": "suspended", "reason": "涉嫌违纪，暂扣执法证"},
        content_type="application/json",
    ).json()
    assert body["status"] == "suspended" and body["valid_today"] is False
    assert body["validity_reason"] == "执法证已被暂扣"
    body = client.post(
        url, {"status": "active", "reason": "调查结束"}, content_type="application/json"
    ).json()
    assert body["valid_today"] is True
    client.post(
        url, {"status": "revoked", "reason": "调离执法岗位"}, content_type="application/json"
    )
    error = assert_error(
        client.post(url, {"status": "active", "reason": "误操作"}, content_type="application/json"),
        422,
    )
    assert "不能再变更状态" in error["message"]
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.REVOKED


def test_status_change_needs_a_reason_and_a_known_status(client, world):
    url = f"/api/certificates/{world['zz_cert'].pk}/status"
    login(client, world["zz_head"])
    error = assert_error(
        client.post(url, {"status": "lost", "reason": " "}, content_type="application/json"), 422
    )
    assert set(error["fields"]) == {"status", "reason"}
    assert error["fields"]["reason"] == ["此项不能为空。"]


def test_status_change_outside_own_agency(client, world):
    login(client, world["zz_head"])
    assert_error(
        client.post(
            f"/api/certificates/{world['zc_cert'].pk}/status",
            {"status": "suspended", "reason": "x"},
            content_type="application/json",
        ),
        404,
    )
    # A supervisor of the jurisdiction may act on a Jinshui certificate.
    js_cert = CertificateFactory(officer=world["js_officer"])
    client.force_login(world["supervisor"])
    response = client.post(
        f"/api/certificates/{js_cert.pk}/status",
        {"status": "suspended", "reason": "监督检查发现问题"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content


def test_officer_list_query_count_does_not_grow_with_the_page(
    client, world, django_assert_max_num_queries
):
    for _ in range(30):
        OfficerFactory(agency=world["zz"])
    head = UserFactory(agency=world["zz"], roles=[Role.AGENCY_HEAD])
    login(client, head)
    with django_assert_max_num_queries(8):
        body = client.get("/api/officers?limit=100").json()
    assert body["count"] == 31
