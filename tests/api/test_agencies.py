"""Agencies and units: scoping, staffing, registration rights, boundary validation."""

import pytest

from sanxiang.org.models import Agency, Unit
from tests.factories import AgencyFactory, CertificateFactory, OfficerFactory, Role, UserFactory

from .conftest import assert_error, bearer, login

pytestmark = pytest.mark.django_db


def _names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {a["name"] for a in response.json()["items"]}


def test_plain_user_sees_only_own_agency(client, world):
    login(client, world["zz_clerk"])
    assert _names(client.get("/api/agencies")) == {"郑州市市场监督管理局"}


def test_supervisor_of_zhengzhou_sees_jinshui_not_zhoucun(client, world):
    login(client, world["supervisor"])
    names = _names(client.get("/api/agencies"))
    assert "郑州市金水区市场监督管理局" in names
    assert "淄博市周村区市场监督管理局" not in names
    assert client.get(f"/api/agencies/{world['jinshui'].pk}").status_code == 200
    assert_error(client.get(f"/api/agencies/{world['zhoucun'].pk}"), 404, "not_found")


def test_filter_by_jurisdiction_takes_the_subtree(client, world):
    login(client, world["supervisor"])
    assert _names(client.get("/api/agencies?jurisdiction=410105")) == {"郑州市金水区市场监督管理局"}
    assert len(_names(client.get("/api/agencies?jurisdiction=410100"))) == 3
    assert _names(client.get("/api/agencies?jurisdiction=999999")) == set()
    error = assert_error(client.get("/api/agencies?jurisdiction=41"), 422, "validation_error")
    assert "jurisdiction" in error["fields"]


def test_search_by_name_or_uscc(client, world):
    login(client, world["supervisor"])
    assert _names(client.get("/api/agencies?q=司法")) == {"郑州市司法局"}
    assert _names(client.get(f"/api/agencies?q={world['jinshui'].uscc}")) == {
        "郑州市金水区市场监督管理局"
    }


def test_detail_includes_reviewer_staffing(client, world):
    agency = world["zz"]
    for _ in range(3):
        CertificateFactory(officer=OfficerFactory(agency=agency))
    UserFactory(agency=agency, roles=[Role.LEGAL_REVIEWER])
    login(client, world["zz_clerk"])
    body = client.get(f"/api/agencies/{agency.pk}").json()
    assert body["qualification_basis"]
    assert body["jurisdiction"] == {"code": "410100", "name": "郑州市", "level": "city"}
    staffing = body["staffing"]
    # 4 certified officers (3 + the world's one); Zhengzhou requires at least 2 reviewers.
    assert staffing["enforcement_staff"] == 4
    assert staffing["reviewers"] == 1
    assert staffing["required"] == 2
    assert staffing["adequate"] is False
    assert "不符合" in staffing["message"]
    assert "第五条" in staffing["source"]


def test_detail_of_a_zhoucun_agency_says_no_ratio_is_fixed(client, world):
    login(client, world["zc_head"])
    staffing = client.get(f"/api/agencies/{world['zhoucun'].pk}").json()["staffing"]
    assert staffing["rule_fixed"] is False
    assert staffing["min_ratio"] is None


AGENCY = {
    "name": "郑州市金水区城市管理局",
    "uscc": "11410105MB0000010A",
    "jurisdiction": "410105",
    "legal_status": "organ",
    "qualification_basis": "《中华人民共和国行政处罚法》第十八条",
    "confirmed_by": "郑州市金水区人民政府",
    "confirmed_on": "2021-06-01",
    "phone": "0371 6718 0001",
}


def _agency_payload(**changes):
    from tests.factories import make_uscc

    return {**AGENCY, "uscc": make_uscc(9000, region="410105"), **changes}


