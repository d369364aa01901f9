"""Rendering: embedded font, Chinese visible without system fonts, layout, determinism."""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import re
import subprocess
import sys

import pytest

from sanxiang.documents.layout import (
    Cell,
    Document,
    Heading,
    Paragraph,
    Row,
    SealBlock,
    Signature,
    SignatureBlock,
    Style,
    Table,
)
from sanxiang.documents.render import (
    MARGIN_LEFT,
    MARGIN_TOP,
    PAGE_WIDTH,
    Watermark,
    page_count,
    render_pdf,
    write_pdf,
)
from tests.documents.helpers import dark_pixels, grey_pixels, mm, squash

DAY = datetime.date(2026, 11, 24)
LONG = (
    "经查，当事人于2026年8月1日至2026年9月30日期间，在其经营场所销售标签不符合《食品安全国家标准"
    "预包装食品标签通则》（GB 7718-2011）规定的预包装食品共计1,280袋，货值金额人民币16,000.00元。"
)


def _body(text: str) -> str:
    """Extracted text without whitespace and page footers."""
    return re.sub(r"第\d+页共\d+页", "", squash(text))


def _page_total(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


def test_every_builder_renders(sample_docs, sample_pdfs):
    for name, pdf in sample_pdfs.items():
        assert pdf.startswith(b"%PDF-1."), name
        assert pdf.rstrip().endswith(b"%%EOF"), name
        assert _page_total(pdf) == page_count(sample_docs[name]), name


def test_font_is_embedded_and_subset(sample_pdfs, poppler):
    for name, pdf in sample_pdfs.items():
        assert b"/FontFile3" in pdf, name
        assert b"/Subtype /CIDFontType0C" in pdf, name
        assert b"/BaseFont /MPDFAA+NotoSerifCJKSC" in pdf, name
        rows = poppler.fonts(pdf).splitlines()[2:]
        assert rows, name
        for row in rows:  # name type encoding emb sub uni: every font embedded and subset
            cols = row.split()
            assert cols[-5:-2] == ["yes", "yes", "yes"], (name, row)
        assert len(pdf) < 250_000, name  # a subset, not the 12 MB face


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("case_opening_approval", ["立案审批表", "启动原因", "当事人基本情况", "掌握的事实情况",
                                   "行政执法人员", "行政执法机构", "行政执法机关", "负责人的意见",
                                   "签名：张建国", "2026年11月5日", "91410105MA9FXK2L3Q"]),
        ("inquiry_record", ["询问笔录", "（第一次）", "问：你是否申请回避？", "答：不申请。",
                            "41010020230015", "被询问人签名：王德明", "第1页共2页"]),
        ("penalty_decision", ["行政处罚决定书", "郑市监罚〔2026〕15号", "人民币伍万元整（¥50,000.00）",
                              "六十日内向郑州市人民政府申请行政复议", "六个月内依法向郑州市金水区人民法院",
                              "百分之三加处罚款", "（印章）", "2026年11月24日"]),
        ("service_receipt", ["送达回证", "■留置送达", "□直接送达", "□公告送达", "拒收事由",
                             "陈立", "2026年11月25日10时20分"]),
        ("legal_review_fail", ["法制审核意见书", "■不予通过", "不符合", "第二次送审",
                               "适用法律、法规、规章是否准确"]),
        ("legal_review_pass", ["■审核通过", "同意审核通过"]),
        ("generic_record", ["现场检查笔录", "检查情况", "被检查人签名：王德明"]),
    ],
)  # fmt: skip
def test_chinese_text_is_extractable_without_system_fonts(sample_pdfs, poppler, name, expected):
    text = squash(poppler.text(sample_pdfs[name]))
    for snippet in expected:
        assert squash(snippet) in text, (name, snippet)
    assert squash("郑州市市场监督管理局") in text


