"""The admin, in Chinese, for the published lists, bounded like the master data by the
agencies the user may see (sanxiang.org.admin.AgencyScopedAdmin).

Saving never edits a row: adding registers version 1 and saving a change writes the next
version through sanxiang.catalog.services (the old version is superseded and stays readable,
view-only); “撤销” withdraws the current version with a reason. Nothing is deleted.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.forms import BaseInlineFormSet, ModelChoiceField
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from sanxiang.org import selectors as org_selectors
from sanxiang.org.admin import AgencyScopedAdmin
from sanxiang.org.models import User

from . import services
from .models import (
    AVMatter,
    CatalogItem,
    DiscretionStandard,
    DiscretionTier,
    ItemStatus,
    PenaltyKind,
    PowerItem,
    RandomInspectionItem,
    RemedyChannel,
    ServiceGuide,
    SupervisionChannel,
)

REVISION_FIELD = "revision_valid_from"
_VERSION_FIELDS = (
    "version_history",
    "status",
    "valid_to",
    "withdrawal_reason",
    "created_at",
    "created_by",
)


class CatalogItemForm(forms.ModelForm):
    """On a change form, the content fields plus the new version's effective date."""

    revision_valid_from = forms.DateField(
        label="新版本生效日期",
        required=False,
        help_text="保存修改将生成新版本，现行版本自该日起失效；不能早于今天。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A revision gets its own note and cause, not the old version's.
            self.initial["change_note"] = ""
            self.initial["change_occurred_on"] = None
            self.initial.setdefault(REVISION_FIELD, timezone.localdate())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        instance: CatalogItem = self.instance
        if not instance.pk:
            return cleaned
        day = cleaned.get(REVISION_FIELD)
        today = timezone.localdate()
        if day is None:
            self.add_error(REVISION_FIELD, "请填写新版本生效日期。")
        elif day < today:
            self.add_error(
                REVISION_FIELD, "新版本生效日期不能早于今天：已经适用的版本不能被追溯改变。"
            )
        elif day < instance.valid_from:
            self.add_error(
                REVISION_FIELD,
                f"新版本生效日期不能早于现行版本的生效日期（{instance.valid_from:%Y年%m月%d日}）。",
            )
        if not isinstance(instance, DiscretionStandard) and not self.content_changes():
            raise ValidationError("未修改任何内容，无需生成新版本。")
        return cleaned

    def content_changes(self) -> dict[str, Any]:
        fields = type(self.instance).CONTENT_FIELDS
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in fields and name in self.cleaned_data
        }

    def content(self) -> dict[str, Any]:
        fields = type(self.instance).CONTENT_FIELDS
        return {name: self.cleaned_data[name] for name in fields if name in self.cleaned_data}


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=200)
    on = forms.DateField(label="撤销日期", help_text="自该日起不再适用；不能早于今天。")

    def clean_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["on"]
        if day < timezone.localdate():
            raise ValidationError("撤销日期不能早于今天：已经适用的版本不能被追溯改变。")
        return day


def _adopt(obj: CatalogItem, new: CatalogItem) -> None:
    """Point the admin's object at the version the service wrote, so that the admin's
    message, log entry and redirect name it."""
    obj.pk = new.pk
    obj._state.adding = False
    obj.refresh_from_db()


