"""岗位信息公示牌 (000 公示办法 第十五条): the sheet's text holds the duties, the materials, the
progress-query address, the phones and the officers' certificate numbers; each QR code
encodes the officer's certificate check page; the same sheet gives the same bytes."""

from __future__ import annotations

import datetime
import io

import pypdf

from sanxiang.documents import signage
from sanxiang.documents.signage import Signage, SignageMatter, SignageOfficer, build_signage_pdf
from tests.documents.helpers import squash

BASE = "https://gs.example.gov.cn"


def officer(n: int) -> SignageOfficer:
    number = f"豫A1000000{n}"
    return SignageOfficer(
        name=f"工作人员{n}",
        post="科员",
        certificate_number=number,
        category="市场监管",
        url=f"{BASE}/officers/{number}/",
    )


def sheet(**overrides) -> Signage:
    fields = dict(
        agency="郑州市市场监督管理局",
        unit="行政审批科",
        post="综合受理窗口",
        duties=["食品经营许可（行政许可）：受理、审查、决定、送达"],
        matters=[
            SignageMatter(
                name="食品经营许可",
                time_limit="10个工作日",
                materials=["食品经营许可申请书", "营业执照复印件"],
                guide_url=f"{BASE}/agencies/1/service-guides/2/",
            )
        ],
        progress_url=f"{BASE}/progress/",
        consultation_phone="0371-67180000",
        complaint_phone="0371-12315000",
        supervision=["市场监管投诉举报电话：0371-12315000"],
        officers=[officer(1), officer(2), officer(3)],
        basis="《郑州市行政执法公示办法》第十五条",
        date=datetime.date(2026, 12, 1),
    )
    return Signage(**(fields | overrides))


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return squash("".join(p.extract_text() for p in reader.pages).replace("\x00", ""))


def test_sheet_text_has_what_article_15_requires():
    text = text_of(build_signage_pdf(sheet()))
    for snippet in (
        "岗位信息公示牌",
        "综合受理窗口",
        "岗位职责",
        "食品经营许可（行政许可）：受理、审查、决定、送达",
        "申请材料示范文本",
        "食品经营许可申请书",
        "营业执照复印件",
        "办理进度查询",
        f"{BASE}/progress/",
        "咨询电话：0371-67180000",
        "投诉举报电话：0371-12315000",
        "豫A10000001",
        "豫A10000002",
        "豫A10000003",
        "依据《郑州市行政执法公示办法》第十五条",
    ):
        assert squash(snippet) in text, snippet


def test_each_qr_code_encodes_the_officers_certificate_page(monkeypatch):
    drawn: list[str] = []
    real = signage._qr

    def spy(pdf, url, x, y, size):
        drawn.append(url)
        real(pdf, url, x, y, size)

    monkeypatch.setattr(signage, "_qr", spy)
    s = sheet()
    build_signage_pdf(s)
    expected = [f"{BASE}/officers/豫A1000000{n}/" for n in (1, 2, 3)]
    assert drawn == expected
    assert signage.qr_payloads(s) == expected


def test_many_matters_continue_on_a_second_page_with_the_basis_on_each():
    matters = [
        SignageMatter(
            name=f"事项{n}",
            time_limit="5个工作日",
            materials=[f"材料{n}-{m}" for m in range(4)],
            guide_url=f"{BASE}/g/{n}/",
        )
        for n in range(12)
    ]
    pdf = build_signage_pdf(sheet(matters=matters, officers=[officer(n) for n in range(1, 9)]))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert "第十五条" in page.extract_text().replace("\x00", "")
    text = text_of(pdf)
    assert "材料11-3" in text and "豫A10000008" in text


def test_same_sheet_same_bytes():
    assert build_signage_pdf(sheet()) == build_signage_pdf(sheet())
