"""Seed the published lists of market-regulation, urban-management and ecology-and-environment
agencies from the reference lists in sanxiang.catalog.seed_data.

    result = seed_catalog(Agency.objects.all(), stdout=sys.stdout)

Which agencies
--------------
An agency takes a department's lists when its name contains that department's words
(市场监督管理局 / 市场监管综合行政执法支队 → market regulation; 生态环境局, its 分局 and the
生态环境保护综合行政执法支队 → ecology; 城市管理局, a county's 综合行政执法局 and the
城市管理综合行政执法支队 → urban management). Other agencies are left alone and counted.

Determinism and re-running
--------------------------
Every entry's lineage is a UUID derived from (agency USCC, list, entry key), so the same
agency gets the same entries whatever else the database holds. An entry whose lineage is
already there — in any version, published, superseded or withdrawn — is skipped: a second
run writes nothing, and an entry an agency has since revised or withdrawn is not brought
back. Entries take effect on 2024-01-01, or on the day the agency's status was confirmed if
later. Everything runs in one transaction.

Scale
-----
Agencies are handled in chunks; each chunk costs a bounded number of queries (existing
lineages, handling units, current power items) and ``bulk_create`` calls, never one query
per row. ``full_clean()`` is not called for the bulk rows; the tests run it on every seeded
row.
"""

from __future__ import annotations

import datetime
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from sanxiang.org.models import Agency, Jurisdiction, Unit

from .models import (
    AVMatter,
    AVRequirement,
    CatalogItem,
    DiscretionStandard,
    DiscretionTier,
    ItemStatus,
    PowerItem,
    RandomInspectionItem,
    RemedyChannel,
    ServiceGuide,
    SupervisionChannel,
)
from .seed_data import DEPARTMENT_ORDER, EXTRA_AV_BASIS, DepartmentLists
from .stages import AV_ARTICLES

# Fixed: changing it would give every seeded entry a new identity.
NAMESPACE = uuid.UUID("5a1c3e2e-7b0d-4c55-9f43-3c2b7d1e9a10")
SEED_VALID_FROM = datetime.date(2024, 1, 1)
CHUNK_SIZE = 500
SEED_NOTE = "初始编制"

_T = TypeVar("_T")


class Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


@dataclass
class CatalogSeedResult:
    agencies: int = 0
    skipped_agencies: int = 0
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    elapsed: float = 0.0

    @property
    def rows_created(self) -> int:
        return sum(self.created.values())

    def summary(self) -> list[str]:
        labels = [
            (PowerItem, "权责清单事项"),
            (DiscretionStandard, "裁量基准"),
            (DiscretionTier, "裁量档次"),
            (RandomInspectionItem, "随机抽查事项"),
            (ServiceGuide, "服务指南"),
            (RemedyChannel, "救济渠道"),
            (SupervisionChannel, "监督方式"),
            (AVMatter, "音像记录事项"),
        ]
        counts = "，".join(
            f"{label}{self.created.get(model._meta.model_name or '', 0)}项"
            for model, label in labels
        )
        return [
            f"公示清单：为{self.agencies}个执法主体生成（{self.skipped_agencies}个执法主体无对应的清单模板，已跳过）。",
            f"新增：{counts}；共{self.rows_created}行，用时{self.elapsed:.2f}秒。",
        ]


def department_for(name: str) -> DepartmentLists | None:
    """The reference lists an agency of this name takes, or None."""
    for dept in DEPARTMENT_ORDER:
        if any(word in name for word in dept.words):
            return dept
    return None


