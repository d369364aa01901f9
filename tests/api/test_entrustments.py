"""Entrustments: scoping and the no-overlap rule (002 第十条)."""

import pytest

from tests.factories import EntrustmentFactory, make_uscc

from .conftest import assert_error, login

pytestmark = pytest.mark.django_db


def _payload(agency, **changes):
    return {
        "agency": agency.pk,
        "entrusted_body": "郑州市某街道综合执法队",
        "entrusted_body_uscc": make_uscc(7000, region="410105"),
        "basis": "《中华人民共和国行政处罚法》第二十条",
        "matters": "占道经营的行政处罚",
        "powers": "以委托机关名义实施警告和罚款",
        "starts_on": "2025-01-01",
        "ends_on": "2026-12-31",
        "liability": "委托机关对受委托组织实施行政处罚的后果承担法律责任",
        **changes,
    }


def test_create_and_list(client, world):
    EntrustmentFactory(agency=world["zhoucun"])
    login(client, world["zz_head"])
    response = client.post(
        "/api/entrustments", _payload(world["zz"]), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "active"
    body = client.get("/api/entrustments").json()
    assert body["count"] == 1
    assert body["items"][0]["agency"]["id"] == world["zz"].pk


def test_overlapping_term_is_422_with_the_chinese_message(client, world):
    login(client, world["zz_head"])
    client.post("/api/entrustments", _payload(world["zz"]), content_type="application/json")
    response = client.post(
        "/api/entrustments",
        _payload(world["zz"], starts_on="2026-06-01", ends_on="2028-05-31"),
        content_type="application/json",
    )
    error = assert_error(response, 422, "validation_error")
    assert "重叠" in error["message"]
    assert "002 第十条" in error["message"]


def test_term_order_and_uscc_are_checked_at_the_boundary(client, world):
    login(client, world["zz_head"])
    response = client.post(
        "/api/entrustments",
        _payload(world["zz"], ends_on="2024-12-31", entrusted_body_uscc="123"),
        content_type="application/json",
    )
    error = assert_error(response, 422)
    assert "终止日期不能早于起始日期" in error["fields"]["ends_on"][0]
    assert "18位" in error["fields"]["entrusted_body_uscc"][0]


def test_entrusting_for_another_agency_is_403(client, world):
    login(client, world["zz_head"])
    response = client.post(
        "/api/entrustments", _payload(world["zhoucun"]), content_type="application/json"
    )
    assert_error(response, 403, "permission_denied")


def test_filter_by_status(client, world):
    EntrustmentFactory(agency=world["zz"])
    login(client, world["zz_clerk"])
    assert client.get("/api/entrustments?status=active").json()["count"] == 1
    assert client.get("/api/entrustments?status=terminated").json()["count"] == 0
    assert_error(client.get("/api/entrustments?status=unknown"), 422)