def test_chinese_is_visible_when_rasterised_without_system_fonts(sample_pdfs, poppler):
    dpi = 50
    for name, pdf in sample_pdfs.items():
        image = poppler.image(pdf, page=1, dpi=dpi)
        assert abs(image.width - mm(210, dpi)) <= 1 and abs(image.height - mm(297, dpi)) <= 1
        # title area: the agency name and title lines, centred under the top margin
        title = (mm(60, dpi), mm(MARGIN_TOP, dpi), mm(150, dpi), mm(MARGIN_TOP + 24, dpi))
        assert dark_pixels(image, title) > 150, name
        # the top margin and the side margins stay blank
        assert dark_pixels(image, (0, 0, image.width, mm(MARGIN_TOP - 4, dpi))) == 0, name
        assert dark_pixels(image, (0, 0, mm(MARGIN_LEFT - 2, dpi), image.height)) == 0, name


def test_output_is_deterministic(sample_docs, sample_pdfs):
    doc = sample_docs["penalty_decision"]
    assert render_pdf(doc) == sample_pdfs["penalty_decision"]
    # and in another interpreter with another hash seed
    code = (
        "import hashlib,sys\n"
        "from sanxiang.documents import samples\n"
        "from sanxiang.documents.render import render_pdf\n"
        "doc = samples.all_documents()['penalty_decision']\n"
        "sys.stdout.write(hashlib.sha256(render_pdf(doc)).hexdigest())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    digest = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, check=True, timeout=120
    ).stdout.decode()
    assert digest == hashlib.sha256(sample_pdfs["penalty_decision"]).hexdigest()


def test_creation_date_comes_from_the_document():
    doc = Document(title="通知书", date=DAY, blocks=[Paragraph(text="测试")])
    pdf = render_pdf(doc)
    assert b"/CreationDate (D:20261124000000+08'00')" in pdf
    other = render_pdf(Document(title="通知书", date=DAY.replace(day=25), blocks=doc.blocks))
    assert other != pdf


def test_write_pdf_streams_the_same_bytes():
    doc = Document(title="通知书", date=DAY, blocks=[Paragraph(text=LONG * 5)])
    buffer = io.BytesIO()
    written = write_pdf(doc, buffer, chunk_size=1000)
    assert buffer.getvalue() == render_pdf(doc)
    assert written == len(buffer.getvalue())


def test_long_text_wraps_across_pages_with_page_numbers(poppler):
    paragraphs = [Paragraph(text=f"第{i}段。{LONG * 3}") for i in range(1, 13)]
    doc = Document(title="调查终结报告", agency="郑州市市场监督管理局", date=DAY, blocks=paragraphs)
    pdf = render_pdf(doc)
    pages = page_count(doc)
    assert pages >= 3
    assert _page_total(pdf) == pages
    text = _body(poppler.text(pdf))
    for i in range(1, 13):
        assert squash(f"第{i}段。{LONG * 3}") in text
    for page in range(1, pages + 1):
        assert f"第{page}页共{pages}页" in squash(poppler.text(pdf, first=page, last=page))
    # nothing is drawn below the footer line or outside the text block on the sides
    image = poppler.image(pdf, page=2, dpi=50)
    assert dark_pixels(image, (mm(PAGE_WIDTH - 24, 50), 0, image.width, image.height)) == 0


def test_table_rows_continue_across_pages(poppler):
    rows = [Row(cells=[Cell(text="案由", label=True), Cell(text="销售不合格食品")])]
    rows.append(
        Row(
            cells=[
                Cell(text="掌握的事实情况", label=True),
                Cell(text=LONG * 14, trailer=["签名：张三"]),
            ]
        )
    )
    doc = Document(
        title="立案审批表", date=DAY, style=Style.FORM, blocks=[Table(columns=[1.6, 5], rows=rows)]
    )
    pdf = render_pdf(doc)
    assert page_count(doc) >= 2
    pages = page_count(doc)
    for page in range(1, pages + 1):  # the label is repeated on each continued part
        assert "掌握的事实情况" in squash(poppler.text(pdf, first=page, last=page))
    text = _body(poppler.text(pdf)).replace("掌握的事实情况", "")
    assert squash(LONG * 14) in text
    assert text.endswith("签名：张三")


