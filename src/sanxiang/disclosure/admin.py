"""Read-only admin of publications, their reviews and versions, scoped to the agencies the
user may see: every change goes through ``sanxiang.disclosure.services`` (the
confidentiality review, the ledger); versions are append-only in the database."""

from __future__ import annotations

from django.contrib import admin

from sanxiang.cases.admin import ReadOnlyScopedAdmin

from .models import ConfidentialityReview, Publication, PublicationVersion


@admin.register(Publication)
class PublicationAdmin(ReadOnlyScopedAdmin):
    list_display = ("document_number", "agency", "kind", "status", "decided_on", "next_due_on")
    list_filter = ("status", "kind", "action_type")
    search_fields = ("document_number",)
    raw_id_fields = ("case", "source_record", "current_version", "agency")
    list_select_related = ("agency",)
    show_full_result_count = False


@admin.register(ConfidentialityReview)
class ConfidentialityReviewAdmin(ReadOnlyScopedAdmin):
    agency_path = "publication__agency"
    list_display = ("pk", "publication", "purpose", "status", "reviewer", "approved_at")
    list_filter = ("status", "purpose")
    raw_id_fields = ("publication", "reviewer", "created_by")
    # the unredacted original is shown to publishers on the review page only
    exclude = ("original_text", "original_fields")
    show_full_result_count = False


@admin.register(PublicationVersion)
class PublicationVersionAdmin(ReadOnlyScopedAdmin):
    agency_path = "publication__agency"
    list_display = ("publication", "number", "made_by", "made_at")
    raw_id_fields = ("publication", "review", "made_by")
    show_full_result_count = False
