"""What the public asks through the portal: the applicant's progress query by number and code
(000 公示办法 第十五条) and correction requests with their written answer (002 第二十一条)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from sanxiang.cases import services as case_services
from sanxiang.catalog import services as catalog_services
from sanxiang.catalog.models import PowerCategory, PowerItem
from sanxiang.core import workdays
from sanxiang.disclosure import public_requests
from sanxiang.disclosure.models import CorrectionEvidence, CorrectionRequest, ProgressCode
from sanxiang.disclosure.public_requests import (
    CorrectionInput,
    answer_correction_request,
    issue_progress_code,
    reply_due,
    submit_correction_request,
)
from sanxiang.records.models import LedgerEntry
from tests.cases.factories import (
    POWER_FIELDS,
    World,
    days_ago,
    legal_person,
    open_penalty,
)
from tests.factories import Role, UserFactory, zhoucun

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def open_application(world: World):
    matter = catalog_services.create_power_item(
        actor=world.head,
        agency=world.agency,
        valid_from=datetime.date(2024, 1, 1),
        **{
            **POWER_FIELDS,
            "code": f"SJ-XK-{PowerItem.objects.count() + 1:04d}",
            "category": PowerCategory.LICENSING,
            "name": "食品经营许可",
            "basis": "《中华人民共和国食品安全法》第三十五条",
            "violation": "",
        },
    )
    return case_services.open_case(
        matter=matter,
        actor=world.user_a,
        agency=world.agency,
        unit=world.unit,
        action_type="licensing",
        title="某餐饮管理有限公司食品经营许可申请",
        source=case_services.SourceInput(
            kind="application", received_on=days_ago(2), summary="申请食品经营许可"
        ),
        parties=[legal_person()],
        officers=[world.officer_a, world.officer_b],
        opened_on=days_ago(2),
    )


def pdf_file(name: str = "证明.pdf", body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def correction_input(world: World, **overrides: str) -> CorrectionInput:
    fields = {
        "agency": world.agency,
        "information": "郑市监罚〔2026〕12号行政处罚决定信息",
        "inaccuracy": "当事人名称写错",
        "requested_correction": "更正为郑州某餐饮管理有限公司",
        "requester_kind": "legal_person",
        "requester_name": "郑州某餐饮管理有限公司",
        "contact_phone": "13800138000",
        **overrides,
    }
    return CorrectionInput(**fields)  # type: ignore[arg-type]


def publisher_of(world: World):
    return UserFactory(agency=world.agency, roles=[Role.PUBLISHER], full_name="公示审核员")


# ------------------------------------------------------------------ progress query


def test_applicant_follows_progress_by_number_and_code(world: World) -> None:
    case = open_application(world)
    code = issue_progress_code(actor=world.user_a, case=case)
    assert len(code) == 8 and ProgressCode.objects.get(case=case).code_digest != code

    response = Client().post("/progress/", {"number": case.number, "code": code.lower()})
    assert response.status_code == 200
    page = response.content.decode()
    assert case.number in page and world.agency.name in page
    assert 'data-testid="progress-stage"' in page
    # Nothing of the party leaks to the page.
    party = case.parties.get()
    assert party.uscc not in page and party.address not in page

    entry = LedgerEntry.objects.filter(action="disclosure.issue_progress_code").get()
    assert code not in entry.payload


def test_wrong_code_and_reissued_code_show_nothing(world: World) -> None:
    case = open_application(world)
    old = issue_progress_code(actor=world.user_a, case=case)
    new = issue_progress_code(actor=world.user_a, case=case)
    client = Client()
    for code in (old, "ABCDEFGH"):
        response = client.post("/progress/", {"number": case.number, "code": code})
        assert response.status_code == 404
        assert "编号或者查询码不正确" in response.content.decode()
        assert 'data-testid="progress"' not in response.content.decode()
    assert client.post("/progress/", {"number": case.number, "code": new}).status_code == 200
    assert ProgressCode.objects.filter(case=case, revoked_at__isnull=True).count() == 1


def test_guessing_is_throttled_per_address(world: World) -> None:
    case = open_application(world)
    code = issue_progress_code(actor=world.user_a, case=case)
    client = Client()
    for _ in range(20):
        assert (
            client.post("/progress/", {"number": case.number, "code": "WRONGCD2"}).status_code
            == 404
        )
    response = client.post("/progress/", {"number": case.number, "code": code})
    assert response.status_code == 429
    assert case.number not in response.content.decode().split("查询过于频繁")[0][-200:]


def test_malformed_code_is_refused_with_a_message(world: World) -> None:
    response = Client().post("/progress/", {"number": "X", "code": "1; DROP"})
    assert response.status_code == 400
    assert "查询码为8位字母和数字" in response.content.decode()


def test_progress_code_only_for_applications(world: World) -> None:
    case = open_penalty(world)
    with pytest.raises(ValidationError, match="000 公示办法 第十五条"):
        issue_progress_code(actor=world.user_a, case=case)
    outsider = UserFactory(roles=[Role.OFFICER])
    with pytest.raises(PermissionDenied):
        issue_progress_code(actor=outsider, case=open_application(world))
    assert not ProgressCode.objects.exists()


def test_progress_receipt_from_the_case_page(world: World) -> None:
    case = open_application(world)
    client = Client()
    client.force_login(world.user_a)
    assert 'data-testid="progress-card"' in client.get(f"/staff/cases/{case.pk}/").content.decode()
    response = client.post(f"/staff/cases/{case.pk}/progress-code/")
    assert response.status_code == 200
    page = response.content.decode()
    code = page.split('data-testid="receipt-code">')[1].split("<")[0]
    assert Client().post("/progress/", {"number": case.number, "code": code}).status_code == 200


# ------------------------------------------------------------------ correction requests


def test_correction_request_is_filed_with_evidence_and_answered(world: World) -> None:
    request, code = submit_correction_request(data=correction_input(world), files=[pdf_file()])
    assert request.status == CorrectionRequest.Status.RECEIVED
    assert request.code_digest != code and code not in request.number
    evidence = CorrectionEvidence.objects.get(request=request)
    assert evidence.stored_file.media_type == "application/pdf"
    entry = LedgerEntry.objects.get(action="disclosure.submit_correction_request")
    assert "13800138000" not in entry.payload and code not in entry.payload

    publisher = publisher_of(world)
    answered = answer_correction_request(
        actor=publisher,
        request=request,
        outcome=CorrectionRequest.Outcome.CORRECTED,
        reply_text="经核实，已将当事人名称更正。",
    )
    assert answered.status == CorrectionRequest.Status.ANSWERED
    assert LedgerEntry.objects.filter(action="disclosure.answer_correction_request").count() == 1
    with pytest.raises(ValidationError, match="不能重复答复"):
        answer_correction_request(
            actor=publisher, request=request, outcome="explained", reply_text="再答复"
        )


@pytest.mark.parametrize(
    ("overrides", "files", "message"),
    [
        ({"contact_phone": ""}, "pdf", "至少填写一种联系方式"),
        ({"inaccuracy": "  "}, "pdf", "不准确之处"),
        ({}, "exe", "不允许上传该类型的文件"),
        ({}, "text", "只能是 PDF、JPEG 或 PNG"),
        ({}, "big", "超过"),
        ({}, "empty", "空文件"),
        ({}, "none", "提供相关证明材料"),
    ],
)
def test_bad_correction_requests_are_refused_and_nothing_is_kept(
    world: World, settings, overrides: dict[str, str], files: str, message: str
) -> None:
    settings.SANXIANG_CORRECTION_EVIDENCE_MAX_BYTES = 1024
    upload = {
        "pdf": pdf_file(),
        "exe": SimpleUploadedFile("a.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf"),
        "text": SimpleUploadedFile("a.txt", "纯文本说明".encode(), "text/plain"),
        "big": pdf_file(body=PDF + b"0" * 2048),
        "empty": SimpleUploadedFile("a.pdf", b"", "application/pdf"),
        "none": None,
    }[files]
    with pytest.raises(ValidationError, match=message):
        submit_correction_request(
            data=correction_input(world, **overrides), files=[upload] if upload else []
        )
    assert not CorrectionRequest.objects.exists()
    assert not LedgerEntry.objects.filter(action="disclosure.submit_correction_request").exists()


def test_only_the_agencys_publisher_or_head_answers(world: World) -> None:
    request, _ = submit_correction_request(data=correction_input(world), files=[pdf_file()])
    for actor in (world.user_a, UserFactory(roles=[Role.PUBLISHER])):
        with pytest.raises(PermissionDenied):
            answer_correction_request(
                actor=actor, request=request, outcome="explained", reply_text="说明"
            )
    with pytest.raises(ValidationError, match="002 第二十一条"):
        answer_correction_request(
            actor=world.head, request=request, outcome="explained", reply_text=" "
        )


def test_reply_due_follows_the_profile_across_national_day(world: World) -> None:
    # Zhengzhou: 7 working days (000 公示办法 第二十一条); 2026-09-29 + 7 skips 国庆.
    due, note = reply_due(world.agency, datetime.date(2026, 9, 29))
    assert due == workdays.add_workdays(datetime.date(2026, 9, 29), 7)
    assert due is not None and due > datetime.date(2026, 10, 8)
    assert "000 公示办法 第二十一条" in note
    from tests.factories import AgencyFactory

    henan_county = AgencyFactory(jurisdiction=zhoucun())
    due_zc, note_zc = reply_due(henan_county, datetime.date(2026, 9, 29))
    assert note_zc and (due_zc is None or due_zc >= due)


def test_reply_due_is_not_guessed_past_the_calendar(world: World) -> None:
    due, note = reply_due(world.agency, datetime.date(2099, 6, 1))
    assert due is None and "日历未覆盖" in note


def test_public_form_track_and_reply_pdf(world: World) -> None:
    client = Client()
    form = client.get(f"/agencies/{world.agency.pk}/corrections/new/")
    assert form.status_code == 200
    response = client.post(
        f"/agencies/{world.agency.pk}/corrections/new/",
        {
            "information": "郑市监罚〔2026〕12号",
            "inaccuracy": "名称有误",
            "requested_correction": "更正名称",
            "requester_kind": "legal_person",
            "requester_name": "郑州某餐饮管理有限公司",
            "contact_email": "a@example.com",
            "evidence": [pdf_file()],
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    page = response.content.decode()
    number = page.split('data-testid="correction-number">')[1].split("<")[0]
    code = page.split('data-testid="correction-code">')[1].split("<")[0]

    tracked = client.post("/corrections/", {"number": number, "code": code})
    assert "已受理，待答复" in tracked.content.decode()
    assert client.get(f"/corrections/{number}/reply.pdf").status_code == 404

    request = CorrectionRequest.objects.get(number=number)
    staff = Client()
    staff.force_login(publisher_of(world))
    assert staff.get("/staff/corrections/").status_code == 200
    answered = staff.post(
        f"/staff/corrections/{request.pk}/",
        {"outcome": "corrected", "reply_text": "经核实，已更正当事人名称。"},
    )
    assert answered.status_code == 302
    download = staff.get(f"/staff/corrections/{request.pk}/evidence/{request.evidence.get().pk}/")
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert LedgerEntry.objects.filter(action="disclosure.download_correction_evidence").exists()

    client.post("/corrections/", {"number": number, "code": code})
    pdf = client.get(f"/corrections/{number}/reply.pdf")
    assert pdf.status_code == 200
    text = "".join(
        "".join(p.extract_text().replace("\x00", "").split())
        for p in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "行政执法信息更正申请答复书" in text and number in text
    assert "已更正当事人名称" in text
    # Another browser without the code cannot fetch the answer.
    assert Client().get(f"/corrections/{number}/reply.pdf").status_code == 404


def test_staff_pages_are_for_publishers_and_heads(world: World) -> None:
    client = Client()
    client.force_login(world.user_a)
    assert client.get("/staff/corrections/").status_code == 403


def test_code_digest_is_keyed() -> None:
    assert public_requests.code_digest("abcd 2345") == public_requests.code_digest("ABCD2345")
    assert len(public_requests.code_digest("ABCD2345")) == 64
