"""Who may keep an agency's lists: its head, the supervisor above it, a platform
administrator — never a plain officer, never another agency (000 公示办法 第四条)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from sanxiang.catalog import services
from sanxiang.catalog.models import ItemStatus, PowerItem
from sanxiang.records.models import LedgerEntry
from tests.factories import AgencyFactory, Role, UserFactory, zhoucun

from .conftest import make_power, make_standard

pytestmark = pytest.mark.django_db


def test_plain_officer_cannot_create_revise_or_withdraw(head, officer_user, agency):
    with pytest.raises(PermissionDenied, match="谁执法谁公示"):
        make_power(officer_user, agency)
    item = make_power(head, agency)
    with pytest.raises(PermissionDenied):
        services.revise_power_item(actor=officer_user, item=item, name="改名")
    with pytest.raises(PermissionDenied):
        services.withdraw_power_item(actor=officer_user, item=item, reason="撤销")
    with pytest.raises(PermissionDenied):
        make_standard(officer_user, item)
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED and PowerItem.objects.count() == 1
    assert LedgerEntry.objects.filter(action__startswith="catalog.").count() == 1


def test_head_cannot_touch_another_agencys_lists(head, other_agency, supervisor):
    with pytest.raises(PermissionDenied, match="郑州市金水区市场监督管理局"):
        make_power(head, other_agency)
    theirs = make_power(supervisor, other_agency)
    with pytest.raises(PermissionDenied):
        services.revise_power_item(actor=head, item=theirs, name="改名")
    with pytest.raises(PermissionDenied):
        services.withdraw_power_item(actor=head, item=theirs, reason="撤销")


def test_supervisor_acts_within_the_jurisdiction_only(supervisor, agency, other_agency):
    assert make_power(supervisor, agency).pk and make_power(supervisor, other_agency).pk
    far = AgencyFactory(name="周村区市场监督管理局", jurisdiction=zhoucun())
    with pytest.raises(PermissionDenied):
        make_power(supervisor, far)


def test_head_of_one_agency_with_an_account_elsewhere_is_still_bounded(agency, other_agency):
    other_head = UserFactory(agency=other_agency, roles=[Role.AGENCY_HEAD])
    with pytest.raises(PermissionDenied):
        make_power(other_head, agency)
