"""`sanxiang demo`: sample data from the seed code, one account per role, safe to re-run."""

from __future__ import annotations

from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.utils import timezone

from sanxiang.org import selectors
from sanxiang.org.demo import DEMO_AGENCIES, DEMO_OFFICERS, DEMO_PASSWORD, run_demo
from sanxiang.org.models import Agency, Officer, Role, RoleGrant, Unit, User

pytestmark = pytest.mark.django_db

EXPECTED_ROLES = {
    "officer": Role.OFFICER,
    "unithead": Role.UNIT_HEAD,
    "reviewer": Role.LEGAL_REVIEWER,
    "reviewer2": Role.LEGAL_REVIEWER,
    "head": Role.AGENCY_HEAD,
    "custodian": Role.RECORDS_CUSTODIAN,
    "publisher": Role.PUBLISHER,
    "supervisor": Role.SUPERVISOR,
}


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # The demo sets ten passwords; the production hasher makes that seconds per run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def demo() -> str:
    out = StringIO()
    call_command("demo", "--force", stdout=out)
    return out.getvalue()


def logins_part(output: str) -> str:
    return output[output.index("演示账号") :]


@pytest.fixture
def demo_output() -> str:
    return demo()


def test_sample_data_comes_from_the_seed(demo_output):
    assert Agency.objects.count() == DEMO_AGENCIES
    assert Officer.objects.count() == DEMO_OFFICERS
    assert "执法人员：新建 400" in demo_output


def test_one_account_per_role_in_the_right_agency(demo_output):
    for username, role in EXPECTED_ROLES.items():
        user = User.objects.get(username=username)
        assert user.role_codes() == {role}, username
        assert user.is_active
        expected = "郑州市司法局" if username == "supervisor" else "郑州市市场监督管理局"
        assert user.agency is not None and user.agency.name == expected, username
        assert user.agency.jurisdiction.code == "410100"
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.agency is None
    for username in EXPECTED_ROLES:
        assert f"  {username} " in demo_output


def test_officer_accounts_are_linked_to_certified_officers(demo_output):
    today = timezone.localdate()
    officer = User.objects.get(username="officer")
    assert officer.officer is not None
    assert officer.officer.agency_id == officer.agency_id
    assert selectors.certified_officers(today).filter(pk=officer.officer.pk).exists()
    assert officer.full_name == officer.officer.name
    number = selectors.valid_certificates(today).get(officer=officer.officer_id).number
    assert number in demo_output
    unit_head = User.objects.get(username="unithead")
    if unit_head.officer is not None:
        assert unit_head.officer.unit == officer.officer.unit
        assert unit_head.officer.post in ("科长", "支队长")
    reviewer = User.objects.get(username="reviewer")
    if reviewer.officer is not None:
        assert reviewer.officer.unit is not None
        assert reviewer.officer.unit.kind == Unit.Kind.LEGAL


def test_demo_agency_meets_the_reviewer_rule_and_another_shows_the_warning(demo_output):
    agency = Agency.objects.get(jurisdiction__code="410100", name="郑州市市场监督管理局")
    assert selectors.reviewer_staffing(agency).adequate
    urban = Agency.objects.get(jurisdiction__code="410100", name="郑州市城市管理局")
    assert not selectors.reviewer_staffing(urban).adequate
    assert "郑州市城市管理局：法制审核人员0人" in demo_output
    assert "不符合（000 法制审核办法 第五条）" in demo_output


def test_staff_accounts_and_their_permissions(demo_output):
    head = User.objects.get(username="head")
    assert head.is_staff and not head.is_superuser
    assert [g.name for g in head.groups.all()] == ["机关负责人"]
    for perm in ("org.change_officer", "org.add_certificate", "org.view_entrustment"):
        assert head.has_perm(perm)
    assert not head.has_perm("org.delete_officer")
    supervisor = User.objects.get(username="supervisor")
    assert supervisor.is_staff
    assert supervisor.has_perm("org.change_agency") and not supervisor.has_perm("org.add_agency")
    visible = selectors.agencies_visible_to(supervisor)
    assert visible.filter(jurisdiction__code="410105").exists()  # 金水区, below Zhengzhou
    assert not visible.filter(jurisdiction__code="410900").exists()  # 濮阳市
    for username in ("officer", "reviewer", "custodian", "publisher", "unithead"):
        assert not User.objects.get(username=username).is_staff


def test_printed_logins_authenticate(demo_output, client):
    usernames = ["admin", *EXPECTED_ROLES]
    for username in usernames:
        assert f"{username}  " in demo_output or f"{username} " in demo_output
        request = RequestFactory().post("/staff/login/")
        user = authenticate(request, username=username, password=DEMO_PASSWORD)
        assert user is not None and user.username == username
        assert client.login(request=request, username=username, password=DEMO_PASSWORD)
    assert DEMO_PASSWORD in demo_output
    assert "http://127.0.0.1:8000/staff/" in demo_output
    assert "/api/docs" in demo_output


def test_second_run_is_idempotent(demo_output):
    counts = (
        User.objects.count(),
        RoleGrant.objects.count(),
        Agency.objects.count(),
        Officer.objects.count(),
    )
    links = dict(User.objects.values_list("username", "officer_id"))
    # Someone changed a password and got locked out in between.
    officer = User.objects.get(username="officer")
    officer.set_password("Something-else-entirely-9")
    officer.save()
    AccessAttempt.objects.create(
        username="officer", ip_address="127.0.0.1", user_agent="x", failures_since_start=9
    )
    second = demo()
    assert logins_part(second) == logins_part(demo_output)
    assert "执法人员：新建 0，已存在（跳过）400" in second
    assert (
        User.objects.count(),
        RoleGrant.objects.count(),
        Agency.objects.count(),
        Officer.objects.count(),
    ) == counts
    assert dict(User.objects.values_list("username", "officer_id")) == links
    assert User.objects.get(username="officer").check_password(DEMO_PASSWORD)
    assert not AccessAttempt.objects.filter(username="officer").exists()


def test_run_demo_returns_the_logins():
    result = run_demo()
    assert {x.username for x in result.logins} == {"admin", *EXPECTED_ROLES}
    assert all(x.password == DEMO_PASSWORD for x in result.logins)
    assert result.lines()[0].startswith("演示账号")


def test_refuses_outside_development(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("demo", stdout=StringIO())
    assert not User.objects.exists()
