"""Value types of the procedure definitions: procedures, stages, record requirements,
transitions, deadlines and the record-kind registry — all immutable, all loaded from data.

Nothing here touches the database: the definitions are read from the TOML files beside this
module (``definitions/*.toml`` and ``kinds.toml``) by ``loader.py``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

# ------------------------------------------------------------------ vocabularies

ACTION_TYPES: dict[str, str] = {
    "penalty": "行政处罚",
    "coercion": "行政强制",
    "inspection": "行政检查",
    "expropriation": "行政征收征用",
    "licensing": "行政许可",
    "confirmation": "行政确认",
    "payment": "行政给付",
    "reward": "行政奖励",
    "adjudication": "行政裁决",
}

# Who signs a record (004 第十三条: 行政执法人员、行政相对人及有关人员签字或盖章).
SIGNATURE_ROLES: dict[str, str] = {
    "officer": "执法人员",
    "party": "当事人",
    "witness": "见证人",
    "unit_head": "承办机构负责人",
    "agency_head": "机关负责人",
    "reviewer": "法制审核人员",
    "hearing_host": "听证主持人",
    "recorder": "记录人",
}

# Only people outside the agency can refuse to sign; their refusal, written into the record,
# stands in for the signature (004 第十三条; 《中华人民共和国行政强制法》第十八条;
# 002 第三十六条). Staff must sign.
REFUSABLE_ROLES: frozenset[str] = frozenset({"party", "witness"})

# Who may fire a transition (the staff roles of org.Role).
ACTOR_ROLES: dict[str, str] = {
    "officer": "执法人员",
    "unit_head": "承办机构负责人",
    "legal_reviewer": "法制审核人员",
    "agency_head": "机关负责人",
}

# Deadline units. calendar_days follow the statutory rule that a period ending on a rest day
# ends on the next working day (core.workdays.add_calendar_days); "days" is plain date
# arithmetic for terms that are a span, not a period to act in.
DEADLINE_UNITS: dict[str, str] = {
    "workdays": "个工作日",
    "calendar_days": "日",
    "days": "日（不顺延）",
}

# What a deadline binds: the agency must act by it; the party must act by it; or it is a
# window the agency must let pass (the party may act until it ends).
DEADLINE_KINDS: dict[str, str] = {
    "agency": "机关办理期限",
    "party": "当事人履行期限",
    "window": "须待届满的期间",
}

# Conditions a deadline may depend on, read from the case state.
DEADLINE_CONDITIONS: dict[str, str] = {
    "hearing_eligible": "当事人依法享有听证权利",
    "hearing_requested": "当事人申请听证",
    "review_required": "须经法制审核",
    "review_extended": "法制审核经批准延长",
}

# The key data a record may carry, which the engine reads (fields of state.RecordSnapshot).
RECORD_DATA_KEYS: dict[str, str] = {
    "hearing_requested": "是否申请听证",
    "statement_waived": "是否放弃陈述申辩",
    "served_on": "送达日期",
    "service_method": "送达方式",
    "document": "所送达的文书",
    "amount": "罚没金额（元）",
    "violations_found": "是否发现违法行为",
}

AV_LEVELS: dict[str, str] = {
    "none": "无须音像记录",
    "av": "应当音像记录",
    "full_process": "应当全过程音像记录",
}


class DefinitionError(ValueError):
    """A procedure or record-kind definition is malformed: the message names file and key."""


class UnknownProcedure(LookupError):
    """No procedure with that code."""


# ------------------------------------------------------------------ record kinds


@dataclass(frozen=True)
class FieldDef:
    """A field a record of some kind must fill in (name in code, label in Chinese)."""

    name: str
    label: str


@dataclass(frozen=True)
class SignatureSpec:
    """One signature a record needs: a role, or alternatives (``party|witness``)."""

    roles: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> SignatureSpec:
        return cls(tuple(part.strip() for part in text.split("|")))

    @property
    def label(self) -> str:
        return "或".join(SIGNATURE_ROLES.get(role, role) for role in self.roles)

    @property
    def refusable(self) -> bool:
        return any(role in REFUSABLE_ROLES for role in self.roles)

    def satisfied_by(self, signed: frozenset[str], refused: frozenset[str]) -> bool:
        """Signed by one of the roles, or refused by one of them who may refuse."""
        return any(role in signed for role in self.roles) or any(
            role in refused and role in REFUSABLE_ROLES for role in self.roles
        )

    def __str__(self) -> str:
        return "|".join(self.roles)


@dataclass(frozen=True)
class RecordKind:
    """A kind of 文书/笔录: what it is called, where it belongs, what it holds, who signs it."""

    code: str
    name: str
    stages: tuple[str, ...]
    fields: tuple[FieldDef, ...]
    signatures: tuple[SignatureSpec, ...]
    source: str
    decision: bool = False  # an enforcement decision the agency head signs and issues
    served: bool = False  # a document served on the party (送达)
    data: tuple[str, ...] = ()  # the key data (RECORD_DATA_KEYS) it carries
    note: str = ""


@dataclass(frozen=True)
class ServiceMethod:
    code: str
    name: str


# ------------------------------------------------------------------ procedures


@dataclass(frozen=True)
class RecordRequirement:
    """A stage needs at least ``min_count`` current records of one of ``kinds``, each with the
    signatures listed (or, when None, those its kind requires)."""

    kinds: tuple[str, ...]
    min_count: int = 1
    signatures: tuple[SignatureSpec, ...] | None = None
    note: str = ""


@dataclass(frozen=True)
class StageDef:
    code: str
    name: str
    source: str
    required: tuple[RecordRequirement, ...] = ()
    optional_records: tuple[str, ...] = ()
    optional: bool = False
    # On-site activities carried out within the stage whose AV rules the catalogue's AV
    # matter list names by code (catalog.stages: site_inspection, seizure, demolition).
    activities: tuple[str, ...] = ()
    description: str = ""
    # Final stages only: guards (guards.GUARDS) that must pass before the act is over in this
    # stage (engine.is_finished), whichever transition brought the case here — e.g. the case
    # source was told the outcome (002 第三十条).
    closing_guards: tuple[str, ...] = ()

    @property
    def allowed_kinds(self) -> frozenset[str]:
        kinds = {kind for req in self.required for kind in req.kinds}
        return frozenset(kinds | set(self.optional_records))


@dataclass(frozen=True)
class TransitionDef:
    code: str
    label: str
    from_stage: str
    to_stage: str
    guards: tuple[str, ...]
    roles: tuple[str, ...]
    source: str
    description: str = ""


@dataclass(frozen=True)
class DeadlineDef:
    """A time limit: from a start event, an amount of a unit (or a rule-profile period), until
    one of the end events; ``condition`` limits it to cases where it applies."""

    code: str
    label: str
    start: str
    source: str
    kind: str = "agency"
    end: tuple[str, ...] = ()
    amount: int | None = None
    unit: str | None = None
    profile_key: str | None = None  # "recording.archive_deadline" for profile:…
    condition: str | None = None
    extend_by: str | None = None  # a profile key added when extend_when holds
    extend_when: str | None = None
    note: str = ""

    @property
    def from_profile(self) -> bool:
        return self.profile_key is not None


@dataclass(frozen=True, eq=False)
class Procedure:
    code: str
    action_type: str
    name: str
    basis: tuple[str, ...]
    initial: str
    finals: tuple[str, ...]
    stages: tuple[StageDef, ...]
    transitions: tuple[TransitionDef, ...]
    deadlines: tuple[DeadlineDef, ...] = ()
    description: str = ""
    path: Path | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return f"<Procedure {self.code} {self.name}>"

    @property
    def action_type_label(self) -> str:
        return ACTION_TYPES.get(self.action_type, self.action_type)

    @property
    def basis_text(self) -> str:
        return "；".join(self.basis)

    def stage(self, code: str) -> StageDef:
        for stage in self.stages:
            if stage.code == code:
                return stage
        raise KeyError(f"执法程序“{self.name}”没有“{code}”环节。")

    def has_stage(self, code: str) -> bool:
        return any(stage.code == code for stage in self.stages)

    def stage_name(self, code: str) -> str:
        return self.stage(code).name if self.has_stage(code) else code

    def transition(self, code: str) -> TransitionDef | None:
        for transition in self.transitions:
            if transition.code == code:
                return transition
        return None

    def transitions_from(self, stage: str) -> list[TransitionDef]:
        return [t for t in self.transitions if t.from_stage == stage]

    def transitions_into(self, stage: str) -> list[TransitionDef]:
        return [t for t in self.transitions if t.to_stage == stage]

    def deadline(self, code: str) -> DeadlineDef | None:
        for deadline in self.deadlines:
            if deadline.code == code:
                return deadline
        return None

    def record_kinds_used(self) -> frozenset[str]:
        return frozenset(kind for stage in self.stages for kind in stage.allowed_kinds)


@dataclass(frozen=True, eq=False)
class Registry:
    """Everything loaded: the record kinds, the service methods and the procedures."""

    kinds: Mapping[str, RecordKind]
    service_methods: Mapping[str, ServiceMethod]
    service_source: str
    procedures: Mapping[str, Procedure]

    def __iter__(self) -> Iterator[Procedure]:
        return iter(self.procedures.values())

    def kind(self, code: str) -> RecordKind:
        return self.kinds[code]

    def kind_name(self, code: str) -> str:
        kind = self.kinds.get(code)
        return kind.name if kind else code
