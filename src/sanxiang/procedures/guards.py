"""The guard library: the conditions a transition may require, each a pure function of the
case state with the articles it enforces.

A procedure definition names its guards by code (``guards = ["two_certified_officers"]``);
the loader refuses a name not registered here. The implicit guards run on every transition:
the stage being left must be completely recorded and signed, its mandatory AV present, and
no record may be dated in the future or before the case was opened.

Each guard returns a list of ``Violation`` (empty: the guard passes). A guard's source may
differ by action type — two officers are required by 行政处罚法 第四十二条 for a penalty and
by 行政强制法 第十八条 for a coercive measure.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .model import (
    AV_LEVELS,
    Procedure,
    RecordKind,
    Registry,
    SignatureSpec,
    StageDef,
    TransitionDef,
)
from .state import CaseState, RecordSnapshot, Violation

DueDateFn = Callable[[datetime.date, int, str], datetime.date]

RECORDING_TRUTH = "002 第二十三条；000 全过程记录办法 第五条"
SIGNATURE_RULE = "004 第十三条"
PENALTY_LAW = "中华人民共和国行政处罚法"
COERCION_LAW = "中华人民共和国行政强制法"
LICENSING_LAW = "中华人民共和国行政许可法"


def law(name: str, article: str) -> str:
    return f"《{name}》第{article}条"


def cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def compute_due(due_date: DueDateFn, start: datetime.date, amount: int, unit: str) -> datetime.date:
    """``amount`` units after ``start``: plain arithmetic for "days", else ``due_date``."""
    if unit == "days":
        return start + datetime.timedelta(days=amount)
    return due_date(start, amount, unit)


# ------------------------------------------------------------------ context and registry


@dataclass(frozen=True)
class GuardContext:
    state: CaseState
    procedure: Procedure
    registry: Registry
    transition: TransitionDef
    due_date: DueDateFn

    @property
    def stage(self) -> StageDef:
        """The stage being left."""
        return self.procedure.stage(self.transition.from_stage)

    def kind_name(self, code: str) -> str:
        return self.registry.kind_name(code)


GuardFn = Callable[[GuardContext, str], list[Violation]]


@dataclass(frozen=True)
class Guard:
    code: str
    name: str
    source: str
    fn: GuardFn = field(repr=False)
    by_action_type: Mapping[str, str] = field(default_factory=dict)
    implicit: bool = False
    kinds: tuple[str, ...] = ()  # record kinds it reads (checked against kinds.toml)
    deadlines: tuple[str, ...] = ()  # deadlines the procedure must define to use it

    def source_for(self, action_type: str) -> str:
        return self.by_action_type.get(action_type, self.source)

    def all_sources(self) -> list[str]:
        return [self.source, *self.by_action_type.values()]

    def check(self, ctx: GuardContext) -> list[Violation]:
        return self.fn(ctx, self.source_for(ctx.procedure.action_type))


GUARDS: dict[str, Guard] = {}


def guard(
    code: str,
    name: str,
    source: str,
    *,
    by_action_type: Mapping[str, str] | None = None,
    implicit: bool = False,
    kinds: tuple[str, ...] = (),
    deadlines: tuple[str, ...] = (),
) -> Callable[[GuardFn], GuardFn]:
    def register(fn: GuardFn) -> GuardFn:
        GUARDS[code] = Guard(
            code=code,
            name=name,
            source=source,
            fn=fn,
            by_action_type=dict(by_action_type or {}),
            implicit=implicit,
            kinds=kinds,
            deadlines=deadlines,
        )
        return fn

    return register


def implicit_guards() -> list[Guard]:
    return [g for g in GUARDS.values() if g.implicit]


# ------------------------------------------------------------------ records and signatures


def signature_specs(
    procedure: Procedure, registry: Registry, stage_code: str, kind_code: str
) -> tuple[SignatureSpec, ...]:
    """The signatures a record of this kind needs in this stage: the stage's requirement's
    list where it gives one, else the kind's own."""
    if procedure.has_stage(stage_code):
        for req in procedure.stage(stage_code).required:
            if kind_code in req.kinds and req.signatures is not None:
                return req.signatures
    kind = registry.kinds.get(kind_code)
    return kind.signatures if kind else ()


