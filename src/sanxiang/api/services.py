"""Writes for API access: issuing, revoking and recording the use of tokens. Issuing and
revoking are business actions and write a ledger entry; noting a token's use is not."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sanxiang.org import selectors as org_selectors
from sanxiang.org.models import User
from sanxiang.records import ledger

from .models import ApiToken, hash_key

# last_used_at is refreshed at most this often, so that a busy integration does not turn
# every read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)

# The ledger's actor label when a platform operator acts at the command line (no account).
COMMAND_LINE_LABEL = "平台运维（命令行）"


def _token_ref(token: ApiToken) -> dict[str, object]:
    # Never the key or its hash: the prefix identifies the token.
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "user_id": token.user_id,
        "username": token.user.username,
    }


@transaction.atomic
def issue_token(
    *,
    user: User,
    name: str,
    expires_at: datetime.datetime | None = None,
    actor: User | None = None,
) -> tuple[ApiToken, str]:
    """Issue a token for `user`; returns the token and the raw key, which is never stored.
    `actor` is who issued it (None: the platform operator at the command line)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写令牌的名称或用途，例如“省平台对接”。"})
    if not user.is_active:
        raise ValidationError(f"账号“{user.username}”已停用，不能为其签发接口令牌。")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "令牌到期时间必须晚于当前时间。"})
    raw_key = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=raw_key[: ApiToken.PREFIX_LENGTH],
        key_hash=hash_key(raw_key),
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    ledger.record(
        "api.issue_token",
        actor=actor,
        obj=token,
        label=None if actor is not None else COMMAND_LINE_LABEL,
        token={**_token_ref(token), "expires_at": token.expires_at},
    )
    return token, raw_key


def _may_revoke(actor: User, token: ApiToken) -> bool:
    if actor.is_superuser or actor.pk == token.user_id:
        return True
    owner_agency = token.user.agency
    return owner_agency is not None and org_selectors.can_manage_agency(actor, owner_agency)


@transaction.atomic
def revoke_token(*, token: ApiToken, actor: User | None) -> ApiToken:
    """Revoke a token at once. `actor` None means the platform operator at the command line;
    otherwise the token's owner, a platform administrator, or whoever manages the owner's
    agency may revoke it."""
    if actor is not None and not _may_revoke(actor, token):
        raise PermissionDenied(
            "您无权吊销该接口令牌：只有令牌所属用户、其执法主体的管理人员或平台管理员可以吊销。"
        )
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(
            f"接口令牌“{token.name}”（{token.prefix}…）已于"
            f"{timezone.localtime(token.revoked_at):%Y-%m-%d %H:%M}吊销。"
        )
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    ledger.record(
        "api.revoke_token",
        actor=actor,
        obj=token,
        label=None if actor is not None else COMMAND_LINE_LABEL,
        token=_token_ref(token),
        revoked_at=token.revoked_at,
    )
    return token


def record_token_use(*, token: ApiToken, at: datetime.datetime) -> None:
    """Note that `token` was used; skipped when it was already noted within the resolution."""
    if token.last_used_at is not None and at - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=at)
    token.last_used_at = at
