"""The access services: marks and lifts, requests, approval by the agency head only, refusal,
expiry, revocation — each step one ledger entry, refusals change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sanxiang.access import selectors as sel
from sanxiang.access import services
from sanxiang.access.models import AccessRequest, ConfidentialityMark, Level
from sanxiang.records.models import LedgerEntry

pytestmark = pytest.mark.django_db


def entries(action: str) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(action=action).order_by("seq"))


def request_view(s, actor=None, **kw):
    kwargs = dict(
        actor=actor or s.outsider,
        case=s.case,
        items=[("record", s.record.pk)],
        purpose="view",
        reason="办理关联案件需核对当事人信息",
        days=5,
    )
    kwargs.update(kw)
    return services.file_request(**kwargs)


def test_mark_then_lift_is_a_history_and_each_step_is_on_the_ledger(s):
    mark = services.set_mark(
        actor=s.w.user_a, item=s.record, level=Level.COMMERCIAL_SECRET, reason="含配方"
    )
    assert sel.current_mark("record", s.record.pk) == mark
    assert entries("access.mark")[0].object_id == str(mark.pk)
    # officers of the agency not on the case may not mark; the head may not be bypassed to lift
    with pytest.raises(PermissionDenied, match=r"第二十九条|第二十五条"):
        services.set_mark(actor=s.outsider, item=s.evidence, level=Level.PRIVACY, reason="x")
    with pytest.raises(PermissionDenied, match="机关负责人"):
        services.lift_mark(actor=s.w.user_a, item=s.record, reason="已公开")
    with pytest.raises(ValidationError, match="标注理由"):
        services.set_mark(actor=s.w.user_a, item=s.evidence, level=Level.PRIVACY, reason=" ")
    lift = services.lift_mark(actor=s.w.head, item=s.record, reason="信息已依法公开")
    assert sel.current_mark("record", s.record.pk) is None
    assert list(ConfidentialityMark.objects.values_list("level", flat=True)) == [
        Level.COMMERCIAL_SECRET,
        Level.LIFTED,
    ]
    assert entries("access.lift_mark")[0].object_id == str(lift.pk)
    assert ConfidentialityMark.objects.count() == 2  # refusals wrote nothing


def test_who_reads_a_marked_item_without_a_grant(s):
    services.set_mark(actor=s.w.user_a, item=s.record, level=Level.PRIVACY, reason="身份证号")
    assert sel.can_read(s.w.user_b, s.record).basis == sel.ENTITLED_OFFICER
    assert sel.can_read(s.w.head, s.record).basis == sel.ENTITLED_AGENCY_HEAD
    refused = sel.can_read(s.outsider, s.record)
    assert not refused.allowed
    assert "001 河南全过程记录办法 第二十四条" in refused.message
    assert not sel.can_read(s.custodian, s.record).allowed
    # an unmarked item: everyone in the agency
    assert sel.can_read(s.outsider, s.evidence).allowed


def test_request_needs_a_reason_and_items_of_the_case(s):
    with pytest.raises(ValidationError) as exc:
        request_view(s, reason="  ")
    assert "请填写申请理由" in str(exc.value)
    with pytest.raises(ValidationError, match="本案没有"):
        request_view(s, items=[("record", 999999)])
    with pytest.raises(ValidationError, match="申请期限"):
        request_view(s, days=sel.max_days() + 1)
    # only a custodian registers for an outside requester
    with pytest.raises(PermissionDenied, match="档案管理员"):
        request_view(s, requester_name="郑州市中级人民法院")
    assert AccessRequest.objects.count() == 0
    assert not entries("access.request")
    req = request_view(s, actor=s.custodian, requester_name="郑州市中级人民法院", purpose="copy")
    assert req.on_behalf and req.requester_name == "郑州市中级人民法院"
    assert entries("access.request")[0].object_id == str(req.pk)


def test_only_an_agency_head_other_than_the_requester_decides(s):
    services.set_mark(actor=s.w.user_a, item=s.record, level=Level.PRIVACY, reason="身份证号")
    req = request_view(s)
    with pytest.raises(PermissionDenied, match="第二十四条"):
        services.approve_request(actor=s.w.user_b, request=req, days=3)
    with pytest.raises(PermissionDenied, match="第二十四条"):
        services.approve_request(actor=s.custodian, request=req, days=3)
    own = request_view(s, actor=s.w.head)
    with pytest.raises(PermissionDenied, match="本人"):
        services.approve_request(actor=s.w.head, request=own, days=3)
    req.refresh_from_db()
    assert req.status == AccessRequest.Status.PENDING and not entries("access.approve")
    approved = services.approve_request(actor=s.w.head, request=req, days=3, note="同意")
    assert approved.valid_until - approved.valid_from == datetime.timedelta(days=3)
    assert sel.can_read(s.outsider, s.record).basis.startswith("调阅许可 DY")
    with pytest.raises(ValidationError, match="已批准”，不能再审批"):
        services.refuse_request(actor=s.w.head, request=req, note="迟到的意见")
    assert len(entries("access.approve")) == 1


def test_refusal_needs_a_note_and_gives_no_access(s):
    services.set_mark(actor=s.w.user_a, item=s.record, level=Level.PRIVACY, reason="身份证号")
    req = request_view(s)
    with pytest.raises(ValidationError, match="理由"):
        services.refuse_request(actor=s.w.head, request=req, note="")
    services.refuse_request(actor=s.w.head, request=req, note="与所办案件无关")
    assert not sel.can_read(s.outsider, s.record).allowed
    assert len(entries("access.refuse")) == 1


def test_grant_expires_by_time_and_can_be_revoked(s):
    services.set_mark(actor=s.w.user_a, item=s.record, level=Level.PRIVACY, reason="身份证号")
    past = timezone.now() - datetime.timedelta(days=3)
    services.approve_request(actor=s.w.head, request=request_view(s), days=2, now=past)
    assert not sel.can_read(s.outsider, s.record).allowed  # ended yesterday
    req = request_view(s)
    services.approve_request(actor=s.w.head, request=req, days=2)
    assert sel.can_read(s.outsider, s.record).allowed
    with pytest.raises(PermissionDenied):
        services.revoke_grant(actor=s.w.user_b, request=req, reason="x")
    services.revoke_grant(actor=s.w.head, request=req, reason="用途已完成")
    assert not sel.can_read(s.outsider, s.record).allowed
    assert len(entries("access.revoke")) == 1
    with pytest.raises(ValidationError, match="无需撤销"):
        services.revoke_grant(actor=s.w.head, request=req, reason="再次")


def test_a_view_grant_does_not_allow_a_file_copy(s):
    services.set_mark(
        actor=s.w.user_a, item=s.evidence, level=Level.COMMERCIAL_SECRET, reason="配方"
    )
    req = request_view(s, items=[("evidence", s.evidence.pk)])
    services.approve_request(actor=s.w.head, request=req, days=2)
    assert sel.can_read(s.outsider, s.evidence).allowed
    refused = sel.can_read(s.outsider, s.evidence, copy=True)
    assert not refused.allowed and "复制许可" in refused.message


def test_open_item_logs_reads_and_refusals(s):
    services.set_mark(actor=s.w.user_a, item=s.record, level=Level.PRIVACY, reason="身份证号")
    denied = services.open_item(actor=s.outsider, item=s.record, how="view")
    assert not denied.allowed
    entry = entries("access.denied")[0]
    assert entry.actor_id == s.outsider.pk and "第二十四条" in entry.payload
    seen = services.open_item(actor=s.w.user_b, item=s.record, how="pdf")
    assert seen.allowed
    download = entries("access.download")[0]
    assert sel.ENTITLED_OFFICER in download.payload and download.actor_id == s.w.user_b.pk
    # unmarked: nothing written here
    before = LedgerEntry.objects.count()
    services.open_item(actor=s.outsider, item=s.evidence, how="view")
    assert LedgerEntry.objects.count() == before
