"""The portal's decision search and decision page, the PDF, and the public JSON API."""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from sanxiang.api.endpoints import public_decisions
from tests.portal.decisions_seed import company, person, portal_world, publish, withdraw

pytestmark = pytest.mark.django_db

ID_NUMBER = "410105198003071235"  # person(0)'s
PHONE = "13912345678"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the API's rate limits count per address in the cache
    yield
    cache.clear()


@pytest.fixture
def portal():
    portal = portal_world()
    publish(portal, party=person(0), facts="当事人销售超过保质期的奶粉", made_ago=30)
    publish(portal, party=company(1), facts="当事人占用人行道摆放桌椅经营烧烤", made_ago=10)
    return portal


def test_search_page_lists_hits_with_the_term_marked(client, portal) -> None:
    old, grill = portal.publications
    page = client.get("/decisions/", {"q": "保质期"})
    html = page.content.decode()
    assert page.status_code == 200
    assert f'href="/decisions/{old.pk}/"' in html
    assert f'href="/decisions/{grill.pk}/"' not in html
    assert "<mark>保质期</mark>" in html
    assert "找到 1 条结果" in html
    assert ID_NUMBER not in html and PHONE not in html
    everything = client.get("/decisions/").content.decode()
    assert everything.index(f"/decisions/{grill.pk}/") < everything.index(f"/decisions/{old.pk}/")


def test_search_page_filters_and_pages(client, portal) -> None:
    old, grill = portal.publications
    html = client.get(
        "/decisions/", {"agency": portal.world.agency.pk, "action_type": "penalty"}
    ).content.decode()
    assert f"/decisions/{old.pk}/" in html and f"/decisions/{grill.pk}/" in html
    html = client.get("/decisions/", {"date_from": str(grill.decided_on)}).content.decode()
    assert f"/decisions/{grill.pk}/" in html and f"/decisions/{old.pk}/" not in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "奶" * 51}, "检索词不能超过50个字"),
        ({"date_from": "2026-13-01"}, "起始日期格式不正确"),
        ({"date_from": "2026-02-01", "date_to": "2026-01-01"}, "起始日期不能晚于截止日期"),
        ({"action_type": "x"}, "执法类别不正确"),
        ({"agency": "999999"}, "未找到该执法主体"),
        ({"q": "——"}, "汉字、字母或者数字"),
    ],
)
def test_search_page_refuses_bad_input_with_a_message(client, portal, params, message) -> None:
    page = client.get("/decisions/", params)
    assert page.status_code == 400
    assert message in page.content.decode()


