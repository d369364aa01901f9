"""`sanxiang demo` has the demo accounts do their work through the services, so that the
publisher's, custodian's and head's pages and the portal have something to show — once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from sanxiang.access.models import ConfidentialityMark
from sanxiang.archives.models import CaseFile
from sanxiang.disclosure.models import CorrectionRequest, Publication, PublicationVersion
from sanxiang.inspections.models import Draw
from sanxiang.org.models import User
from sanxiang.records.models import LedgerEntry
from sanxiang.sampledata.demo_work import DEMO_PUBLISHED

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_demo_accounts_work_is_done_once():
    call_command("demo", "--force", stdout=StringIO())
    agency = User.objects.get(username="publisher").agency
    published = Publication.objects.filter(agency=agency, status=Publication.Status.PUBLISHED)
    assert published.count() == DEMO_PUBLISHED
    assert (
        PublicationVersion.objects.filter(made_by__username="publisher").count() == DEMO_PUBLISHED
    )
    assert CorrectionRequest.objects.filter(agency=agency).count() == 1
    assert CaseFile.objects.filter(agency=agency).exists()
    assert ConfidentialityMark.objects.filter(case__agency=agency).count() == 1
    draw = Draw.objects.get(agency=agency)
    assert draw.status == Draw.Status.DRAWN
    entries = LedgerEntry.objects.count()
    call_command("demo", "--force", stdout=StringIO())
    assert LedgerEntry.objects.count() == entries
    assert Publication.objects.filter(status=Publication.Status.PUBLISHED).count() == DEMO_PUBLISHED
