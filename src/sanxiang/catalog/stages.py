"""The vocabulary of enforcement acts the catalog refers to: action types and stage codes.

Stage codes are plain strings so that the catalog (the AV matter list, 音像记录事项清单) can
name a stage before the `procedures` app, which defines each procedure's stages and
transitions as data, exists. The procedures app must use these codes for the same stages.

The stages of each action type are those the text record must cover
(000 全过程记录办法 第十条, 004 第十条):

* 行政处罚: 立案、调查取证、告知、陈述申辩、听证、审核决定、送达、执行、结案;
* 行政强制: 报告批准、告知、陈述申辩、审核决定、送达、实施;
* 行政检查: 检查过程、检查结果;
* 行政征收征用: 批准、通知公告、实施;
* 行政许可: 申请、受理、审查、听证、审核决定、送达、变更与延续、撤销与注销.

The measures name no stages for 确认, 给付, 奖励 and 裁决; those follow the application-led
shape (申请、受理、审查、审核决定、送达), which is how they start (000 全过程记录办法 第十一条).

Some codes name an on-site activity inside a stage rather than a stage of its own —
现场检查 (site_inspection), 查封扣押 (seizure), 强制拆除 (demolition) — because that is
what the AV rules speak of: full-process AV for "查封扣押财产、强制拆除等直接涉及人身自由、
生命健康、重大财产权益的现场执法活动" (000 全过程记录办法 第十八条, 001 河南全过程记录办法
第十五条, 002 第二十五条).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class ActionType(models.TextChoices):
    """行政执法行为的类别 (`Case.action_type`)."""

    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    INSPECTION = "inspection", "行政检查"
    EXPROPRIATION = "expropriation", "行政征收征用"
    LICENSING = "licensing", "行政许可"
    CONFIRMATION = "confirmation", "行政确认"
    PAYMENT = "payment", "行政给付"
    REWARD = "reward", "行政奖励"
    ADJUDICATION = "adjudication", "行政裁决"


class Stage(models.TextChoices):
    """环节 codes, with their Chinese names as the measures write them."""

    # Penalty (000 全过程记录办法 第十条第（一）项)
    FILING = "filing", "立案"
    INVESTIGATION = "investigation", "调查取证"
    NOTICE = "notice", "告知"
    STATEMENT = "statement", "陈述申辩"
    HEARING = "hearing", "听证"
    DECISION = "decision", "审核决定"
    SERVICE = "service", "送达"
    EXECUTION = "execution", "执行"
    CLOSURE = "closure", "结案"
    # Coercion (第（二）项) and expropriation (第（四）项)
    APPROVAL = "approval", "报告批准"
    IMPLEMENTATION = "implementation", "实施"
    ANNOUNCEMENT = "announcement", "通知公告"
    # Inspection (第（三）项)
    SITE_INSPECTION = "site_inspection", "现场检查"
    INSPECTION_RESULT = "inspection_result", "检查结果"
    # Licensing (第（五）项); also the application-led start of the other types
    APPLICATION = "application", "申请"
    ACCEPTANCE = "acceptance", "受理"
    EXAMINATION = "examination", "审查"
    CHANGE_RENEWAL = "change_renewal", "变更与延续"
    REVOCATION = "revocation", "撤销与注销"
    # On-site coercive activities that need full-process AV
    SEIZURE = "seizure", "查封扣押"
    DEMOLITION = "demolition", "强制拆除"


_APPLICATION_LED = (
    Stage.APPLICATION,
    Stage.ACCEPTANCE,
    Stage.EXAMINATION,
    Stage.DECISION,
    Stage.SERVICE,
)

STAGES_BY_ACTION_TYPE: dict[str, tuple[Stage, ...]] = {
    ActionType.PENALTY: (
        Stage.FILING,
        Stage.INVESTIGATION,
        Stage.NOTICE,
        Stage.STATEMENT,
        Stage.HEARING,
        Stage.DECISION,
        Stage.SERVICE,
        Stage.EXECUTION,
        Stage.CLOSURE,
    ),
    ActionType.COERCION: (
        Stage.APPROVAL,
        Stage.NOTICE,
        Stage.STATEMENT,
        Stage.DECISION,
        Stage.SERVICE,
        Stage.IMPLEMENTATION,
        Stage.SEIZURE,
        Stage.DEMOLITION,
    ),
    ActionType.INSPECTION: (Stage.SITE_INSPECTION, Stage.INSPECTION_RESULT),
    ActionType.EXPROPRIATION: (Stage.APPROVAL, Stage.ANNOUNCEMENT, Stage.IMPLEMENTATION),
    ActionType.LICENSING: (
        Stage.APPLICATION,
        Stage.ACCEPTANCE,
        Stage.EXAMINATION,
        Stage.HEARING,
        Stage.DECISION,
        Stage.SERVICE,
        Stage.CHANGE_RENEWAL,
        Stage.REVOCATION,
    ),
    ActionType.CONFIRMATION: _APPLICATION_LED,
    ActionType.PAYMENT: _APPLICATION_LED,
    ActionType.REWARD: _APPLICATION_LED,
    ActionType.ADJUDICATION: _APPLICATION_LED,
}

STAGES_SOURCE = "000 全过程记录办法 第十条"

# On-site activities for which full-process AV (from arrival to departure) is mandatory,
# whatever an agency's list says.
FULL_PROCESS_STAGES: frozenset[str] = frozenset({Stage.SEIZURE, Stage.DEMOLITION})


def stage_label(code: str) -> str:
    try:
        return str(Stage(code).label)
    except ValueError:
        return code


def stages_for(action_type: str) -> tuple[Stage, ...]:
    return STAGES_BY_ACTION_TYPE.get(action_type, ())


@dataclass(frozen=True)
class AVArticles:
    """Where a jurisdiction's measure requires the AV matter list, AV for contentious acts,
    and full-process AV (each a citation in the form of sanxiang.core.rules.citations)."""

    matter_list: str
    av: str
    full_process: str
    # Where the measure says full-process AV runs from arrival at the scene to departure;
    # None where it does not say so in those words.
    arrival_to_departure: str | None


# By rule-profile code (sanxiang.core.rules). A profile missing here has no AV rules known
# to the system; AV matters there are checked for well-formed citations only.
AV_ARTICLES: dict[str, AVArticles] = {
    # 郑州: 第十七条 the list; 第十八条 full-process AV for seizure, demolition and acts
    # touching personal liberty, life and health, major property; AV "根据实际情况" for
    # on-site enforcement, investigation, hearings, left-at-residence and public-notice
    # service; 第二十二条 from arrival at the scene to departure.
    "zhengzhou": AVArticles(
        matter_list="000 全过程记录办法 第十七条",
        av="000 全过程记录办法 第十八条",
        full_process="000 全过程记录办法 第十八条",
        arrival_to_departure="000 全过程记录办法 第二十二条",
    ),
    # 河南: 第十五条 full-process and contentious-act AV; 第十六条 the list; 第十八条
    # arrival to departure.
    "henan": AVArticles(
        matter_list="001 河南全过程记录办法 第十六条",
        av="001 河南全过程记录办法 第十五条",
        full_process="001 河南全过程记录办法 第十五条",
        arrival_to_departure="001 河南全过程记录办法 第十八条",
    ),
    # 周村: 第二十五条 AV for 现场检查、随机抽查、调查取证、证据保全、听证、行政强制、执法文书
    # 送达, full-process AV for acts touching personal liberty, life and health, major
    # property, and the list itself. It does not spell out "arrival to departure".
    "zhoucun": AVArticles(
        matter_list="002 第二十五条",
        av="002 第二十五条",
        full_process="002 第二十五条",
        arrival_to_departure=None,
    ),
}
