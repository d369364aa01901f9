"""Lay out :class:`~sanxiang.documents.layout.Document` on A4 and write PDF with fpdf2.

Layout is done here, not by fpdf2's ``multi_cell``: Chinese needs character-level wrapping
with the line-breaking rules (禁则: no line starts with "，。）》" etc., none ends with
"（《“"), justified lines, tables whose rows continue across pages, and page numbers that
know the page count. Layout produces a display list per page; painting then draws it, the
footer ("第 X 页 共 Y 页") and an optional watermark.

Output is deterministic: the PDF's creation date is the document's date (00:00 China
time), fonts are subset the same way every time, and nothing else varies, so the same
input always gives the same bytes.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

import fpdf
from fpdf import FPDF

from sanxiang.documents import fonts
from sanxiang.documents.layout import (
    Align,
    Block,
    Cell,
    Document,
    FieldLines,
    Heading,
    PageBreak,
    Paragraph,
    SealBlock,
    Signature,
    SignatureBlock,
    Spacer,
    Style,
    Table,
    Title,
)
from sanxiang.documents.text import cn_date

# --- page geometry (mm), after GB/T 9704-2012 ------------------------------------------
PAGE_WIDTH = 210.0
PAGE_HEIGHT = 297.0
MARGIN_TOP = 37.0
MARGIN_BOTTOM = 35.0
MARGIN_LEFT = 28.0
MARGIN_RIGHT = 26.0
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 156 mm
BODY_BOTTOM = PAGE_HEIGHT - MARGIN_BOTTOM  # 262 mm
PT = 25.4 / 72  # one point in mm

TITLE_SIZE = 22.0  # 二号
FOOTER_SIZE = 12.0
ASCENT = 0.88  # Noto Serif CJK: ideographic em box spans -0.12..0.88 em
CHINA_TZ = datetime.timezone(datetime.timedelta(hours=8))

THIN = 0.25
THICK = 0.5
CELL_PAD_X = 1.6
CELL_PAD_Y = 1.2


@dataclass(frozen=True)
class _Metrics:
    size: float  # body size, pt
    leading: float  # body line height, pt
    table_leading: float  # pt


_STYLE_METRICS = {
    Style.LETTER: _Metrics(size=16.0, leading=28.0, table_leading=24.0),
    Style.FORM: _Metrics(size=14.0, leading=24.0, table_leading=21.0),
}


@dataclass(frozen=True, kw_only=True)
class Watermark:
    """A diagonal light-grey text repeated across every page, drawn over the content with
    transparency so it cannot be hidden behind it (copies handed out, 调阅/复制)."""

    text: str
    size: float = 30.0
    gray: int = 150
    opacity: float = 0.28
    angle: float = 35.0
    rows: int = 4


# --- line breaking ----------------------------------------------------------------------

#: characters that must not begin a line (closing punctuation, GB/T 15834 usage)
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉〗”’…‥·～%‰℃°,.;:?!)]}")
#: characters that must not end a line (opening punctuation, currency signs)
NO_LINE_END = frozenset("（《「『【〔〈〖“‘([{￥¥$")

_TOKEN = re.compile(
    r"[A-Za-z0-9]+(?:[.,:/\-_@%+#&'][A-Za-z0-9]+)*"  # words, numbers, dates, IDs, e-mail
    r"|——+|……+|…+"  # dashes and ellipses stay in one piece
    r"|[ \t]+"
    r"|.",
    re.DOTALL,
)


def normalise(text: str) -> str:
    """Unify line ends, turn tabs into spaces and drop other control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return "".join(c for c in text if c == "\n" or unicodedata.category(c) != "Cc")


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)


