"""The legal-review staffing rule: reviewers >= 5% of enforcement staff and >= 2 (Zhengzhou,
000 法制审核办法 第五条) or >= 1 (Henan, 001 河南法制审核办法 第五条)."""

import datetime

import pytest

from sanxiang.org.selectors import reviewer_staffing
from tests.factories import (
    AgencyFactory,
    CertificateFactory,
    OfficerFactory,
    Role,
    UserFactory,
    henan,
    zhoucun,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)


def _staff(agency, n, expired=0):
    for _ in range(n):
        CertificateFactory(officer=OfficerFactory(agency=agency))
    for _ in range(expired):
        CertificateFactory(
            officer=OfficerFactory(agency=agency),
            issued_on=datetime.date(2018, 1, 1),
            expires_on=datetime.date(2023, 1, 1),
        )


def _reviewers(agency, n):
    for _ in range(n):
        UserFactory(agency=agency, roles=[Role.LEGAL_REVIEWER])


def test_zhengzhou_needs_two_even_for_a_small_agency():
    agency = AgencyFactory()  # Zhengzhou
    _staff(agency, 10, expired=3)
    _reviewers(agency, 1)
    result = reviewer_staffing(agency, TODAY)
    assert (result.enforcement_staff, result.reviewers, result.required) == (10, 1, 2)
    assert not result.adequate
    assert "000 法制审核办法 第五条" in result.message and "不符合" in result.message
    _reviewers(agency, 1)
    assert reviewer_staffing(agency, TODAY).adequate


def test_ratio_dominates_for_a_large_agency():
    agency = AgencyFactory()
    _staff(agency, 41)
    _reviewers(agency, 2)
    result = reviewer_staffing(agency, TODAY)
    assert result.required == 3  # ceil(41 x 5%)
    assert not result.adequate


def test_henan_needs_one():
    agency = AgencyFactory(jurisdiction=henan(), name="河南省某厅")
    _staff(agency, 12)
    _reviewers(agency, 1)
    result = reviewer_staffing(agency, TODAY)
    assert result.required == 1 and result.adequate
    assert "001 河南法制审核办法 第五条" in result.message


def test_zhoucun_sets_no_ratio_and_says_so():
    agency = AgencyFactory(jurisdiction=zhoucun(), name="周村区某局")
    _staff(agency, 5)
    result = reviewer_staffing(agency, TODAY)
    assert result.required == 0 and not result.rule_fixed
    assert "未设定" in result.message and "002 第四十九条" in result.message


def test_inactive_reviewer_accounts_do_not_count():
    agency = AgencyFactory()
    _staff(agency, 4)
    UserFactory(agency=agency, roles=[Role.LEGAL_REVIEWER], is_active=False)
    _reviewers(agency, 1)
    assert reviewer_staffing(agency, TODAY).reviewers == 1
