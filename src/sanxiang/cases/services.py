"""Writes for enforcement cases. One function per business action: keyword-only, atomic,
checking that the actor may act on the case's agency, asking the pure procedures engine
whether the action is allowed, and appending exactly one ledger entry in the same
transaction. A refused action raises (ValidationError, PermissionDenied or
ConcurrentChange) and, the transaction being rolled back, changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from sanxiang.catalog import selectors as catalog_selectors
from sanxiang.catalog.models import (
    BaseRequired,
    Circumstance,
    DiscretionStandard,
    DiscretionTier,
    PenaltyKind,
    PowerItem,
)
from sanxiang.core.rules import Period, UnknownRule, get_profile
from sanxiang.core.validators import mask_identifier
from sanxiang.org import selectors as org_selectors
from sanxiang.org.models import Agency, Officer, Role, Unit, User
from sanxiang.procedures import engine, get_procedure, procedures_for, registry
from sanxiang.procedures.guards import GUARDS, review_violations
from sanxiang.procedures.model import ACTOR_ROLES, REFUSABLE_ROLES, SIGNATURE_ROLES
from sanxiang.procedures.state import RecordSnapshot, TransitionRefused, Violation
from sanxiang.records import ledger
from sanxiang.records.models import StoredFile

from . import hooks
from .deadlines import refresh_next_due
from .models import (
    AVInterruption,
    AVRecording,
    Case,
    CaseNumberSequence,
    CaseOfficer,
    CaseSource,
    Evidence,
    Party,
    Record,
    Signature,
    StageTransition,
)
from .state import (
    HEARING_APPLICABLE_KEY,
    LARGE_AMOUNT_KEY,
    PROPOSED_KINDS_KEY,
    build_case_state,
    case_lock_reason,
    is_signed,
    load_records,
    record_snapshot,
)

ACTING_ROLES = (Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD)
CERTIFICATE_RULE = "000 公示办法 第十四条；002 第十七条；000 全过程记录办法 第十二条"
SIGNATURE_RULE = "004 第十三条；002 第四十五条"
# A penalty decision applies the published discretion standard (裁量基准), and the record of the
# decision states how (《中华人民共和国行政处罚法》第三十四条; 000 全过程记录办法 第十三条).
DISCRETION_RULE = "《中华人民共和国行政处罚法》第三十四条；000 全过程记录办法 第十三条"
HEARING_RULE = "《中华人民共和国行政处罚法》第六十三条"
COLLECTIVE_RULE = "《中华人民共和国行政处罚法》第五十七条；000 全过程记录办法 第十三条"
SOURCE_RULE = "002 第三十条"
# Fields a record kind lists that are not typed into its data: the signatures are rows.
_NOT_DATA_FIELDS = frozenset({"signatures"})


class ConcurrentChange(Exception):
    """Someone else moved the case since the actor loaded it (optimistic lock)."""

    def __init__(self, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(f"案件已被他人更新（版本{current_version}），请刷新后重试")


@dataclass(frozen=True)
class PartyInput:
    kind: str
    name: str
    id_number: str = ""
    uscc: str = ""
    representative: str = ""
    representative_id_number: str = ""
    address: str = ""
    phone: str = ""
    bank_account: str = ""
    property_certificates: str = ""


@dataclass(frozen=True)
class SourceInput:
    kind: str
    received_on: datetime.date
    summary: str
    provider_name: str = ""
    provider_contact: str = ""
    notify_required: bool = False


@dataclass(frozen=True)
class SignatureInput:
    """A signature (or, for the party or a witness, a refusal) made on the record as it is
    entered — needed for a correction in a stage already passed, which must be complete."""

    role: str
    signer_name: str
    officer: Officer | None = None
    refused: bool = False
    refusal_note: str = ""
    signed_at: datetime.datetime | None = None


# ------------------------------------------------------------------ helpers


def _refuse(violations: Iterable[Violation]) -> ValidationError:
    return ValidationError([v.message for v in violations])


def _deny_outside(actor: User, agency: Agency) -> None:
    """Officers and heads of the case's own agency act on its cases; nobody else does
    (a supervisor sees other agencies' cases but does not handle them)."""
    visible = org_selectors.agencies_visible_to(actor).filter(pk=agency.pk).exists()
    if (
        not visible
        or actor.agency_id != agency.pk
        or not any(actor.has_role(role) for role in ACTING_ROLES)
    ):
        raise PermissionDenied(
            f"您无权办理“{agency.name}”的案件：只有本执法主体的执法人员和负责人可以办理。"
        )


def _save(obj: Any) -> Any:
    obj.full_clean()
    obj.save()
    return obj


def _party_snapshot(party: Party) -> dict[str, Any]:
    values = ledger.snapshot(party)
    for key in ("id_number", "representative_id_number", "phone", "bank_account"):
        if values.get(key):
            values[key] = mask_identifier(values[key], 4, 4 if "id" in key else 2)
    values.pop("property_certificates", None)
    return values


def _valid_certificate_number(officer: Officer, on: datetime.date) -> str:
    """The number of a certificate valid on ``on``; ValidationError naming the rule if none."""
    reasons = []
    for certificate in officer.certificates.all():
        valid, reason = certificate.validity_on(on)
        if valid:
            return certificate.number
        reasons.append(f"{certificate.number}：{reason}")
    detail = "；".join(reasons) if reasons else "未持有执法证"
    raise ValidationError(
        f"执法人员{officer.name}没有有效的执法证（{detail}），不得从事执法活动（{CERTIFICATE_RULE}）"
    )


def _make_party(case: Case, data: PartyInput) -> Party:
    return _save(Party(case=case, **data.__dict__))


def _locked_sequence(agency: Agency, year: int) -> CaseNumberSequence:
    """The agency's number sequence for the year, locked until the transaction ends.

    The first case of a year creates the row. Two transactions may both find none and both
    insert it; the unique (agency, year) lets one insert win and the other fail — inside its
    own savepoint, so its transaction goes on — and the loser then locks the winner's row
    (on PostgreSQL the failing insert waits for the winner's commit, so the row is visible
    by then; SQLite serialises writers, so there is no race)."""
    rows = CaseNumberSequence.objects.select_for_update()
    found = rows.filter(agency=agency, year=year).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            CaseNumberSequence.objects.create(agency=agency, year=year)
    except IntegrityError:
        pass  # another transaction created it first
    return rows.get(agency=agency, year=year)


def _next_number(agency: Agency, year: int) -> str:
    """The next case number of the agency's year: unique and gapless under concurrency (the
    sequence row stays locked until the opening transaction commits or rolls back)."""
    sequence = _locked_sequence(agency, year)
    sequence.last = sequence.last + 1
    sequence.save(update_fields=["last"])
    short = agency.name[:2]
    return f"{short}立〔{year}〕{sequence.last}号"


def _check_dates(case: Case, made_on: datetime.date, today: datetime.date, what: str) -> None:
    if made_on > today:
        raise ValidationError(
            f"{what}（{made_on:%Y年%m月%d日}）晚于今天，不能预填日期（000 全过程记录办法 第九条）"
        )
    if made_on < case.opened_on:
        raise ValidationError(
            f"{what}（{made_on:%Y年%m月%d日}）早于案件启动日期（{case.opened_on:%Y年%m月%d日}）"
            "（000 全过程记录办法 第九条）"
        )


def _check_fields(kind_code: str, data: Mapping[str, Any], extra: Mapping[str, Any]) -> None:
    kind = registry().kinds.get(kind_code)
    if kind is None:
        raise ValidationError(f"未登记的文书种类“{kind_code}”（000 全过程记录办法 第十条）")
    missing = [
        f.label
        for f in kind.fields
        if f.name not in _NOT_DATA_FIELDS
        and data.get(f.name) in (None, "", [], {})
        and extra.get(f.name) in (None, "")
    ]
    if missing:
        raise ValidationError(
            [f"{kind.name}缺少必填事项：{label}（{kind.source}）" for label in missing]
        )


def _yuan(amount: Decimal) -> str:
    """50000 → 50,000元; 1234.5 → 1,234.50元."""
    if amount == amount.to_integral_value():
        return f"{int(amount):,}元"
    return f"{amount.quantize(Decimal('0.01')):,}元"


def _range_text(lo: Decimal, hi: Decimal | None) -> str:
    return f"{_yuan(lo)}至{_yuan(hi)}" if hi is not None else f"{_yuan(lo)}以上"


def _money(value: Any, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (ArithmeticError, ValueError):
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0:
        raise ValidationError(f"{label}“{value}”不是有效的金额（{DISCRETION_RULE}）")
    return amount


def _circumstance(value: Any) -> str | None:
    """The tier a record names (``data["circumstance"]``): a code or its Chinese label."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    by_label = {str(label): code for code, label in Circumstance.choices}
    if text in Circumstance.values:
        return text
    if text in by_label:
        return by_label[text]
    listed = "、".join(str(label) for label in Circumstance.labels)
    raise ValidationError(f"裁量档次“{text}”无法识别，应为{listed}之一（{DISCRETION_RULE}）")


def _statutory_bounds(
    std: DiscretionStandard, base: Decimal | None
) -> tuple[Decimal, Decimal | None] | None:
    """The fine the standard's statutory range allows (lowest, highest or None), or None if
    it sets no fine; BaseRequired when it depends on a base the record does not give."""
    fixed = std.statutory_fine_min is not None or std.statutory_fine_max is not None
    multiple = std.statutory_multiple_min is not None or std.statutory_multiple_max is not None
    base_name = std.get_multiple_base_display()
    if multiple and (not fixed or base is not None):
        if base is None:
            raise BaseRequired(f"该裁量基准按{base_name}的倍数计罚，决定须载明{base_name}。")
        if not fixed or (std.base_threshold is not None and base >= std.base_threshold):
            cent = Decimal("0.01")
            lo = (base * (std.statutory_multiple_min or Decimal(0))).quantize(cent)
            hi_multiple = std.statutory_multiple_max
            return lo, (base * hi_multiple).quantize(cent) if hi_multiple is not None else None
    if multiple and base is None:
        raise BaseRequired(f"该裁量基准依{base_name}确定罚款幅度，决定须载明{base_name}。")
    if fixed:
        return std.statutory_fine_min or Decimal(0), std.statutory_fine_max
    return None


def _discretion_failure(
    std: DiscretionStandard,
    tier: DiscretionTier | None,
    fine: Decimal,
    base: Decimal | None,
) -> str | None:
    """Why ``fine`` is outside the standard (the tier, if one is named); None if inside."""
    name = f"裁量基准“{std.violation.strip()[:60]}”（{std.version_label}）"
    scope = f"{tier.get_circumstance_display()}档次" if tier is not None else "法定幅度"
    basis = f"（依据：{std.basis.strip()}；{DISCRETION_RULE}）"
    try:
        bounds = tier.fine_bounds(base) if tier is not None else _statutory_bounds(std, base)
    except BaseRequired as exc:
        return f"{name}：{exc}{basis}"
    if bounds is None:
        if fine == 0:
            return None
        return f"罚款数额{_yuan(fine)}不符合{name}：其{scope}不处罚款{basis}"
    lo, hi = bounds
    if lo <= fine and (hi is None or fine <= hi):
        return None
    hint = ""
    if tier is None and fine < lo:
        hint = "；适用减轻处罚的，应载明裁量档次（减轻处罚情形）"
    return f"罚款数额{_yuan(fine)}超出{name}{scope}规定的范围（{_range_text(lo, hi)}）{hint}{basis}"


def _check_discretion(
    case: Case, data: Mapping[str, Any], amount: Decimal, on: datetime.date
) -> None:
    """Refuse a penalty decision's fine outside the discretion standard in force on ``on``
    for the case's matter: within the tier the record names (``data["circumstance"]``),
    else within the statutory range. ``data["fine_amount"]`` is the fine when ``amount``
    (罚没金额) also counts confiscation; ``data["base_amount"]`` the 违法所得/货值金额 a
    multiple is taken of; ``data["violation"]`` picks the standard when the matter has
    several. With several standards and none named, the fine must fit one of them. A matter
    without a standard in force has nothing to check against."""
    if case.action_type != "penalty" or case.matter is None:
        return
    standards = list(catalog_selectors.discretion_standards_for(case.matter, on=on))
    if not standards:
        return
    violation = str(data.get("violation") or "").strip()
    if violation:
        standards = [s for s in standards if s.violation.strip() == violation]
        if not standards:
            raise ValidationError(
                f"权责清单事项“{case.matter.name}”没有针对“{violation}”的裁量基准"
                f"（{DISCRETION_RULE}）"
            )
    fine = _money(data.get("fine_amount"), "罚款数额")
    if fine is None:
        fine = amount
    elif fine > amount:
        raise ValidationError(
            f"罚款数额{_yuan(fine)}不能超过罚没金额{_yuan(amount)}（{DISCRETION_RULE}）"
        )
    base = _money(data.get("base_amount"), "计罚基数（违法所得、货值金额等）")
    circumstance = _circumstance(data.get("circumstance"))
    failures: list[str] = []
    for std in standards:
        tier = None
        if circumstance is not None:
            tier = next((t for t in std.tiers.all() if t.circumstance == circumstance), None)
            if tier is None:
                failures.append(
                    f"裁量基准“{std.violation.strip()[:60]}”（{std.version_label}）未规定"
                    f"{Circumstance(circumstance).label}档次（{DISCRETION_RULE}）"
                )
                continue
        failure = _discretion_failure(std, tier, fine, base)
        if failure is None:
            return
        failures.append(failure)
    raise ValidationError(failures)


def _check_rights_notice_data(data: Mapping[str, Any]) -> None:
    """The proposed-penalty data a rights notice may carry (state.hearing_eligible reads it)."""
    kinds = data.get(PROPOSED_KINDS_KEY)
    if kinds is not None:
        if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
            raise ValidationError(f"拟作出的行政处罚种类应为种类代码的列表（{HEARING_RULE}）")
        unknown = [k for k in kinds if k not in PenaltyKind.values]
        if unknown:
            raise ValidationError(
                f"拟作出的行政处罚种类“{'、'.join(unknown)}”无法识别"
                "（《中华人民共和国行政处罚法》第九条）"
            )
    for key, label in (
        (LARGE_AMOUNT_KEY, "是否较大数额罚款或者没收较大数额（价值）的财物"),
        (HEARING_APPLICABLE_KEY, "是否依法适用听证"),
    ):
        if data.get(key) is not None and not isinstance(data.get(key), bool):
            raise ValidationError(f"“{label}”应为是或否（{HEARING_RULE}）")


def _notification(
    case: Case, data: Mapping[str, Any], today: datetime.date
) -> tuple[datetime.date, str]:
    """The date and summary of a 案源告知记录 (002 第三十条), checked."""
    value = data.get("notified_on")
    if isinstance(value, datetime.date):
        day = value
    else:
        try:
            day = datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError(
                f"案源告知记录的告知日期“{value}”不是有效日期（{SOURCE_RULE}）"
            ) from None
    _check_dates(case, day, today, "告知日期")
    parts = [str(data.get(k) or "").strip() for k in ("recipient", "method", "content")]
    recipient, method, content = parts
    return day, f"{content}（告知对象：{recipient}；告知方式：{method}）"


def _write_back_notification(case: Case, record: Record) -> dict[str, Any] | None:
    """Set the case source's notified_on / notification_summary from a 案源告知记录, in the
    transaction that adds it (002 第三十条); the snapshot for the ledger entry, or None."""
    if record.kind != "source_notification":
        return None
    day, summary = _notification(case, record.data, timezone.localdate())
    source = CaseSource.objects.select_for_update().get(case=case)
    source.notified_on = day
    source.notification_summary = summary
    source.full_clean()
    source.save(update_fields=["notified_on", "notification_summary"])
    return ledger.snapshot(source)


def _source_entry(source: dict[str, Any] | None) -> dict[str, Any]:
    """The ledger entry's ``source`` part when a record wrote back to the case source."""
    return {"source": source} if source is not None else {}


def _lock_case(case: Case) -> Case:
    locked = Case.objects.select_for_update().select_related("agency__jurisdiction").get(pk=case.pk)
    reason = case_lock_reason(locked)  # e.g. the case file is archived (archives app)
    if reason:
        raise ValidationError(reason)
    return locked


# ------------------------------------------------------------------ opening


@transaction.atomic
def open_case(
    *,
    actor: User,
    agency: Agency,
    unit: Unit,
    action_type: str,
    title: str,
    source: SourceInput,
    parties: Iterable[PartyInput] = (),
    officers: Iterable[Officer] = (),
    matter: PowerItem | None = None,
    simple: bool = False,
    opened_on: datetime.date | None = None,
) -> Case:
    """Open a case in its procedure's initial stage, with its source, parties, officers
    (each with a certificate valid today, on the initial stage) and matter."""
    _deny_outside(actor, agency)
    today = timezone.localdate()
    opened_on = opened_on or today
    if opened_on > today:
        raise ValidationError("案件启动日期不能晚于今天（000 全过程记录办法 第九条）")
    if unit.agency_id != agency.pk:
        raise ValidationError(f"承办机构“{unit.name}”不属于{agency.name}。")
    candidates = procedures_for(action_type)
    if not candidates:
        raise ValidationError(f"未知的执法行为类别“{action_type}”。")
    if action_type == "penalty":
        code = "penalty_simple" if simple else "penalty_general"
    else:
        if simple:
            raise ValidationError(
                "只有行政处罚可以适用简易程序（《中华人民共和国行政处罚法》第五十一条）"
            )
        code = candidates[0].code
    procedure = get_procedure(code)
    if matter is None:
        if action_type != "inspection":
            raise ValidationError("应当载明所依据的权责清单事项（000 公示办法 第九条）")
    else:
        if matter.agency_id != agency.pk:
            raise ValidationError(f"权责清单事项“{matter.name}”不属于{agency.name}的权责清单。")
        if matter.category != action_type:
            raise ValidationError(
                f"权责清单事项“{matter.name}”的职权类别为{matter.get_category_display()}，"
                f"与执法行为类别不符（000 公示办法 第九条）"
            )
        in_force = catalog_selectors.in_force(PowerItem, on=opened_on, agency=agency)
        if not in_force.filter(pk=matter.pk).exists():
            raise ValidationError(
                f"权责清单事项“{matter.name}”在{opened_on:%Y年%m月%d日}不在有效期内。"
            )
    if source.received_on > today:
        raise ValidationError("案件来源接收日期不能晚于今天。")
    if source.received_on > opened_on:
        raise ValidationError("案件来源接收日期不能晚于案件启动日期。")
    officer_list = list(officers)
    for officer in officer_list:
        if officer.agency_id != agency.pk:
            raise ValidationError(f"执法人员{officer.name}不属于{agency.name}。")
    case = _save(
        Case(
            agency=agency,
            unit=unit,
            action_type=action_type,
            procedure=procedure.code,
            matter=matter,
            number=_next_number(agency, opened_on.year),
            title=title,
            stage=procedure.initial,
            opened_on=opened_on,
            created_by=actor,
        )
    )
    _save(CaseSource(case=case, **source.__dict__))
    party_rows = [_make_party(case, p) for p in parties]
    officer_rows = []
    for index, officer in enumerate(officer_list):
        number = _valid_certificate_number(officer, opened_on)
        officer_rows.append(
            _save(
                CaseOfficer(
                    case=case,
                    officer=officer,
                    stage=procedure.initial,
                    role="主办" if index == 0 else "协办",
                    certificate_number=number,
                )
            )
        )
    refresh_next_due(case)
    ledger.record(
        "cases.open_case",
        actor=actor,
        obj=case,
        case=ledger.snapshot(case),
        source=ledger.snapshot(case.source),
        parties=[_party_snapshot(p) for p in party_rows],
        officers=[ledger.snapshot(o) for o in officer_rows],
    )
    return case


@transaction.atomic
def add_party(*, actor: User, case: Case, party: PartyInput) -> Party:
    _deny_outside(actor, case.agency)
    if case.status == Case.Status.CLOSED:
        raise ValidationError("案件已办结，不能再登记当事人。")
    row = _make_party(case, party)
    ledger.record(
        "cases.add_party", actor=actor, obj=row, case_id=case.pk, party=_party_snapshot(row)
    )
    return row


@transaction.atomic
def assign_officer(
    *,
    actor: User,
    case: Case,
    officer: Officer,
    stage: str | None = None,
    role: str = "协办",
) -> CaseOfficer:
    """Put an officer on a stage (default: the current one); the officer needs a certificate
    valid today."""
    _deny_outside(actor, case.agency)
    case = _lock_case(case)
    stage = stage or case.stage
    row = _assign(case, officer, stage, role)
    ledger.record("cases.assign_officer", actor=actor, obj=case, assignment=ledger.snapshot(row))
    return row


@transaction.atomic
def assign_officers(
    *, actor: User, case: Case, officers: Sequence[Officer], stage: str | None = None
) -> list[CaseOfficer]:
    """Put several officers on a stage at once (the first leads — 主办 — unless the stage
    has a lead already), e.g. the two who investigated going on to serve the notice."""
    _deny_outside(actor, case.agency)
    case = _lock_case(case)
    stage = stage or case.stage
    if not officers:
        raise ValidationError("请选择要指派的执法人员。")
    has_lead = CaseOfficer.objects.filter(case=case, stage=stage, role="主办").exists()
    rows = [
        _assign(case, officer, stage, "协办" if has_lead or index else "主办")
        for index, officer in enumerate(officers)
    ]
    ledger.record(
        "cases.assign_officers",
        actor=actor,
        obj=case,
        assignments=[ledger.snapshot(row) for row in rows],
    )
    return rows


def _assign(case: Case, officer: Officer, stage: str, role: str) -> CaseOfficer:
    procedure = get_procedure(case.procedure)
    if not procedure.has_stage(stage):
        raise ValidationError(f"执法程序“{procedure.name}”没有“{stage}”环节")
    if officer.agency_id != case.agency_id:
        raise ValidationError(f"执法人员{officer.name}不属于{case.agency.name}。")
    if CaseOfficer.objects.filter(case=case, officer=officer, stage=stage).exists():
        raise ValidationError(f"执法人员{officer.name}已参与{procedure.stage_name(stage)}环节。")
    number = _valid_certificate_number(officer, timezone.localdate())
    return _save(
        CaseOfficer(case=case, officer=officer, stage=stage, role=role, certificate_number=number)
    )


# ------------------------------------------------------------------ records


def _new_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    made_on: datetime.date,
    data: Mapping[str, Any],
    stage: str,
    supersedes: Record | None,
    correction_reason: str,
    hearing_requested: bool | None,
    statement_waived: bool | None,
    served_on: datetime.date | None,
    service_method: str | None,
    served_document: Record | None,
    amount: Decimal | None,
    violations_found: bool | None,
    signatures: Iterable[SignatureInput] = (),
) -> Record:
    today = timezone.localdate()
    signature_list = list(signatures)
    _check_dates(case, made_on, today, "制作日期")
    if served_on is not None:
        _check_dates(case, served_on, today, "送达日期")
    if served_document is not None and served_document.case_id != case.pk:
        raise ValidationError("所送达的文书不属于本案。")
    extra = {
        "served_on": served_on,
        "service_method": service_method,
        "hearing_requested": hearing_requested,
        "statement_waived": statement_waived,
        "amount": amount,
        "violations_found": violations_found,
    }
    data = _with_served_document(kind, data, case, served_document)
    _check_fields(kind, data, extra)
    if kind == "rights_notice":
        _check_rights_notice_data(data)
    if kind == "source_notification":
        _notification(case, data, today)
    if amount is not None and "amount" in registry().kinds[kind].data:
        _check_discretion(case, data, amount, made_on)
    state = build_case_state(case, today)
    snapshot = RecordSnapshot(
        kind=kind,
        stage=stage,
        made_on=made_on,
        ref="new",
        signed_by=frozenset(x.role for x in signature_list if not x.refused),
        refused_by=frozenset(x.role for x in signature_list if x.refused),
        supersedes=supersedes.ref if supersedes else "",
        hearing_requested=hearing_requested,
        statement_waived=statement_waived,
        served_on=served_on,
        service_method=service_method,
        document=served_document.kind if served_document else None,
        amount=amount,
        violations_found=violations_found,
    )
    try:
        engine.add_record(state, snapshot)
    except TransitionRefused as refused:
        raise _refuse(refused.violations) from None
    record = _save(
        Record(
            case=case,
            kind=kind,
            stage=stage,
            made_on=made_on,
            made_by=actor,
            data=dict(data),
            supersedes=supersedes,
            correction_reason=correction_reason,
            hearing_requested=hearing_requested,
            statement_waived=statement_waived,
            served_on=served_on,
            service_method=service_method or "",
            served_document=served_document,
            amount=amount,
            violations_found=violations_found,
        )
    )
    for item in signature_list:
        _check_signature(case, record, item)
        _save(
            Signature(
                record=record,
                role=item.role,
                signer_name=item.signer_name,
                officer=item.officer,
                signed_at=item.signed_at or timezone.now(),
                refused=item.refused,
                refusal_note=item.refusal_note.strip(),
                entered_by=actor,
            )
        )
    return record


def _with_served_document(
    kind: str, data: Mapping[str, Any], case: Case, served: Record | None
) -> Mapping[str, Any]:
    """A service receipt names the document it served, by name and number (002 第三十九条);
    when the record points at that document, the name is taken from it rather than typed."""
    spec = registry().kinds.get(kind)
    if served is None or spec is None or data.get("document"):
        return data
    if not any(f.name == "document" for f in spec.fields):
        return data
    name = registry().kind_name(served.kind)
    return {**data, "document": f"{name}（{case.number}-R{served.pk}）"}


def _signature_snapshots(record: Record) -> list[dict[str, Any]]:
    return [ledger.snapshot(x) for x in record.signatures.order_by("id")]


def _check_signature(case: Case, record: Record, item: SignatureInput) -> None:
    role = item.role
    if role not in SIGNATURE_ROLES:
        raise ValidationError(f"未知的签名角色“{role}”（{SIGNATURE_RULE}）")
    if item.refused and role not in REFUSABLE_ROLES:
        raise ValidationError(
            f"只有当事人或者见证人拒绝签名可以记录在案，{SIGNATURE_ROLES[role]}必须签名"
            f"（{SIGNATURE_RULE}）"
        )
    if item.refused and not item.refusal_note.strip():
        raise ValidationError(f"当事人拒绝签名的，应当在记录中注明拒签情况（{SIGNATURE_RULE}）")
    if item.officer is not None and item.officer.agency_id != case.agency_id:
        raise ValidationError(f"执法人员{item.officer.name}不属于{case.agency.name}。")
    now = timezone.now()
    signed_at = item.signed_at or now
    if signed_at > now:
        raise ValidationError("签名时间不能晚于当前时间。")
    if timezone.localdate(signed_at) < record.made_on:
        raise ValidationError("签名时间不能早于记录制作日期。")


@transaction.atomic
def add_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    made_on: datetime.date,
    data: Mapping[str, Any],
    hearing_requested: bool | None = None,
    statement_waived: bool | None = None,
    served_on: datetime.date | None = None,
    service_method: str | None = None,
    served_document: Record | None = None,
    amount: Decimal | None = None,
    violations_found: bool | None = None,
    signatures: Iterable[SignatureInput] = (),
) -> Record:
    """Add a record to the current stage (optionally with the signatures made on it). Refused: an unknown kind or one the stage does not
    hold, a missing required field, a date in the future or before the case opened."""
    _deny_outside(actor, case.agency)
    case = _lock_case(case)
    if case.status == Case.Status.CLOSED:
        raise ValidationError("案件已办结，不能再添加记录。")
    record = _new_record(
        actor=actor,
        case=case,
        kind=kind,
        made_on=made_on,
        data=data,
        stage=case.stage,
        supersedes=None,
        correction_reason="",
        hearing_requested=hearing_requested,
        statement_waived=statement_waived,
        served_on=served_on,
        service_method=service_method,
        served_document=served_document,
        amount=amount,
        violations_found=violations_found,
        signatures=signatures,
    )
    source = _write_back_notification(case, record)
    refresh_next_due(case)
    ledger.record(
        "cases.add_record",
        actor=actor,
        obj=record,
        record=ledger.snapshot(record),
        signatures=_signature_snapshots(record),
        **_source_entry(source),
    )
    return record


