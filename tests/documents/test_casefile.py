"""Case file: cover, contents, assembly with page numbers; post-hoc watermark (pypdf)."""

from __future__ import annotations

import dataclasses
import datetime

import pypdf
import pytest

from sanxiang.documents import (
    pdftools,
    samples,
)
from sanxiang.documents.builders import DocumentInputError
from sanxiang.documents.casefile import (
    CaseFilePart,
    assemble_case_file,
    build_case_file_cover,
    build_case_file_toc,
    render_case_file_front,
    toc_entries,
)
from sanxiang.documents.render import page_count, render_pdf
from tests.documents.helpers import dark_pixels, grey_pixels, mm, squash


@pytest.fixture(scope="module")
def parts(sample_docs, sample_pdfs) -> list[CaseFilePart]:
    order = [
        "case_opening_approval",
        "inquiry_record",
        "legal_review_pass",
        "penalty_decision",
        "service_receipt",
    ]
    return [
        CaseFilePart(
            title=sample_docs[n].title,
            pdf=sample_pdfs[n],
            number=sample_docs[n].number,
            date=sample_docs[n].date,
        )
        for n in order
    ]


def test_cover_and_contents(poppler):
    cover = samples.case_file_cover()
    entries = toc_entries(
        [
            CaseFilePart(title="立案审批表", pdf=b""),
            CaseFilePart(title="行政处罚决定书", pdf=b"", number="郑市监罚〔2026〕15号"),
        ],
        [2, 3],
    )
    assert [(e.first_page, e.last_page, e.pages()) for e in entries] == [
        (1, 2, "1-2"),
        (3, 5, "3-5"),
    ]
    pdf = render_case_file_front(cover, entries)
    assert page_count([build_case_file_cover(cover), build_case_file_toc(cover, entries)]) == 2
    cover_text = squash(poppler.text(pdf, first=1, last=1))
    for snippet in ("行政处罚案卷", "案由", "销售标签不符合食品安全标准的预包装食品", "当事人", "立案日期2026年11月5日",
                    "结案日期2026年12月10日", "保管期限定期30年", "归档号Z012-2026-XZCF-0015"):  # fmt: skip
        assert squash(snippet) in cover_text
    toc_text = squash(poppler.text(pdf, first=2, last=2))
    for snippet in (
        "卷内目录",
        "序号",
        "文书名称",
        "页号",
        "立案审批表",
        "1-2",
        "行政处罚决定书",
        "3-5",
    ):
        assert snippet in toc_text


def test_cover_validation():
    cover = samples.case_file_cover()
    with pytest.raises(DocumentInputError, match="保管期限"):
        build_case_file_cover(dataclasses.replace(cover, retention="三年"))
    with pytest.raises(DocumentInputError, match="结案日期"):
        build_case_file_cover(dataclasses.replace(cover, closed_on=datetime.date(2026, 1, 1)))


def test_assembled_case_file(parts, poppler):
    pdf = assemble_case_file(samples.case_file_cover(), parts)
    counts = [pdftools.page_count(p.pdf) for p in parts]
    reader = pypdf.PdfReader(__import__("io").BytesIO(pdf))
    assert len(reader.pages) == 2 + sum(counts)
    assert [o.title for o in reader.outline][:3] == ["卷宗封面", "卷内目录", "1. 立案审批表"]
    # deterministic
    assert assemble_case_file(samples.case_file_cover(), parts) == pdf
    # cover counts, contents ranges
    cover = squash(poppler.text(pdf, first=1, last=1))
    assert f"卷内件数{len(parts)}件" in cover and f"卷内页数{sum(counts)}页" in cover
    toc = squash(poppler.text(pdf, first=2, last=2))
    assert f"1-{counts[0]}" in toc
    # 卷内页号: numbered from the first record page, top right; cover and contents unnumbered
    dpi = 50
    corner = lambda img: (img.width - mm(40, dpi), 0, img.width, mm(20, dpi))  # noqa: E731
    assert dark_pixels(poppler.image(pdf, 1, dpi), corner(poppler.image(pdf, 1, dpi))) == 0
    third = poppler.image(pdf, 3, dpi)
    assert dark_pixels(third, corner(third)) > 0
    last = len(reader.pages)
    assert str(sum(counts)) in squash(poppler.text(pdf, first=last, last=last))
    # the records are still readable Chinese
    assert "立案审批表" in squash(poppler.text(pdf, first=3, last=3))


def test_assemble_needs_parts():
    with pytest.raises(DocumentInputError):
        assemble_case_file(samples.case_file_cover(), [])


def test_stamp_watermark_on_a_finished_pdf(sample_pdfs, poppler):
    original = sample_pdfs["penalty_decision"]
    stamped = pdftools.stamp_watermark(original, "仅供 张三 查阅 2026-11-24")
    assert stamped == pdftools.stamp_watermark(original, "仅供 张三 查阅 2026-11-24")
    assert pdftools.page_count(stamped) == pdftools.page_count(original)
    for page in range(1, pdftools.page_count(original) + 1):
        before = poppler.image(original, page, 40)
        after = poppler.image(stamped, page, 40)
        whole = (0, 0, before.width, before.height)
        assert grey_pixels(after, whole) > grey_pixels(before, whole) + 500
    assert "行政处罚决定书" in squash(poppler.text(stamped))


def test_stamp_handles_rotated_and_odd_sized_pages(poppler):
    doc = render_pdf(samples.all_documents()["service_receipt"])
    reader = pypdf.PdfReader(__import__("io").BytesIO(doc))
    writer = pypdf.PdfWriter()
    writer.append(reader)
    writer.pages[0].rotate(90)
    writer.add_blank_page(width=300, height=400)
    out = __import__("io").BytesIO()
    writer.write(out)
    stamped = pdftools.stamp_watermark(out.getvalue(), "仅供查阅")
    assert pdftools.page_count(stamped) == 2
    small = poppler.image(stamped, 2, 72)
    assert grey_pixels(small, (0, 0, small.width, small.height)) > 50
