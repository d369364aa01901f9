"""Reads for the published lists.

* ``current(Model, agency=…)`` — the published head of every entry: what the agency's list
  says now (the workbench, the portal's 事前公开 pages).
* ``in_force(Model, on=…)`` — the versions that applied on a day: what a case decided that
  day cites. A revision that takes effect later leaves the old version in force until then.
* ``published_page(Model, …)`` — the portal's paginated list.
* ``tier_for(…)`` and ``av_requirement(…)`` — what cases check against.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from sanxiang.org import selectors as org_selectors
from sanxiang.org.models import Agency, Jurisdiction, User

from .models import (
    AVMatter,
    AVRequirement,
    CatalogItem,
    DiscretionStandard,
    DiscretionTier,
    ItemStatus,
    PowerItem,
    ServiceGuide,
)

M = TypeVar("M", bound=CatalogItem)

DEFAULT_PER_PAGE = 20

# A stable order per list for pages and exports.
_ORDER: dict[str, tuple[str, ...]] = {
    "poweritem": ("agency__jurisdiction__code", "agency__name", "category", "code", "pk"),
    "discretionstandard": ("agency__jurisdiction__code", "agency__name", "power_item__code", "pk"),
    "avmatter": ("agency__jurisdiction__code", "agency__name", "action_type", "stage", "pk"),
}


def _ordered(qs: QuerySet[M]) -> QuerySet[M]:
    order = _ORDER.get(
        qs.model._meta.model_name or "", ("agency__jurisdiction__code", "agency__name", "pk")
    )
    return qs.order_by(*order)


def _related(qs: QuerySet[M]) -> QuerySet[M]:
    qs = qs.select_related("agency")
    model = qs.model
    if model is DiscretionStandard:
        return qs.select_related("power_item").prefetch_related("tiers")
    names = {f.name for f in model._meta.get_fields()}
    if "matter" in names:
        qs = qs.select_related("matter")
    if "power_item" in names:
        qs = qs.select_related("power_item")
    if "unit" in names:
        qs = qs.select_related("unit")
    return qs


def current(model: type[M], *, agency: Agency | None = None) -> QuerySet[M]:
    """The published (现行有效) version of every entry, for one agency or all."""
    qs = model._default_manager.filter(status=ItemStatus.PUBLISHED)
    if agency is not None:
        qs = qs.filter(agency=agency)
    return _ordered(_related(qs))


def in_force(
    model: type[M], *, on: datetime.date | None = None, agency: Agency | None = None
) -> QuerySet[M]:
    """The versions in force on `on` (default today): valid_from <= on < valid_to."""
    on = on or timezone.localdate()
    qs = model._default_manager.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    return _ordered(_related(qs))


def version_in_force(
    model: type[M], lineage: uuid.UUID | str, *, on: datetime.date | None = None
) -> M | None:
    """The version of one entry that applied on `on`, or None if none did."""
    return in_force(model, on=on).filter(lineage=lineage).first()


def versions(item: M) -> QuerySet[M]:
    """Every version of the entry `item` belongs to, oldest first."""
    return type(item)._default_manager.filter(lineage=item.lineage).order_by("version")


def head(item: M) -> M:
    """The latest version of the entry `item` belongs to (published or withdrawn)."""
    latest = versions(item).last()
    assert latest is not None
    return latest


def visible_to(model: type[M], user: User) -> QuerySet[M]:
    """Every version of every entry of the agencies `user` may see (staff views)."""
    return model._default_manager.filter(
        agency__in=org_selectors.agencies_visible_to(user)
    ).select_related("agency")


def published(
    model: type[M],
    *,
    agency: Agency | None = None,
    jurisdiction: Jurisdiction | None = None,
) -> QuerySet[M]:
    """What the portal lists: current entries of active agencies, optionally of one agency or
    of a jurisdiction and those below it."""
    qs = current(model, agency=agency).filter(agency__status=Agency.Status.ACTIVE)
    if jurisdiction is not None:
        qs = qs.filter(agency__jurisdiction__path__startswith=jurisdiction.path)
    return qs


def published_page(
    model: type[M],
    *,
    page: int | str | None = 1,
    per_page: int = DEFAULT_PER_PAGE,
    agency: Agency | None = None,
    jurisdiction: Jurisdiction | None = None,
) -> Page[M]:
    """One page of `published(...)`; a malformed or out-of-range page gives the nearest one."""
    paginator = Paginator(published(model, agency=agency, jurisdiction=jurisdiction), per_page)
    return paginator.get_page(page)


# --------------------------------------------------------------------------- what cases check


def discretion_standards_for(
    power_item: PowerItem, *, on: datetime.date | None = None
) -> QuerySet[DiscretionStandard]:
    """The discretion standards in force on `on` for `power_item`'s entry (any version)."""
    return in_force(DiscretionStandard, on=on).filter(power_item__lineage=power_item.lineage)


