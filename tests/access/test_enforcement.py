"""Enforcement in the workbench and the API: without entitlement or grant a marked item is
refused (403, with the article) and the refusal is on the ledger; with a grant it opens and
the read is logged with the grant number; an expired grant is refused again; copies carry
the requester's name as a watermark (PDF text, image pixels)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanxiang.access import services
from sanxiang.access.models import Level
from sanxiang.records.models import LedgerEntry

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def actions() -> list[str]:
    return list(
        LedgerEntry.objects.filter(action__startswith="access.")
        .order_by("seq")
        .values_list("action", flat=True)
    )


def pdf_text(data: bytes) -> str:
    import pypdf

    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return "".join(page.extract_text() or "" for page in pages).replace("\x00", "")


def grant(s, items, purpose="view", days=3, now=None):
    req = services.file_request(
        actor=s.outsider,
        case=s.case,
        items=items,
        purpose=purpose,
        reason="核对关联案件当事人信息",
        days=days,
    )
    return services.approve_request(actor=s.w.head, request=req, days=days, now=now)


def test_case_page_hides_a_marked_record_from_others_and_logs_who_reads_it(s):
    services.set_mark(actor=s.w.user_a, item=s.record, level=Level.COMMERCIAL_SECRET, reason="配方")
    secret = "无证经营"  # in the record's summary field
    case_url = reverse("workbench:case", args=[s.case.pk])
    outsider_page = as_user(s.outsider).get(case_url).content.decode()
    assert f'data-testid="locked-record-{s.record.pk}"' in outsider_page
    assert "申请调阅/复制" in outsider_page and "🔒 商业秘密" in outsider_page
    assert secret not in outsider_page.split('id="R')[1].split("</article>")[0]
    assert "access.view" not in actions()  # the outsider read nothing
    officer_page = as_user(s.w.user_b).get(case_url).content.decode()
    assert secret in officer_page
    view = LedgerEntry.objects.get(action="access.view")
    assert view.actor_id == s.w.user_b.pk and "本案承办人员" in view.payload


def test_item_page_pdf_and_file_refused_without_grant_and_logged(s):
    services.set_mark(actor=s.w.user_a, item=s.record, level=Level.PRIVACY, reason="身份证号")
    services.set_mark(
        actor=s.w.user_a, item=s.evidence, level=Level.COMMERCIAL_SECRET, reason="配方"
    )
    client = as_user(s.outsider)
    page = client.get(reverse("workbench:access_item", args=["record", s.record.pk]))
    assert page.status_code == 403
    assert "001 河南全过程记录办法 第二十四条" in page.content.decode()
    assert client.get(reverse("workbench:record_pdf", args=[s.record.pk])).status_code == 403
    file_url = reverse("workbench:stored_file", args=["evidence", s.evidence.pk])
    assert client.get(file_url).status_code == 403
    assert actions()[-3:] == ["access.denied"] * 3
    assert not LedgerEntry.objects.filter(action="cases.download_file").exists()


def test_view_grant_opens_the_record_and_watermarks_its_pdf_until_it_expires(s):
    services.set_mark(actor=s.w.user_a, item=s.record, level=Level.PRIVACY, reason="身份证号")
    req = grant(s, [("record", s.record.pk)])
    client = as_user(s.outsider)
    page = client.get(reverse("workbench:access_item", args=["record", s.record.pk]))
    assert page.status_code == 200 and req.number in page.content.decode()
    pdf = client.get(reverse("workbench:record_pdf", args=[s.record.pk]))
    assert pdf.status_code == 200
    text = pdf_text(pdf.content)
    assert "仅供调阅" in text and s.outsider.full_name in text and req.number in text
    download = LedgerEntry.objects.filter(action="access.download").get()
    assert req.number in download.payload and "仅供调阅" in download.payload
    # the request page shows the steps
    steps = client.get(reverse("workbench:access_request", args=[req.pk])).content.decode()
    for label in ("提交申请", "批准", "查阅", "下载"):
        assert label in steps
    # an expired grant: refused again
    old = grant(s, [("record", s.record.pk)], now=timezone.now() - datetime.timedelta(days=10))
    services.revoke_grant(actor=s.w.head, request=req, reason="用途已完成")
    assert old.valid_until < timezone.now()
    assert client.get(reverse("workbench:record_pdf", args=[s.record.pk])).status_code == 403


def test_copy_grant_watermarks_an_image_with_the_requesters_name(s):
    from PIL import Image, ImageChops

    services.set_mark(
        actor=s.w.user_a, item=s.evidence, level=Level.COMMERCIAL_SECRET, reason="配方"
    )
    client = as_user(s.outsider)
    file_url = reverse("workbench:stored_file", args=["evidence", s.evidence.pk])
    grant(s, [("evidence", s.evidence.pk)], purpose="view")
    assert client.get(file_url).status_code == 403  # a view grant is no copy
    grant(s, [("evidence", s.evidence.pk)], purpose="copy")
    response = client.get(file_url)
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    copy = Image.open(io.BytesIO(data)).convert("RGB")
    original = Image.open(io.BytesIO(s.png)).convert("RGB")
    assert copy.size == original.size
    assert ImageChops.difference(copy, original).getbbox() is not None  # pixels changed
    entry = LedgerEntry.objects.filter(action="access.download").get()
    assert "复制件 赵执法" in entry.payload
    # the officers on the case get the original, logged as theirs
    own = as_user(s.w.user_a).get(file_url)
    assert b"".join(own.streaming_content) == s.png
    assert LedgerEntry.objects.filter(action="access.download").count() == 2


def test_oversized_image_copy_is_refused(s, settings):
    settings.SANXIANG_WATERMARK_MAX_BYTES = 10
    services.set_mark(actor=s.w.user_a, item=s.evidence, level=Level.PRIVACY, reason="照片")
    grant(s, [("evidence", s.evidence.pk)], purpose="copy")
    response = as_user(s.outsider).get(
        reverse("workbench:stored_file", args=["evidence", s.evidence.pk])
    )
    assert response.status_code == 403
    assert "无法加注申请人水印" in response.content.decode()


def test_api_trail_and_pdf(s):
    services.set_mark(actor=s.w.user_a, item=s.record, level=Level.PRIVACY, reason="身份证号")
    client = as_user(s.outsider)
    trail = client.get(f"/api/cases/{s.case.pk}/trail").json()
    records = [i for i in trail["items"] if i["type"] == "record"]
    assert records and records[0]["record"] is None
    pdf = client.get(f"/api/records/{s.record.pk}/document.pdf")
    assert pdf.status_code == 403
    assert "第二十四条" in pdf.json()["error"]["message"]
    assert actions()[-1] == "access.denied"
    req = grant(s, [("record", s.record.pk)], purpose="copy")
    pdf = client.get(f"/api/records/{s.record.pk}/document.pdf")
    assert pdf.status_code == 200 and "复制件" in pdf_text(pdf.content)
    trail = client.get(f"/api/cases/{s.case.pk}/trail").json()
    shown = next(i for i in trail["items"] if i["type"] == "record")
    assert shown["record"]["id"] == s.record.pk
    view = LedgerEntry.objects.filter(action="access.view").order_by("-seq").first()
    assert view is not None and req.number in view.payload and '"where":"api"' in view.payload


def test_workbench_forms(s):
    head = as_user(s.w.head)
    officer = as_user(s.w.user_a)
    mark_url = reverse("workbench:access_mark", args=["record", s.record.pk])
    officer.post(mark_url, {"level": "commercial_secret", "reason": "含配方"})
    assert actions() == ["access.mark"]
    outsider = as_user(s.outsider)
    new_url = reverse("workbench:access_request_new", args=[s.case.pk])
    refused = outsider.post(
        new_url, {"items": [f"record:{s.record.pk}"], "purpose": "view", "reason": "", "days": 3}
    )
    assert refused.status_code == 422 and "请填写申请理由" in refused.content.decode()
    done = outsider.post(
        new_url,
        {"items": [f"record:{s.record.pk}"], "purpose": "view", "reason": "核对", "days": 3},
    )
    assert done.status_code == 302
    from sanxiang.access.models import AccessRequest

    req = AccessRequest.objects.get()
    listing = head.get(reverse("workbench:access") + "?tab=pending").content.decode()
    assert req.number in listing
    # the requester cannot decide their own (not offered, and refused if posted)
    own = outsider.post(reverse("workbench:access_approve", args=[req.pk]), {"days": 2})
    assert own.status_code == 403
    head.post(reverse("workbench:access_approve", args=[req.pk]), {"days": 2, "note": "同意"})
    req.refresh_from_db()
    assert req.status == "approved"
    assert actions() == ["access.mark", "access.request", "access.approve"]


def test_correction_form_of_a_marked_record_is_refused_to_an_officer_not_on_the_case(s):
    services.set_mark(actor=s.w.user_a, item=s.record, level=Level.PRIVACY, reason="身份证号")
    url = reverse("workbench:record_correct", args=[s.record.pk])
    assert as_user(s.outsider).get(url).status_code == 403
    assert as_user(s.w.user_b).get(url).status_code == 200
    assert actions()[-2:] == ["access.denied", "access.view"]


def test_custodian_registers_for_a_court_and_the_head_sees_it_on_the_home_page(s):
    from sanxiang.access.models import AccessRequest

    custodian = as_user(s.custodian)
    form = custodian.get(reverse("workbench:access_request_new", args=[s.case.pk]))
    assert "代为登记" in form.content.decode()
    done = custodian.post(
        reverse("workbench:access_request_new", args=[s.case.pk]),
        {
            "items": [f"evidence:{s.evidence.pk}"],
            "purpose": "copy",
            "reason": "人民法院审理行政诉讼案件调取证据",
            "days": 5,
            "requester_name": "郑州市中级人民法院",
        },
    )
    assert done.status_code == 302
    req = AccessRequest.objects.get()
    assert req.on_behalf and req.requester_id == s.custodian.pk
    queue = custodian.get(reverse("workbench:access") + "?tab=queue").content.decode()
    assert req.number in queue and "郑州市中级人民法院" in queue
    home = as_user(s.w.head).get(reverse("workbench:home"))
    assert [p.role for p in home.context["panels"]][-1] == "access"
    assert 'data-testid="access-pending">1<' in home.content.decode()
    # an officer's own list does not show other people's requests
    assert req.number not in as_user(s.outsider).get(reverse("workbench:access")).content.decode()
