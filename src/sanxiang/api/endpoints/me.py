"""The caller: who they are, which agency, which roles."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from sanxiang.org.models import Role

from ..auth import current_token, current_user
from ..schemas import MeOut
from .common import ERRORS

router = Router(tags=["当前用户"])


@router.get("/me", response={200: MeOut, **ERRORS}, summary="当前用户、所属执法主体与角色")
def me(request: HttpRequest) -> dict[str, Any]:
    user = current_user(request)
    token = current_token(request)
    labels = dict(Role.choices)
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "is_superuser": user.is_superuser,
        "agency": user.agency,
        "roles": [{"code": c, "label": labels.get(c, c)} for c in sorted(user.role_codes())],
        "auth_method": "token" if token is not None else "session",
        "token": token,
    }
