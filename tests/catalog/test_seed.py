"""`sanxiang.catalog.seed`: realistic, valid, cited, deterministic, safe to re-run."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanxiang.catalog import selectors, services
from sanxiang.catalog.models import (
    AVMatter,
    AVRequirement,
    Circumstance,
    DiscretionStandard,
    DiscretionTier,
    ItemStatus,
    PowerItem,
    RandomInspectionItem,
    RemedyChannel,
    ServiceGuide,
    SupervisionChannel,
)
from sanxiang.catalog.seed import department_for, lineage_for, seed_catalog
from sanxiang.catalog.seed_data import DEPARTMENT_ORDER
from sanxiang.catalog.stages import AV_ARTICLES, FULL_PROCESS_STAGES
from sanxiang.catalog.validators import regulation_citations, statute_articles
from sanxiang.org.models import Agency
from sanxiang.org.seed import seed as seed_org
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MODELS = (
    PowerItem,
    DiscretionStandard,
    DiscretionTier,
    RandomInspectionItem,
    ServiceGuide,
    RemedyChannel,
    SupervisionChannel,
    AVMatter,
)


@pytest.fixture
def agencies(db):
    seed_org(seed=3, agencies=40, officers=40)
    return Agency.objects.all()


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    return {
        "powers": sorted(
            PowerItem.objects.values_list("agency__name", "lineage", "code", "name", "unit__name")
        ),
        "standards": sorted(
            DiscretionStandard.objects.values_list("lineage", "power_item__lineage", "basis")
        ),
        "tiers": sorted(
            DiscretionTier.objects.values_list(
                "standard__lineage", "circumstance", "fine_min", "fine_max", "multiple_min"
            )
        ),
        "other": sorted(
            (m.__name__, str(lineage))
            for m in (
                RandomInspectionItem,
                ServiceGuide,
                RemedyChannel,
                SupervisionChannel,
                AVMatter,
            )
            for lineage in m.objects.values_list("lineage", flat=True)
        ),
    }


def test_department_matching():
    assert department_for("郑州市市场监督管理局").key == "market"
    assert department_for("郑州市市场监管综合行政执法支队").key == "market"
    assert department_for("郑州市生态环境局金水分局").key == "ecology"
    assert department_for("郑州市生态环境保护综合行政执法支队").key == "ecology"
    assert department_for("郑州市城市管理局").key == "urban"
    assert department_for("巩义市综合行政执法局").key == "urban"
    assert department_for("郑州市城市管理综合行政执法支队").key == "urban"
    assert department_for("郑州市文化市场综合行政执法支队") is None
    assert department_for("郑州市司法局") is None


def test_seed_writes_every_list_for_matching_agencies(agencies):
    out = StringIO()
    result = seed_catalog(agencies, stdout=out)
    assert result.agencies > 0 and result.skipped_agencies > 0
    assert "公示清单" in out.getvalue()
    kinds = {department_for(a.name).key for a in agencies if department_for(a.name)}
    assert kinds == {"market", "urban", "ecology"}
    for model in MODELS:
        assert model.objects.exists(), model
    market = Agency.objects.get(name="郑州市市场监督管理局")
    codes = set(selectors.current(PowerItem, agency=market).values_list("code", flat=True))
    assert {"SJ-CF-0122", "SJ-CF-0124", "SJ-XK-0035", "SJ-JC-0110", "SJ-QZ-0110"} <= codes
    food = PowerItem.objects.get(agency=market, code="SJ-CF-0122")
    assert food.lineage == lineage_for(market, "power", "CF-0122")
    assert food.unit is not None and food.unit.agency == market
    # The 食品安全法 第一百二十二条 ranges: 5–10万元 below 1万元 of goods, 10–20 times above.
    tier = selectors.tier_for(power_item=food, circumstance=Circumstance.ORDINARY)
    assert tier is not None
    assert tier.allows(Decimal("60000"), base=Decimal("5000"))
    assert tier.allows(Decimal("120000"), base=Decimal("12000"))  # 10 times
    assert not tier.allows(Decimal("110000"), base=Decimal("5000"))
    standard = tier.standard
    assert (standard.statutory_fine_min, standard.statutory_fine_max) == (50000, 100000)
    assert (standard.statutory_multiple_min, standard.statutory_multiple_max) == (10, 20)
    assert standard.base_threshold == 10000
    assert (
        selectors.av_requirement(agency=market, action_type="coercion", stage="seizure").requirement
        == AVRequirement.FULL_PROCESS
    )


def test_every_seeded_row_passes_full_clean(agencies):
    seed_catalog(agencies)
    for model in MODELS:
        for obj in model.objects.all():
            obj.full_clean()


def test_every_seeded_basis_cites_an_article(agencies):
    seed_catalog(agencies)
    for model in (PowerItem, DiscretionStandard, RandomInspectionItem):
        for basis in model.objects.values_list("basis", flat=True):
            assert statute_articles(basis), (model.__name__, basis)
    for standard in DiscretionStandard.objects.all():
        assert statute_articles(standard.standard_basis)
    for item in PowerItem.objects.filter(category="licensing"):
        assert statute_articles(item.fees) and "第五十八条" in item.fees
    for matter in AVMatter.objects.select_related("agency__jurisdiction"):
        cited = {str(c) for c in regulation_citations(matter.basis)}
        articles = AV_ARTICLES[matter.agency.rule_profile_code]
        wanted = articles.full_process if matter.is_full_process else articles.av
        assert wanted in cited, matter.basis
        if matter.stage in FULL_PROCESS_STAGES:
            assert matter.is_full_process
    litigation = RemedyChannel.objects.filter(kind="litigation").first()
    assert litigation is not None and "第四十六条" in litigation.description


def test_seed_is_idempotent_and_leaves_revised_and_withdrawn_entries_alone(agencies):
    first = seed_catalog(agencies)
    before = snapshot()
    again = seed_catalog(agencies)
    assert again.rows_created == 0 and first.rows_created > 0
    assert snapshot() == before
    market = Agency.objects.get(name="郑州市市场监督管理局")
    root = UserFactory(agency=market, is_superuser=True)
    food = PowerItem.objects.get(agency=market, code="SJ-CF-0124")
    services.withdraw_power_item(actor=root, item=food, reason="测试撤销")
    licence = PowerItem.objects.get(agency=market, code="SJ-XK-0035")
    services.revise_power_item(actor=root, item=licence, fees="不收费（已核实）")
    assert seed_catalog(agencies).rows_created == 0
    assert not PowerItem.objects.filter(
        agency=market, code="SJ-CF-0124", status="published"
    ).exists()
    assert PowerItem.objects.get(agency=market, code="SJ-XK-0035", status="published").version == 2


def test_seed_is_deterministic_whatever_the_order_of_agencies(agencies):
    seed_catalog(agencies)
    first = snapshot()
    for model in reversed(MODELS):
        model.objects.all().delete()  # the test database only: rows are never deleted in use
    seed_catalog(Agency.objects.order_by("-pk"))
    assert snapshot() == first


def test_seed_costs_a_bounded_number_of_queries(agencies):
    with CaptureQueriesContext(connection) as queries:
        seed_catalog(agencies)
    assert len(queries) < 60, len(queries)


def test_tiers_of_every_template_lie_within_the_statutory_range():
    for dept in DEPARTMENT_ORDER:
        for power in dept.powers:
            for spec in power.standards:
                assert statute_articles(spec.basis)
                for tier in spec.tiers:
                    if tier.fine_max is not None and spec.fine_max is not None:
                        assert tier.fine_max <= spec.fine_max
                    if tier.multiple_max is not None and spec.multiple_max is not None:
                        assert tier.multiple_max <= spec.multiple_max


def test_command(agencies):
    out = StringIO()
    call_command("seed_catalog", "--jurisdiction", "410100", stdout=out)
    assert "公示清单" in out.getvalue()
    assert (
        PowerItem.objects.exclude(agency__jurisdiction__path__startswith="/410000/410100/").count()
        == 0
    )
    with pytest.raises(CommandError, match="未找到"):
        call_command("seed_catalog", "--jurisdiction", "999999")
    with pytest.raises(CommandError, match="没有符合条件的执法主体"):
        call_command("seed_catalog", "--agency", "不存在的机关")
    assert ItemStatus.PUBLISHED in set(PowerItem.objects.values_list("status", flat=True))
