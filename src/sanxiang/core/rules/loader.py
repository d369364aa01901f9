"""Load and validate the profile files (``profiles/*.toml``).

Every malformed file fails loudly with a ProfileFileError that names the file and the key:
an unknown field, a citation not in the ``FILE [MEASURE ]第N条`` form or naming a document
the profile does not list, an unknown unit, a value of the wrong kind, an open value without
a note saying why, an unknown parent, an inheritance cycle, or an override the parent does not
define (or a redefinition not marked as one).
"""

from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from .citations import parse_citation
from .model import (
    PERIOD_UNITS,
    SCALAR_UNITS,
    Document,
    Period,
    PeriodUnit,
    ProfileFileError,
    Rule,
    RuleProfile,
)

CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$")
FILE_RE = re.compile(r"^\d{3}$")
MONTH_DAY_RE = re.compile(r"^(\d{2})-(\d{2})$")

PROFILE_FIELDS = frozenset({"code", "name", "inherits", "description", "documents", "rules"})
DOCUMENT_FIELDS = frozenset({"file", "measure", "title"})
RULE_FIELDS = frozenset(
    {"label", "value", "unit", "source", "note", "quote", "choices", "override"}
)


@dataclass(frozen=True)
class _ProfileFile:
    path: Path
    code: str
    name: str
    inherits: str
    description: str
    documents: tuple[Document, ...]
    rules: dict[str, Rule]
    overrides: frozenset[str]


def _fail(path: Path, where: str, message: str) -> ProfileFileError:
    return ProfileFileError(f"规则配置文件 {path.name}：{where}：{message}")


def _text(path: Path, where: str, table: dict[str, Any], name: str, *, required: bool) -> str:
    value = table.get(name, "")
    if not isinstance(value, str):
        raise _fail(path, where, f"“{name}”应为字符串，而不是 {value!r}。")
    if required and not value.strip():
        raise _fail(path, where, f"缺少“{name}”。")
    return value.strip()


