"""Case files (案卷): cover (卷宗封面), table of contents (卷内目录), assembly.

``build_case_file_cover`` and ``build_case_file_toc`` are pure builders like the others.
``assemble_case_file`` puts a cover and contents in front of the case's PDFs (records,
legal-review opinion, AV list …), numbers the record pages in the top right corner (卷内页号,
starting at 1 after the cover and contents) and adds a bookmark per item; it needs pypdf.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from sanxiang.documents import pdftools
from sanxiang.documents.builders import DocumentInputError
from sanxiang.documents.layout import (
    Align,
    Cell,
    Document,
    FieldLines,
    Row,
    Spacer,
    Style,
    Table,
)
from sanxiang.documents.render import render_pdf
from sanxiang.documents.text import cn_date

#: 保管期限 of enforcement case files (DA/T 22 and agencies' 文书档案 rules)
RETENTION_PERIODS = ("永久", "定期30年", "定期10年")


@dataclass(frozen=True, kw_only=True)
class CaseFileCover:
    agency: str
    case_cause: str  # 案由
    parties: str  # 当事人
    opened_on: datetime.date  # 立案日期
    closed_on: datetime.date | None  # 结案日期
    retention: str  # 保管期限
    archive_number: str  # 归档号 (全宗号—目录号—案卷号)
    title: str = "行政执法案卷"  # e.g. 行政处罚案卷
    case_number: str = ""  # 案件编号 / 决定书文号
    result: str = ""  # 处理结果
    officers: str = ""  # 承办人
    filed_by: str = ""  # 立卷人
    checked_by: str = ""  # 审核人
    archived_on: datetime.date | None = None  # 归档日期
    volume: str = ""  # e.g. 第1卷 共1卷
    total_items: int | None = None
    total_pages: int | None = None


@dataclass(frozen=True, kw_only=True)
class TocEntry:
    title: str
    first_page: int
    last_page: int | None = None
    number: str = ""  # 文号
    date: datetime.date | None = None
    remark: str = ""

    def pages(self) -> str:
        if self.last_page is None or self.last_page == self.first_page:
            return str(self.first_page)
        return f"{self.first_page}-{self.last_page}"


@dataclass(frozen=True, kw_only=True)
class CaseFilePart:
    """One item of the case file: its title for the contents and its PDF."""

    title: str
    pdf: bytes
    number: str = ""
    date: datetime.date | None = None
    remark: str = ""


def _cover_date(cover: CaseFileCover) -> datetime.date:
    return cover.archived_on or cover.closed_on or cover.opened_on


def build_case_file_cover(cover: CaseFileCover) -> Document:
    if cover.retention not in RETENTION_PERIODS:
        raise DocumentInputError(
            f"保管期限应为{'、'.join(RETENTION_PERIODS)}之一，而不是“{cover.retention}”。"
        )
    if cover.closed_on and cover.closed_on < cover.opened_on:
        raise DocumentInputError("结案日期早于立案日期。")
    fields: list[tuple[str, str]] = [
        ("案由", cover.case_cause),
        ("当事人", cover.parties),
    ]
    if cover.case_number:
        fields.append(("案件编号", cover.case_number))
    if cover.result:
        fields.append(("处理结果", cover.result))
    if cover.officers:
        fields.append(("承办人", cover.officers))
    fields += [
        ("立案日期", cn_date(cover.opened_on)),
        ("结案日期", cn_date(cover.closed_on) if cover.closed_on else ""),
    ]
    if cover.total_items is not None:
        fields.append(("卷内件数", f"{cover.total_items}件"))
    if cover.total_pages is not None:
        fields.append(("卷内页数", f"{cover.total_pages}页"))
    fields += [
        ("保管期限", cover.retention),
        ("归档号", cover.archive_number),
    ]
    if cover.volume:
        fields.append(("卷次", cover.volume))
    if cover.filed_by:
        fields.append(("立卷人", cover.filed_by))
    if cover.checked_by:
        fields.append(("审核人", cover.checked_by))
    if cover.archived_on:
        fields.append(("归档日期", cn_date(cover.archived_on)))
    return Document(
        title=cover.title,
        agency=cover.agency,
        title_size=30.0,
        date=_cover_date(cover),
        style=Style.LETTER,
        page_numbers=False,
        blocks=[Spacer(lines=2.5), FieldLines(fields=fields, size=16, label_width=4)],
        keywords=("案卷封面",),
    )


def build_case_file_toc(cover: CaseFileCover, entries: Sequence[TocEntry]) -> Document:
    rows = [
        Row(
            cells=[
                Cell(text="序号", label=True),
                Cell(text="文书名称", label=True),
                Cell(text="文号", label=True),
                Cell(text="日期", label=True),
                Cell(text="页号", label=True),
                Cell(text="备注", label=True),
            ]
        )
    ]
    for n, e in enumerate(entries, start=1):
        rows.append(
            Row(
                cells=[
                    Cell(text=str(n), align=Align.CENTER),
                    Cell(text=e.title),
                    Cell(text=e.number),
                    Cell(text=e.date.isoformat() if e.date else "", align=Align.CENTER),
                    Cell(text=e.pages(), align=Align.CENTER),
                    Cell(text=e.remark),
                ]
            )
        )
    return Document(
        title="卷内目录",
        date=_cover_date(cover),
        subtitle=f"案由：{cover.case_cause}" if cover.case_cause else "",
        number=cover.archive_number,
        number_label="归档号：",
        style=Style.FORM,
        page_numbers=False,
        blocks=[Table(columns=[1.1, 4.2, 3.2, 2.3, 1.3, 1.4], rows=rows, size=12)],
        keywords=("卷内目录",),
    )


def toc_entries(parts: Sequence[CaseFilePart], page_counts: Sequence[int]) -> list[TocEntry]:
    """Contents entries with 卷内页号 ranges, numbering from 1 after cover and contents."""
    out: list[TocEntry] = []
    page = 1
    for part, count in zip(parts, page_counts, strict=True):
        out.append(
            TocEntry(
                title=part.title,
                number=part.number,
                date=part.date,
                remark=part.remark,
                first_page=page,
                last_page=page + count - 1,
            )
        )
        page += count
    return out


def render_case_file_front(cover: CaseFileCover, entries: Sequence[TocEntry]) -> bytes:
    """Cover and contents as one PDF."""
    return render_pdf([build_case_file_cover(cover), build_case_file_toc(cover, entries)])


def assemble_case_file(cover: CaseFileCover, parts: Sequence[CaseFilePart]) -> bytes:
    """One PDF: cover, contents, then every part in order with 卷内页号 stamped on each
    part page and a bookmark per part. Needs pypdf. Deterministic."""
    if not parts:
        raise DocumentInputError("案卷至少应当包含一份文书。")
    counts = [pdftools.page_count(p.pdf) for p in parts]
    entries = toc_entries(parts, counts)
    cover = dataclasses.replace(cover, total_items=len(parts), total_pages=sum(counts))
    front = render_case_file_front(cover, entries)
    skip = pdftools.page_count(front)
    outline = [("卷宗封面", 0), ("卷内目录", 1)]
    outline += [
        (f"{n}. {e.title}", skip + e.first_page - 1) for n, e in enumerate(entries, start=1)
    ]
    merged = pdftools.concatenate(
        [front, *(p.pdf for p in parts)],
        outline=outline,
        metadata={"/Title": f"{cover.title}：{cover.case_cause}", "/Author": cover.agency},
    )
    return pdftools.stamp_page_numbers(merged, skip=skip)
