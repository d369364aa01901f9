"""Confidentiality marks, look-up and copy requests, and the logged opening of marked items.

Every function is one business action in one transaction with one ledger entry. Opening an
item (``open_item``) writes ``access.view`` / ``access.download`` for a marked item and
``access.denied`` when refused; the refusal entry commits (the caller raises afterwards),
so a refused read is on the ledger too (DESIGN: every read of a confidential record and
every download of evidence is logged).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sanxiang.cases.models import AVRecording, Case, Evidence, Record
from sanxiang.org.models import Role, User
from sanxiang.records import ledger

from . import selectors as sel
from .models import AccessRequest, AccessRequestItem, ConfidentialityMark, Level, TargetKind
from .selectors import Decision, Item

REASON_MAX = 2000


def _item_of(case: Case, kind: str, pk: int) -> Item:
    item: Item | None
    if kind == TargetKind.RECORD:
        item = Record.objects.filter(case=case, pk=pk).first()
    elif kind == TargetKind.EVIDENCE:
        item = Evidence.objects.filter(case=case, pk=pk).first()
    else:
        item = AVRecording.objects.filter(case=case, pk=pk).first()
    if item is None:
        raise ValidationError({"items": f"本案没有{sel.item_label(kind, pk)}。"})
    return item


def _reason(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message})
    if len(text) > REASON_MAX:
        raise ValidationError({field: f"内容过长（不超过{REASON_MAX}字）。"})
    return text


# ------------------------------------------------------------------ marks


@transaction.atomic
def set_mark(*, actor: User, item: Item, level: str, reason: str) -> ConfidentialityMark:
    """Mark an item 国家秘密/商业秘密/个人隐私 (001 河南全过程记录办法 第二十五条) or 依法不予公开
    (002 第四十四条): those handling the case may."""
    case = item.case
    if level not in Level.values or level == Level.LIFTED:
        raise ValidationError(
            {"level": "请选择保密标识：国家秘密、商业秘密、个人隐私或依法不予公开。"}
        )
    if not sel.may_mark(actor, case):
        raise PermissionDenied(
            "只有本案承办人员、承办机构负责人和机关负责人可以标注保密标识"
            f"（{sel.mark_rule_source(case)}）。"
        )
    reason = _reason(reason, "reason", "请填写标注理由（例如涉及的商业秘密内容）。")
    kind = sel.kind_of(item)
    current = sel.current_mark(kind, item.pk)
    if current is not None and current.level == level:
        raise ValidationError(
            {"level": f"{sel.item_label(kind, item.pk)}已标注为“{current.get_level_display()}”。"}
        )
    mark = ConfidentialityMark.objects.create(
        case=case, target_kind=kind, target_id=item.pk, level=level, reason=reason, set_by=actor
    )
    ledger.record(
        "access.mark",
        actor=actor,
        obj=mark,
        case_id=case.pk,
        item=sel.item_ref(kind, item.pk),
        level=level,
        previous=current.level if current is not None else "",
        reason=reason,
    )
    return mark


@transaction.atomic
def lift_mark(*, actor: User, item: Item, reason: str) -> ConfidentialityMark:
    """Lift the mark: a new entry, the history stays. The agency head decides."""
    case = item.case
    kind = sel.kind_of(item)
    current = sel.current_mark(kind, item.pk)
    if current is None:
        raise ValidationError({"level": f"{sel.item_label(kind, item.pk)}没有保密标识。"})
    if not sel.may_lift(actor, case):
        raise PermissionDenied(
            "解除保密标识须由机关负责人决定（调阅、复制亦须经行政执法机关负责人批准，"
            f"{sel.approval_rule_source(case)}）。"
        )
    reason = _reason(reason, "reason", "请填写解除理由。")
    mark = ConfidentialityMark.objects.create(
        case=case,
        target_kind=kind,
        target_id=item.pk,
        level=Level.LIFTED,
        reason=reason,
        set_by=actor,
    )
    ledger.record(
        "access.lift_mark",
        actor=actor,
        obj=mark,
        case_id=case.pk,
        item=sel.item_ref(kind, item.pk),
        previous=current.level,
        reason=reason,
    )
    return mark


# ------------------------------------------------------------------ requests


@transaction.atomic
def file_request(
    *,
    actor: User,
    case: Case,
    items: Sequence[tuple[str, int]],
    purpose: str,
    reason: str,
    days: int,
    requester_name: str = "",
) -> AccessRequest:
    """申请调阅/复制: the items of one case, the reason and the days asked for. A records
    custodian may register it for an outside requester (``requester_name``, e.g. a court)."""
    if actor.agency_id != case.agency_id:
        raise PermissionDenied("只能申请调阅、复制本执法主体的执法记录。")
    reason = _reason(
        reason,
        "reason",
        "请填写申请理由：调阅、复制须确有必要（001 河南全过程记录办法 第二十四条）。",
    )
    if purpose not in AccessRequest.Purpose.values:
        raise ValidationError({"purpose": "请选择申请事项：调阅或复制。"})
    limit = sel.max_days()
    if not 1 <= days <= limit:
        raise ValidationError({"days": f"申请期限应为1至{limit}天。"})
    keys = list(dict.fromkeys((str(k), int(pk)) for k, pk in items))
    if not keys:
        raise ValidationError({"items": "请选择要调阅或复制的材料。"})
    if len(keys) > 200:
        raise ValidationError({"items": "一次申请最多200项材料。"})
    for kind, pk in keys:
        if kind not in TargetKind.values:
            raise ValidationError({"items": f"未知的材料类型：{kind}。"})
        _item_of(case, kind, pk)
    on_behalf = bool(requester_name.strip())
    if on_behalf and not actor.has_role(Role.RECORDS_CUSTODIAN):
        raise PermissionDenied("只有档案管理员可以代外单位或个人登记调阅、复制申请。")
    name = requester_name.strip() or actor.full_name or actor.username
    request = AccessRequest.objects.create(
        case=case,
        requester=actor,
        requester_name=name[:128],
        on_behalf=on_behalf,
        purpose=purpose,
        reason=reason,
        requested_days=days,
    )
    AccessRequestItem.objects.bulk_create(
        [AccessRequestItem(request=request, target_kind=k, target_id=pk) for k, pk in keys]
    )
    ledger.record(
        "access.request",
        actor=actor,
        obj=request,
        case_id=case.pk,
        number=request.number,
        purpose=purpose,
        requester_name=request.requester_name,
        on_behalf=on_behalf,
        items=[sel.item_ref(k, pk) for k, pk in keys],
        reason=reason,
        days=days,
    )
    return request


def _locked_pending(request: AccessRequest) -> AccessRequest:
    locked = (
        AccessRequest.objects.select_for_update().select_related("case__agency").get(pk=request.pk)
    )
    if locked.status != AccessRequest.Status.PENDING:
        raise ValidationError(
            f"申请 {locked.number} 的状态为“{locked.get_status_display()}”，不能再审批。"
        )
    return locked


def _check_head(actor: User, request: AccessRequest) -> None:
    case = request.case
    source = sel.approval_rule_source(case)
    if request.requester_id == actor.pk:
        raise PermissionDenied(
            f"不能审批本人提出的调阅、复制申请（{source}：应当经行政执法机关负责人批准）。"
        )
    if not sel.is_agency_head(actor, case):
        raise PermissionDenied(f"调阅、复制执法记录须经行政执法机关负责人批准（{source}）。")


@transaction.atomic
def approve_request(
    *,
    actor: User,
    request: AccessRequest,
    days: int,
    note: str = "",
    now: datetime.datetime | None = None,
) -> AccessRequest:
    """The agency head approves for ``days`` days from now (001 河南全过程记录办法 第二十四条)."""
    locked = _locked_pending(request)
    _check_head(actor, locked)
    limit = sel.max_days()
    if not 1 <= days <= limit:
        raise ValidationError({"days": f"许可期限应为1至{limit}天。"})
    now = now or timezone.now()
    locked.status = AccessRequest.Status.APPROVED
    locked.decided_by = actor
    locked.decided_at = now
    locked.decision_note = (note or "").strip()[:REASON_MAX]
    locked.valid_from = now
    locked.valid_until = now + datetime.timedelta(days=days)
    locked.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "valid_from",
            "valid_until",
        ]
    )
    ledger.record(
        "access.approve",
        actor=actor,
        obj=locked,
        case_id=locked.case_id,
        number=locked.number,
        days=days,
        valid_from=locked.valid_from,
        valid_until=locked.valid_until,
        note=locked.decision_note,
        rule=sel.approval_rule_source(locked.case),
    )
    return locked


@transaction.atomic
def refuse_request(*, actor: User, request: AccessRequest, note: str) -> AccessRequest:
    """The agency head refuses, in writing."""
    locked = _locked_pending(request)
    _check_head(actor, locked)
    note = _reason(note, "note", "不予批准的，请写明理由。")
    locked.status = AccessRequest.Status.REFUSED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    ledger.record(
        "access.refuse",
        actor=actor,
        obj=locked,
        case_id=locked.case_id,
        number=locked.number,
        note=note,
        rule=sel.approval_rule_source(locked.case),
    )
    return locked


@transaction.atomic
def revoke_grant(*, actor: User, request: AccessRequest, reason: str) -> AccessRequest:
    """The agency head ends an approval before it runs out."""
    locked = (
        AccessRequest.objects.select_for_update().select_related("case__agency").get(pk=request.pk)
    )
    if not sel.is_agency_head(actor, locked.case):
        raise PermissionDenied(
            f"只有机关负责人可以撤销调阅、复制许可（{sel.approval_rule_source(locked.case)}）。"
        )
    if not sel.in_force(locked):
        raise ValidationError(f"申请 {locked.number} 没有仍在有效期内的许可，无需撤销。")
    reason = _reason(reason, "reason", "请填写撤销理由。")
    locked.status = AccessRequest.Status.REVOKED
    locked.revoked_by = actor
    locked.revoked_at = timezone.now()
    locked.revoke_reason = reason
    locked.save(update_fields=["status", "revoked_by", "revoked_at", "revoke_reason"])
    ledger.record(
        "access.revoke",
        actor=actor,
        obj=locked,
        case_id=locked.case_id,
        number=locked.number,
        reason=reason,
    )
    return locked


# ------------------------------------------------------------------ reads


HOW_LABELS = {
    "view": "在线查阅",
    "pdf": "下载文书PDF",
    "download": "下载文件",
}


@transaction.atomic
def open_item(
    *, actor: User, item: Item, how: str, where: str = "workbench", copy: bool = False
) -> Decision:
    """Decide and log one read of an item: ``how`` is view / pdf / download; ``copy`` asks
    for a copy grant (a file download). Unmarked items: nothing is written here (file
    downloads keep cases.download_file). Marked: ``access.view`` or ``access.download``
    with who, the basis (entitlement or grant number) and the watermark; refused:
    ``access.denied``. The caller refuses (403) when ``decision.allowed`` is false, after
    this transaction has committed the entry."""
    if how not in HOW_LABELS:
        raise ValueError(f"unknown access {how!r}")
    decision = sel.can_read(actor, item, copy=copy)
    if decision.mark is None:
        return decision
    case = item.case
    common: dict[str, Any] = {
        "case_id": case.pk,
        "item": decision.ref,
        "level": decision.mark.level,
        "how": how,
        "where": where,
    }
    if not decision.allowed:
        ledger.record("access.denied", actor=actor, obj=item, reason=decision.message, **common)
        return decision
    action = "access.view" if how == "view" else "access.download"
    ledger.record(
        action,
        actor=actor,
        obj=item,
        basis=decision.basis,
        grant=decision.grant.number if decision.grant is not None else "",
        watermark=decision.watermark(timezone.now()),
        **common,
    )
    return decision


@transaction.atomic
def log_case_view(*, actor: User, access: sel.CaseAccess, where: str = "workbench") -> None:
    """One entry for a page (the case page, the API trail) that shows marked items' content:
    which items, on what basis. Nothing when it shows none."""
    shown = access.shown
    if not shown:
        return
    ledger.record(
        "access.view",
        actor=actor,
        obj=access.case,
        case_id=access.case.pk,
        how="view",
        where=where,
        items=[
            {
                "item": d.ref,
                "level": d.mark.level if d.mark is not None else "",
                "basis": d.basis,
                "grant": d.grant.number if d.grant is not None else "",
            }
            for d in shown
        ],
    )


def refuse(decision: Decision) -> None:
    """Raise the 403 for a refused decision (after open_item has logged it)."""
    if not decision.allowed:
        raise PermissionDenied(decision.message)


@transaction.atomic
def log_export(*, actor: User, case: Case, what: str, items: Sequence[Decision]) -> None:
    """An export including marked items (e.g. a case file) is on the ledger."""
    ledger.record(
        "access.export",
        actor=actor,
        obj=case,
        case_id=case.pk,
        what=what,
        items=[{"item": d.ref, "basis": d.basis} for d in items if d.marked],
    )
