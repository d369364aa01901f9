"""The admin: Chinese, scoped to the user's agencies, saving through the services (a change
writes a new version), history view-only, withdrawal with a reason, nothing deleted."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.utils import timezone

from sanxiang.catalog import services
from sanxiang.catalog.models import DiscretionStandard, ItemStatus, PowerItem
from sanxiang.catalog.seed import seed_catalog
from sanxiang.records.models import LedgerEntry
from tests.factories import UserFactory

from .conftest import FOOD_STANDARD, FOOD_TIERS, POWER_FIELDS, make_power, make_standard

pytestmark = pytest.mark.django_db

CATALOG_MODELS = ("poweritem", "discretionstandard", "avmatter", "serviceguide")


@pytest.fixture
def head_client(client, head):
    head.is_staff = True
    head.save()
    head.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="catalog",
            codename__in=[f"{a}_{m}" for m in CATALOG_MODELS for a in ("view", "add", "change")],
        )
    )
    client.force_login(head)
    return client


def _form(item: PowerItem | None = None, **overrides):
    data = {
        "agency": item.agency_id if item else "",
        "valid_from": "2024-01-01",
        "code": POWER_FIELDS["code"],
        "category": POWER_FIELDS["category"],
        "name": POWER_FIELDS["name"],
        "basis": POWER_FIELDS["basis"],
        "responsibility": POWER_FIELDS["responsibility"],
        "time_limit": POWER_FIELDS["time_limit"],
        "statutory_days": "",
        "fees": "不收费",
        "unit": "",
        "violation": POWER_FIELDS["violation"],
        "change_note": "",
        "change_occurred_on": "",
    }
    if item is not None:
        for key in ("code", "category", "name", "basis", "responsibility", "time_limit"):
            data[key] = getattr(item, key)
        data["violation"] = item.violation
        data["revision_valid_from"] = timezone.localdate().isoformat()
    data.update(overrides)
    return data


def test_changelist_is_chinese_and_scoped(head_client, head, agency, other_agency, supervisor):
    mine = make_power(head, agency, name="本局事项")
    make_power(supervisor, other_agency, name="他局事项")
    page = head_client.get("/admin/catalog/poweritem/").content.decode()
    assert "权责清单" in page and mine.name in page and "他局事项" not in page
    theirs = PowerItem.objects.get(name="他局事项")
    assert head_client.get(f"/admin/catalog/poweritem/{theirs.pk}/change/").status_code in (
        302,
        404,
    )


def test_add_through_the_admin_writes_version_one_and_the_ledger(head_client, agency, other_agency):
    response = head_client.post("/admin/catalog/poweritem/add/", _form(agency=agency.pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    item = PowerItem.objects.get()
    assert item.version == 1 and item.valid_from == datetime.date(2024, 1, 1)
    assert LedgerEntry.objects.filter(action="catalog.create_power_item").count() == 1
    page = head_client.post(
        "/admin/catalog/poweritem/add/", _form(agency=other_agency.pk, code="X-1")
    ).content.decode()
    assert "选择一个有效的选项" in page
    page = head_client.post(
        "/admin/catalog/poweritem/add/", _form(agency=agency.pk, code="X-2", basis="依法")
    ).content.decode()
    assert "依据应写明法律、法规或规章的名称及具体条款" in page
    assert PowerItem.objects.count() == 1


def test_change_writes_a_new_version_and_the_old_one_is_view_only(head_client, head, agency):
    v1 = make_power(head, agency)
    url = f"/admin/catalog/poweritem/{v1.pk}/change/"
    page = head_client.get(url).content.decode()
    assert "新版本生效日期" in page and "版本记录" in page
    response = head_client.post(url, _form(v1, fees="按规定收费", change_note="收费调整"))
    assert response.status_code == 302, response.content.decode()[:3000]
    v1.refresh_from_db()
    v2 = PowerItem.objects.get(lineage=v1.lineage, version=2)
    assert v1.status == ItemStatus.SUPERSEDED and v1.fees == "不收费"
    assert v2.fees == "按规定收费" and v2.change_note == "收费调整"
    # The superseded version can be read but not changed.
    page = head_client.get(url).content.decode()
    assert "按规定收费" not in page and 'name="_save"' not in page
    assert head_client.post(url, _form(v1, fees="再改")).status_code == 403
    assert PowerItem.objects.filter(lineage=v1.lineage).count() == 2


def test_change_without_changes_or_backdated_is_refused(head_client, head, agency):
    v1 = make_power(head, agency)
    url = f"/admin/catalog/poweritem/{v1.pk}/change/"
    page = head_client.post(url, _form(v1)).content.decode()
    assert "未修改任何内容" in page
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    page = head_client.post(
        url, _form(v1, name="新名称", revision_valid_from=yesterday)
    ).content.decode()
    assert "不能早于今天" in page
    assert PowerItem.objects.count() == 1


def test_nothing_can_be_deleted(head_client, head, agency):
    item = make_power(head, agency)
    assert head_client.get(f"/admin/catalog/poweritem/{item.pk}/delete/").status_code == 403


def test_withdraw_action_asks_for_a_reason(head_client, head, agency):
    item = make_power(head, agency)
    data = {"action": "withdraw_selected", "_selected_action": [item.pk]}
    page = head_client.post("/admin/catalog/poweritem/", data).content.decode()
    assert "撤销原因" in page and "确认撤销" in page
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    response = head_client.post(
        "/admin/catalog/poweritem/",
        {
            **data,
            "apply": "1",
            "reason": "职能调整",
            "on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.WITHDRAWN and item.withdrawal_reason == "职能调整"


def _standard_form(power, standard=None, tiers=FOOD_TIERS, **overrides):
    data = {
        "agency": power.agency_id,
        "valid_from": "2024-01-01",
        "power_item": power.pk,
        "violation": FOOD_STANDARD["violation"],
        "basis": FOOD_STANDARD["basis"],
        "standard_basis": "《中华人民共和国行政处罚法》第三十四条",
        "multiple_base": FOOD_STANDARD["multiple_base"],
        "base_threshold": "10000",
        "statutory_fine_min": "50000",
        "statutory_fine_max": "100000",
        "statutory_multiple_min": "10",
        "statutory_multiple_max": "20",
        "change_note": "",
        "change_occurred_on": "",
        "tiers-TOTAL_FORMS": str(len(tiers)),
        "tiers-INITIAL_FORMS": "0",
        "tiers-MIN_NUM_FORMS": "1",
        "tiers-MAX_NUM_FORMS": "1000",
    }
    existing = list(standard.tiers.all()) if standard is not None else []
    if standard is not None:
        data["revision_valid_from"] = timezone.localdate().isoformat()
        data["tiers-INITIAL_FORMS"] = str(len(existing))
    for i, tier in enumerate(tiers):
        prefix = f"tiers-{i}-"
        data[prefix + "circumstance"] = tier["circumstance"]
        data[prefix + "description"] = tier["description"]
        data[prefix + "penalty_kinds"] = [str(k) for k in tier["penalty_kinds"]]
        for key in ("fine_min", "fine_max", "multiple_min", "multiple_max"):
            value = tier.get(key)
            data[prefix + key] = "" if value is None else str(value)
        if i < len(existing):
            data[prefix + "id"] = existing[i].pk
            data[prefix + "standard"] = standard.pk
    data.update(overrides)
    return data


def test_discretion_standard_with_tiers_through_the_admin(head_client, head, agency):
    power = make_power(head, agency)
    bad = [dict(t) for t in FOOD_TIERS]
    bad[1] = {**bad[1], "fine_max": 150000}
    page = head_client.post(
        "/admin/catalog/discretionstandard/add/", _standard_form(power, tiers=bad)
    ).content.decode()
    assert "上限不能超过法定上限" in page
    assert not DiscretionStandard.objects.exists()
    response = head_client.post("/admin/catalog/discretionstandard/add/", _standard_form(power))
    assert response.status_code == 302, response.content.decode()[:4000]
    standard = DiscretionStandard.objects.get()
    assert standard.tiers.count() == 3
    # Changing one tier writes version 2 with its own tiers.
    changed = [dict(t) for t in FOOD_TIERS]
    changed[1] = {**changed[1], "fine_max": 72000}
    response = head_client.post(
        f"/admin/catalog/discretionstandard/{standard.pk}/change/",
        _standard_form(power, standard, tiers=changed),
    )
    assert response.status_code == 302, response.content.decode()[:4000]
    v2 = DiscretionStandard.objects.get(version=2)
    assert v2.tiers.get(circumstance="ordinary").fine_max == 72000
    assert standard.tiers.get(circumstance="ordinary").fine_max == 70000
    standard.refresh_from_db()
    assert standard.status == ItemStatus.SUPERSEDED


def test_admin_offers_only_current_powers(head_client, head, agency):
    power = make_power(head, agency)
    v2 = make_power(head, agency, code="SJ-CF-9", name="另一事项")
    make_standard(head, power)
    services.withdraw_power_item(actor=head, item=v2, reason="撤销")
    page = head_client.get("/admin/catalog/discretionstandard/add/").content.decode()
    assert power.name in page and "另一事项" not in page


@pytest.mark.parametrize(
    "model",
    [
        "poweritem",
        "discretionstandard",
        "randominspectionitem",
        "serviceguide",
        "remedychannel",
        "supervisionchannel",
        "avmatter",
    ],
)
def test_every_list_renders_for_a_platform_administrator(client, agency, model):
    root = UserFactory(agency=agency, is_superuser=True, is_staff=True)
    client.force_login(root)
    seed_catalog([agency])
    listing = client.get(f"/admin/catalog/{model}/")
    assert listing.status_code == 200
    assert client.get(f"/admin/catalog/{model}/add/").status_code == 200
    obj = apps.get_model("catalog", model).objects.first()
    if obj is not None:
        page = client.get(f"/admin/catalog/{model}/{obj.pk}/change/")
        assert page.status_code == 200 and "版本记录" in page.content.decode()