def missing_signatures(
    record: RecordSnapshot, specs: tuple[SignatureSpec, ...]
) -> list[SignatureSpec]:
    return [spec for spec in specs if not spec.satisfied_by(record.signed_by, record.refused_by)]


def signature_violation(
    kind: RecordKind | None, record: RecordSnapshot, missing: list[SignatureSpec], stage: str
) -> Violation:
    name = kind.name if kind else record.kind
    parts = []
    for spec in missing:
        text = f"{spec.label}的签名"
        if spec.refusable:
            text += "（拒绝签名的，应在记录中注明）"
        parts.append(text)
    return Violation.make(
        "missing_signature",
        f"{name}缺少{'、'.join(parts)}",
        SIGNATURE_RULE,
        stage=stage,
        ref=record.ref,
    )


def record_complete(procedure: Procedure, registry: Registry, record: RecordSnapshot) -> bool:
    specs = signature_specs(procedure, registry, record.stage, record.kind)
    return not missing_signatures(record, specs)


def stage_gaps(
    state: CaseState, procedure: Procedure, registry: Registry, stage_code: str
) -> list[Violation]:
    """What the stage still lacks: required records, and signatures (or recorded refusals)
    on every current record of the stage."""
    stage = procedure.stage(stage_code)
    violations: list[Violation] = []
    records = state.current_records(stage=stage_code)
    for record in records:
        specs = signature_specs(procedure, registry, stage_code, record.kind)
        missing = missing_signatures(record, specs)
        if missing:
            violations.append(
                signature_violation(registry.kinds.get(record.kind), record, missing, stage_code)
            )
    for req in stage.required:
        present = [r for r in records if r.kind in req.kinds]
        if len(present) >= req.min_count:
            continue
        label = "或".join(registry.kind_name(k) for k in req.kinds)
        if len(req.kinds) == 1 and req.kinds[0] in registry.kinds:
            source = registry.kinds[req.kinds[0]].source
        else:
            source = stage.source
        text = f"{stage.name}环节缺少{label}"
        if req.min_count > 1:
            text += f"（至少{req.min_count}份，现有{len(present)}份）"
        violations.append(Violation.make("missing_record", text, source, stage=stage_code))
    return violations


# ------------------------------------------------------------------ implicit guards


@guard(
    "stage_records_complete",
    "本环节记录齐全、签名完备",
    "000 全过程记录办法 第十条；004 第十三条",
    implicit=True,
)
def stage_records_complete(ctx: GuardContext, source: str) -> list[Violation]:
    return stage_gaps(ctx.state, ctx.procedure, ctx.registry, ctx.transition.from_stage)


@guard(
    "mandatory_av_present",
    "音像记录事项清单要求的音像记录已制作",
    "000 全过程记录办法 第十八条；001 河南全过程记录办法 第十五条；002 第二十五条",
    implicit=True,
)
def mandatory_av_present(ctx: GuardContext, source: str) -> list[Violation]:
    stage = ctx.stage
    level = ctx.state.av_requirements.get(stage.code, "none")
    items = ctx.state.av_on(stage.code)
    if level == "av" and not items:
        return [
            Violation.make(
                "missing_av",
                f"{stage.name}环节依音像记录事项清单应当进行音像记录，尚无音像记录",
                source,
                stage=stage.code,
            )
        ]
    if level == "full_process" and not any(item.full_process for item in items):
        return [
            Violation.make(
                "missing_full_process_av",
                f"{stage.name}环节应当进行全过程音像记录（自到达现场至离开现场），"
                "尚无全过程音像记录",
                source,
                stage=stage.code,
            )
        ]
    if level not in AV_LEVELS:
        return [
            Violation.make(
                "unknown_av_level",
                f"{stage.name}环节的音像记录要求“{level}”无法识别",
                source,
                stage=stage.code,
            )
        ]
    return []


def future_dates(state: CaseState) -> list[Violation]:
    violations = []
    for record in state.records:
        for label, day in record.dates():
            if day > state.today:
                violations.append(
                    Violation.make(
                        "future_date",
                        f"记录的{label}（{cn_date(day)}）晚于今天（{cn_date(state.today)}）",
                        RECORDING_TRUTH,
                        stage=record.stage,
                        ref=record.ref,
                    )
                )
    return violations


