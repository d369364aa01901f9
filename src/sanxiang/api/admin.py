"""Admin for API tokens: list, search, revoke. The raw key is never displayed and there is no
add form; a token is issued with `sanxiang apitoken issue` or the “签发新令牌” action, which
shows the key once."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from sanxiang.org.models import User

from . import services
from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "user", "created_at", "expires_at", "state", "last_used_at"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["prefix", "name", "user__username", "user__full_name"]
    list_select_related = ["user"]
    fields = readonly_fields = (
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )
    actions = ["revoke_selected", "reissue_selected"]

    @admin.display(description="状态")
    def state(self, obj: ApiToken) -> str:
        return obj.state(timezone.now())

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiToken]:
        qs = super().get_queryset(request)
        user: User = request.user  # type: ignore[assignment]
        return qs if user.is_superuser else qs.filter(user=user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Viewable, not editable: the change form is read-only; actions do the changing.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="吊销所选令牌")
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        actor: User = request.user  # type: ignore[assignment]
        done = 0
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                services.revoke_token(token=token, actor=actor)
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"{token}：{'；'.join(_messages(exc))}", messages.ERROR)
        self.message_user(request, f"已吊销 {done} 个令牌。", messages.SUCCESS)

    @admin.action(description="以相同用户和名称签发新令牌（新令牌仅显示一次）")
    def reissue_selected(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        actor: User = request.user  # type: ignore[assignment]
        if not actor.is_superuser:
            self.message_user(request, "只有平台管理员可以签发接口令牌。", messages.ERROR)
            return
        for token in queryset:
            try:
                new, raw_key = services.issue_token(user=token.user, name=token.name, actor=actor)
            except ValidationError as exc:
                self.message_user(request, f"{token}：{'；'.join(_messages(exc))}", messages.ERROR)
                continue
            self.message_user(
                request,
                f"已为 {new.user} 签发新令牌“{new.name}”：{raw_key} "
                "——请立即复制保存，离开本页后将无法再次查看。原令牌仍然有效，如需停用请吊销。",
                messages.WARNING,
            )


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    return [str(exc)]
