"""Data isolation: an account sees and changes only its own agency's data, unless a role
covers more (a supervisor sees the whole jurisdiction)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from sanxiang.org import selectors, services
from sanxiang.org.models import Officer
from tests.factories import (
    AgencyFactory,
    OfficerFactory,
    Role,
    UserFactory,
    jinshui,
    zhengzhou,
    zhoucun,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    zz_bureau = AgencyFactory(name="郑州市市场监督管理局", jurisdiction=zhengzhou())
    jinshui_bureau = AgencyFactory(name="郑州市金水区市场监督管理局", jurisdiction=jinshui())
    zhoucun_bureau = AgencyFactory(name="淄博市周村区市场监督管理局", jurisdiction=zhoucun())
    justice = AgencyFactory(name="郑州市司法局", jurisdiction=zhengzhou())
    return {
        "zz": zz_bureau,
        "jinshui": jinshui_bureau,
        "zhoucun": zhoucun_bureau,
        "justice": justice,
        "zz_officer": OfficerFactory(agency=zz_bureau),
        "jinshui_officer": OfficerFactory(agency=jinshui_bureau),
        "zhoucun_officer": OfficerFactory(agency=zhoucun_bureau),
    }


def test_plain_account_sees_only_its_agency(world):
    user = UserFactory(agency=world["zz"], roles=[Role.OFFICER])
    assert list(selectors.agencies_visible_to(user)) == [world["zz"]]
    assert set(selectors.officers_visible_to(user)) == {world["zz_officer"]}


def test_supervisor_sees_whole_jurisdiction_but_not_another(world):
    supervisor = UserFactory(agency=world["justice"], roles=[Role.SUPERVISOR])
    visible = set(selectors.agencies_visible_to(supervisor))
    assert {world["zz"], world["jinshui"], world["justice"]} <= visible
    assert world["zhoucun"] not in visible
    assert world["zhoucun_officer"] not in set(selectors.officers_visible_to(supervisor))


def test_account_without_agency_sees_nothing(world):
    user = UserFactory(agency=None)
    assert not selectors.agencies_visible_to(user).exists()


def test_head_cannot_act_outside_own_agency(world):
    head = UserFactory(agency=world["zz"], roles=[Role.AGENCY_HEAD])
    with pytest.raises(PermissionDenied) as exc:
        services.register_officer(
            actor=head,
            agency=world["jinshui"],
            name="王五",
            gender="M",
            id_number="11010519491231002X",
            post="科员",
        )
    assert "无权管理“郑州市金水区市场监督管理局”" in str(exc.value)
    assert not Officer.objects.filter(id_number="11010519491231002X").exists()
    with pytest.raises(PermissionDenied):
        services.record_officer_departure(
            actor=head,
            officer=world["jinshui_officer"],
            on=datetime.date(2026, 1, 1),
            reason="调动",
        )


def test_plain_officer_cannot_change_master_data_even_in_own_agency(world):
    officer_user = UserFactory(agency=world["zz"], roles=[Role.OFFICER])
    with pytest.raises(PermissionDenied):
        services.create_unit(actor=officer_user, agency=world["zz"], name="稽查科", kind="handling")


def test_supervisor_may_manage_below_but_not_elsewhere(world):
    supervisor = UserFactory(agency=world["justice"], roles=[Role.SUPERVISOR])
    unit = services.create_unit(
        actor=supervisor, agency=world["jinshui"], name="法制科", kind="legal"
    )
    assert unit.agency == world["jinshui"]
    with pytest.raises(PermissionDenied):
        services.create_unit(actor=supervisor, agency=world["zhoucun"], name="法制科", kind="legal")


def test_only_supervisor_registers_agencies(world):
    head = UserFactory(agency=world["zz"], roles=[Role.AGENCY_HEAD])
    with pytest.raises(PermissionDenied) as exc:
        services.register_agency(
            actor=head,
            jurisdiction=zhengzhou(),
            name="郑州市新设局",
            uscc="91350100M000100Y43",
            legal_status="organ",
            qualification_basis="依法设立",
            confirmed_by="郑州市人民政府",
            confirmed_on=datetime.date(2025, 1, 1),
        )
    assert "执法监督机构" in str(exc.value)