def dates_before_opening(state: CaseState) -> list[Violation]:
    violations = []
    for record in state.records:
        for label, day in record.dates():
            if day < state.opened_on:
                violations.append(
                    Violation.make(
                        "before_opening",
                        f"记录的{label}（{cn_date(day)}）早于案件启动之日"
                        f"（{cn_date(state.opened_on)}）",
                        RECORDING_TRUTH,
                        stage=record.stage,
                        ref=record.ref,
                    )
                )
    return violations


@guard("no_future_dates", "记录日期不晚于当日", RECORDING_TRUTH, implicit=True)
def no_future_dates(ctx: GuardContext, source: str) -> list[Violation]:
    return future_dates(ctx.state)


@guard("dates_not_before_opening", "记录日期不早于案件启动", RECORDING_TRUTH, implicit=True)
def dates_not_before_opening(ctx: GuardContext, source: str) -> list[Violation]:
    return dates_before_opening(ctx.state)


# ------------------------------------------------------------------ officers


def _officer_violations(ctx: GuardContext, source: str, minimum: int, what: str) -> list[Violation]:
    stage = ctx.stage
    officers = ctx.state.officers_on(stage.code)
    violations = [
        Violation.make(
            "uncertified_officer",
            f"{o.display}参与{stage.name}时执法证无效"
            f"{'（' + o.reason + '）' if o.reason else ''}，不得从事执法活动",
            source,
            stage=stage.code,
            ref=o.officer,
        )
        for o in officers
        if not o.certificate_valid
    ]
    valid = {o.officer for o in officers if o.certificate_valid}
    if len(valid) < minimum:
        violations.append(
            Violation.make(
                "too_few_officers",
                f"{stage.name}须由{what}进行，现有{len(valid)}名",
                source,
                stage=stage.code,
            )
        )
    return violations


@guard(
    "two_certified_officers",
    "两名以上持有效执法证的执法人员",
    "000 全过程记录办法 第十二条；002 第三十一条",
    by_action_type={
        "penalty": f"{law(PENALTY_LAW, '四十二')}；000 全过程记录办法 第十二条",
        "coercion": f"{law(COERCION_LAW, '十八')}；000 全过程记录办法 第十二条",
    },
)
def two_certified_officers(ctx: GuardContext, source: str) -> list[Violation]:
    return _officer_violations(ctx, source, 2, "两名以上持有效执法证的执法人员")


@guard(
    "certified_officers",
    "执法人员持有效执法证",
    "000 公示办法 第十四条；002 第十七条；000 全过程记录办法 第十二条",
)
def certified_officers(ctx: GuardContext, source: str) -> list[Violation]:
    return _officer_violations(ctx, source, 1, "持有效执法证的执法人员")


# ------------------------------------------------------------------ notice, statement, hearing


@guard(
    "rights_notice_served",
    "权利告知书已送达",
    "000 全过程记录办法 第十二条；002 第三十五条",
    by_action_type={
        "penalty": f"{law(PENALTY_LAW, '四十四')}；000 全过程记录办法 第十二条",
        "coercion": f"{law(COERCION_LAW, '十八')}；000 全过程记录办法 第十二条",
    },
    kinds=("rights_notice",),
)
def rights_notice_served(ctx: GuardContext, source: str) -> list[Violation]:
    state = ctx.state
    if not state.current_records(kinds=("rights_notice",)):
        return [Violation.make("rights_notice_missing", "尚未制作权利告知书", source)]
    if state.served_on("rights_notice") is None:
        return [
            Violation.make(
                "rights_notice_not_served",
                "权利告知书尚未送达当事人（应告知拟作出决定的事实、理由、依据及当事人依法享有的"
                "陈述、申辩、要求听证等权利）",
                source,
            )
        ]
    return []


