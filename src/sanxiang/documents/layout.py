"""The document model: what a 文书 says, independent of how it is drawn.

A :class:`Document` is a title, the issuing agency, an optional document number (文号) and an
ordered list of blocks. ``render.render_pdf`` lays it out on A4 in the usual official layout
(margins after GB/T 9704: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title centred
in large bold type; body 三号 16 pt on a 28 pt line for letters, 四号 14 pt for forms; page
numbers "第 X 页 共 Y 页").

All classes are frozen, keyword-only dataclasses holding plain data, so callers (cases,
review, records) can build them from their models without this app importing theirs.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"
    JUSTIFY = "justify"


class Style(StrEnum):
    """Body type size and leading of a document."""

    LETTER = "letter"  # 决定书, 意见书: 三号 (16 pt) on 28 pt lines
    FORM = "form"  # 审批表, 笔录, 回证, 卷宗: 四号 (14 pt)


@dataclass(frozen=True, kw_only=True)
class Paragraph:
    """Running text. ``label`` (e.g. "问：", "当事人：") is set before the text and the
    continuation lines hang under the text, not under the label. ``indent`` is the first-line
    indent in characters (2 for ordinary body paragraphs). Newlines force line breaks."""

    text: str
    label: str = ""
    indent: float = 2
    align: Align = Align.JUSTIFY
    bold: bool = False
    size: float | None = None  # points; None = the document's body size


@dataclass(frozen=True, kw_only=True)
class Heading:
    """A section heading inside the body (e.g. "一、违法事实"), bold, indented two characters."""

    text: str
    indent: float = 2


@dataclass(frozen=True, kw_only=True)
class Cell:
    """One table cell. ``span`` is the number of columns it covers. A ``label`` cell is
    centred horizontally and vertically; other cells are top-aligned. ``trailer`` lines are
    set right-aligned at the bottom of the cell — signatures and dates under an opinion."""

    text: str = ""
    span: int = 1
    label: bool = False
    align: Align = Align.LEFT
    trailer: Sequence[str] = ()
    bold: bool = False


@dataclass(frozen=True, kw_only=True)
class Row:
    cells: Sequence[Cell]
    min_lines: int = 1  # room to leave, e.g. for handwriting


@dataclass(frozen=True, kw_only=True)
class Table:
    """A ruled table. ``columns`` are relative widths; rows may be taller than a page and are
    then continued on the next page. ``size`` defaults to the document's body size."""

    columns: Sequence[float]
    rows: Sequence[Row]
    size: float | None = None


@dataclass(frozen=True, kw_only=True)
class Signature:
    """A signature line: "执法人员（签名）：张三（执法证号 41010001）  2026年11月24日".

    ``name`` empty leaves a blank to sign by hand. ``refused`` records a refusal to sign
    (004 第十三条): the line then reads "当事人拒绝签名" followed by ``refusal_note`` (what was
    refused, why, who witnessed it)."""

    role: str
    name: str = ""
    certificate_no: str = ""
    date: datetime.date | None = None
    time_text: str = ""  # overrides the date, e.g. "2026年11月24日10时30分"
    refused: bool = False
    refusal_note: str = ""
    show_date: bool = True


@dataclass(frozen=True, kw_only=True)
class SignatureBlock:
    signatures: Sequence[Signature]


@dataclass(frozen=True, kw_only=True)
class SealBlock:
    """The issuing agency and date at the bottom right, with the seal placeholder."""

    agency: str
    date: datetime.date
    seal_text: str = "（印章）"


@dataclass(frozen=True, kw_only=True)
class FieldLines:
    """Label–value lines with the value underlined, as on a file cover (案由：______)."""

    fields: Sequence[tuple[str, str]]
    size: float | None = None
    label_width: float = 5  # characters


@dataclass(frozen=True, kw_only=True)
class Spacer:
    lines: float = 1


@dataclass(frozen=True, kw_only=True)
class PageBreak:
    pass


@dataclass(frozen=True, kw_only=True)
class Title:
    """An extra centred bold line, e.g. the big title of a file cover."""

    text: str
    size: float = 22


Block = (
    Paragraph
    | Heading
    | Table
    | SignatureBlock
    | SealBlock
    | FieldLines
    | Spacer
    | PageBreak
    | Title
)


@dataclass(frozen=True, kw_only=True)
class Document:
    """One 文书.

    ``date`` is the document's date; it also fixes the PDF's creation date, so the same
    input always gives the same bytes (generated PDFs go into a hash-verified archive).
    ``per_page_signature`` prints a signature line at the foot of every page (询问笔录 are
    signed page by page). ``footnote`` closes the body in small type ("本文书一式两份…").
    """

    title: str
    date: datetime.date
    agency: str = ""
    number: str = ""
    number_label: str = ""
    subtitle: str = ""
    title_size: float = 22.0  # 二号
    blocks: Sequence[Block] = ()
    style: Style = Style.LETTER
    page_numbers: bool = True
    per_page_signature: str = ""
    footnote: str = ""
    keywords: Sequence[str] = field(default_factory=tuple)