class CatalogItemAdmin(AgencyScopedAdmin):
    form = CatalogItemForm
    list_filter = ["status", "agency__jurisdiction"]
    actions = ["withdraw_selected"]
    date_hierarchy = "valid_from"

    # ------------------------------------------------------------------ form layout

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = list(_VERSION_FIELDS)
        if obj is not None:
            readonly += ["agency", "valid_from"]
        return readonly

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = [f for f in super().get_fields(request, obj) if f != REVISION_FIELD]
        if obj is not None:
            fields.insert(fields.index("valid_from") + 1, REVISION_FIELD)
        return fields

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        user: User = request.user  # type: ignore[assignment]
        for name in ("power_item", "matter"):
            field = form.base_fields.get(name)
            if isinstance(field, ModelChoiceField):
                # Current powers only, and the version this entry was written against.
                keep = Q(status=ItemStatus.PUBLISHED)
                if obj is not None and getattr(obj, f"{name}_id", None):
                    keep |= Q(pk=getattr(obj, f"{name}_id"))
                field.queryset = PowerItem.objects.filter(
                    keep, agency__in=org_selectors.agencies_visible_to(user)
                ).select_related("agency")
        return form

    @admin.display(description="版本记录")
    def version_history(self, obj: CatalogItem) -> str:
        if obj is None or obj.pk is None:
            return "—"
        rows = [
            (
                v.version_label,
                v.get_status_display(),
                f"{v.valid_from:%Y-%m-%d}",
                f"{v.valid_to:%Y-%m-%d}" if v.valid_to else "至今",
                v.change_note or v.withdrawal_reason or "—",
            )
            for v in obj.versions()
        ]
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}：{}，{}起至{}（{}）</li>", rows),
        )

    # ------------------------------------------------------------------ permissions

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Superseded and withdrawn versions are history: view only.
        if obj is not None and obj.status != ItemStatus.PUBLISHED:
            return False
        return super().has_change_permission(request, obj)

    # ------------------------------------------------------------------ saving

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        user: User = request.user  # type: ignore[assignment]
        model = type(obj)
        if not change:
            new = services.create_item(
                model,
                actor=user,
                agency=form.cleaned_data["agency"],
                valid_from=form.cleaned_data["valid_from"],
                change_note=form.cleaned_data.get("change_note", ""),
                **form.content(),
            )
        else:
            current = model._default_manager.get(pk=obj.pk)
            new = services.revise_item(
                current,
                actor=user,
                valid_from=form.cleaned_data[REVISION_FIELD],
                change_note=form.cleaned_data.get("change_note", ""),
                change_occurred_on=form.cleaned_data.get("change_occurred_on"),
                **form.content_changes(),
            )
        _adopt(obj, new)

    @admin.action(description="撤销所选的现行事项", permissions=["change"])
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        items = list(queryset.filter(status=ItemStatus.PUBLISHED))
        if "apply" in request.POST:
            form = WithdrawForm(request.POST)
            if form.is_valid():
                done = 0
                user: User = request.user  # type: ignore[assignment]
                for item in items:
                    try:
                        services.withdraw_item(
                            item,
                            actor=user,
                            reason=form.cleaned_data["reason"],
                            on=form.cleaned_data["on"],
                        )
                    except (ValidationError, PermissionDenied) as exc:
                        text = "；".join(getattr(exc, "messages", [str(exc)]))
                        self.message_user(request, f"{item}：{text}", messages.ERROR)
                    else:
                        done += 1
                if done:
                    self.message_user(request, f"已撤销{done}项。", messages.SUCCESS)
                return None
        else:
            form = WithdrawForm(initial={"on": timezone.localdate()})
        if not items:
            self.message_user(request, "所选事项中没有现行有效的版本。", messages.WARNING)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"撤销{self.model._meta.verbose_name}",
            "form": form,
            "items": items,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "cascade": self.model is PowerItem,
        }
        return TemplateResponse(request, "admin/catalog/withdraw.html", context)


