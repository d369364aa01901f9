"""Load and validate the procedure definitions (``definitions/*.toml``) and the record-kind
registry (``kinds.toml``).

Every malformed file fails loudly with a DefinitionError naming the file and the key: an
unknown field, a citation not of the form ``FILE [MEASURE ]第N条`` or ``《法律》第N条``, an
unknown action type, role, record kind, guard, stage or deadline event, a record kind placed
in a stage its registry entry does not list, a stage no transition reaches, a final stage
unreachable from the initial one, a stage from which no final stage can be reached, an
optional stage every path must pass, or a profile period no shipped rule profile defines.
"""

from __future__ import annotations

import re
import tomllib
from collections import deque
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sanxiang.core.rules import all_profiles

from .guards import GUARDS
from .model import (
    ACTION_TYPES,
    ACTOR_ROLES,
    DEADLINE_CONDITIONS,
    DEADLINE_KINDS,
    DEADLINE_UNITS,
    RECORD_DATA_KEYS,
    SIGNATURE_ROLES,
    DeadlineDef,
    DefinitionError,
    FieldDef,
    Procedure,
    RecordKind,
    RecordRequirement,
    Registry,
    ServiceMethod,
    SignatureSpec,
    StageDef,
    TransitionDef,
)
from .sources import check_source

CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
PROFILE_KEY_RE = re.compile(r"^profile:(?P<key>[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+)$")
EVENT_RE = re.compile(
    r"^(?:(?P<plain>opened|review_submitted|review_decided|archived)"
    r"|(?P<prefix>entered|record|served):(?P<code>[a-z][a-z0-9_]*))$"
)

PROCEDURE_FIELDS = frozenset(
    {
        "code",
        "action_type",
        "name",
        "description",
        "basis",
        "initial",
        "finals",
        "stages",
        "transitions",
        "deadlines",
    }
)
STAGE_FIELDS = frozenset(
    {
        "code",
        "name",
        "source",
        "description",
        "optional",
        "records",
        "optional_records",
        "activities",
        "closing_guards",
    }
)
REQUIREMENT_FIELDS = frozenset({"kind", "any_of", "min", "signatures", "note"})
TRANSITION_FIELDS = frozenset(
    {"code", "label", "from", "to", "guards", "roles", "source", "description"}
)
DEADLINE_FIELDS = frozenset(
    {
        "code",
        "label",
        "start",
        "end",
        "amount",
        "unit",
        "period",
        "kind",
        "condition",
        "extend_by",
        "extend_when",
        "source",
        "note",
    }
)
KINDS_FILE_FIELDS = frozenset({"service", "kinds"})
SERVICE_FIELDS = frozenset({"source", "methods"})
KIND_FIELDS = frozenset(
    {"name", "stages", "fields", "signatures", "source", "decision", "served", "data", "note"}
)
FIELD_FIELDS = frozenset({"name", "label"})

# Period units a profile rule may have to serve as a case deadline.
PROFILE_PERIOD_UNITS = frozenset({"workdays", "calendar_days"})


