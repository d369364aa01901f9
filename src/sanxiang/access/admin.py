"""Read-only admin for marks and requests: they are looked at here, never added, changed or
deleted (the services do that, with the ledger; the database refuses edits of marks)."""

from __future__ import annotations

from django.contrib import admin

from sanxiang.records.admin import ReadOnlyAdmin

from .models import AccessRequest, ConfidentialityMark


@admin.register(ConfidentialityMark)
class ConfidentialityMarkAdmin(ReadOnlyAdmin):
    list_display = ["id", "case", "target_kind", "target_id", "level", "set_by", "set_at"]
    list_select_related = ["case", "set_by"]
    search_fields = ["=target_id", "=case__number"]
    ordering = ["-id"]
    list_per_page = 50


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "case", "purpose", "requester_name", "status", "valid_until"]
    list_select_related = ["case"]
    list_filter = ["status", "purpose"]
    search_fields = ["=case__number"]
    ordering = ["-id"]
    list_per_page = 50