@transaction.atomic
def correct_record(
    *,
    actor: User,
    record: Record,
    reason: str,
    made_on: datetime.date,
    data: Mapping[str, Any],
    hearing_requested: bool | None = None,
    statement_waived: bool | None = None,
    served_on: datetime.date | None = None,
    service_method: str | None = None,
    served_document: Record | None = None,
    amount: Decimal | None = None,
    violations_found: bool | None = None,
    kind: str | None = None,
    signatures: Iterable[SignatureInput] = (),
) -> Record:
    """A new record superseding ``record`` (which stays, marked superseded), with a reason."""
    case = record.case
    _deny_outside(actor, case.agency)
    case = _lock_case(case)
    if not reason.strip():
        raise ValidationError(f"更正记录应当说明理由（{SIGNATURE_RULE}）")
    new = _new_record(
        actor=actor,
        case=case,
        kind=kind or record.kind,
        made_on=made_on,
        data=data,
        stage=record.stage,
        supersedes=record,
        correction_reason=reason.strip(),
        hearing_requested=hearing_requested,
        statement_waived=statement_waived,
        served_on=served_on,
        service_method=service_method,
        served_document=served_document,
        amount=amount,
        violations_found=violations_found,
        signatures=signatures,
    )
    source = _write_back_notification(case, new)
    refresh_next_due(case)
    ledger.record(
        "cases.correct_record",
        actor=actor,
        obj=new,
        supersedes=record.pk,
        reason=new.correction_reason,
        record=ledger.snapshot(new),
        signatures=_signature_snapshots(new),
        **_source_entry(source),
    )
    return new


