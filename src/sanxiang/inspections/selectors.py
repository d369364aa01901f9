"""Reads for 双随机、一公开: the registries, the candidate lists of a draw, the public draws and
the inspection results (000 公示办法 第十六条; 001 河南公示办法 第十七条; 002 第十八条)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from sanxiang.cases.models import Case, Record
from sanxiang.disclosure.models import Publication
from sanxiang.disclosure.models.publications import PUBLIC_STATUSES
from sanxiang.org.models import Agency, Officer, Role, User
from sanxiang.org.selectors import certified_officers

from .models import (
    Draw,
    DrawInspector,
    DrawResult,
    InspectionTarget,
    InspectionTask,
    InspectorConflict,
    InspectorExclusion,
    RandomInspection,
)

MANAGING_ROLES = (Role.AGENCY_HEAD, Role.UNIT_HEAD)


def can_manage(user: User, agency: Agency) -> bool:
    """The registries, plans and draws of an agency are kept by its heads and unit heads."""
    return user.agency_id == agency.pk and any(user.has_role(r) for r in MANAGING_ROLES)


def targets(agency: Agency, query: str = "") -> QuerySet[InspectionTarget]:
    qs = InspectionTarget.objects.filter(agency=agency)
    query = query.strip()
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(uscc=query.upper()) | Q(category=query))
    return qs.order_by("-is_active", "id")


def exclusions_in_force(on: datetime.date) -> QuerySet[InspectorExclusion]:
    return InspectorExclusion.objects.filter(
        Q(lifted_on__isnull=True) | Q(lifted_on__gt=on), excluded_from__lte=on
    )


def inspector_registry(agency: Agency, on: datetime.date) -> QuerySet[Officer]:
    """执法检查人员名录库 on `on`: the agency's officers holding a certificate valid that day
    (000 公示办法 第十四条; 002 第十七条), less those excluded with a reason."""
    return (
        certified_officers(on)
        .filter(agency=agency)
        .exclude(Exists(exclusions_in_force(on).filter(officer=OuterRef("pk"))))
        .order_by("id")
    )


def exclusions(agency: Agency) -> QuerySet[InspectorExclusion]:
    return InspectorExclusion.objects.filter(officer__agency=agency).select_related("officer")


def conflicts(agency: Agency) -> QuerySet[InspectorConflict]:
    return InspectorConflict.objects.filter(target__agency=agency).select_related(
        "officer", "target"
    )


def candidate_targets(inspection: RandomInspection) -> QuerySet[InspectionTarget]:
    """待抽取名单: the agency's targets in the plan's category that are in the registry."""
    return InspectionTarget.objects.filter(
        agency_id=inspection.agency_id, category=inspection.target_category, is_active=True
    ).order_by("id")


def candidate_conflicts(inspection: RandomInspection) -> QuerySet[InspectorConflict]:
    return InspectorConflict.objects.filter(
        withdrawn_on__isnull=True,
        target__in=candidate_targets(inspection),
        officer__agency_id=inspection.agency_id,
    ).order_by("officer_id", "target_id")


def plans(agency: Agency) -> QuerySet[RandomInspection]:
    return RandomInspection.objects.filter(agency=agency).select_related("matter")


def public_draws(agency: Agency) -> QuerySet[Draw]:
    return (
        Draw.objects.filter(agency=agency)
        .select_related("inspection__matter")
        .order_by("-seed_fixed_at", "-id")
    )


def public_draw(agency: Agency, pk: int) -> Draw | None:
    return public_draws(agency).filter(pk=pk).first()


@dataclass(frozen=True)
class Outcome:
    """抽查结果 of one drawn target, as the portal shows it."""

    label: str
    on: datetime.date | None
    tone: str  # "ok" / "warn" / "muted"
    publication_id: int | None = None  # the published 检查结果 on the portal


NOT_DISPATCHED = Outcome("待派发检查任务", None, "muted")
IN_PROGRESS = Outcome("检查中", None, "muted")
AWAITING_PUBLICATION = Outcome("检查结果待公示", None, "muted")


def _published_results(case_ids: list[int]) -> dict[int, int]:
    """The published 检查结果 of these cases (case id → publication id): the portal shows a
    result only once it has passed redaction and the confidentiality review (000 公示办法
    第五条、第十六条; 002 第十八条)."""
    rows = Publication.objects.filter(
        case_id__in=case_ids,
        kind=Publication.Kind.INSPECTION_RESULT,
        status__in=PUBLIC_STATUSES,
    ).values_list("case_id", "pk")
    return dict(rows)


def outcomes(cases: list[Case], *, public: bool = False) -> dict[int, Outcome]:
    """The result of each inspection case (a bounded list), from its latest uncorrected
    检查结果 record: 未发现问题（合格）, 发现问题, 发现问题并责令整改, 发现问题并移交立案查处; two
    queries for the lot."""
    closed = [c.pk for c in cases if c.status == Case.Status.CLOSED]
    current = Record.objects.filter(case_id__in=closed, superseded_by__isnull=True)
    latest: dict[int, bool | None] = {}
    for case_id, found in (
        current.filter(kind="inspection_result")
        .order_by("case_id", "made_on", "id")
        .values_list("case_id", "violations_found")
    ):
        latest[case_id] = found
    corrected = set(
        current.filter(kind="correction_record").values_list("case_id", flat=True).distinct()
    )
    out: dict[int, Outcome] = {}
    for case in cases:
        found = latest.get(case.pk)
        if case.status != Case.Status.CLOSED:
            out[case.pk] = IN_PROGRESS
        elif case.stage == "handover":
            out[case.pk] = Outcome("发现问题，移交立案查处", case.closed_on, "warn")
        elif found is None:
            out[case.pk] = Outcome("已检查", case.closed_on, "muted")
        elif not found:
            out[case.pk] = Outcome("未发现问题（合格）", case.closed_on, "ok")
        elif case.pk in corrected:
            out[case.pk] = Outcome("发现问题，责令整改", case.closed_on, "warn")
        else:
            out[case.pk] = Outcome("发现问题", case.closed_on, "warn")
    if public:
        published = _published_results(closed)
        for case_id, outcome in out.items():
            if outcome.on is None:
                continue
            pub = published.get(case_id)
            out[case_id] = (
                AWAITING_PUBLICATION
                if pub is None
                else Outcome(outcome.label, outcome.on, outcome.tone, pub)
            )
    return out


@dataclass(frozen=True)
class ResultRow:
    result: DrawResult
    inspectors: list[DrawInspector]
    case: Case | None
    outcome: Outcome


def result_rows(results: Any, *, public: bool = False) -> list[ResultRow]:
    """Rows for one page of DrawResults (a bounded sequence), with few queries; ``public``:
    as the portal shows them (results only once published)."""
    items = list(results)
    ids = [r.pk for r in items]
    by_result: dict[int, list[DrawInspector]] = {}
    for row in (
        DrawInspector.objects.filter(result_id__in=ids)
        .select_related("officer")
        .order_by("result_id", "order")
    ):
        by_result.setdefault(row.result_id, []).append(row)
    cases: dict[int, Case] = {
        task.result_id: task.case
        for task in InspectionTask.objects.filter(result_id__in=ids).select_related("case")
    }
    results_of = outcomes(list(cases.values()), public=public)
    rows = []
    for r in items:
        case_obj = cases.get(r.pk)
        state = results_of[case_obj.pk] if case_obj is not None else NOT_DISPATCHED
        rows.append(ResultRow(r, by_result.get(r.pk, []), case_obj, state))
    return rows


def draw_results(draw: Draw) -> QuerySet[DrawResult]:
    return draw.results.select_related("target").order_by("position")


def has_tasks(draw: Draw) -> bool:
    return draw.results.filter(task__isnull=False).exists()