def test_supervisor_registers_an_agency(client, world):
    response = client.post(
        "/api/agencies",
        _agency_payload(),
        content_type="application/json",
        **bearer(world["supervisor"]),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["jurisdiction"]["code"] == "410105"
    assert body["phone"] == "0371-67180001"  # normalised at the boundary
    assert Agency.objects.filter(pk=body["id"]).exists()


def test_non_supervisor_may_not_register_an_agency(client, world):
    login(client, world["zz_head"])
    error = assert_error(
        client.post("/api/agencies", _agency_payload(), content_type="application/json"),
        403,
        "permission_denied",
    )
    assert "执法监督" in error["message"]


def test_supervisor_may_not_register_in_another_province(client, world):
    login(client, world["supervisor"])
    payload = _agency_payload(jurisdiction="370306")
    assert_error(client.post("/api/agencies", payload, content_type="application/json"), 403)


def test_agency_input_is_validated_at_the_boundary(client, world):
    login(client, world["supervisor"])
    payload = _agency_payload(
        uscc="11410105MB0000010B", legal_status="private", confirmed_on="2021-13-01"
    )
    error = assert_error(
        client.post("/api/agencies", payload, content_type="application/json"),
        422,
        "validation_error",
    )
    assert "校验码" in error["fields"]["uscc"][0]
    assert "organ" in error["fields"]["legal_status"][0]
    assert error["fields"]["confirmed_on"] == ["日期格式应为 YYYY-MM-DD。"]


def test_unknown_jurisdiction_and_model_rules_come_back_as_field_errors(client, world):
    login(client, world["supervisor"])
    error = assert_error(
        client.post(
            "/api/agencies", _agency_payload(jurisdiction="410199"), content_type="application/json"
        ),
        422,
    )
    assert "410199" in error["fields"]["jurisdiction"][0]
    error = assert_error(
        client.post(
            "/api/agencies",
            _agency_payload(confirmed_on="2999-01-01"),
            content_type="application/json",
        ),
        422,
    )
    assert error["fields"]["confirmed_on"] == ["资格确认日期不能晚于今天。"]


def test_missing_and_unknown_fields(client, world):
    login(client, world["supervisor"])
    payload = {k: v for k, v in _agency_payload().items() if k != "name"} | {"nmae": "x"}
    error = assert_error(
        client.post("/api/agencies", payload, content_type="application/json"), 422
    )
    assert error["fields"]["name"] == ["此项为必填项。"]
    assert error["fields"]["nmae"] == ["不允许的字段。"]


def test_malformed_json_is_400(client, world):
    login(client, world["supervisor"])
    error = assert_error(
        client.post("/api/agencies", "{not json", content_type="application/json"),
        400,
        "bad_request",
    )
    assert "JSON" in error["message"]


def test_units_of_an_agency(client, world):
    Unit.objects.create(agency=world["zz"], name="执法一科", kind="handling")
    Unit.objects.create(agency=world["zhoucun"], name="执法一科", kind="handling")
    login(client, world["zz_clerk"])
    body = client.get(f"/api/agencies/{world['zz'].pk}/units").json()
    assert body["count"] == 1
    assert body["items"][0]["kind_label"] == "承办机构"
    assert_error(client.get(f"/api/agencies/{world['zhoucun'].pk}/units"), 404)


def test_create_unit_inside_and_outside_own_agency(client, world):
    login(client, world["zz_head"])
    ok = client.post(
        "/api/units",
        {"agency": world["zz"].pk, "name": "法制科", "kind": "legal"},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["agency"]["id"] == world["zz"].pk
    error = assert_error(
        client.post(
            "/api/units",
            {"agency": world["zhoucun"].pk, "name": "法制科", "kind": "legal"},
            content_type="application/json",
        ),
        403,
        "permission_denied",
    )
    assert "无权管理" in error["message"]
    # A plain officer cannot change master data of their own agency either.
    client.force_login(world["zz_clerk"])
    assert_error(
        client.post(
            "/api/units",
            {"agency": world["zz"].pk, "name": "二科", "kind": "handling"},
            content_type="application/json",
        ),
        403,
    )


def test_duplicate_unit_name_is_422(client, world):
    login(client, world["zz_head"])
    payload = {"agency": world["zz"].pk, "name": "法制科", "kind": "legal"}
    client.post("/api/units", payload, content_type="application/json")
    error = assert_error(client.post("/api/units", payload, content_type="application/json"), 422)
    assert "已经存在" in error["message"]


def test_create_unit_for_unknown_agency_is_a_field_error(client, world):
    login(client, world["zz_head"])
    error = assert_error(
        client.post(
            "/api/units",
            {"agency": 987654, "name": "法制科", "kind": "legal"},
            content_type="application/json",
        ),
        422,
    )
    assert "987654" in error["fields"]["agency"][0]


def test_abolished_agency_is_still_listed_with_its_status(client, world):
    AgencyFactory(name="郑州市旧局", status=Agency.Status.ABOLISHED, abolished_on="2024-01-01")
    login(client, world["supervisor"])
    items = client.get("/api/agencies?q=旧局").json()["items"]
    assert items[0]["status"] == "abolished" and items[0]["status_label"] == "已撤销"
