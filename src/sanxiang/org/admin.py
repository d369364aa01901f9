"""The admin, in Chinese, for master data. Every list is bounded by the user's visibility, so
an agency head sees and edits only their own agency; a supervisor the whole jurisdiction."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Field, ForeignKey, QuerySet
from django.forms import ModelChoiceField, TypedChoiceField
from django.http import HttpRequest

from sanxiang.records.admin_ledger import LedgeredAdminMixin

from . import selectors
from .models import (
    Agency,
    Certificate,
    Entrustment,
    Jurisdiction,
    Officer,
    Role,
    RoleGrant,
    Unit,
    User,
)

admin.site.site_header = "三项制度信息系统 管理后台"
admin.site.site_title = "三项制度 管理后台"
admin.site.index_title = "主数据管理"


class AgencyScopedAdmin(LedgeredAdminMixin, admin.ModelAdmin):
    """Restricts rows and foreign-key choices to the agencies the user may see."""

    agency_path = "agency"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        user: User = request.user  # type: ignore[assignment]
        return qs.filter(**{f"{self.agency_path}__in": selectors.agencies_visible_to(user)})

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        user: User = request.user  # type: ignore[assignment]
        if db_field.related_model is Agency:
            kwargs["queryset"] = selectors.agencies_visible_to(user)
        elif db_field.related_model is Unit:
            kwargs["queryset"] = selectors.units_visible_to(user)
        elif db_field.related_model is Officer:
            kwargs["queryset"] = selectors.officers_visible_to(user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Records are ended (abolished, left, revoked, terminated), never deleted.
        return False


@admin.register(Jurisdiction)
class JurisdictionAdmin(LedgeredAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "government_name", "rule_profile"]
    list_filter = ["level"]
    search_fields = ["code", "name"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Agency)
class AgencyAdmin(AgencyScopedAdmin):
    agency_path = "pk"
    list_display = ["name", "uscc", "jurisdiction", "legal_status", "confirmed_by", "status"]
    list_filter = ["status", "legal_status", "jurisdiction__level"]
    search_fields = ["name", "uscc"]
    inlines = [UnitInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        user: User = request.user  # type: ignore[assignment]
        return selectors.agencies_visible_to(user)


@admin.register(Unit)
class UnitAdmin(AgencyScopedAdmin):
    list_display = ["name", "agency", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "agency__name"]


@admin.register(Entrustment)
class EntrustmentAdmin(AgencyScopedAdmin):
    list_display = ["entrusted_body", "agency", "starts_on", "ends_on", "status"]
    list_filter = ["status"]
    search_fields = ["entrusted_body", "entrusted_body_uscc", "agency__name"]


class CertificateInline(admin.TabularInline):
    model = Certificate
    extra = 0
    fields = [
        "number",
        "category",
        "area",
        "issued_by",
        "issued_on",
        "expires_on",
        "status",
        "status_changed_on",
        "status_reason",
    ]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Officer)
class OfficerAdmin(AgencyScopedAdmin):
    list_display = ["name", "agency", "unit", "post", "left_on"]
    list_filter = ["agency__jurisdiction"]
    search_fields = ["name", "certificates__number"]
    inlines = [CertificateInline]


@admin.register(Certificate)
class CertificateAdmin(AgencyScopedAdmin):
    agency_path = "officer__agency"
    list_display = ["number", "officer", "category", "area", "issued_on", "expires_on", "status"]
    list_filter = ["status", "category"]
    search_fields = ["number", "officer__name"]


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0

    def formfield_for_choice_field(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> TypedChoiceField | None:
        # The supervisor role widens what an account sees to a whole jurisdiction, so only a
        # supervisor or a platform administrator may grant it.
        user: User = request.user  # type: ignore[assignment]
        if db_field.name == "role" and not (user.is_superuser or user.has_role(Role.SUPERVISOR)):
            kwargs["choices"] = [c for c in Role.choices if c[0] != Role.SUPERVISOR]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(AgencyScopedAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "agency", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "role_grants__role"]
    search_fields = ["username", "full_name"]
    inlines = [RoleGrantInline]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("执法主体与人员", {"fields": ("full_name", "agency", "officer")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "usable_password", "password1", "password2")}),
        ("执法主体与人员", {"fields": ("full_name", "agency", "officer")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Only a platform administrator hands out Django permissions; anyone else could
        # otherwise make themselves a superuser.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "groups", "user_permissions", "last_login", "date_joined"]
        return readonly
