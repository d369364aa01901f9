import datetime

import pytest

from sanxiang.org import selectors, services
from sanxiang.org.models import Certificate
from tests.factories import CertificateFactory, OfficerFactory, Role, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_valid_within_term_and_not_outside():
    cert = CertificateFactory(issued_on=D(2024, 1, 1), expires_on=D(2026, 12, 31))
    assert cert.validity_on(D(2024, 1, 1)) == (True, "有效")
    assert cert.validity_on(D(2026, 12, 31)) == (True, "有效")
    ok, reason = cert.validity_on(D(2027, 1, 1))
    assert not ok and "已于2026年12月31日过期" in reason
    ok, reason = cert.validity_on(D(2023, 12, 31))
    assert not ok and "起生效" in reason


def test_suspension_and_revocation_take_effect_from_their_date():
    cert = CertificateFactory(issued_on=D(2024, 1, 1), expires_on=D(2029, 1, 1))
    head = UserFactory(agency=cert.officer.agency, roles=[Role.AGENCY_HEAD])
    services.change_certificate_status(
        actor=head,
        certificate=cert,
        status=Certificate.Status.SUSPENDED,
        on=D(2026, 3, 1),
        reason="涉嫌违规执法，暂扣调查",
    )
    cert.refresh_from_db()
    assert cert.is_valid_on(D(2026, 2, 28))
    ok, reason = cert.validity_on(D(2026, 3, 1))
    assert not ok and "暂扣" in reason
    # The set-based selector agrees with the per-object rule on both sides of the date.
    assert selectors.valid_certificates(D(2026, 2, 28)).filter(pk=cert.pk).exists()
    assert not selectors.valid_certificates(D(2026, 3, 1)).filter(pk=cert.pk).exists()

    services.change_certificate_status(
        actor=head,
        certificate=cert,
        status=Certificate.Status.REVOKED,
        on=D(2026, 4, 1),
        reason="调离执法岗位",
    )
    cert.refresh_from_db()
    assert "注销" in cert.validity_on(D(2026, 4, 2))[1]
    with pytest.raises(Exception, match="已注销/吊销"):
        services.change_certificate_status(
            actor=head,
            certificate=cert,
            status=Certificate.Status.ACTIVE,
            on=D(2026, 5, 1),
            reason="恢复",
        )


def test_holder_who_left_is_not_valid():
    officer = OfficerFactory()
    cert = CertificateFactory(officer=officer, issued_on=D(2024, 1, 1), expires_on=D(2029, 1, 1))
    head = UserFactory(agency=officer.agency, roles=[Role.AGENCY_HEAD])
    services.record_officer_departure(actor=head, officer=officer, on=D(2026, 6, 1), reason="退休")
    cert.refresh_from_db()
    assert cert.is_valid_on(D(2026, 5, 31))
    assert cert.validity_on(D(2026, 6, 1)) == (False, "持证人已离岗")
    assert not selectors.valid_certificates(D(2026, 6, 1)).filter(pk=cert.pk).exists()


def test_certificate_term_must_run_forwards():
    officer = OfficerFactory()
    head = UserFactory(agency=officer.agency, roles=[Role.AGENCY_HEAD])
    with pytest.raises(Exception) as exc:
        services.issue_certificate(
            actor=head,
            officer=officer,
            number="豫A99990000",
            category="市场监管",
            area="郑州市",
            issued_by="河南省人民政府",
            issued_on=D(2031, 1, 1),
            expires_on=D(2030, 1, 1),
        )
    assert "必须晚于发证日期" in str(exc.value)
    assert not Certificate.objects.filter(number="豫A99990000").exists()


def test_status_change_needs_a_reason():
    cert = CertificateFactory()
    head = UserFactory(agency=cert.officer.agency, roles=[Role.AGENCY_HEAD])
    with pytest.raises(Exception, match="须写明原因"):
        services.change_certificate_status(
            actor=head,
            certificate=cert,
            status=Certificate.Status.SUSPENDED,
            on=D(2026, 1, 5),
            reason="  ",
        )


def test_abolished_agency_ends_its_officers_certificates():
    cert = CertificateFactory(issued_on=D(2024, 1, 1), expires_on=D(2029, 1, 1))
    agency = cert.officer.agency
    agency.status, agency.abolished_on = "abolished", D(2026, 7, 1)
    agency.save()
    cert.refresh_from_db()
    assert cert.is_valid_on(D(2026, 6, 30))
    ok, reason = cert.validity_on(D(2026, 7, 1))
    assert not ok and "撤销" in reason
    assert not selectors.valid_certificates(D(2026, 7, 1)).filter(pk=cert.pk).exists()


def test_an_already_expired_certificate_is_refused():
    officer = OfficerFactory()
    head = UserFactory(agency=officer.agency, roles=[Role.AGENCY_HEAD])
    with pytest.raises(Exception) as exc:
        services.issue_certificate(
            actor=head,
            officer=officer,
            number="豫A99990001",
            category="市场监管",
            area="郑州市",
            issued_by="河南省人民政府",
            issued_on=D(2019, 1, 1),
            expires_on=D(2024, 1, 1),
        )
    assert "已过期" in str(exc.value)
    assert not Certificate.objects.filter(number="豫A99990001").exists()


def test_officer_role_needs_a_valid_certificate():
    from sanxiang.org.models import User

    officer = OfficerFactory()
    head = UserFactory(agency=officer.agency, roles=[Role.AGENCY_HEAD])
    CertificateFactory(officer=officer, issued_on=D(2018, 1, 1), expires_on=D(2023, 1, 1))
    with pytest.raises(Exception) as exc:
        services.create_account(
            actor=head,
            agency=officer.agency,
            username="zhangsan",
            password="Sx-test-pass-2026",
            full_name=officer.name,
            roles=[Role.OFFICER],
            officer=officer,
        )
    assert "没有今日有效的执法证" in str(exc.value) and "第十四条" in str(exc.value)
    assert not User.objects.filter(username="zhangsan").exists()  # nothing half-written
    CertificateFactory(officer=officer)
    user = services.create_account(
        actor=head,
        agency=officer.agency,
        username="zhangsan",
        password="Sx-test-pass-2026",
        full_name=officer.name,
        roles=[Role.OFFICER],
        officer=officer,
    )
    assert user.has_role(Role.OFFICER)
