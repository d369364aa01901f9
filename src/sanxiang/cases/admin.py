"""Read-only admin for cases, records and signatures, scoped to the agencies the user may
see. Writes go through ``services.py`` (the workbench and the API), never the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from sanxiang.org import selectors
from sanxiang.org.models import User

from .models import Case, Record, Signature


class ReadOnlyScopedAdmin(admin.ModelAdmin):
    agency_path = "agency"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        user: User = request.user  # type: ignore[assignment]
        return qs.filter(**{f"{self.agency_path}__in": selectors.agencies_visible_to(user)})

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyScopedAdmin):
    list_display = ["number", "title", "agency", "action_type", "stage", "status", "opened_on"]
    list_filter = ["action_type", "status"]
    search_fields = ["number", "title"]
    list_select_related = ["agency"]


@admin.register(Record)
class RecordAdmin(ReadOnlyScopedAdmin):
    agency_path = "case__agency"
    list_display = ["id", "case", "kind", "stage", "made_on", "supersedes"]
    list_filter = ["kind"]
    list_select_related = ["case"]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyScopedAdmin):
    agency_path = "record__case__agency"
    list_display = ["record", "role", "signer_name", "refused", "signed_at"]
    list_select_related = ["record"]
