"""Session auth for the browser, bearer tokens for other systems; one 401 shape for failures."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from sanxiang.api import services
from sanxiang.api.models import ApiToken, hash_key

from .conftest import assert_error, bearer, login

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401_with_the_error_shape(client):
    error = assert_error(client.get("/api/me"), 401, "unauthenticated")
    assert "Authorization: Bearer" in error["message"]


def test_anonymous_write_is_401_not_a_csrf_complaint(world):
    client = Client(enforce_csrf_checks=True)
    assert_error(client.post("/api/units", {}, content_type="application/json"), 401)


def test_session_auth(client, world):
    login(client, world["zz_head"])
    response = client.get("/api/me")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == world["zz_head"].username
    assert body["agency"]["name"] == "郑州市市场监督管理局"
    assert body["agency"]["jurisdiction"]["code"] == "410100"
    assert body["roles"] == [{"code": "agency_head", "label": "机关负责人"}]
    assert body["auth_method"] == "session"
    assert body["token"] is None


def test_session_writes_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["zz_head"])
    payload = {"agency": world["zz"].pk, "name": "法制科", "kind": "legal"}
    error = assert_error(
        client.post("/api/units", payload, content_type="application/json"), 403, "csrf_failed"
    )
    assert "X-CSRFToken" in error["message"]
    # With the token (as the docs page and the staff site send it) the write goes through.
    client.get("/api/docs")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/units", payload, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201, response.content


def test_token_auth(client, world):
    headers = bearer(world["supervisor"], name="省平台对接")
    response = client.get("/api/me", **headers)
    assert response.status_code == 200
    body = response.json()
    assert body["auth_method"] == "token"
    assert body["token"]["name"] == "省平台对接"
    assert body["roles"][0]["code"] == "supervisor"


def test_token_writes_need_no_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    payload = {"agency": world["zz"].pk, "name": "法制科", "kind": "legal"}
    response = client.post(
        "/api/units", payload, content_type="application/json", **bearer(world["zz_head"])
    )
    assert response.status_code == 201, response.content


def test_only_the_hash_of_the_key_is_stored(world):
    token, raw_key = services.issue_token(user=world["zz_head"], name="移动端")
    assert len(raw_key) >= 43
    assert token.prefix == raw_key[:8]
    assert token.key_hash == hash_key(raw_key)
    stored = ApiToken.objects.filter(pk=token.pk).values()[0]
    assert raw_key not in {str(v) for v in stored.values()}


def test_token_use_is_recorded(client, world):
    token, raw_key = services.issue_token(user=world["zz_head"], name="移动端")
    assert token.last_used_at is None
    client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_unknown_token_is_401(client, world):
    error = assert_error(
        client.get("/api/me", HTTP_AUTHORIZATION="Bearer not-a-real-key"), 401, "invalid_token"
    )
    assert "无效" in error["message"]


def test_revoked_token_is_401(client, world):
    token, raw_key = services.issue_token(user=world["zz_head"], name="省平台对接")
    services.revoke_token(token=token, actor=world["zz_head"])
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    error = assert_error(response, 401, "invalid_token")
    assert "吊销" in error["message"]
    assert "invalid_token" in response["WWW-Authenticate"]


def test_expired_token_is_401(client, world):
    token, raw_key = services.issue_token(
        user=world["zz_head"],
        name="省平台对接",
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    error = assert_error(
        client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw_key}"), 401, "invalid_token"
    )
    assert "过期" in error["message"]


def test_inactive_users_token_is_401(client, world):
    headers = bearer(world["zz_head"])
    world["zz_head"].is_active = False
    world["zz_head"].save()
    error = assert_error(client.get("/api/me", **headers), 401, "invalid_token")
    assert "停用" in error["message"]


def test_a_bad_token_is_not_rescued_by_a_session(client, world):
    login(client, world["zz_head"])
    assert_error(client.get("/api/me", HTTP_AUTHORIZATION="Bearer wrong"), 401, "invalid_token")


def test_issue_rejects_past_expiry_and_blank_name(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.issue_token(user=world["zz_head"], name="  ")
    with pytest.raises(ValidationError):
        services.issue_token(
            user=world["zz_head"],
            name="x",
            expires_at=timezone.now() - datetime.timedelta(days=1),
        )


def test_only_owner_manager_or_admin_may_revoke(world):
    from django.core.exceptions import PermissionDenied, ValidationError

    token, _ = services.issue_token(user=world["zz_clerk"], name="移动端")
    with pytest.raises(PermissionDenied):
        services.revoke_token(token=token, actor=world["zc_head"])
    # The head of the owner's agency may.
    services.revoke_token(token=token, actor=world["zz_head"])
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == world["zz_head"]
    with pytest.raises(ValidationError):
        services.revoke_token(token=token, actor=None)
