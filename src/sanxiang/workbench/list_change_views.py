"""待修订登记 on the staff agency page: the agency head (or the supervisor above) registers a
change in law or in the agency's functions that obliges a published list to be updated, and
records that the lists were updated (000 公示办法 第二十一条; 001 河南公示办法 第二十二条).
Thin POST views over ``catalog.services``; back to the page's update section either way."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from sanxiang.catalog import services
from sanxiang.catalog.models import ChangeReason, ListChange, ListKind
from sanxiang.org.models import Agency, Role, User
from sanxiang.workbench import selectors
from sanxiang.workbench.auth import staff_user


class ListChangeForm(forms.Form):
    list_kind = forms.ChoiceField(
        label="须更新的清单",
        choices=[("", "请选择"), *ListKind.choices],
        error_messages={"required": "请选择须更新的公示清单。"},
    )
    reason_kind = forms.ChoiceField(
        label="变动原因",
        choices=[("", "请选择"), *ChangeReason.choices],
        error_messages={"required": "请选择变动原因。"},
    )
    description = forms.CharField(
        label="变动内容",
        max_length=500,
        error_messages={"required": "请写明变动内容（000 公示办法 第二十一条）。"},
    )
    occurred_on = forms.DateField(
        label="变动之日",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写变动之日。", "invalid": "变动之日格式不正确。"},
    )


class ResolveForm(forms.Form):
    resolved_on = forms.DateField(
        label="更新之日",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写更新之日。", "invalid": "更新之日格式不正确。"},
    )
    note = forms.CharField(
        label="更新说明",
        max_length=500,
        error_messages={"required": "请写明公示清单如何更新（如修订的事项及版本）。"},
    )


def may_register(user: User) -> bool:
    """Whether the user may keep the lists of an agency the user can already see — the rule of
    ``org.selectors.agencies_managed_by`` without a query (the page has found the agency)."""
    return user.is_superuser or user.has_role(Role.AGENCY_HEAD) or user.has_role(Role.SUPERVISOR)


def _visible(user: User, pk: int) -> Agency:
    agency = selectors.visible_agency(user, pk)
    if agency is None:
        raise Http404("未找到该执法主体，或您无权查看。")
    return agency


def _back(agency_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse("workbench:agency", args=[agency_id]) + "#list-updates-title"
    )


def _form_errors(form: forms.Form) -> str:
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    agency = _visible(user, pk)
    form = ListChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back(agency.pk)
    try:
        change = services.register_list_change(
            actor=user,
            agency=agency,
            list_kind=form.cleaned_data["list_kind"],
            reason_kind=form.cleaned_data["reason_kind"],
            description=form.cleaned_data["description"],
            occurred_on=form.cleaned_data["occurred_on"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return _back(agency.pk)
    messages.success(
        request,
        f"已登记待修订变动：{change.get_list_kind_display()}须自"
        f"{change.occurred_on:%Y年%m月%d日}起按期更新。",
    )
    return _back(agency.pk)


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    change = ListChange.objects.filter(pk=pk).first()
    if change is None:
        raise Http404("未找到该待修订登记。")
    agency = _visible(user, change.agency_id)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back(agency.pk)
    try:
        services.resolve_list_change(
            change,
            actor=user,
            note=form.cleaned_data["note"],
            on=form.cleaned_data["resolved_on"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return _back(agency.pk)
    messages.success(request, "已登记公示清单更新。")
    return _back(agency.pk)


urlpatterns: list[URLPattern] = [
    path("agencies/<int:pk>/list-changes/", register, name="list_change_register"),
    path("list-changes/<int:pk>/resolve/", resolve, name="list_change_resolve"),
]
