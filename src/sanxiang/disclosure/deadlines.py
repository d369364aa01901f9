"""The periods of publication, withdrawal and correction, from the agency's rule profile.

- publish a licensing or penalty decision within ``disclosure.decision_deadline.licensing_penalty``
  of the decision, any other decision within ``disclosure.decision_deadline.other``
  (000 公示办法 第二十条; 001 河南公示办法 第二十一条);
- withdraw a decision revoked, confirmed unlawful or to be remade within
  ``disclosure.withdraw_deadline``, and correct inaccurate information within
  ``disclosure.correct_deadline`` (000 公示办法 第二十一条; 001 河南公示办法 第二十二条).

Working days come from the calendar (core.workdays); a period that runs into a year the
calendar does not cover has no due date (日历未覆盖) — never a guess. A measure that fixes no
period (002 第十八条、第二十条: 及时) gives no due date either; ``Due.state`` says which.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from sanxiang.core.rules import Period, Rule, get_profile
from sanxiang.core.workdays import CalendarNotCovered, due_date

LICENSING_PENALTY = frozenset({"penalty", "licensing"})

PUBLISH_LICENSING_PENALTY = "disclosure.decision_deadline.licensing_penalty"
PUBLISH_OTHER = "disclosure.decision_deadline.other"
WITHDRAW = "disclosure.withdraw_deadline"
CORRECT = "disclosure.correct_deadline"


@dataclass(frozen=True)
class Due:
    """A due date, or why there is none: ``state`` is "fixed", "uncovered" (the calendar
    lacks a year) or "unfixed" (the measure says only 及时)."""

    on: datetime.date | None
    rule: Rule
    state: str
    note: str = ""

    @property
    def source(self) -> str:
        return self.rule.source

    @property
    def label(self) -> str:
        if self.state == "fixed":
            return f"{self.on:%Y-%m-%d}（{self.rule.display_value()}，{self.rule.source}）"
        return self.note


def _due(profile_code: str, key: str, start: datetime.date) -> Due:
    rule = get_profile(profile_code).rule(key)
    period = rule.value
    if period is None:
        return Due(
            None, rule, "unfixed", f"{rule.source}未规定固定期限，应当及时办理（{rule.note}）"
        )
    if not isinstance(period, Period):
        raise TypeError(f"规则“{key}”（{rule.source}）的取值不是期限。")
    try:
        on = due_date(start, period.amount, period.unit)
    except CalendarNotCovered as exc:
        return Due(
            None,
            rule,
            "uncovered",
            f"日历未覆盖：工作日历未包含{exc.year}年的节假日数据，无法计算届满日"
            f"（{rule.display_value()}，{rule.source}）",
        )
    return Due(on, rule, "fixed")


def publication_rule_key(action_type: str) -> str:
    return PUBLISH_LICENSING_PENALTY if action_type in LICENSING_PENALTY else PUBLISH_OTHER


def publication_due(profile_code: str, action_type: str, decided_on: datetime.date) -> Due:
    """When the decision must be public: 7 working days for licensing and penalties, 20 for
    the others in Henan and Zhengzhou (000 公示办法 第二十条), counted from the decision."""
    return _due(profile_code, publication_rule_key(action_type), decided_on)


def withdrawal_due(profile_code: str, known_on: datetime.date) -> Due:
    """When a revoked (unlawful, to be remade) decision must be taken down (000 公示办法
    第二十一条), counted from the day the agency learnt of it."""
    return _due(profile_code, WITHDRAW, known_on)


def correction_due(profile_code: str, found_on: datetime.date) -> Due:
    """When inaccurate published information must be corrected (000 公示办法 第二十一条),
    counted from the day the inaccuracy was found."""
    return _due(profile_code, CORRECT, found_on)


def rule_for(profile_code: str, key: str) -> Rule:
    return get_profile(profile_code).rule(key)