def tier_for(
    *,
    power_item: PowerItem,
    circumstance: str,
    on: datetime.date | None = None,
    violation: str | None = None,
) -> DiscretionTier | None:
    """The tier for `circumstance` of the discretion standard that applied to `power_item`
    on `on` (default today); `violation` narrows it when a power has several standards.
    None if there is no such standard or tier."""
    standards = discretion_standards_for(power_item, on=on)
    if violation is not None:
        standards = standards.filter(violation=violation)
    standard = standards.order_by("pk").first()
    if standard is None:
        return None
    return (
        DiscretionTier.objects.select_related("standard")
        .filter(standard=standard, circumstance=circumstance)
        .first()
    )


def fine_allowed(
    *,
    power_item: PowerItem,
    circumstance: str,
    amount: Decimal,
    base: Decimal | None = None,
    on: datetime.date | None = None,
) -> bool:
    tier = tier_for(power_item=power_item, circumstance=circumstance, on=on)
    return tier is not None and tier.allows(amount, base=base)


_STRENGTH = {AVRequirement.AV: 1, AVRequirement.FULL_PROCESS: 2}


def av_matters(
    *, agency: Agency, action_type: str, stage: str, on: datetime.date | None = None
) -> QuerySet[AVMatter]:
    return in_force(AVMatter, on=on, agency=agency).filter(action_type=action_type, stage=stage)


def av_requirement(
    *, agency: Agency, action_type: str, stage: str, on: datetime.date | None = None
) -> AVMatter | None:
    """The strictest AV matter the agency's list sets for a stage, or None if the stage
    needs no AV. Full-process AV wins over plain AV."""
    matters: list[Any] = list(av_matters(agency=agency, action_type=action_type, stage=stage))
    if not matters:
        return None
    return max(matters, key=lambda m: (_STRENGTH[AVRequirement(m.requirement)], -m.pk))


# --------------------------------------------------------------------------- 事前公开 pages


def list_last_changed(
    model: type[M], *, agency: Agency, on: datetime.date | None = None
) -> datetime.date | None:
    """The last day up to `on` the agency's list changed: a version registered (a new entry
    or a revision, shown from that day) or an entry withdrawn. Two aggregate queries."""
    on = on or timezone.localdate()
    versions = model._default_manager.filter(agency=agency)
    registered = versions.aggregate(d=Max("created_at"))["d"]
    withdrawn = versions.filter(status=ItemStatus.WITHDRAWN, valid_to__lte=on).aggregate(
        d=Max("valid_to")
    )["d"]
    registered_on = timezone.localtime(registered).date() if registered else None
    known = [d for d in (registered_on, withdrawn) if d is not None and d <= on]
    return max(known) if known else None


def published_power_items(agency: Agency, *, category: str = "") -> QuerySet[PowerItem]:
    """The agency's 权责清单 as published, optionally one 职权类别 (lazy: callers paginate)."""
    # One agency: order on its own columns (the (agency, status, category) index), no join.
    qs = published(PowerItem, agency=agency).order_by("category", "code", "pk")
    if category:
        qs = qs.filter(category=category)
    return qs


def current_service_guide(agency: Agency, pk: int) -> ServiceGuide | None:
    """One current 服务指南 of the agency, or None (a superseded or withdrawn one is not
    published)."""
    return published(ServiceGuide, agency=agency).filter(pk=pk).first()
