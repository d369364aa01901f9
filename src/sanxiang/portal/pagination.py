"""Pagination shared by the portal and the workbench: one COUNT and one LIMIT/OFFSET query."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest

M = TypeVar("M", bound=Model)

DEFAULT_PER_PAGE = 20


def paginate(
    request: HttpRequest,
    queryset: QuerySet[M],
    *,
    per_page: int = DEFAULT_PER_PAGE,
    param: str = "page",
) -> Page[M]:
    """The requested page of `queryset`; a missing, malformed or out-of-range page number
    gives the nearest valid page rather than an error."""
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get(param))


def page_links(page: Page[Any]) -> list[int | str]:
    """Page numbers to show, with "…" where ranges are elided."""
    return [
        item if isinstance(item, int) else "…"
        for item in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