@admin.register(PowerItem)
class PowerItemAdmin(CatalogItemAdmin):
    list_display = [
        "code",
        "name",
        "category",
        "agency",
        "version",
        "status",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["status", "category", "agency__jurisdiction"]
    search_fields = ["code", "name", "basis", "agency__name"]


# --------------------------------------------------------------------------- 裁量基准


class TierForm(forms.ModelForm):
    penalty_kinds = forms.MultipleChoiceField(
        label="处罚种类", choices=PenaltyKind.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = DiscretionTier
        fields = [
            "circumstance",
            "description",
            "penalty_kinds",
            "fine_min",
            "fine_max",
            "multiple_min",
            "multiple_max",
        ]


class TierFormSet(BaseInlineFormSet):
    """Checks the tiers against the statutory range of the standard as submitted."""

    def clean(self) -> None:
        super().clean()
        standard: DiscretionStandard = self.instance
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE", False)]
        if not kept:
            raise ValidationError("裁量基准至少应设置一个裁量档次。")
        seen: set[Any] = set()
        for form in kept:
            circumstance = form.cleaned_data.get("circumstance")
            if circumstance in seen:
                form.add_error("circumstance", "同一裁量基准中每个裁量档次只能设置一次。")
            seen.add(circumstance)
            if form.errors:
                continue
            tier = DiscretionTier(**{k: form.cleaned_data.get(k) for k in services.TIER_FIELDS})
            try:
                errors = tier.statute_errors(standard)
            except Exception:  # the standard's own form is invalid; it reports that
                continue
            for field, message in errors.items():
                form.add_error(field, message)


class TierInline(admin.TabularInline):
    model = DiscretionTier
    form = TierForm
    formset = TierFormSet
    extra = 0
    min_num = 1

    def _editable(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None:
            return request.user.has_perm("catalog.add_discretionstandard")
        return obj.status == ItemStatus.PUBLISHED and request.user.has_perm(
            "catalog.change_discretionstandard"
        )

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return 4 if obj is None else 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # "Deleting" a tier here leaves it out of the new version; the old one keeps it.
        return obj is not None and self._editable(request, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("catalog.view_discretionstandard") or self._editable(
            request, obj
        )


@admin.register(DiscretionStandard)
class DiscretionStandardAdmin(CatalogItemAdmin):
    list_display = ["violation_short", "power_item", "agency", "version", "status", "valid_from"]
    search_fields = ["violation", "basis", "power_item__name", "agency__name"]
    inlines = [TierInline]

    @admin.display(description="违法行为")
    def violation_short(self, obj: DiscretionStandard) -> str:
        return obj.violation[:40]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The standard and its tiers are one version: written together in save_related.
        pass

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        user: User = request.user  # type: ignore[assignment]
        obj: DiscretionStandard = form.instance
        tiers: list[dict[str, Any]] = []
        tiers_changed = False
        for formset in formsets:
            formset.save(commit=False)  # fills new/changed/deleted_objects for the log
            tiers_changed = tiers_changed or formset.has_changed()
            for tier_form in formset.forms:
                data = tier_form.cleaned_data
                if data and not data.get("DELETE", False):
                    tiers.append({k: data.get(k) for k in services.TIER_FIELDS})
        if not change:
            content = form.content()
            power_item = content.pop("power_item")
            new = services.create_discretion_standard(
                actor=user,
                power_item=power_item,
                tiers=tiers,
                valid_from=form.cleaned_data["valid_from"],
                change_note=form.cleaned_data.get("change_note", ""),
                **content,
            )
        else:
            changes = form.content_changes()
            if not changes and not tiers_changed:
                self.message_user(request, "未修改任何内容，未生成新版本。", messages.WARNING)
                return
            current = DiscretionStandard.objects.get(pk=obj.pk)
            new = services.revise_discretion_standard(
                actor=user,
                standard=current,
                tiers=tiers if tiers_changed else None,
                valid_from=form.cleaned_data[REVISION_FIELD],
                change_note=form.cleaned_data.get("change_note", ""),
                change_occurred_on=form.cleaned_data.get("change_occurred_on"),
                **changes,
            )
        _adopt(obj, new)


@admin.register(RandomInspectionItem)
class RandomInspectionItemAdmin(CatalogItemAdmin):
    list_display = ["name", "agency", "ratio", "frequency", "version", "status", "valid_from"]
    search_fields = ["name", "basis", "agency__name"]


@admin.register(ServiceGuide)
class ServiceGuideAdmin(CatalogItemAdmin):
    list_display = ["matter", "agency", "accepting_body", "time_limit", "version", "status"]
    search_fields = ["matter__name", "agency__name"]


@admin.register(RemedyChannel)
class RemedyChannelAdmin(CatalogItemAdmin):
    list_display = ["name", "kind", "body", "agency", "version", "status"]
    list_filter = ["status", "kind", "agency__jurisdiction"]
    search_fields = ["name", "body", "agency__name"]


@admin.register(SupervisionChannel)
class SupervisionChannelAdmin(CatalogItemAdmin):
    list_display = ["name", "kind", "phone", "agency", "version", "status"]
    list_filter = ["status", "kind", "agency__jurisdiction"]
    search_fields = ["name", "agency__name"]


@admin.register(AVMatter)
class AVMatterAdmin(CatalogItemAdmin):
    list_display = [
        "activity",
        "action_type",
        "stage",
        "requirement",
        "agency",
        "version",
        "status",
    ]
    list_filter = ["status", "action_type", "requirement", "agency__jurisdiction"]
    search_fields = ["activity", "basis", "agency__name"]