@guard(
    "statement_heard_or_waived",
    "已听取陈述申辩或记录当事人放弃",
    "002 第三十五条",
    by_action_type={
        "penalty": f"{law(PENALTY_LAW, '四十五')}；002 第三十五条",
        "coercion": f"{law(COERCION_LAW, '十八')}；002 第三十五条",
    },
    kinds=("statement_record", "statement_waiver"),
)
def statement_heard_or_waived(ctx: GuardContext, source: str) -> list[Violation]:
    state = ctx.state
    heard = [
        r
        for r in state.current_records(kinds=("statement_record",))
        if SignatureSpec(("party",)).satisfied_by(r.signed_by, r.refused_by)
    ]
    waived = state.current_records(kinds=("statement_waiver",)) or [
        r for r in state.current_records() if r.statement_waived
    ]
    if heard or waived:
        return []
    return [
        Violation.make(
            "statement_not_heard",
            "尚未听取当事人陈述、申辩（陈述申辩笔录须由当事人签字或盖章），"
            "当事人放弃的应当书面记录",
            source,
        )
    ]


@guard(
    "hearing_requested",
    "当事人依法申请听证",
    f"{law(PENALTY_LAW, '六十三')}；{law(PENALTY_LAW, '六十四')}",
    by_action_type={"licensing": f"{law(LICENSING_LAW, '四十七')}"},
)
def hearing_requested(ctx: GuardContext, source: str) -> list[Violation]:
    state = ctx.state
    if not state.hearing_eligible:
        return [
            Violation.make("hearing_not_applicable", "本案拟作出的决定依法不适用听证程序", source)
        ]
    if not state.hearing_requested():
        return [Violation.make("hearing_not_requested", "当事人未申请听证", source)]
    return []


@guard(
    "hearing_period_passed",
    "听证申请期限已届满或当事人放弃听证",
    f"{law(PENALTY_LAW, '六十四')}；{law(PENALTY_LAW, '八十五')}",
    by_action_type={
        "licensing": f"{law(LICENSING_LAW, '四十七')}；{law(LICENSING_LAW, '八十二')}",
    },
    kinds=("rights_notice",),
    deadlines=("hearing_request",),
)
def hearing_period_passed(ctx: GuardContext, source: str) -> list[Violation]:
    state = ctx.state
    if not state.hearing_eligible or state.hearing_requested() or state.hearing_waived():
        return []
    served = state.served_on("rights_notice")
    if served is None:
        return [
            Violation.make(
                "hearing_period_not_started",
                "告知听证权利的文书尚未送达，听证申请期限未起算",
                source,
            )
        ]
    deadline = ctx.procedure.deadline("hearing_request")
    assert deadline is not None and deadline.amount is not None and deadline.unit is not None
    due = compute_due(ctx.due_date, served, deadline.amount, deadline.unit)
    if state.today <= due:
        return [
            Violation.make(
                "hearing_period_running",
                f"当事人申请听证的期限（告知送达之日起{deadline.amount}"
                f"{_unit_words(deadline.unit)}，至{cn_date(due)}）尚未届满，"
                "当事人亦未明确放弃听证",
                source,
            )
        ]
    return []


@guard(
    "hearing_held_if_requested",
    "当事人申请听证的，已举行听证",
    f"{law(PENALTY_LAW, '六十三')}；002 第三十六条",
    by_action_type={"licensing": f"{law(LICENSING_LAW, '四十七')}；002 第三十六条"},
    kinds=("hearing_record",),
)
def hearing_held_if_requested(ctx: GuardContext, source: str) -> list[Violation]:
    state = ctx.state
    if not state.hearing_requested():
        return []
    held = [
        r
        for r in state.current_records(kinds=("hearing_record",))
        if record_complete(ctx.procedure, ctx.registry, r)
    ]
    if held:
        return []
    return [
        Violation.make(
            "hearing_not_held",
            "当事人已申请听证，尚无经听证主持人、记录人签名及当事人签字（或拒签记录）的听证笔录",
            source,
        )
    ]


