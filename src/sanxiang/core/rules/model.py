"""Value types of the jurisdiction rule profiles: periods, rules, profiles and their errors."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, get_args

PeriodUnit = Literal["workdays", "calendar_days", "hours"]
PERIOD_UNITS: frozenset[str] = frozenset(get_args(PeriodUnit))

# Units of rule values that are not periods; they only steer validation and display.
#   month_day: "MM-DD" (a date in every year)   ratio: a Decimal in [0, 1]
#   persons / times: a non-negative int
SCALAR_UNITS: frozenset[str] = frozenset({"month_day", "ratio", "persons", "times"})

_PERIOD_SUFFIX: dict[str, str] = {"workdays": "个工作日", "calendar_days": "日", "hours": "小时"}


class RulesError(ValueError):
    """Base class of every error raised by the rule profiles."""


class UnknownProfile(RulesError):
    """No profile with that code."""


class UnknownRule(RulesError, KeyError):
    """The profile (and its ancestors) defines no rule with that key."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ProfileFileError(RulesError):
    """A profile file is malformed: the message names the file and the key."""


@dataclass(frozen=True)
class Period:
    """A time limit: an amount of working days, calendar days (日) or hours."""

    amount: int
    unit: PeriodUnit

    def __post_init__(self) -> None:
        if self.unit not in PERIOD_UNITS:
            raise ValueError(f"未知的期限单位“{self.unit}”，应为 {sorted(PERIOD_UNITS)} 之一。")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount < 0:
            raise ValueError(f"期限数额应为非负整数，而不是“{self.amount!r}”。")

    def __str__(self) -> str:
        return f"{self.amount}{_PERIOD_SUFFIX[self.unit]}"

    @property
    def is_workdays(self) -> bool:
        return self.unit == "workdays"

    def as_timedelta(self) -> datetime.timedelta:
        """Calendar days and hours only: working days need the working-day calendar."""
        if self.unit == "calendar_days":
            return datetime.timedelta(days=self.amount)
        if self.unit == "hours":
            return datetime.timedelta(hours=self.amount)
        raise ValueError(f"“{self}”以工作日计，须按工作日历推算，不能换算为固定时长。")


RuleValue = int | bool | Decimal | str | Period | None


@dataclass(frozen=True)
class Rule:
    """One value a regulation fixes, with the article it comes from.

    ``value`` is an int, bool, Decimal, str, Period, or None when the measure fixes no
    value (it says 及时 or 规定期限); the note then says so. ``defined_in`` is the code of
    the profile that supplied the value, after inheritance.
    """

    key: str
    label: str
    value: Any  # RuleValue; Any so that callers narrow it themselves
    source: str
    note: str
    defined_in: str
    unit: str = ""  # a PeriodUnit for periods, one of SCALAR_UNITS, or "" (choices, flags, text)
    quote: str = ""  # the words of the cited article the value rests on
    choices: tuple[tuple[str, str], ...] = ()  # (value, Chinese label) for choice rules

    @property
    def is_fixed(self) -> bool:
        """False when the measure leaves the value open (及时, 规定期限 …)."""
        return self.value is not None

    def choice_label(self) -> str:
        return dict(self.choices).get(self.value, "") if self.choices else ""

    def display_value(self) -> str:
        """The value in words, for tables and messages."""
        value = self.value
        if value is None:
            return "未规定"
        if isinstance(value, Period):
            return str(value)
        if isinstance(value, bool):
            return "是" if value else "否"
        if self.unit == "month_day":
            month, day = (int(part) for part in str(value).split("-"))
            return f"每年{month}月{day}日前"
        if self.unit == "ratio":
            return f"{Decimal(value) * 100:f}".rstrip("0").rstrip(".") + "%"
        if self.unit == "persons":
            return f"{value}人"
        if self.unit == "times":
            return f"{value}次"
        label = self.choice_label()
        return f"{value}（{label}）" if label else str(value)


@dataclass(frozen=True)
class Document:
    """A regulation a profile draws on: the file number and, where the file holds several
    measures, the measure's short name used in citations."""

    file: str
    title: str
    measure: str = ""

    @property
    def citation_prefix(self) -> str:
        return f"{self.file} {self.measure}".rstrip()


@dataclass(frozen=True, eq=False)
class RuleProfile:
    """The rules of one jurisdiction: its own rules over those of the profile it inherits."""

    code: str
    name: str
    parent: RuleProfile | None
    documents: tuple[Document, ...] = ()
    own_rules: dict[str, Rule] = field(default_factory=dict, repr=False)
    description: str = ""

    def __repr__(self) -> str:
        return f"<RuleProfile {self.code} {self.name}>"

    def lineage(self) -> Iterator[RuleProfile]:
        """This profile, then its parent, grandparent …"""
        node: RuleProfile | None = self
        while node is not None:
            yield node
            node = node.parent

    def __contains__(self, key: object) -> bool:
        return any(key in node.own_rules for node in self.lineage())

    def rule(self, key: str) -> Rule:
        for node in self.lineage():
            if key in node.own_rules:
                return node.own_rules[key]
        raise UnknownRule(
            f"规则配置“{self.name}”（{self.code}）未定义规则“{key}”；"
            f"已定义的规则：{'、'.join(r.key for r in self.rules())}。"
        )

    def rules(self) -> list[Rule]:
        """The effective rules, inherited and own, sorted by key."""
        merged: dict[str, Rule] = {}
        for node in reversed(list(self.lineage())):
            merged.update(node.own_rules)
        return [merged[key] for key in sorted(merged)]

    def all_documents(self) -> tuple[Document, ...]:
        """Documents of this profile and its ancestors, nearest first."""
        return tuple(doc for node in self.lineage() for doc in node.documents)

    def profile_name(self, code: str) -> str:
        """The name of this profile or an ancestor, by code (for "继承自 河南省")."""
        for node in self.lineage():
            if node.code == code:
                return node.name
        return code

    def public_citation(self, source: str) -> str:
        """A citation as the public reads it: ``000 公示办法 第十二条`` becomes
        ``《郑州市行政执法公示办法》第十二条`` (the file codes are internal)."""
        from .citations import parse_citation

        citation = parse_citation(source)
        for document in self.all_documents():
            if document.file == citation.file and document.measure == citation.measure:
                return f"《{document.title}》{citation.article_text}"
        return source

    # Typed accessors: None when the measure fixes no value, TypeError on a kind mismatch.

    def period(self, key: str) -> Period | None:
        return self._typed(key, Period, "期限")

    def integer(self, key: str) -> int | None:
        value = self._typed(key, int, "整数")
        if isinstance(value, bool):
            raise TypeError(f"规则“{key}”的取值是是非值，不是整数。")
        return value

    def decimal(self, key: str) -> Decimal | None:
        return self._typed(key, Decimal, "小数")

    def text(self, key: str) -> str | None:
        return self._typed(key, str, "文本")

    def flag(self, key: str) -> bool | None:
        return self._typed(key, bool, "是非值")

    def _typed(self, key: str, kind: type[Any], kind_name: str) -> Any:
        rule = self.rule(key)
        if rule.value is not None and not isinstance(rule.value, kind):
            raise TypeError(
                f"规则“{key}”（{rule.source}）的取值“{rule.display_value()}”不是{kind_name}。"
            )
        return rule.value
