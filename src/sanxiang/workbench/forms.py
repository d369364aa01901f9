from __future__ import annotations

from dataclasses import dataclass

from axes.helpers import get_cool_off, get_failure_limit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest

from sanxiang.portal.templatetags.sanxiang_tags import zh_duration


@dataclass(frozen=True)
class LockoutPolicy:
    """django-axes' lock-out, in words for the login and locked-out pages."""

    failure_limit: int
    cooloff: str  # "30分钟"; empty when locks last until an administrator lifts them


def lockout_policy(request: HttpRequest | None) -> LockoutPolicy:
    limit = get_failure_limit(request, None)
    return LockoutPolicy(failure_limit=int(limit), cooloff=zh_duration(get_cool_off(request)))


class StaffAuthenticationForm(AuthenticationForm):
    """Django's login form with the platform's wording."""

    error_messages = {
        "invalid_login": "用户名或密码不正确，请注意区分大小写。%(policy)s",
        "inactive": "该账号已停用，请联系本单位系统管理员。",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = "用户名"
        self.fields["username"].error_messages["required"] = "请输入用户名。"
        self.fields["password"].label = "密码"
        self.fields["password"].error_messages["required"] = "请输入密码。"

    def get_invalid_login_error(self) -> forms.ValidationError:
        policy = lockout_policy(self.request)
        lock = (
            f"连续输错{policy.failure_limit}次，账号将被锁定{policy.cooloff}。"
            if policy.cooloff
            else f"连续输错{policy.failure_limit}次，账号将被锁定，须由管理员解锁。"
        )
        return forms.ValidationError(
            self.error_messages["invalid_login"], code="invalid_login", params={"policy": lock}
        )