def lineage_for(agency: Agency, kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{agency.uscc}/{kind}/{key}")


def _chunks(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _fmt(text: str, agency: Agency, unit_name: str) -> str:
    return text.replace("{agency}", agency.name).replace("{unit}", unit_name)


class _Profiles:
    """Rule-profile code per jurisdiction, looked up once each."""

    def __init__(self) -> None:
        self._codes: dict[int, str] = {}

    def code(self, agency: Agency) -> str:
        jid = agency.jurisdiction_id
        if jid not in self._codes:
            jurisdiction = Jurisdiction.objects.select_related("parent__parent").get(pk=jid)
            try:
                self._codes[jid] = jurisdiction.effective_profile_code()
            except ValidationError:
                self._codes[jid] = ""
        return self._codes[jid]


def _existing(model: type[CatalogItem], lineages: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    wanted = list(lineages)
    found: set[uuid.UUID] = set()
    for chunk in _chunks(wanted, CHUNK_SIZE):
        found.update(
            model._default_manager.filter(lineage__in=chunk).values_list("lineage", flat=True)
        )
    return found


class _Chunk:
    """Builds and writes the entries of a chunk of agencies, list by list."""

    def __init__(
        self,
        plans: Sequence[tuple[Agency, DepartmentLists]],
        profiles: _Profiles,
        result: CatalogSeedResult,
    ) -> None:
        self.plans = plans
        self.profiles = profiles
        self.result = result
        self.units: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for unit_id, agency_id, name in (
            Unit.objects.filter(
                agency__in=[a for a, _ in plans], kind=Unit.Kind.HANDLING, is_active=True
            )
            .order_by("agency_id", "name", "pk")
            .values_list("pk", "agency_id", "name")
        ):
            self.units[agency_id].append((unit_id, name))
        self.power_heads: dict[uuid.UUID, PowerItem] = {}

    @staticmethod
    def valid_from(agency: Agency) -> datetime.date:
        return max(SEED_VALID_FROM, agency.confirmed_on)

    def unit_for(self, agency: Agency, words: Sequence[str]) -> tuple[int | None, str]:
        units = self.units.get(agency.pk, [])
        for word in words:
            for unit_id, name in units:
                if word in name:
                    return unit_id, name
        if units:
            return units[0]
        return None, agency.name

    def base(self, agency: Agency, lineage: uuid.UUID) -> dict[str, Any]:
        return {
            "agency": agency,
            "lineage": lineage,
            "version": 1,
            "status": ItemStatus.PUBLISHED,
            "valid_from": self.valid_from(agency),
            "change_note": SEED_NOTE,
        }

    def write(self, model: type[CatalogItem], rows: list[tuple[uuid.UUID, Any]]) -> list[Any]:
        """bulk_create the rows whose lineage is new; returns the created objects."""
        existing = _existing(model, (lineage for lineage, _ in rows))
        new = [obj for lineage, obj in rows if lineage not in existing]
        if new:
            model._default_manager.bulk_create(new, batch_size=CHUNK_SIZE)
            self.result.created[model._meta.model_name or ""] += len(new)
        return new

    # ------------------------------------------------------------------ lists

    def powers(self) -> None:
        rows: list[tuple[uuid.UUID, PowerItem]] = []
        for agency, dept in self.plans:
            for spec in dept.powers:
                lineage = lineage_for(agency, "power", spec.key)
                unit_id, _ = self.unit_for(agency, spec.unit_words)
                rows.append(
                    (
                        lineage,
                        PowerItem(
                            **self.base(agency, lineage),
                            code=f"{dept.code_prefix}-{spec.key}",
                            category=spec.category,
                            name=spec.name,
                            basis=spec.basis,
                            responsibility=spec.responsibility,
                            time_limit=spec.time_limit,
                            statutory_days=spec.statutory_days,
                            fees=spec.fees,
                            unit_id=unit_id,
                            violation=spec.violation,
                        ),
                    )
                )
        self.write(PowerItem, rows)
        lineages = [lineage for lineage, _ in rows]
        for chunk in _chunks(lineages, CHUNK_SIZE):
            for item in PowerItem.objects.filter(lineage__in=chunk, status=ItemStatus.PUBLISHED):
                self.power_heads[item.lineage] = item

    def power_head(self, agency: Agency, key: str) -> PowerItem | None:
        return self.power_heads.get(lineage_for(agency, "power", key))

    def discretion(self) -> None:
        rows: list[tuple[uuid.UUID, DiscretionStandard]] = []
        specs: dict[uuid.UUID, Any] = {}
        for agency, dept in self.plans:
            for power in dept.powers:
                item = self.power_head(agency, power.key)
                if item is None:
                    continue  # the power was withdrawn: nothing to apply under it
                for spec in power.standards:
                    lineage = lineage_for(agency, "discretion", spec.key)
                    specs[lineage] = spec
                    rows.append(
                        (
                            lineage,
                            DiscretionStandard(
                                **self.base(agency, lineage),
                                power_item=item,
                                violation=spec.violation,
                                basis=spec.basis,
                                standard_basis=spec.standard_basis,
                                multiple_base=spec.multiple_base,
                                base_threshold=spec.base_threshold,
                                statutory_fine_min=spec.fine_min,
                                statutory_fine_max=spec.fine_max,
                                statutory_multiple_min=spec.multiple_min,
                                statutory_multiple_max=spec.multiple_max,
                            ),
                        )
                    )
        created = self.write(DiscretionStandard, rows)
        tiers = [
            DiscretionTier(
                standard=standard,
                circumstance=tier.circumstance,
                description=tier.description,
                penalty_kinds=[str(k) for k in tier.kinds],
                fine_min=tier.fine_min,
                fine_max=tier.fine_max,
                multiple_min=tier.multiple_min,
                multiple_max=tier.multiple_max,
            )
            for standard in created
            for tier in specs[standard.lineage].tiers
        ]
        if tiers:
            DiscretionTier.objects.bulk_create(tiers, batch_size=CHUNK_SIZE)
            self.result.created["discretiontier"] += len(tiers)

    def guides(self) -> None:
        rows: list[tuple[uuid.UUID, ServiceGuide]] = []
        for agency, dept in self.plans:
            for power in dept.powers:
                item = self.power_head(agency, power.key)
                if power.guide is None or item is None:
                    continue
                guide = power.guide
                _, unit_name = self.unit_for(agency, power.unit_words)
                lineage = lineage_for(agency, "guide", power.key)
                rows.append(
                    (
                        lineage,
                        ServiceGuide(
                            **self.base(agency, lineage),
                            matter=item,
                            procedure=_fmt(guide.procedure, agency, unit_name),
                            accepting_body=_fmt(guide.accepting_body, agency, unit_name),
                            approving_body=_fmt(guide.approving_body, agency, unit_name),
                            conditions=_fmt(guide.conditions, agency, unit_name),
                            time_limit=guide.time_limit,
                            materials="\n".join(guide.materials),
                            place=_fmt(guide.place, agency, unit_name)
                            + (f"（{agency.address}）" if agency.address else ""),
                            phone=agency.phone,
                        ),
                    )
                )
        self.write(ServiceGuide, rows)

    def randoms(self) -> None:
        rows: list[tuple[uuid.UUID, RandomInspectionItem]] = []
        for agency, dept in self.plans:
            for spec in dept.randoms:
                lineage = lineage_for(agency, "random", spec.key)
                rows.append(
                    (
                        lineage,
                        RandomInspectionItem(
                            **self.base(agency, lineage),
                            name=spec.name,
                            basis=spec.basis,
                            subject=agency.name,
                            targets=spec.targets,
                            ratio=spec.ratio,
                            frequency=spec.frequency,
                            method=spec.method,
                            content=spec.content,
                            power_item=self.power_head(agency, spec.power_key)
                            if spec.power_key
                            else None,
                        ),
                    )
                )
        self.write(RandomInspectionItem, rows)

    def av_matters(self) -> None:
        rows: list[tuple[uuid.UUID, AVMatter]] = []
        for agency, dept in self.plans:
            profile = self.profiles.code(agency)
            articles = AV_ARTICLES.get(profile)
            if articles is None:
                continue  # no AV rules known for the jurisdiction: cite nothing invented
            for spec in dept.avs:
                full = spec.requirement == AVRequirement.FULL_PROCESS
                cites = [articles.full_process if full else articles.av]
                if full and articles.arrival_to_departure:
                    cites.append(articles.arrival_to_departure)
                extra = EXTRA_AV_BASIS.get((profile, spec.stage))
                if extra:
                    cites.append(extra)
                lineage = lineage_for(agency, "av", spec.key)
                rows.append(
                    (
                        lineage,
                        AVMatter(
                            **self.base(agency, lineage),
                            action_type=spec.action_type,
                            stage=spec.stage,
                            activity=spec.activity,
                            requirement=spec.requirement,
                            method=spec.method,
                            basis="；".join(dict.fromkeys(cites)),
                        ),
                    )
                )
        self.write(AVMatter, rows)

    def channels(self) -> None:
        remedies: list[tuple[uuid.UUID, RemedyChannel]] = []
        supervision: list[tuple[uuid.UUID, SupervisionChannel]] = []
        for agency, _dept in self.plans:
            government = (
                agency.confirmed_by
                if agency.confirmed_by.endswith("人民政府")
                else agency.jurisdiction.government_name
            )
            lineage = lineage_for(agency, "remedy", "review")
            remedies.append(
                (
                    lineage,
                    RemedyChannel(
                        **self.base(agency, lineage),
                        kind=RemedyChannel.Kind.REVIEW,
                        name="申请行政复议",
                        body=government,
                        description=(
                            f"公民、法人或者其他组织认为{agency.name}的行政执法行为侵犯其合法权益的，"
                            "可以自知道或者应当知道该行政行为之日起六十日内，依照《中华人民共和国行政复议法》"
                            f"向{government}申请行政复议；法律规定的申请期限超过六十日的除外。"
                        ),
                    ),
                )
            )
            lineage = lineage_for(agency, "remedy", "litigation")
            remedies.append(
                (
                    lineage,
                    RemedyChannel(
                        **self.base(agency, lineage),
                        kind=RemedyChannel.Kind.LITIGATION,
                        name="提起行政诉讼",
                        body="有管辖权的人民法院",
                        description=(
                            "公民、法人或者其他组织直接向人民法院提起诉讼的，应当自知道或者应当知道作出"
                            "行政行为之日起六个月内提出；法律另有规定的除外"
                            "（《中华人民共和国行政诉讼法》第四十六条）。"
                        ),
                    ),
                )
            )
            phone = agency.complaint_phone or agency.phone
            if phone:
                lineage = lineage_for(agency, "supervision", "hotline")
                supervision.append(
                    (
                        lineage,
                        SupervisionChannel(
                            **self.base(agency, lineage),
                            kind=SupervisionChannel.Kind.HOTLINE,
                            name="投诉举报电话",
                            description=(
                                f"对{agency.name}及其执法人员不依法履行职责、违法或者不当实施行政执法的行为，"
                                "可以拨打投诉监督电话反映。"
                            ),
                            phone=phone,
                        ),
                    )
                )
            if agency.address:
                lineage = lineage_for(agency, "supervision", "letter")
                supervision.append(
                    (
                        lineage,
                        SupervisionChannel(
                            **self.base(agency, lineage),
                            kind=SupervisionChannel.Kind.LETTER,
                            name="来信来访",
                            description=(
                                f"可以来信或者到{agency.name}反映；也可以向{government}"
                                "司法行政部门（行政执法监督机构）反映。"
                            ),
                            address=agency.address,
                        ),
                    )
                )
        self.write(RemedyChannel, remedies)
        self.write(SupervisionChannel, supervision)


def seed_catalog(agencies: Iterable[Agency], *, stdout: Writer | None = None) -> CatalogSeedResult:
    """Write the lists of every agency in `agencies` that has a department template; skip
    what is already there (see the module docstring)."""
    started = time.perf_counter()
    result = CatalogSeedResult()
    plans: list[tuple[Agency, DepartmentLists]] = []
    seen: set[int] = set()
    if isinstance(agencies, QuerySet):
        agencies = agencies.select_related("jurisdiction")
    for agency in agencies:
        if agency.pk in seen:
            continue
        seen.add(agency.pk)
        dept = department_for(agency.name)
        if dept is None or agency.status != Agency.Status.ACTIVE:
            result.skipped_agencies += 1
            continue
        plans.append((agency, dept))
    plans.sort(key=lambda plan: plan[0].pk)
    result.agencies = len(plans)
    profiles = _Profiles()
    with transaction.atomic():
        for chunk in _chunks(plans, CHUNK_SIZE):
            work = _Chunk(chunk, profiles, result)
            work.powers()
            work.discretion()
            work.guides()
            work.randoms()
            work.av_matters()
            work.channels()
    result.elapsed = time.perf_counter() - started
    if stdout is not None:
        for line in result.summary():
            stdout.write(line + "\n")
    return result
