"""Entries are versioned, never edited or deleted: a revision supersedes, a withdrawal ends."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanxiang.catalog import selectors, services
from sanxiang.catalog.models import (
    DiscretionStandard,
    ItemStatus,
    PowerCategory,
    PowerItem,
    RandomInspectionItem,
    ServiceGuide,
)
from sanxiang.core.validators import normalize_phone
from sanxiang.records.ledger import entry_data
from sanxiang.records.models import LedgerEntry

from .conftest import PAST, make_power, make_standard

pytestmark = pytest.mark.django_db


def test_create_writes_version_one_and_a_ledger_entry(head, agency):
    item = make_power(head, agency)
    assert (item.version, item.status, item.valid_from, item.valid_to) == (
        1,
        ItemStatus.PUBLISHED,
        PAST,
        None,
    )
    assert item.supersedes is None and item.created_by == head
    entry = LedgerEntry.objects.get(action="catalog.create_power_item")
    assert entry.object_id == str(item.pk)
    data = entry_data(entry)
    assert data["content"]["basis"] == item.basis and data["version"] == 1


def test_revision_creates_a_new_version_and_keeps_the_old_one_readable(head, agency):
    v1 = make_power(head, agency)
    v2 = services.revise_power_item(
        actor=head,
        item=v1,
        time_limit="自立案之日起六十日内作出行政处罚决定",
        change_note="缩短办理期限",
        change_occurred_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    v1.refresh_from_db()
    today = timezone.localdate()
    assert (v2.version, v2.supersedes, v2.lineage, v2.status) == (
        2,
        v1,
        v1.lineage,
        ItemStatus.PUBLISHED,
    )
    assert v2.valid_from == today and v2.valid_to is None
    # The old row is untouched but for being closed: same content, still readable.
    assert v1.status == ItemStatus.SUPERSEDED and v1.valid_to == today
    assert v1.time_limit.startswith("自立案之日起九十日内") and v1.superseded_by == v2
    assert v2.name == v1.name and v2.code == v1.code
    assert list(selectors.versions(v2)) == [v1, v2]
    assert selectors.head(v1) == v2
    # A case decided last year cites version 1; one decided today, version 2.
    assert selectors.version_in_force(PowerItem, v1.lineage, on=PAST) == v1
    assert selectors.version_in_force(PowerItem, v1.lineage, on=today) == v2
    assert list(selectors.current(PowerItem, agency=agency)) == [v2]
    entry = LedgerEntry.objects.get(action="catalog.revise_power_item")
    assert entry_data(entry)["changed"] == {"time_limit": "自立案之日起六十日内作出行政处罚决定"}


def test_revision_can_take_effect_later_and_the_old_version_applies_until_then(head, agency):
    v1 = make_power(head, agency)
    later = timezone.localdate() + datetime.timedelta(days=30)
    v2 = services.revise_power_item(actor=head, item=v1, valid_from=later, fees="按规定收费")
    assert selectors.version_in_force(PowerItem, v1.lineage) == v1
    assert selectors.version_in_force(PowerItem, v1.lineage, on=later) == v2
    assert list(selectors.current(PowerItem, agency=agency)) == [v2]


def test_only_the_current_version_can_be_revised(head, agency):
    v1 = make_power(head, agency)
    services.revise_power_item(actor=head, item=v1, name="新名称")
    with pytest.raises(ValidationError, match="只能修订现行有效的版本"):
        services.revise_power_item(actor=head, item=v1, name="再改一次")
    assert PowerItem.objects.filter(lineage=v1.lineage).count() == 2


def test_revision_refuses_no_change_a_past_date_and_unknown_fields(head, agency):
    v1 = make_power(head, agency)
    with pytest.raises(ValidationError, match="修订内容与现行版本相同"):
        services.revise_power_item(actor=head, item=v1, name=v1.name)
    with pytest.raises(ValidationError, match="不能早于今天"):
        services.revise_power_item(
            actor=head, item=v1, name="x", valid_from=timezone.localdate() - datetime.timedelta(1)
        )
    with pytest.raises(ValidationError, match="变动之日不能晚于今天"):
        services.revise_power_item(
            actor=head,
            item=v1,
            name="x",
            change_occurred_on=timezone.localdate() + datetime.timedelta(1),
        )
    with pytest.raises(TypeError):
        services.revise_power_item(actor=head, item=v1, status="withdrawn")
    v1.refresh_from_db()
    assert v1.status == ItemStatus.PUBLISHED and v1.version == 1
    assert not LedgerEntry.objects.filter(action="catalog.revise_power_item").exists()


def test_an_invalid_revision_changes_nothing(head, agency):
    v1 = make_power(head, agency)
    with pytest.raises(ValidationError):
        services.revise_power_item(actor=head, item=v1, basis="食品安全法有关规定")
    v1.refresh_from_db()
    assert v1.status == ItemStatus.PUBLISHED and v1.valid_to is None
    assert PowerItem.objects.count() == 1


def test_withdraw_ends_the_entry_and_keeps_it(head, agency):
    item = make_power(head, agency)
    with pytest.raises(ValidationError, match="须写明原因"):
        services.withdraw_power_item(actor=head, item=item, reason=" ")
    withdrawn = services.withdraw_power_item(actor=head, item=item, reason="职能划转至综合执法部门")
    today = timezone.localdate()
    assert withdrawn.status == ItemStatus.WITHDRAWN and withdrawn.valid_to == today
    assert withdrawn.withdrawal_reason == "职能划转至综合执法部门"
    assert not selectors.current(PowerItem, agency=agency).exists()
    assert selectors.version_in_force(PowerItem, item.lineage, on=PAST) == withdrawn
    assert selectors.version_in_force(PowerItem, item.lineage, on=today) is None
    with pytest.raises(ValidationError, match="只能撤销现行有效的版本"):
        services.withdraw_power_item(actor=head, item=withdrawn, reason="再次撤销")
    with pytest.raises(ValidationError, match="只能修订现行有效的版本"):
        services.revise_power_item(actor=head, item=withdrawn, name="复活")
    assert LedgerEntry.objects.filter(action="catalog.withdraw_power_item").count() == 1


def test_withdrawing_a_power_withdraws_what_hangs_on_it(head, agency):
    power = make_power(head, agency)
    standard = make_standard(head, power)
    inspection = make_power(
        head,
        agency,
        code="SJ-JC-0110",
        category=PowerCategory.INSPECTION,
        name="对食品生产经营者的监督检查",
        basis="《中华人民共和国食品安全法》第一百一十条",
        violation="",
    )
    random_item = services.create_item(
        RandomInspectionItem,
        actor=head,
        agency=agency,
        name="食品销售者监督检查",
        basis="《中华人民共和国食品安全法》第一百一十条",
        subject=agency.name,
        targets="食品销售者",
        ratio="5",
        frequency="每年1次",
        method="双随机",
        content="进货查验",
        power_item=inspection,
    )
    services.withdraw_power_item(actor=head, item=power, reason="法律修改")
    standard.refresh_from_db()
    random_item.refresh_from_db()
    assert standard.status == ItemStatus.WITHDRAWN
    assert "所属权责清单事项" in standard.withdrawal_reason
    assert random_item.status == ItemStatus.PUBLISHED  # hangs on the inspection power
    services.withdraw_power_item(actor=head, item=inspection, reason="法律修改")
    random_item.refresh_from_db()
    assert random_item.status == ItemStatus.WITHDRAWN


def test_dependants_follow_the_power_across_its_revisions(head, agency):
    power = make_power(head, agency)
    standard = make_standard(head, power)
    power_v2 = services.revise_power_item(actor=head, item=power, fees="不收费（已核实）")
    # The standard still names version 1 of the power, and is found through its lineage.
    assert standard.power_item == power
    assert list(selectors.discretion_standards_for(power_v2)) == [standard]
    # Revising the standard moves it to the power's current version.
    standard_v2 = services.revise_discretion_standard(
        actor=head, standard=standard, change_note="随事项更新"
    )
    assert standard_v2.power_item == power_v2 and standard_v2.version == 2
    # New entries must hang on a current version.
    with pytest.raises(ValidationError, match="不是现行有效版本"):
        services.create_service_guide(
            actor=head,
            matter=power,
            procedure="申请→受理→决定",
            accepting_body="窗口",
            approving_body="本局",
            conditions="符合条件",
            time_limit="20个工作日",
            materials="申请书",
            place="政务服务中心",
        )


def test_database_refuses_two_published_versions_and_broken_chains(head, agency):
    item = make_power(head, agency)
    clone = PowerItem(
        **{**item.content_values(), "code": "SJ-OTHER"},
        agency=agency,
        lineage=item.lineage,
        version=2,
        supersedes=item,
        valid_from=PAST,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()
    orphan = PowerItem(
        **{**item.content_values(), "code": "SJ-ORPHAN"},
        agency=agency,
        version=2,
        valid_from=PAST,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        orphan.save()


def test_codes_are_unique_among_current_items_of_an_agency(head, agency, other_agency, supervisor):
    make_power(head, agency)
    with pytest.raises(ValidationError, match="事项编码"):
        make_power(head, agency, name="另一个事项")
    make_power(supervisor, other_agency)  # another agency may use the same code


def test_service_guide_phone_is_validated_and_normalised(head, agency):
    power = make_power(
        head,
        agency,
        code="SJ-XK-0035",
        category=PowerCategory.LICENSING,
        name="食品经营许可",
        basis="《中华人民共和国食品安全法》第三十五条",
        violation="",
    )
    fields = {
        "procedure": "申请→受理→审查→决定→送达",
        "accepting_body": "政务服务窗口",
        "approving_body": agency.name,
        "conditions": "符合食品安全法第三十三条要求",
        "time_limit": "20个工作日",
        "materials": "申请书\n营业执照\n\n规章制度",
        "place": "郑州市政务服务中心",
    }
    with pytest.raises(ValidationError, match="手机号码"):
        services.create_service_guide(actor=head, matter=power, phone="12345", **fields)
    guide = services.create_service_guide(actor=head, matter=power, phone="037167180001", **fields)
    assert guide.materials_list == ["申请书", "营业执照", "规章制度"]
    assert guide.phone == normalize_phone("037167180001")  # stored in canonical form
    assert ServiceGuide.objects.get().agency == agency


def test_random_inspection_ratio_and_power_kind(head, agency):
    penalty = make_power(head, agency)
    base = {
        "name": "抽查",
        "basis": "《中华人民共和国食品安全法》第一百一十条",
        "subject": agency.name,
        "targets": "食品销售者",
        "frequency": "每年1次",
        "method": "双随机",
        "content": "进货查验",
    }
    with pytest.raises(ValidationError, match="不能超过100%"):
        services.create_item(RandomInspectionItem, actor=head, agency=agency, ratio="120", **base)
    with pytest.raises(ValidationError, match="只能对应行政检查类事项"):
        services.create_item(
            RandomInspectionItem, actor=head, agency=agency, ratio="5", power_item=penalty, **base
        )
    assert not RandomInspectionItem.objects.exists()
    assert not DiscretionStandard.objects.exists()


def test_published_page_lists_current_items_of_active_agencies(head, agency, supervisor):
    for n in range(25):
        make_power(head, agency, code=f"SJ-CF-{n:04d}", name=f"事项{n}")
    old = PowerItem.objects.get(code="SJ-CF-0000")
    services.revise_power_item(actor=head, item=old, name="事项0（修订）")
    services.withdraw_power_item(
        actor=head, item=PowerItem.objects.get(code="SJ-CF-0001"), reason="撤销"
    )
    page = selectors.published_page(PowerItem, page=2, per_page=10)
    assert page.paginator.count == 24 and len(page.object_list) == 10
    first = selectors.published_page(PowerItem, page="abc", per_page=10)
    assert first.number == 1
    names = [p.name for p in selectors.published(PowerItem)]
    assert "事项0（修订）" in names and "事项0" not in names and "事项1" not in names
