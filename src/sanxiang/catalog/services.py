"""Writes for the published lists. One function per business action — create, revise (a new
version superseding the current one) and withdraw, for each list — each atomic, each
checking that the acting user may keep that agency's lists, each writing its ledger entry in
the same transaction.

Dates: a new list entry may be registered with a past effective date (the list existed
before the system did), but a revision or a withdrawal takes effect today or later, never in
the past — what was in force on a past day, and what cases applied then, does not change.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from sanxiang.org import selectors as org_selectors
from sanxiang.org.models import Agency, User
from sanxiang.records import ledger

from .models import (
    CatalogItem,
    ChangeReason,
    DiscretionStandard,
    DiscretionTier,
    ItemStatus,
    ListChange,
    ListKind,
    PowerItem,
    RandomInspectionItem,
    ServiceGuide,
)

M = TypeVar("M", bound=CatalogItem)

TIER_FIELDS = (
    "circumstance",
    "description",
    "penalty_kinds",
    "fine_min",
    "fine_max",
    "multiple_min",
    "multiple_max",
)


# --------------------------------------------------------------------------- helpers


def _deny_outside(user: User, agency: Agency) -> None:
    if not org_selectors.can_manage_agency(user, agency):
        raise PermissionDenied(
            f"您无权维护“{agency.name}”的公示清单：按照“谁执法谁公示”（000 公示办法 第四条），"
            "清单由本执法主体的机关负责人或辖区执法监督人员编制、修订和撤销。"
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral_value() else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def _same(a: Any, b: Any) -> bool:
    return bool(_jsonable(a) == _jsonable(b))


def _payload(item: CatalogItem, **extra: Any) -> dict[str, Any]:
    return {
        "model": item._meta.model_name,
        "agency": item.agency_id,
        "lineage": str(item.lineage),
        "version": item.version,
        "supersedes": item.supersedes.pk if item.supersedes is not None else None,
        "status": item.status,
        "valid_from": item.valid_from.isoformat(),
        "valid_to": item.valid_to.isoformat() if item.valid_to else None,
        "content": _jsonable(item.content_values()),
        **extra,
    }


def _log(actor: User, action: str, obj: models.Model, payload: dict[str, Any]) -> None:
    ledger.append(actor=actor, action=action, obj=obj, payload=payload)


def _check_fields(model: type[CatalogItem], fields: Mapping[str, Any]) -> None:
    unknown = sorted(set(fields) - set(model.CONTENT_FIELDS))
    if unknown:
        raise TypeError(f"{model.__name__} has no content field(s) {', '.join(unknown)}")


def _not_in_past(day: datetime.date, field: str, what: str) -> None:
    today = timezone.localdate()
    if day < today:
        raise ValidationError(
            {field: f"{what}不能早于今天（{today:%Y年%m月%d日}）：已经适用的版本不能被追溯改变。"}
        )


def _check_change_date(day: datetime.date | None) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({"change_occurred_on": "变动之日不能晚于今天。"})


def _require_current_power_item(item: PowerItem | None, field: str) -> None:
    # Asked of the database: the caller's object may predate a revision or withdrawal.
    if (
        item is not None
        and not PowerItem.objects.filter(pk=item.pk, status=ItemStatus.PUBLISHED).exists()
    ):
        raise ValidationError(
            {field: f"权责清单事项“{item.name}”的{item.version_label}不是现行有效版本。"}
        )


def _save(obj: Any) -> Any:
    obj.full_clean()
    obj.save()
    return obj


def _lock(item: M) -> M:
    return type(item)._default_manager.select_for_update().get(pk=item.pk)


def _create(
    model: type[M],
    *,
    actor: User,
    agency: Agency,
    valid_from: datetime.date | None,
    change_note: str = "",
    fields: Mapping[str, Any],
) -> M:
    _deny_outside(actor, agency)
    _check_fields(model, fields)
    item = model(
        agency=agency,
        valid_from=valid_from or timezone.localdate(),
        change_note=change_note,
        created_by=actor,
        **fields,
    )
    return _save(item)


def _supersede(
    item: M,
    *,
    actor: User,
    valid_from: datetime.date | None,
    change_note: str,
    change_occurred_on: datetime.date | None,
    changes: Mapping[str, Any],
    other_changes: bool = False,
) -> tuple[M, M]:
    """Close the current version `item` and write the next one with `changes` applied;
    returns (old, new)."""
    _deny_outside(actor, item.agency)
    model = type(item)
    _check_fields(model, changes)
    old = _lock(item)
    if old.status != ItemStatus.PUBLISHED:
        head = old.versions().last()
        raise ValidationError(
            f"只能修订现行有效的版本：{old}已{old.get_status_display()}"
            + (f"，现行为{head.version_label}。" if head is not None and head != old else "。")
        )
    valid_from = valid_from or timezone.localdate()
    _not_in_past(valid_from, "valid_from", "新版本的生效日期")
    if valid_from < old.valid_from:
        raise ValidationError(
            {
                "valid_from": f"新版本的生效日期不能早于现行版本的生效日期（{old.valid_from:%Y年%m月%d日}）。"
            }
        )
    _check_change_date(change_occurred_on)
    content = old.content_values()
    if not other_changes and all(_same(content[k], v) for k, v in changes.items()):
        raise ValidationError("修订内容与现行版本相同，无需修订。")
    old.status = ItemStatus.SUPERSEDED
    old.valid_to = valid_from
    old.save(update_fields=["status", "valid_to"])
    new = model(
        agency=old.agency,
        lineage=old.lineage,
        version=old.version + 1,
        supersedes=old,
        valid_from=valid_from,
        change_note=change_note,
        change_occurred_on=change_occurred_on,
        created_by=actor,
        **{**content, **changes},
    )
    _save(new)
    return old, new


def _revise(
    item: M,
    *,
    actor: User,
    valid_from: datetime.date | None,
    change_note: str,
    change_occurred_on: datetime.date | None,
    changes: Mapping[str, Any],
) -> M:
    old, new = _supersede(
        item,
        actor=actor,
        valid_from=valid_from,
        change_note=change_note,
        change_occurred_on=change_occurred_on,
        changes=changes,
    )
    changed = {k: _jsonable(v) for k, v in changes.items() if not _same(old.content_values()[k], v)}
    _log(
        actor,
        f"catalog.revise_{type(new).LEDGER_NAME}",
        new,
        _payload(new, changed=changed, change_note=change_note),
    )
    return new


def _withdraw(
    item: M, *, actor: User, reason: str, on: datetime.date | None, cascade: bool = True
) -> M:
    _deny_outside(actor, item.agency)
    if not reason.strip():
        raise ValidationError({"withdrawal_reason": "撤销清单事项须写明原因。"})
    old = _lock(item)
    if old.status != ItemStatus.PUBLISHED:
        raise ValidationError(f"{old}已{old.get_status_display()}，只能撤销现行有效的版本。")
    on = on or timezone.localdate()
    _not_in_past(on, "valid_to", "撤销日期")
    old.status = ItemStatus.WITHDRAWN
    # Withdrawing a version that has not taken effect yet: it is never in force.
    old.valid_to = max(on, old.valid_from)
    old.withdrawal_reason = reason.strip()
    old.save(update_fields=["status", "valid_to", "withdrawal_reason"])
    _log(
        actor,
        f"catalog.withdraw_{type(old).LEDGER_NAME}",
        old,
        _payload(old, reason=old.withdrawal_reason),
    )
    if cascade and isinstance(old, PowerItem):
        _withdraw_dependants(old, actor=actor, on=on)
    return old


def _withdraw_dependants(item: PowerItem, *, actor: User, on: datetime.date) -> None:
    """A withdrawn power takes its discretion standards, service guides and random-inspection
    matters with it: nothing may be applied under a power the agency no longer holds."""
    reason = f"所属权责清单事项“{item.name}”已撤销：{item.withdrawal_reason}"[:255]
    dependants: list[tuple[type[CatalogItem], str]] = [
        (DiscretionStandard, "power_item"),
        (ServiceGuide, "matter"),
        (RandomInspectionItem, "power_item"),
    ]
    for model, field in dependants:
        heads = model._default_manager.filter(
            status=ItemStatus.PUBLISHED, **{f"{field}__lineage": item.lineage}
        ).order_by("pk")
        for dependant in heads:
            _withdraw(dependant, actor=actor, reason=reason, on=on, cascade=False)


def _current_head(item: PowerItem) -> PowerItem | None:
    return PowerItem.objects.filter(lineage=item.lineage, status=ItemStatus.PUBLISHED).first()


# --------------------------------------------------------------------------- generic API


@transaction.atomic
def create_item(
    model: type[M],
    *,
    actor: User,
    agency: Agency,
    valid_from: datetime.date | None = None,
    change_note: str = "",
    **fields: Any,
) -> M:
    """Register a new list entry (version 1) for `agency`."""
    if model is DiscretionStandard:
        raise TypeError("use create_discretion_standard, which also writes the tiers")
    for field in ("power_item", "matter"):
        if field in fields:
            _require_current_power_item(fields[field], field)
    item = _create(
        model,
        actor=actor,
        agency=agency,
        valid_from=valid_from,
        change_note=change_note,
        fields=fields,
    )
    _log(actor, f"catalog.create_{model.LEDGER_NAME}", item, _payload(item))
    return item


@transaction.atomic
def revise_item(
    item: M,
    *,
    actor: User,
    valid_from: datetime.date | None = None,
    change_note: str = "",
    change_occurred_on: datetime.date | None = None,
    **changes: Any,
) -> M:
    """Write the next version of `item` with `changes`; the current version is superseded
    (closed on the new version's effective date) and stays readable."""
    if isinstance(item, DiscretionStandard):
        raise TypeError("use revise_discretion_standard, which also writes the tiers")
    for field in ("power_item", "matter"):
        if field in changes:
            _require_current_power_item(changes[field], field)
    return _revise(
        item,
        actor=actor,
        valid_from=valid_from,
        change_note=change_note,
        change_occurred_on=change_occurred_on,
        changes=changes,
    )


@transaction.atomic
def withdraw_item(item: M, *, actor: User, reason: str, on: datetime.date | None = None) -> M:
    """Withdraw the current version of `item` from `on` (default today). A withdrawn power
    item withdraws its discretion standards, service guides and random-inspection matters."""
    return _withdraw(item, actor=actor, reason=reason, on=on)


# --------------------------------------------------------------------------- 权责清单


def create_power_item(
    *,
    actor: User,
    agency: Agency,
    valid_from: datetime.date | None = None,
    change_note: str = "",
    **fields: Any,
) -> PowerItem:
    return create_item(
        PowerItem,
        actor=actor,
        agency=agency,
        valid_from=valid_from,
        change_note=change_note,
        **fields,
    )


def revise_power_item(
    *,
    actor: User,
    item: PowerItem,
    valid_from: datetime.date | None = None,
    change_note: str = "",
    change_occurred_on: datetime.date | None = None,
    **changes: Any,
) -> PowerItem:
    return revise_item(
        item,
        actor=actor,
        valid_from=valid_from,
        change_note=change_note,
        change_occurred_on=change_occurred_on,
        **changes,
    )


def withdraw_power_item(
    *, actor: User, item: PowerItem, reason: str, on: datetime.date | None = None
) -> PowerItem:
    return withdraw_item(item, actor=actor, reason=reason, on=on)


# --------------------------------------------------------------------------- 裁量基准


def _tier_specs(tiers: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    if not tiers:
        raise ValidationError("裁量基准至少应设置一个裁量档次。")
    specs = []
    for spec in tiers:
        unknown = sorted(set(spec) - set(TIER_FIELDS))
        if unknown:
            raise TypeError(f"DiscretionTier has no field(s) {', '.join(unknown)}")
        specs.append({name: spec.get(name) for name in TIER_FIELDS if name in spec})
    circumstances = [s.get("circumstance") for s in specs]
    if len(set(circumstances)) != len(circumstances):
        raise ValidationError("同一裁量基准中每个裁量档次只能设置一次。")
    return specs


def _tier_content(tier: DiscretionTier) -> dict[str, Any]:
    return {name: getattr(tier, name) for name in TIER_FIELDS}


def _write_tiers(
    standard: DiscretionStandard, specs: Sequence[Mapping[str, Any]]
) -> list[DiscretionTier]:
    written = []
    for spec in specs:
        tier = DiscretionTier(standard=standard, **spec)
        try:
            _save(tier)
        except ValidationError as exc:
            label = spec.get("circumstance", "")
            raise ValidationError(
                [f"裁量档次“{label}”：{message}" for message in exc.messages]
            ) from None
        written.append(tier)
    return written


@transaction.atomic
def create_discretion_standard(
    *,
    actor: User,
    power_item: PowerItem,
    tiers: Sequence[Mapping[str, Any]],
    valid_from: datetime.date | None = None,
    change_note: str = "",
    **fields: Any,
) -> DiscretionStandard:
    """A discretion standard for one violation of a penalty power, with its tiers."""
    _require_current_power_item(power_item, "power_item")
    specs = _tier_specs(tiers)
    standard = _create(
        DiscretionStandard,
        actor=actor,
        agency=power_item.agency,
        valid_from=valid_from,
        change_note=change_note,
        fields={"power_item": power_item, **fields},
    )
    written = _write_tiers(standard, specs)
    _log(
        actor,
        "catalog.create_discretion_standard",
        standard,
        _payload(standard, tiers=[_jsonable(_tier_content(t)) for t in written]),
    )
    return standard


@transaction.atomic
def revise_discretion_standard(
    *,
    actor: User,
    standard: DiscretionStandard,
    tiers: Sequence[Mapping[str, Any]] | None = None,
    valid_from: datetime.date | None = None,
    change_note: str = "",
    change_occurred_on: datetime.date | None = None,
    **changes: Any,
) -> DiscretionStandard:
    """The next version of a discretion standard. Without `tiers` the current tiers are
    carried over; with them, they replace the tiers in the new version. A standard written
    against an older version of its power item moves to the power item's current version."""
    old_tiers = [_tier_content(t) for t in standard.tiers.order_by("pk")]
    specs = old_tiers if tiers is None else _tier_specs(tiers)
    tiers_changed = len(specs) != len(old_tiers) or any(
        not _same(a.get(k), b.get(k))
        for a, b in zip(specs, old_tiers, strict=False)
        for k in TIER_FIELDS
    )
    if "power_item" in changes:
        _require_current_power_item(changes["power_item"], "power_item")
    else:
        head = _current_head(standard.power_item)
        if head is None:
            raise ValidationError(
                {
                    "power_item": f"权责清单事项“{standard.power_item.name}”已撤销，不能再修订其裁量基准。"
                }
            )
        if head.pk != standard.power_item_id:
            changes["power_item"] = head
    old, new = _supersede(
        standard,
        actor=actor,
        valid_from=valid_from,
        change_note=change_note,
        change_occurred_on=change_occurred_on,
        changes=changes,
        other_changes=tiers_changed,
    )
    written = _write_tiers(new, specs)
    changed = {k: _jsonable(v) for k, v in changes.items() if not _same(old.content_values()[k], v)}
    _log(
        actor,
        "catalog.revise_discretion_standard",
        new,
        _payload(
            new,
            changed=changed,
            tiers=[_jsonable(_tier_content(t)) for t in written],
            tiers_changed=tiers_changed,
            change_note=change_note,
        ),
    )
    return new


def withdraw_discretion_standard(
    *, actor: User, standard: DiscretionStandard, reason: str, on: datetime.date | None = None
) -> DiscretionStandard:
    return withdraw_item(standard, actor=actor, reason=reason, on=on)


# --------------------------------------------------------------------------- the other lists
# 随机抽查事项, 救济渠道, 监督方式 and 音像记录事项 have no rules of their own beyond the
# model's validation: they go through create_item / revise_item / withdraw_item directly.


def create_service_guide(
    *, actor: User, matter: PowerItem, valid_from: datetime.date | None = None, **fields: Any
) -> ServiceGuide:
    return create_item(
        ServiceGuide,
        actor=actor,
        agency=matter.agency,
        valid_from=valid_from,
        matter=matter,
        **fields,
    )


# --------------------------------------------------------------------------- 待修订登记
# A change in law or in the agency's functions obliges the published lists to be updated
# within the profile's period from the day of the change (000 公示办法 第二十一条; 001 河南公示办法
# 第二十二条). Registering it before the revision is entered makes a late update visible.

UPDATE_RULE = "000 公示办法 第二十一条"


def _change_payload(change: ListChange) -> dict[str, Any]:
    return {
        "agency": change.agency_id,
        "list_kind": change.list_kind,
        "reason_kind": change.reason_kind,
        "description": change.description,
        "occurred_on": change.occurred_on.isoformat(),
        "resolved_on": change.resolved_on.isoformat() if change.resolved_on else None,
        "resolution_note": change.resolution_note,
    }


@transaction.atomic
def register_list_change(
    *,
    actor: User,
    agency: Agency,
    list_kind: str,
    reason_kind: str,
    description: str,
    occurred_on: datetime.date | None,
) -> ListChange:
    """Register a change that obliges `agency`'s `list_kind` list to be updated; the update
    is due within the profile's period from `occurred_on`."""
    _deny_outside(actor, agency)
    errors: dict[str, str] = {}
    if list_kind not in ListKind.values:
        errors["list_kind"] = "请选择须更新的公示清单。"
    if reason_kind not in ChangeReason.values:
        errors["reason_kind"] = "请选择变动原因：法律法规规章变化、机构职能变化或其他。"
    description = (description or "").strip()
    if not description:
        errors["description"] = (
            f"请写明变动内容（如修改的法律、法规、规章或调整的机构职能，{UPDATE_RULE}）。"
        )
    today = timezone.localdate()
    if occurred_on is None:
        errors["occurred_on"] = f"请填写变动之日：更新时限自该日起计算（{UPDATE_RULE}）。"
    elif occurred_on > today:
        errors["occurred_on"] = (
            f"变动之日不能晚于今天（{today:%Y年%m月%d日}）：尚未发生的变动无须更新公示清单"
            f"（{UPDATE_RULE}）。"
        )
    if errors:
        raise ValidationError(errors)
    assert occurred_on is not None
    change = _save(
        ListChange(
            agency=agency,
            list_kind=list_kind,
            reason_kind=reason_kind,
            description=description,
            occurred_on=occurred_on,
            registered_by=actor,
        )
    )
    _log(actor, "catalog.register_list_change", change, _change_payload(change))
    return change


@transaction.atomic
def resolve_list_change(
    change: ListChange,
    *,
    actor: User,
    note: str,
    on: datetime.date | None = None,
) -> ListChange:
    """Record that the lists were updated for `change` on `on` (default today)."""
    change = ListChange.objects.select_for_update().select_related("agency").get(pk=change.pk)
    _deny_outside(actor, change.agency)
    if not change.is_open:
        assert change.resolved_on is not None
        raise ValidationError(
            f"该变动已于{change.resolved_on:%Y年%m月%d日}登记更新，不能重复办结。"
        )
    today = timezone.localdate()
    on = on or today
    errors: dict[str, str] = {}
    note = (note or "").strip()
    if not note:
        errors["resolution_note"] = "请写明公示清单如何更新（如修订的事项及版本）。"
    if on > today:
        errors["resolved_on"] = f"更新之日不能晚于今天（{today:%Y年%m月%d日}）。"
    elif on < change.occurred_on:
        errors["resolved_on"] = (
            f"更新之日不能早于变动之日（{change.occurred_on:%Y年%m月%d日}，{UPDATE_RULE}）。"
        )
    if errors:
        raise ValidationError(errors)
    change.resolved_on = on
    change.resolved_by = actor
    change.resolution_note = note
    _save(change)
    _log(actor, "catalog.resolve_list_change", change, _change_payload(change))
    return change
