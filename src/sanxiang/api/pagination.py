"""Limit/offset pagination with a hard maximum: one COUNT and one sliced SELECT per page.

Every list endpoint returns ``{"count": N, "items": [...]}``, ordered by id so that pages are
stable. An endpoint may pass ``prepare`` to annotate the page's rows with one more query
(e.g. which of them the caller may manage) before they are serialised.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = int(min(ninja_settings.PAGINATION_MAX_LIMIT, 500))
DEFAULT_LIMIT = int(min(ninja_settings.PAGINATION_PER_PAGE, MAX_LIMIT))

Prepare = Callable[[HttpRequest, list[Any]], None]


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(
            DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"每页条数，最多{MAX_LIMIT}条"
        )
        offset: int = Field(0, ge=0, description="跳过的条数")

    def __init__(self, *, prepare: Prepare | None = None, **kwargs: Any) -> None:
        self.prepare = prepare
        super().__init__(max_limit=MAX_LIMIT, **kwargs)

    def paginate_queryset(
        self,
        queryset: QuerySet[Any],
        pagination: Any,
        request: HttpRequest,
        **params: Any,
    ) -> Any:
        limit = min(pagination.limit, self.max_limit)
        offset = pagination.offset
        count = queryset.count()
        items = list(queryset[offset : offset + limit]) if offset < count else []
        if self.prepare is not None and items:
            self.prepare(request, items)
        return {"count": count, "items": items}
