"""Two ways in: a bearer token for other systems, the Django session for the browser.

A bearer token, once presented, decides alone: a bad one is a 401 even if a session cookie
came along. The session is checked for CSRF on unsafe methods, but only once a user is
logged in, so an anonymous call gets 401 rather than a CSRF complaint.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from sanxiang.org.models import User

from . import selectors, services
from .errors import InvalidToken
from .models import ApiToken


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <令牌>`, checked against the stored SHA-256 of issued keys."""

    openapi_description = "接口令牌：由平台管理员使用 `sanxiang apitoken issue` 签发。"

    def authenticate(self, request: HttpRequest, token: str) -> User:
        api_token = selectors.token_for_key(token.strip())
        if api_token is None:
            raise InvalidToken("接口令牌无效：未找到该令牌，请核对后重试。")
        now = timezone.now()
        if api_token.revoked_at is not None:
            raise InvalidToken(
                f"接口令牌“{api_token.name}”（{api_token.prefix}…）已于"
                f"{timezone.localtime(api_token.revoked_at):%Y-%m-%d %H:%M}吊销，请申请新的令牌。"
            )
        if api_token.expires_at is not None and api_token.expires_at <= now:
            raise InvalidToken(
                f"接口令牌“{api_token.name}”（{api_token.prefix}…）已于"
                f"{timezone.localtime(api_token.expires_at):%Y-%m-%d %H:%M}过期，请申请新的令牌。"
            )
        if not api_token.user.is_active:
            raise InvalidToken("接口令牌所属账号已停用，令牌不能使用。")
        services.record_token_use(token=api_token, at=now)
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


class SessionAuth(NinjaSessionAuth):
    """Ninja's django_auth, with the CSRF check after (not before) the login check."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        return user if user.is_authenticated else None


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)


def current_user(request: HttpRequest) -> User:
    """The authenticated user of an operation that requires authentication."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user


def current_token(request: HttpRequest) -> ApiToken | None:
    return getattr(request, "api_token", None)
