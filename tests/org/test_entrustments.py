import datetime

import pytest
from django.core.exceptions import ValidationError

from sanxiang.org import services
from sanxiang.org.models import Entrustment
from tests.factories import AgencyFactory, EntrustmentFactory, Role, UserFactory, make_uscc

pytestmark = pytest.mark.django_db
D = datetime.date


def _entrust(head, agency, body_uscc, start, end):
    return services.create_entrustment(
        actor=head,
        agency=agency,
        entrusted_body="某街道综合行政执法队",
        entrusted_body_uscc=body_uscc,
        basis="《中华人民共和国行政处罚法》第二十条",
        matters="占道经营处罚",
        powers="警告、罚款",
        starts_on=start,
        ends_on=end,
        liability="委托机关承担法律责任",
    )


def test_overlapping_terms_for_the_same_body_are_refused():
    agency = AgencyFactory()
    head = UserFactory(agency=agency, roles=[Role.AGENCY_HEAD])
    body = make_uscc(region="410105")
    _entrust(head, agency, body, D(2025, 1, 1), D(2025, 12, 31))
    with pytest.raises(ValidationError) as exc:
        _entrust(head, agency, body, D(2025, 12, 31), D(2026, 12, 31))
    assert "重叠" in exc.value.messages[0] and "002 第十条" in exc.value.messages[0]
    assert Entrustment.objects.count() == 1
    # Adjacent terms are fine; so is the same term for another body.
    _entrust(head, agency, body, D(2026, 1, 1), D(2026, 12, 31))
    _entrust(head, agency, make_uscc(region="410105"), D(2025, 6, 1), D(2026, 6, 1))
    assert Entrustment.objects.count() == 3


def test_terminated_entrustment_no_longer_blocks_a_new_one():
    existing = EntrustmentFactory(starts_on=D(2025, 1, 1), ends_on=D(2027, 12, 31))
    head = UserFactory(agency=existing.agency, roles=[Role.AGENCY_HEAD])
    services.terminate_entrustment(
        actor=head, entrustment=existing, on=D(2025, 6, 30), reason="机构改革"
    )
    _entrust(head, existing.agency, existing.entrusted_body_uscc, D(2025, 7, 1), D(2027, 6, 30))
    existing.refresh_from_db()
    assert existing.status == Entrustment.Status.TERMINATED
    assert not existing.is_in_force(D(2025, 8, 1))


def test_end_before_start_and_bad_uscc_are_refused():
    agency = AgencyFactory()
    head = UserFactory(agency=agency, roles=[Role.AGENCY_HEAD])
    with pytest.raises(ValidationError) as exc:
        _entrust(head, agency, make_uscc(), D(2026, 1, 1), D(2025, 1, 1))
    assert "不能早于起始日期" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        _entrust(head, agency, "91350100M000100Y44", D(2026, 1, 1), D(2027, 1, 1))
    assert "校验码错误" in str(exc.value)


def test_identifiers_are_stored_in_canonical_form():
    agency = AgencyFactory(uscc="91350100M000100Y43")
    head = UserFactory(agency=agency, roles=[Role.AGENCY_HEAD])
    officer = services.register_officer(
        actor=head,
        agency=agency,
        name="王五",
        gender="F",
        id_number="11010519491231002x",
        post="科员",
        phone="139 0371 1234",
    )
    assert (officer.id_number, officer.phone) == ("11010519491231002X", "13903711234")
    entrustment = _entrust(head, agency, "91350100m000100y43", D(2026, 1, 1), D(2026, 12, 31))
    assert entrustment.entrusted_body_uscc == "91350100M000100Y43"
