"""事前公开: the lists an agency publishes before it acts (000 公示办法 第七条; 001 河南公示办法
第八条; 002 第九条), read live from the master data, and the 执法流程图 drawn from the very
procedure definitions the case engine enforces (000 公示办法 第十一条).

Only current versions are shown (a superseded or withdrawn entry is not published); each page
says when the list last changed and the period within which the agency must update it after a
change of law, functions or staff (000 公示办法 第二十一条; profile ``disclosure.update_deadline``).
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from sanxiang.catalog import selectors as catalog
from sanxiang.catalog.models import (
    AVMatter,
    CatalogItem,
    DiscretionStandard,
    PowerCategory,
    PowerItem,
    RandomInspectionItem,
    RemedyChannel,
    ServiceGuide,
    SupervisionChannel,
)
from sanxiang.catalog.updates import deadline_text
from sanxiang.org.models import Agency
from sanxiang.portal import selectors
from sanxiang.portal.pagination import paginate
from sanxiang.procedures import Procedure, UnknownProcedure, all_procedures, get_procedure
from sanxiang.procedures import procedures_for as _procedures_for
from sanxiang.procedures.flowchart import render_svg

PER_PAGE = 20
DISCRETION_PER_PAGE = 10


@functools.cache
def flowchart_svg(code: str) -> str:
    """The procedure's flowchart; the definitions are loaded once per process, so is this."""
    return render_svg(get_procedure(code))


def _inline(svg: str, code: str) -> str:
    """The SVG for embedding beside others: its arrow marker gets an id of its own, and it
    shrinks to the width of a phone's screen (the viewBox keeps it in proportion)."""
    svg = svg.replace("<svg ", '<svg style="max-width:100%;height:auto" ', 1)
    return svg.replace('id="arrow"', f'id="arrow-{code}"').replace(
        "url(#arrow)", f"url(#arrow-{code})"
    )


def procedures_of(item: PowerItem) -> list[Procedure]:
    """The procedures a case of this power follows (行政处罚: the general and the simple one)."""
    action_type = item.action_type
    return _procedures_for(str(action_type)) if action_type is not None else []


def _agency(pk: int) -> Agency:
    agency = selectors.public_agency(pk)
    if agency is None:
        raise Http404("未查询到该执法主体。")
    return agency


def _context(
    agency: Agency, model: type[CatalogItem] | None, title: str, **extra: Any
) -> dict[str, Any]:
    today = timezone.localdate()
    last: datetime.date | None = None
    if model is not None:
        last = catalog.list_last_changed(model, agency=agency, on=today)
    return {
        "agency": agency,
        "today": today,
        "list_title": title,
        "last_changed": last,
        "update_rule": deadline_text(agency),
        "live": model is None,
        **extra,
    }


def _page(request: HttpRequest, qs: QuerySet[Any], per_page: int = PER_PAGE) -> Any:
    return paginate(request, qs, per_page=per_page)


def _list(
    request: HttpRequest,
    pk: int,
    model: type[CatalogItem],
    template: str,
    title: str,
    per_page: int = PER_PAGE,
) -> HttpResponse:
    agency = _agency(pk)
    page = _page(request, catalog.published(model, agency=agency), per_page)
    return render(request, f"portal/lists/{template}", _context(agency, model, title, page=page))


@require_GET
def powers(request: HttpRequest, pk: int) -> HttpResponse:
    """权责清单: 职权类别、职权名称、实施依据、责任事项、办理期限、收费情况 (000 公示办法 第九条)."""
    agency = _agency(pk)
    category = request.GET.get("category", "")
    if category not in PowerCategory.values:
        category = ""
    page = _page(request, catalog.published_power_items(agency, category=category))
    return render(
        request,
        "portal/lists/powers.html",
        _context(
            agency,
            PowerItem,
            "权责清单",
            page=page,
            category=category,
            categories=PowerCategory.choices,
        ),
    )


@require_GET
def random_inspections(request: HttpRequest, pk: int) -> HttpResponse:
    """随机抽查事项清单 (000 公示办法 第十条)."""
    return _list(request, pk, RandomInspectionItem, "random_inspections.html", "随机抽查事项清单")


