"""The profile's choice for natural persons' names (rule ``disclosure.natural_person_name``)."""

from __future__ import annotations

from sanxiang.core.rules import RuleProfile

from .types import RedactionError

NAME_RULE = "disclosure.natural_person_name"


def names_masked(profile: RuleProfile) -> bool:
    """True when the profile publishes natural persons' names masked (张某), False when in
    full — the ``mask_names`` argument of ``redact``. The choice is the profile's data
    (000 公示办法 第十七条 lists no names; masking them is local policy under 第五条)."""
    rule = profile.rule(NAME_RULE)
    if rule.value not in ("masked", "full"):
        raise RedactionError(
            f"规则 {NAME_RULE}（{rule.source}）的取值“{rule.value}”无效，应为 masked 或 full。"
        )
    return bool(rule.value == "masked")
