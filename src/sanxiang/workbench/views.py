"""The staff workbench (工作台): sign-in, the role home page and the agency page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sanxiang.catalog.updates import deadline_text, update_obligations
from sanxiang.org.models import Unit
from sanxiang.portal.pagination import paginate
from sanxiang.workbench import list_change_views, panels, selectors
from sanxiang.workbench.auth import staff_user
from sanxiang.workbench.forms import StaffAuthenticationForm, lockout_policy

OFFICERS_PER_PAGE = 25


class LoginView(auth_views.LoginView):
    template_name = "workbench/login.html"
    authentication_form = StaffAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["policy"] = lockout_policy(self.request)
        return context


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5); back to the sign-in page with a note."""

    next_page = "workbench:login"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, "您已安全退出工作台。")
        return response


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    today = timezone.localdate()
    return render(
        request,
        "workbench/home.html",
        {
            "staff_user": user,
            "agency": user.agency,
            "roles": panels.role_labels(user),
            "panels": panels.home_panels(request, user, today),
            "today": today,
        },
    )


LIST_UPDATES_SHOWN = 20


@login_required
@require_GET
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An agency's people and staffing, for accounts that may see it (data isolation)."""
    user = staff_user(request)
    agency = selectors.visible_agency(user, pk)
    if agency is None:
        if not selectors.agency_exists(pk):
            raise Http404("未找到该执法主体。")
        raise PermissionDenied(
            "您无权查看该执法主体的信息：账号只能查看本执法主体的数据，"
            "执法监督人员可查看本辖区及下级辖区的执法主体。"
        )
    today = timezone.localdate()
    units = selectors.agency_units(agency, today)
    unit_id = request.GET.get("unit", "")
    unit: Unit | None = None
    if unit_id.isdigit():
        unit = next((u for u in units if u.pk == int(unit_id)), None)
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if status not in selectors.OFFICER_FILTERS:
        status = ""
    page = paginate(
        request,
        selectors.agency_officers(agency, today, unit=unit, query=query, status=status),
        per_page=OFFICERS_PER_PAGE,
    )
    return render(
        request,
        "workbench/agency_detail.html",
        {
            "agency": agency,
            "today": today,
            "units": units,
            "unit": unit,
            "query": query,
            "status": status,
            "status_choices": selectors.OFFICER_FILTERS.items(),
            "page": page,
            "rows": selectors.officer_rows(list(page.object_list), today),
            "entrustments": selectors.agency_entrustments(agency),
            "staffing": selectors.agency_staffing(agency, today),
            "figures": selectors.agency_figures(agency, today),
            "warning_days": selectors.EXPIRY_WARNING_DAYS,
            # 公示清单更新 (000 公示办法 第二十一条): the last year's changes, late ones first
            "list_updates": sorted(
                update_obligations(agency, today),
                key=lambda r: (not r.is_overdue, not r.is_open),
            )[:LIST_UPDATES_SHOWN],
            "list_update_rule": deadline_text(agency),
            # 待修订登记: forms for those who keep the agency's lists
            "may_register_change": list_change_views.may_register(user),
            "list_change_form": list_change_views.ListChangeForm(),
        },
    )
