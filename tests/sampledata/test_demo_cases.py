"""`sanxiang demo` loads sample cases into the demo agency, some handled by the demo officer
account (so its inbox has work), once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from sanxiang.cases.models import Case, CaseOfficer, Record
from sanxiang.org.models import User
from sanxiang.records.models import LedgerEntry
from sanxiang.sampledata.cases import LEDGER_ACTION
from sanxiang.sampledata.seeders import DEMO_AGENCY_CASES, DEMO_CASES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_demo_cases_in_the_demo_agency_once():
    call_command("demo", "--force", stdout=StringIO())
    officer = User.objects.get(username="officer")
    assert officer.officer is not None
    # The demo's 双随机 draw opens its inspection tasks as cases of their own.
    seeded = Case.objects.filter(random_inspection__isnull=True)
    agency_cases = seeded.filter(agency=officer.agency)
    assert seeded.count() == DEMO_CASES
    assert agency_cases.count() == DEMO_AGENCY_CASES
    assert agency_cases.filter(status=Case.Status.OPEN).exists()
    mine = CaseOfficer.objects.filter(officer=officer.officer, case__agency=officer.agency)
    assert mine.values("case").distinct().count() >= DEMO_AGENCY_CASES // 4
    assert Record.objects.filter(made_by=officer).exists()
    counts = (Case.objects.count(), Record.objects.count(), LedgerEntry.objects.count())
    out = StringIO()
    call_command("demo", "--force", stdout=out)
    assert (Case.objects.count(), Record.objects.count(), LedgerEntry.objects.count()) == counts
    assert LedgerEntry.objects.filter(action=LEDGER_ACTION).count() == 1
    assert "已导入过，跳过" in out.getvalue()
