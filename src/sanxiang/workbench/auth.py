"""The signed-in staff account of a request (every staff view is behind login_required)."""

from __future__ import annotations

from django.http import HttpRequest

from sanxiang.org.models import User


def staff_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user
