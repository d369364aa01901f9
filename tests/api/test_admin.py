"""The token admin lists and revokes; it never shows a key and has no add form."""

import pytest

from sanxiang.api import services
from sanxiang.api.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, world):
    admin = UserFactory(agency=None, is_superuser=True, is_staff=True)
    client.force_login(admin)
    return client


def test_changelist_shows_prefix_not_key(admin_client, world):
    token, raw_key = services.issue_token(user=world["zz_head"], name="移动端")
    response = admin_client.get("/admin/api/apitoken/")
    assert response.status_code == 200
    text = response.content.decode()
    assert token.prefix in text and raw_key not in text and token.key_hash not in text
    assert admin_client.get(f"/admin/api/apitoken/{token.pk}/change/").status_code == 200
    assert admin_client.get("/admin/api/apitoken/add/").status_code == 403


def test_revoke_action(admin_client, world):
    token, _ = services.issue_token(user=world["zz_head"], name="移动端")
    response = admin_client.post(
        "/admin/api/apitoken/",
        {"action": "revoke_selected", "_selected_action": [token.pk]},
        follow=True,
    )
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_reissue_action_shows_the_new_key_once(admin_client, world):
    token, _ = services.issue_token(user=world["zz_head"], name="移动端")
    response = admin_client.post(
        "/admin/api/apitoken/",
        {"action": "reissue_selected", "_selected_action": [token.pk]},
        follow=True,
    )
    new = ApiToken.objects.exclude(pk=token.pk).get()
    messages = [str(m) for m in response.context["messages"]]
    assert any(new.prefix in m and "仅显示" not in m for m in messages)