def _add_signature(
    *,
    actor: User,
    record: Record,
    role: str,
    signer_name: str,
    officer: Officer | None,
    signed_at: datetime.datetime | None,
    refused: bool,
    refusal_note: str,
) -> Signature:
    _deny_outside(actor, record.case.agency)
    case = _lock_case(record.case)
    record = (
        Record.objects.select_related("superseded_by", "served_document")
        .prefetch_related("signatures")
        .get(pk=record.pk)
    )
    item = SignatureInput(
        role=role,
        signer_name=signer_name,
        officer=officer,
        refused=refused,
        refusal_note=refusal_note,
        signed_at=signed_at,
    )
    if hasattr(record, "superseded_by"):
        raise ValidationError(f"该记录已被更正，不能再签名（{SIGNATURE_RULE}）")
    if is_signed(case, record):
        raise ValidationError(
            f"该记录已签名完备，不可再修改；如有错误，应制作更正记录（{SIGNATURE_RULE}）"
        )
    _check_signature(case, record, item)
    kind = registry().kinds.get(record.kind)
    if role == "agency_head" and kind is not None and kind.decision:
        # The head signs and issues a decision only after a required legal review passed.
        source = GUARDS["legal_review_passed_if_required"].source_for(case.action_type)
        violations = review_violations(build_case_state(case, timezone.localdate()), source)
        if violations:
            raise _refuse(violations)
    snapshot = record_snapshot(record)
    if role in snapshot.signed_by | snapshot.refused_by and role != "officer":
        raise ValidationError(f"{SIGNATURE_ROLES[role]}已签名或已记录拒签（{SIGNATURE_RULE}）")
    return _save(
        Signature(
            record=record,
            role=role,
            signer_name=signer_name,
            officer=officer,
            signed_at=signed_at or timezone.now(),
            refused=refused,
            refusal_note=refusal_note.strip(),
            entered_by=actor,
        )
    )


