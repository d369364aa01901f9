"""The 双随机、一公开 pages of the staff workbench (agency heads and unit heads of the agency):
the registries (检查对象名录库 with CSV import, 执法检查人员名录库 with exclusions, 回避
relations), the plans of random inspections, the two-step draw (fix the seed, then draw),
the results and the inspection tasks. Views stay thin: forms check the input,
``sanxiang.inspections.services`` applies the rules and writes the ledger."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from sanxiang.inspections import selectors, services
from sanxiang.inspections.algorithm import __doc__ as ALGORITHM_DOC
from sanxiang.inspections.models import (
    Draw,
    InspectionTarget,
    InspectorConflict,
    InspectorExclusion,
    RandomInspection,
)
from sanxiang.org.models import Agency, User
from sanxiang.portal.pagination import paginate
from sanxiang.workbench.auth import staff_user

from .inspection_forms import (
    ConflictForm,
    ExcludeForm,
    ImportForm,
    PlanForm,
    ReasonForm,
    TargetForm,
    TasksForm,
)

PER_PAGE = 25


def _agency(user: User) -> Agency:
    agency = user.agency
    if agency is None or not selectors.can_manage(user, agency):
        raise PermissionDenied("只有本机关负责人和承办机构负责人可以管理双随机抽查。")
    return agency


def _attempt(form: Form, action: Callable[[], Any]) -> Any:
    try:
        return action()
    except ValidationError as exc:
        form.add_error(None, exc.messages)
    return None


# ------------------------------------------------------------------ plans


def _index(
    request: HttpRequest, plan_form: PlanForm | None = None, status: int = 200
) -> HttpResponse:
    user = staff_user(request)
    agency = _agency(user)
    page = paginate(
        request, selectors.plans(agency).order_by("-period_start", "-id"), per_page=PER_PAGE
    )
    return render(
        request,
        "workbench/inspections/index.html",
        {
            "agency": agency,
            "page": page,
            "plan_form": plan_form or PlanForm(agency=agency),
        },
        status=status,
    )


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _index(request)


@login_required
@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    agency = _agency(user)
    form = PlanForm(request.POST, agency=agency)
    if form.is_valid():
        d = form.cleaned_data
        plan = _attempt(
            form,
            lambda: services.plan_inspection(
                actor=user,
                agency=agency,
                matter=d["matter"],
                title=d["title"],
                period_start=d["period_start"],
                period_end=d["period_end"],
                target_category=d["target_category"],
                ratio=d["ratio"],
                ratio_reason=d["ratio_reason"],
                inspectors_per_target=d["inspectors_per_target"],
            ),
        )
        if plan is not None:
            messages.success(request, "已制定抽查计划。下一步：固定随机种子。")
            return redirect("workbench:inspection", pk=plan.pk)
    return _index(request, form, status=422)


def _plan(user: User, pk: int) -> RandomInspection:
    agency = _agency(user)
    plan = selectors.plans(agency).filter(pk=pk).first()
    if plan is None:
        raise Http404("未找到该抽查计划。")
    return plan


def _draw(user: User, pk: int) -> Draw:
    agency = _agency(user)
    draw = selectors.public_draws(agency).filter(pk=pk).first()
    if draw is None:
        raise Http404("未找到该抽取。")
    return draw


def _plan_page(
    request: HttpRequest,
    plan: RandomInspection,
    bound: dict[str, Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    draws = list(plan.draws.order_by("-seed_fixed_at", "-id")[:20])
    live = next((d for d in draws if d.status != Draw.Status.ABANDONED), None)
    page = rows = None
    has_tasks = False
    if live is not None and live.status == Draw.Status.DRAWN:
        page = paginate(request, selectors.draw_results(live), per_page=PER_PAGE)
        rows = selectors.result_rows(page.object_list)
        has_tasks = selectors.has_tasks(live)
    today = timezone.localdate()
    return render(
        request,
        "workbench/inspections/plan.html",
        {
            "plan": plan,
            "draws": draws,
            "live": live,
            "page": page,
            "rows": rows,
            "has_tasks": has_tasks,
            "candidates": selectors.candidate_targets(plan).count(),
            "inspectors": selectors.inspector_registry(plan.agency, today).count(),
            "abandon_form": bound.get("abandon") or ReasonForm(),
            "tasks_form": bound.get("tasks") or TasksForm(agency=plan.agency),
            "action_form": bound.get("action"),
            "algorithm_doc": ALGORITHM_DOC,
        },
        status=status,
    )


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, _plan(staff_user(request), pk))


@login_required
@require_POST
def fix_seed(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    plan = _plan(user, pk)
    form = Form(request.POST)
    draw = _attempt(form, lambda: services.fix_seed(actor=user, inspection=plan))
    if draw is None:
        return _plan_page(request, plan, {"action": form}, status=422)
    messages.success(
        request, f"已固定随机种子并写入台账（第{draw.seed_entry_seq}号）。下一步：执行抽取。"
    )
    return redirect("workbench:inspection", pk=plan.pk)


@login_required
@require_POST
def run_draw(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    draw = _draw(user, pk)
    form = Form(request.POST)
    done = _attempt(form, lambda: services.run_draw(actor=user, draw=draw))
    if done is None:
        return _plan_page(request, draw.inspection, {"action": form}, status=422)
    messages.success(request, f"已抽取 {done.selected_count} 个检查对象，结果已写入台账并公示。")
    return redirect("workbench:inspection", pk=draw.inspection_id)


@login_required
@require_POST
def abandon_draw(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    draw = _draw(user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid() and _attempt(
        form,
        lambda: services.abandon_draw(actor=user, draw=draw, reason=form.cleaned_data["reason"]),
    ):
        messages.success(request, "已作废本次抽取（作废原因一并公示）。")
        return redirect("workbench:inspection", pk=draw.inspection_id)
    return _plan_page(request, draw.inspection, {"abandon": form}, status=422)


@login_required
@require_POST
def create_tasks(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    draw = _draw(user, pk)
    form = TasksForm(request.POST, agency=draw.agency)
    if form.is_valid():
        cases = _attempt(
            form,
            lambda: services.create_inspection_tasks(
                actor=user, draw=draw, unit=form.cleaned_data["unit"]
            ),
        )
        if cases is not None:
            messages.success(request, f"已派发 {len(cases)} 项检查任务（行政检查案件）。")
            return redirect("workbench:inspection", pk=draw.inspection_id)
    return _plan_page(request, draw.inspection, {"tasks": form}, status=422)


# ------------------------------------------------------------------ 检查对象名录库


def _targets_page(
    request: HttpRequest, bound: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    user = staff_user(request)
    agency = _agency(user)
    bound = bound or {}
    query = request.GET.get("q", "")
    page = paginate(request, selectors.targets(agency, query), per_page=PER_PAGE)
    return render(
        request,
        "workbench/inspections/targets.html",
        {
            "agency": agency,
            "page": page,
            "query": query,
            "target_form": bound.get("target") or TargetForm(),
            "import_form": bound.get("import") or ImportForm(),
            "status_form": bound.get("status"),
        },
        status=status,
    )


@login_required
@require_GET
def targets(request: HttpRequest) -> HttpResponse:
    return _targets_page(request)


@login_required
@require_POST
def target_create(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    agency = _agency(user)
    form = TargetForm(request.POST)
    if form.is_valid():
        data = services.TargetInput(**form.cleaned_data)
        if _attempt(form, lambda: services.create_target(actor=user, agency=agency, data=data)):
            messages.success(request, "已登记检查对象。")
            return redirect("workbench:inspection_targets")
    return _targets_page(request, {"target": form}, status=422)


@login_required
@require_POST
def target_import(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    agency = _agency(user)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        stream = io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="")
        try:
            summary = _attempt(
                form, lambda: services.import_targets(actor=user, agency=agency, stream=stream)
            )
        except UnicodeDecodeError:
            form.add_error(None, "文件不是 UTF-8 编码，请另存为 UTF-8 CSV 后重新导入。")
            summary = None
        if summary is not None:
            messages.success(request, f"已导入 {summary.created} 个检查对象。")
            return redirect("workbench:inspection_targets")
    return _targets_page(request, {"import": form}, status=422)


@login_required
@require_POST
def target_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    agency = _agency(user)
    target = InspectionTarget.objects.filter(agency=agency, pk=pk).first()
    if target is None:
        raise Http404("未找到该检查对象。")
    form = ReasonForm(request.POST)
    if form.is_valid() and _attempt(
        form,
        lambda: services.set_target_active(
            actor=user,
            target=target,
            active=not target.is_active,
            reason=form.cleaned_data["reason"],
        ),
    ):
        messages.success(request, f"已将“{target.name}”{'出库' if target.is_active else '入库'}。")
        return redirect("workbench:inspection_targets")
    return _targets_page(request, {"status": form}, status=422)


# ------------------------------------------------------------------ 执法检查人员名录库, 回避


def _inspectors_page(
    request: HttpRequest, bound: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    user = staff_user(request)
    agency = _agency(user)
    bound = bound or {}
    today = timezone.localdate()
    return render(
        request,
        "workbench/inspections/inspectors.html",
        {
            "agency": agency,
            "today": today,
            "registry": paginate(request, selectors.inspector_registry(agency, today), per_page=50),
            "exclusions": paginate(
                request, selectors.exclusions(agency), per_page=PER_PAGE, param="xpage"
            ),
            "conflicts": paginate(
                request, selectors.conflicts(agency), per_page=PER_PAGE, param="cpage"
            ),
            "exclude_form": bound.get("exclude") or ExcludeForm(agency=agency),
            "conflict_form": bound.get("conflict") or ConflictForm(agency=agency),
            "reason_form": bound.get("reason"),
        },
        status=status,
    )


@login_required
@require_GET
def inspectors(request: HttpRequest) -> HttpResponse:
    return _inspectors_page(request)


@login_required
@require_POST
def exclude(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    agency = _agency(user)
    form = ExcludeForm(request.POST, agency=agency)
    if form.is_valid() and _attempt(
        form,
        lambda: services.exclude_inspector(
            actor=user, officer=form.cleaned_data["officer"], reason=form.cleaned_data["reason"]
        ),
    ):
        messages.success(request, "已将该执法人员排除出执法检查人员名录库。")
        return redirect("workbench:inspection_inspectors")
    return _inspectors_page(request, {"exclude": form}, status=422)


@login_required
@require_POST
def lift(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    agency = _agency(user)
    row = InspectorExclusion.objects.filter(officer__agency=agency, pk=pk).first()
    if row is None:
        raise Http404("未找到该排除记录。")
    form = ReasonForm(request.POST)
    if form.is_valid() and _attempt(
        form,
        lambda: services.lift_exclusion(
            actor=user, exclusion=row, reason=form.cleaned_data["reason"]
        ),
    ):
        messages.success(request, "已恢复该执法人员。")
        return redirect("workbench:inspection_inspectors")
    return _inspectors_page(request, {"reason": form}, status=422)


@login_required
@require_POST
def conflict_create(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    agency = _agency(user)
    form = ConflictForm(request.POST, agency=agency)
    if form.is_valid() and _attempt(
        form,
        lambda: services.declare_conflict(
            actor=user,
            officer=form.cleaned_data["officer"],
            target=form.cleaned_data["target"],
            reason=form.cleaned_data["reason"],
        ),
    ):
        messages.success(request, "已登记回避关系，抽取时不会选派该执法人员检查该对象。")
        return redirect("workbench:inspection_inspectors")
    return _inspectors_page(request, {"conflict": form}, status=422)


@login_required
@require_POST
def conflict_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    agency = _agency(user)
    row = InspectorConflict.objects.filter(target__agency=agency, pk=pk).first()
    if row is None:
        raise Http404("未找到该回避关系。")
    form = ReasonForm(request.POST)
    if form.is_valid() and _attempt(
        form,
        lambda: services.withdraw_conflict(
            actor=user, conflict=row, reason=form.cleaned_data["reason"]
        ),
    ):
        messages.success(request, "已撤销该回避关系。")
        return redirect("workbench:inspection_inspectors")
    return _inspectors_page(request, {"reason": form}, status=422)


urlpatterns: list[URLPattern] = [
    path("inspections/", index, name="inspections"),
    path("inspections/plans/new/", plan_create, name="inspection_plan_create"),
    path("inspections/plans/<int:pk>/", plan_detail, name="inspection"),
    path("inspections/plans/<int:pk>/fix-seed/", fix_seed, name="inspection_fix_seed"),
    path("inspections/draws/<int:pk>/run/", run_draw, name="inspection_run_draw"),
    path("inspections/draws/<int:pk>/abandon/", abandon_draw, name="inspection_abandon_draw"),
    path("inspections/draws/<int:pk>/tasks/", create_tasks, name="inspection_tasks"),
    path("inspections/targets/", targets, name="inspection_targets"),
    path("inspections/targets/new/", target_create, name="inspection_target_create"),
    path("inspections/targets/import/", target_import, name="inspection_target_import"),
    path("inspections/targets/<int:pk>/status/", target_status, name="inspection_target_status"),
    path("inspections/inspectors/", inspectors, name="inspection_inspectors"),
    path("inspections/inspectors/exclude/", exclude, name="inspection_exclude"),
    path("inspections/exclusions/<int:pk>/lift/", lift, name="inspection_lift"),
    path("inspections/conflicts/new/", conflict_create, name="inspection_conflict_create"),
    path(
        "inspections/conflicts/<int:pk>/withdraw/",
        conflict_withdraw,
        name="inspection_conflict_withdraw",
    ),
]
