"""The public certificate check: no login, no personal identifiers."""

import datetime

import pytest
from django.utils import timezone

from sanxiang.org.models import Certificate
from tests.factories import CertificateFactory

from .conftest import assert_error

pytestmark = pytest.mark.django_db


def test_valid_certificate(client, world):
    response = client.get("/api/public/certificates/豫A10000001")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["valid"] is True and body["reason"] == "有效"
    assert body["name"] == world["zz_officer"].name
    assert body["agency"] == "郑州市市场监督管理局"
    assert body["checked_on"] == timezone.localdate().isoformat()
    assert {"post", "category", "area", "issued_on", "expires_on"} <= set(body)
    text = response.content.decode()
    assert world["zz_officer"].id_number not in text
    assert world["zz_officer"].phone not in text
    assert "id_number" not in body and "phone" not in body


def test_expired_certificate(client, world):
    today = timezone.localdate()
    CertificateFactory(
        officer=world["zz_officer"],
        number="豫A99999999",
        issued_on=today - datetime.timedelta(days=1000),
        expires_on=today - datetime.timedelta(days=10),
    )
    body = client.get("/api/public/certificates/豫A99999999").json()
    assert body["valid"] is False
    assert "过期" in body["reason"]


def test_revoked_certificate(client, world):
    Certificate.objects.filter(pk=world["zz_cert"].pk).update(
        status=Certificate.Status.REVOKED, status_changed_on=timezone.localdate()
    )
    body = client.get("/api/public/certificates/豫A10000001").json()
    assert body["valid"] is False and body["status_label"] == "注销/吊销"


def test_unknown_certificate(client, world):
    error = assert_error(client.get("/api/public/certificates/豫A00000000"), 404, "not_found")
    assert "豫A00000000" in error["message"]


def test_public_check_is_throttled(client, world):
    for _ in range(60):
        client.get("/api/public/certificates/豫A10000001")
    error = assert_error(client.get("/api/public/certificates/豫A10000001"), 429, "throttled")
    assert "频繁" in error["message"]