@transaction.atomic
def sign_record(
    *,
    actor: User,
    record: Record,
    role: str,
    signer_name: str,
    officer: Officer | None = None,
    signed_at: datetime.datetime | None = None,
) -> Signature:
    signature = _add_signature(
        actor=actor,
        record=record,
        role=role,
        signer_name=signer_name,
        officer=officer,
        signed_at=signed_at,
        refused=False,
        refusal_note="",
    )
    refresh_next_due(record.case)
    ledger.record(
        "cases.sign_record", actor=actor, obj=signature, signature=ledger.snapshot(signature)
    )
    hooks.after_signature(record, signature)
    return signature


@transaction.atomic
def record_refusal(
    *,
    actor: User,
    record: Record,
    role: str,
    signer_name: str,
    note: str,
    signed_at: datetime.datetime | None = None,
) -> Signature:
    """The party or a witness refused to sign; the refusal stands in for the signature
    (004 第十三条)."""
    signature = _add_signature(
        actor=actor,
        record=record,
        role=role,
        signer_name=signer_name,
        officer=None,
        signed_at=signed_at,
        refused=True,
        refusal_note=note,
    )
    refresh_next_due(record.case)
    ledger.record(
        "cases.record_refusal", actor=actor, obj=signature, signature=ledger.snapshot(signature)
    )
    hooks.after_signature(record, signature)
    return signature


