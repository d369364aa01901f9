"""The OpenAPI document, the docs page (offline), and the error shape for unknown paths."""

import pytest
from django.contrib.staticfiles import finders

from .conftest import assert_error

EXPECTED = {
    ("/api/me", "get"),
    ("/api/agencies", "get"),
    ("/api/agencies", "post"),
    ("/api/agencies/{agency_id}", "get"),
    ("/api/agencies/{agency_id}/units", "get"),
    ("/api/units", "post"),
    ("/api/officers", "get"),
    ("/api/officers", "post"),
    ("/api/officers/{officer_id}", "get"),
    ("/api/officers/{officer_id}/certificates", "post"),
    ("/api/certificates/{certificate_id}/status", "post"),
    ("/api/entrustments", "get"),
    ("/api/entrustments", "post"),
    ("/api/public/certificates/{number}", "get"),
}


def test_openapi_schema_lists_the_endpoints(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "三项制度信息系统 API"
    assert schema["info"]["version"] == "1"
    listed = {(path, method) for path, ops in schema["paths"].items() for method in ops}
    assert listed >= EXPECTED
    assert {"TokenAuth", "SessionAuth"} <= set(schema["components"]["securitySchemes"])
    # The public check needs no credentials; the others do.
    assert "security" not in schema["paths"]["/api/public/certificates/{number}"]["get"]
    assert schema["paths"]["/api/officers"]["get"]["security"]
    # Errors are documented with the one error shape.
    responses = schema["paths"]["/api/officers"]["post"]["responses"]
    assert responses["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")


def test_list_endpoints_document_pagination(client):
    schema = client.get("/api/openapi.json").json()
    params = {p["name"]: p for p in schema["paths"]["/api/officers"]["get"]["parameters"]}
    assert params["limit"]["schema"]["maximum"] == 500
    assert params["limit"]["schema"]["default"] == 50
    page = schema["components"]["schemas"]["PagedOfficerOut"]
    assert set(page["properties"]) == {"items", "count"}


def test_docs_page_uses_bundled_assets_only(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "/static/ninja/" in html
    # No CDN: the machine that serves the page may have no internet access.
    assert "cdn." not in html and "https://" not in html
    # The online spec validator is off too.
    assert '"validatorUrl": null' in html
    # The assets ship with django-ninja and are found by staticfiles (collectstatic in production).
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-init.js", "favicon.png"):
        assert finders.find(f"ninja/{asset}"), asset


@pytest.mark.django_db
def test_unknown_api_path_answers_in_the_error_shape(client):
    error = assert_error(client.get("/api/no-such-thing"), 404, "not_found")
    assert "/api/no-such-thing" in error["message"]


@pytest.mark.django_db
def test_chinese_is_not_escaped(client):
    response = client.get("/api/me")
    assert "未登录".encode() in response.content
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
def test_wrong_method_answers_in_the_error_shape(client):
    response = client.delete("/api/me")
    error = assert_error(response, 405, "method_not_allowed")
    assert "DELETE" in error["message"]
    assert "GET" in response["Allow"]
