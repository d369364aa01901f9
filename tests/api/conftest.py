"""Shared fixtures: a small world of agencies in Zhengzhou, Jinshui and Zhoucun."""

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from sanxiang.api import services as api_services
from tests.factories import (
    AgencyFactory,
    CertificateFactory,
    OfficerFactory,
    Role,
    UserFactory,
    jinshui,
    zhengzhou,
    zhoucun,
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    # The public endpoint is throttled through the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db) -> dict[str, Any]:
    zz = AgencyFactory(name="郑州市市场监督管理局", jurisdiction=zhengzhou())
    js = AgencyFactory(name="郑州市金水区市场监督管理局", jurisdiction=jinshui())
    zc = AgencyFactory(name="淄博市周村区市场监督管理局", jurisdiction=zhoucun())
    justice = AgencyFactory(name="郑州市司法局", jurisdiction=zhengzhou())
    zz_officer = OfficerFactory(agency=zz, id_number="410105199001011233", phone="13800138000")
    zc_officer = OfficerFactory(agency=zc)
    return {
        "zz": zz,
        "jinshui": js,
        "zhoucun": zc,
        "justice": justice,
        "zz_officer": zz_officer,
        "js_officer": OfficerFactory(agency=js),
        "zc_officer": zc_officer,
        "zz_cert": CertificateFactory(officer=zz_officer, number="豫A10000001"),
        "zc_cert": CertificateFactory(officer=zc_officer, number="鲁C20000001"),
        "zz_clerk": UserFactory(agency=zz, roles=[Role.OFFICER]),
        "zz_head": UserFactory(agency=zz, roles=[Role.AGENCY_HEAD]),
        "zc_head": UserFactory(agency=zc, roles=[Role.AGENCY_HEAD]),
        "supervisor": UserFactory(agency=justice, roles=[Role.SUPERVISOR]),
    }


def login(client: Client, user) -> Client:
    client.force_login(user)
    return client


def bearer(user, *, name: str = "测试对接", expires_at: datetime.datetime | None = None) -> dict:
    """Headers for a fresh token of `user`."""
    _, raw_key = api_services.issue_token(user=user, name=name, expires_at=expires_at)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw_key}"}


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}
    assert isinstance(error["fields"], dict)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"]), error["message"]
    if code is not None:
        assert error["code"] == code
    return error
