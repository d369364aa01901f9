"""Sample agencies, officers and certificates in every state the portal must show."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from sanxiang.org.models import Agency, Certificate, Officer
from tests.factories import (
    AgencyFactory,
    CertificateFactory,
    EntrustmentFactory,
    OfficerFactory,
    UnitFactory,
    jinshui,
    zhengzhou,
    zhoucun,
)


@dataclass
class Sample:
    today: datetime.date
    city: Agency
    district: Agency
    shandong: Agency
    valid: Certificate
    expired: Certificate
    suspended: Certificate
    revoked: Certificate
    left: Certificate
    officer: Officer


@pytest.fixture
def sample(db) -> Sample:
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    city = AgencyFactory(
        name="郑州市市场监督管理局",
        jurisdiction=zhengzhou(),
        enforcement_fields="市场监管",
        complaint_phone="0371-12315000",
    )
    district = AgencyFactory(
        name="郑州市金水区城市管理局",
        jurisdiction=jinshui(),
        legal_status=Agency.LegalStatus.AUTHORISED,
        confirmed_by="郑州市金水区人民政府",
    )
    shandong = AgencyFactory(
        name="淄博市周村区综合行政执法局",
        jurisdiction=zhoucun(),
        confirmed_by="淄博市周村区人民政府",
    )
    unit = UnitFactory(agency=city, name="执法稽查科")
    officer = OfficerFactory(
        agency=city, unit=unit, name="王建国", post="科长", phone="13800138000"
    )
    valid = CertificateFactory(
        officer=officer,
        number="豫A10000001",
        category="市场监管",
        area="郑州市",
        issued_on=today - 365 * day,
        expires_on=today + 800 * day,
    )
    expired = CertificateFactory(
        officer=OfficerFactory(agency=city, name="李过期", post="科员"),
        number="豫A10000002",
        issued_on=today - 2000 * day,
        expires_on=today - 10 * day,
    )
    suspended = CertificateFactory(
        officer=OfficerFactory(agency=city, name="赵暂扣", post="科员"),
        number="豫A10000003",
        issued_on=today - 365 * day,
        expires_on=today + 365 * day,
        status=Certificate.Status.SUSPENDED,
        status_changed_on=today - 5 * day,
        status_reason="内部调查",
    )
    revoked = CertificateFactory(
        officer=OfficerFactory(agency=district, name="钱注销", post="科员"),
        number="豫A10000004",
        issued_on=today - 365 * day,
        expires_on=today + 365 * day,
        status=Certificate.Status.REVOKED,
        status_changed_on=today - 30 * day,
        status_reason="调离执法岗位",
    )
    left = CertificateFactory(
        officer=OfficerFactory(
            agency=district, name="孙离岗", post="科员", left_on=today - 3 * day
        ),
        number="豫A10000005",
        issued_on=today - 365 * day,
        expires_on=today + 365 * day,
    )
    CertificateFactory(
        officer=OfficerFactory(agency=shandong, name="周鲁东", post="队员"),
        number="鲁C20000001",
        area="周村区",
        issued_by="山东省人民政府",
        issued_on=today - 100 * day,
        expires_on=today + 1000 * day,
    )
    EntrustmentFactory(
        agency=city,
        entrusted_body="郑州市某街道综合执法队",
        starts_on=today - 100 * day,
        ends_on=today + 300 * day,
    )
    EntrustmentFactory(
        agency=city,
        entrusted_body="已到期的委托组织",
        starts_on=today - 900 * day,
        ends_on=today - 1 * day,
    )
    return Sample(
        today=today,
        city=city,
        district=district,
        shandong=shandong,
        valid=valid,
        expired=expired,
        suspended=suspended,
        revoked=revoked,
        left=left,
        officer=officer,
    )