@require_GET
def discretion(request: HttpRequest, pk: int) -> HttpResponse:
    """行政裁量基准 with its tiers (000 公示办法 第十三条)."""
    return _list(
        request, pk, DiscretionStandard, "discretion.html", "行政裁量基准", DISCRETION_PER_PAGE
    )


@require_GET
def service_guides(request: HttpRequest, pk: int) -> HttpResponse:
    """服务指南 (000 公示办法 第十一条)."""
    return _list(request, pk, ServiceGuide, "service_guides.html", "服务指南")


@require_GET
def service_guide(request: HttpRequest, pk: int, guide_pk: int) -> HttpResponse:
    """One 服务指南 with the 执法流程图 of its matter's procedures, inline SVG."""
    agency = _agency(pk)
    guide = catalog.current_service_guide(agency, guide_pk)
    if guide is None:
        raise Http404("未查询到该服务指南，或其已被修订、撤销。")
    charts: list[tuple[Procedure, SafeString]] = [
        # render_svg escapes every text it draws; the SVG is built from shipped definitions.
        (p, mark_safe(_inline(flowchart_svg(p.code), p.code)))
        for p in procedures_of(guide.matter)
    ]
    return render(
        request,
        "portal/lists/service_guide.html",
        _context(agency, ServiceGuide, "服务指南", guide=guide, charts=charts),
    )


@require_GET
def remedies(request: HttpRequest, pk: int) -> HttpResponse:
    """救济渠道 (000 公示办法 第七条第（八）项)."""
    return _list(request, pk, RemedyChannel, "remedies.html", "救济渠道")


@require_GET
def supervision(request: HttpRequest, pk: int) -> HttpResponse:
    """监督方式 (000 公示办法 第七条第（九）项)."""
    return _list(request, pk, SupervisionChannel, "supervision.html", "监督方式")


@require_GET
def av_matters(request: HttpRequest, pk: int) -> HttpResponse:
    """音像记录事项清单 (000 全过程记录办法 第十七条)."""
    return _list(request, pk, AVMatter, "av_matters.html", "音像记录事项清单")


@require_GET
def entrustments(request: HttpRequest, pk: int) -> HttpResponse:
    """委托执法 in force today (000 公示办法 第七条第（十）项). Read live; no versions."""
    agency = _agency(pk)
    today = timezone.localdate()
    page = _page(request, selectors.entrustments_in_force(agency, today))
    return render(
        request,
        "portal/lists/entrustments.html",
        _context(agency, None, "委托执法信息", page=page),
    )


@require_GET
def procedures(request: HttpRequest) -> HttpResponse:
    """Every procedure the system enforces, each with its flowchart."""
    return render(request, "portal/lists/procedures.html", {"procedures": all_procedures()})


@require_GET
def procedure_flowchart(request: HttpRequest, code: str) -> HttpResponse:
    try:
        svg = flowchart_svg(code)
    except UnknownProcedure:
        raise Http404("未知的执法程序。") from None
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


urlpatterns: list[URLPattern] = [
    path("agencies/<int:pk>/powers/", powers, name="powers"),
    path("agencies/<int:pk>/random-inspections/", random_inspections, name="random_inspections"),
    path("agencies/<int:pk>/discretion/", discretion, name="discretion"),
    path("agencies/<int:pk>/service-guides/", service_guides, name="service_guides"),
    path("agencies/<int:pk>/service-guides/<int:guide_pk>/", service_guide, name="service_guide"),
    path("agencies/<int:pk>/remedies/", remedies, name="remedies"),
    path("agencies/<int:pk>/supervision/", supervision, name="supervision"),
    path("agencies/<int:pk>/entrustments/", entrustments, name="entrustments"),
    path("agencies/<int:pk>/av-matters/", av_matters, name="av_matters"),
    path("procedures/", procedures, name="procedures"),
    path("procedures/<slug:code>/flowchart.svg", procedure_flowchart, name="flowchart"),
]