# ------------------------------------------------------------------ transitions


@transaction.atomic
def fire_transition(
    *, actor: User, case: Case, transition_code: str, expected_version: int
) -> Case:
    """Move the case by one transition of its procedure, if the engine allows it and nobody
    moved it since ``expected_version``. Refusals: ValidationError (messages = the
    violations, each naming its rule and article) or ConcurrentChange."""
    _deny_outside(actor, case.agency)
    current = Case.objects.select_related("agency__jurisdiction").get(pk=case.pk)
    if current.version != expected_version:
        raise ConcurrentChange(current.version)
    today = timezone.localdate()
    state = build_case_state(current, today)
    roles = [r for r in ACTOR_ROLES if actor.has_role(r)]
    try:
        after = engine.apply(state, transition_code, actor_roles=roles)
    except TransitionRefused as refused:
        raise _refuse(refused.violations) from None
    procedure = get_procedure(current.procedure)
    closing = after.stage in procedure.finals and engine.is_finished(after)
    changes: dict[str, Any] = {"stage": after.stage, "version": F("version") + 1}
    if closing:
        changes.update(status=Case.Status.CLOSED, closed_on=today)
    updated = Case.objects.filter(pk=current.pk, version=expected_version).update(**changes)
    if updated == 0:
        latest = Case.objects.filter(pk=current.pk).values_list("version", flat=True).first()
        raise ConcurrentChange(latest if latest is not None else expected_version)
    entry = StageTransition.objects.create(
        case=current,
        transition=transition_code,
        from_stage=state.stage,
        to_stage=after.stage,
        fired_by=actor,
        fired_on=today,
        version=expected_version + 1,
    )
    refresh_next_due(current, state=after)  # the engine's state after the transition
    ledger.record(
        "cases.fire_transition",
        actor=actor,
        obj=current,
        transition=transition_code,
        from_stage=state.stage,
        to_stage=after.stage,
        version=entry.version,
        closed=closing,
    )
    current.refresh_from_db()
    hooks.after_transition(current, entry)
    return current