def _unknown_fields(path: Path, where: str, table: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise _fail(
            path,
            where,
            f"未知字段 {'、'.join(unknown)}；允许的字段：{'、'.join(sorted(allowed))}。",
        )


def _documents(path: Path, data: dict[str, Any]) -> tuple[Document, ...]:
    raw = data.get("documents", [])
    if not isinstance(raw, list) or not raw:
        raise _fail(path, "documents", "应列出本配置所依据的规范性文件（至少一件）。")
    documents: list[Document] = []
    for index, item in enumerate(raw):
        where = f"documents[{index}]"
        if not isinstance(item, dict):
            raise _fail(path, where, "应为表（file、measure、title）。")
        _unknown_fields(path, where, item, DOCUMENT_FIELDS)
        file = _text(path, where, item, "file", required=True)
        if not FILE_RE.match(file):
            raise _fail(path, where, f"文件号“{file}”应为3位数字，如“000”。")
        measure = _text(path, where, item, "measure", required=False)
        if " " in measure:
            raise _fail(path, where, f"办法简称“{measure}”不能含空格。")
        document = Document(
            file=file, measure=measure, title=_text(path, where, item, "title", required=True)
        )
        if any(d.citation_prefix == document.citation_prefix for d in documents):
            raise _fail(path, where, f"文件“{document.citation_prefix}”重复列出。")
        documents.append(document)
    return tuple(documents)


def _value(path: Path, where: str, table: dict[str, Any], unit: str) -> Any:
    """The rule's value converted to its Python kind (Period, Decimal …), or None."""
    if "value" not in table:
        return None
    value = table["value"]
    if isinstance(value, list | dict | datetime.date | datetime.time):
        raise _fail(path, where, f"取值应为整数、小数、是非值或字符串，而不是 {value!r}。")
    if unit in PERIOD_UNITS:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _fail(path, where, f"期限（单位 {unit}）的取值应为非负整数，而不是 {value!r}。")
        return Period(value, cast(PeriodUnit, unit))
    if unit == "month_day":
        match = MONTH_DAY_RE.match(value) if isinstance(value, str) else None
        try:
            if not match:
                raise ValueError
            datetime.date(2001, int(match[1]), int(match[2]))
        except ValueError:
            raise _fail(
                path, where, f"月日（month_day）取值应形如“01-31”，而不是 {value!r}。"
            ) from None
        return value
    if unit == "ratio":
        if isinstance(value, bool) or not isinstance(value, int | Decimal) or not 0 <= value <= 1:
            raise _fail(path, where, f"比例（ratio）取值应在0与1之间，而不是 {value!r}。")
        return Decimal(value)
    if unit in {"persons", "times"}:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _fail(path, where, f"人数或次数（{unit}）取值应为非负整数，而不是 {value!r}。")
        return value
    return value


def _choices(
    path: Path, where: str, table: dict[str, Any], value: Any
) -> tuple[tuple[str, str], ...]:
    if "choices" not in table:
        return ()
    raw = table["choices"]
    if (
        not isinstance(raw, dict)
        or not raw
        or not all(isinstance(k, str) and isinstance(v, str) and v for k, v in raw.items())
    ):
        raise _fail(path, where, "choices 应为“取值 = 中文说明”的表。")
    if value is not None and value not in raw:
        raise _fail(path, where, f"取值 {value!r} 不在可选值 {'、'.join(raw)} 之中。")
    return tuple(raw.items())


def _rule(
    path: Path, code: str, key: str, table: Any, documents: tuple[Document, ...]
) -> tuple[Rule, bool]:
    where = f"规则“{key}”"
    if not KEY_RE.match(key):
        raise _fail(path, where, "规则键应为以点分隔的小写英文，如“disclosure.update_deadline”。")
    if not isinstance(table, dict):
        raise _fail(path, where, "应为表（label、value、unit、source、note …）。")
    _unknown_fields(path, where, table, RULE_FIELDS)
    label = _text(path, where, table, "label", required=True)
    source = _text(path, where, table, "source", required=True)
    try:
        citation = parse_citation(source)
    except ValueError as exc:
        raise _fail(path, where, str(exc)) from None
    prefix = f"{citation.file} {citation.measure}".rstrip()
    known = {d.citation_prefix for d in documents}
    if prefix not in known:
        raise _fail(
            path,
            where,
            f"引用“{source}”所指文件“{prefix}”不在本配置的 documents 之中"
            f"（已列出：{'、'.join(sorted(known))}）。",
        )
    unit = _text(path, where, table, "unit", required=False)
    if unit and unit not in PERIOD_UNITS | SCALAR_UNITS:
        raise _fail(
            path,
            where,
            f"未知单位“{unit}”；可用单位：{'、'.join(sorted(PERIOD_UNITS | SCALAR_UNITS))}。",
        )
    value = _value(path, where, table, unit)
    note = _text(path, where, table, "note", required=False)
    if value is None and not note:
        raise _fail(path, where, "未给出取值（value）时，必须在 note 中说明该办法为何未规定。")
    choices = _choices(path, where, table, value)
    override = table.get("override", False)
    if not isinstance(override, bool):
        raise _fail(path, where, "override 应为 true 或 false。")
    rule = Rule(
        key=key,
        label=label,
        value=value,
        source=source,
        note=note,
        defined_in=code,
        unit=unit,
        quote=_text(path, where, table, "quote", required=False),
        choices=choices,
    )
    return rule, override


def read_profile_file(path: Path) -> _ProfileFile:
    """Parse and validate one profile file on its own (inheritance is checked later)."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileFileError(f"规则配置文件 {path.name} 不是有效的 TOML：{exc}") from exc
    _unknown_fields(path, "顶层", data, PROFILE_FIELDS)
    code = _text(path, "code", data, "code", required=True)
    if not CODE_RE.match(code):
        raise _fail(path, "code", f"配置代码“{code}”应为小写英文字母、数字或下划线。")
    if code != path.stem:
        raise _fail(path, "code", f"配置代码“{code}”应与文件名“{path.stem}”一致。")
    documents = _documents(path, data)
    raw_rules = data.get("rules", {})
    if not isinstance(raw_rules, dict) or not raw_rules:
        raise _fail(path, "rules", "没有定义任何规则。")
    rules: dict[str, Rule] = {}
    overrides: set[str] = set()
    for key, table in raw_rules.items():
        rule, override = _rule(path, code, key, table, documents)
        rules[key] = rule
        if override:
            overrides.add(key)
    return _ProfileFile(
        path=path,
        code=code,
        name=_text(path, "name", data, "name", required=True),
        inherits=_text(path, "inherits", data, "inherits", required=False),
        description=_text(path, "description", data, "description", required=False),
        documents=documents,
        rules=rules,
        overrides=frozenset(overrides),
    )


def _kind(rule: Rule) -> str:
    value = rule.value
    if isinstance(value, Period):
        return "期限"
    if isinstance(value, bool):
        return "是非值"
    if isinstance(value, int):
        return "整数"
    if isinstance(value, Decimal):
        return "小数"
    return "文本"


def _check_overrides(spec: _ProfileFile, parent: RuleProfile | None) -> None:
    for key, rule in spec.rules.items():
        where = f"规则“{key}”"
        inherited = key in parent if parent is not None else False
        if key in spec.overrides and not inherited:
            parent_name = parent.name if parent is not None else "（无上级配置）"
            raise _fail(
                spec.path, where, f"标记为 override，但上级配置 {parent_name} 并未定义该规则。"
            )
        if not inherited:
            continue
        assert parent is not None
        if key not in spec.overrides:
            raise _fail(
                spec.path,
                where,
                f"上级配置 {parent.name} 已定义该规则（{parent.rule(key).source}），"
                "覆盖时须写明 override = true。",
            )
        base = parent.rule(key)
        if base.value is not None and rule.value is not None and _kind(base) != _kind(rule):
            raise _fail(
                spec.path,
                where,
                f"覆盖值的类型（{_kind(rule)}）与上级配置 {parent.name} 的（{_kind(base)}）不一致。",
            )
        if base.unit in SCALAR_UNITS and rule.unit != base.unit:
            raise _fail(spec.path, where, f"单位“{rule.unit}”与上级配置的“{base.unit}”不一致。")
        if base.choices and rule.choices and dict(base.choices).keys() != dict(rule.choices).keys():
            raise _fail(spec.path, where, "可选值（choices）与上级配置不一致。")


def load_profiles(directory: Path) -> dict[str, RuleProfile]:
    """Every profile in ``directory`` (one ``CODE.toml`` each), with inheritance resolved."""
    paths = sorted(directory.glob("*.toml"))
    if not paths:
        raise ProfileFileError(f"目录 {directory} 中没有规则配置文件（*.toml）。")
    specs = {spec.code: spec for spec in map(read_profile_file, paths)}
    for spec in specs.values():
        if spec.inherits and spec.inherits not in specs:
            raise _fail(
                spec.path,
                "inherits",
                f"继承的配置“{spec.inherits}”不存在；已有配置：{'、'.join(sorted(specs))}。",
            )
    profiles: dict[str, RuleProfile] = {}

    def build(code: str, chain: tuple[str, ...]) -> RuleProfile:
        if code in profiles:
            return profiles[code]
        spec = specs[code]
        if code in chain:
            cycle = " → ".join((*chain[chain.index(code) :], code))
            raise _fail(spec.path, "inherits", f"继承关系成环：{cycle}。")
        parent = build(spec.inherits, (*chain, code)) if spec.inherits else None
        _check_overrides(spec, parent)
        profile = RuleProfile(
            code=spec.code,
            name=spec.name,
            parent=parent,
            documents=spec.documents,
            own_rules=dict(spec.rules),
            description=spec.description,
        )
        profiles[code] = profile
        return profile

    for code in specs:
        build(code, ())
    return {code: profiles[code] for code in sorted(profiles)}