@guard(
    "hearing_notice_timely",
    "听证通知于举行听证七日前送达",
    f"{law(PENALTY_LAW, '六十四')}",
    by_action_type={"licensing": f"{law(LICENSING_LAW, '四十八')}"},
    kinds=("hearing_notice", "hearing_record"),
    deadlines=("hearing_notice_lead",),
)
def hearing_notice_timely(ctx: GuardContext, source: str) -> list[Violation]:
    state = ctx.state
    hearing = state.latest("hearing_record")
    if hearing is None:
        return []
    served = state.served_on("hearing_notice")
    if served is None:
        return [Violation.make("hearing_notice_not_served", "听证通知书尚未送达当事人", source)]
    deadline = ctx.procedure.deadline("hearing_notice_lead")
    assert deadline is not None and deadline.amount is not None and deadline.unit is not None
    earliest = compute_due(ctx.due_date, served, deadline.amount, deadline.unit)
    if hearing.made_on < earliest:
        return [
            Violation.make(
                "hearing_notice_late",
                f"听证通知书于{cn_date(served)}送达，应于举行听证的{deadline.amount}"
                f"{_unit_words(deadline.unit)}前通知，听证最早可于{cn_date(earliest)}举行，"
                f"实际于{cn_date(hearing.made_on)}举行",
                source,
                ref=hearing.ref,
            )
        ]
    return []


def _unit_words(unit: str) -> str:
    return {"workdays": "个工作日", "calendar_days": "日", "days": "日"}.get(unit, unit)


# ------------------------------------------------------------------ review and decision


@guard(
    "legal_review_passed_if_required",
    "须经法制审核的，审核已通过且决定与审核内容一致",
    "000 法制审核办法 第三条；001 河南法制审核办法 第三条；002 第五十条",
    by_action_type={
        "penalty": f"{law(PENALTY_LAW, '五十八')}；000 法制审核办法 第三条；"
        "001 河南法制审核办法 第三条；002 第五十条",
    },
)
def legal_review_passed_if_required(ctx: GuardContext, source: str) -> list[Violation]:
    return review_violations(ctx.state, source)


def review_violations(state: CaseState, source: str) -> list[Violation]:
    review = state.review
    if not review.required:
        return []
    if review.passed is None:
        text = "本决定属于应当法制审核的范围，尚未经法制审核，不得作出决定"
        return [Violation.make("review_missing", text, source)]
    if review.passed is False:
        text = "法制审核未通过，不得作出决定（承办机构应研究处理后再次报送审核）"
        return [Violation.make("review_failed", text, source)]
    if not review.matches_decision:
        text = "决定内容（如罚款数额、法律依据）与法制审核通过的内容不一致，须重新法制审核"
        return [Violation.make("review_outdated", text, source)]
    if review.discussion_required and not review.discussion_done:
        text = (
            "法制审核通过的，应当提交本机关负责人集体讨论决定，尚无审核通过后签名完备的集体讨论记录"
        )
        return [
            Violation.make("review_discussion_missing", text, review.discussion_source or source)
        ]
    return []


@guard(
    "collective_discussion_if_required",
    "应当集体讨论的，已集体讨论",
    "000 全过程记录办法 第十三条；002 第三十七条",
    by_action_type={
        "penalty": f"{law(PENALTY_LAW, '五十七')}；000 全过程记录办法 第十三条",
    },
    kinds=("collective_discussion",),
)
def collective_discussion_if_required(ctx: GuardContext, source: str) -> list[Violation]:
    state = ctx.state
    if not state.collective_discussion_required:
        return []
    done = [
        r
        for r in state.current_records(kinds=("collective_discussion",))
        if record_complete(ctx.procedure, ctx.registry, r)
    ]
    if done:
        return []
    return [
        Violation.make(
            "collective_discussion_missing",
            "情节复杂或者重大违法的案件，应当由行政机关负责人集体讨论决定，尚无集体讨论记录",
            source,
        )
    ]


@guard(
    "head_signed",
    "机关负责人已签发决定",
    "002 第三十八条；000 全过程记录办法 第十三条",
)
def head_signed(ctx: GuardContext, source: str) -> list[Violation]:
    stage = ctx.stage
    decisions = [
        r
        for r in ctx.state.current_records(stage=stage.code)
        if r.kind in ctx.registry.kinds and ctx.registry.kinds[r.kind].decision
    ]
    if not decisions:
        return [
            Violation.make(
                "decision_missing", f"{stage.name}环节尚无决定书", source, stage=stage.code
            )
        ]
    return [
        Violation.make(
            "head_not_signed",
            f"{ctx.kind_name(r.kind)}尚无机关负责人签署意见和签发",
            source,
            stage=stage.code,
            ref=r.ref,
        )
        for r in decisions
        if "agency_head" not in r.signed_by
    ]