@transaction.atomic
def close_if_finished(*, actor: User, case: Case) -> Case:
    """Mark a case in its final stage closed once that stage's own records are complete
    (the final stage's records are usually made after the case entered it)."""
    _deny_outside(actor, case.agency)
    case = _lock_case(case)
    if case.status == Case.Status.CLOSED:
        raise ValidationError("案件已办结。")
    state = build_case_state(case, timezone.localdate())
    if not engine.is_finished(state):
        gaps = engine.open_requirements(state) or [
            Violation.make("not_final", "案件尚未进入终结环节", "000 全过程记录办法 第十五条")
        ]
        raise _refuse(gaps)
    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.CLOSED, closed_on=timezone.localdate(), version=F("version") + 1
    )
    case.refresh_from_db()
    refresh_next_due(case)
    ledger.record("cases.close", actor=actor, obj=case, stage=case.stage, version=case.version)
    return case


@transaction.atomic
def mark_collective_discussion(*, actor: User, case: Case, reason: str) -> Case:
    """Mark the case 情节复杂或者重大违法: its decision is then taken by the agency heads
    collectively, and the decision transition needs a complete 集体讨论记录
    (《中华人民共和国行政处罚法》第五十七条第二款; 000 全过程记录办法 第十三条). The mark
    and its reason stay; it is refused once the decision is taken."""
    _deny_outside(actor, case.agency)
    case = _lock_case(case)
    reason = reason.strip()
    if case.status == Case.Status.CLOSED:
        raise ValidationError("案件已办结，不能再提请集体讨论。")
    procedure = get_procedure(case.procedure)
    deciding = [t for t in procedure.transitions if "collective_discussion_if_required" in t.guards]
    if not deciding:
        raise ValidationError(f"{procedure.name}不适用负责人集体讨论决定（{COLLECTIVE_RULE}）")
    if not reason:
        raise ValidationError(
            f"提请负责人集体讨论应当载明案件情节复杂或者重大违法的理由（{COLLECTIVE_RULE}）"
        )
    if case.collective_discussion_required:
        raise ValidationError(
            f"本案已标记为须经负责人集体讨论（理由：{case.collective_discussion_reason}）"
            f"（{COLLECTIVE_RULE}）"
        )
    fired = case.transitions.filter(transition__in=[t.code for t in deciding]).exists()
    if fired:
        raise ValidationError(
            f"本案已作出决定，不能再提请集体讨论；应当集体讨论而未讨论的，依法纠正（{COLLECTIVE_RULE}）"
        )
    Case.objects.filter(pk=case.pk).update(
        collective_discussion_required=True,
        collective_discussion_reason=reason,
        version=F("version") + 1,
    )
    case.refresh_from_db()
    refresh_next_due(case)
    ledger.record(
        "cases.mark_collective_discussion",
        actor=actor,
        obj=case,
        reason=reason,
        version=case.version,
    )
    return case


