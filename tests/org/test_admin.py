"""The admin is in Chinese and bounded by the same isolation as the rest of the system."""

import pytest
from django.contrib.auth.models import Permission

from sanxiang.org.models import Officer
from tests.factories import AgencyFactory, OfficerFactory, Role, UserFactory, jinshui

pytestmark = pytest.mark.django_db


@pytest.fixture
def head_client(client):
    own = AgencyFactory(name="郑州市市场监督管理局")
    other = AgencyFactory(name="郑州市金水区市场监督管理局", jurisdiction=jinshui())
    head = UserFactory(agency=own, roles=[Role.AGENCY_HEAD], is_staff=True)
    head.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="org",
            codename__in=[
                "view_officer",
                "add_officer",
                "change_officer",
                "view_agency",
                "change_agency",
                "view_certificate",
                "add_certificate",
            ],
        )
    )
    client.force_login(head)
    return client, own, other


def test_changelists_show_only_own_agency(head_client):
    client, own, other = head_client
    mine = OfficerFactory(agency=own, name="李明")
    theirs = OfficerFactory(agency=other, name="赵强")
    page = client.get("/admin/org/officer/").content.decode()
    assert "执法人员" in page and mine.name in page and theirs.name not in page
    assert client.get(f"/admin/org/officer/{theirs.pk}/change/").status_code in (302, 404)
    agencies = client.get("/admin/org/agency/").content.decode()
    assert own.name in agencies and other.name not in agencies


def test_add_form_rejects_bad_id_with_chinese_message_and_foreign_agency(head_client):
    client, own, other = head_client
    form = {
        "agency": own.pk,
        "name": "王五",
        "gender": "M",
        "id_number": "360426199101010072",
        "post": "科员",
        "certificates-TOTAL_FORMS": "0",
        "certificates-INITIAL_FORMS": "0",
    }
    page = client.post("/admin/org/officer/add/", form).content.decode()
    assert "校验码错误" in page
    assert not Officer.objects.filter(name="王五").exists()
    form.update(agency=other.pk, id_number="11010519491231002X")
    page = client.post("/admin/org/officer/add/", form).content.decode()
    assert "选择一个有效的选项" in page  # the foreign agency is not among the choices
    assert not Officer.objects.filter(name="王五").exists()


def test_nothing_can_be_deleted_in_admin(head_client):
    client, own, _ = head_client
    officer = OfficerFactory(agency=own)
    assert client.get(f"/admin/org/officer/{officer.pk}/delete/").status_code == 403


def test_head_cannot_escalate_privileges_through_user_admin(client):
    own = AgencyFactory()
    head = UserFactory(agency=own, roles=[Role.AGENCY_HEAD], is_staff=True)
    head.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="org",
            codename__in=[
                "view_user",
                "change_user",
                "view_rolegrant",
                "add_rolegrant",
                "change_rolegrant",
            ],
        )
    )
    client.force_login(head)
    page = client.get(f"/admin/org/user/{head.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="user_permissions"' not in page
    assert 'value="supervisor"' not in page  # cannot hand out the jurisdiction-wide role
    assert 'value="legal_reviewer"' in page


def test_admin_edits_are_on_the_ledger(head_client):
    from sanxiang.records.ledger import entry_data
    from sanxiang.records.models import LedgerEntry

    client, own, _ = head_client
    officer = OfficerFactory(agency=own, name="李明", post="科员")
    form = {
        "agency": own.pk,
        "name": "李明",
        "gender": officer.gender,
        "id_number": officer.id_number,
        "post": "副科长",
        "certificates-TOTAL_FORMS": "1",
        "certificates-INITIAL_FORMS": "0",
        "certificates-0-number": "豫A77770001",
        "certificates-0-category": "市场监管",
        "certificates-0-area": "郑州市",
        "certificates-0-issued_by": "河南省人民政府",
        "certificates-0-issued_on": "2025-01-01",
        "certificates-0-expires_on": "2030-01-01",
        "certificates-0-status": "active",
    }
    response = client.post(f"/admin/org/officer/{officer.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    entries = list(LedgerEntry.objects.order_by("seq"))
    assert [e.action for e in entries] == ["admin.change_officer", "admin.add_certificate"]
    assert entry_data(entries[0])["changes"]["post"] == {"old": "科员", "new": "副科长"}
    assert entries[0].actor_label.startswith("user")
