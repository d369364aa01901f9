"""`sanxiang apitoken issue | list | revoke`."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sanxiang.api.models import ApiToken

pytestmark = pytest.mark.django_db


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("apitoken", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_issue_prints_the_key_once_and_it_works(client, world):
    user = world["supervisor"]
    out, err = _run("issue", "--user", user.username, "--name", "省平台对接", "--days", "365")
    raw_key = out.strip()
    token = ApiToken.objects.get(user=user)
    assert token.prefix == raw_key[:8]
    assert raw_key not in err and "只显示这一次" in err
    assert 364 <= (token.expires_at - timezone.now()).days <= 365
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    assert response.status_code == 200


def test_list_and_revoke(client, world):
    out, _ = _run("issue", "--user", world["zz_head"].username, "--name", "移动端")
    raw_key = out.strip()
    _run("issue", "--user", world["supervisor"].username, "--name", "省平台对接")
    listing, _ = _run("list")
    assert "移动端" in listing and "省平台对接" in listing
    assert raw_key not in listing
    mine, _ = _run("list", "--user", world["zz_head"].username)
    assert "移动端" in mine and "省平台对接" not in mine

    done, _ = _run("revoke", raw_key[:8])
    assert "已吊销" in done
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw_key}").status_code == 401
    assert "移动端" not in _run("list")[0]
    assert "已吊销" in _run("list", "--all")[0]
    with pytest.raises(CommandError, match="已于"):
        _run("revoke", raw_key[:8])


def test_errors_are_in_chinese(world):
    with pytest.raises(CommandError, match="不存在"):
        _run("issue", "--user", "nobody", "--name", "x")
    with pytest.raises(CommandError, match="整数"):
        _run("issue", "--user", world["zz_head"].username, "--name", "x", "--days", "abc")
    with pytest.raises(CommandError, match="没有前缀"):
        _run("revoke", "zzzzzzzz")
