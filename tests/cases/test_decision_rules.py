"""Rules on the proposed and the final decision: the fine within the discretion standard
(《中华人民共和国行政处罚法》第三十四条), the right to a hearing from the rights notice
(第六十三条), and collective discussion of complex or major cases (第五十七条)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sanxiang.cases import services
from sanxiang.cases.models import Case, Record
from sanxiang.cases.state import build_case_state, hearing_eligible
from sanxiang.catalog import services as catalog_services
from sanxiang.catalog.models import MultipleBase, PenaltyKind
from sanxiang.records.models import LedgerEntry
from tests.cases.factories import RECORD_DATA, days_ago, fire, open_penalty, signed_record
from tests.cases.test_lifecycle import walk_to_statement
from tests.factories import Role, UserFactory

pytestmark = pytest.mark.django_db

FOOD_VIOLATION = "未取得食品经营许可从事食品经营活动"
FOOD_BASIS = "《中华人民共和国食品安全法》第一百二十二条第一款"


def _tier(circumstance: str, lo: str, hi: str) -> dict[str, Any]:
    return {
        "circumstance": circumstance,
        "description": f"{circumstance}情形",
        "penalty_kinds": [PenaltyKind.FINE],
        "fine_min": Decimal(lo),
        "fine_max": Decimal(hi),
    }


def fixed_standard(world, tiers: list[dict[str, Any]] | None = None, **overrides: Any):
    """Statutory range 50,000–100,000元, four tiers (减轻 below the minimum)."""
    fields: dict[str, Any] = {
        "violation": FOOD_VIOLATION,
        "basis": FOOD_BASIS,
        "multiple_base": MultipleBase.NONE,
        "statutory_fine_min": Decimal("50000"),
        "statutory_fine_max": Decimal("100000"),
        **overrides,
    }
    return catalog_services.create_discretion_standard(
        actor=world.head,
        power_item=world.matter,
        valid_from=datetime.date(2024, 1, 1),
        tiers=tiers
        or [
            _tier("mitigated", "10000", "49999"),
            _tier("minor", "50000", "60000"),
            _tier("ordinary", "60000", "80000"),
            _tier("serious", "80000", "100000"),
        ],
        **fields,
    )


def in_decision(world) -> Case:
    case = walk_to_statement(world)
    return fire(world.user_a, case, "submit_decision")


def add_decision(world, case: Case, amount: str, **data: Any) -> Record:
    return services.add_record(
        actor=world.user_a,
        case=case,
        kind="penalty_decision",
        made_on=days_ago(1),
        data={**RECORD_DATA["penalty_decision"], **data},
        amount=Decimal(amount),
    )


def refused(fn: Any, *args: Any, **kwargs: Any) -> list[str]:
    records, entries = Record.objects.count(), LedgerEntry.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        fn(*args, **kwargs)
    assert (Record.objects.count(), LedgerEntry.objects.count()) == (records, entries)
    return excinfo.value.messages


# ------------------------------------------------------------------ discretion standard


def test_amount_outside_the_statutory_range_is_refused_naming_standard_and_basis(world):
    fixed_standard(world)
    case = in_decision(world)
    [message] = refused(add_decision, world, case, "120000")
    assert message.startswith(f"罚款数额120,000元超出裁量基准“{FOOD_VIOLATION}”")
    assert "法定幅度规定的范围（50,000元至100,000元）" in message
    assert FOOD_BASIS in message
    assert message.endswith("《中华人民共和国行政处罚法》第三十四条；000 全过程记录办法 第十三条）")
    # below the minimum without a tier: 减轻处罚 must be named
    [low] = refused(add_decision, world, case, "30000")
    assert "减轻处罚" in low
    assert add_decision(world, case, "100000").amount == Decimal("100000")


def test_the_named_tier_bounds_the_amount(world):
    fixed_standard(world)
    case = in_decision(world)
    [message] = refused(add_decision, world, case, "90000", circumstance="一般")
    assert "一般档次规定的范围（60,000元至80,000元）" in message
    assert add_decision(world, case, "30000", circumstance="mitigated").amount == 30000
    with pytest.raises(ValidationError, match="裁量档次“很重”无法识别"):
        add_decision(world, case, "70000", circumstance="很重")


def test_a_correction_is_checked_too(world):
    fixed_standard(world)
    case = in_decision(world)
    decision = add_decision(world, case, "70000", circumstance="ordinary")

    def correct(amount: str, circumstance: str) -> Record:
        return services.correct_record(
            actor=world.user_a,
            record=decision,
            reason="更正罚款数额",
            made_on=days_ago(1),
            data={**RECORD_DATA["penalty_decision"], "circumstance": circumstance},
            amount=Decimal(amount),
        )

    [message] = refused(correct, "95000", "ordinary")
    assert "一般档次" in message and "95,000元" in message
    assert correct("95000", "serious").supersedes == decision


def test_fine_as_a_multiple_needs_the_base(world):
    multiple = {
        "circumstance": "ordinary",
        "description": "一般情形",
        "penalty_kinds": [PenaltyKind.FINE],
        "multiple_min": Decimal("10"),
        "multiple_max": Decimal("15"),
    }
    fixed_standard(
        world,
        tiers=[multiple],
        multiple_base=MultipleBase.GOODS_VALUE,
        statutory_fine_min=None,
        statutory_fine_max=None,
        statutory_multiple_min=Decimal("10"),
        statutory_multiple_max=Decimal("20"),
        violation="经营超过保质期的食品",
    )
    case = in_decision(world)
    [message] = refused(add_decision, world, case, "150000")
    assert "须载明货值金额" in message and FOOD_BASIS in message
    [message] = refused(add_decision, world, case, "150000", base_amount="20000")
    assert "（200,000元至400,000元）" in message
    assert add_decision(world, case, "300000", base_amount="20000").amount == 300000
    [message] = refused(
        add_decision, world, case, "350000", base_amount="20000", circumstance="一般"
    )
    assert "一般档次规定的范围（200,000元至300,000元）" in message


def test_the_named_violation_picks_the_standard(world):
    fixed_standard(world)
    case = in_decision(world)
    with pytest.raises(ValidationError, match="没有针对“无照经营”的裁量基准"):
        add_decision(world, case, "70000", violation="无照经营")
    assert add_decision(world, case, "70000", violation=FOOD_VIOLATION).amount == 70000


def test_without_a_standard_in_force_nothing_is_checked(world):
    case = in_decision(world)
    assert add_decision(world, case, "1000000").amount == 1000000


# ------------------------------------------------------------------ hearing eligibility


def notice_case(world, **proposed: Any) -> Case:
    case = open_penalty(world)
    signed_record(world, case, "case_source_register", 10, ["officer"])
    signed_record(world, case, "filing_approval", 10, ["officer", "unit_head", "agency_head"])
    case = fire(world.head, case, "file")
    services.assign_officer(actor=world.user_a, case=case, officer=world.officer_a)
    services.assign_officer(actor=world.user_a, case=case, officer=world.officer_b)
    signed_record(world, case, "inquiry_record", 9, ["officer", "party"])
    signed_record(world, case, "investigation_report", 8, ["officer", "unit_head"])
    case = fire(world.user_a, case, "to_notice")
    record = services.add_record(
        actor=world.user_a,
        case=case,
        kind="rights_notice",
        made_on=days_ago(0),
        data={**RECORD_DATA["rights_notice"], **proposed},
        served_on=days_ago(0),
        service_method="direct",
    )
    for role, name in (("officer", world.officer_a.name), ("party", "赵某")):
        services.sign_record(
            actor=world.user_a,
            record=record,
            role=role,
            signer_name=name,
            officer=world.officer_a if role == "officer" else None,
        )
    return case


@pytest.mark.parametrize(
    ("proposed", "eligible"),
    [
        ({}, False),
        ({"proposed_penalty_kinds": ["fine"]}, False),
        ({"proposed_penalty_kinds": ["fine"], "large_amount": True}, True),
        ({"proposed_penalty_kinds": ["confiscate_gains"], "large_amount": True}, True),
        ({"proposed_penalty_kinds": ["warning"], "large_amount": True}, False),
        ({"proposed_penalty_kinds": ["warning", "revoke_licence"]}, True),
        ({"proposed_penalty_kinds": ["suspend_business"]}, True),
        ({"proposed_penalty_kinds": ["restrict_practice"]}, True),
        ({"proposed_penalty_kinds": ["warning"], "hearing_applicable": True}, True),
    ],
)
def test_hearing_eligibility_follows_the_proposed_penalty(world, proposed, eligible):
    case = notice_case(world, **proposed)
    assert build_case_state(case, timezone.localdate()).hearing_eligible is eligible


def test_eligible_party_gets_the_hearing_period_before_the_decision(world):
    case = notice_case(world, proposed_penalty_kinds=["revoke_licence"])
    case = fire(world.user_a, case, "hear_statement")
    signed_record(world, case, "statement_record", 0, ["officer", "party"])
    with pytest.raises(ValidationError) as excinfo:
        fire(world.user_a, case, "submit_decision")
    [message] = [m for m in excinfo.value.messages if "听证" in m]
    assert "尚未届满" in message and "第六十四条" in message
    # a hearing may now be organised once requested (it was refused as not applicable before)
    services.add_record(
        actor=world.user_a,
        case=case,
        kind="hearing_request",
        made_on=days_ago(0),
        data={"applicant": "赵某", "requested": "是", "date": "今日"},
        hearing_requested=True,
        signatures=[services.SignatureInput(role="party", signer_name="赵某")],
    )
    assert fire(world.user_a, case, "to_hearing").stage == "hearing"


def test_the_latest_current_notice_decides(world):
    case = notice_case(world, proposed_penalty_kinds=["revoke_licence"])
    notice = case.records.get(kind="rights_notice")
    services.correct_record(
        actor=world.user_a,
        record=notice,
        reason="拟作出的处罚改为罚款",
        made_on=days_ago(0),
        data={**RECORD_DATA["rights_notice"], "proposed_penalty_kinds": ["fine"]},
        served_on=days_ago(0),
        service_method="direct",
    )
    records = list(case.records.select_related("superseded_by"))
    assert hearing_eligible(records) is False


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"proposed_penalty_kinds": ["jail"]},
            "“jail”无法识别（《中华人民共和国行政处罚法》第九条）",
        ),
        (
            {"proposed_penalty_kinds": "fine"},
            "应为种类代码的列表（《中华人民共和国行政处罚法》第六十三条）",
        ),
        ({"large_amount": "yes"}, "应为是或否（《中华人民共和国行政处罚法》第六十三条）"),
    ],
)
def test_malformed_proposed_penalty_is_refused(world, data, message):
    case = open_penalty(world)
    signed_record(world, case, "case_source_register", 10, ["officer"])
    signed_record(world, case, "filing_approval", 10, ["officer", "unit_head", "agency_head"])
    case = fire(world.head, case, "file")
    services.assign_officer(actor=world.user_a, case=case, officer=world.officer_a)
    services.assign_officer(actor=world.user_a, case=case, officer=world.officer_b)
    signed_record(world, case, "inquiry_record", 9, ["officer", "party"])
    signed_record(world, case, "investigation_report", 8, ["officer", "unit_head"])
    case = fire(world.user_a, case, "to_notice")
    messages = refused(
        services.add_record,
        actor=world.user_a,
        case=case,
        kind="rights_notice",
        made_on=days_ago(0),
        data={**RECORD_DATA["rights_notice"], **data},
        served_on=days_ago(0),
        service_method="direct",
    )
    assert any(message in m for m in messages), messages


# ------------------------------------------------------------------ collective discussion


def test_marking_for_collective_discussion_gates_the_decision(world):
    case = in_decision(world)
    version = case.version
    entries = LedgerEntry.objects.count()
    case = services.mark_collective_discussion(
        actor=world.user_a, case=case, reason="涉案金额巨大，社会影响较大"
    )
    assert case.collective_discussion_required is True
    assert case.collective_discussion_reason == "涉案金额巨大，社会影响较大"
    assert case.version == version + 1
    assert LedgerEntry.objects.count() == entries + 1
    entry = LedgerEntry.objects.order_by("-seq").first()
    assert entry is not None and entry.action == "cases.mark_collective_discussion"
    state = build_case_state(case, timezone.localdate())
    assert state.collective_discussion_required is True
    with pytest.raises(ValidationError) as excinfo:
        fire(world.head, case, "issue")
    [message] = [m for m in excinfo.value.messages if "集体讨论" in m]
    assert message.endswith(
        "（《中华人民共和国行政处罚法》第五十七条；000 全过程记录办法 第十三条）"
    )
    # once more: refused, and the reason on file is named
    [again] = refused(
        services.mark_collective_discussion, actor=world.head, case=case, reason="再次"
    )
    assert "涉案金额巨大" in again


def test_collective_discussion_needs_a_reason_and_an_open_undecided_penalty(world):
    case = open_penalty(world)
    [message] = refused(
        services.mark_collective_discussion, actor=world.user_a, case=case, reason=" "
    )
    assert "应当载明案件情节复杂或者重大违法的理由" in message
    assert "《中华人民共和国行政处罚法》第五十七条" in message
    simple = open_penalty(world, simple=True)
    [message] = refused(
        services.mark_collective_discussion, actor=world.user_a, case=simple, reason="复杂"
    )
    assert message.startswith("行政处罚简易程序（当场处罚）不适用负责人集体讨论决定（")
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    with pytest.raises(ValidationError, match="已办结"):
        services.mark_collective_discussion(actor=world.user_a, case=case, reason="复杂")


def test_collective_discussion_refused_after_the_decision(world):
    case = in_decision(world)
    Case.objects.filter(pk=case.pk).update(stage="service")
    case.transitions.create(
        transition="issue",
        from_stage="decision",
        to_stage="service",
        fired_by=world.head,
        fired_on=days_ago(0),
        version=case.version + 1,
    )
    [message] = refused(
        services.mark_collective_discussion, actor=world.head, case=case, reason="复杂"
    )
    assert "已作出决定" in message


def test_only_the_agencys_staff_may_mark(world):
    case = open_penalty(world)
    outsider = UserFactory(roles=[Role.OFFICER])
    with pytest.raises(PermissionDenied):
        services.mark_collective_discussion(actor=outsider, case=case, reason="复杂")
    case.refresh_from_db()
    assert case.collective_discussion_required is False
