"""Writes for 双随机、一公开. One function per business action: keyword-only, atomic, checking
the actor may act for the agency, writing exactly one ledger entry of its own in the same
transaction (``create_inspection_tasks`` also lets ``cases.services.open_case`` write one per
case it opens). A refused action raises and, the transaction rolled back, changes nothing.

The draw is two actions, so that the seed is fixed before anyone can know the result
(随机抽取检查对象、随机选派执法检查人员, 002 第十三条):

1. ``fix_seed`` draws a fresh 256-bit seed with ``secrets`` and writes it to the ledger,
   with the candidate lists (targets, inspectors, conflicts) and their digests, and commits.
2. ``run_draw`` computes the draw from exactly what was fixed (``algorithm.draw``) and writes
   the result and its digest to the ledger. Anyone can re-run it from the published seed and
   lists (``sanxiang draw_verify``, the portal's verification page).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sanxiang.cases import services as case_services
from sanxiang.cases.models import Case
from sanxiang.catalog import selectors as catalog_selectors
from sanxiang.catalog.models import RandomInspectionItem
from sanxiang.core.validators import mask_identifier, normalize_id_number, normalize_uscc
from sanxiang.org.models import Agency, Officer, Unit, User
from sanxiang.records import ledger

from . import algorithm, selectors
from .models import (
    DRAW_RULE,
    LIST_RULE,
    MIN_INSPECTORS,
    MIN_INSPECTORS_RULE,
    Draw,
    DrawInspector,
    DrawResult,
    InspectionTarget,
    InspectionTask,
    InspectorConflict,
    InspectorExclusion,
    RandomInspection,
)

# A draw's candidate lists are kept whole (in the Draw row and in the ledger entry), so they
# are bounded; a larger population is split by category or area into several plans.
MAX_CANDIDATE_TARGETS = 50_000
MAX_IMPORT_ERRORS = 50
IMPORT_BATCH = 500
IMPORT_COLUMNS = (
    "类型",
    "名称",
    "统一社会信用代码",
    "身份证号码",
    "法定代表人",
    "地址",
    "行业类别",
)
KIND_BY_LABEL = {label: value for value, label in InspectionTarget.Kind.choices}
PARTY_KIND = {
    InspectionTarget.Kind.LEGAL_PERSON: "legal_person",
    InspectionTarget.Kind.OTHER: "other_organisation",
    InspectionTarget.Kind.INDIVIDUAL_BUSINESS: "other_organisation",
    InspectionTarget.Kind.NATURAL_PERSON: "natural_person",
}


def pct(value: Decimal) -> str:
    """20.00 -> "20", 12.50 -> "12.5"."""
    return f"{value.normalize():f}"


def _deny_outside(actor: User | None, agency: Agency) -> None:
    if actor is None:  # the command line (a trusted operator on the server)
        return
    if not selectors.can_manage(actor, agency):
        raise PermissionDenied(
            f"您无权管理“{agency.name}”的双随机抽查：只有本机关负责人和承办机构负责人可以操作。"
        )


def _target_snapshot(target: InspectionTarget) -> dict[str, Any]:
    values = ledger.snapshot(target, exclude=("created_at",))
    if values.get("id_number"):
        values["id_number"] = mask_identifier(values["id_number"], 4, 4)
    return values


# ------------------------------------------------------------------ 检查对象名录库


@dataclass(frozen=True)
class TargetInput:
    kind: str
    name: str
    category: str
    uscc: str = ""
    id_number: str = ""
    representative: str = ""
    address: str = ""


def _clean_target(agency: Agency, data: TargetInput) -> tuple[InspectionTarget, list[str]]:
    """The unsaved target and the problems with it (Chinese, one per field)."""
    errors: list[str] = []
    kind = data.kind.strip()
    if kind in KIND_BY_LABEL:
        kind = KIND_BY_LABEL[kind]
    if kind not in InspectionTarget.Kind.values:
        labels = "、".join(KIND_BY_LABEL)
        errors.append(f"对象类型“{data.kind}”无效，应为{labels}之一")
    name = data.name.strip()
    if not name:
        errors.append("名称或姓名不能为空")
    elif len(name) > 128:
        errors.append("名称或姓名不能超过128个字")
    category = data.category.strip()
    if not category:
        errors.append("行业类别不能为空")
    elif len(category) > 64:
        errors.append("行业类别不能超过64个字")
    uscc = ""
    id_number = ""
    if kind == InspectionTarget.Kind.NATURAL_PERSON:
        if data.uscc.strip():
            errors.append("自然人不登记统一社会信用代码")
        if not data.id_number.strip():
            errors.append("检查对象为自然人的，应当登记身份证号码")
        else:
            try:
                id_number = normalize_id_number(data.id_number)
            except ValidationError as exc:
                errors.extend(exc.messages)
    elif kind in InspectionTarget.Kind.values:
        if data.id_number.strip():
            errors.append("单位或个体工商户不登记身份证号码")
        if not data.uscc.strip():
            errors.append("检查对象为单位或个体工商户的，应当登记统一社会信用代码")
        else:
            try:
                uscc = normalize_uscc(data.uscc)
            except ValidationError as exc:
                errors.extend(exc.messages)
    representative = data.representative.strip()
    if kind == InspectionTarget.Kind.LEGAL_PERSON and not representative:
        errors.append("检查对象为法人的，应当登记法定代表人")
    if len(representative) > 32:
        errors.append("法定代表人不能超过32个字")
    address = data.address.strip()
    if len(address) > 255:
        errors.append("地址不能超过255个字")
    target = InspectionTarget(
        agency=agency,
        kind=kind,
        name=name,
        uscc=uscc,
        id_number=id_number,
        representative=representative,
        address=address,
        category=category,
    )
    return target, errors


def _duplicates(agency: Agency, rows: list[InspectionTarget]) -> tuple[set[str], set[str]]:
    usccs = [r.uscc for r in rows if r.uscc]
    ids = [r.id_number for r in rows if r.id_number]
    existing = InspectionTarget.objects.filter(agency=agency)
    return (
        set(existing.filter(uscc__in=usccs).values_list("uscc", flat=True)) if usccs else set(),
        set(existing.filter(id_number__in=ids).values_list("id_number", flat=True))
        if ids
        else set(),
    )


@transaction.atomic
def create_target(*, actor: User, agency: Agency, data: TargetInput) -> InspectionTarget:
    """Add one target to the agency's 检查对象名录库."""
    _deny_outside(actor, agency)
    target, errors = _clean_target(agency, data)
    if not errors:
        dup_uscc, dup_id = _duplicates(agency, [target])
        if dup_uscc:
            errors.append(f"统一社会信用代码{target.uscc}已在名录库中")
        if dup_id:
            errors.append("该身份证号码的检查对象已在名录库中")
    if errors:
        raise ValidationError(errors)
    target.created_by = actor
    target.save()
    ledger.record(
        "inspections.create_target", actor=actor, obj=target, target=_target_snapshot(target)
    )
    return target


