"""The reviewers' "due soon" list never fails, nor guesses, where the working-day calendar
does not cover the days ahead."""

from __future__ import annotations

import datetime

import pytest

from sanxiang.core.models import CalendarYear, SpecialDay
from sanxiang.review import selectors
from sanxiang.review.models import LegalReview
from tests.factories import (
    AgencyFactory,
    CertificateFactory,
    OfficerFactory,
    Role,
    UnitFactory,
    UserFactory,
    zhengzhou,
)

pytestmark = pytest.mark.django_db


def test_due_soon_without_calendar_counts_calendar_days_and_the_home_page_renders(client):
    SpecialDay.objects.all().delete()
    CalendarYear.objects.all().delete()
    on = datetime.date(2026, 12, 30)
    assert list(selectors.due_soon(LegalReview.objects.all(), on)) == []
    agency = AgencyFactory(jurisdiction=zhengzhou())
    officer = OfficerFactory(agency=agency, unit=UnitFactory(agency=agency))
    CertificateFactory(officer=officer)
    user = UserFactory(
        agency=agency,
        officer=officer,
        roles=[Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.LEGAL_REVIEWER],
    )
    client.force_login(user)
    assert client.get("/staff/").status_code == 200
    assert client.get("/staff/reviews/?tab=soon").status_code == 200
