"""Sign-in, sign-out and django-axes lock-out, all in Chinese."""

from __future__ import annotations

import pytest

from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_staff_pages_need_login(client):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=/staff/")


def test_login_page_is_chinese_and_states_the_lockout_rule(client):
    page = text(client.get("/staff/login/"))
    assert "工作人员登录" in page and "用户名" in page and "密码" in page
    assert "连续输错密码5次，账号将被锁定30分钟" in page


def test_login_lands_on_the_home_page(client, login):
    user = UserFactory(full_name="张明", agency=AgencyFactory(name="郑州市交通运输局"))
    response = login(user)
    assert response.status_code == 302 and response["Location"] == "/staff/"
    page = text(client.get("/staff/"))
    assert "张明" in page and "郑州市交通运输局" in page


def test_login_honours_next(client):
    user = UserFactory()
    response = client.post(
        "/staff/login/?next=/staff/agencies/1/",
        {"username": user.username, "password": "Sx-test-pass-2026", "next": "/staff/agencies/1/"},
    )
    assert response["Location"] == "/staff/agencies/1/"


def test_wrong_password_is_refused_in_chinese(client, login):
    user = UserFactory()
    response = login(user, "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in text(response)
    assert "连续输错5次，账号将被锁定30分钟" in text(response)


def test_inactive_account_cannot_log_in(client, login):
    user = UserFactory(is_active=False)
    response = login(user)
    assert response.status_code == 200
    assert client.get("/staff/").status_code == 302


def test_five_failures_lock_the_account_for_30_minutes(client, login):
    user = UserFactory()
    for _ in range(4):
        assert login(user, "wrong-password").status_code == 200
    locked = login(user, "wrong-password")
    assert locked.status_code == 429
    page = text(locked)
    assert "账号已被临时锁定" in page and "30分钟" in page
    assert "系统管理员" in page and user.username in page
    # Even the right password is refused while the lock lasts.
    again = login(user)
    assert again.status_code == 429
    assert client.get("/staff/").status_code == 302


def test_lockout_of_one_account_does_not_lock_another(client, login):
    victim, other = UserFactory(), UserFactory()
    for _ in range(5):
        login(victim, "wrong-password")
    assert login(other).status_code == 302


def test_logout_is_post_only_and_returns_to_login(client, login):
    user = UserFactory()
    login(user)
    assert client.get("/staff/logout/").status_code == 405
    response = client.post("/staff/logout/", follow=True)
    assert response.redirect_chain[-1][0] == "/staff/login/"
    assert "您已安全退出工作台" in text(response)
    assert client.get("/staff/").status_code == 302


def test_logged_in_user_visiting_login_goes_home(client, login):
    login(UserFactory())
    response = client.get("/staff/login/")
    assert response.status_code == 302 and response["Location"] == "/staff/"


def test_admin_link_only_for_staff_accounts(client):
    plain = UserFactory()
    client.force_login(plain)
    assert 'href="/admin/"' not in text(client.get("/staff/"))
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert 'href="/admin/"' in text(client.get("/staff/"))
