"""Read-only admin for the ledger and its checkpoints: they can be looked at, never added,
changed or deleted here (and the database refuses it anyway: migration 0002)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Checkpoint, LedgerEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    actions = None
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "recorded_at", "actor_label", "action", "object_type", "object_id"]
    # Exact matches only, so that searching stays an index look-up on a long ledger.
    search_fields = ["=object_id", "=action", "=hash"]
    ordering = ["-seq"]
    list_per_page = 50
    fields = readonly_fields = (
        "seq",
        "recorded_at",
        "actor",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "payload",
        "payload_hash",
        "prev_hash",
        "hash",
    )


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ["tree_size", "root_hash", "signed_at", "key_id"]
    ordering = ["-tree_size"]
    fields = readonly_fields = ("tree_size", "root_hash", "signed_at", "key_id", "signature")
