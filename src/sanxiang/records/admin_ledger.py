"""Admin edits are business actions too: each saved object, and each object saved through an
inline, appends a ledger entry in the admin's own transaction (Django's change view is atomic)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import BaseModelFormSet
from django.http import HttpRequest

from . import ledger

# Never in the ledger: secrets and login bookkeeping.
_EXCLUDE = ("password", "last_login")


def _snapshot(obj: models.Model) -> dict[str, Any]:
    return ledger.snapshot(obj, exclude=_EXCLUDE)


def _action(obj: models.Model, created: bool) -> str:
    return f"admin.{'add' if created else 'change'}_{obj._meta.model_name}"


def _record(request: HttpRequest, obj: models.Model, before: dict[str, Any] | None) -> None:
    after = _snapshot(obj)
    data: dict[str, Any] = (
        {"created": after} if before is None else {"changes": ledger.changes(before, after)}
    )
    ledger.record(_action(obj, before is None), actor=request.user, obj=obj, **data)  # type: ignore[arg-type]


def _before(obj: models.Model) -> dict[str, Any] | None:
    if obj.pk is None:
        return None
    old = type(obj)._default_manager.filter(pk=obj.pk).first()
    return _snapshot(old) if old is not None else None


class LedgeredAdminMixin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = _before(obj)
        super().save_model(request, obj, form, change)
        _record(request, obj, before)

    def save_formset(
        self, request: HttpRequest, form: Any, formset: BaseModelFormSet[Any, Any], change: bool
    ) -> None:
        befores = {
            id(f.instance): _before(f.instance)
            for f in formset.forms
            if f.has_changed() and f.instance.pk is not None
        }
        super().save_formset(request, form, formset, change)
        for instance in formset.new_objects:
            _record(request, instance, None)
        for instance, _fields in formset.changed_objects:
            _record(request, instance, befores.get(id(instance)))
