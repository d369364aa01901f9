"""Discretion standards: the tiers lie inside the statutory range, and a decision amount
outside a tier is refused with the rule and its article."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanxiang.catalog import selectors, services
from sanxiang.catalog.models import (
    BaseRequired,
    Circumstance,
    DiscretionTier,
    ItemStatus,
    MultipleBase,
    PenaltyKind,
    PowerCategory,
)

from .conftest import FOOD_TIERS, PAST, make_power, make_standard

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def standard(head, agency):
    return make_standard(head, make_power(head, agency))


def tier(standard, circumstance) -> DiscretionTier:
    return standard.tiers.get(circumstance=circumstance)


def test_fixed_range_below_the_threshold_and_multiples_above(standard):
    ordinary = tier(standard, Circumstance.ORDINARY)
    # 货值金额不足一万元: 50,000–70,000 yuan in this tier.
    assert ordinary.fine_bounds(D("3000")) == (D("50000"), D("70000"))
    assert ordinary.allows(D("50000"), base=D("3000"))
    assert ordinary.allows(D("70000.00"), base=D("9999.99"))
    assert not ordinary.allows(D("49999.99"), base=D("3000"))
    assert not ordinary.allows(D("70000.01"), base=D("3000"))
    # 货值金额一万元以上: 10–13 times the value.
    assert ordinary.fine_bounds(D("20000")) == (D("200000.00"), D("260000.00"))
    assert ordinary.allows(D("260000"), base=D("20000"))
    assert not ordinary.allows(D("60000"), base=D("20000"))
    assert ordinary.allows(D("100000"), base=D("10000"))  # exactly 10 000: multiples apply


def test_a_fine_tier_needs_the_base_when_the_statute_depends_on_it(standard):
    ordinary = tier(standard, Circumstance.ORDINARY)
    with pytest.raises(BaseRequired, match="货值金额"):
        ordinary.allows(D("60000"))
    with pytest.raises(ValidationError, match="须提供货值金额"):
        ordinary.check_amount(D("60000"))


def test_check_amount_names_the_standard_and_its_article(standard):
    ordinary = tier(standard, Circumstance.ORDINARY)
    ordinary.check_amount(D("60000"), base=D("5000"))
    with pytest.raises(ValidationError) as caught:
        ordinary.check_amount(D("120000"), base=D("5000"))
    message = caught.value.messages[0]
    assert "超出裁量基准" in message and "第1版" in message
    assert "50,000元以上70,000元以下" in message
    assert "《中华人民共和国食品安全法》第一百二十二条第一款" in message


def test_tier_for_finds_the_tier_in_force_on_the_day(head, standard):
    power = standard.power_item
    assert tier_for_amount(power, Circumstance.SEVERE) == D("85000")
    assert selectors.tier_for(power_item=power, circumstance=Circumstance.SERIOUS) is None
    assert selectors.fine_allowed(
        power_item=power, circumstance=Circumstance.ORDINARY, amount=D("55000"), base=D("1")
    )
    new_tiers = [dict(t) for t in FOOD_TIERS]
    new_tiers[1] = {**new_tiers[1], "fine_min": D("55000")}
    v2 = services.revise_discretion_standard(
        actor=head, standard=standard, tiers=new_tiers, change_note="提高一般情形下限"
    )
    today = timezone.localdate()
    old_tier = selectors.tier_for(power_item=power, circumstance=Circumstance.ORDINARY, on=PAST)
    new_tier = selectors.tier_for(power_item=power, circumstance=Circumstance.ORDINARY, on=today)
    assert old_tier is not None and new_tier is not None
    assert old_tier.standard == standard and new_tier.standard == v2
    assert old_tier.allows(D("52000"), base=D("1")) and not new_tier.allows(D("52000"), base=D("1"))
    # The old version keeps its own tiers, untouched.
    assert standard.tiers.count() == 3 and v2.tiers.count() == 3
    assert tier(standard, Circumstance.ORDINARY).fine_min == D("50000")


def tier_for_amount(power, circumstance):
    found = selectors.tier_for(power_item=power, circumstance=circumstance)
    assert found is not None
    bounds = found.fine_bounds(D("1"))
    assert bounds is not None
    return bounds[0]


def test_revision_without_tier_changes_carries_them_over(head, standard):
    v2 = services.revise_discretion_standard(
        actor=head, standard=standard, violation=standard.violation + "（含网络经营）"
    )
    assert [t.circumstance for t in v2.tiers.all()] == [t["circumstance"] for t in FOOD_TIERS]
    standard.refresh_from_db()
    assert standard.status == ItemStatus.SUPERSEDED
    with pytest.raises(ValidationError, match="修订内容与现行版本相同"):
        services.revise_discretion_standard(actor=head, standard=v2)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fine_max": D("120000")}, "上限不能超过法定上限"),
        ({"fine_min": D("40000")}, "下限不能低于法定下限"),
        ({"multiple_max": D("25")}, "上限不能超过法定上限"),
        ({"fine_min": D("80000"), "fine_max": D("70000")}, "上限不能低于下限"),
        ({"multiple_min": None, "multiple_max": None}, "须同时设置两者"),
        ({"penalty_kinds": [PenaltyKind.WARNING]}, "处罚种类须包括“罚款”"),
        ({"penalty_kinds": [PenaltyKind.NONE, PenaltyKind.FINE]}, "不能与其他处罚种类同时选择"),
    ],
)
def test_tiers_outside_the_statute_are_refused(head, agency, changes, message):
    power = make_power(head, agency)
    bad = [dict(t) for t in FOOD_TIERS]
    bad[1] = {**bad[1], **changes}
    with pytest.raises(ValidationError, match=message):
        make_standard(head, power, tiers=bad)
    assert not power.discretion_standards.exists()


def test_mitigated_goes_below_the_minimum_and_exempt_imposes_nothing(head, agency):
    power = make_power(head, agency)
    bad = [dict(t) for t in FOOD_TIERS]
    bad[0] = {**bad[0], "fine_min": D("50000"), "fine_max": D("60000")}
    with pytest.raises(ValidationError, match="减轻处罚应在法定最低限以下"):
        make_standard(head, power, tiers=bad)
    exempt = {
        "circumstance": Circumstance.EXEMPT,
        "description": "初次违法且危害后果轻微并及时改正的",
        "penalty_kinds": [PenaltyKind.NONE],
    }
    standard = make_standard(head, power, tiers=[exempt, *FOOD_TIERS])
    none_tier = tier(standard, Circumstance.EXEMPT)
    assert none_tier.fine_bounds() is None
    assert none_tier.allows(D("0")) and not none_tier.allows(D("1"))
    with pytest.raises(ValidationError, match="该档次（不予处罚情形）不处罚款"):
        none_tier.check_amount(D("500"))
    with pytest.raises(ValidationError, match="只能是“不予行政处罚”"):
        make_standard(
            head,
            make_power(head, agency, code="SJ-CF-9"),
            tiers=[{**exempt, "penalty_kinds": [PenaltyKind.WARNING]}],
        )


def test_fixed_ceiling_only_and_construction_cost_ratio(head, agency):
    road = make_power(
        head,
        agency,
        code="CG-CF-0042",
        name="对擅自占用或者挖掘城市道路的行政处罚",
        basis="《城市道路管理条例》第二十七条、第四十二条",
        violation="擅自占用或者挖掘城市道路",
    )
    standard = services.create_discretion_standard(
        actor=head,
        power_item=road,
        violation="擅自占用或者挖掘城市道路",
        basis="《城市道路管理条例》第二十七条、第四十二条",
        statutory_fine_max=D("20000"),
        tiers=[
            {
                "circumstance": Circumstance.ORDINARY,
                "description": "占用面积较小",
                "penalty_kinds": [PenaltyKind.FINE],
                "fine_min": D("2000"),
                "fine_max": D("8000"),
            }
        ],
    )
    assert tier(standard, Circumstance.ORDINARY).allows(D("8000"))
    assert standard.statutory_description() == "20,000元以下"
    planning = make_power(
        head,
        agency,
        code="CG-CF-0064",
        name="对违法建设的行政处罚",
        basis="《中华人民共和国城乡规划法》第六十四条",
        violation="未取得建设工程规划许可证进行建设",
    )
    ratio = services.create_discretion_standard(
        actor=head,
        power_item=planning,
        violation="未取得建设工程规划许可证进行建设，尚可采取改正措施消除对规划实施的影响的",
        basis="《中华人民共和国城乡规划法》第六十四条",
        multiple_base=MultipleBase.CONSTRUCTION_COST,
        statutory_multiple_min=D("0.05"),
        statutory_multiple_max=D("0.10"),
        tiers=[
            {
                "circumstance": Circumstance.ORDINARY,
                "description": "限期内改正的",
                "penalty_kinds": [PenaltyKind.FINE],
                "multiple_min": D("0.05"),
                "multiple_max": D("0.07"),
            }
        ],
    )
    ordinary = tier(ratio, Circumstance.ORDINARY)
    assert ordinary.fine_bounds(D("1000000")) == (D("50000.00"), D("70000.00"))
    assert ordinary.fine_text() == "建设工程造价5%以上7%以下的罚款"
    with pytest.raises(BaseRequired):
        ordinary.allows(D("60000"))


def test_standards_only_for_penalties_of_the_same_agency(head, agency):
    licence = make_power(
        head,
        agency,
        code="SJ-XK-0035",
        category=PowerCategory.LICENSING,
        name="食品经营许可",
        basis="《中华人民共和国食品安全法》第三十五条",
        violation="",
    )
    with pytest.raises(ValidationError, match="只能针对行政处罚事项"):
        make_standard(head, licence)
    penalty = make_power(head, agency, code="SJ-CF-X")
    with pytest.raises(ValidationError, match="至少应设置一个裁量档次"):
        make_standard(head, penalty, tiers=[])
    with pytest.raises(ValidationError, match="只能设置一次"):
        make_standard(head, penalty, tiers=[FOOD_TIERS[1], FOOD_TIERS[1]])


def test_a_standard_revised_for_a_future_date_still_applies_until_then(head, standard):
    later = timezone.localdate() + datetime.timedelta(days=10)
    lower = [dict(t) for t in FOOD_TIERS]
    lower[2] = {**lower[2], "fine_min": D("90000")}
    services.revise_discretion_standard(
        actor=head, standard=standard, tiers=lower, valid_from=later
    )
    now = selectors.tier_for(power_item=standard.power_item, circumstance=Circumstance.SEVERE)
    assert now is not None and now.standard == standard