class _File:
    """Error helpers bound to one file."""

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self.what = what

    def fail(self, where: str, message: str) -> DefinitionError:
        return DefinitionError(f"{self.what} {self.path.name}：{where}：{message}")

    def unknown_fields(self, where: str, table: dict[str, Any], allowed: frozenset[str]) -> None:
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise self.fail(
                where,
                f"未知字段 {'、'.join(unknown)}；允许的字段：{'、'.join(sorted(allowed))}。",
            )

    def table(self, where: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"应为表，而不是 {value!r}。")
        return value

    def text(self, where: str, table: dict[str, Any], name: str, *, required: bool) -> str:
        value = table.get(name, "")
        if not isinstance(value, str):
            raise self.fail(where, f"“{name}”应为字符串，而不是 {value!r}。")
        if required and not value.strip():
            raise self.fail(where, f"缺少“{name}”。")
        return value.strip()

    def code(self, where: str, table: dict[str, Any], name: str = "code") -> str:
        value = self.text(where, table, name, required=True)
        if not CODE_RE.match(value):
            raise self.fail(where, f"“{name}”的值“{value}”应为小写英文字母、数字或下划线。")
        return value

    def flag(self, where: str, table: dict[str, Any], name: str) -> bool:
        value = table.get(name, False)
        if not isinstance(value, bool):
            raise self.fail(where, f"“{name}”应为 true 或 false，而不是 {value!r}。")
        return value

    def strings(self, where: str, table: dict[str, Any], name: str) -> tuple[str, ...]:
        value = table.get(name, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(where, f"“{name}”应为字符串列表，而不是 {value!r}。")
        if len(set(value)) != len(value):
            raise self.fail(where, f"“{name}”中有重复项。")
        return tuple(value)

    def source(self, where: str, table: dict[str, Any], name: str = "source") -> str:
        value = self.text(where, table, name, required=True)
        try:
            check_source(value)
        except ValueError as exc:
            raise self.fail(where, str(exc)) from None
        return value

    def roles(self, where: str, values: Iterable[str], known: dict[str, str], what: str) -> None:
        for role in values:
            if role not in known:
                raise self.fail(where, f"未知的{what}“{role}”；可用：{'、'.join(known)}。")

    def signatures(self, where: str, table: dict[str, Any]) -> tuple[SignatureSpec, ...]:
        specs = []
        for text in self.strings(where, table, "signatures"):
            spec = SignatureSpec.parse(text)
            self.roles(where, spec.roles, SIGNATURE_ROLES, "签名角色")
            specs.append(spec)
        return tuple(specs)


def _read_toml(path: Path, what: str) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(f"{what} {path.name} 不是有效的 TOML：{exc}") from exc
    except OSError as exc:
        raise DefinitionError(f"无法读取{what} {path}：{exc}") from exc


# ------------------------------------------------------------------ kinds.toml


def load_kinds(
    path: Path,
) -> tuple[dict[str, RecordKind], dict[str, ServiceMethod], str]:
    f = _File(path, "文书种类登记文件")
    data = _read_toml(path, f.what)
    f.unknown_fields("顶层", data, KINDS_FILE_FIELDS)
    service = f.table("service", data.get("service"))
    f.unknown_fields("service", service, SERVICE_FIELDS)
    service_source = f.source("service", service)
    raw_methods = f.table("service.methods", service.get("methods"))
    if not raw_methods:
        raise f.fail("service.methods", "未列出送达方式。")
    methods: dict[str, ServiceMethod] = {}
    for code, name in raw_methods.items():
        if not CODE_RE.match(code) or not isinstance(name, str) or not name:
            raise f.fail("service.methods", f"送达方式“{code}”应为“代码 = 中文名称”。")
        methods[code] = ServiceMethod(code, name)
    raw_kinds = f.table("kinds", data.get("kinds"))
    if not raw_kinds:
        raise f.fail("kinds", "未登记任何文书种类。")
    kinds: dict[str, RecordKind] = {}
    for code, raw in raw_kinds.items():
        where = f"文书种类“{code}”"
        if not CODE_RE.match(code):
            raise f.fail(where, "代码应为小写英文字母、数字或下划线。")
        table = f.table(where, raw)
        f.unknown_fields(where, table, KIND_FIELDS)
        stages = f.strings(where, table, "stages")
        if not stages:
            raise f.fail(where, "应列出所属环节（stages）。")
        for stage in stages:
            if not CODE_RE.match(stage):
                raise f.fail(where, f"环节代码“{stage}”应为小写英文字母、数字或下划线。")
        fields = _fields(f, where, table)
        data_keys = f.strings(where, table, "data")
        for key in data_keys:
            if key not in RECORD_DATA_KEYS:
                raise f.fail(where, f"未知的关键数据“{key}”；可用：{'、'.join(RECORD_DATA_KEYS)}。")
        kinds[code] = RecordKind(
            code=code,
            name=f.text(where, table, "name", required=True),
            stages=stages,
            fields=fields,
            signatures=f.signatures(where, table),
            source=f.source(where, table),
            decision=f.flag(where, table, "decision"),
            served=f.flag(where, table, "served"),
            data=data_keys,
            note=f.text(where, table, "note", required=False),
        )
    return kinds, methods, service_source


def _fields(f: _File, where: str, table: dict[str, Any]) -> tuple[FieldDef, ...]:
    raw = table.get("fields", [])
    if not isinstance(raw, list) or not raw:
        raise f.fail(where, "应列出文书须载明的事项（fields）。")
    fields: list[FieldDef] = []
    for index, item in enumerate(raw):
        at = f"{where} fields[{index}]"
        item = f.table(at, item)
        f.unknown_fields(at, item, FIELD_FIELDS)
        name = f.code(at, item, "name")
        if any(existing.name == name for existing in fields):
            raise f.fail(at, f"事项“{name}”重复。")
        fields.append(FieldDef(name, f.text(at, item, "label", required=True)))
    return tuple(fields)


# ------------------------------------------------------------------ procedures


def read_procedure_file(path: Path, kinds: dict[str, RecordKind]) -> Procedure:
    f = _File(path, "执法程序定义文件")
    data = _read_toml(path, f.what)
    f.unknown_fields("顶层", data, PROCEDURE_FIELDS)
    code = f.code("code", data)
    if code != path.stem:
        raise f.fail("code", f"程序代码“{code}”应与文件名“{path.stem}”一致。")
    action_type = f.text("action_type", data, "action_type", required=True)
    if action_type not in ACTION_TYPES:
        raise f.fail(
            "action_type", f"未知的执法行为类别“{action_type}”；可用：{'、'.join(ACTION_TYPES)}。"
        )
    basis = f.strings("basis", data, "basis")
    if not basis:
        raise f.fail("basis", "应列出本程序的依据。")
    for item in basis:
        try:
            check_source(item)
        except ValueError as exc:
            raise f.fail("basis", str(exc)) from None

    stages = _stages(f, data, kinds)
    stage_codes = [s.code for s in stages]
    initial = f.text("initial", data, "initial", required=True)
    if initial not in stage_codes:
        raise f.fail(
            "initial", f"初始环节“{initial}”不是本程序的环节（{'、'.join(stage_codes)}）。"
        )
    finals = f.strings("finals", data, "finals")
    if not finals:
        raise f.fail("finals", "应列出终结环节。")
    for final in finals:
        if final not in stage_codes:
            raise f.fail(
                "finals", f"终结环节“{final}”不是本程序的环节（{'、'.join(stage_codes)}）。"
            )
    for stage in stages:
        if stage.closing_guards and stage.code not in finals:
            raise f.fail(
                f"stages（{stage.code}）",
                "只有终结环节可以规定结案条件（closing_guards）。",
            )
    transitions = _transitions(f, data, stage_codes)
    deadlines = _deadlines(f, data, stages, kinds)
    procedure = Procedure(
        code=code,
        action_type=action_type,
        name=f.text("name", data, "name", required=True),
        basis=basis,
        initial=initial,
        finals=finals,
        stages=stages,
        transitions=transitions,
        deadlines=deadlines,
        description=f.text("description", data, "description", required=False),
        path=path,
    )
    _check_graph(f, procedure)
    _check_guard_needs(f, procedure, kinds)
    return procedure


def _stages(f: _File, data: dict[str, Any], kinds: dict[str, RecordKind]) -> tuple[StageDef, ...]:
    raw = data.get("stages", [])
    if not isinstance(raw, list) or not raw:
        raise f.fail("stages", "应定义至少一个环节（[[stages]]）。")
    stages: list[StageDef] = []
    for index, item in enumerate(raw):
        where = f"stages[{index}]"
        table = f.table(where, item)
        code = f.code(where, table)
        where = f"stages[{index}]（{code}）"
        f.unknown_fields(where, table, STAGE_FIELDS)
        if any(s.code == code for s in stages):
            raise f.fail(where, f"环节“{code}”重复定义。")
        required = []
        raw_records = table.get("records", [])
        if not isinstance(raw_records, list):
            raise f.fail(where, "records 应为 [[stages.records]] 表的数组。")
        for r_index, r_item in enumerate(raw_records):
            required.append(_requirement(f, f"{where} records[{r_index}]", r_item, code, kinds))
        optional_records = f.strings(where, table, "optional_records")
        for kind in optional_records:
            _check_kind(f, where, kind, code, kinds)
            if any(kind in req.kinds for req in required):
                raise f.fail(where, f"文书种类“{kind}”既是必备记录又列为可选记录。")
        stages.append(
            StageDef(
                code=code,
                name=f.text(where, table, "name", required=True),
                source=f.source(where, table),
                required=tuple(required),
                optional_records=optional_records,
                optional=f.flag(where, table, "optional"),
                activities=f.strings(where, table, "activities"),
                description=f.text(where, table, "description", required=False),
                closing_guards=_closing_guards(f, where, table),
            )
        )
    return tuple(stages)


def _closing_guards(f: _File, where: str, table: dict[str, Any]) -> tuple[str, ...]:
    names = f.strings(where, table, "closing_guards")
    for name in names:
        if name not in GUARDS:
            raise f.fail(where, f"未知的守卫条件“{name}”；可用：{'、'.join(sorted(GUARDS))}。")
        if GUARDS[name].implicit:
            raise f.fail(where, f"守卫条件“{name}”对每次流转都自动检查，不必列为结案条件。")
    if len(set(names)) != len(names):
        raise f.fail(where, "closing_guards 中有重复的守卫条件。")
    return names


def _check_kind(f: _File, where: str, kind: str, stage: str, kinds: dict[str, RecordKind]) -> None:
    if kind not in kinds:
        raise f.fail(where, f"未登记的文书种类“{kind}”（见 kinds.toml）。")
    if stage not in kinds[kind].stages:
        raise f.fail(
            where,
            f"文书种类“{kind}”（{kinds[kind].name}）登记的所属环节"
            f"（{'、'.join(kinds[kind].stages)}）不含“{stage}”。",
        )


def _requirement(
    f: _File, where: str, item: Any, stage: str, kinds: dict[str, RecordKind]
) -> RecordRequirement:
    table = f.table(where, item)
    f.unknown_fields(where, table, REQUIREMENT_FIELDS)
    if ("kind" in table) == ("any_of" in table):
        raise f.fail(where, "应且只应给出 kind（一种文书）或 any_of（其中一种）。")
    if "kind" in table:
        names: tuple[str, ...] = (f.text(where, table, "kind", required=True),)
    else:
        names = f.strings(where, table, "any_of")
        if len(names) < 2:
            raise f.fail(where, "any_of 应列出至少两种文书。")
    for kind in names:
        _check_kind(f, where, kind, stage, kinds)
    minimum = table.get("min", 1)
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 1:
        raise f.fail(where, f"min 应为正整数，而不是 {minimum!r}。")
    signatures = f.signatures(where, table) if "signatures" in table else None
    return RecordRequirement(
        kinds=names,
        min_count=minimum,
        signatures=signatures,
        note=f.text(where, table, "note", required=False),
    )


def _transitions(
    f: _File, data: dict[str, Any], stage_codes: list[str]
) -> tuple[TransitionDef, ...]:
    raw = data.get("transitions", [])
    if not isinstance(raw, list):
        raise f.fail("transitions", "应为 [[transitions]] 表的数组。")
    transitions: list[TransitionDef] = []
    for index, item in enumerate(raw):
        where = f"transitions[{index}]"
        table = f.table(where, item)
        code = f.code(where, table)
        where = f"transitions[{index}]（{code}）"
        f.unknown_fields(where, table, TRANSITION_FIELDS)
        if any(t.code == code for t in transitions):
            raise f.fail(where, f"流转“{code}”重复定义。")
        ends = {}
        for end in ("from", "to"):
            value = f.text(where, table, end, required=True)
            if value not in stage_codes:
                raise f.fail(where, f"{end} 所指环节“{value}”未定义（{'、'.join(stage_codes)}）。")
            ends[end] = value
        if ends["from"] == ends["to"]:
            raise f.fail(where, "流转的起止环节相同。")
        guards = f.strings(where, table, "guards")
        for name in guards:
            if name not in GUARDS:
                raise f.fail(where, f"未知的守卫条件“{name}”；可用：{'、'.join(GUARDS)}。")
            if GUARDS[name].implicit:
                raise f.fail(where, f"守卫条件“{name}”对每个流转自动适用，无须列出。")
        roles = f.strings(where, table, "roles")
        if not roles:
            raise f.fail(where, "应列出可执行该流转的角色（roles）。")
        f.roles(where, roles, ACTOR_ROLES, "操作角色")
        transitions.append(
            TransitionDef(
                code=code,
                label=f.text(where, table, "label", required=True),
                from_stage=ends["from"],
                to_stage=ends["to"],
                guards=guards,
                roles=roles,
                source=f.source(where, table),
                description=f.text(where, table, "description", required=False),
            )
        )
    if not transitions and len(stage_codes) > 1:
        raise f.fail("transitions", "没有定义任何流转。")
    return tuple(transitions)


def _event(
    f: _File, where: str, event: str, stages: tuple[StageDef, ...], kinds: dict[str, RecordKind]
) -> None:
    match = EVENT_RE.match(event)
    if not match:
        raise f.fail(
            where,
            f"事件“{event}”无法识别；应为 opened、review_submitted、review_decided、archived，"
            "或 entered:环节、record:文书种类、served:文书种类。",
        )
    prefix, code = match["prefix"], match["code"]
    if prefix == "entered" and not any(s.code == code for s in stages):
        raise f.fail(where, f"事件“{event}”所指环节“{code}”未定义。")
    if prefix in {"record", "served"}:
        used = {kind for stage in stages for kind in stage.allowed_kinds}
        if code not in kinds:
            raise f.fail(where, f"事件“{event}”所指文书种类“{code}”未登记。")
        if code not in used:
            raise f.fail(where, f"事件“{event}”所指文书种类“{code}”不在本程序任何环节中。")
        if prefix == "served" and not kinds[code].served:
            raise f.fail(where, f"事件“{event}”：文书种类“{code}”不是须送达的文书（served）。")


def _profile_key(f: _File, where: str, value: str) -> str:
    match = PROFILE_KEY_RE.match(value)
    if not match:
        raise f.fail(where, f"“{value}”应形如“profile:recording.archive_deadline”。")
    key = match["key"]
    for profile in all_profiles():
        if key not in profile:
            raise f.fail(where, f"规则配置“{profile.name}”（{profile.code}）未定义规则“{key}”。")
        rule = profile.rule(key)
        if rule.unit not in PROFILE_PERIOD_UNITS:
            raise f.fail(
                where,
                f"规则配置“{profile.name}”的规则“{key}”（{rule.source}）不是以工作日或日计的期限。",
            )
    return key


def _deadlines(
    f: _File, data: dict[str, Any], stages: tuple[StageDef, ...], kinds: dict[str, RecordKind]
) -> tuple[DeadlineDef, ...]:
    raw = data.get("deadlines", [])
    if not isinstance(raw, list):
        raise f.fail("deadlines", "应为 [[deadlines]] 表的数组。")
    deadlines: list[DeadlineDef] = []
    for index, item in enumerate(raw):
        where = f"deadlines[{index}]"
        table = f.table(where, item)
        code = f.code(where, table)
        where = f"deadlines[{index}]（{code}）"
        f.unknown_fields(where, table, DEADLINE_FIELDS)
        if any(d.code == code for d in deadlines):
            raise f.fail(where, f"期限“{code}”重复定义。")
        start = f.text(where, table, "start", required=True)
        _event(f, where, start, stages, kinds)
        end = f.strings(where, table, "end")
        for event in end:
            _event(f, where, event, stages, kinds)
        kind = f.text(where, table, "kind", required=False) or "agency"
        if kind not in DEADLINE_KINDS:
            raise f.fail(where, f"未知的期限类别“{kind}”；可用：{'、'.join(DEADLINE_KINDS)}。")
        period = f.text(where, table, "period", required=False)
        amount: int | None = None
        unit: str | None = None
        profile_key: str | None = None
        if period:
            if "amount" in table or "unit" in table:
                raise f.fail(where, "period（规则配置期限）与 amount/unit 只能给出其一。")
            profile_key = _profile_key(f, where, period)
        else:
            raw_amount = table.get("amount")
            if isinstance(raw_amount, bool) or not isinstance(raw_amount, int) or raw_amount < 0:
                raise f.fail(where, f"amount 应为非负整数，而不是 {raw_amount!r}。")
            amount = raw_amount
            unit = f.text(where, table, "unit", required=True)
            if unit not in DEADLINE_UNITS:
                raise f.fail(where, f"未知的期限单位“{unit}”；可用：{'、'.join(DEADLINE_UNITS)}。")
        condition = f.text(where, table, "condition", required=False) or None
        extend_when = f.text(where, table, "extend_when", required=False) or None
        for name in (condition, extend_when):
            if name is not None and name not in DEADLINE_CONDITIONS:
                raise f.fail(where, f"未知的条件“{name}”；可用：{'、'.join(DEADLINE_CONDITIONS)}。")
        extend_text = f.text(where, table, "extend_by", required=False)
        extend_by = _profile_key(f, where, extend_text) if extend_text else None
        if (extend_by is None) != (extend_when is None):
            raise f.fail(where, "extend_by 与 extend_when 应同时给出。")
        if kind != "window" and not end:
            raise f.fail(where, "机关或当事人的期限应给出完成事件（end）。")
        deadlines.append(
            DeadlineDef(
                code=code,
                label=f.text(where, table, "label", required=True),
                start=start,
                end=end,
                kind=kind,
                amount=amount,
                unit=unit,
                profile_key=profile_key,
                condition=condition,
                extend_by=extend_by,
                extend_when=extend_when,
                source=f.source(where, table),
                note=f.text(where, table, "note", required=False),
            )
        )
    return tuple(deadlines)


def _reachable(procedure: Procedure, start: str, avoid: str | None = None) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        stage = queue.popleft()
        for t in procedure.transitions_from(stage):
            if t.to_stage != avoid and t.to_stage not in seen:
                seen.add(t.to_stage)
                queue.append(t.to_stage)
    return seen


def _check_graph(f: _File, procedure: Procedure) -> None:
    reachable = _reachable(procedure, procedure.initial)
    for final in procedure.finals:
        if final not in reachable:
            raise f.fail("finals", f"终结环节“{final}”无法从初始环节“{procedure.initial}”到达。")
    for stage in procedure.stages:
        if stage.code not in reachable:
            raise f.fail(
                f"环节“{stage.code}”", f"没有任何流转能从初始环节“{procedure.initial}”到达该环节。"
            )
        if stage.code not in procedure.finals:
            onward = _reachable(procedure, stage.code)
            if not onward & set(procedure.finals):
                raise f.fail(f"环节“{stage.code}”", "从该环节无法到达任何终结环节。")
        if stage.optional:
            if stage.code == procedure.initial:
                raise f.fail(f"环节“{stage.code}”", "初始环节不能是可选环节。")
            avoiding = _reachable(procedure, procedure.initial, avoid=stage.code)
            if not avoiding & (set(procedure.finals) - {stage.code}):
                raise f.fail(
                    f"环节“{stage.code}”", "标记为可选环节，但不经过该环节无法到达终结环节。"
                )


def _check_guard_needs(f: _File, procedure: Procedure, kinds: dict[str, RecordKind]) -> None:
    uses = [(f"transitions（{t.code}）", name) for t in procedure.transitions for name in t.guards]
    uses += [(f"stages（{s.code}）", name) for s in procedure.stages for name in s.closing_guards]
    for where, name in uses:
        g = GUARDS[name]
        for kind in g.kinds:
            if kind not in kinds:
                raise f.fail(where, f"守卫条件“{name}”读取的文书种类“{kind}”未在 kinds.toml 登记。")
        for code in g.deadlines:
            deadline = procedure.deadline(code)
            if deadline is None or deadline.amount is None:
                raise f.fail(
                    where,
                    f"守卫条件“{name}”需要本程序定义固定期限“{code}”（[[deadlines]]）。",
                )
    for stage in procedure.stages:
        for name in stage.closing_guards:
            # A closing guard reads records of the final stage: the stage must hold them.
            missing = [k for k in GUARDS[name].kinds if k not in stage.allowed_kinds]
            if missing:
                raise f.fail(
                    f"stages（{stage.code}）",
                    f"结案条件“{name}”读取的文书种类（{'、'.join(missing)}）不属于本环节，"
                    "无法在结案前制作。",
                )


def load_registry(definitions_dir: Path, kinds_file: Path) -> Registry:
    """The record kinds of ``kinds_file`` and every procedure in ``definitions_dir``."""
    kinds, methods, service_source = load_kinds(kinds_file)
    paths = sorted(definitions_dir.glob("*.toml"))
    if not paths:
        raise DefinitionError(f"目录 {definitions_dir} 中没有执法程序定义文件（*.toml）。")
    procedures = {}
    for path in paths:
        procedure = read_procedure_file(path, kinds)
        procedures[procedure.code] = procedure
    return Registry(
        kinds=kinds,
        service_methods=methods,
        service_source=service_source,
        procedures=procedures,
    )