def test_bold_title_falls_back_per_character_for_rare_characters(poppler):
    doc = Document(
        title="关于刘䶮、王堃的询问笔录", agency="某某县垚鑫市场监督管理所", date=DAY,
        blocks=[Paragraph(text="被询问人：刘䶮，吉𠮷。")],
    )  # fmt: skip
    pdf = render_pdf(doc)
    text = squash(poppler.text(pdf))
    assert "关于刘䶮、王堃的询问笔录" in text
    assert "某某县垚鑫市场监督管理所" in text
    assert "被询问人：刘䶮，吉𠮷。" in text


def test_signatures_refusals_and_seal(poppler):
    doc = Document(
        title="现场检查笔录",
        date=DAY,
        style=Style.FORM,
        blocks=[
            Heading(text="一、检查情况"),
            Paragraph(text=LONG),
            SignatureBlock(
                signatures=[
                    Signature(role="执法人员", name="张三", certificate_no="41010001", date=DAY),
                    Signature(
                        role="当事人",
                        refused=True,
                        refusal_note="当事人拒绝签名，见证人王五在场见证。",
                        date=DAY,
                    ),
                    Signature(role="见证人"),
                ]
            ),
            SealBlock(agency="郑州市市场监督管理局", date=DAY),
        ],
    )
    text = squash(poppler.text(render_pdf(doc)))
    for snippet in (
        "执法人员签名：张三（执法证号：41010001）",
        "当事人签名：拒绝签名",
        "当事人拒绝签名，见证人王五在场见证。",
        "见证人签名：",
        "年月日",
        "（印章）郑州市市场监督管理局2026年11月24日",
    ):
        assert squash(snippet) in text


def test_seal_never_stands_alone_on_a_page(poppler):
    # fill the page so that exactly the seal block would spill over
    for n in range(14, 24):
        blocks = [Paragraph(text=LONG) for _ in range(n)]
        doc = Document(
            title="决定书", date=DAY, blocks=[*blocks, SealBlock(agency="某局", date=DAY)]
        )
        pdf = render_pdf(doc)
        pages = page_count(doc)
        last = squash(poppler.text(pdf, first=pages, last=pages))
        assert "某局" in last
        assert len(last.replace(f"第{pages}页共{pages}页", "")) > len("（印章）某局2026年11月24日")


def test_missing_glyphs_do_not_break_rendering():
    pdf = render_pdf(Document(title="测试", date=DAY, blocks=[Paragraph(text="한국어 텍스트")]))
    assert pdf.startswith(b"%PDF")


def test_watermark_on_every_page(poppler):
    blocks = [Paragraph(text=LONG * 4) for _ in range(10)]
    doc = Document(title="行政处罚决定书", date=DAY, blocks=blocks)
    plain = render_pdf(doc)
    marked = render_pdf(doc, watermark=Watermark(text="仅供 张三 查阅 2026-11-24"))
    assert marked != plain
    pages = page_count(doc)
    assert pages >= 2
    dpi = 40
    for page in range(1, pages + 1):
        a = poppler.image(plain, page=page, dpi=dpi)
        b = poppler.image(marked, page=page, dpi=dpi)
        whole = (0, 0, a.width, a.height)
        assert grey_pixels(b, whole) > grey_pixels(a, whole) + 500, page
        # the margins are blank without the watermark and carry it with it
        margin = (0, 0, a.width, mm(MARGIN_TOP - 2, dpi))
        assert grey_pixels(a, margin) == 0


def test_string_watermark_and_multiple_documents():
    first = Document(title="甲", date=DAY, blocks=[Paragraph(text="一")])
    second = Document(title="乙", date=DAY, blocks=[Paragraph(text="二")])
    pdf = render_pdf([first, second], watermark="仅供查阅")
    assert _page_total(pdf) == 2
    with pytest.raises(ValueError):
        render_pdf([])