def test_sql_and_html_in_the_query_are_escaped_text(client, portal) -> None:
    for q in ("'; DROP TABLE--", "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'):
        page = client.get("/decisions/", {"q": q})
        html = page.content.decode()
        assert page.status_code == 200
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "没有符合条件的执法决定" in html
    assert "&lt;script&gt;" in client.get("/decisions/", {"q": "<script>"}).content.decode()
    assert client.get("/decisions/", {"q": "保质期"}).status_code == 200  # nothing dropped


def test_decision_page_shows_the_published_information_and_history(client, portal) -> None:
    old, _grill = portal.publications
    html = client.get(f"/decisions/{old.pk}/").content.decode()
    assert "行政处罚决定书" in html
    for label in (
        "执法主体",
        "执法人员",
        "行政相对人",
        "执法类别",
        "事实",
        "依据",
        "决定",
        "救济途径",
    ):
        assert f"<dt>{label}</dt>" in html
    assert "当事人销售超过保质期的奶粉" in html
    assert "[身份证号码已隐去]" in html
    assert ID_NUMBER not in html and PHONE not in html and "赵建华" not in html
    assert "第1版（现行）" in html and "首次公开" in html
    assert f'href="/decisions/{old.pk}/pdf/"' in html


def test_decision_pdf_holds_the_redacted_text_only(client, portal) -> None:
    old, _grill = portal.publications
    response = client.get(f"/decisions/{old.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() or "" for page in reader.pages).replace("\x00", "")
    text = re.sub(r"\s+", "", text)
    assert "保质期的奶粉" in text
    assert "身份证号码已隐去" in text
    assert ID_NUMBER not in text and PHONE not in text and "赵建华" not in text
    again = client.get(f"/decisions/{old.pk}/pdf/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_withdrawn_decision_shows_only_the_notice(client, portal) -> None:
    old, grill = portal.publications
    withdraw(portal, old, note="经行政复议撤销")
    page = client.get(f"/decisions/{old.pk}/")
    html = page.content.decode()
    assert page.status_code == 410
    assert "撤下，原因：执法决定被依法撤销（经行政复议撤销）" in html
    assert "保质期" not in html and "[身份证号码已隐去]" not in html
    assert client.get(f"/decisions/{old.pk}/pdf/").status_code == 410
    listing = client.get("/decisions/", {"q": "奶粉"}).content.decode()
    assert f"/decisions/{old.pk}/" not in listing
    home = client.get("/").content.decode()
    assert f"/decisions/{old.pk}/" not in home and f"/decisions/{grill.pk}/" in home


def test_unknown_and_unpublished_decisions_are_not_found(client, portal) -> None:
    assert client.get("/decisions/999999/").status_code == 404
    assert client.get("/api/public/decisions/999999").status_code == 404


def test_api_lists_and_shows_published_decisions(client, portal) -> None:
    old, grill = portal.publications
    body = client.get("/api/public/decisions", {"q": "烧烤"}).json()
    assert body["count"] == 1 and not body["count_capped"]
    [item] = body["items"]
    assert item["id"] == grill.pk and item["url"] == f"/decisions/{grill.pk}/"
    assert item["agency"]["name"] == portal.world.agency.name
    body = client.get("/api/public/decisions", {"limit": 1, "offset": 1}).json()
    assert [i["id"] for i in body["items"]] == [old.pk] and body["count"] == 2
    body = client.get("/api/public/decisions", {"from": str(grill.decided_on)}).json()
    assert [i["id"] for i in body["items"]] == [grill.pk]
    detail = client.get(f"/api/public/decisions/{old.pk}")
    data = detail.json()
    assert detail.status_code == 200
    assert "保质期的奶粉" in data["full_text"]
    assert [f["label"] for f in data["fields"]][:3] == ["执法主体", "执法人员", "行政相对人"]
    assert data["versions"] == [
        {"number": 1, "made_at": data["versions"][0]["made_at"], "reason": ""}
    ]
    assert ID_NUMBER not in detail.content.decode() and PHONE not in detail.content.decode()


def test_api_refuses_bad_input_and_withdrawn_decisions(client, portal) -> None:
    old, _grill = portal.publications
    too_long = client.get("/api/public/decisions", {"q": "奶" * 51})
    assert too_long.status_code == 422
    assert "检索词不能超过50个字" in too_long.json()["error"]["message"]
    assert client.get("/api/public/decisions", {"limit": 101}).status_code == 422
    assert client.get("/api/public/decisions", {"offset": 10000}).status_code == 422
    assert client.get("/api/public/decisions", {"from": "x"}).status_code == 422
    sql = client.get("/api/public/decisions", {"q": "'; DROP TABLE--"})
    assert sql.status_code == 200 and sql.json()["items"] == []
    withdraw(portal, old)
    gone = client.get(f"/api/public/decisions/{old.pk}")
    assert gone.status_code == 410
    assert "撤下" in gone.json()["error"]["message"]
    assert old.pk not in [i["id"] for i in client.get("/api/public/decisions").json()["items"]]


def test_api_is_read_only(client, portal) -> None:
    response = client.post("/api/public/decisions", {}, content_type="application/json")
    assert response.status_code == 405


def test_api_is_rate_limited_with_a_chinese_message(client, portal) -> None:
    limit = int(public_decisions.LIST_RATE.split("/")[0])
    for _ in range(limit):
        assert client.get("/api/public/decisions").status_code == 200
    refused = client.get("/api/public/decisions")
    assert refused.status_code == 429
    assert "请求过于频繁" in refused.json()["error"]["message"]


def test_api_is_in_the_openapi_schema(client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "get" in paths["/api/public/decisions"]
    assert "get" in paths["/api/public/decisions/{publication_id}"]
    assert paths["/api/public/decisions"]["get"].get("security") in (None, [])
