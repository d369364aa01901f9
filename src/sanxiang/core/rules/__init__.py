"""Jurisdiction rule profiles: every number and choice the regulations fix, as data.

Each profile (``profiles/CODE.toml``) holds one jurisdiction's rules, each value with the
article it comes from (``000 公示办法 第二十一条``). Zhengzhou inherits Henan and overrides
where its own measures say otherwise; Zhoucun (Shandong) stands alone. An agency takes the
profile of its jurisdiction (``org.Jurisdiction.effective_profile_code()``)::

    profile = get_profile("zhengzhou")
    profile.rule("disclosure.update_deadline").value     # Period(7, "workdays")
    profile.period("recording.archive_deadline")         # Period(20, "workdays")
    profile.rule("review.reviewer_min_count").source     # "000 法制审核办法 第五条"

A value of None means the measure fixes none (it says 及时 or 规定期限); the rule's note
says so and its source cites the article.
"""

from __future__ import annotations

import functools
from pathlib import Path

from .citations import Citation, parse_citation
from .loader import load_profiles
from .model import (
    Document,
    Period,
    PeriodUnit,
    ProfileFileError,
    Rule,
    RuleProfile,
    RulesError,
    RuleValue,
    UnknownProfile,
    UnknownRule,
)

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"

__all__ = [
    "PROFILES_DIR",
    "Citation",
    "Document",
    "Period",
    "PeriodUnit",
    "ProfileFileError",
    "Rule",
    "RuleProfile",
    "RuleValue",
    "RulesError",
    "UnknownProfile",
    "UnknownRule",
    "all_profiles",
    "get_profile",
    "load_profiles",
    "parse_citation",
    "profile_choices",
]


@functools.cache
def _profiles() -> dict[str, RuleProfile]:
    return load_profiles(PROFILES_DIR)


def all_profiles() -> list[RuleProfile]:
    """The shipped profiles, by code."""
    return list(_profiles().values())


def get_profile(code: str) -> RuleProfile:
    """The profile with this code; UnknownProfile (a ValueError) if there is none."""
    profiles = _profiles()
    try:
        return profiles[code]
    except KeyError:
        known = "、".join(f"{p.code}（{p.name}）" for p in profiles.values())
        raise UnknownProfile(f"未知的规则配置“{code}”；可用的规则配置：{known}。") from None


def profile_choices() -> list[tuple[str, str]]:
    """``[("henan", "河南省"), …]`` for a model field's choices."""
    return [(p.code, p.name) for p in _profiles().values()]