@guard(
    "simple_procedure_limits",
    "简易程序的适用限额",
    f"{law(PENALTY_LAW, '五十一')}",
    kinds=("on_spot_decision",),
)
def simple_procedure_limits(ctx: GuardContext, source: str) -> list[Violation]:
    state = ctx.state
    limit = 200 if state.party_kind == "natural_person" else 3000
    who = "公民" if state.party_kind == "natural_person" else "法人或者其他组织"
    return [
        Violation.make(
            "simple_procedure_limit",
            f"当场处罚仅适用于对{who}处以{limit}元以下罚款或者警告，"
            f"本案罚款{r.amount}元，应适用一般程序",
            source,
            ref=r.ref,
        )
        for r in state.current_records(kinds=("on_spot_decision",))
        if r.amount is not None and r.amount > limit
    ]


# ------------------------------------------------------------------ service


# What each service method needs besides the officer's own signature on the receipt.
_SERVICE_SIGNATURES: dict[str, str] = {
    "direct": "party",  # 受送达人签收
    "entrusted": "party",  # 代收人/受送达人签收
    "left_at_residence": "witness",  # 见证人 (or an AV item of the stage)
}


@guard(
    "service_recorded",
    "送达已按法定方式记录",
    "002 第三十九条；000 全过程记录办法 第十四条",
    by_action_type={
        "penalty": f"{law(PENALTY_LAW, '六十一')}；002 第三十九条；000 全过程记录办法 第十四条",
    },
    kinds=("service_receipt",),
)
def service_recorded(ctx: GuardContext, source: str) -> list[Violation]:
    state, stage, registry = ctx.state, ctx.stage, ctx.registry
    receipts = state.current_records(stage=stage.code, kinds=("service_receipt",))
    violations: list[Violation] = []
    if not receipts:
        violations.append(
            Violation.make("service_missing", "尚无送达回证（送达记录）", source, stage=stage.code)
        )
    methods = registry.service_methods
    for r in receipts:
        method = r.service_method
        if method is None or method not in methods:
            listed = "、".join(m.name for m in methods.values())
            violations.append(
                Violation.make(
                    "service_method_unknown",
                    f"送达回证未载明法定送达方式（{listed}）",
                    source,
                    stage=stage.code,
                    ref=r.ref,
                )
            )
            continue
        if r.served_on is None:
            violations.append(
                Violation.make("service_date_missing", "送达回证未载明送达日期", source, ref=r.ref)
            )
        if not r.document:
            violations.append(
                Violation.make(
                    "service_document_missing", "送达回证未载明所送达的文书", source, ref=r.ref
                )
            )
        needed = _SERVICE_SIGNATURES.get(method)
        method_name = methods[method].name
        if needed == "party" and "party" not in r.signed_by:
            violations.append(
                Violation.make(
                    "service_unsigned",
                    f"{method_name}须由受送达人在送达回证上签收；拒绝签收的，应改为留置送达并记录",
                    source,
                    ref=r.ref,
                )
            )
        if needed == "witness" and "witness" not in r.signed_by and not state.av_on(stage.code):
            violations.append(
                Violation.make(
                    "service_unwitnessed",
                    f"{method_name}须有见证人签名或以音像记录送达过程",
                    source,
                    ref=r.ref,
                )
            )
    for record in state.current_records():
        kind = registry.kinds.get(record.kind)
        if kind and kind.decision and kind.served and state.served_on(record.kind) is None:
            violations.append(
                Violation.make(
                    "decision_not_served",
                    f"{kind.name}尚未送达当事人",
                    source,
                    ref=record.ref,
                )
            )
    return violations


# ------------------------------------------------------------------ application-led starts


@guard(
    "application_accepted",
    "申请已受理",
    f"{law(LICENSING_LAW, '三十二')}；002 第二十九条",
    kinds=("acceptance_notice", "rejection_notice"),
)
def application_accepted(ctx: GuardContext, source: str) -> list[Violation]:
    state = ctx.state
    if not state.current_records(kinds=("acceptance_notice",)):
        return [Violation.make("not_accepted", "尚未出具受理通知书", source)]
    if state.current_records(kinds=("rejection_notice",)):
        return [
            Violation.make(
                "accepted_and_rejected",
                "同时存在受理通知书和不予受理通知书，应以更正记录撤销其一",
                source,
            )
        ]
    return []


