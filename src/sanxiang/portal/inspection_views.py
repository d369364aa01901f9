"""Public pages of 双随机、一公开: an agency's draws, each draw with its seed, the digests of
its candidate lists, the algorithm, the drawn targets and inspectors and the inspection
results (000 公示办法 第十六条; 001 河南公示办法 第十七条; 002 第十三条、第十八条); the
candidate lists and a re-computation anyone can check.

Only non-personal fields are shown: an organisation's name, a natural person's surname
(000 公示办法 第十七条; 001 河南公示办法 第十八条), the result category and its date."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from sanxiang.inspections import algorithm, selectors
from sanxiang.inspections.models import RESULT_RULE, Draw, InspectionTarget
from sanxiang.inspections.verify import verify_draw
from sanxiang.org.models import Agency, Officer
from sanxiang.portal import selectors as portal_selectors
from sanxiang.portal.pagination import paginate

DRAWS_PER_PAGE = 20
RESULTS_PER_PAGE = 50


def _agency(pk: int) -> Agency:
    agency = portal_selectors.public_agency(pk)
    if agency is None:
        raise Http404("未查询到该执法主体。")
    return agency


def _draw(agency: Agency, pk: int) -> Draw:
    draw = selectors.public_draw(agency, pk)
    if draw is None:
        raise Http404("未查询到该抽取。")
    return draw


@require_GET
def draw_list(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _agency(pk)
    page = paginate(request, selectors.public_draws(agency), per_page=DRAWS_PER_PAGE)
    return render(
        request,
        "portal/inspections/draw_list.html",
        {"agency": agency, "page": page, "result_rule": RESULT_RULE},
    )


@require_GET
def draw_detail(request: HttpRequest, pk: int, draw_pk: int) -> HttpResponse:
    agency = _agency(pk)
    draw = _draw(agency, draw_pk)
    page = paginate(request, selectors.draw_results(draw), per_page=RESULTS_PER_PAGE)
    return render(
        request,
        "portal/inspections/draw_detail.html",
        {
            "agency": agency,
            "draw": draw,
            "page": page,
            "rows": selectors.result_rows(page.object_list, public=True),
            "algorithm_doc": algorithm.__doc__,
            "result_rule": RESULT_RULE,
        },
    )


@require_GET
def draw_verify(request: HttpRequest, pk: int, draw_pk: int) -> HttpResponse:
    agency = _agency(pk)
    draw = _draw(agency, draw_pk)
    report = verify_draw(draw)
    if request.GET.get("format") == "json":
        return JsonResponse(report.as_dict(), json_dumps_params={"ensure_ascii": False})
    return render(
        request,
        "portal/inspections/draw_verify.html",
        {"agency": agency, "draw": draw, "report": report},
    )


@require_GET
def draw_candidates(request: HttpRequest, pk: int, draw_pk: int) -> JsonResponse:
    """The candidate lists fixed before the draw, with public labels, for re-computation."""
    agency = _agency(pk)
    draw = _draw(agency, draw_pk)
    targets: list[dict[str, Any]] = []
    ids = list(draw.target_ids)
    for start in range(0, len(ids), 2000):
        chunk = InspectionTarget.objects.in_bulk(ids[start : start + 2000])
        targets.extend(
            {"id": t, "name": chunk[t].public_name if t in chunk else ""}
            for t in ids[start : start + 2000]
        )
    officers = Officer.objects.in_bulk(list(draw.inspector_ids))
    data = {
        "draw": draw.pk,
        "algorithm": draw.algorithm,
        "seed": draw.seed,
        "ratio": str(draw.ratio),
        "per_target": draw.per_target,
        "selected_count": draw.selected_count,
        "targets": targets,
        "target_digest": draw.target_digest,
        "inspectors": [
            {"id": i, "name": officers[i].name if i in officers else ""} for i in draw.inspector_ids
        ],
        "inspector_digest": draw.inspector_digest,
        "conflict_pairs": draw.conflict_pairs,
        "conflict_digest": draw.conflict_digest,
        "result_digest": draw.result_digest,
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


urlpatterns: list[URLPattern] = [
    path("agencies/<int:pk>/random-inspections/draws/", draw_list, name="draws"),
    path("agencies/<int:pk>/random-inspections/draws/<int:draw_pk>/", draw_detail, name="draw"),
    path(
        "agencies/<int:pk>/random-inspections/draws/<int:draw_pk>/verify/",
        draw_verify,
        name="draw_verify",
    ),
    path(
        "agencies/<int:pk>/random-inspections/draws/<int:draw_pk>/candidates.json",
        draw_candidates,
        name="draw_candidates",
    ),
]