class Fonts:
    """The two embedded faces registered on one FPDF, with cached widths (mm per pt)."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        pdf.add_font(fonts.REGULAR, "", str(fonts.REGULAR_FONT_PATH))
        pdf.add_font(fonts.BOLD, "", str(fonts.BOLD_FONT_PATH))
        self._bold_cov = fonts.bold_coverage()
        self._widths: dict[tuple[str, str], float] = {}

    def face_for(self, ch: str, bold: bool) -> str:
        if bold and (ord(ch) in self._bold_cov or ch.isspace()):
            return fonts.BOLD
        return fonts.REGULAR

    def _char_width(self, face: str, ch: str) -> float:
        key = (face, ch)
        w = self._widths.get(key)
        if w is None:
            self.pdf.set_font(face, size=100)
            w = self.pdf.get_string_width(ch) / 100
            self._widths[key] = w
        return w

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """Width of ``text`` in mm at ``size`` pt."""
        return sum(self._char_width(self.face_for(c, bold), c) for c in text) * size

    def runs(self, text: str, bold: bool) -> list[tuple[str, str]]:
        """Split ``text`` into (face, text) runs; bold falls back to Regular per character."""
        out: list[tuple[str, str]] = []
        for ch in text:
            face = self.face_for(ch, bold)
            if out and out[-1][0] == face:
                out[-1] = (face, out[-1][1] + ch)
            else:
                out.append((face, ch))
        return out


@dataclass
class Line:
    tokens: list[str]
    width: float
    last: bool  # last line of a paragraph or before a forced break: not justified

    @property
    def text(self) -> str:
        return "".join(self.tokens)


def wrap(
    text: str,
    fonts_: Fonts,
    size: float,
    width: float,
    *,
    first_width: float | None = None,
    bold: bool = False,
) -> list[Line]:
    """Break ``text`` into lines no wider than ``width`` mm (the first ``first_width``).

    Tokens are single CJK characters, ASCII words/numbers and runs of spaces; a token wider
    than a line is broken by characters. Closing punctuation never starts a line (the
    preceding character moves down with it); opening punctuation never ends one.
    """
    lines: list[Line] = []
    for hard in normalise(text).split("\n"):
        queue: deque[str] = deque(tokenize(hard))
        cur: list[str] = []
        cur_w = 0.0
        produced = False

        def limit() -> float:
            if not lines and first_width is not None:
                return first_width
            return width

        def flush(last: bool) -> None:
            nonlocal cur, cur_w, produced
            while cur and cur[-1].isspace():
                cur_w -= fonts_.width(cur.pop(), size, bold)
            lines.append(Line(cur, max(cur_w, 0.0), last))
            cur, cur_w, produced = [], 0.0, True

        while queue:
            tok = queue.popleft()
            if not cur and tok.isspace() and produced:
                continue  # no leading space on a continuation line
            w = fonts_.width(tok, size, bold)
            if cur_w + w <= limit() + 1e-6:
                cur.append(tok)
                cur_w += w
                continue
            if tok.isspace():
                # keep it for now: the next token decides where the line breaks, and a
                # space at the end of a line is dropped when the line is flushed
                cur.append(tok)
                cur_w += w
                continue
            if not cur:
                # a single token wider than the line: break it by characters
                if len(tok) > 1:
                    queue.extendleft(reversed(list(tok)))
                    continue
                cur.append(tok)
                cur_w += w
                flush(False)
                continue
            carry: list[str] = []
            head = tok
            while head[0] in NO_LINE_START and len(cur) > 1:
                moved = cur.pop()
                if moved.isspace():
                    continue
                carry.insert(0, moved)
                head = moved
            while cur and cur[-1].isspace():
                cur.pop()
            while len(cur) > 1 and cur[-1][-1] in NO_LINE_END:
                carry.insert(0, cur.pop())
            cur_w = sum(fonts_.width(t, size, bold) for t in cur)
            flush(False)
            queue.appendleft(tok)
            queue.extendleft(reversed(carry))
        flush(True)
    return lines


# --- display list -----------------------------------------------------------------------


@dataclass(frozen=True)
class _TextOp:
    x: float
    y: float  # baseline
    text: str
    face: str
    size: float
    spacing: float = 0.0  # extra advance after each character, mm


@dataclass(frozen=True)
class _LineOp:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = THIN


_Op = _TextOp | _LineOp


@dataclass
class _Page:
    ops: list[_Op] = field(default_factory=list)


@dataclass
class _CellLine:
    line: Line
    align: Align
    bottom: bool = False  # trailer line, set at the bottom of the cell


class _Layout:
    """Lays one Document out into pages of drawing operations."""

    def __init__(self, doc: Document, fonts_: Fonts) -> None:
        self.doc = doc
        self.fonts = fonts_
        self.m = _STYLE_METRICS[doc.style]
        self.pages: list[_Page] = []
        self.y = MARGIN_TOP
        self.bottom = BODY_BOTTOM - (12.0 if doc.per_page_signature else 0.0)
        self.last_paragraph_lines = 0
        self.paragraph_lines: dict[int, int] = {}
        self.new_page()

    # pages
    def new_page(self) -> None:
        self.pages.append(_Page())
        self.y = MARGIN_TOP

    @property
    def ops(self) -> list[_Op]:
        return self.pages[-1].ops

    def ensure(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fits on this one."""
        if self.y + height > self.bottom + 1e-6 and self.y > MARGIN_TOP + 1e-6:
            self.new_page()

    # text
    def draw_line(
        self,
        line: Line,
        x: float,
        top: float,
        avail: float,
        size: float,
        leading: float,
        align: Align,
        bold: bool = False,
        *,
        max_gap: float = 0.6,
    ) -> None:
        base = top + (leading * PT - size * PT) / 2 + ASCENT * size * PT
        extra = avail - line.width
        gap = 0.0
        if align == Align.JUSTIFY and not line.last and len(line.tokens) > 1 and extra > 0:
            gap = extra / (len(line.tokens) - 1)
            if gap > max_gap * size * PT:
                gap = 0.0
        elif align == Align.CENTER:
            x += max(extra, 0) / 2
        elif align == Align.RIGHT:
            x += max(extra, 0)
        self._emit_tokens(line.tokens, x, base, size, gap, bold)

    def _emit_tokens(
        self, tokens: Sequence[str], x: float, base: float, size: float, gap: float, bold: bool
    ) -> None:
        # Consecutive single characters share one text operation with character spacing;
        # words and numbers are drawn whole so the spacing never opens them up.
        group: list[str] = []

        def flush_group() -> float:
            nonlocal group
            adv = 0.0
            if group:
                text = "".join(group)
                for face, run in self.fonts.runs(text, bold):
                    self.ops.append(_TextOp(x + adv, base, run, face, size, gap))
                    adv += self.fonts.width(run, size, bold) + gap * len(run)
                group = []
            return adv

        for tok in tokens:
            if len(tok) == 1 and not tok.isspace():
                group.append(tok)
                continue
            x += flush_group()
            if not tok.isspace():
                for face, run in self.fonts.runs(tok, bold):
                    self.ops.append(_TextOp(x, base, run, face, size, 0.0))
                    x += self.fonts.width(run, size, bold)
            else:
                x += self.fonts.width(tok, size, bold)
            x += gap
        flush_group()

    def text_line(
        self, text: str, size: float, leading: float, align: Align, bold: bool = False
    ) -> None:
        """A single centred/right/left line across the text width (wrapped if needed)."""
        for line in wrap(text, self.fonts, size, TEXT_WIDTH, bold=bold):
            self.ensure(leading * PT)
            self.draw_line(line, MARGIN_LEFT, self.y, TEXT_WIDTH, size, leading, align, bold)
            self.y += leading * PT

    # blocks
    def layout(self) -> list[_Page]:
        """Lay the document out. A signature or seal block that would begin a page on its own
        takes the last lines of the paragraph before it along (GB/T 9704 7.3.5: the seal
        and date are not left alone on a page)."""
        pulls: dict[int, int] = {}
        for _ in range(4):
            orphan_of = self._layout_once(pulls)
            if orphan_of is None or orphan_of in pulls:
                break
            pulls[orphan_of] = 2 if self.paragraph_lines[orphan_of] >= 3 else 99
            self.pages, self.y = [], MARGIN_TOP
            self.new_page()
        return self.pages

    def _layout_once(self, pulls: dict[int, int]) -> int | None:
        """One pass; returns the index of the paragraph whose lines should be pulled onto the
        next page, or None when no signature/seal block stands alone at a page's top."""
        self.paragraph_lines = {}
        orphan_of: int | None = None
        self.header()
        blocks = list(self.doc.blocks)
        for index, block in enumerate(blocks):
            pages_before = len(self.pages)
            if isinstance(block, Paragraph):
                self.paragraph(block, pull=pulls.get(index, 0))
                self.paragraph_lines[index] = self.last_paragraph_lines
            elif isinstance(block, Heading):
                self.paragraph(
                    Paragraph(text=block.text, indent=block.indent, bold=True),
                    pull=pulls.get(index, 0),
                )
                self.paragraph_lines[index] = self.last_paragraph_lines
            else:
                self.block(block)
            if (
                orphan_of is None
                and isinstance(block, SignatureBlock | SealBlock)
                and len(self.pages) > pages_before
            ):
                j = index - 1
                while j >= 0 and isinstance(blocks[j], SignatureBlock | SealBlock | Spacer):
                    j -= 1
                if j >= 0 and j in self.paragraph_lines:
                    orphan_of = j
        if self.doc.footnote:
            self.y += 0.5 * self.m.leading * PT
            self.paragraph(Paragraph(text=self.doc.footnote, indent=0, size=12.0))
        return orphan_of

    def header(self) -> None:
        doc = self.doc
        leading = TITLE_SIZE * 1.5
        if doc.agency:
            self.text_line(doc.agency, TITLE_SIZE, leading, Align.CENTER, bold=True)
        self.text_line(doc.title, doc.title_size, doc.title_size * 1.5, Align.CENTER, bold=True)
        if doc.subtitle:
            self.text_line(doc.subtitle, self.m.size, self.m.leading, Align.CENTER)
        if doc.number:
            self.text_line(
                f"{doc.number_label}{doc.number}", self.m.size, self.m.leading, Align.RIGHT
            )
        self.y += 0.4 * self.m.leading * PT

    def block(self, block: Block) -> None:
        if isinstance(block, Paragraph):
            self.paragraph(block)
        elif isinstance(block, Heading):
            self.paragraph(Paragraph(text=block.text, indent=block.indent, bold=True))
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, SignatureBlock):
            self.signatures(block)
        elif isinstance(block, SealBlock):
            self.seal(block)
        elif isinstance(block, FieldLines):
            self.field_lines(block)
        elif isinstance(block, Spacer):
            self.y += block.lines * self.m.leading * PT
            if self.y > self.bottom:
                self.new_page()
        elif isinstance(block, PageBreak):
            self.new_page()
        elif isinstance(block, Title):
            self.text_line(block.text, block.size, block.size * 1.6, Align.CENTER, bold=True)
        else:  # pragma: no cover - exhaustive
            raise TypeError(f"unknown block {block!r}")

    def paragraph(self, p: Paragraph, pull: int = 0) -> None:
        """Set a paragraph; ``pull`` > 0 starts a new page before its last ``pull`` lines
        (used to keep a signature or seal block from standing alone on a page)."""
        size = p.size or self.m.size
        leading = self.m.leading * size / self.m.size
        lh = leading * PT
        indent = p.indent * size * PT
        # (line, x, available width, label or None)
        placed: list[tuple[Line, float, float, str | None]] = []
        if p.label:
            # the label, then the text hanging under the text's start
            label_w = self.fonts.width(p.label, size, p.bold)
            hang = indent + label_w
            for i, line in enumerate(
                wrap(p.text, self.fonts, size, TEXT_WIDTH - hang, bold=p.bold)
            ):
                placed.append(
                    (line, MARGIN_LEFT + hang, TEXT_WIDTH - hang, p.label if i == 0 else None)
                )
        else:
            # each forced line break ("\n") starts a new, indented line, as in typed documents
            for hard in normalise(p.text).split("\n"):
                lines = wrap(
                    hard, self.fonts, size, TEXT_WIDTH, first_width=TEXT_WIDTH - indent, bold=p.bold
                )
                for i, line in enumerate(lines):
                    if i == 0:
                        placed.append((line, MARGIN_LEFT + indent, TEXT_WIDTH - indent, None))
                    else:
                        placed.append((line, MARGIN_LEFT, TEXT_WIDTH, None))
        self.last_paragraph_lines = len(placed)
        for i, (line, x, avail, label) in enumerate(placed):
            if pull and i == max(len(placed) - pull, 0) and self.y > MARGIN_TOP + 1e-6:
                self.new_page()
            self.ensure(lh)
            if label is not None:
                label_w = self.fonts.width(label, size, p.bold)
                self.draw_line(
                    Line(tokenize(label), label_w, True),
                    MARGIN_LEFT + indent,
                    self.y,
                    label_w,
                    size,
                    leading,
                    Align.LEFT,
                    p.bold,
                )
            self.draw_line(line, x, self.y, avail, size, leading, p.align, p.bold)
            self.y += lh

    # tables
    def table(self, t: Table) -> None:
        size = t.size or self.m.size
        leading = self.m.table_leading * size / self.m.size
        lh = leading * PT
        total = sum(t.columns)
        widths = [c / total * TEXT_WIDTH for c in t.columns]
        edges = [MARGIN_LEFT]
        for w in widths:
            edges.append(edges[-1] + w)

        self.y += 0.25 * lh
        if self.y > self.bottom:
            self.new_page()
        part_top = self.y
        part_rows = 0

        def close_part() -> None:
            if part_rows:
                self.outline(part_top, self.y)

        for row in t.rows:
            spans: list[tuple[float, float, Cell]] = []
            col = 0
            for cell in row.cells:
                x1, x2 = edges[col], edges[min(col + cell.span, len(widths))]
                spans.append((x1, x2, cell))
                col += cell.span
            contents = [self._cell_lines(cell, x2 - x1, size) for x1, x2, cell in spans]
            consumed = [0] * len(contents)
            first_segment = True
            while True:
                remaining = [len(c) - k for c, k in zip(contents, consumed, strict=True)]
                need = max([*remaining, 1])
                if first_segment:
                    need = max(need, row.min_lines)
                need_h = need * lh + 2 * CELL_PAD_Y
                avail = self.bottom - self.y
                if need_h <= avail + 1e-6:
                    self._draw_segment(spans, contents, consumed, need, size, leading, True)
                    self.y += need_h
                    part_rows += 1
                    break
                cap = int((avail - 2 * CELL_PAD_Y + 1e-6) // lh)
                page_cap = int((self.bottom - MARGIN_TOP - 2 * CELL_PAD_Y) // lh)
                at_top = self.y <= MARGIN_TOP + 1e-6
                if not at_top and (cap < 2 or (need <= min(page_cap, 6) and first_segment)):
                    close_part()
                    self.new_page()
                    part_top, part_rows = self.y, 0
                    continue
                cap = max(cap, 1)
                self._draw_segment(spans, contents, consumed, cap, size, leading, False)
                for i, c in enumerate(contents):
                    consumed[i] = min(len(c), consumed[i] + cap)
                self.y += cap * lh + 2 * CELL_PAD_Y
                part_rows += 1
                first_segment = False
                close_part()
                self.new_page()
                part_top, part_rows = self.y, 0
        close_part()
        self.y += 0.25 * lh

    def outline(self, top: float, bottom: float) -> None:
        x1, x2 = MARGIN_LEFT, MARGIN_LEFT + TEXT_WIDTH
        for a, b, c, d in (
            (x1, top, x2, top),
            (x1, bottom, x2, bottom),
            (x1, top, x1, bottom),
            (x2, top, x2, bottom),
        ):
            self.ops.append(_LineOp(a, b, c, d, THICK))

    def _cell_lines(self, cell: Cell, width: float, size: float) -> list[_CellLine]:
        inner = width - 2 * CELL_PAD_X
        align = Align.CENTER if cell.label else cell.align
        out = [
            _CellLine(line, align)
            for line in (
                wrap(cell.text, self.fonts, size, inner, bold=cell.bold) if cell.text else []
            )
        ]
        for trailer in cell.trailer:
            for line in wrap(trailer, self.fonts, size, inner):
                out.append(_CellLine(line, Align.RIGHT, bottom=True))
        return out

    def _draw_segment(
        self,
        spans: Sequence[tuple[float, float, Cell]],
        contents: Sequence[Sequence[_CellLine]],
        consumed: Sequence[int],
        nlines: int,
        size: float,
        leading: float,
        final: bool,
    ) -> None:
        lh = leading * PT
        h = nlines * lh + 2 * CELL_PAD_Y
        top = self.y
        self.ops.append(_LineOp(MARGIN_LEFT, top, MARGIN_LEFT + TEXT_WIDTH, top))
        self.ops.append(_LineOp(MARGIN_LEFT, top + h, MARGIN_LEFT + TEXT_WIDTH, top + h))
        for (x1, x2, cell), lines, k in zip(spans, contents, consumed, strict=True):
            self.ops.append(_LineOp(x1, top, x1, top + h))
            self.ops.append(_LineOp(x2, top, x2, top + h))
            if cell.label:
                chunk = list(lines)  # labels repeat on every segment
                y = top + (h - len(chunk) * lh) / 2
            else:
                chunk = list(lines[k : k + nlines])
                y = top + CELL_PAD_Y
            body = [c for c in chunk if not c.bottom] if final or cell.label else chunk
            tail = [c for c in chunk if c.bottom] if final or cell.label else []
            inner = x2 - x1 - 2 * CELL_PAD_X
            for cl in body:
                self.draw_line(cl.line, x1 + CELL_PAD_X, y, inner, size, leading, cl.align)
                y += lh
            ty = top + h - CELL_PAD_Y - len(tail) * lh
            for cl in tail:
                self.draw_line(cl.line, x1 + CELL_PAD_X, ty, inner, size, leading, cl.align)
                ty += lh

    # signatures and seal
    def signatures(self, block: SignatureBlock) -> None:
        size = self.m.size
        leading = self.m.leading * 1.25
        lh = leading * PT
        note_size = size - 2
        note_leading = self.m.leading * note_size / size
        note_indent = 2 * note_size * PT
        blank = 36.0  # mm of rule left for a handwritten signature
        prepared: list[tuple[Signature, list[Line], bool]] = []
        height = 0.0
        for sig in block.signatures:
            date_w = self.fonts.width(self._date_text(sig), size) if sig.show_date else 0.0
            fits = self._signature_left_width(sig, size, blank) + 2 * size * PT + date_w
            notes = (
                wrap(sig.refusal_note, self.fonts, note_size, TEXT_WIDTH - note_indent)
                if sig.refused and sig.refusal_note
                else []
            )
            prepared.append((sig, notes, fits <= TEXT_WIDTH))
            height += lh * (1 if fits <= TEXT_WIDTH else 2) + len(notes) * note_leading * PT
        self.y += 0.3 * lh
        self.ensure(min(height, self.bottom - MARGIN_TOP))
        for sig, notes, fits in prepared:
            self.ensure(lh)
            base = self.y + (lh - size * PT) / 2 + ASCENT * size * PT
            x = MARGIN_LEFT
            for part in self._signature_parts(sig):
                if part is None:
                    self.ops.append(_LineOp(x + 1.0, base + 1.2, x + blank, base + 1.2))
                    x += blank + 1.0
                    continue
                self._emit_tokens(tokenize(part), x, base, size, 0.0, False)
                x += self.fonts.width(part, size)
            if sig.show_date:
                if not fits:
                    self.y += lh
                    base += lh
                date_text = self._date_text(sig)
                w = self.fonts.width(date_text, size)
                self._emit_tokens(
                    tokenize(date_text), MARGIN_LEFT + TEXT_WIDTH - w, base, size, 0.0, False
                )
            self.y += lh
            for line in notes:
                self.ensure(note_leading * PT)
                self.draw_line(
                    line,
                    MARGIN_LEFT + note_indent,
                    self.y,
                    TEXT_WIDTH - note_indent,
                    note_size,
                    note_leading,
                    Align.JUSTIFY,
                )
                self.y += note_leading * PT

    @staticmethod
    def _signature_parts(sig: Signature) -> list[str | None]:
        """Pieces of the left part of a signature line; None is a blank rule to sign on."""
        if sig.refused:
            return [f"{sig.role}签名：拒绝签名"]
        parts: list[str | None] = [f"{sig.role}签名：", sig.name or None]
        if sig.certificate_no:
            parts.append(f"（执法证号：{sig.certificate_no}）")
        return parts

    def _signature_left_width(self, sig: Signature, size: float, blank: float) -> float:
        return sum(
            blank + 1.0 if part is None else self.fonts.width(part, size)
            for part in self._signature_parts(sig)
        )

    @staticmethod
    def _date_text(sig: Signature) -> str:
        if sig.time_text:
            return sig.time_text
        if sig.date:
            return cn_date(sig.date)
        return "　　年　　月　　日"

    def seal(self, block: SealBlock) -> None:
        size = self.m.size
        lh = self.m.leading * PT
        date_text = cn_date(block.date)
        right = MARGIN_LEFT + TEXT_WIDTH - 4 * size * PT  # 右空四字 (GB/T 9704 7.3.5.2)
        date_w = self.fonts.width(date_text, size)
        centre = right - date_w / 2
        self.y += lh
        self.ensure(3 * lh)
        for text in (block.seal_text, block.agency, date_text):
            w = self.fonts.width(text, size)
            x = min(centre - w / 2, MARGIN_LEFT + TEXT_WIDTH - w)
            base = self.y + (lh - size * PT) / 2 + ASCENT * size * PT
            self._emit_tokens(tokenize(text), x, base, size, 0.0, False)
            self.y += lh

    def field_lines(self, block: FieldLines) -> None:
        size = block.size or self.m.size
        label_w = block.label_width * size * PT
        x_val = MARGIN_LEFT + label_w + size * PT
        wrapped = [
            (label, wrap(value, self.fonts, size, MARGIN_LEFT + TEXT_WIDTH - x_val))
            for label, value in block.fields
        ]
        # generous 2.2× leading, tightened down to 1.6× when that keeps the block on one page
        total = sum(len(lines) for _, lines in wrapped)
        fit = (self.bottom - self.y) / max(total, 1) / PT
        leading = min(size * 2.2, max(size * 1.6, fit))
        lh = leading * PT
        for label, lines in wrapped:
            for i, line in enumerate(lines):
                self.ensure(lh)
                if i == 0:
                    self.draw_line(
                        Line(tokenize(label), self.fonts.width(label, size), False),
                        MARGIN_LEFT,
                        self.y,
                        label_w,
                        size,
                        leading,
                        Align.JUSTIFY,  # 分散对齐 so labels of different length line up
                        True,
                        max_gap=10.0,
                    )
                self.draw_line(
                    line, x_val, self.y, MARGIN_LEFT + TEXT_WIDTH - x_val, size, leading, Align.LEFT
                )
                rule_y = self.y + lh - 1.5
                self.ops.append(_LineOp(x_val, rule_y, MARGIN_LEFT + TEXT_WIDTH, rule_y))
                self.y += lh


# --- painting ---------------------------------------------------------------------------


def _new_pdf(first: Document) -> tuple[FPDF, Fonts]:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
    pdf.set_creation_date(
        datetime.datetime.combine(first.date, datetime.time(0, 0), tzinfo=CHINA_TZ)
    )
    pdf.set_producer(f"sanxiang documents (fpdf2 {fpdf.__version__})")
    pdf.set_creator("sanxiang")
    pdf.set_title(first.title)
    if first.agency:
        pdf.set_author(first.agency)
    if first.number:
        pdf.set_subject(first.number)
    if first.keywords:
        pdf.set_keywords(" ".join(first.keywords))
    pdf.set_lang("zh-CN")
    return pdf, Fonts(pdf)


def _paint_ops(pdf: FPDF, ops: Iterable[_Op]) -> None:
    for op in ops:
        if isinstance(op, _TextOp):
            pdf.set_font(op.face, size=op.size)
            pdf.set_char_spacing(op.spacing / PT)
            pdf.text(op.x, op.y, op.text)
        else:
            pdf.set_line_width(op.width)
            pdf.line(op.x1, op.y1, op.x2, op.y2)
    pdf.set_char_spacing(0)


def _paint_footer(pdf: FPDF, fonts_: Fonts, doc: Document, number: int, total: int) -> None:
    if doc.per_page_signature:
        size = FOOTER_SIZE + 2
        text = doc.per_page_signature
        w = fonts_.width(text, size)
        base = BODY_BOTTOM - 2.0
        x = MARGIN_LEFT + TEXT_WIDTH - 45.0 - w
        _paint_ops(pdf, [_TextOp(x, base, text, fonts.REGULAR, size)])
        _paint_ops(pdf, [_LineOp(x + w, base + 1.2, MARGIN_LEFT + TEXT_WIDTH, base + 1.2)])
    if doc.page_numbers:
        text = f"第 {number} 页 共 {total} 页"
        w = fonts_.width(text, FOOTER_SIZE)
        base = BODY_BOTTOM + 7.0 + ASCENT * FOOTER_SIZE * PT
        _paint_ops(pdf, [_TextOp(PAGE_WIDTH / 2 - w / 2, base, text, fonts.REGULAR, FOOTER_SIZE)])


def paint_watermark(pdf: FPDF, fonts_: Fonts, mark: Watermark, width: float, height: float) -> None:
    """Draw ``mark`` on the current page of ``pdf`` (``width`` × ``height`` mm)."""
    size = mark.size
    text = mark.text
    w = fonts_.width(text, size)
    cx, cy = width / 2, height / 2
    step = height / mark.rows
    with (
        pdf.local_context(fill_opacity=mark.opacity, text_color=(mark.gray,) * 3),
        pdf.rotation(mark.angle, x=cx, y=cy),
    ):
        for i in range(mark.rows):
            y = cy + (i - (mark.rows - 1) / 2) * step
            x = cx - w / 2
            for face, run in fonts_.runs(text, False):
                pdf.set_font(face, size=size)
                pdf.text(x, y, run)
                x += fonts_.width(run, size)


def _layout_all(docs: Sequence[Document], fonts_: Fonts) -> list[tuple[Document, list[_Page]]]:
    return [(doc, _Layout(doc, fonts_).layout()) for doc in docs]


def render_pdf(
    doc: Document | Sequence[Document], *, watermark: Watermark | str | None = None
) -> bytes:
    """Render one document, or several one after another (each starting on a new page and
    numbered on its own), to PDF bytes."""
    docs = [doc] if isinstance(doc, Document) else list(doc)
    if not docs:
        raise ValueError("render_pdf needs at least one document")
    mark = Watermark(text=watermark) if isinstance(watermark, str) else watermark
    pdf, fonts_ = _new_pdf(docs[0])
    for d, pages in _layout_all(docs, fonts_):
        for i, page in enumerate(pages, start=1):
            pdf.add_page()
            _paint_ops(pdf, page.ops)
            _paint_footer(pdf, fonts_, d, i, len(pages))
            if mark is not None:
                paint_watermark(pdf, fonts_, mark, PAGE_WIDTH, PAGE_HEIGHT)
    return bytes(pdf.output())


def write_pdf(
    doc: Document | Sequence[Document],
    fp: BinaryIO,
    *,
    watermark: Watermark | str | None = None,
    chunk_size: int = 1 << 16,
) -> int:
    """Render and write the PDF to the binary file object ``fp`` in chunks; returns the
    number of bytes written. (fpdf2 assembles a document in memory; 文书 are small.)"""
    data = memoryview(render_pdf(doc, watermark=watermark))
    for start in range(0, len(data), chunk_size):
        fp.write(data[start : start + chunk_size])
    return len(data)


def page_count(doc: Document | Sequence[Document]) -> int:
    """Number of pages ``doc`` will have, without writing a PDF."""
    docs = [doc] if isinstance(doc, Document) else list(doc)
    _pdf, fonts_ = _new_pdf(docs[0])
    return sum(len(pages) for _, pages in _layout_all(docs, fonts_))


__all__ = [
    "NO_LINE_END",
    "NO_LINE_START",
    "Fonts",
    "Line",
    "Watermark",
    "normalise",
    "page_count",
    "paint_watermark",
    "render_pdf",
    "tokenize",
    "wrap",
    "write_pdf",
]