# ------------------------------------------------------------------ evidence and AV


@transaction.atomic
def add_evidence(
    *,
    actor: User,
    case: Case,
    kind: str,
    description: str,
    collector: Officer,
    collected_at: datetime.datetime,
    place: str,
    stage: str | None = None,
    stored_file: StoredFile | None = None,
) -> Evidence:
    _deny_outside(actor, case.agency)
    case = _lock_case(case)
    if collector.agency_id != case.agency_id:
        raise ValidationError(f"执法人员{collector.name}不属于{case.agency.name}。")
    _check_dates(case, timezone.localdate(collected_at), timezone.localdate(), "收集时间")
    procedure = get_procedure(case.procedure)
    stage = stage or case.stage
    if not procedure.has_stage(stage):
        raise ValidationError(f"执法程序“{procedure.name}”没有“{stage}”环节")
    evidence = _save(
        Evidence(
            case=case,
            kind=kind,
            stage=stage,
            description=description,
            collector=collector,
            collected_at=collected_at,
            place=place,
            stored_file=stored_file,
            created_by=actor,
        )
    )
    ledger.record(
        "cases.add_evidence", actor=actor, obj=evidence, evidence=ledger.snapshot(evidence)
    )
    return evidence


def _hours(value: Any) -> int | None:
    """A profile's hour window: a Period in hours, or a plain number; None when unset."""
    if value is None:
        return None
    if isinstance(value, Period):
        return value.amount
    return int(value)


@dataclass(frozen=True)
class InterruptionInput:
    at: datetime.datetime
    reason: str
    resumed_at: datetime.datetime | None = None
    spoken_explanation: bool = False


