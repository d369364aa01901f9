"""The public portal's search index over published decisions.

One row per publication the portal lists (published, or published and awaiting
withdrawal), built only from its current published — redacted — version by
``sanxiang.disclosure.search.index_publication`` in the same transaction as the publish,
correction or withdrawal. It is derived data, not a record: a withdrawal removes the row
(the publication and all its versions stay).

Chinese full text without a server extension: ``search_text`` holds the searchable text
folded (full-width letters and digits to ASCII, ASCII lower-case); on PostgreSQL
``search_vector`` holds its character bigrams (plus the last character of each run of
Chinese characters, and ASCII words) as a ``tsvector`` with a GIN index (created by
migration ``0003_publication_search`` on PostgreSQL only, as SQLite has no GIN); on
SQLite it stays empty and the search filters ``search_text`` alone.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from sanxiang.cases.models import ACTION_TYPE_CHOICES
from sanxiang.org.models import Agency

from .publications import Publication

__all__ = ["PublicationSearch"]


class PublicationSearch(models.Model):
    """Search index entry of one listed publication (its current published version)."""

    publication = models.OneToOneField(
        Publication,
        verbose_name="公示",
        on_delete=models.CASCADE,
        related_name="search_entry",
    )
    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    action_type = models.CharField("执法行为类别", max_length=16, choices=ACTION_TYPE_CHOICES)
    kind = models.CharField("公开内容", max_length=20, choices=Publication.Kind.choices)
    decided_on = models.DateField("决定日期")
    published_at = models.DateTimeField("公开时间")
    document_number = models.CharField("文书号", max_length=64, blank=True)
    title = models.CharField("标题", max_length=255)
    party_name = models.CharField("行政相对人（已隐去）", max_length=255, blank=True)
    version_number = models.PositiveIntegerField("版本号")
    search_text = models.TextField("检索文本（已隐去）")
    search_vector = SearchVectorField("检索词向量", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "公示检索索引"
        verbose_name_plural = "公示检索索引"
        ordering = ["-decided_on", "-id"]
        indexes = [
            # the portal lists newest decision first, filtered by agency or action type
            models.Index(fields=["-decided_on", "-id"], name="pubsearch_date"),
            models.Index(fields=["agency", "-decided_on", "-id"], name="pubsearch_agency"),
            models.Index(fields=["action_type", "-decided_on", "-id"], name="pubsearch_type"),
        ]

    def __str__(self) -> str:
        return self.title