@dataclass(frozen=True)
class ImportSummary:
    created: int
    sha256: str


def _csv_rows(stream: IO[str]) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(stream)
    header = next(reader, None)
    if header is None:
        raise ValidationError("文件为空：第1行应为表头（" + "、".join(IMPORT_COLUMNS) + "）。")
    header = [h.strip().lstrip("\ufeff") for h in header]
    missing = [c for c in IMPORT_COLUMNS if c not in header]
    if missing:
        raise ValidationError(
            f"第1行：表头缺少“{'、'.join(missing)}”列（应为{'、'.join(IMPORT_COLUMNS)}）。"
        )
    index = {name: header.index(name) for name in IMPORT_COLUMNS}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        yield line, {name: (row[i] if i < len(row) else "") for name, i in index.items()}


class _HashingReader:
    """Feeds csv.reader line by line while hashing what it read (for the ledger)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.sha = hashlib.sha256()

    def __iter__(self) -> Iterator[str]:
        for line in self.stream:
            self.sha.update(line.encode("utf-8"))
            yield line


@transaction.atomic
def import_targets(*, actor: User | None, agency: Agency, stream: IO[str]) -> ImportSummary:
    """Import targets from a CSV file (UTF-8, header row ``类型,名称,统一社会信用代码,身份证号码,
    法定代表人,地址,行业类别``). Every row is checked; any error refuses the whole file, with
    the line numbers. Rows are written in batches as they are read (the file is streamed),
    and the transaction is rolled back if any row fails."""
    _deny_outside(actor, agency)
    reader = _HashingReader(stream)
    errors: list[str] = []
    seen_uscc: dict[str, int] = {}
    seen_id: dict[str, int] = {}
    batch: list[tuple[int, InspectionTarget]] = []
    created = 0

    def flush() -> None:
        nonlocal created
        dup_uscc, dup_id = _duplicates(agency, [t for _, t in batch])
        good = []
        for line, target in batch:
            if target.uscc in dup_uscc:
                errors.append(f"第{line}行：统一社会信用代码{target.uscc}已在名录库中")
            elif target.id_number in dup_id:
                errors.append(f"第{line}行：该身份证号码的检查对象已在名录库中")
            else:
                good.append(target)
        if not errors:
            InspectionTarget.objects.bulk_create(good)
            created += len(good)
        batch.clear()

    for line, row in _csv_rows(reader):  # type: ignore[arg-type]
        target, problems = _clean_target(
            agency,
            TargetInput(
                kind=row["类型"],
                name=row["名称"],
                uscc=row["统一社会信用代码"],
                id_number=row["身份证号码"],
                representative=row["法定代表人"],
                address=row["地址"],
                category=row["行业类别"],
            ),
        )
        if target.uscc and target.uscc in seen_uscc:
            problems.append(f"统一社会信用代码{target.uscc}与第{seen_uscc[target.uscc]}行重复")
        if target.id_number and target.id_number in seen_id:
            problems.append(f"身份证号码与第{seen_id[target.id_number]}行重复")
        if target.uscc:
            seen_uscc.setdefault(target.uscc, line)
        if target.id_number:
            seen_id.setdefault(target.id_number, line)
        errors.extend(f"第{line}行：{p}" for p in problems)
        if len(errors) >= MAX_IMPORT_ERRORS:
            errors.append(f"错误超过{MAX_IMPORT_ERRORS}处，已停止检查，请改正后重新导入。")
            break
        target.created_by = actor
        batch.append((line, target))
        if len(batch) >= IMPORT_BATCH:
            flush()
    if batch and len(errors) < MAX_IMPORT_ERRORS:
        flush()
    if errors:
        transaction.set_rollback(True)
        raise ValidationError([*errors, "整个文件均未导入。"])
    if created == 0:
        raise ValidationError("文件中没有检查对象（第1行为表头，其后每行一个对象）。")
    summary = ImportSummary(created, reader.sha.hexdigest())
    ledger.record(
        "inspections.import_targets",
        actor=actor,
        obj=agency,
        label=None if actor is not None else "命令行导入",
        created=created,
        file_sha256=summary.sha256,
    )
    return summary


@transaction.atomic
def set_target_active(
    *, actor: User, target: InspectionTarget, active: bool, reason: str
) -> InspectionTarget:
    """Take a target out of the registry (closed down, moved away…) or back in."""
    _deny_outside(actor, target.agency)
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写出库或入库的原因。")
    target = InspectionTarget.objects.select_for_update().get(pk=target.pk)
    if target.is_active == active:
        raise ValidationError("检查对象已在库。" if active else "检查对象已出库。")
    target.is_active = active
    target.status_reason = reason[:255]
    target.save(update_fields=["is_active", "status_reason"])
    ledger.record(
        "inspections.set_target_active",
        actor=actor,
        obj=target,
        is_active=active,
        reason=target.status_reason,
    )
    return target


# ------------------------------------------------------------------ 执法检查人员名录库, 回避


def _own_officer(actor: User, officer: Officer) -> None:
    _deny_outside(actor, officer.agency)


@transaction.atomic
def exclude_inspector(
    *, actor: User, officer: Officer, reason: str, excluded_from: datetime.date | None = None
) -> InspectorExclusion:
    """Keep an officer out of the draws (long leave, secondment, under investigation…)."""
    _own_officer(actor, officer)
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写排除原因。")
    day = excluded_from or timezone.localdate()
    if selectors.exclusions_in_force(day).filter(officer=officer).exists():
        raise ValidationError(f"{officer.name}已被排除在执法检查人员名录库之外。")
    row = InspectorExclusion(
        officer=officer, reason=reason[:255], excluded_from=day, created_by=actor
    )
    row.save()
    ledger.record("inspections.exclude_inspector", actor=actor, obj=row, **ledger.snapshot(row))
    return row


@transaction.atomic
def lift_exclusion(
    *, actor: User, exclusion: InspectorExclusion, reason: str
) -> InspectorExclusion:
    _own_officer(actor, exclusion.officer)
    exclusion = InspectorExclusion.objects.select_for_update().get(pk=exclusion.pk)
    if exclusion.lifted_on is not None:
        raise ValidationError("该排除已恢复。")
    if not reason.strip():
        raise ValidationError("请填写恢复原因。")
    today = timezone.localdate()
    exclusion.lifted_on = max(today, exclusion.excluded_from)
    exclusion.lifted_reason = reason.strip()[:255]
    exclusion.save(update_fields=["lifted_on", "lifted_reason"])
    ledger.record(
        "inspections.lift_exclusion",
        actor=actor,
        obj=exclusion,
        lifted_on=exclusion.lifted_on,
        reason=exclusion.lifted_reason,
    )
    return exclusion


@transaction.atomic
def declare_conflict(
    *, actor: User, officer: Officer, target: InspectionTarget, reason: str
) -> InspectorConflict:
    """回避: the officer is never paired with the target while the conflict stands."""
    _own_officer(actor, officer)
    if target.agency_id != officer.agency_id:
        raise ValidationError("执法人员与检查对象不属于同一执法主体。")
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写回避原因。")
    if InspectorConflict.objects.filter(
        officer=officer, target=target, withdrawn_on__isnull=True
    ).exists():
        raise ValidationError(f"{officer.name}与{target.name}的回避关系已登记。")
    row = InspectorConflict(
        officer=officer,
        target=target,
        reason=reason[:255],
        declared_on=timezone.localdate(),
        created_by=actor,
    )
    row.save()
    ledger.record("inspections.declare_conflict", actor=actor, obj=row, **ledger.snapshot(row))
    return row


@transaction.atomic
def withdraw_conflict(
    *, actor: User, conflict: InspectorConflict, reason: str
) -> InspectorConflict:
    _own_officer(actor, conflict.officer)
    conflict = InspectorConflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.withdrawn_on is not None:
        raise ValidationError("该回避关系已撤销。")
    if not reason.strip():
        raise ValidationError("请填写撤销原因。")
    conflict.withdrawn_on = timezone.localdate()
    conflict.withdrawn_reason = reason.strip()[:255]
    conflict.save(update_fields=["withdrawn_on", "withdrawn_reason"])
    ledger.record(
        "inspections.withdraw_conflict",
        actor=actor,
        obj=conflict,
        withdrawn_on=conflict.withdrawn_on,
        reason=conflict.withdrawn_reason,
    )
    return conflict


# ------------------------------------------------------------------ 抽查计划


@transaction.atomic
def plan_inspection(
    *,
    actor: User,
    agency: Agency,
    matter: RandomInspectionItem,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    target_category: str,
    ratio: Decimal | None = None,
    ratio_reason: str = "",
    inspectors_per_target: int = MIN_INSPECTORS,
) -> RandomInspection:
    """Plan a random inspection of a published 随机抽查事项. The ratio is the published one
    (抽查比例, 000 公示办法 第十条; 001 河南公示办法 第十一条; 002 第十三条); a plan may
    raise it, with a reason, never lower it."""
    _deny_outside(actor, agency)
    today = timezone.localdate()
    errors: list[str] = []
    if matter.agency_id != agency.pk:
        raise ValidationError(f"随机抽查事项“{matter.name}”不属于{agency.name}。")
    in_force = catalog_selectors.in_force(RandomInspectionItem, on=today, agency=agency)
    if not in_force.filter(pk=matter.pk).exists():
        errors.append(f"随机抽查事项“{matter.name}”今日不在有效期内，不能据以抽查（{LIST_RULE}）。")
    title = title.strip()
    if not title:
        errors.append("请填写抽查任务名称。")
    if period_end < period_start:
        errors.append("抽查期间的截止日期不能早于起始日期。")
    if period_end < today:
        errors.append("抽查期间已经结束。")
    if not target_category.strip():
        errors.append("请填写检查对象行业类别。")
    if ratio is None:
        ratio = matter.ratio
    ratio_reason = ratio_reason.strip()
    if ratio < matter.ratio:
        errors.append(
            f"抽查比例不得低于随机抽查事项清单公示的{pct(matter.ratio)}%（{LIST_RULE}）。"
        )
    elif ratio > Decimal(100):
        errors.append("抽查比例不能超过100%。")
    elif ratio > matter.ratio and not ratio_reason:
        errors.append(f"抽查比例高于清单公示的{pct(matter.ratio)}%，请说明理由。")
    if inspectors_per_target < MIN_INSPECTORS:
        errors.append(f"每个检查对象至少选派{MIN_INSPECTORS}名执法人员（{MIN_INSPECTORS_RULE}）。")
    if errors:
        raise ValidationError(errors)
    plan = RandomInspection(
        agency=agency,
        matter=matter,
        title=title[:255],
        period_start=period_start,
        period_end=period_end,
        target_category=target_category.strip()[:64],
        ratio=ratio,
        ratio_reason=ratio_reason[:255] if ratio != matter.ratio else "",
        inspectors_per_target=inspectors_per_target,
        created_by=actor,
    )
    plan.save()
    ledger.record(
        "inspections.plan",
        actor=actor,
        obj=plan,
        plan=ledger.snapshot(plan, exclude=("created_at",)),
    )
    return plan


# ------------------------------------------------------------------ the draw


@transaction.atomic
def fix_seed(*, actor: User, inspection: RandomInspection) -> Draw:
    """Step 1 of a draw: a fresh 256-bit seed and the candidate lists, written to the ledger
    (and committed) before the draw is computed (002 第十三条)."""
    _deny_outside(actor, inspection.agency)
    inspection = RandomInspection.objects.select_for_update().get(pk=inspection.pk)
    today = timezone.localdate()
    live = inspection.draws.exclude(status=Draw.Status.ABANDONED).first()
    if live is not None:
        raise ValidationError(f"该抽查计划已有{live.get_status_display()}的抽取（#{live.pk}）。")
    if inspection.period_end < today:
        raise ValidationError("抽查期间已经结束，不能再抽取。")
    total = selectors.candidate_targets(inspection).count()
    if total == 0:
        raise ValidationError(
            f"检查对象名录库中没有行业类别为“{inspection.target_category}”的在库对象，无从抽取。"
        )
    if total > MAX_CANDIDATE_TARGETS:
        raise ValidationError(
            f"待抽取对象{total}个，超过单次抽取上限{MAX_CANDIDATE_TARGETS}个，请按区域或类别分别制定计划。"
        )
    target_ids = list(selectors.candidate_targets(inspection).values_list("id", flat=True))
    inspector_ids = list(
        selectors.inspector_registry(inspection.agency, today).values_list("id", flat=True)
    )
    per_target = inspection.inspectors_per_target
    if len(inspector_ids) < per_target:
        raise ValidationError(
            f"执法检查人员名录库中今日持有效执法证的人员只有{len(inspector_ids)}名，"
            f"每个检查对象至少需要{per_target}名（{MIN_INSPECTORS_RULE}）。"
        )
    registry = set(inspector_ids)
    pairs = [
        [o, t]
        for o, t in selectors.candidate_conflicts(inspection).values_list("officer_id", "target_id")
        if o in registry
    ]
    seed = secrets.token_hex(algorithm.SEED_BYTES)
    now = timezone.now()
    draw = Draw(
        inspection=inspection,
        agency=inspection.agency,
        status=Draw.Status.SEED_FIXED,
        algorithm=algorithm.ALGORITHM,
        seed=seed,
        draw_date=today,
        ratio=inspection.ratio,
        per_target=per_target,
        target_count=len(target_ids),
        selected_count=algorithm.selected_count(len(target_ids), inspection.ratio),
        target_ids=target_ids,
        target_digest=algorithm.list_digest(target_ids),
        inspector_ids=inspector_ids,
        inspector_digest=algorithm.list_digest(inspector_ids),
        conflict_pairs=pairs,
        conflict_digest=algorithm.conflict_digest(pairs),
        seed_entry_seq=0,
        seed_fixed_at=now,
        seed_fixed_by=actor,
    )
    draw.save()
    entry = ledger.record(
        "inspections.fix_seed",
        actor=actor,
        obj=draw,
        **seed_payload(draw),
    )
    Draw.objects.filter(pk=draw.pk).update(seed_entry_seq=entry.seq)
    draw.seed_entry_seq = entry.seq
    return draw


def seed_payload(draw: Draw) -> dict[str, Any]:
    """What the fix_seed entry records (and `verify` compares with the Draw row)."""
    return {
        "inspection_id": draw.inspection_id,
        "algorithm": draw.algorithm,
        "seed": draw.seed,
        "draw_date": draw.draw_date,
        "ratio": draw.ratio,
        "per_target": draw.per_target,
        "target_count": draw.target_count,
        "selected_count": draw.selected_count,
        "target_ids": draw.target_ids,
        "target_digest": draw.target_digest,
        "inspector_ids": draw.inspector_ids,
        "inspector_digest": draw.inspector_digest,
        "conflict_pairs": draw.conflict_pairs,
        "conflict_digest": draw.conflict_digest,
    }


def _lock_draw(draw: Draw) -> Draw:
    return Draw.objects.select_for_update().select_related("inspection__matter").get(pk=draw.pk)


@transaction.atomic
def run_draw(*, actor: User, draw: Draw) -> Draw:
    """Step 2: compute the draw from the fixed seed and lists and record the result."""
    _deny_outside(actor, draw.agency)
    draw = _lock_draw(draw)
    if draw.status != Draw.Status.SEED_FIXED:
        raise ValidationError(f"该抽取{draw.get_status_display()}，不能再次抽取。")
    try:
        picks = algorithm.draw(
            seed_hex=draw.seed,
            target_ids=draw.target_ids,
            inspector_ids=draw.inspector_ids,
            conflict_pairs=draw.conflict_pairs,
            ratio=draw.ratio,
            per_target=draw.per_target,
        )
    except algorithm.DrawInfeasible as exc:
        target = InspectionTarget.objects.filter(pk=exc.target_id).first()
        name = target.name if target is not None else f"id {exc.target_id}"
        raise ValidationError(
            f"抽取失败：检查对象“{name}”排除回避后可选派的检查人员只有{exc.available}名，"
            f"不足{exc.needed}名（{MIN_INSPECTORS_RULE}；{DRAW_RULE}）。未保存任何抽取结果；"
            f"请补充执法检查人员后作废本次抽取并重新固定随机种子。"
        ) from None
    for start in range(0, len(picks), 1000):
        chunk = picks[start : start + 1000]
        results = DrawResult.objects.bulk_create(
            [DrawResult(draw=draw, position=p.position, target_id=p.target_id) for p in chunk]
        )
        DrawInspector.objects.bulk_create(
            [
                DrawInspector(result=result, order=order, officer_id=officer)
                for result, p in zip(results, chunk, strict=True)
                for order, officer in enumerate(p.inspector_ids, start=1)
            ]
        )
    digest = algorithm.result_digest(picks)
    now = timezone.now()
    entry = ledger.record(
        "inspections.run_draw",
        actor=actor,
        obj=draw,
        seed_entry_seq=draw.seed_entry_seq,
        algorithm=draw.algorithm,
        result_digest=digest,
        results=[[p.position, p.target_id, list(p.inspector_ids)] for p in picks],
    )
    Draw.objects.filter(pk=draw.pk).update(
        status=Draw.Status.DRAWN,
        drawn_at=now,
        drawn_by=actor,
        result_digest=digest,
        draw_entry_seq=entry.seq,
    )
    draw.refresh_from_db()
    return draw


@transaction.atomic
def abandon_draw(*, actor: User, draw: Draw, reason: str) -> Draw:
    """Void a draw whose seed is fixed but which could not be run (it stays published)."""
    _deny_outside(actor, draw.agency)
    draw = _lock_draw(draw)
    if draw.status != Draw.Status.SEED_FIXED:
        raise ValidationError("只有尚未抽取的抽取可以作废；已抽取的结果不能作废。")
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写作废原因（将与抽取一并公示）。")
    Draw.objects.filter(pk=draw.pk).update(
        status=Draw.Status.ABANDONED, abandoned_reason=reason[:255]
    )
    draw.refresh_from_db()
    ledger.record("inspections.abandon_draw", actor=actor, obj=draw, reason=draw.abandoned_reason)
    return draw


def _party(target: InspectionTarget) -> case_services.PartyInput:
    return case_services.PartyInput(
        kind=PARTY_KIND[InspectionTarget.Kind(target.kind)],
        name=target.name,
        uscc=target.uscc,
        id_number=target.id_number,
        representative=target.representative,
        address=target.address,
    )


@transaction.atomic
def create_inspection_tasks(*, actor: User, draw: Draw, unit: Unit) -> list[Case]:
    """Open one inspection case per drawn target, with its paired inspectors (the first
    leads) and the matter's 权责清单事项, in the inspection procedure."""
    _deny_outside(actor, draw.agency)
    draw = _lock_draw(draw)
    if draw.status != Draw.Status.DRAWN:
        raise ValidationError("尚未抽取，不能派发检查任务。")
    if selectors.has_tasks(draw):
        raise ValidationError("本次抽取的检查任务已经派发。")
    inspection = draw.inspection
    matter = inspection.matter
    today = timezone.localdate()
    cases: list[Case] = []
    for row in selectors.result_rows(selectors.draw_results(draw).iterator()):
        result = row.result
        officers = [i.officer for i in row.inspectors]
        try:
            case = case_services.open_case(
                actor=actor,
                agency=draw.agency,
                unit=unit,
                action_type="inspection",
                title=f"{result.target.name}{matter.name}（双随机抽查）"[:255],
                source=case_services.SourceInput(
                    kind="inspection",
                    received_on=today,
                    summary=(
                        f"“双随机、一公开”抽查：{inspection.title}，抽取 #{draw.pk} "
                        f"第{result.position}号，随机抽查事项“{matter.name}”"
                    ),
                ),
                parties=[_party(result.target)],
                officers=officers,
                matter=matter.power_item,
            )
        except ValidationError as exc:
            raise ValidationError(
                [f"第{result.position}号“{result.target.name}”：{m}" for m in exc.messages]
                + ["未派发任何检查任务。"]
            ) from None
        InspectionTask.objects.create(result=result, case=case)
        cases.append(case)
    ledger.record(
        "inspections.create_tasks",
        actor=actor,
        obj=draw,
        unit_id=unit.pk,
        tasks=[[c.pk, c.number] for c in cases],
    )
    return cases