@guard(
    "application_rejected",
    "申请不予受理",
    f"{law(LICENSING_LAW, '三十二')}；002 第二十九条",
    kinds=("acceptance_notice", "rejection_notice"),
)
def application_rejected(ctx: GuardContext, source: str) -> list[Violation]:
    state = ctx.state
    if not state.current_records(kinds=("rejection_notice",)):
        return [Violation.make("not_rejected", "尚未出具不予受理通知书", source)]
    if state.current_records(kinds=("acceptance_notice",)):
        return [
            Violation.make(
                "accepted_and_rejected",
                "同时存在受理通知书和不予受理通知书，应以更正记录撤销其一",
                source,
            )
        ]
    return []


# ------------------------------------------------------------------ inspection


@guard(
    "violations_found",
    "检查发现违法行为",
    "000 全过程记录办法 第十一条；004 第十一条",
    kinds=("inspection_result",),
)
def violations_found(ctx: GuardContext, source: str) -> list[Violation]:
    result = ctx.state.latest("inspection_result")
    if result is None or not result.violations_found:
        return [
            Violation.make(
                "no_violations_found", "检查结果未载明发现违法行为，无须移交立案", source
            )
        ]
    return []


# ------------------------------------------------------------------ closure


SOURCE_NOTICE_RULE = "002 第三十条"


def source_notice_violations(
    state: CaseState, procedure: Procedure, stage: str, source: str = SOURCE_NOTICE_RULE
) -> list[Violation]:
    """The case source that must be told the outcome (``state.source_notify_required``) has
    not been told, with the telling recorded (案源告知记录), before the act ends in ``stage``.

    002 第三十条: not started → tell the reasons and basis for not starting; started → tell
    what was done and decided. So a notice made in the initial stage counts only while the
    case never got past it (not filed); once a procedure was started, the notice must be made
    in the stage the act ends in, when the outcome is known."""
    if not state.source_notify_required:
        return []
    not_started = all(
        entry.from_stage == procedure.initial and entry.to_stage in procedure.finals
        for entry in state.history
    )
    counted = {stage, procedure.initial} if not_started else {stage}
    notices = [
        r for r in state.current_records(kinds=("source_notification",)) if r.stage in counted
    ]
    if notices:
        return []
    if not_started:
        text = (
            "决定不启动执法程序的，应当将不启动理由、依据等事项告知案源提供单位或者个人，"
            "并记录告知情况（案源告知记录）后方可结案"
        )
    else:
        text = (
            "应当将执法情况、执法结果等事项告知案源提供单位或者个人，"
            "并记录告知情况（案源告知记录）后方可结案"
        )
    return [Violation.make("source_not_notified", text, source, stage=stage)]


@guard(
    "source_notified_if_required",
    "须告知案源提供人的，已告知并记录",
    SOURCE_NOTICE_RULE,
    kinds=("source_notification",),
)
def source_notified_if_required(ctx: GuardContext, source: str) -> list[Violation]:
    """As a closing guard of a final stage, ``ctx.stage`` is that stage; on a transition, the
    stage being left (the notice then has to be made there)."""
    return source_notice_violations(ctx.state, ctx.procedure, ctx.stage.code, source)


@guard(
    "closure_all_stages_recorded",
    "结案前各环节记录完整",
    "000 全过程记录办法 第十五条；000 全过程记录办法 第十条；004 第十六条",
)
def closure_all_stages_recorded(ctx: GuardContext, source: str) -> list[Violation]:
    violations = []
    for code in ctx.state.passed_stages():
        if code == ctx.transition.from_stage or not ctx.procedure.has_stage(code):
            continue  # the stage being left is checked by stage_records_complete
        gaps = stage_gaps(ctx.state, ctx.procedure, ctx.registry, code)
        if gaps:
            name = ctx.procedure.stage_name(code)
            violations.append(
                Violation.make(
                    "closure_incomplete",
                    f"{name}环节的记录不完整，不得结案：{'；'.join(g.message for g in gaps)}",
                    source,
                    stage=code,
                )
            )
    return violations