@transaction.atomic
def add_av_recording(
    *,
    actor: User,
    case: Case,
    device: str,
    officer: Officer,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    place: str,
    spoken_statement: bool,
    full_process: bool = False,
    returned_at: datetime.datetime | None = None,
    stored_at: datetime.datetime | None = None,
    stored_file: StoredFile | None = None,
    evidence: Evidence | None = None,
    stage: str | None = None,
    interruptions: Iterable[InterruptionInput] = (),
) -> AVRecording:
    """Register an AV recording's metadata. Stored later than the profile's window after the
    officers returned → a warning kept on the recording, citing the article (not a refusal)."""
    _deny_outside(actor, case.agency)
    case = _lock_case(case)
    if officer.agency_id != case.agency_id:
        raise ValidationError(f"执法人员{officer.name}不属于{case.agency.name}。")
    now = timezone.now()
    for label, moment in (
        ("开始时间", started_at),
        ("结束时间", ended_at),
        ("储存时间", stored_at),
    ):
        if moment is not None and moment > now:
            raise ValidationError(f"音像记录的{label}不能晚于当前时间。")
    _check_dates(case, timezone.localdate(started_at), timezone.localdate(), "音像记录开始时间")
    if evidence is not None and evidence.case_id != case.pk:
        raise ValidationError("所关联的证据不属于本案。")
    stage = stage or case.stage
    warning = ""
    if returned_at is not None and stored_at is not None:
        try:
            rule = get_profile(case.agency.rule_profile_code).rule(
                "recording.av_storage.remote_hours"
            )
        except UnknownRule:
            rule = None
        hours_allowed = _hours(rule.value) if rule is not None else None
        if rule is not None and hours_allowed is not None:
            window = datetime.timedelta(hours=hours_allowed)
            if stored_at > returned_at + window:
                hours = int((stored_at - returned_at).total_seconds() // 3600)
                warning = (
                    f"音像记录于返回后约{hours}小时才储存，超过{hours_allowed}小时的储存时限"
                    f"（{rule.source}）"
                )
    recording = _save(
        AVRecording(
            case=case,
            evidence=evidence,
            stage=stage,
            device=device,
            officer=officer,
            started_at=started_at,
            ended_at=ended_at,
            place=place,
            spoken_statement=spoken_statement,
            full_process=full_process,
            returned_at=returned_at,
            stored_at=stored_at,
            stored_file=stored_file,
            storage_warning=warning,
            created_by=actor,
        )
    )
    rows = [
        _save(
            AVInterruption(
                recording=recording,
                at=i.at,
                resumed_at=i.resumed_at,
                reason=i.reason,
                spoken_explanation=i.spoken_explanation,
            )
        )
        for i in interruptions
    ]
    ledger.record(
        "cases.add_av_recording",
        actor=actor,
        obj=recording,
        recording=ledger.snapshot(recording),
        interruptions=[ledger.snapshot(r) for r in rows],
    )
    return recording


# ------------------------------------------------------------------ legal review opinion


REVIEW_OPINION_KIND = "legal_review_opinion"


def file_review_opinion(
    *,
    reviewer: User,
    case: Case,
    data: Mapping[str, Any],
) -> Record:
    """Put the 法制审核意见书 of a decided review round into the case's trail: a
    ``legal_review_opinion`` record of the current stage, made today by the reviewer and
    signed by them as 法制审核人员 (000 法制审核办法 第十七条; 002 第五十五条).

    The review's outcome is the business action, not this: it runs inside that action's
    transaction (``review.services.decide_review``), whose one ledger entry carries the
    record and its signature, and which refreshes the case's next deadline. Called outside
    a transaction it refuses to run. The engine's record checks apply as for any record: a
    stage that does not hold the kind, or a closed case, is refused with the article."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("file_review_opinion runs inside the review outcome's transaction")
    if reviewer.agency_id != case.agency_id or not reviewer.has_role(Role.LEGAL_REVIEWER):
        raise PermissionDenied(
            f"法制审核意见书由{case.agency.name}的法制审核人员作出（000 法制审核办法 第十七条）"
        )
    with transaction.atomic():
        case = _lock_case(case)
        if case.status == Case.Status.CLOSED:
            raise ValidationError("案件已办结，不能再归入法制审核意见书。")
        officer = reviewer.officer
        if officer is not None and officer.agency_id != case.agency_id:
            officer = None
        return _new_record(
            actor=reviewer,
            case=case,
            kind=REVIEW_OPINION_KIND,
            made_on=timezone.localdate(),
            data=data,
            stage=case.stage,
            supersedes=None,
            correction_reason="",
            hearing_requested=None,
            statement_waived=None,
            served_on=None,
            service_method=None,
            served_document=None,
            amount=None,
            violations_found=None,
            signatures=[
                SignatureInput(
                    role="reviewer",
                    signer_name=reviewer.full_name or reviewer.username,
                    officer=officer,
                )
            ],
        )


@transaction.atomic
def log_file_download(
    *, actor: User, case: Case, item: Evidence | AVRecording, stored: StoredFile
) -> None:
    """Every download of an evidence or AV file is on the ledger with who, when and which
    file (000 全过程记录办法 第二十八条; 001 河南全过程记录办法 第二十四条), written before
    the first byte is sent. Anyone who may see the case may download; a supervisor too."""
    visible = org_selectors.agencies_visible_to(actor).filter(pk=case.agency_id).exists()
    if not visible:
        raise PermissionDenied("您无权查看该案件的证据。")
    if item.case_id != case.pk or item.stored_file_id != stored.pk:
        raise ValidationError("该文件不属于本案的这项证据。")
    kind = "av_recording" if isinstance(item, AVRecording) else "evidence"
    ledger.record(
        "cases.download_file",
        actor=actor,
        obj=item,
        case_id=case.pk,
        item=kind,
        sha256=stored.sha256,
        size=stored.size,
    )


__all__ = [
    "ConcurrentChange",
    "InterruptionInput",
    "PartyInput",
    "SourceInput",
    "add_av_recording",
    "add_evidence",
    "add_party",
    "add_record",
    "assign_officer",
    "assign_officers",
    "close_if_finished",
    "correct_record",
    "file_review_opinion",
    "fire_transition",
    "load_records",
    "log_file_download",
    "mark_collective_discussion",
    "open_case",
    "record_refusal",
    "sign_record",
]
